// Reads unit state from `systemctl --user show` (read-only) and parses it into one property map per unit.
import { InitsockError } from '../../errors.js';
import { describeFailure } from '../../exec/runner.js';
import type { SystemContext } from '../types.js';

/** The properties the installer reads (see systemd.exec(5) / org.freedesktop.systemd1(5)). */
export const SHOW_PROPS = [
  'Id',
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'UnitFileState',
  'NeedDaemonReload',
  'MainPID',
  'ExecMainStartTimestampMonotonic',
  'ExecMainExitTimestampMonotonic',
  'ExecMainCode',
  'ExecMainStatus',
  'NRestarts',
  'Listen',
  'FragmentPath',
];

export type UnitProps = Record<string, string>;

/** The state of NAME.socket and NAME.service. */
export interface UnitPair {
  socket: UnitProps;
  service: UnitProps;
}

/** `systemctl --user ARGS...` as an argv. */
export const systemctl = (...args: string[]): string[] => ['systemctl', '--user', ...args];

/** Splits `show` output (blocks separated by a blank line, KEY=VALUE lines) into maps, keyed by Id. */
export function parseShow(output: string): Map<string, UnitProps> {
  const units = new Map<string, UnitProps>();
  for (const block of output.split(/\n\s*\n/)) {
    const props: UnitProps = {};
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) props[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (props.Id) units.set(props.Id, props);
  }
  return units;
}

/** Runs `systemctl --user show` for the service's socket and service units. Throws COMMAND_FAILED when it cannot. */
export async function showUnits(name: string, ctx: SystemContext): Promise<UnitPair> {
  const argv = systemctl('show', `${name}.socket`, `${name}.service`, `--property=${SHOW_PROPS.join(',')}`);
  const res = await ctx.run(argv, { env: ctx.env });
  if (res.code !== 0) {
    throw new InitsockError(
      'COMMAND_FAILED',
      `cannot read the state of ${name}: ${describeFailure(res)}. Check that \`systemctl --user status\` works in this shell.`,
      { details: { argv, code: res.code } },
    );
  }
  const units = parseShow(res.stdout);
  const empty = (id: string): UnitProps => ({ Id: id, LoadState: 'not-found', ActiveState: 'inactive' });
  return {
    socket: units.get(`${name}.socket`) ?? empty(`${name}.socket`),
    service: units.get(`${name}.service`) ?? empty(`${name}.service`),
  };
}

/** True when systemd has the unit loaded from a file (not "not-found"). */
export const isLoaded = (u: UnitProps): boolean => u.LoadState === 'loaded';
/** True when the unit is up or on its way up/down (it holds resources). */
export const isActive = (u: UnitProps): boolean =>
  ['active', 'activating', 'reloading', 'deactivating'].includes(u.ActiveState ?? '');
export const isFailed = (u: UnitProps): boolean => u.ActiveState === 'failed';
export const isEnabled = (u: UnitProps): boolean =>
  ['enabled', 'enabled-runtime', 'linked', 'linked-runtime'].includes(u.UnitFileState ?? '');

/** Host and port from the socket's Listen= property ("127.0.0.1:37777 (Stream)", "[::1]:37777 (Stream)"). */
export function parseListen(listen: string | undefined): { host: string; port: number } | null {
  const m = /^\[?([^\]\s]*?)\]?:(\d+) \(Stream\)/.exec(listen ?? '');
  return m ? { host: m[1] as string, port: Number(m[2]) } : null;
}
