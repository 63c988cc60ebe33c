// A launchd stand-in that RUNS what the plist says: bootstrap reads the plist and starts its ProgramArguments on its socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { runCommand, type CommandResult, type CommandRunner } from '../../../src/exec/runner.js';
import { parsePlist } from '../../../src/render/plist-model.js';

/**
 * There is no launchd on Linux, so the closest honest thing: `systemd-socket-activate` owns the plist's socket
 * (Sockets → Listeners: SockNodeName, SockServiceName) and starts ProgramArguments on the first connection, with
 * ONLY EnvironmentVariables (plus HOME) as its environment, WorkingDirectory as cwd, and stdout/stderr appended
 * to StandardOutPath/StandardErrorPath, which must already exist as folders, as under launchd. The worker then
 * sees the systemd protocol instead of launch_activate_socket (that path is tested with the C stub); everything
 * else the plist decides (absolute node, flags, PATH, folders) is exercised for real. bootout sends SIGTERM and,
 * after ExitTimeOut, SIGKILL.
 */
interface Job {
  plist: string;
  child: ChildProcess;
  exitTimeOut: number;
}

type Dict = Record<string, unknown>;

export class LaunchdEmulator {
  readonly calls: string[] = [];
  /** The node probes install ran (`<node> -e require(koffi)`), kept apart from the launchctl calls. */
  readonly probes: string[][] = [];
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly uid: number,
    private readonly home: string,
  ) {}

  /** The probe runs for real: the emulated job's node is this machine's. */
  private koffiProbe(argv: string[]): Promise<CommandResult> {
    this.probes.push(argv);
    return runCommand(argv);
  }

  readonly run: CommandRunner = async (argv) => {
    if (argv[1] === '-e' && argv[2]?.includes('koffi')) return this.koffiProbe(argv);
    if (argv[1] === '-p' && argv[2] === 'process.versions.node') return runCommand(argv); // install's --node check, for real
    this.calls.push(argv.join(' '));
    const [tool, cmd, target = '', path = ''] = argv;
    if (tool !== 'launchctl') return res(argv, 127, `spawn ${tool} ENOENT`);
    if (cmd === 'kickstart' && target === '-k') return this.kickstart(argv, path.split('/')[2] ?? '');
    const label = target.split('/')[2] ?? '';
    if (cmd === 'print')
      return target === `gui/${this.uid}` ? res(argv, 0, '', 'type = login\n') : this.print(argv, label);
    if (cmd === 'enable') return res(argv, 0);
    if (cmd === 'bootstrap') return this.bootstrap(argv, path);
    if (cmd === 'bootout')
      return (await this.bootout(label))
        ? res(argv, 0)
        : res(argv, 113, 'Boot-out failed: 113: Could not find specified service');
    return res(argv, 64, `emulator: unsupported ${cmd}`);
  };

  /**
   * kickstart -k: kill the running job and start it again from its plist. (launchd keeps the socket open meanwhile;
   * the emulator's systemd-socket-activate closes it for a moment, so connections are not tested through it here.)
   */
  private async kickstart(argv: string[], label: string): Promise<CommandResult> {
    const job = this.jobs.get(label);
    if (!job) return res(argv, 113, `Could not find service "${label}" in domain for user gui: ${this.uid}`);
    await this.bootout(label);
    const started = this.bootstrap(argv, job.plist);
    return started.code === 0 ? res(argv, 0) : started;
  }

  private print(argv: string[], label: string): CommandResult {
    const job = this.jobs.get(label);
    if (!job) return res(argv, 113, `Could not find service "${label}" in domain for user gui: ${this.uid}`);
    return res(
      argv,
      0,
      '',
      `gui/${this.uid}/${label} = {\n\tpath = ${job.plist}\n\tstate = running\n\tpid = ${job.child.pid}\n}\n`,
    );
  }

  private bootstrap(argv: string[], plistPath: string): CommandResult {
    const p = parsePlist(readFileSync(plistPath, 'utf8')) as Dict;
    const label = String(p.Label);
    if (this.jobs.has(label)) return res(argv, 5, 'Bootstrap failed: 5: Input/output error');
    const sock = (p.Sockets as Dict).Listeners as Dict;
    const env = Object.entries(p.EnvironmentVariables as Record<string, string>).flatMap(([k, v]) => [
      '-E',
      `${k}=${v}`,
    ]);
    const io = [String(p.StandardOutPath), String(p.StandardErrorPath)].map((f) => openSync(f, 'a'));
    const child = spawn(
      '/usr/bin/systemd-socket-activate',
      [
        '-l',
        `${String(sock.SockNodeName)}:${String(sock.SockServiceName)}`,
        '--fdname=Listeners',
        ...env,
        ...(p.ProgramArguments as string[]),
      ],
      { cwd: String(p.WorkingDirectory), env: { HOME: this.home }, stdio: ['ignore', io[0], io[1]] },
    );
    io.forEach((fd) => closeSync(fd));
    this.jobs.set(label, { plist: plistPath, child, exitTimeOut: Number(p.ExitTimeOut) });
    child.once('exit', () => {
      if (this.jobs.get(label)?.child === child) this.jobs.delete(label);
    });
    return res(argv, 0);
  }

  /** SIGTERM, then SIGKILL after ExitTimeOut; resolves once the process is gone. False when the job is unknown. */
  private async bootout(label: string): Promise<boolean> {
    const job = this.jobs.get(label);
    if (!job) return false;
    this.jobs.delete(label);
    if (job.child.exitCode !== null || job.child.signalCode !== null) return true;
    const exited = once(job.child, 'exit');
    const timer = setTimeout(() => job.child.kill('SIGKILL'), job.exitTimeOut * 1000);
    job.child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
    return true;
  }

  /** Boots out every job (test cleanup). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.jobs.keys()].map((label) => this.bootout(label)));
  }
}

function res(argv: string[], code: number, stderr = '', stdout = ''): CommandResult {
  return { argv, code, stdout, stderr };
}
