// A booted box: run commands inside it, talk to its system and user managers, read its logs, stop it.
import { spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { CommandResult } from '../../../src/exec/runner.js';
import { cgroupsEmpty, removeBoxCgroups, type BoxCgroups } from './cgroup.js';
import type { BoxLayout } from './layout.js';
import { baseEnv, nsExec, nsSpawn, type BoxExecOptions } from './nsexec.js';
import { untrack } from './registry.js';
import { pollUntil } from './wait.js';

/** XDG_RUNTIME_DIR of the box's user manager (root's, as systemd would have it). */
export const USER_RUNTIME_DIR = '/run/user/0';

export class Box {
  /** Environment for user-manager commands (systemctl --user, clients that need HOME). */
  readonly userEnv: Record<string, string>;
  private stopped: Promise<void> | null = null;

  constructor(
    /** The box's PID 1 (systemd --system) as seen from the host. */
    readonly pid: number,
    readonly layout: BoxLayout,
    private readonly launcher: ChildProcess,
    private readonly cgroups: BoxCgroups,
  ) {
    this.userEnv = { XDG_RUNTIME_DIR: USER_RUNTIME_DIR, HOME: layout.home };
  }

  /** The test home: the user manager's $HOME (units go in ~/.config/systemd/user). */
  get home(): string {
    return this.layout.home;
  }

  /** The box's cgroup folders on the host (removed by stop()). */
  get cgroupDirs(): readonly string[] {
    return this.cgroups.dirs;
  }

  /** Runs argv inside all of the box's namespaces. */
  exec(argv: string[], options: BoxExecOptions = {}): Promise<CommandResult> {
    return nsExec(this.pid, argv, options);
  }

  /** Starts a long-running command inside the box (stdio piped). */
  spawn(argv: string[], options: { env?: Record<string, string> } = {}): ChildProcessWithoutNullStreams {
    return nsSpawn(this.pid, argv, options);
  }

  /** `systemctl ARGS` against the box's system manager. */
  systemctl(...args: string[]): Promise<CommandResult> {
    return this.exec(['systemctl', ...args]);
  }

  /** `systemctl --user ARGS` against the box's user manager. */
  systemctlUser(...args: string[]): Promise<CommandResult> {
    return this.exec(['systemctl', '--user', ...args], { env: this.userEnv });
  }

  /**
   * The last `lines` lines of the box's journal (both managers and every service), for failure messages.
   * Synchronous on purpose, so it fits in an assertion message; it blocks for the few ms journalctl takes.
   */
  logs(lines = 40): string {
    const argv = [
      '-t',
      String(this.pid),
      '-a',
      '--',
      'journalctl',
      '--no-pager',
      '-o',
      'short-precise',
      '-n',
      String(lines),
    ];
    const journal = spawnSync('nsenter', argv, { env: baseEnv(), encoding: 'utf8', timeout: 10_000 });
    const early = existsSync(this.layout.userLog) ? readFileSync(this.layout.userLog, 'utf8').trim() : '';
    return (
      `--- box journal (last ${lines} lines) ---\n${(journal.stdout || journal.stderr || '(unavailable)').trimEnd()}` +
      (early ? `\n--- user manager stdout/stderr ---\n${early.split('\n').slice(-lines).join('\n')}` : '')
    );
  }

  /** SIGKILLs PID 1 (the kernel then kills everything in the box), waits for it, removes its cgroups and folder. */
  stop(): Promise<void> {
    this.stopped ??= this.kill();
    return this.stopped;
  }

  private async kill(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.launcher.exitCode !== null || this.launcher.signalCode !== null) resolve();
      else this.launcher.once('exit', () => resolve());
    });
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited; // unshare returns only after every process of the PID namespace is reaped
    untrack(this.pid);
    await pollUntil('the box cgroups to empty', () => (cgroupsEmpty(this.cgroups) ? true : undefined), {
      timeoutMs: 5000,
    });
    removeBoxCgroups(this.cgroups);
    if (!process.env.INITSOCK_KEEP_BOX) rmSync(this.layout.dir, { recursive: true, force: true });
  }
}
