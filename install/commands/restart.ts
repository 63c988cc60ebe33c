// `install-service restart`: replaces the running worker through the socket (it keeps queueing connections), then checks /health.
import { InitsockError } from '../../src/errors.js';
import { assertOurs } from '../../src/service/ownership.js';
import type { InitSystem, Plan, ServiceConfig, ServiceStatus, SystemContext } from '../../src/service/types.js';
import { applyPlan } from '../apply.js';
import type { Settings } from '../config.js';
import { hostPort, stepContext, verifyStep } from '../context.js';
import type { CliDeps } from '../deps.js';
import { formatPlan, planJson } from '../print-plan.js';
import { openNativeInit } from './install.js';

/** The steps that replace a running worker (none when none runs: the next connection starts a fresh one anyway). */
export async function restartPlan(
  init: InitSystem,
  cfg: ServiceConfig,
  st: ServiceStatus,
  ctx: SystemContext,
): Promise<Plan> {
  if (st.state !== 'running' || !init.planRestart) return { steps: [] };
  return init.planRestart(cfg, ctx);
}

/** Refuses what restart cannot fix: nothing installed (exit 2), or a failed service, which repair brings back. */
function assertRestartable(s: Settings, st: ServiceStatus): void {
  if (st.state === 'not-installed') {
    throw new InitsockError(
      'BAD_USAGE',
      `nothing to restart: ${s.cfg.name} is not installed. Install it with \`install-service install --name ${s.cfg.name}\`.`,
    );
  }
  if (st.state === 'failed') {
    throw new InitsockError(
      'COMMAND_FAILED',
      `${s.cfg.name} cannot be restarted: ${st.reason ?? 'it failed'}. ` +
        `Bring it back with \`${st.fix ?? `install-service repair --name ${s.cfg.name}`}\`.`,
    );
  }
}

export async function restartCommand(s: Settings, deps: CliDeps): Promise<number> {
  const { init, ctx } = await openNativeInit(s, deps);
  await assertOurs(init, s.cfg, ctx, 'restart');
  const before = await init.status(s.cfg, ctx);
  assertRestartable(s, before);
  const at = { ...s.cfg, host: before.host ?? s.cfg.host, port: before.port ?? s.cfg.port };
  const plan = await restartPlan(init, s.cfg, before, ctx);
  const full = plan.steps.length ? { ...plan, steps: [...plan.steps, verifyStep(at, init)] } : plan;
  if (s.dryRun) {
    deps.out(
      s.json
        ? `${JSON.stringify({ dryRun: true, ...planJson([], full) }, null, 2)}\n`
        : formatPlan(`dry run: restart ${s.cfg.name} (${init.kind}); nothing is changed`, [], full),
    );
    return 0;
  }
  await applyPlan(full, stepContext(deps, s.json));
  // The manager's pid, not /health's: a program run with --exec has its own health route, or none with a pid.
  const pid = full.steps.length ? (await init.status(s.cfg, ctx)).pid : null;
  if (s.json)
    deps.out(
      `${JSON.stringify({ name: s.cfg.name, init: init.kind, restarted: pid !== null, before: before.pid, after: pid }, null, 2)}\n`,
    );
  else if (pid === null)
    deps.out(
      `${s.cfg.name}: no worker was running; the next connection on ${hostPort(at)} starts one with the installed settings.\n`,
    );
  else
    deps.out(
      `${s.cfg.name}: restarted; worker pid ${before.pid} → ${pid} on ${hostPort(at)} (the socket queued connections meanwhile).\n`,
    );
  return 0;
}
