// Which install-service options the settings record remembers, how a re-run starts from them, and how two sets differ.
import type { OptionValue } from '../src/service/record.js';
import type { ServiceConfig } from '../src/service/types.js';
import type { RawOptions } from './args.js';

/** A remembered option; `resolved` gives the value to record instead of the one typed (an absolute path, not ./app.mjs). */
interface Remembered {
  flag: keyof RawOptions;
  resolved?: (cfg: ServiceConfig) => OptionValue | undefined;
  /** Options that replace each other: giving one now drops every recorded one of its group. */
  group?: 'program';
}

/** Every option a re-run keeps unless it is given again. A new setting is one line here. */
export const REMEMBERED: readonly Remembered[] = [
  { flag: 'port' },
  { flag: 'host' },
  { flag: 'expose-to-network' },
  { flag: 'no-token' },
  { flag: 'entry', resolved: (c) => c.entry },
  { flag: 'app', resolved: (c) => c.app },
  { flag: 'node', resolved: (c) => c.node },
  { flag: 'working-dir', resolved: (c) => c.workingDir },
  { flag: 'idle-timeout' },
  { flag: 'env' },
  { flag: 'label' },
  { flag: 'tasks-max' },
  { flag: 'memory-max' },
  // What runs: the mode and its command (argv[0] recorded absolute), and the program's health route.
  { flag: 'exec', group: 'program' },
  { flag: 'adopt', group: 'program' },
  { flag: 'proxy-port', group: 'program' },
  { flag: 'command', group: 'program', resolved: (c) => c.program?.argv },
  { flag: 'health-path' },
  { flag: 'health-status' },
  { flag: 'proxy-idle-path' },
];

export type RememberedOptions = Record<string, OptionValue>;

const given = (o: RawOptions, flag: keyof RawOptions): OptionValue | undefined => o[flag] as OptionValue | undefined;

/** The options a run starts from: the recorded ones, overridden by each flag given (a repeated flag replaces the whole list). */
export function startingOptions(options: RawOptions, recorded: RememberedOptions | null): RawOptions {
  if (recorded === null) return options;
  const out: Record<string, unknown> = {};
  const regrouped = new Set(
    REMEMBERED.filter((r) => r.group && given(options, r.flag) !== undefined).map((r) => r.group),
  );
  for (const { flag, group } of REMEMBERED) {
    if (recorded[flag] !== undefined && !(group && regrouped.has(group))) out[flag] = recorded[flag];
  }
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out as RawOptions;
}

/** What to record for a run with `options` resolved into `cfg`: only options that were given (now or before). */
export function rememberedOptions(options: RawOptions, cfg: ServiceConfig): RememberedOptions {
  const out: RememberedOptions = {};
  for (const { flag, resolved } of REMEMBERED) {
    const value = given(options, flag) === undefined ? undefined : resolved ? resolved(cfg) : given(options, flag);
    if (value !== undefined) out[flag] = value;
  }
  return out;
}

function show(v: OptionValue | undefined): string {
  if (v === undefined || v === false) return 'none';
  if (v === true) return 'on';
  return Array.isArray(v) ? v.join(' ') : v;
}

/** One line per option that differs: `--app /home/u/app.mjs → none`. Empty when the two are the same. */
export function settingsChanges(before: RememberedOptions, after: RememberedOptions): string[] {
  const lines: string[] = [];
  for (const { flag } of REMEMBERED) {
    const a = before[flag];
    const b = after[flag];
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) lines.push(`--${flag} ${show(a)} → ${show(b)}`);
  }
  return lines;
}
