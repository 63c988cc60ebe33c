// Processes for the bench: spawn and stop, wait for a log line, read RSS, and count processes or worker starts.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A spawned process and a promise of its exit code (a signal gives 128 + 1). */
export interface Proc {
  child: ChildProcess;
  exited: Promise<number>;
}

/** Spawns `argv` without a shell. */
export function start(argv: readonly string[], options: SpawnOptions = {}): Proc {
  const [file, ...args] = argv;
  if (!file) throw new TypeError('start: empty argv');
  const child = spawn(file, args, { stdio: 'ignore', ...options });
  const exited = new Promise<number>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 129 : 1)));
  });
  return { child, exited };
}

/** Sends SIGTERM, then SIGKILL after `graceMs`, and waits for the exit. */
export async function stop(proc: Proc, graceMs = 3000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** Resolves when `stream` prints a line matching `pattern`; keeps draining the stream afterwards. */
export function waitForLine(stream: Readable, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(
      () => done(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got: ${buf.slice(-300)}`)),
      timeoutMs,
    );
    const onData = (d: Buffer): void => {
      buf += d.toString('utf8');
      const line = buf.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) done(null, line);
    };
    const onEnd = (): void =>
      done(new Error(`stream ended before a line matching ${pattern}; got: ${buf.slice(-300)}`));
    function done(err: Error | null, line = ''): void {
      clearTimeout(timer);
      stream.off('data', onData).off('end', onEnd);
      stream.resume();
      if (err) reject(err);
      else resolve(line);
    }
    stream.on('data', onData).on('end', onEnd);
  });
}

/**
 * CPU time the main thread of `pid` has run so far, in ms, from /proc/PID/schedstat (nanoseconds, not the 10 ms
 * ticks of /proc/PID/stat), or null when it is gone. Unlike wall time it barely moves when the machine is busy.
 */
export function mainThreadCpuMs(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/** Resident set size of `pid` in KiB (VmRSS), or null when it is gone. */
export function rssKiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Counts worker starts: writes a tiny CommonJS preload into `dir` and returns the NODE_OPTIONS that load it, and
 * readers of what it logged. In processes whose script's file name contains `match` (workers) it logs the pid at
 * start, losers of a bind race included; in the others (the hooks) it logs the CPU time they used, at exit.
 */
export function startCounter(
  dir: string,
  name: string,
  match: string,
): { env: NodeJS.ProcessEnv; pids: () => number[]; hookCpuMs: () => number[] } {
  const log = join(dir, `${name}.starts`);
  const cpuLog = join(dir, `${name}.cpu`);
  const preload = join(dir, 'start-marker.cjs');
  writeFileSync(log, '');
  writeFileSync(cpuLog, '');
  writeFileSync(
    preload,
    [
      '// Bench preload: logs the pid of each worker process that starts, and the CPU time of every other process.',
      'const { appendFileSync } = require("node:fs");',
      'const e = process.env, script = require("node:path").basename(process.argv[1] || "");',
      'if (e.INITSOCK_BENCH_START_MATCH && script.includes(e.INITSOCK_BENCH_START_MATCH)) appendFileSync(e.INITSOCK_BENCH_START_LOG, process.pid + "\\n");',
      'else if (e.INITSOCK_BENCH_CPU_LOG) process.once("exit", () => { const u = process.cpuUsage(); appendFileSync(e.INITSOCK_BENCH_CPU_LOG, (u.user + u.system) / 1000 + "\\n"); });',
      '',
    ].join('\n'),
  );
  const env = {
    NODE_OPTIONS: `--require ${preload}`,
    INITSOCK_BENCH_START_LOG: log,
    INITSOCK_BENCH_START_MATCH: match,
    INITSOCK_BENCH_CPU_LOG: cpuLog,
  };
  const numbers = (file: string): number[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  return { env, pids: () => numbers(log), hookCpuMs: () => numbers(cpuLog) };
}
