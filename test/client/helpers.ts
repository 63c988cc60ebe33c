// Helpers for the client tests: free ports, a fake home per test, client processes, and the record of worker lifetimes.
import { spawn, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir, initsockBin, scratchDir } from '../helpers/paths.js';

/** The app fixture (routes /ok, /status/:code, /echo, /whoami; records worker starts and exits). */
export const appFixture = join(distDir, 'test', 'fixtures', 'client', 'app.js');
/** Preloaded into the sandbox's node processes: each handed-off worker appends "start <pid>" / "exit <pid>" to the events file. */
export const recorder = join(distDir, 'test', 'fixtures', 'client', 'record-worker.js');

export { freePort } from '../helpers/net.js';

export interface Sandbox {
  dir: string;
  home: string;
  /** Environment for clients: fake HOME and XDG dirs, the app fixture, the events file; no inherited INITSOCK_*. */
  env: NodeJS.ProcessEnv;
  events: string;
  logFile(name?: string): string;
  /** SIGKILLs every worker the events file saw that is still alive, then removes the folder. */
  cleanup(): void;
}

export function sandbox(prefix: string): Sandbox {
  const dir = scratchDir(`client-${prefix}`);
  const home = join(dir, 'home');
  mkdirSync(home);
  const events = join(dir, 'events');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(INITSOCK_|LISTEN_|XDG_)/.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: home,
    CLIENT_TEST_EVENTS: events,
    INITSOCK_APP: appFixture,
    INITSOCK_IDLE_TIMEOUT: '20s',
    NODE_OPTIONS: `--import=${pathToFileURL(recorder).href}`,
  });
  return {
    dir,
    home,
    env,
    events,
    logFile: (name = 'initsock-worker') => join(home, '.local', 'state', 'initsock', name, 'worker.log'),
    cleanup() {
      for (const pid of startedPids(events)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ClientRun {
  pid: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node initsock.js ARGS` to completion. `extra` adds fds (index 3 and up); `holdStdin` never closes stdin. */
export function runClient(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { input?: string; extra?: StdioOptions; holdStdin?: boolean } = {},
): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const extra = Array.isArray(opts.extra) ? opts.extra : [];
    const child = spawn(process.execPath, [initsockBin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe', ...extra] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ pid: child.pid ?? -1, code, stdout, stderr }));
    if (opts.holdStdin) child.once('close', () => child.stdin!.destroy());
    else child.stdin!.end(opts.input ?? '');
  });
}

export interface WorkerEvent {
  kind: 'start' | 'release' | 'exit';
  pid: number;
}

/** The events file: worker start, release of the port, exit (none after SIGKILL), in the order they happened (O_APPEND). */
export function readEvents(path: string): WorkerEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [kind, pid] = line.split(' ');
      return { kind: kind as WorkerEvent['kind'], pid: Number(pid) };
    });
}

export function startedPids(events: string): number[] {
  return readEvents(events)
    .filter((e) => e.kind === 'start')
    .map((e) => e.pid);
}

/** /proc/<pid>/stat, split after the command name: [state, ppid, pgrp, session, ...]. Null when gone. */
export function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Alive and not a zombie (a SIGKILLed worker is no child of ours, so someone else reaps it). */
export function isAlive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== null && stat[0] !== 'Z' && stat[0] !== 'X';
}

/** Polls `cond` until true, failing after `ms` with `what` (a bounded wait on state we cannot subscribe to). */
export async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Checks that no two workers ever held the port at once: each worker holds it from its start until it
 * releases it (or exits, whichever comes first), and those intervals must not overlap.
 */
export function assertNoOverlap(events: WorkerEvent[]): void {
  let holder: number | null = null;
  const ended = new Set<number>();
  for (const e of events) {
    if (e.kind === 'start') {
      if (holder !== null)
        throw new Error(`worker ${e.pid} started while worker ${holder} held the port: ${JSON.stringify(events)}`);
      holder = e.pid;
    } else if (holder === e.pid) {
      holder = null;
      ended.add(e.pid);
    } else if (!ended.has(e.pid)) {
      throw new Error(`worker ${e.pid} recorded "${e.kind}" but never started: ${JSON.stringify(events)}`);
    }
  }
}
