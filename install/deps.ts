// Everything the CLI touches outside itself, in one object: the real one for the bin, injected ones for tests.
import { homedir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { runCommand, type CommandRunner } from '../src/exec/runner.js';
import type { InitKind, InitSystem } from '../src/service/types.js';

export interface CliDeps {
  run: CommandRunner;
  env: NodeJS.ProcessEnv;
  cwd: string;
  uid: number;
  home: string;
  /** Prefix for system paths probed (/run/systemd/system, /proc...); '/' for real. */
  root: string;
  platform: NodeJS.Platform;
  /** The running node (process.execPath). */
  execPath: string;
  out(text: string): void;
  err(text: string): void;
  sleep(ms: number): Promise<void>;
  /** Picks the InitSystem for a kind (default: src/service/detect.ts). Tests inject theirs. */
  initFor?: (kind: InitKind) => InitSystem;
  /** Grace period before SIGKILL for --takeover, in ms (default 5000). */
  takeoverGraceMs?: number;
}

/** The real environment of this process. */
export function realDeps(): CliDeps {
  return {
    run: runCommand,
    env: process.env,
    cwd: process.cwd(),
    uid: process.getuid?.() ?? 0,
    home: process.env.HOME || homedir(),
    root: '/',
    platform: process.platform,
    execPath: process.execPath,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    sleep: (ms) => delay(ms),
  };
}
