// install-service as a macOS user would run it (platform darwin, uid 501), with launchctl answered by the emulator.
import { setTimeout as delay } from 'node:timers/promises';
import type { CliDeps } from '../../../install/deps.js';
import { main } from '../../../install/main.js';
import type { LaunchdEmulator } from './emulator.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the real CLI with `args` in `home`; `extra` overrides deps (e.g. `stream` to record what logs runs). */
export async function macCli(
  emu: LaunchdEmulator,
  home: string,
  args: string[],
  extra: Partial<CliDeps> = {},
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const deps: CliDeps = {
    run: emu.run,
    env: { HOME: home, PATH: process.env.PATH },
    cwd: home,
    uid: 501,
    home,
    root: '/',
    platform: 'darwin',
    execPath: process.execPath,
    out: (t) => {
      out.push(t);
    },
    err: (t) => {
      err.push(t);
    },
    sleep: (ms) => delay(ms),
    ...extra,
  };
  const code = await main(args, deps);
  return { code, out: out.join(''), err: err.join('') };
}
