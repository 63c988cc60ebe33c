// The platform seam for the installer: what a service is (ServiceConfig) and what each init system must provide (InitSystem).
import type { CommandResult, CommandRunner } from '../exec/runner.js';
import type { ForeignUnit } from './ownership.js';
import type { HealthCheck } from './health-check.js';
import type { Program } from './program.js';

export type InitKind = 'systemd' | 'launchd';

/** A fully validated, fully resolved service description. Every path is absolute. */
export interface ServiceConfig {
  /** Service name, [A-Za-z0-9._-]+; systemd units are <name>.socket / <name>.service. */
  name: string;
  /** launchd label (default com.initsock.<name>). */
  label: string;
  host: string;
  port: number;
  /** Absolute path of the real node binary (never a shim). */
  node: string;
  /** Absolute path of the worker entry script. */
  entry: string;
  /** Absolute path of a user module the default worker mounts (--app), if any. */
  app?: string;
  /** Idle timeout in ms; 0 = never exit on idle. */
  idleTimeoutMs: number;
  /** Extra environment, in the order given. */
  env: Array<[string, string]>;
  workingDir?: string;
  /** Absolute path of the user's home directory. */
  home: string;
  uid: number;
  // Optional unit tuning (defaults in src/service/systemd/units.ts and limits.ts).
  /** Worker --shutdown-timeout in ms (default 10 s); TimeoutStopSec= adds 5 s to it. */
  shutdownTimeoutMs?: number;
  /** RestartSec= after a crash, in ms (default 1 s, 100 ms..60 s); it also sets the start limits and the minimum idle timeout. */
  restartDelayMs?: number;
  /** TasksMax=: a count, a percentage ("10%") or "infinity" (default 512). */
  tasksMax?: number | string;
  /** MemoryMax=: bytes with K/M/G/T, a percentage, or "infinity" (default "2G"). */
  memoryMax?: string;
  /** Socket Backlog= (default 4096). */
  backlog?: number;
  /** Description= text (default "initsock worker <name>"). */
  description?: string;
  /** Worker --token-file (absolute path), if the worker requires a bearer token. */
  tokenFile?: string;
  /** Extra worker arguments, appended after initsock's own flags. */
  extraArgs?: string[];
  /** The user's program (--exec, --adopt, --proxy-port); absent: initsock's worker runs `entry`. */
  program?: Program;
  /** What verify and status ask for (--health-path, --health-status); absent: the worker's GET /health → 200 {"status":"ok"}. */
  health?: HealthCheck;
}

/** What the address probes read: paths only (they never ask the manager). */
export type AddressContext = Pick<SystemContext, 'env' | 'home'>;

/** Where an installed service listens, as its unit or plist says, and the file that says so. */
export interface InstalledAddress {
  init: InitKind;
  host: string;
  port: number;
  file: string;
}

/** An installed unit or plist that claims a port: which init system, and the file that says so. */
export interface InstalledService {
  init: InitKind;
  path: string;
}

/**
 * The light half of an init system: what a hook's client and the installer ask without loading plans, renderers
 * or the manager. Each init system's folder has one (probe.ts); src/service/probes.ts lists them.
 */
export interface InitProbe {
  readonly kind: InitKind;
  /** For help text: the manager and where it runs, e.g. "systemd --user (Linux)". */
  readonly title: string;
  /** Whether it is the per-user service manager of `platform`; the registry asks in order and the first wins. */
  native(platform: NodeJS.Platform): boolean;
  /**
   * Where service `name` is installed to listen, read from its unit or plist (never from the manager, so a hook's
   * client can afford it on every call); null when it is not installed. The client and the installer both use it.
   */
  installedAddress(name: string, ctx: AddressContext): InstalledAddress | null;
  /** The first installed unit or plist of this init system that listens on `port` (any service's), else null. Files only. */
  claimsPort(port: number, ctx: AddressContext): InstalledService | null;
}

/** The words and hints that name an init system's tools, so that generic code never does. */
export interface InitWords {
  /** What `locations().dir` is called in messages ("unit folder"). */
  folder: string;
  /** How a local change to the installed service survives a re-install, as advice ("keep it in a drop-in ..."). */
  keepChange(name: string): string;
  /** Where the worker's log is, as advice for a failed health check. */
  workerLog(name: string): string;
  /** How to find which of this manager's services holds a port. */
  findPortHolder: string;
  /** What to look at after one of its commands failed, ending with "run install-service again". */
  afterFailure(argv: readonly string[]): string;
}

/** A file the installer writes. */
export interface RenderedFile {
  path: string;
  content: string;
  /** File mode, e.g. 0o644. */
  mode: number;
}

/** What the installer can observe about an installed service. */
/**
 * 'stopped': installed, but its socket was stopped on purpose (nothing listens until it is started again).
 * 'foreign': units of this name exist that initsock did not write; it leaves them alone.
 */
