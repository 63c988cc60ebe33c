// The ways a hook can keep one run of a job at a time, as argv builders: initsock job, flock -n, systemd-run --unit.
// Run where the job runs (this machine, or inside the systemd box): `node job-arms.js JSON` prints the measurement.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ArmId = 'initsock' | 'flock' | 'systemd-run';

export interface ArmSpec {
  arm: ArmId;
  /** The `initsock` bin (the fast entry). */
  cli: string;
  /** A scratch folder seen by the jobs. */
  dir: string;
}

/** The trigger argv of `arm` for job `name` running `command`. flock holds its lock while the command runs, so a
 *  hook backgrounds it (`&`): the call then returns at once, as the other two do. */
export function triggerArgv(s: ArmSpec, name: string, command: string[]): string[] {
  if (s.arm === 'initsock') return [process.execPath, s.cli, 'job', 'run', '--key', name, '--', ...command];
  if (s.arm === 'flock') {
    const quoted = command.map((c) => `'${c.replace(/'/g, "'\\''")}'`).join(' ');
    return ['sh', '-c', `flock -n '${join(s.dir, `${name}.lock`)}' ${quoted} >/dev/null 2>&1 &`];
  }
  return ['systemd-run', '--user', '--quiet', '--collect', `--unit=bench-job-${name}`, ...command];
}

/** Milliseconds from spawn to exit of each argv, one after the other. */
export function timeCalls(calls: string[][]): Array<{ ms: number; code: number }> {
  return calls.map(([file = '', ...args]) => {
    const t0 = performance.now();
    const r = spawnSync(file, args, { stdio: 'ignore' });
    return { ms: performance.now() - t0, code: r.status ?? -1 };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fire(argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: 'ignore' });
    child.once('error', () => resolve(-1));
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

/** Two waves of `size` simultaneous triggers `gapMs` apart, a job of `jobMs`; how many runs started, and the exit codes. */
export async function twoWaves(
  s: ArmSpec,
  size: number,
  gapMs: number,
  jobMs: number,
): Promise<{ runs: number; codes: number[] }> {
  const stamps = join(s.dir, `${s.arm}-stamps`);
  writeFileSync(stamps, '');
  const job = ['sh', '-c', `echo run >> '${stamps}'; sleep ${jobMs / 1000}`];
  const wave = () => Promise.all(Array.from({ length: size }, () => fire(triggerArgv(s, 'waves', job))));
  const first = wave();
  await sleep(gapMs); // the second wave fires gapMs after the first, whether or not every first trigger has returned
  const second = wave();
  const codes = [...(await first), ...(await second)];
  await sleep(jobMs * 2 + 2000); // a follow-up may start as late as the end of the first run, then takes jobMs
  return { runs: existsSync(stamps) ? readFileSync(stamps, 'utf8').split('\n').filter(Boolean).length : 0, codes };
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as {
    calls?: string[][];
    waves?: ArmSpec & { size: number; gapMs: number; jobMs: number };
  };
  if (input.calls) process.stdout.write(JSON.stringify(timeCalls(input.calls)));
  else if (input.waves)
    process.stdout.write(
      JSON.stringify(await twoWaves(input.waves, input.waves.size, input.waves.gapMs, input.waves.jobMs)),
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
