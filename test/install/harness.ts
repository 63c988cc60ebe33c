// Runs install-service in-process against a scratch home, a fake filesystem root that has a user manager, and FakeSystemd.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { CliDeps } from '../../install/deps.js';
import { main } from '../../install/main.js';
import { scratchDir } from '../helpers/paths.js';
import { FakeSystemd } from './fake-systemd.js';

export const NAME = 'hw';

/** A root with what the systemd preflight looks for; /proc is the real one (port checks read it). */
export function fakeRoot(dir: string, runtime: string): string {
  mkdirSync(join(dir, 'run/systemd/system'), { recursive: true });
  mkdirSync(join(dir, runtime, 'systemd'), { recursive: true });
  writeFileSync(join(dir, runtime, 'systemd/private'), '');
  symlinkSync('/proc', join(dir, 'proc'));
  return dir;
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export class Harness {
  readonly dir = scratchDir('install');
  readonly home = join(this.dir, 'home');
  readonly unitDir = join(this.home, '.config/systemd/user');
  /** A real folder (the install lock lives in it), mirrored in the fake root for the preflight. */
  readonly runtime = join(this.dir, 'runtime');
  readonly root = fakeRoot(join(this.dir, 'root'), this.runtime);
  readonly fake = new FakeSystemd(this.unitDir, NAME);

  constructor() {
    mkdirSync(this.home);
    mkdirSync(this.runtime, { mode: 0o700 });
  }

  deps(out: string[], err: string[], over: Partial<CliDeps> = {}): CliDeps {
    return {
      run: this.fake.run,
      env: { HOME: this.home, XDG_RUNTIME_DIR: this.runtime, USER: 'tester', PATH: process.env.PATH },
      cwd: this.dir,
      uid: 1000,
      home: this.home,
      root: this.root,
      platform: 'linux',
      execPath: process.execPath,
      out: (t) => {
        out.push(t);
      },
      err: (t) => {
        err.push(t);
      },
      sleep: async () => {},
      ...over,
    };
  }

  /** Runs install-service with `args` (plus --name hw unless given). */
  async cli(args: string[], over: Partial<CliDeps> = {}): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const argv = args.includes('--name') ? args : [...args, '--name', NAME];
    const code = await main(argv, this.deps(out, err, over));
    return { code, out: out.join(''), err: err.join('') };
  }

  /** path → content of every file under the home (and the unit folder's modes), for before/after comparisons. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string): void => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        const st = statSync(p);
        if (st.isDirectory()) {
          out[`${p}/`] = (st.mode & 0o777).toString(8);
          walk(p);
        } else out[p] = `${(st.mode & 0o777).toString(8)} ${readFileSync(p, 'utf8')}`;
      }
    };
    walk(this.home);
    return out;
  }

  unitFiles(): string[] {
    try {
      return readdirSync(this.unitDir).sort();
    } catch {
      return [];
    }
  }

  async cleanup(): Promise<void> {
    await this.fake.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
