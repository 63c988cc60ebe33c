// The program options (--exec, --adopt, --proxy-port with the command after --, --health-path, --health-status), checked and resolved.
import { initSystemFor } from '../src/service/detect.js';
import { InitsockError } from '../src/errors.js';
import { resolveCommand } from '../src/service/command-path.js';
import { programHealth, type HealthCheck } from '../src/service/health-check.js';
import { MODE_FLAG, type Program, type ProgramMode } from '../src/service/program.js';
import { adoptRuntime } from '../src/service/runtime-detect.js';
import { parseRoutePath } from '../src/contract/proxy.js';
import type { InitKind, ServiceConfig } from '../src/service/types.js';
import type { RawOptions } from './args.js';
import type { CliDeps } from './deps.js';
import { existingPath, singleLine, validPort } from './validate.js';

const EXAMPLE = 'install-service install --port 8000 --exec -- uvicorn app:app --fd 3';

function usage(message: string): InitsockError {
  return new InitsockError('BAD_USAGE', `${message} Run \`install-service --help\` for the options.`);
}

/** The one mode the flags pick, or undefined; BAD_USAGE for two at once. */
export function programMode(o: RawOptions): ProgramMode | undefined {
  const picked = (
    [
      ['exec', o.exec === true],
      ['adopt', o.adopt === true],
      ['proxy', o['proxy-port'] !== undefined],
    ] as const
  )
    .filter(([, on]) => on)
    .map(([mode]) => mode);
  if (picked.length > 1)
    throw usage(
      `${picked.map((m) => MODE_FLAG[m]).join(' and ')} cannot be combined: pick the one way your program gets the socket.`,
    );
  return picked[0];
}

/**
 * Options that belong to initsock's worker (or the program modes) and are refused where they would be ignored. `o`
 * includes what the settings record remembers; worker flags are refused only when `given` on this command line (a
 * remembered --idle-timeout from an earlier worker install is simply unused by --exec).
 */
function assertFitting(o: RawOptions, given: RawOptions, mode: ProgramMode | undefined): void {
  if (mode !== 'proxy' && given['proxy-idle-path'] !== undefined) {
    throw usage(
      '--proxy-idle-path asks the program behind --proxy-port whether it is idle; pass it with --proxy-port N -- CMD ARG….',
    );
  }
  if (mode === undefined) {
    if (o.command !== undefined)
      throw usage(
        `the words after -- are a program's command; say how it takes the socket: --exec, --adopt or --proxy-port PORT (e.g. ${EXAMPLE}).`,
      );
    for (const flag of ['health-path', 'health-status'] as const) {
      if (o[flag] !== undefined)
        throw usage(
          `--${flag} is for a program's own health route (with --exec, --adopt or --proxy-port); initsock's worker answers GET /health itself.`,
        );
    }
    return;
  }
  if (o.command === undefined || o.command.length === 0)
    throw usage(`${MODE_FLAG[mode]} needs the program's command after --, e.g. ${EXAMPLE}.`);
  const workerOnly = mode === 'proxy' ? (['app'] as const) : (['entry', 'app', 'idle-timeout', 'node'] as const);
  for (const flag of workerOnly) {
    if ((given as Record<string, unknown>)[flag] !== undefined) {
      throw usage(
        `--${flag} configures initsock's worker, which ${mode === 'proxy' ? 'only passes connections through to your program with --proxy-port' : `${MODE_FLAG[mode]} does not run: your program runs unchanged and decides when to exit`}. Leave --${flag} out.`,
      );
    }
  }
}

/** The command with argv[0] an absolute path to an executable file, plus a warning when that path goes stale. */
function resolvedArgv(mode: ProgramMode, command: string[], deps: CliDeps, warnings: string[]): string[] {
  const what = `${MODE_FLAG[mode]} command`;
  const [cmd, ...args] = command.map((w) => singleLine(what, w));
  const resolved = resolveCommand(what, cmd as string, deps.env, (p) => existingPath(what, p, deps.cwd, 'executable'));
  warnings.push(...resolved.warnings);
  return [resolved.path, ...args];
}

/** The program for `mode`, resolved for install and print. */
function program(o: RawOptions, mode: ProgramMode, deps: CliDeps, warnings: string[]): Program {
  const argv = resolvedArgv(mode, o.command ?? [], deps, warnings);
  if (mode === 'exec') return { mode, argv };
  if (mode === 'adopt') return { mode, argv, runtime: adoptRuntime(argv[0] as string) };
  const proxyPort = validPort(o['proxy-port'] as string, '--proxy-port');
  const idle = o['proxy-idle-path'];
  return {
    mode,
    argv,
    proxyPort,
    ...(idle !== undefined ? { idlePath: parseRoutePath(idle, '--proxy-idle-path') } : {}),
  };
}

export interface ProgramSettings {
  mode?: ProgramMode;
  program?: Program;
  health?: HealthCheck;
}

/**
 * Reads the program options (`o`: as given over the remembered ones; `given`: this command line). `full` (install, print) resolves and checks the command; the other subcommands only need
 * the health check (status) and take the rest as given.
 */
export function programSettings(
  o: RawOptions,
  given: RawOptions,
  deps: CliDeps,
  full: boolean,
  warnings: string[],
): ProgramSettings {
  const mode = programMode(o);
  assertFitting(o, given, mode);
  if (mode === undefined) return {};
  const health = programHealth(o['health-path'], o['health-status']);
  return full ? { mode, program: program(o, mode, deps, warnings), health } : { mode, health };
}

/**
 * What install says about protection for a program: only what is in force. The proxy worker checks every request's
 * Host and Origin (web pages are refused) and, where the init system's platform lets it look the owner up, refuses
 * other users' connections at accept time; it checks no token.
 */
export function securityNotes(cfg: ServiceConfig, init: InitKind): string[] {
  const p = cfg.program;
  if (p === undefined) return [];
  const at = `${cfg.host}:${cfg.port}`;
  const web =
    `--proxy-port checks the Host and Origin of every request to ${p.argv[0]}, so web pages (DNS rebinding, ` +
    'cross-site requests) are refused before it sees them; it checks no token, so none is created';
  if (p.mode === 'proxy' && initSystemFor(init).peerOwnerChecked) {
    return [
      `${web}. The worker refuses connections from other local users on ${at}; your own processes reach the ` +
        `program's routes unless it checks them itself, and its private port 127.0.0.1:${p.proxyPort} is open to every local user.`,
    ];
  }
  if (p.mode === 'proxy') {
    return [
      `${web}. On ${init} it cannot tell which user connects: every local user and process can call the program's ` +
        `routes on ${at}, and its private port 127.0.0.1:${p.proxyPort}. Protect them in the program.`,
    ];
  }
  return [
    `${MODE_FLAG[p.mode]} runs ${p.argv[0]} unchanged, and initsock cannot check a token or the caller in front of it: ` +
      `no token is created and the program's own routes on ${at} are unprotected; every local user and process can call ` +
      'them, as if the program listened on the port itself. Protect them in the program.',
  ];
}

/** The child's port must not be the service's own: the worker listens there already. */
export function assertProxyPort(cfg: ServiceConfig): void {
  if (cfg.program?.mode === 'proxy' && cfg.program.proxyPort === cfg.port) {
    throw new InitsockError(
      'INVALID_VALUE',
      `--proxy-port ${cfg.port} is the service's own --port: initsock's worker listens ` +
        'there and your program needs a private port of its own. Pass another port, like --proxy-port ' +
        `${cfg.port === 65535 ? cfg.port - 1 : cfg.port + 1}, and start the program on it.`,
      { details: { option: '--proxy-port' } },
    );
  }
}
