// What the launchd plist says for a ServiceConfig: its paths, its values, and the idle-timeout floor launchd imposes.
import { isLabel, LABEL_RULE, LAUNCHD_SOCKET_KEY, stopTimeoutSeconds } from '../../contract/index.js';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { isIPv6 } from 'node:net';
import { InitsockError } from '../../errors.js';
import { plistsDir } from '../../paths.js';
import { renderPlist, type PlistFill } from '../../render/plist.js';
import { formatDuration } from '../../util/duration.js';
import type { RenderedFile, ServiceConfig, SystemContext } from '../types.js';
import { shutdownTimeoutMs, workerArgv } from '../worker-args.js';
import { runsProgramAlone } from '../program.js';

/** The Sockets key the plist declares and the worker asks launch_activate_socket for. */
export const SOCKET_NAME = LAUNCHD_SOCKET_KEY;
/** launchd's default ThrottleInterval, written explicitly: it starts a job at most once per this many seconds. */
export const THROTTLE_INTERVAL_S = 10;
/** ExitTimeOut (SIGTERM to SIGKILL): the whole shutdown budget for this service's --shutdown-timeout, in seconds. */
export function exitTimeoutSeconds(cfg: ServiceConfig): number {
  return stopTimeoutSeconds(shutdownTimeoutMs(cfg));
}
const DEFAULT_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

/** Where one launchd service lives. */
export interface LaunchdPaths {
  plist: string;
  logDir: string;
  stdout: string;
  stderr: string;
  /** INITSOCK_LOG_FILE: the worker's own timestamped log. */
  workerLog: string;
}

export function launchdPaths(cfg: ServiceConfig, ctx: SystemContext): LaunchdPaths {
  const logDir = join(ctx.home, 'Library', 'Logs', cfg.name);
  return {
    plist: join(ctx.home, 'Library', 'LaunchAgents', `${cfg.label}.plist`),
    logDir,
    stdout: join(logDir, 'stdout.log'),
    stderr: join(logDir, 'stderr.log'),
    workerLog: join(logDir, 'worker.log'),
  };
}

/**
 * Refuses idle timeouts launchd cannot honour: it starts a job at most once per ThrottleInterval, so a worker
 * that exits sooner makes the next connection wait for the rest of the interval. 0 (never exit) is fine.
 */
export function assertLaunchdIdleTimeout(idleTimeoutMs: number): void {
  if (idleTimeoutMs === 0 || idleTimeoutMs >= THROTTLE_INTERVAL_S * 1000) return;
  throw new InitsockError(
    'INVALID_VALUE',
    `--idle-timeout ${formatDuration(idleTimeoutMs)} is shorter than launchd's ThrottleInterval (${THROTTLE_INTERVAL_S}s): launchd starts a job at most once per ${THROTTLE_INTERVAL_S}s, so after each idle exit the next connection would wait up to ${THROTTLE_INTERVAL_S}s. Use --idle-timeout ${THROTTLE_INTERVAL_S}s or more, or 0 to never exit when idle.`,
    { details: { field: '--idle-timeout', value: idleTimeoutMs, minimum: THROTTLE_INTERVAL_S * 1000 } },
  );
}

/** Checks what the file name and launchctl arguments are built from. */
function assertShape(cfg: ServiceConfig): void {
  if (!isLabel(cfg.label)) {
    throw new InitsockError(
      'INVALID_VALUE',
      `--label ${JSON.stringify(cfg.label)} is not a valid launchd label: it names the plist file and the launchctl service. Use ${LABEL_RULE}, like com.example.my-worker.`,
      { details: { field: '--label', value: cfg.label } },
    );
  }
  for (const [what, path] of [
    ['the node binary', cfg.node],
    ['the worker entry', cfg.entry],
  ] as const) {
    if (!isAbsolute(path)) {
      throw new InitsockError(
        'INVALID_VALUE',
        `${what} ${JSON.stringify(path)} is not an absolute path: launchd resolves ProgramArguments before EnvironmentVariables, so a relative or bare name fails with exit 78. Pass an absolute path.`,
      );
    }
  }
}

/** EnvironmentVariables: PATH (the folder of node, or of the program run alone, first) and INITSOCK_LOG_FILE, then --env pairs, which win on a clash. */
function environment(cfg: ServiceConfig, ctx: SystemContext, paths: LaunchdPaths): Array<[string, string]> {
  const first = runsProgramAlone(cfg.program) ? (cfg.program.argv[0] ?? cfg.node) : cfg.node;
  const dirs = [dirname(first), ...(ctx.env.PATH || DEFAULT_PATH).split(':').filter((d) => isAbsolute(d))];
  const env = new Map<string, string>([
    ['PATH', [...new Set(dirs)].join(':')],
    ['INITSOCK_LOG_FILE', paths.workerLog],
  ]);
  for (const [k, v] of cfg.env) env.set(k, v);
  return [...env];
}

/** The template's placeholder values for `cfg`. */
export function plistValues(cfg: ServiceConfig, ctx: SystemContext): Record<string, PlistFill> {
  const paths = launchdPaths(cfg, ctx);
  return {
    label: cfg.label,
    // The same worker command line as the systemd unit, plus the launchd Sockets key to activate.
    programArguments: workerArgv(cfg, ['--socket-name', SOCKET_NAME]),
    host: cfg.host,
    port: String(cfg.port),
    family: isIPv6(cfg.host) ? 'IPv6' : 'IPv4',
    environment: environment(cfg, ctx, paths),
    workingDirectory: cfg.workingDir ?? ctx.home,
    stdoutPath: paths.stdout,
    stderrPath: paths.stderr,
    exitTimeOut: exitTimeoutSeconds(cfg),
    throttleInterval: THROTTLE_INTERVAL_S,
  };
}

export const PLIST_TEMPLATE = join(plistsDir, 'agent.plist.in');

/** Renders the LaunchAgent plist: validated, escaped, parsed back and compared before it is returned. */
export function renderLaunchdPlist(
  cfg: ServiceConfig,
  ctx: SystemContext,
  template = readFileSync(PLIST_TEMPLATE, 'utf8'),
): RenderedFile {
  assertShape(cfg);
  assertLaunchdIdleTimeout(cfg.idleTimeoutMs);
  const path = launchdPaths(cfg, ctx).plist;
  return { path, content: renderPlist(template, plistValues(cfg, ctx), path), mode: 0o644 };
}
