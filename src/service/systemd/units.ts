// Renders the systemd --user .socket and .service units for a ServiceConfig from the templates in units/.
//
// Public API:
//   renderSocketUnit(cfg: ServiceConfig): string
//   renderServiceUnit(cfg: ServiceConfig): string
//   systemdUnitFiles(cfg: ServiceConfig, unitDir: string): RenderedFile[]   // [<name>.socket, <name>.service], mode 0o644
//   workerArgv(cfg: ServiceConfig): string[]                               // the ExecStart argv, unescaped
// Every value is validated and escaped before anything is returned: bad input throws InitsockError
// (UNSAFE_VALUE / INVALID_VALUE naming the field), so nothing half-rendered can be written.
import {
  DEFAULT_MEMORY_MAX,
  DEFAULT_TASKS_MAX,
  MEMORY_MAX_PATTERN,
  stopTimeoutMs,
  TASKS_MAX_PATTERN,
} from '../../contract/index.js';
import { join } from 'node:path';
import { InitsockError } from '../../errors.js';
import type { RenderedFile, ServiceConfig } from '../types.js';
import { formatDuration } from '../../util/duration.js';
import { shutdownTimeoutMs, workerCommand } from '../worker-args.js';
import { assertIdleTimeout, serviceLimits, unitLimits } from './limits.js';
import { runsProgramAlone } from '../program.js';
import {
  assertAbsolutePath,
  assertName,
  escapeEnvAssignment,
  escapeExecStart,
  escapeRawPath,
  escapeText,
  listenAddress,
} from '../../render/systemd-escape.js';
import { fillTemplate, readUnitTemplate, type TemplateValues } from '../../render/template.js';

export { workerArgv } from '../worker-args.js';

export const SOCKET_TEMPLATE = 'initsock.socket.in';
export const SERVICE_TEMPLATE = 'initsock.service.in';
const DEFAULT_BACKLOG = 4096;

/** Checks a TasksMax=/MemoryMax=/Backlog= style value against `pattern`. */
function resourceValue(value: number | string, pattern: RegExp, field: string, example: string): string {
  const text = String(value);
  if (!pattern.test(text)) {
    throw new InitsockError(
      'INVALID_VALUE',
      `${field} ${JSON.stringify(text)} is not valid. Use a value like ${example}.`,
      { details: { field, value: text } },
    );
  }
  return text;
}

/** Description=: the given text, or a default when none (or only spaces) was given; systemd would show the unit name. */
function description(cfg: ServiceConfig, what: string): string {
  const text = cfg.description === undefined ? '' : escapeText(cfg.description, 'description');
  return text === '' ? `initsock worker ${cfg.name} (${what})` : text;
}

/** The socket unit for `cfg`. Throws UNSAFE_VALUE / INVALID_VALUE for bad input. */
export function renderSocketUnit(cfg: ServiceConfig): string {
  const name = assertName(cfg.name, '--name');
  const limits = unitLimits(cfg.restartDelayMs);
  const values: TemplateValues = {
    description: description(cfg, 'socket'),
    listen: listenAddress(cfg.host, cfg.port),
    fdName: name,
    backlog: resourceValue(cfg.backlog ?? DEFAULT_BACKLOG, /^[1-9][0-9]{0,8}$/, 'backlog', '4096'),
    triggerLimitInterval: formatDuration(limits.triggerLimitIntervalMs),
    triggerLimitBurst: String(limits.triggerLimitBurst),
  };
  return fillTemplate(readUnitTemplate(SOCKET_TEMPLATE), values, SOCKET_TEMPLATE);
}

/** The service template's values: everything validated and escaped for its directive. */
function serviceValues(cfg: ServiceConfig): TemplateValues {
  const name = assertName(cfg.name, '--name');
  const limits = serviceLimits(cfg.restartDelayMs, runsProgramAlone(cfg.program));
  assertIdleTimeout(cfg.idleTimeoutMs, limits);
  for (const [field, path] of [
    ['--entry', cfg.entry],
    ['--app', cfg.app],
    ['--token-file', cfg.tokenFile],
  ] as const) {
    if (path !== undefined) assertAbsolutePath(path, field);
  }
  const command = workerCommand(cfg);
  return {
    description: description(cfg, 'service'),
    socketUnit: `${name}.socket`,
    startLimitInterval: formatDuration(limits.startLimitIntervalMs),
    startLimitBurst: String(limits.startLimitBurst),
    execStart: escapeExecStart(
      command.map(([, w]) => w),
      command.map(([f]) => f),
    ),
    environment: cfg.env.map(([k, v]) => escapeEnvAssignment(k, v, '--env')),
    workingDirectory: cfg.workingDir === undefined ? [] : [escapeRawPath(cfg.workingDir, '--working-dir')],
    syslogIdentifier: name,
    restartSec: formatDuration(limits.restartDelayMs),
    timeoutStopSec: formatDuration(stopTimeoutMs(shutdownTimeoutMs(cfg))),
    tasksMax: resourceValue(cfg.tasksMax ?? DEFAULT_TASKS_MAX, TASKS_MAX_PATTERN, 'tasksMax', '512, 10% or infinity'),
    memoryMax: resourceValue(
      cfg.memoryMax ?? DEFAULT_MEMORY_MAX,
      MEMORY_MAX_PATTERN,
      'memoryMax',
      '2G, 50% or infinity',
    ),
  };
}

/** The service unit for `cfg`. Throws UNSAFE_VALUE / INVALID_VALUE for bad input. */
export function renderServiceUnit(cfg: ServiceConfig): string {
  return fillTemplate(readUnitTemplate(SERVICE_TEMPLATE), serviceValues(cfg), SERVICE_TEMPLATE);
}

/** Both unit files for `cfg` in `unitDir` (socket first), mode 0o644. Validates everything before returning. */
export function systemdUnitFiles(cfg: ServiceConfig, unitDir: string): RenderedFile[] {
  const socket = renderSocketUnit(cfg);
  const service = renderServiceUnit(cfg);
  return [
    { path: join(unitDir, `${cfg.name}.socket`), content: socket, mode: 0o644 },
    { path: join(unitDir, `${cfg.name}.service`), content: service, mode: 0o644 },
  ];
}
