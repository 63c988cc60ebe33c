// The systemd steps for install, uninstall and repair, each with its undo, decided from what is on disk and loaded now.
import { systemdWords } from './words.js';
import { existsSync } from 'node:fs';
import type { FileState, InstallOptions, Plan, ServiceConfig, Step, SystemContext } from '../types.js';
import { isActive, isEnabled, isFailed, isLoaded, parseListen, showUnits, systemctl, type UnitPair } from './show.js';
import { lingerEnabled } from './preflight.js';

const changed = (f: FileState): boolean =>
  f.current === null || f.current.content !== f.file.content || f.current.mode !== f.file.mode;

const run = (argv: string[], extra: Partial<Extract<Step, { kind: 'run' }>> = {}): Step => ({
  kind: 'run',
  argv,
  fix: systemdWords.afterFailure(argv),
  ...extra,
});

/** `loginctl enable-linger` when asked for and not already on. */
function lingerSteps(ctx: SystemContext, opts: InstallOptions): Step[] {
  if (!opts.linger || lingerEnabled(ctx) === true) return [];
  return [
    run(['loginctl', 'enable-linger'], {
      note: 'keeps your user manager, and the socket, running without a login session',
      undo: [run(['loginctl', 'disable-linger'])],
    }),
  ];
}

/**
 * Starts the socket, or restarts it when its own file changed while it was up, so a changed port takes effect.
 * A change to the service alone does not restart the socket: that would refuse connections for a moment, and the
 * next connection starts the new worker anyway.
 */
function socketSteps(name: string, units: UnitPair, socketChanged: boolean): Step[] {
  const sock = `${name}.socket`;
  const steps: Step[] = [];
  if (isFailed(units.socket) || isFailed(units.service)) {
    steps.push(
      run(systemctl('reset-failed', sock, `${name}.service`), {
        okCodes: [0, 1],
        note: 'clears the failed state left by an earlier run',
      }),
    );
  }
  if (!isEnabled(units.socket)) {
    steps.push(
      run(systemctl('enable', sock), {
        note: 'starts the socket at every login',
        undo: [run(systemctl('disable', sock))],
      }),
    );
  }
  if (!isActive(units.socket)) {
    steps.push(run(systemctl('start', sock), { undo: [run(systemctl('stop', sock, `${name}.service`))] }));
  } else if (socketChanged) {
    steps.push(run(systemctl('restart', sock), { note: 'so the new settings (port, host) take effect' }));
  }
  return steps;
}

/** Converges to `files`: stop the old worker if the config changed, write, daemon-reload, enable, (re)start the socket. */
export async function planSystemdInstall(
  cfg: ServiceConfig,
  files: FileState[],
  ctx: SystemContext,
  opts: InstallOptions,
): Promise<Plan> {
  const units = await showUnits(cfg.name, ctx);
  const dirty = files.some(changed);
  const steps: Step[] = [...lingerSteps(ctx, opts)];
  for (const f of files.filter(changed)) steps.push({ kind: 'write', file: f.file });
  if (dirty || units.socket.NeedDaemonReload === 'yes' || units.service.NeedDaemonReload === 'yes') {
    steps.push(run(systemctl('daemon-reload')));
  }
  // Stopped only once the new files are loaded: a connection that arrives meanwhile (the socket keeps queueing) must
  // start the new worker, not the old definition again. Undone by stopping again, so the old files start the next one.
  if (dirty && isActive(units.service)) {
    const svc = `${cfg.name}.service`;
    steps.push(
      run(systemctl('stop', svc), {
        note: 'the running worker has the old settings; the next connection starts the new one',
        undo: [run(systemctl('stop', svc))],
      }),
    );
  }
  const socketChanged = files.some((f) => f.file.path.endsWith('.socket') && changed(f));
  steps.push(...socketSteps(cfg.name, units, socketChanged && isLoaded(units.socket)));
  return { steps, afterRollback: rollbackTail(cfg.name, units), notes: moveNote(units, cfg) };
}

/** After the old files are back: reload, and bring the old socket back up (or leave nothing running on a fresh install). */
function rollbackTail(name: string, units: UnitPair): Step[] {
  // The failed state the new worker left would make status say FAILED about the restored, healthy service.
  const tail = [
    run(systemctl('daemon-reload')),
    run(systemctl('reset-failed', `${name}.socket`, `${name}.service`), {
      okCodes: [0, 1, 5],
      note: 'forgets the failure of the rolled-back worker',
    }),
  ];
  if (isActive(units.socket))
    tail.push(run(systemctl('restart', `${name}.socket`), { note: 'the previous socket, with the previous settings' }));
  return tail;
}

function moveNote(units: UnitPair, cfg: ServiceConfig): string[] {
  const old = parseListen(units.socket.Listen);
  if (!old || !isActive(units.socket) || (old.port === cfg.port && old.host === cfg.host)) return [];
  return [`the socket moved from ${old.host}:${old.port} to ${cfg.host}:${cfg.port}`];
}

/** Stop, disable, remove the files, reload. Safe to run twice: steps are only planned for what exists. */
export async function planSystemdUninstall(cfg: ServiceConfig, paths: string[], ctx: SystemContext): Promise<Plan> {
  const units = await showUnits(cfg.name, ctx);
  const sock = `${cfg.name}.socket`;
  const svc = `${cfg.name}.service`;
  const steps: Step[] = [];
  if (isActive(units.socket) || isActive(units.service)) {
    steps.push(run(systemctl('stop', sock, svc)));
  }
  if (isEnabled(units.socket)) steps.push(run(systemctl('disable', sock), { undo: [run(systemctl('enable', sock))] }));
  const present = paths.filter((p) => existsSync(p));
  for (const path of present) steps.push({ kind: 'remove', path });
  if (present.length > 0 || isLoaded(units.socket) || isLoaded(units.service))
    steps.push(run(systemctl('daemon-reload')));
  if (isFailed(units.socket) || isFailed(units.service)) {
    steps.push(
      run(systemctl('reset-failed', sock, svc), {
        okCodes: [0, 1, 5],
        note: 'forgets the failed state of the removed units',
      }),
    );
  }
  // The old socket can only start again once its files are back and reloaded, hence after the undos.
  const tail = [run(systemctl('daemon-reload'))];
  if (isActive(units.socket)) tail.push(run(systemctl('start', sock)));
  return { steps, afterRollback: tail };
}

/** Brings a failed socket back: reset-failed (clears start/trigger limits), then restart the socket. */
export async function planSystemdRepair(cfg: ServiceConfig, ctx: SystemContext): Promise<Plan> {
  const units = await showUnits(cfg.name, ctx);
  const sock = `${cfg.name}.socket`;
  if (!isLoaded(units.socket)) return { steps: [] };
  return {
    steps: [
      run(systemctl('reset-failed', sock, `${cfg.name}.service`), {
        okCodes: [0, 1],
        note: 'clears the failed state and the start limits',
      }),
      run(systemctl('restart', sock)),
    ],
  };
}

/** Replaces a running worker: stop the service; the socket starts a fresh one on the next connection. */
export function planSystemdRestart(cfg: ServiceConfig): Plan {
  return {
    steps: [
      run(systemctl('stop', `${cfg.name}.service`), {
        note: 'the running worker has old settings; the next connection starts a fresh one',
      }),
    ],
  };
}
