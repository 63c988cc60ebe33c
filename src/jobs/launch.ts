// Starts a key's runner: as a transient systemd --user unit named from the key, or as a detached process in its own session.
import { childProcess } from '../util/builtin.js';
import { fileURLToPath } from 'node:url';
import { InitsockError } from '../errors.js';
import { describeFailure, runCommand, type CommandRunner } from '../exec/runner.js';
import { jobIdentifier, jobUnit } from './key.js';
import type { JobMode } from './mode.js';
import { STOP_GRACE_MS } from './run-once.js';
import type { JobRequest, Launch } from './state.js';

const RUNNER = fileURLToPath(new URL('./runner-main.js', import.meta.url));
/** How long a launch retries while the previous runner's unit of the same name is still being unloaded. */
const UNIT_BUSY_RETRY_MS = 5000;

export interface LaunchContext {
  dir: string;
  id: string;
  mode: JobMode;
  env: NodeJS.ProcessEnv;
  run?: CommandRunner;
}

export function launchRunner(req: JobRequest, ctx: LaunchContext): Promise<Launch> {
  return ctx.mode === 'systemd' ? launchUnit(req, ctx) : Promise.resolve(launchProcess(ctx));
}

/** Detached, in a new session, stdio closed: the hook's exit, terminal or process group never reach it. */
function launchProcess(ctx: LaunchContext): Launch {
  const child = childProcess().spawn(process.execPath, [RUNNER, ctx.dir, ctx.id, 'process'], {
    detached: true,
    stdio: 'ignore',
    env: ctx.env,
  });
  child.unref();
  if (child.pid === undefined)
    throw new InitsockError('COMMAND_FAILED', `cannot start ${process.execPath} for the job runner.`);
  return { kind: 'process', pid: child.pid };
}

/** The systemd-run command line: the unit's name comes from the key, so the manager itself refuses a second runner. */
export function systemdRunArgv(req: JobRequest, ctx: Pick<LaunchContext, 'dir' | 'id'>): string[] {
  const props = [
    'Type=exec', // systemd-run returns once the runner is exec'd, so a broken node path fails here and now
    'KillMode=control-group', // stop and the end of the unit take every process of the job, setsid ones included
    `TimeoutStopSec=${Math.ceil(STOP_GRACE_MS / 1000) + 5}s`, // the runner's own TERM→KILL grace, then the manager's
    `Description=initsock job ${JSON.stringify(req.key)}`,
    `SyslogIdentifier=${jobIdentifier(ctx.id)}`, // what `initsock job logs` matches in the journal
    ...(req.tasksMax ? [`TasksMax=${req.tasksMax}`] : []),
    ...(req.memoryMax ? [`MemoryMax=${req.memoryMax}`] : []),
  ];
  return [
    'systemd-run',
    '--user',
    '--quiet',
    '--collect',
    `--unit=${jobUnit(ctx.id)}`,
    ...props.flatMap((p) => ['-p', p]),
    '--',
    process.execPath,
    RUNNER,
    ctx.dir,
    ctx.id,
    'systemd',
  ];
}

/** Runs systemd-run, retrying while the previous runner's unit (it decided to exit) still holds the name. */
async function launchUnit(req: JobRequest, ctx: LaunchContext): Promise<Launch> {
  const run = ctx.run ?? runCommand;
  const deadline = Date.now() + UNIT_BUSY_RETRY_MS;
  for (;;) {
    const res = await run(systemdRunArgv(req, ctx), { env: ctx.env, timeoutMs: 10_000 });
    if (res.code === 0) return { kind: 'systemd', unit: jobUnit(ctx.id) };
    if (!/already (exists|loaded)/i.test(res.stderr) || Date.now() > deadline) {
      throw new InitsockError(
        'COMMAND_FAILED',
        `cannot start the job's unit: ${describeFailure(res)}. ` +
          'Check `systemctl --user status` works in this session, or set INITSOCK_JOB_MODE=process to run jobs without systemd.',
        { details: { argv: res.argv, code: res.code } },
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether the runner a pending request was launched with may still take it (alive, or its unit still starting). */
export async function launchAlive(
  launch: Launch | undefined,
  ctx: Pick<LaunchContext, 'env' | 'run'>,
): Promise<boolean> {
  if (!launch) return false;
  if (launch.kind === 'process') {
    try {
      process.kill(launch.pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  const res = await (ctx.run ?? runCommand)(['systemctl', '--user', 'is-active', launch.unit], {
    env: ctx.env,
    timeoutMs: 5000,
  });
  return ['active', 'activating', 'reloading'].includes(res.stdout.trim());
}
