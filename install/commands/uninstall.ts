// `install-service uninstall`: stop, disable, remove the files, reload, then check the port is free. Safe to run twice.
import { InitsockError } from '../../src/errors.js';
import { assertOurs } from '../../src/service/ownership.js';
import { describeOwner } from '../../src/service/port-owner.js';
import { portHolders } from '../../src/service/port-holders.js';
import type { StepContext } from '../../src/service/types.js';
import { applyPlan } from '../apply.js';
import type { Settings } from '../config.js';
import { stepContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { formatPlan, planJson } from '../print-plan.js';
import { removeRecordSteps } from '../record-steps.js';
import { removeTokenSteps } from '../token-steps.js';
import { waitPortFree } from '../port-check.js';
import { openNativeInit } from './install.js';

/** Waits (bounded) for the port to close: the manager closes the socket when it stops the unit. */
async function assertPortFree(host: string, port: number, ctx: StepContext): Promise<void> {
  if (await waitPortFree(host, port, 5000, ctx)) return;
  const owners =
    (await portHolders(port, host, ctx)).owners.map(describeOwner).join(', ') || 'a process of another user';
  throw new InitsockError(
    'PORT_IN_USE',
    `the service was removed, but port ${port} is still in use by ${owners}. ` +
      'If that is a leftover worker, stop it (kill <pid>); otherwise it is another program, and nothing of ours remains.',
    { details: { port } },
  );
}

/** The report of a finished uninstall: what was removed, then what stays on purpose. */
function uninstalledText(name: string, port: number | null, done: string[], kept: string[]): string {
  const lines = [
    `${name}: uninstalled${port !== null ? `; port ${port} is free` : ''}.`,
    ...done.map((d) => `  - ${d}`),
    ...(kept.length ? ['left in place on purpose:', ...kept.map((k) => `  - ${k}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

export async function uninstallCommand(s: Settings, deps: CliDeps): Promise<number> {
  const { init, ctx } = await openNativeInit(s, deps);
  await assertOurs(init, s.cfg, ctx, 'uninstall');
  const before = await init.status(s.cfg, ctx);
  const platform = await init.planUninstall(s.cfg, ctx);
  const plan = {
    ...platform,
    steps: [...platform.steps, ...removeRecordSteps(s.recordPath), ...removeTokenSteps(s.tokenPath)],
  };
  if (s.dryRun) {
    deps.out(
      s.json
        ? `${JSON.stringify({ dryRun: true, ...planJson([], plan) }, null, 2)}\n`
        : formatPlan(`dry run: uninstall ${s.cfg.name} (${init.kind}); nothing is changed`, [], plan),
    );
    return 0;
  }
  const sctx = stepContext(deps, s.json);
  const applied = await applyPlan(plan, sctx);
  if (before.port !== null && before.state !== 'not-installed')
    await assertPortFree(before.host ?? s.cfg.host, before.port, sctx);
  const removed = applied.done.length > 0;
  const kept = removed ? (init.leftBehind?.(s.cfg, ctx) ?? []) : [];
  if (s.json)
    deps.out(
      `${JSON.stringify({ name: s.cfg.name, init: init.kind, changed: removed, steps: applied.done, leftBehind: kept }, null, 2)}\n`,
    );
  else if (!removed) deps.out(`${s.cfg.name}: not installed, nothing to do.\n`);
  else deps.out(uninstalledText(s.cfg.name, before.port, applied.done, kept));
  return 0;
}
