// Parses `initsock job run` flags (before --) and the command (after --) into runJob options.
import { parseArgs } from 'node:util';
import { MEMORY_MAX_HINT, MEMORY_MAX_PATTERN, TASKS_MAX_HINT, TASKS_MAX_PATTERN } from '../contract/resources.js';
import { InitsockError } from '../errors.js';
import { parseDuration } from '../util/duration.js';
import type { RunJobOptions } from './api.js';

const RUN_FLAGS = {
  key: { type: 'string', short: 'k' },
  wait: { type: 'boolean', short: 'w' },
  timeout: { type: 'string', short: 't' },
  'max-runtime': { type: 'string' },
  'max-parallel': { type: 'string' },
  'tasks-max': { type: 'string' },
  'memory-max': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function usage(message: string, verb = 'run'): InitsockError {
  return new InitsockError('BAD_USAGE', `${message} Run \`initsock job ${verb} --help\` for usage.`);
}

/** Parses argv after "run"; `help` when asked for. Throws BAD_USAGE / INVALID_VALUE naming the flag. */
export function parseRunArgs(argv: string[]): (Omit<RunJobOptions, 'env' | 'cwd'> & { help?: false }) | { help: true } {
  const dash = argv.indexOf('--');
  const flags = dash < 0 ? argv : argv.slice(0, dash);
  let v;
  try {
    const parsed = parseArgs({ args: flags, options: RUN_FLAGS, allowPositionals: true, strict: true });
    if (parsed.positionals.length > 0)
      throw new Error(`unexpected ${JSON.stringify(parsed.positionals[0])}: put the command after --`);
    v = parsed.values;
  } catch (err) {
    throw usage(`${(err as Error).message}.`);
  }
  if (v.help) return { help: true };
  if (v.key === undefined) throw usage('--key is required: it names the job (one run at a time per key).');
  const command = dash < 0 ? [] : argv.slice(dash + 1);
  return {
    key: v.key,
    command,
    wait: v.wait ?? false,
    timeoutMs: v.timeout === undefined ? undefined : positive(v.timeout, '--timeout'),
    maxRuntimeMs: v['max-runtime'] === undefined ? 0 : positive(v['max-runtime'], '--max-runtime'),
    maxParallel: v['max-parallel'] === undefined ? 0 : count(v['max-parallel']),
    tasksMax: cap(v['tasks-max'], '--tasks-max', TASKS_MAX_PATTERN, TASKS_MAX_HINT),
    memoryMax: cap(v['memory-max'], '--memory-max', MEMORY_MAX_PATTERN, MEMORY_MAX_HINT),
  };
}

function positive(raw: string, flag: string): number {
  const ms = parseDuration(raw, flag);
  if (ms <= 0) throw usage(`${flag} must be more than 0.`);
  return ms;
}

function count(raw: string): number {
  if (!/^[1-9][0-9]{0,3}$/.test(raw))
    throw usage(`--max-parallel ${JSON.stringify(raw)} is not a count. Pass a whole number from 1 to 9999.`);
  return Number(raw);
}

/** A resource cap in systemd's grammar (the contract's), or undefined when the flag is absent. */
function cap(raw: string | undefined, flag: string, pattern: RegExp, hint: string): string | undefined {
  if (raw === undefined || pattern.test(raw)) return raw;
  throw usage(`${flag} ${JSON.stringify(raw)} is not valid. Pass ${hint}.`);
}