export type ServiceState = 'not-installed' | 'listening' | 'running' | 'stopped' | 'failed' | 'foreign';

export interface ServiceStatus {
  name: string;
  init: InitKind;
  state: ServiceState;
  pid: number | null;
  port: number | null;
  host: string | null;
  /** ms since the worker started, when running. */
  uptimeMs?: number | null;
  /** Why it failed, when failed. */
  reason?: string;
  /** The command that fixes it, when failed or stopped. */
  fix?: string;
  /** Failed because an install did not finish (killed half-way): re-running install fixes it, repair cannot. */
  incomplete?: boolean;
  /** Result of GET /health, when probed. */
  health?: unknown;
}

/** Per-operation context: everything that touches the system is injected, so every platform is testable on Linux. */
export interface SystemContext {
  run: CommandRunner;
  env: NodeJS.ProcessEnv;
  uid: number;
  home: string;
  /** Prefix for the absolute system paths a platform probes (/run/systemd/system, /proc, /var/lib/systemd/linger...). Default '/'. Tests point it at a fake tree. */
  root?: string;
}

// ---------------------------------------------------------------------------------------------------------
// The InitSystem interface. Platform modules (src/service/systemd/, src/service/launchd/) produce DATA: the
// files to write and the steps to run, each with its undo. One executor (install/apply.ts) performs every
// step, so `--dry-run`/`print` show exactly what install runs, and rollback lives in one function.
// Every platform module must compile and be testable on Linux; only src/service/detect.ts picks the platform.
// ---------------------------------------------------------------------------------------------------------

/** Context for steps the executor runs: the SystemContext plus an injectable sleep for bounded waits. */
export interface StepContext extends SystemContext {
  /** Waits `ms` (tests inject an instant one). Use it only inside bounded retry loops. */
  sleep(ms: number): Promise<void>;
  /** A progress line for the user (stderr); never parsed. */
  log(line: string): void;
  /** Aborted when the user interrupts (SIGINT/SIGTERM): the executor stops before the next step and rolls back. */
  signal?: AbortSignal;
}

/** Fields every step may carry. */
interface StepBase {
  /** Why this step exists, shown by print/--dry-run after the step (e.g. "so a changed port takes effect"). */
  note?: string;
  /**
   * Extra steps that undo this one when a LATER step fails (run in reverse order of completion, best effort).
   * write/remove/mkdir are undone by the executor itself (previous content restored, new files/dirs removed).
   */
  undo?: Step[];
}

/**
 * One thing install/uninstall/repair does.
 * - `write`: atomic write (temp file in the same dir, fsync, rename); refuses to write through a symlink.
 * - `remove`: delete a file if present (missing is fine).
 * - `mkdir`: create a directory (and parents) with `mode` if missing.
 * - `run`: run argv through ctx.run with ctx.env; an exit code outside `okCodes` (default [0]) fails the step
 *   with COMMAND_FAILED (argv, exit code, trimmed stderr, then `fix`), or with the init system's own error
 *   when it gives `failure`.
 * - `action`: a conditional or waiting step (e.g. "bootout if loaded, wait until gone, retry once"). Its
 *   `description` is what print shows, so it must name every command it may run, with its arguments.
 *   `run` throws an InitsockError to fail the step. `commands` lists those commands as data (for --json).
 */
export type Step =
  | (StepBase & { kind: 'write'; file: RenderedFile })
  | (StepBase & { kind: 'remove'; path: string })
  | (StepBase & { kind: 'mkdir'; path: string; mode: number })
  | (StepBase & {
      kind: 'run';
      argv: string[];
      okCodes?: number[];
      fix?: string;
      failure?(result: CommandResult): Error;
    })
  | (StepBase & { kind: 'action'; description: string; commands?: string[][]; run(ctx: StepContext): Promise<void> });

/** What a platform wants done. An empty `steps` means "already in the desired state, nothing to change". */
export interface Plan {
  steps: Step[];
  /**
   * Steps run once, after every completed step has been undone (e.g. `daemon-reload` and restarting the
   * previous socket once the previous files are back). Skipped when nothing had completed.
   */
  afterRollback?: Step[];
  /** Lines for the final report ("socket moved from 37777 to 38000"). */
  notes?: string[];
}

/** A file the service needs, with what is on disk now (read by the caller through src/exec/atomic-write.ts). */
export interface FileState {
  file: RenderedFile;
  /** Current content and mode on disk; null when the file does not exist. */
  current: { content: string; mode: number } | null;
}

/** Where a platform keeps a service's files. */
export interface ServiceLocations {
  /** The folder the service files go in; the CLI checks it is (or can be made) writable before anything. */
  dir: string;
  /** Every file install writes (absolute); uninstall removes exactly these. */
  files: string[];
  /** Other directories install creates (e.g. launchd's ~/Library/Logs/<name>); never removed by uninstall. */
  dirs: string[];
}

