// Runs inside the box for the real-daemons suite (`node real-probe.js JSON`): one cold GET, N simultaneous GETs, a
// keep-alive load, or the program started by itself on its own port; prints one JSON line.
import { spawn } from 'node:child_process';
import http from 'node:http';

interface Reply {
  status: number;
  pid: number | null;
  ms: number;
}
type Input =
  | { action: 'get'; port: number; path: string }
  | { action: 'storm'; port: number; path: string; n?: number }
  | { action: 'warm'; port: number; path: string; seconds: number }
  | { action: 'direct'; port: number; path: string; seconds: number; argv: string[]; env: Record<string, string> };

const ok = (r: Reply): boolean => r.status >= 200 && r.status < 300;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One GET; status 0 when the connection failed, was refused or timed out. */
function get(port: number, path: string, agent: http.Agent | false = false, timeoutMs = 30_000): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => {
          body += c;
        })
        .on('end', () => {
          const pid = /"pid":\s*(\d+)/.exec(body);
          resolve({ status: res.statusCode ?? 0, pid: pid ? Number(pid[1]) : null, ms: performance.now() - t0 });
        });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, pid: null, ms: performance.now() - t0 }));
  });
}

/** Ten keep-alive connections asking `path` in a loop for `seconds`: 2xx answers per second, and the others. */
async function warm(port: number, path: string, seconds: number): Promise<{ rps: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  const end = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (performance.now() < end) {
        if (ok(await get(port, path, agent, 5000))) done += 1;
        else errors += 1;
      }
    }),
  );
  agent.destroy();
  return { rps: done / seconds, errors };
}

/** The program by itself, binding its own port: time from spawn to its first 2xx (polled every 5 ms, at most 60 s), then a warm load. */
async function direct(input: Extract<Input, { action: 'direct' }>): Promise<unknown> {
  const t0 = performance.now();
  const [cmd, ...args] = input.argv;
  const child = spawn(cmd!, args, {
    env: { ...process.env, ...input.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr = (stderr + c).slice(-400);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    let coldMs: number | null = null;
    while (coldMs === null && performance.now() - t0 < 60_000) {
      if (ok(await get(input.port, input.path, false, 2000))) coldMs = performance.now() - t0;
      else await sleep(5);
    }
    if (coldMs === null)
      throw new Error(
        `${input.argv.join(' ')} did not answer ${input.path} on port ${input.port} within 60 s; its stderr: ${stderr.trim() || '(empty)'}`,
      );
    return { coldMs, ...(await warm(input.port, input.path, input.seconds)) };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* gone */
    }
    await Promise.race([exited, sleep(10_000)]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

async function run(input: Input): Promise<unknown> {
  if (input.action === 'get') return get(input.port, input.path);
  if (input.action === 'storm')
    return Promise.all(Array.from({ length: input.n ?? 10 }, () => get(input.port, input.path)));
  if (input.action === 'warm') return warm(input.port, input.path, input.seconds);
  return direct(input);
}

run(JSON.parse(process.argv[2] ?? '{}') as Input).then(
  (out) => {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
