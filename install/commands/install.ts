// `install-service install`: preflight, validate and plan, then apply with rollback (or print the plan for --dry-run).
import { InitsockError } from '../../src/errors.js';
import { nativeInitKind } from '../../src/service/detect.js';
import type { FileState, InitSystem, PreflightResult, SystemContext } from '../../src/service/types.js';
import { applyPlan } from '../apply.js';
import type { Settings } from '../config.js';
import { hostPort, initFor, stepContext, systemContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { formatPlan, planJson } from '../print-plan.js';
import { settingsView } from '../record-steps.js';
import { upgradeLine } from '../upgrade.js';
import { prepareInstall, withVerify } from './prepare.js';

/** install/uninstall/repair change the running system, so they need the init system of this machine. */
export function assertNative(s: Settings, deps: CliDeps): void {
  const native = nativeInitKind(deps.platform);
  if (s.init !== native && !s.dryRun) {
    throw new InitsockError(
      'BAD_USAGE',
      `--init ${s.init} cannot ${s.command} here: this machine uses ${native}. ` +
        `Use \`install-service print --init ${s.init}\` to see the files and commands for ${s.init}.`,
    );
  }
}

/** This machine's init system for a command that changes it: the native check, then the init system's preflight. */
export async function openNativeInit(
  s: Settings,
  deps: CliDeps,
): Promise<{ init: InitSystem; ctx: SystemContext; pre: PreflightResult }> {
  assertNative(s, deps);
  const init = initFor(s.init, deps);
  const ctx = systemContext(deps);
  return { init, ctx, pre: await init.preflight(ctx) };
}

export async function installCommand(s: Settings, deps: CliDeps): Promise<number> {
  const { init, ctx, pre } = await openNativeInit(s, deps);
  const warnings = [...s.warnings, ...(s.linger ? [] : pre.warnings)];
  for (const w of warnings) deps.err(`warning: ${w}\n`);
  const prepared = await prepareInstall(init, s, ctx, deps.takeoverGraceMs ?? 5000);
  const plan = withVerify(prepared, s, init);
  const unchanged = prepared.plan.steps.length === 0;
  const unrecorded = unrecordedWarning(s, prepared.files);
  if (unrecorded) {
    warnings.push(unrecorded);
    deps.err(`warning: ${unrecorded}\n`);
  }
  if (s.dryRun) {
    const view = settingsView(s, prepared.files);
    deps.out(
      s.json
        ? `${JSON.stringify({ dryRun: true, ...planJson(prepared.files, plan, view) }, null, 2)}\n`
        : formatPlan(`dry run: install ${s.cfg.name} (${init.kind}); nothing is changed`, prepared.files, plan, view),
    );
    return 0;
  }
  if (!s.json)
    deps.err(
      unchanged
        ? `${s.cfg.name}: already installed, checking it answers\n`
        : `installing ${s.cfg.name} (${init.kind}):\n`,
    );
  const applied = await applyPlan(plan, stepContext(deps, s.json));
  const upgrade = [upgradeLine(prepared.stale)].filter((l): l is string => l !== null);
  const settings = s.record ? settingsView(s, prepared.files).changes.map((c) => `setting ${c}`) : [];
  report(s, deps, {
    changed: !unchanged,
    done: applied.done.slice(0, prepared.plan.steps.length),
    notes: [...upgrade, ...settings, ...(prepared.plan.notes ?? [])],
    warnings,
  });
  return 0;
}

/**
 * Units of an earlier initsock that kept no settings record: this run cannot start from what is installed, so a
 * rewrite may drop options given back then. Said before anything changes, with how to see and keep them.
 */
function unrecordedWarning(s: Settings, files: FileState[]): string | null {
  const rewritten = files.filter((f) => f.current !== null && f.current.content !== f.file.content);
  if (s.record !== null || rewritten.length === 0) return null;
  return (
    `${s.cfg.name} was installed without a settings record (by an earlier initsock), so this run starts from the ` +
    `defaults and the flags given, not from what is installed. Compare with \`install-service print --name ${s.cfg.name}\` ` +
    'and pass the original options again (--app, --env, --port...) if they are missing; from now on they are remembered.'
  );
}

interface Outcome {
  changed: boolean;
  done: string[];
  notes: string[];
  warnings: string[];
}

function report(s: Settings, deps: CliDeps, o: Outcome): void {
  const { name } = s.cfg;
  if (s.json) {
    deps.out(
      `${JSON.stringify({ name, init: s.init, host: s.cfg.host, port: s.cfg.port, changed: o.changed, steps: o.done, notes: o.notes, warnings: o.warnings }, null, 2)}\n`,
    );
    return;
  }
  if (!o.changed) {
    deps.out(`${name}: already installed, nothing changed; the worker answers on ${hostPort(s.cfg)}.\n`);
    return;
  }
  const who =
    s.cfg.program === undefined
      ? 'the worker'
      : s.cfg.program.mode === 'proxy'
        ? 'the worker (in front of your program)'
        : 'your program';
  const lines = [
    `${name}: installed; ${who} answers on ${hostPort(s.cfg)} and starts on the first connection.`,
    ...o.notes.map((n) => `  ${n}`),
    'changed:',
    ...o.done.map((d) => `  - ${d}`),
    `status: install-service status --name ${name}    remove: install-service uninstall --name ${name}`,
  ];
  deps.out(`${lines.join('\n')}\n`);
}
