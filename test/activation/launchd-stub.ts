// Builds the launch_activate_socket C stub (test/fixtures/launchd/stub.c) into a scratch shared library.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fixturesDir } from '../helpers/paths.js';

export const stubSource = join(fixturesDir, 'launchd', 'stub.c');

/** True when gcc is on PATH; tests that need the stub skip with a reason otherwise. */
export function haveGcc(): boolean {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles the stub to `<dir>/<file>`. Each path is a separate dlopen() handle with its own "already
 * activated" state, so a test that needs a fresh launchd builds its own copy.
 */
export function buildStub(dir: string, file = 'libstub.so'): string {
  const out = join(dir, file);
  execFileSync('gcc', ['-shared', '-fPIC', '-Wall', '-Werror', '-o', out, stubSource], { stdio: 'pipe' });
  return out;
}

/** The environment variables the stub reads. */
export type StubMode = 'one' | 'two' | 'enoent' | 'esrch' | 'ealready' | 'eperm';

/** Sets the stub's behaviour for the next launch_activate_socket call in this process. */
export function setStubMode(mode: StubMode, name = 'Listeners'): void {
  process.env.INITSOCK_STUB_MODE = mode;
  process.env.INITSOCK_STUB_NAME = name;
  process.env.INITSOCK_STUB_PORT = '0';
}
