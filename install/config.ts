// Turns parsed options into a fully validated ServiceConfig plus the CLI's switches; nothing is touched while validating.
import { nativeInitKind } from '../src/service/detect.js';
import { initKinds } from '../src/service/probes.js';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_SERVICE_NAME as DEFAULT_NAME,
  defaultLabel,
} from '../src/contract/index.js';
import { InitsockError } from '../src/errors.js';
import { defaultWorkerEntry } from '../src/paths.js';
import { validateListenHost } from '../src/security/host.js';
import { tokenPath } from '../src/security/token.js';
import { readRecord, recordPath, type ServiceRecord } from '../src/service/record.js';
import { assertImportableApp, assertServedHost } from './late-checks.js';
import { staleReason } from '../src/service/node-binary.js';
import { nodePath } from './node-option.js';
import type { InitKind, ServiceConfig } from '../src/service/types.js';
import { parseDuration } from '../src/util/duration.js';
import type { ParsedArgs, RawOptions, Subcommand } from './args.js';
import type { CliDeps } from './deps.js';
import { rememberedOptions, startingOptions, type RememberedOptions } from './remembered.js';
import {
  envPair,
  existingPath,
  singleLine,
  validLabel,
  validMemoryMax,
  validName,
  validPort,
  validTasksMax,
} from './validate.js';
import { assertProxyPort, programSettings, securityNotes } from './program-config.js';
import { adoptStaleness, initNotes, withAdoptEnv } from './adopt-env.js';
import { runsProgramAlone, type ProgramMode } from '../src/service/program.js';

export { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SERVICE_NAME as DEFAULT_NAME } from '../src/contract/index.js';
/** Long enough that a burst of hook calls reuses one worker, short enough that an idle one gives its memory back. */
export const DEFAULT_IDLE_TIMEOUT = '5min';

export interface Settings {
  command: Subcommand;
  /** Where the service's bearer token lives (uninstall removes it even when --no-token is given). */
  tokenPath: string;
  init: InitKind;
  cfg: ServiceConfig;
  linger: boolean;
  takeover: boolean;
  dryRun: boolean;
  json: boolean;
  /** Non-fatal problems found while validating (stale node path, exposed host...). */
  warnings: string[];
  /** What install-service recorded when it last installed this service (null: nothing recorded, or unreadable with --reset). */
  record: ServiceRecord | null;
  /** Where that record lives. */
  recordPath: string;
  /** The options this run would record (given now or before, paths absolute). */
  remembered: RememberedOptions;
  /** --overwrite-edited: replace files edited by hand since install-service wrote them. */
  overwriteEdited: boolean;
  /** --exec, --adopt or --proxy-port, given or remembered (also for the commands that do not resolve the program). */
  programMode?: ProgramMode;
  /** logs: -f/--follow and -n/--lines (checked by the logs command). */
  follow: boolean;
  lines?: string;
}

function initKind(o: RawOptions, deps: CliDeps): InitKind {
  if (o.init === undefined) return nativeInitKind(deps.platform);
  const known = initKinds();
  if ((known as string[]).includes(o.init)) return o.init as InitKind;
  throw new InitsockError(
    'BAD_USAGE',
    `--init ${JSON.stringify(o.init)} is not an init system this installer knows. ` +
      `Pass ${known.map((k) => `--init ${k}`).join(' or ')}.`,
  );
}

/** The optional resource caps (--tasks-max, --memory-max), only set when given so the renderer's defaults apply otherwise. */
function caps(o: RawOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o['tasks-max'] !== undefined) out.tasksMax = validTasksMax(o['tasks-max']);
  if (o['memory-max'] !== undefined) out.memoryMax = validMemoryMax(o['memory-max']);
  return out;
}

/** The host as an address: systemd's ListenStream= and launchd's SockNodeName take an address, not a name. */
function listenHost(o: RawOptions, warnings: string[]): string {
  const host = validateListenHost(singleLine('--host', o.host ?? DEFAULT_HOST), {
    allowNonLoopback: o['expose-to-network'] === true,
  });
  if (host.warning) warnings.push(host.warning);
  assertServedHost(host.host, host.loopback);
  return host.host.toLowerCase() === 'localhost' ? '127.0.0.1' : host.host;
}