/** The answer of a successful preflight. */
export interface PreflightResult {
  /** Non-fatal problems, shown to the user (e.g. "lingering is off: the socket goes away at logout; pass --linger"). */
  warnings: string[];
  /** systemd only: whether lingering is enabled for this user; undefined when it does not apply or is unknown. */
  linger?: boolean;
}

/** Options for planInstall that are not part of the service's description. */
export interface InstallOptions {
  /** systemd: enable lingering (loginctl enable-linger) so the socket outlives logout. Ignored by launchd. */
  linger?: boolean;
}

/**
 * One init system. Implementations: `systemd` (src/service/systemd/index.ts) and `launchd` (src/service/launchd/index.ts).
 * Every method gets everything that touches the system through `ctx`, so each platform is testable anywhere.
 * Planning methods may run read-only probes (systemctl show, launchctl print) through ctx.run; they never change
 * anything. The health check (/health) is appended by the CLI, not by the platform.
 */
export interface InitSystem extends InitProbe {
  readonly words: InitWords;
  /** Whether a worker under it can look up which local user a connection comes from (Linux: sock_diag, /proc). */
  readonly peerOwnerChecked: boolean;
  /** Whether a process holding a port is this init system's manager (so the port is another service's socket). */
  isManager(owner: { pid: number; comm: string }): boolean;
  /**
   * Answers every read-only probe as a machine where nothing is installed. print uses it when this machine's manager
   * cannot be asked (another platform, or no user manager), so it shows the plan of a fresh install.
   */
  pristine: CommandRunner;
  /** Where this service's files live. Pure. */
  locations(cfg: ServiceConfig, ctx: SystemContext): ServiceLocations;
  /** Renders every file of `locations().files`, in the same order. Pure; throws UNSAFE_VALUE/INVALID_VALUE. */
  render(cfg: ServiceConfig, ctx: SystemContext): RenderedFile[];
  /** Checks that a usable manager exists for this user; throws NO_INIT_SYSTEM (exit 3) with what to do if not. */
  preflight(ctx: SystemContext): Promise<PreflightResult>;
  /**
   * Optional: checks that need to run the service's own program (e.g. can its node load a native module the worker
   * needs here); throws INVALID_VALUE (exit 2). install runs it before planning; print of another platform cannot.
   */
  checkRuntime?(cfg: ServiceConfig, ctx: SystemContext): Promise<void>;
  /** The steps that converge the system to `files` (write, reload, (re)start...). Empty when nothing changes. */
  planInstall(cfg: ServiceConfig, files: FileState[], ctx: SystemContext, opts: InstallOptions): Promise<Plan>;
  /** The steps that stop, disable and remove the service; safe when it is not installed (then empty). */
  planUninstall(cfg: ServiceConfig, ctx: SystemContext): Promise<Plan>;
  /** The steps that bring a failed service back (systemd: reset-failed, restart the socket). */
  planRepair(cfg: ServiceConfig, ctx: SystemContext): Promise<Plan>;
  /** What is installed and running now (without the health probe, which the CLI adds). */
  status(cfg: ServiceConfig, ctx: SystemContext): Promise<ServiceStatus>;
  /**
   * Optional: the steps that replace a running worker with a fresh one, e.g. after its token file changed (systemd:
   * stop the service, the socket starts a new one on the next connection; launchd: kickstart -k).
   */
  planRestart?(cfg: ServiceConfig, ctx: SystemContext): Promise<Plan> | Plan;
  /**
   * Optional: units of this name the manager loads from outside `locations().files` (systemd: another unit folder, a
   * transient or masked unit). src/service/ownership.ts refuses to touch a name that has any.
   */
  knownElsewhere?(cfg: ServiceConfig, ctx: SystemContext): Promise<ForeignUnit[]>;
  /** Optional: warnings for a program run as the service (--exec, --adopt), or a BAD_USAGE refusal of what it cannot run. */
  programNotes?(cfg: ServiceConfig): string[];
  /** Optional: what uninstall leaves behind on purpose (the user's drop-ins, logs), one line each. */
  leftBehind?(cfg: ServiceConfig, ctx: SystemContext): string[];
  /**
   * Optional: called once before install's health check; the function it returns is asked after each failed try and
   * gives a reason when the service cannot come up (it failed, or it starts again and again without taking the socket).
   */
  watchStart?(cfg: ServiceConfig, ctx: SystemContext): Promise<() => Promise<string | null>>;
  /** Optional: the command that shows the service's log (systemd: journalctl; launchd: tail of its log files). */
  logArgv?(cfg: ServiceConfig, ctx: SystemContext, opts: LogOptions): string[];
  /** Optional: the names of the services whose files carry initsock's mark (for `list`; records cover the rest). */
  installedNames?(ctx: AddressContext): string[];
}

/** What `install-service logs` asks for. */
export interface LogOptions {
  follow: boolean;
  lines: number;
}
