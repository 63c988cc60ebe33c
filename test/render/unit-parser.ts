// A small test-side reader of unit files that undoes systemd's quoting, C escapes, % specifiers and $$, to check the renderer.
// It follows systemd.syntax(7) and src/basic/extract-word.c, and throws on anything our renderer should never produce
// (an unknown escape, a % specifier, a lone $, a line continuation), so a missed escape fails loudly.

export interface UnitFile {
  /** section → [key, raw value] in file order. */
  sections: Map<string, Array<[string, string]>>;
}

const WS = ' \t\n\r'; // systemd's WHITESPACE: ASCII only
const strip = (s: string): string => {
  let a = 0;
  let b = s.length;
  while (a < b && WS.includes(s[a] as string)) a++;
  while (b > a && WS.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
};

/** Splits a unit file into sections and raw Key=value pairs (comments and blank lines dropped). */
export function parseUnitFile(text: string): UnitFile {
  const sections = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = strip(raw);
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (/(^|[^\\])(\\\\)*\\$/.test(line))
      throw new Error(`line ${i + 1} ends with a backslash (a continuation): ${raw}`);
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = [];
      sections.set(section[1] as string, current);
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !current) throw new Error(`line ${i + 1} is not Key=value inside a section: ${raw}`);
    current.push([strip(line.slice(0, eq)), strip(line.slice(eq + 1))]);
  });
  return { sections };
}

/** All raw values of `key` in `section`. */
export function values(unit: UnitFile, section: string, key: string): string[] {
  return (unit.sections.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
}

/** The single raw value of `key` in `section` (throws when it is missing or repeated). */
export function value(unit: UnitFile, section: string, key: string): string {
  const all = values(unit, section, key);
  if (all.length !== 1) throw new Error(`[${section}] ${key}= appears ${all.length} times`);
  return all[0] as string;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
  s: ' ',
};

/** Decodes one C escape at s[i] (just after the backslash); returns [text, length consumed]. Covers systemd's table. */
function cunescapeOne(s: string, i: number): [string, number] {
  const c = s[i] ?? '';
  if (c in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[c] as string, 1];
  const hex = (n: number) =>
    /^[0-9a-fA-F]+$/.test(s.slice(i + 1, i + 1 + n)) ? parseInt(s.slice(i + 1, i + 1 + n), 16) : NaN;
  const code = c === 'x' ? hex(2) : c === 'u' ? hex(4) : c === 'U' ? hex(8) : NaN;
  if (!Number.isNaN(code) && code !== 0) return [String.fromCodePoint(code), c === 'x' ? 3 : c === 'u' ? 5 : 9];
  if (/^[0-7]{3}$/.test(s.slice(i, i + 3)) && s.slice(i, i + 3) !== '000')
    return [String.fromCharCode(parseInt(s.slice(i, i + 3), 8)), 3];
  throw new Error(`unknown or invalid escape \\${c} in ${JSON.stringify(s)}`);
}

/** Splits a value into words the way extract_first_word(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE) does. */
export function unquoteWords(s: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && WS.includes(s[i] as string)) i++;
    if (i >= s.length) break;
    let word = '';
    let quote = '';
    for (; i < s.length; i++) {
      const c = s[i] as string;
      if (c === '\\') {
        const [text, len] = cunescapeOne(s, i + 1);
        word += text;
        i += len;
      } else if (quote) {
        if (c === quote) quote = '';
        else word += c;
      } else if (c === '"' || c === "'") quote = c;
      else if (WS.includes(c)) break;
      else word += c;
    }
    if (quote) throw new Error(`unterminated quote in ${JSON.stringify(s)}`);
    words.push(word);
  }
  return words;
}

/** Expands % specifiers; only %% is expected (any other would be a specifier we failed to escape). */
export function expandSpecifiers(s: string): string {
  return s.replace(/%(.?)/gu, (_, c: string) => {
    if (c === '%') return '%';
    throw new Error(`unescaped specifier %${c} in ${JSON.stringify(s)}`);
  });
}

/** Exec-time $ expansion of one argument; only $$ is expected (any other $ would expand a variable). */
export function expandDollars(s: string): string {
  return s.replace(/\$(.?)/gu, (_, c: string) => {
    if (c === '$') return '$';
    throw new Error(`unescaped variable $${c} in ${JSON.stringify(s)}`);
  });
}

/** The argv systemd execs for an ExecStart= value: unquote, expand %%, then (at exec time) $$. */
export function execArgv(raw: string): string[] {
  return unquoteWords(raw).map((w) => expandDollars(expandSpecifiers(w)));
}

/** The [key, value] pairs of Environment= values: unquote, expand %% ($ is not special there). */
export function environment(raws: readonly string[]): Array<[string, string]> {
  return raws.flatMap((raw) =>
    unquoteWords(raw).map((w): [string, string] => {
      const assignment = expandSpecifiers(w);
      const eq = assignment.indexOf('=');
      if (eq <= 0) throw new Error(`not an assignment: ${JSON.stringify(assignment)}`);
      return [assignment.slice(0, eq), assignment.slice(eq + 1)];
    }),
  );
}

/** A raw value such as Description= or WorkingDirectory=: only % specifiers are expanded. */
export function rawValue(raw: string): string {
  return expandSpecifiers(raw);
}
