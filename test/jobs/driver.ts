// A JobDriver for this machine without an init system: the packaged `initsock` bin, with its own jobs folder.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CommandResult } from '../../src/exec/runner.js';
import { distDir, scratchDir } from '../helpers/paths.js';
import type { JobDriver } from './scenario.js';

export const fastBin = join(distDir, 'src', 'bin', 'initsock-fast.cjs');

/** Runs argv to completion; resolves with its output and the time it exited. */
export function runArgv(argv: string[], env: NodeJS.ProcessEnv): Promise<CommandResult & { returnedAt: number }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] ?? '', argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ argv, code: code ?? 1, stdout, stderr, returnedAt: Date.now() }));
  });
}

/** A driver in process mode (forced, even where a user manager runs), jobs folder and job folder fresh per call. */
export function processDriver(prefix: string): JobDriver & { env: NodeJS.ProcessEnv } {
  const dir = scratchDir(prefix);
  const env = { ...process.env, INITSOCK_JOB_MODE: 'process', INITSOCK_JOBS_DIR: join(dir, 'state') };
  return { dir, env, job: (args) => runArgv([process.execPath, fastBin, 'job', ...args], env) };
}
