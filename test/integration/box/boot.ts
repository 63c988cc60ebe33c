// Boots a box: an isolated systemd --system in fresh namespaces, with a real systemd --user inside it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../helpers/paths.js';
import { Box, USER_RUNTIME_DIR } from './box.js';
import { cgroupsEmpty, createBoxCgroups, removeBoxCgroups, type BoxCgroups, type CgroupMode } from './cgroup.js';
import { createLayout } from './layout.js';
import { baseEnv } from './nsexec.js';
import { track } from './registry.js';
import { pollUntil } from './wait.js';

export interface BootOptions {
  /** The user manager's HOME (default: a fresh folder in the box's folder). Must be outside /tmp. */
  home?: string;
  /** Give up booting after this long (default 20 s). */
  timeoutMs?: number;
  /** 'unified' (default) or 'hybrid' (cgroup2 + v1 pids: see pidsCgroupMode() for TasksMax= tests). */
  cgroups?: CgroupMode;
}

const bootScript = join(repoRoot, 'test', 'integration', 'box', 'boot.sh');
const READY = /^(running|degraded)$/m;

/** Finds the launcher's only child (the box's PID 1, once boot.sh has exec'd systemd). */
async function findPid1(launcher: ChildProcess, timeoutMs: number): Promise<number> {
  const pid = launcher.pid as number;
  const child = await pollUntil(
    'the box to fork its PID 1',
    () => {
      if (launcher.exitCode !== null || launcher.signalCode !== null) throw new Error('boot.sh exited early');
      const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      return kids ? Number(kids.split(' ')[0]) : undefined;
    },
    { timeoutMs },
  );
  track(child);
  await pollUntil(
    'systemd to become the box PID 1',
    () => (readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'systemd' ? true : undefined),
    { timeoutMs },
  );
  return child;
}

/** Polls `systemctl [--user] is-system-running --wait` until the manager reports running or degraded. */
async function waitRunning(box: Box, user: boolean, timeoutMs: number): Promise<void> {
  let last = '';
  await pollUntil(
    `the ${user ? 'user' : 'system'} manager to be running`,
    async () => {
      const args = ['is-system-running', '--wait'];
      const result = user ? await box.systemctlUser(...args) : await box.systemctl(...args);
      last = (result.stdout + result.stderr).trim();
      return READY.test(result.stdout) ? true : undefined;
    },
    { timeoutMs, describe: () => last },
  );
}

/** Starts `systemd --user` as a Type=notify transient service, so systemd-run returns once it is ready. */
async function startUserManager(box: Box): Promise<void> {
  const { home, userLog, userConfigUnits, userUnits } = box.layout;
  await box.exec(['install', '-d', '-m', '0700', USER_RUNTIME_DIR]);
  const props = [
    `Environment=XDG_RUNTIME_DIR=${USER_RUNTIME_DIR}`,
    `Environment=HOME=${home}`,
    `Environment=SYSTEMD_UNIT_PATH=${userConfigUnits}:${userUnits}`,
    'Type=notify',
    'Delegate=yes',
    `StandardOutput=append:${userLog}`,
    `StandardError=append:${userLog}`,
  ];
  const result = await box.exec([
    'systemd-run',
    '--unit=user-manager',
    ...props.flatMap((p) => ['-p', p]),
    '/usr/lib/systemd/systemd',
    '--user',
    '--log-target=journal',
  ]);
  if (result.code !== 0) throw new Error(`systemd-run user-manager failed (${result.code}): ${result.stderr.trim()}`);
}

function launch(dir: string, cgroups: BoxCgroups): ChildProcess {
  const log = openSync(join(dir, 'boot.log'), 'a');
  try {
    const env = baseEnv({
      INITSOCK_BOX_DIR: dir,
      INITSOCK_BOX_CGROUPS: cgroups.dirs.join(' '),
      INITSOCK_BOX_CGROUP_MODE: cgroups.mode,
      INITSOCK_BOX_LOG_LEVEL: process.env.INITSOCK_BOX_LOG_LEVEL ?? 'info',
      INITSOCK_BOX_KEEP: [repoRoot, dirname(process.execPath)].join(':'),
    });
    return spawn('sh', [bootScript, 'outer'], { env, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
}

/**
 * Boots a box and resolves once both managers are running. Rejects with the box's logs when it cannot boot
 * (the caller decides whether that is a skip); nothing is left behind either way.
 */
export async function bootBox(options: BootOptions = {}): Promise<Box> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const layout = createLayout(options.home);
  const cgroup = createBoxCgroups(options.cgroups ?? 'unified');
  const launcher = launch(layout.dir, cgroup);
  let box: Box | undefined;
  try {
    box = new Box(await findPid1(launcher, timeoutMs), layout, launcher, cgroup);
    await waitRunning(box, false, timeoutMs);
    await startUserManager(box);
    await waitRunning(box, true, timeoutMs);
    return box;
  } catch (err) {
    const logs = box ? box.logs() : readBootLog(layout.dir);
    if (box) await box.stop();
    else await abandon(launcher, cgroup, layout.dir);
    throw new Error(`cannot boot the test systemd box: ${(err as Error).message}\n${logs}`, { cause: err });
  }
}

/** Cleans up a launch that never produced a PID 1: kill, wait, remove its cgroup and folder. */
async function abandon(launcher: ChildProcess, cgroup: BoxCgroups, dir: string): Promise<void> {
  const exited =
    launcher.exitCode !== null || launcher.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => launcher.once('exit', resolve));
  launcher.kill('SIGKILL');
  await exited;
  await pollUntil('the box cgroups to empty', () => (cgroupsEmpty(cgroup) ? true : undefined), { timeoutMs: 5000 });
  removeBoxCgroups(cgroup);
  if (!process.env.INITSOCK_KEEP_BOX) rmSync(dir, { recursive: true, force: true });
}

function readBootLog(dir: string): string {
  const path = join(dir, 'boot.log');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
