// Renders the code table of docs/errors.md from the catalogue in src/errors.ts.
import { ERROR_CATALOGUE, EXIT_CODES, type ErrorKind, type Program } from '../../src/errors.js';

export const BEGIN = '<!-- codes: generated from src/errors.ts by test/errors/errors-doc.ts -->';
export const END = '<!-- end of codes -->';

const KINDS: ErrorKind[] = ['usage', 'environment', 'runtime', 'security'];
const PROGRAMS = Object.keys(EXIT_CODES) as Program[];

/** Exit code per kind and program, then every code with its kind and meaning. */
export function codeTables(): string {
  const exits = [
    '| Kind | ' + PROGRAMS.map((p) => `\`${p}\``).join(' | ') + ' |',
    `| --- |${' --- |'.repeat(PROGRAMS.length)}`,
    ...[...KINDS, 'unexpected' as const].map(
      (k) =>
        `| ${k === 'unexpected' ? 'not an initsock error' : k} | ` +
        PROGRAMS.map((p) => String(EXIT_CODES[p][k])).join(' | ') +
        ' |',
    ),
  ];
  const codes = [
    '| Code | Kind | Meaning |',
    '| --- | --- | --- |',
    ...Object.entries(ERROR_CATALOGUE).map(([code, e]) => `| \`${code}\` | ${e.kind} | ${e.meaning} |`),
  ];
  return [BEGIN, ...exits, '', ...codes, END].join('\n');
}
