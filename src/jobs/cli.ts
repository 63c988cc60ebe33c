// `initsock job run|list|logs|stop`: the hook-facing CLI over the jobs library; every verb returns its exit code.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exitCodeFor, isInitsockError } from '../errors.js';
import { exitCodeOf, jobInfo, listJobs, runJob, stopJob } from './api.js';
import { parseRunArgs, usage } from './cli-args.js';
import { JOB_HELP, RUN_HELP } from './help.js';
import { formatJobs } from './format.js';
import { showLogs } from './logs.js';
import { jobMode } from './mode.js';
import { jobsDir } from './paths.js';

/** Besides the catalogue's codes for `initsock` (2 usage, 7 the rest): the --wait outcomes that are not the job's own code. */
export const JOB_EXIT = { ok: 0, usage: 2, timeout: 124, cancelled: 125 } as const;

export interface JobIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out(text: string | Buffer): void;
  err(text: string): void;
}

const processIo = (): JobIo => ({
  env: process.env,
  cwd: process.cwd(),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
});

/** Runs `initsock job ARGV`; errors of the catalogue become a message and their exit code, anything else is thrown. */
export async function runJobCli(argv: string[], io: JobIo = processIo()): Promise<number> {
  const [verb, ...rest] = argv;
  try {
    if (verb === 'run') return await run(rest, io);
    if (verb === 'list') return await list(rest, io);
    if (verb === 'logs') return await logs(rest, io);
    if (verb === 'stop') return await stop(rest, io);
    if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
      io.out(JOB_HELP);
      return verb === undefined ? JOB_EXIT.usage : JOB_EXIT.ok;
    }
    throw usage(`unknown verb ${JSON.stringify(verb)}: use run, list, logs or stop.`, '');
  } catch (err) {
    if (!isInitsockError(err)) throw err;
    io.err(`initsock job: ${err.message}\n`);
    // With --wait the job's own exit codes take the usual range, so these two get codes of their own (as timeout(1)).
    if (err.code === 'TIMEOUT') return JOB_EXIT.timeout;
    return err.code === 'JOB_CANCELLED' ? JOB_EXIT.cancelled : exitCodeFor('initsock', err);
  }
}

async function run(argv: string[], io: JobIo): Promise<number> {
  const opts = parseRunArgs(argv);
  if (opts.help) {
    io.out(RUN_HELP);
    return JOB_EXIT.ok;
  }
  if ((opts.tasksMax || opts.memoryMax) && jobMode(io.env) !== 'systemd') {
    io.err('initsock job: warning: --tasks-max and --memory-max are not enforced without a systemd user manager.\n');
  }
  const res = await runJob({ ...opts, env: io.env, cwd: io.cwd });
  io.out(`${res.answer}\n`);
  if (!res.result) return JOB_EXIT.ok;
  const neverRan = res.result.exitCode === null && res.result.signal === null; // stopped while waiting for a slot
  return neverRan ? JOB_EXIT.cancelled : exitCodeOf(res.result);
}

/** The KEY (positional, or --key) and the verb's other flags. */
function keyAndFlags(argv: string[], verb: string, options: NonNullable<ParseArgsConfig['options']>) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, key: { type: 'string', short: 'k' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw usage(`${(err as Error).message}.`, verb);
  }
  const key = (parsed.values as { key?: string }).key ?? parsed.positionals[0];
  if (parsed.positionals.length > ((parsed.values as { key?: string }).key === undefined ? 1 : 0))
    throw usage('expected one KEY.', verb);
  return { key, values: parsed.values as Record<string, string | boolean | undefined> };
}

async function list(argv: string[], io: JobIo): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true }).values;
  } catch (err) {
    throw usage(`${(err as Error).message}.`, 'list');
  }
  const jobs = await listJobs(io.env);
  io.out(values.json ? `${JSON.stringify(jobs, null, 2)}\n` : formatJobs(jobs, jobsDir(io.env)));
  return JOB_EXIT.ok;
}

async function logs(argv: string[], io: JobIo): Promise<number> {
  const { key, values } = keyAndFlags(argv, 'logs', {
    lines: { type: 'string', short: 'n' },
    follow: { type: 'boolean', short: 'f' },
  });
  if (key === undefined) throw usage('expected the job KEY.', 'logs');
  const raw = typeof values.lines === 'string' ? values.lines : '50';
  if (!/^\d{1,7}$/.test(raw)) throw usage(`--lines ${JSON.stringify(raw)} is not a line count.`, 'logs');
  if (!(await jobInfo(key, io.env))) io.err(`initsock job: no job with key ${JSON.stringify(key)} has run here yet.\n`);
  return showLogs(key, {
    dir: jobsDir(io.env),
    mode: jobMode(io.env),
    env: io.env,
    lines: Number(raw),
    follow: values.follow === true,
    out: io.out,
  });
}

async function stop(argv: string[], io: JobIo): Promise<number> {
  const { key } = keyAndFlags(argv, 'stop', {});
  if (key === undefined) throw usage('expected the job KEY.', 'stop');
  const res = await stopJob(key, io.env);
  const what = res.stopped ? 'stopped' : 'not running';
  io.out(`${what}${res.cancelledPending ? ' (pending follow-up dropped)' : ''}\n`);
  return JOB_EXIT.ok;
}
