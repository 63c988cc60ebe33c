// Parses install-service's command line (node:util parseArgs, strict): a subcommand and typed options, with suggestions for typos.
import { parseArgs } from 'node:util';
import { InitsockError } from '../src/errors.js';
import { suggest } from '../src/util/suggest.js';

export { suggest };

export const SUBCOMMANDS = ['install', 'uninstall', 'status', 'print', 'repair', 'restart', 'list', 'logs'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

const OPTIONS = {
  name: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  entry: { type: 'string' },
  app: { type: 'string' },
  node: { type: 'string' },
  'idle-timeout': { type: 'string' },
  env: { type: 'string', multiple: true },
  'working-dir': { type: 'string' },
  linger: { type: 'boolean' },
  takeover: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  init: { type: 'string' },
  label: { type: 'string' },
  'tasks-max': { type: 'string' },
  'memory-max': { type: 'string' },
  'expose-to-network': { type: 'boolean' },
  'no-token': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  reset: { type: 'boolean' },
  'overwrite-edited': { type: 'boolean' },
  exec: { type: 'boolean' },
  adopt: { type: 'boolean' },
  'proxy-port': { type: 'string' },
  'health-path': { type: 'string' },
  'health-status': { type: 'string' },
  'proxy-idle-path': { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  lines: { type: 'string', short: 'n' },
  version: { type: 'boolean' },
} as const;

/** The raw options as given (strings and booleans; validated later in config.ts). */
export interface RawOptions {
  name?: string;
  port?: string;
  host?: string;
  entry?: string;
  app?: string;
  node?: string;
  'idle-timeout'?: string;
  env?: string[];
  'working-dir'?: string;
  linger?: boolean;
  takeover?: boolean;
  'dry-run'?: boolean;
  json?: boolean;
  init?: string;
  label?: string;
  'tasks-max'?: string;
  'memory-max'?: string;
  'expose-to-network'?: boolean;
  'no-token'?: boolean;
  help?: boolean;
  reset?: boolean;
  'overwrite-edited'?: boolean;
  exec?: boolean;
  adopt?: boolean;
  'proxy-port'?: string;
  'health-path'?: string;
  'health-status'?: string;
  'proxy-idle-path'?: string;
  /** The program's command: every word after `--`, as given. */
  command?: string[];
  follow?: boolean;
  lines?: string;
  version?: boolean;
}

export interface ParsedArgs {
  command: Subcommand;
  options: RawOptions;
}

function usage(message: string): InitsockError {
  return new InitsockError('BAD_USAGE', `${message} Run \`install-service --help\` for the options.`);
}

/** Turns parseArgs' TypeErrors into BAD_USAGE with what to type instead. */
function explainParseError(err: Error & { code?: string }): InitsockError {
  const flag = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const word = flag.replace(/^-+/, '').split('=')[0] ?? '';
    return usage(`unknown option ${flag}.${suggest(word, Object.keys(OPTIONS), '--')}`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return usage(
      `${err.message.split('\n')[0]} (a value option needs a value: --port 38000; a switch takes none: --linger).`,
    );
  }
  return usage(err.message);
}

/**
 * Refuses a value with U+FFFD: Node decodes argv as UTF-8 and puts U+FFFD where the bytes were not UTF-8, so
 * writing it would silently change a path or value. (A deliberate U+FFFD is refused too; nobody needs one in a unit.)
 */
function assertUtf8(values: Record<string, unknown>, positionals: string[]): void {
  const all = Object.entries(values).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x) => [`--${k}`, x] as const),
  );
  for (const [what, v] of [...all, ...positionals.map((p) => ['argument', p] as const)]) {
    if (typeof v === 'string' && v.includes('\uFFFD')) {
      throw new InitsockError(
        'UNSAFE_VALUE',
        `${what} ${JSON.stringify(v)} is not valid UTF-8 (bytes that do not decode ` +
          'were replaced by U+FFFD), so it would not name what you meant. Pass the value as UTF-8 text.',
        { details: { option: what } },
      );
    }
  }
}

/** The positionals before `--` (the subcommand) and the words after it (the program's command), if `--` was given. */
function splitAtTerminator(
  tokens: Array<{ kind: string; index: number }>,
  positionals: string[],
): { before: string[]; command?: string[] } {
  const end = tokens.find((t) => t.kind === 'option-terminator');
  if (end === undefined) return { before: positionals };
  const before = tokens.filter((t) => t.kind === 'positional' && t.index < end.index).length;
  return { before: positionals.slice(0, before), command: positionals.slice(before) };
}

/** Parses argv (without node and the script). Throws BAD_USAGE (exit 2) for an unknown option or subcommand. */
export function parseCli(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    throw explainParseError(err as Error & { code?: string });
  }
  assertUtf8(parsed.values, parsed.positionals);
  const { before, command } = splitAtTerminator(parsed.tokens, parsed.positionals);
  const [first, ...rest] = before;
  if (rest.length > 0)
    throw usage(`unexpected argument ${JSON.stringify(rest[0])}: give one subcommand (${SUBCOMMANDS.join(', ')}).`);
  if (first !== undefined && !(SUBCOMMANDS as readonly string[]).includes(first)) {
    throw usage(
      `unknown subcommand ${JSON.stringify(first)}.${suggest(first, SUBCOMMANDS)} Subcommands: ${SUBCOMMANDS.join(', ')}.`,
    );
  }
  const options = parsed.values as RawOptions;
  if (command !== undefined) options.command = command;
  return { command: (first ?? 'install') as Subcommand, options };
}
