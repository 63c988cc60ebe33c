// Test helper: runs the real built worker (dist/src/bin/worker.js --listen 127.0.0.1:0) and learns its port from its log.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { workerBin } from '../helpers/paths.js';

export interface WorkerProcess {
  child: ChildProcess;
  port: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** True while it has not exited. */
  alive(): boolean;
  /** SIGTERM, then resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts the worker with `args` and resolves once it logs "serving on 127.0.0.1:PORT"; rejects if it exits first. */
export async function startWorker(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerBin, '--listen', '127.0.0.1:0', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const m = /serving on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before serving:\n${out}`)));
  });
  const exited = once(child, 'exit');
  return {
    child,
    port,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      return child.exitCode;
    },
  };
}

/**
 * Runs the worker for a start-up failure and resolves with its exit code and output. If it starts serving
 * instead, it is stopped and `served` is true, so a test expecting a refusal fails instead of hanging.
 */
export async function runWorker(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string; served: boolean }> {
  const child = spawn(process.execPath, [workerBin, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let served = false;
  const onData = (d: Buffer): void => {
    output += d.toString('utf8');
    if (!served && /serving on /.test(output)) {
      served = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output, served };
}
