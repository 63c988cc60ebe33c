// `install-service repair`: brings a failed socket back (reset-failed, restart the socket), then checks /health.
import { InitsockError } from '../../src/errors.js';
import { assertOurs } from '../../src/service/ownership.js';
import { applyPlan } from '../apply.js';
import type { Settings } from '../config.js';
import { stepContext, verifyStep } from '../context.js';
import type { CliDeps } from '../deps.js';
import { formatPlan, planJson } from '../print-plan.js';
import { openNativeInit } from './install.js';
import { tokenPlan } from './prepare.js';

export async function repairCommand(s: Settings, deps: CliDeps): Promise<number> {
  const { init, ctx } = await openNativeInit(s, deps);
  await assertOurs(init, s.cfg, ctx, 'repair');
  const before = await init.status(s.cfg, ctx);
  if (before.state === 'not-installed') {
    throw new InitsockError(
      'BAD_USAGE',
      `nothing to repair: ${s.cfg.name} is not installed. Install it with \`install-service install --name ${s.cfg.name}\`.`,
    );
  }
  if (before.incomplete) {
    throw new InitsockError(
      'BAD_USAGE',
      `cannot repair ${s.cfg.name}: ${before.reason}. Repair restarts an installed service; ` +
        `this one is not fully installed. Run ${before.fix ?? 'install-service install'} instead.`,
    );
  }
  // Verify where the installed socket listens, which may differ from this run's --port default.
  const at = { ...s.cfg, host: before.host ?? s.cfg.host, port: before.port ?? s.cfg.port };
  // A healthy socket is left alone (restarting it would refuse connections for a moment and stop the worker);
  // a missing or unusable token is recreated either way (the client's error messages point here).
  const plan =
    before.state === 'failed' || before.state === 'stopped' ? await init.planRepair(s.cfg, ctx) : { steps: [] };
  const full = { ...plan, steps: [...(await tokenPlan(init, s, ctx)), ...plan.steps, verifyStep(at, init)] };
  if (s.dryRun) {
    deps.out(
      s.json
        ? `${JSON.stringify({ dryRun: true, ...planJson([], full) }, null, 2)}\n`
        : formatPlan(`dry run: repair ${s.cfg.name} (${init.kind}); nothing is changed`, [], full),
    );
    return 0;
  }
  const applied = await applyPlan(full, stepContext(deps, s.json));
  const after = await init.status(s.cfg, ctx);
  if (s.json)
    deps.out(
      `${JSON.stringify({ name: s.cfg.name, init: init.kind, before: before.state, after: after.state, steps: applied.done }, null, 2)}\n`,
    );
  else if (applied.done.length === 1)
    deps.out(`${s.cfg.name}: nothing to repair; it is ${before.state} and answers /health.\n`);
  else
    deps.out(
      `${s.cfg.name}: repaired (was ${before.state}${before.reason ? `: ${before.reason}` : ''}); now ${after.state}.\n`,
    );
  return 0;
}
