// The worker's own last error line from the journal (priority err), quoted when a service fails so the reason is on screen.
import type { CommandResult } from '../../exec/runner.js';
import type { SystemContext } from '../types.js';
import { systemctl } from './show.js';

const firstLine = (r: CommandResult): string | null =>
  r.code === 0
    ? (r.stdout
        .split('\n')
        .map((l) => l.trim())
        .find(Boolean) ?? null)
    : null;

/**
 * The newest err-priority line the service logged since `sinceSec` (Unix seconds). `journalctl --user -u` finds it
 * under user@UID.service; a user manager started some other way (a container, a test box) tags its units' lines with
 * their cgroup only, so that is the second query.
 */
export async function lastErrorLine(name: string, ctx: SystemContext, sinceSec: number): Promise<string | null> {
  const query = ['-p', 'err', '-n', '1', '-o', 'cat', '--no-pager', `--since=@${sinceSec}`];
  const run = (argv: string[]): Promise<CommandResult> => ctx.run(argv, { env: ctx.env });
  const direct = firstLine(await run(['journalctl', '--user', '-u', `${name}.service`, ...query]));
  if (direct) return direct;
  const manager = /^ControlGroup=(\S+)/m.exec((await run(systemctl('show', '-p', 'ControlGroup'))).stdout)?.[1];
  const slice =
    /^Slice=(\S+)/m.exec((await run(systemctl('show', `${name}.service`, '-p', 'Slice'))).stdout)?.[1] ?? 'app.slice';
  if (!manager) return null;
  return firstLine(await run(['journalctl', `_SYSTEMD_CGROUP=${manager}/${slice}/${name}.service`, ...query]));
}

/** `reason`, followed by the worker's last error line logged since `sinceSec`, when there is one. */
export async function withLastError(
  reason: string,
  name: string,
  ctx: SystemContext,
  sinceSec: number,
): Promise<string> {
  const line = await lastErrorLine(name, ctx, sinceSec).catch(() => null); // no journal to ask: the reason alone
  return line ? `${reason}; the worker's last error: ${JSON.stringify(line)}` : reason;
}
