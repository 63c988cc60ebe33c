// Reads the unit dump of `systemd --test` (manager_dump_units): a unit's settings, its ExecStart argv and its environment.

export interface DumpedUnit {
  /** The first value of a "Key: value" line. */
  get(key: string): string | undefined;
  /** ExecStart= "Command Line:" words, shell-unquoted (before systemd's exec-time $ expansion). */
  argv: string[];
  /** One [name, value] per "Environment:" line, as systemd merged them. */
  env: Array<[string, string]>;
}

/** The lines of one unit's block ("\t-> Unit NAME:" up to the next unit). */
export function unitBlock(dump: string, unit: string): string[] {
  const lines = dump.split('\n');
  const start = lines.indexOf(`\t-> Unit ${unit}:`);
  if (start < 0) throw new Error(`systemd --test did not load ${unit}`);
  const end = lines.findIndex((l, i) => i > start && (l.startsWith('\t-> Unit ') || l.startsWith('-> ')));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/**
 * Splits systemd's quote_command_line() output: words joined by spaces, each bare or in "..." where
 * backslash escapes the next character (shell_maybe_quote() escapes " \ ` and $).
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    let word = '';
    if (line[i] === '"') {
      for (i++; i < line.length && line[i] !== '"'; i++) word += line[i] === '\\' ? line[++i] : line[i];
      if (line[i] !== '"') throw new Error(`unterminated quote in ${line}`);
      i++;
    } else {
      for (; i < line.length && line[i] !== ' '; i++) word += line[i];
    }
    words.push(word);
    if (i < line.length && line[i] !== ' ') throw new Error(`text right after a closing quote in ${line}`);
    i++;
  }
  return words;
}

export function parseSystemdDump(block: readonly string[]): DumpedUnit {
  const pairs = block
    .map((l) => /^\t+([^:]+): ?(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] as string, m[2] as string] as const);
  const command = pairs.find(([k]) => k === 'Command Line');
  return {
    get: (key) => pairs.find(([k]) => k === key)?.[1],
    argv: command ? shellWords(command[1]) : [],
    env: pairs
      .filter(([k]) => k === 'Environment')
      .map(([, v]) => {
        const eq = v.indexOf('=');
        return [v.slice(0, eq), v.slice(eq + 1)];
      }),
  };
}
