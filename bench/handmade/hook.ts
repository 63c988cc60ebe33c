// A hook "the hand-made way", as today's memory plugins do it: check /health, spawn a detached worker if none answers, poll every 100 ms.
import { spawn } from 'node:child_process';
import { get } from 'node:http';

const POLL_MS = 100;
const GIVE_UP_MS = 30_000;

/** Usage: node hook.js PORT WORKER_ENTRY [worker args...]; prints the /health body and exits 0, or exits 1. */
const [portArg, entry, ...workerArgs] = process.argv.slice(2);
const port = Number(portArg);

/** GET /health; resolves with the body on 200, null on any failure (the usual "is it up?" check). */
function health(): Promise<string | null> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve(res.statusCode === 200 ? body : null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** The race this project removes: between the check above and this spawn, other hooks spawn too. */
function spawnWorker(): void {
  const child = spawn(process.execPath, [entry as string, '--listen', `127.0.0.1:${port}`, ...workerArgs], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}

async function main(): Promise<void> {
  let body = await health();
  if (body === null) {
    spawnWorker();
    const deadline = Date.now() + GIVE_UP_MS;
    while (body === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      body = await health();
    }
  }
  if (body === null) process.exit(1);
  process.stdout.write(body);
}

void main();