/** --entry, --app, --working-dir: checked to exist when `check` (install, print), else taken as given. */
function userPaths(
  o: RawOptions,
  deps: CliDeps,
  check: boolean,
  warnings: string[],
): Pick<ServiceConfig, 'entry' | 'app' | 'workingDir'> {
  const entry = check
    ? existingPath('--entry', o.entry ?? defaultWorkerEntry, deps.cwd, 'file')
    : (o.entry ?? defaultWorkerEntry);
  const why = check ? staleReason(entry) : null;
  if (why) {
    warnings.push(
      `the worker entry ${entry} lives in ${why}, which can be cleared at any time; the service would then fail to start. ` +
        'Install the package for good (npm install -g initsock, or into your project) and run install-service from there, or pass --entry.',
    );
  }
  const out: Pick<ServiceConfig, 'entry' | 'app' | 'workingDir'> = { entry };
  if (o.app !== undefined) out.app = check ? existingPath('--app', o.app, deps.cwd, 'file') : o.app;
  if (out.app !== undefined && check) assertImportableApp(out.app);
  if (o['working-dir'] !== undefined)
    out.workingDir = check ? existingPath('--working-dir', o['working-dir'], deps.cwd, 'dir') : o['working-dir'];
  return out;
}

/**
 * The installed record. install and print stop on a record they cannot read (a re-run would silently drop settings)
 * unless --reset; the other commands need only the name, so a bad record cannot block an uninstall.
 */
function installedRecord(args: ParsedArgs, name: string, deps: CliDeps): ServiceRecord | null {
  const full = args.command === 'install' || args.command === 'print';
  try {
    return readRecord(name, deps.env, deps.home);
  } catch (err) {
    if (full && !args.options.reset) throw err;
    return null;
  }
}

/**
 * Validates every option and resolves every path. `install` and `print` check that the entry, app, node and working
 * directory exist; the other commands only need the name (and port/host to probe), so a deleted entry cannot block an uninstall.
 */
export async function buildSettings(args: ParsedArgs, deps: CliDeps): Promise<Settings> {
  const warnings: string[] = [];
  const name = validName('--name', args.options.name ?? DEFAULT_NAME);
  const where = recordPath(name, deps.env, deps.home);
  const record = installedRecord(args, name, deps);
  // A re-run starts from what is installed; --reset starts from the defaults on purpose.
  const o = startingOptions(args.options, args.options.reset ? null : (record?.options ?? null));
  const full = args.command === 'install' || args.command === 'print';
  const { mode, ...program } = programSettings(o, args.options, deps, full, warnings);
  const alone = runsProgramAlone(program.program);
  const cfg: ServiceConfig = {
    name,
    label: validLabel(o.label ?? defaultLabel(name)),
    host: listenHost(o, warnings),
    port: validPort(o.port ?? String(DEFAULT_PORT)),
    node: full && !alone ? await nodePath(o, deps, warnings, mode) : deps.execPath,
    ...userPaths(o, deps, full, warnings),
    // A program run alone decides itself when to exit; 0 keeps initsock's idle rules out of its units.
    idleTimeoutMs: alone
      ? 0
      : parseDuration(singleLine('--idle-timeout', o['idle-timeout'] ?? DEFAULT_IDLE_TIMEOUT), '--idle-timeout'),
    env: (o.env ?? []).map(envPair),
    home: deps.home,
    uid: deps.uid,
    ...caps(o),
    ...program,
  };
  const token = tokenPath(name, deps.env, deps.home);
  // A program's own clients cannot send a token (and the proxy's do not either): none is made, and
  // --no-token changes nothing.
  if (!o['no-token'] && mode === undefined) cfg.tokenFile = token;
  assertProxyPort(cfg);
  const init = initKind(o, deps);
  cfg.env = withAdoptEnv(cfg);
  if (full) warnings.push(...initNotes(cfg, init), ...adoptStaleness(cfg), ...securityNotes(cfg, init));
  return {
    command: args.command,
    tokenPath: token,
    init,
    cfg,
    warnings,
    linger: o.linger === true,
    takeover: o.takeover === true,
    dryRun: o['dry-run'] === true,
    json: o.json === true,
    record,
    recordPath: where,
    remembered: rememberedOptions(o, cfg),
    overwriteEdited: o['overwrite-edited'] === true,
    follow: o.follow === true,
    ...(o.lines !== undefined ? { lines: o.lines } : {}),
    ...(mode ? { programMode: mode } : {}),
  };
}
