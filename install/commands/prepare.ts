// Validates and plans an install without touching anything: render, read the current files, check the port, plan.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InitsockError } from '../../src/errors.js';
import { readSnapshot } from '../../src/exec/atomic-write.js';
import { assertSafeToWrite } from '../../src/security/safe-path.js';
import { assertOurs } from '../../src/service/ownership.js';
import type { FileState, InitSystem, Plan, Step, SystemContext } from '../../src/service/types.js';
import type { Settings } from '../config.js';
import { verifyStep } from '../context.js';
import { guardVerifySteps } from '../guard-verify.js';
import { portSteps } from '../port-check.js';
import { replaceSteps, runningHealth, staleness, type Staleness } from '../upgrade.js';
import { assertNoHandEdits, recordSteps } from '../record-steps.js';
import { tokenSteps } from '../token-steps.js';

/** Throws INVALID_VALUE unless `dir`, or its nearest existing ancestor, is a writable folder. */
export function assertWritableDir(dir: string, what: string): void {
  let d = dir;
  for (; ; d = dirname(d)) {
    try {
      statSync(d);
      break;
    } catch {
      if (dirname(d) === d) break;
    }
  }
  const isDir = (() => {
    try {
      return statSync(d).isDirectory();
    } catch {
      return false;
    }
  })();
  let writable = isDir;
  try {
    accessSync(d, constants.W_OK | constants.X_OK);
  } catch {
    writable = false;
  }
  if (!writable) {
    throw new InitsockError(
      'INVALID_VALUE',
      `the ${what} ${dir} cannot be written: ${d === dir ? 'it' : `its parent ${d}`} ` +
        `${isDir ? 'is not writable by you' : 'is not a folder'}. Fix its ownership or permissions (e.g. chown -R $USER ${d}), then run again.`,
      { details: { path: dir } },
    );
  }
}

/** Renders the service's files and pairs each with what is on disk now (refusing symlinks). */
export function fileStates(init: InitSystem, s: Settings, ctx: SystemContext): FileState[] {
  const rendered = init.render(s.cfg, ctx);
  return rendered.map((file) => {
    assertSafeToWrite(file.path); // refused here (exit 2, nothing changed) rather than half-way through
    return { file, current: readSnapshot(file.path) };
  });
}

/**
 * The token step when the token is missing or unusable, followed by a restart of a running worker, which read the old
 * token at start-up. Nothing when the token is fine.
 */
export async function tokenPlan(init: InitSystem, s: Settings, ctx: SystemContext): Promise<Step[]> {
  const token = tokenSteps(s.cfg.tokenFile);
  if (token.length === 0 || !init.planRestart || (await init.status(s.cfg, ctx)).state !== 'running') return token;
  return [...token, ...(await init.planRestart(s.cfg, ctx)).steps];
}

/**
 * The platform's install plan, preceded by the token step (when the token is missing) and by mkdir steps for the
 * service's folders that do not exist yet and that the platform does not create itself (0700: private; the undo removes
 * only what was created). Used by install and print, so both show the same steps.
 */
export async function planWithDirs(
  init: InitSystem,
  s: Settings,
  files: FileState[],
  ctx: SystemContext,
): Promise<Plan> {
  const plan = await init.planInstall(s.cfg, files, ctx, { linger: s.linger });
  const token = await tokenPlan(init, s, ctx);
  const record = recordSteps(s, files);
  if (plan.steps.length === 0) return { ...plan, steps: [...token, ...record] };
  const where = init.locations(s.cfg, ctx);
  const planned = new Set(plan.steps.flatMap((st) => (st.kind === 'mkdir' ? [st.path] : [])));
  const dirs = [where.dir, ...where.dirs]
    .filter((d) => !planned.has(d) && !existsSync(d))
    .map((path): Step => ({ kind: 'mkdir', path, mode: 0o700 }));
  return { ...plan, steps: [...token, ...dirs, ...plan.steps, ...record] };
}

export interface Prepared {
  files: FileState[];
  plan: Plan;
  /** The running worker against what is installed (null when none runs or it is not initsock's worker). */
  stale: Staleness | null;
}

/**
 * Everything install checks before it changes anything: the folder is writable, the files render, the port is
 * free (or ours, or taken over), then the platform's plan, with the takeover first and the health check last.
 */
export async function prepareInstall(
  init: InitSystem,
  s: Settings,
  ctx: SystemContext,
  graceMs: number,
): Promise<Prepared> {
  const where = init.locations(s.cfg, ctx);
  assertWritableDir(where.dir, init.words.folder);
  const files = fileStates(init, s, ctx); // refuses a symlinked unit first, with its own fix
  await init.checkRuntime?.(s.cfg, ctx);
  await assertOurs(init, s.cfg, ctx, 'install');
  assertNoHandEdits(s, files);
  const status = await init.status(s.cfg, ctx);
  const takeover = await portSteps(s.cfg, status, ctx, { takeover: s.takeover, graceMs, init });
  const plan = await planWithDirs(init, s, files, ctx);
  const health = await runningHealth(s.cfg, status);
  const stale = health ? staleness(s.cfg, health, Date.now()) : null;
  const replace = await replaceSteps(init, s.cfg, plan, stale, ctx);
  return { files, stale, plan: { ...plan, steps: [...takeover, ...plan.steps, ...replace] } };
}

/** The steps install runs: the plan, then the health and guard checks (also when nothing changed: they are read-only). */
export function withVerify(prepared: Prepared, s: Settings, init?: InitSystem): Plan {
  return { ...prepared.plan, steps: [...prepared.plan.steps, verifyStep(s.cfg, init), ...guardVerifySteps(s.cfg)] };
}
