// The user's program a service runs instead of initsock's worker (--exec, --adopt) or behind it (--proxy-port), as command words.
import { formatHealthStatus, WORKER_HEALTH, type HealthCheck } from './health-check.js';

/** The runtimes --adopt has a preload for. */
export type Runtime = 'node' | 'bun' | 'python';

/**
 * - exec: the program takes the inherited socket itself (LISTEN_FDS, `uvicorn --fd 3`, listen({fd: 3})).
 * - adopt: the same, with initsock's preload for its runtime making its own listen(PORT) take the socket.
 * - proxy: initsock's worker owns the socket and runs the program as its child on 127.0.0.1:proxyPort.
 * `argv[0]` is an absolute path, resolved at install time.
 */
export type Program =
  | { mode: 'exec'; argv: string[] }
  | { mode: 'adopt'; argv: string[]; runtime: Runtime }
  | {
      mode: 'proxy';
      argv: string[];
      proxyPort: number /** The child's own idle route (--proxy-idle-path), asked before an idle exit. */;
      idlePath?: string;
    };

export type ProgramMode = Program['mode'];

/** The install-service flag that picks each mode. */
export const MODE_FLAG: Record<ProgramMode, string> = { exec: '--exec', adopt: '--adopt', proxy: '--proxy-port' };

/** True when the service runs the user's program in place of initsock's worker (no initsock flags, no token). */
export const runsProgramAlone = (p: Program | undefined): p is Extract<Program, { mode: 'exec' | 'adopt' }> =>
  p !== undefined && p.mode !== 'proxy';

/** The program's command as [field, word] pairs (the field names the word in error messages). */
export function programWords(p: Program): Array<[string, string]> {
  const [cmd, ...args] = p.argv;
  return [
    [`${MODE_FLAG[p.mode]} command`, cmd ?? ''],
    ...args.map((a): [string, string] => [`${MODE_FLAG[p.mode]} argument`, a]),
  ];
}

/** The worker's proxy flags, last on its command line: --proxy-port N --proxy-health PATH --proxy-health-status LIST -- CMD ARG… */
export function proxyWords(
  p: Extract<Program, { mode: 'proxy' }>,
  health: HealthCheck = WORKER_HEALTH,
): Array<[string, string]> {
  const flag = (name: string, value: string): Array<[string, string]> => [
    [name, name],
    [name, value],
  ];
  return [
    ...flag('--proxy-port', String(p.proxyPort)),
    ...flag('--proxy-health', health.path),
    ...flag('--proxy-health-status', formatHealthStatus(health.statuses)),
    ...(p.idlePath ? flag('--proxy-idle-path', p.idlePath) : []),
    ['--proxy-port', '--'],
    ...programWords(p),
  ];
}
