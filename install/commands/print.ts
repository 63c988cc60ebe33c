// `install-service print`: every file (path, mode, full content) and every command install would run; touches nothing.
import { nativeInitKind } from '../../src/service/detect.js';
import { assertOurs } from '../../src/service/ownership.js';
import type { InitSystem, Plan, Step, SystemContext } from '../../src/service/types.js';
import type { Settings } from '../config.js';
import { initFor, systemContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { formatPlan, planJson } from '../print-plan.js';
import { settingsView } from '../record-steps.js';
import { replaceSteps, runningHealth, staleness } from '../upgrade.js';
import { fileStates, planWithDirs, withVerify } from './prepare.js';

/** The real context when this machine's manager can answer, else a pristine one. */
async function planningContext(s: Settings, deps: CliDeps): Promise<{ ctx: SystemContext; live: boolean }> {
  const ctx = systemContext(deps);
  if (s.init === nativeInitKind(deps.platform)) {
    try {
      await initFor(s.init, deps).preflight(ctx);
      return { ctx, live: true };
    } catch {
      /* no usable manager here: plan as on a fresh machine */
    }
  }
  return { ctx: { ...ctx, run: initFor(s.init, deps).pristine }, live: false };
}

/** The steps that replace an out-of-date running worker, as install would add them (see install/upgrade.ts). */
async function upgradeSteps(init: InitSystem, s: Settings, plan: Plan, ctx: SystemContext): Promise<Step[]> {
  const health = await runningHealth(s.cfg, await init.status(s.cfg, ctx));
  return replaceSteps(init, s.cfg, plan, health ? staleness(s.cfg, health, Date.now()) : null, ctx);
}

export async function printCommand(s: Settings, deps: CliDeps): Promise<number> {
  const init = initFor(s.init, deps);
  for (const w of s.warnings) deps.err(`warning: ${w}\n`);
  const { ctx, live } = await planningContext(s, deps);
  if (live) await assertOurs(init, s.cfg, ctx, 'install'); // the plan install would refuse is no plan to show
  const files = live ? fileStates(init, s, ctx) : init.render(s.cfg, ctx).map((file) => ({ file, current: null }));
  const base = await planWithDirs(init, s, files, ctx);
  const replace = live ? await upgradeSteps(init, s, base, ctx) : [];
  const plan = withVerify({ files, plan: { ...base, steps: [...base.steps, ...replace] }, stale: null }, s);
  const title = `install-service plan for ${s.cfg.name} (${init.kind}${live ? ', against this machine' : ', as a fresh install'}); nothing is changed`;
  const view = settingsView(s, files);
  deps.out(
    s.json
      ? `${JSON.stringify({ init: init.kind, live, ...planJson(files, plan, view) }, null, 2)}\n`
      : formatPlan(title, files, plan, view),
  );
  return 0;
}
