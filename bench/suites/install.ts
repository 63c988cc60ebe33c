// Suite 6, install time: `install-service` end to end under the box's real systemd --user, and a no-change re-run.
import { existsSync } from 'node:fs';
import type { BoxLike } from '../lib/box.js';
import { fmt, fmtRatio } from '../lib/format.js';
import type { SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize } from '../lib/stats.js';
import { installCli } from '../lib/variants.js';

async function timed(box: BoxLike, args: string[]): Promise<{ ms: number; code: number; out: string }> {
  const t0 = performance.now();
  const r = await box.exec([process.execPath, installCli, ...args], { env: box.userEnv, timeoutMs: 120_000 });
  return { ms: performance.now() - t0, code: r.code, out: (r.stdout + r.stderr).trim() };
}

/** Install, re-run with the same options, uninstall; `rounds` times. Times include node start-up, as a user sees it. */
export async function installTime(box: BoxLike | string, rounds: number): Promise<SuiteResult> {
  if (typeof box === 'string') return { data: { skipped: box }, rows: [], skipped: box };
  if (!existsSync(installCli)) return { data: {}, rows: [], skipped: `${installCli} is not built yet` };
  const args = ['--name', 'bench-install', '--port', '42000'];
  const first: number[] = [];
  const again: number[] = [];
  const failures: string[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const a = await timed(box, ['install', ...args]);
    const b = await timed(box, ['install', ...args]);
    const u = await timed(box, ['uninstall', ...args]);
    for (const [what, x] of [
      ['install', a],
      ['re-run', b],
      ['uninstall', u],
    ] as const) {
      if (x.code !== 0) failures.push(`${what} exited ${x.code}: ${x.out.slice(-200)}`);
    }
    first.push(a.ms);
    again.push(b.ms);
  }
  const data = {
    rounds,
    installMs: summarize(first, 0),
    rerunMs: summarize(again, 0),
    rerunVsInstall: pairedRatio(again, first),
    failures,
  };
  return {
    data,
    rows: [
      {
        figure: 'install-service, fresh install end to end',
        value: fmt(data.installMs, 'ms', 0),
        target: 'exit 0',
        met: failures.length === 0,
      },
      {
        figure: 'install-service, no-change re-run',
        value: `${fmt(data.rerunMs, 'ms', 0)}; ${fmtRatio(data.rerunVsInstall)} install`,
      },
    ],
  };
}
