// Checks that a usable systemd user manager exists for this user (else NO_INIT_SYSTEM), and whether lingering is on.
import { sudoForAnotherUser } from '../sudo.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InitsockError } from '../../errors.js';
import type { PreflightResult, SystemContext } from '../types.js';

const at = (ctx: SystemContext, path: string): string => join(ctx.root ?? '/', path);
const exists = (ctx: SystemContext, path: string): boolean => existsSync(at(ctx, path));

function noInit(why: string, next: string): InitsockError {
  return new InitsockError('NO_INIT_SYSTEM', `cannot use the systemd user manager: ${why}. ${next}`);
}

/** True under WSL (the kernel release names Microsoft). */
function isWsl(ctx: SystemContext): boolean {
  try {
    return /microsoft|wsl/i.test(readFileSync(at(ctx, 'proc/sys/kernel/osrelease'), 'utf8'));
  } catch {
    return false;
  }
}

/** True inside a container runtime (docker, podman, or one that sets $container as systemd expects). */
function isContainer(ctx: SystemContext): boolean {
  return Boolean(ctx.env.container) || exists(ctx, '.dockerenv') || exists(ctx, 'run/.containerenv');
}

/** Throws when systemd is not PID 1, naming the environment (WSL, container) when we can tell. */
function checkSystemdBooted(ctx: SystemContext): void {
  // sd_booted(3): systemd creates /run/systemd/system at boot; nothing else does.
  if (exists(ctx, 'run/systemd/system')) return;
  if (isWsl(ctx)) {
    throw noInit(
      'this is WSL without systemd',
      'Add "[boot]\\nsystemd=true" to /etc/wsl.conf, run `wsl --shutdown` from Windows, reopen the shell and run again.',
    );
  }
  if (isContainer(ctx)) {
    throw noInit(
      'this is a container whose init is not systemd',
      "Run the worker with `initsock-worker --listen 127.0.0.1:PORT` under the container's own supervisor, or use the fallback client (no install needed).",
    );
  }
  throw noInit(
    'systemd is not the init system here (no /run/systemd/system)',
    'Use the fallback client, which needs no init system, or run on a systemd host.',
  );
}

/** Throws when the user manager cannot be reached from this shell. */
function checkUserManager(ctx: SystemContext): void {
  const sudoUser = sudoForAnotherUser(ctx);
  if (sudoUser !== null) {
    throw noInit(
      `running under sudo as root for ${sudoUser}, but user units belong to the user who runs them`,
      `Run install-service as ${sudoUser} without sudo.`,
    );
  }
  const runtime = ctx.env.XDG_RUNTIME_DIR;
  if (!runtime) {
    throw noInit(
      'XDG_RUNTIME_DIR is not set, so this shell has no login session (su and some ssh setups do this)',
      `Log in with a real session (ssh user@host or a desktop login), or export XDG_RUNTIME_DIR=/run/user/${ctx.uid} if your manager runs there.`,
    );
  }
  if (!exists(ctx, join(runtime, 'systemd/private'))) {
    throw noInit(
      `no user manager is running for uid ${ctx.uid} (${join(runtime, 'systemd/private')} is missing)`,
      `Log in again with a real session, or ask an administrator to run \`loginctl enable-linger ${ctx.env.USER ?? ctx.uid}\`.`,
    );
  }
}

/** Whether lingering is on for the user: /var/lib/systemd/linger/<user> exists (what logind checks). */
export function lingerEnabled(ctx: SystemContext): boolean | undefined {
  const user = ctx.env.USER ?? ctx.env.LOGNAME;
  return user ? exists(ctx, join('var/lib/systemd/linger', user)) : undefined;
}

/** The systemd preflight: throws NO_INIT_SYSTEM (exit 3) with what to do; warns when lingering is off. */
export async function systemdPreflight(ctx: SystemContext): Promise<PreflightResult> {
  checkSystemdBooted(ctx);
  checkUserManager(ctx);
  const linger = lingerEnabled(ctx);
  const warnings =
    linger === false
      ? [
          'lingering is off: your user manager, and this socket with it, stops when your last session ends and starts again at your next login. Pass --linger to keep it listening from boot (runs `loginctl enable-linger`).',
        ]
      : [];
  return linger === undefined ? { warnings } : { warnings, linger };
}
