// Fills whole-value {{key}} placeholders in a template file; every choice is made by the caller, none in the template.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InitsockError } from '../errors.js';
import { unitsDir } from '../paths.js';

/**
 * The one rule: a placeholder is always the whole value of a `Key=` line (`ExecStart={{execStart}}`).
 * - A string value fills its line once.
 * - A list value repeats its line once per item; an empty list drops the line, and the comment lines right
 *   above it, which describe it (optional directives).
 * A placeholder anywhere else (`ListenStream={{host}}:{{port}}`, a comment, a line of its own) is an error,
 * and so is a missing value, an unused value, or a value with a line break. Values arrive already escaped
 * for the output format (see systemd-escape.ts); this module never escapes.
 */
export type TemplateValue = string | readonly string[];
export type TemplateValues = Readonly<Record<string, TemplateValue>>;

const WHOLE_VALUE = /^([A-Za-z][A-Za-z0-9]*)=\{\{([A-Za-z][A-Za-z0-9_]*)\}\}$/;
const LINE_BREAK = /[\n\r\0]/;

function templateError(templateName: string, what: string, fix: string): InitsockError {
  return new InitsockError('TEMPLATE_ERROR', `cannot render template ${templateName}: ${what}. ${fix}`, {
    details: { template: templateName },
  });
}

/** The lines one template line becomes, marking its placeholder used. */
function fillLine(line: string, lineNo: number, values: TemplateValues, used: Set<string>, name: string): string[] {
  const m = WHOLE_VALUE.exec(line);
  if (!m) {
    if (line.includes('{{') || line.includes('}}')) {
      throw templateError(
        name,
        `line ${lineNo} has a placeholder that is not the whole value of a Key= line: ${JSON.stringify(line)}`,
        'Write it as Key={{value}} and build the value in TypeScript.',
      );
    }
    return [line];
  }
  const [, directive, key] = m as unknown as [string, string, string];
  if (!Object.hasOwn(values, key)) {
    throw templateError(
      name,
      `line ${lineNo} uses {{${key}}}, but no value was given for it`,
      `Pass a value for "${key}".`,
    );
  }
  used.add(key);
  const value = values[key] as TemplateValue;
  const items: readonly string[] = typeof value === 'string' ? [value] : value;
  return items.map((item) => {
    if (typeof item !== 'string' || LINE_BREAK.test(item)) {
      throw templateError(
        name,
        `the value for {{${key}}} is not a single-line string: ${JSON.stringify(item)}`,
        'Escape and validate values before filling the template.',
      );
    }
    return `${directive}=${item}`;
  });
}

/**
 * Fills `text` (the template called `templateName`, named in every error) with `values`.
 * Throws TEMPLATE_ERROR for a missing value, an unused value, a placeholder that is not a whole value,
 * or a value that is not a single line.
 */
export function fillTemplate(text: string, values: TemplateValues, templateName: string): string {
  const used = new Set<string>();
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const filled = fillLine(line, i + 1, values, used, templateName);
    if (filled.length === 0) while (out.length > 0 && (out.at(-1) as string).startsWith('#')) out.pop();
    out.push(...filled);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) {
    throw templateError(
      templateName,
      `the values ${unused.map((k) => `"${k}"`).join(', ')} are not used by any placeholder`,
      'Remove them, or add the Key={{value}} line they belong to.',
    );
  }
  return out.join('\n');
}

/** Reads a template shipped in the package's units/ folder (e.g. "initsock.service.in"). */
export function readUnitTemplate(fileName: string): string {
  try {
    return readFileSync(join(unitsDir, fileName), 'utf8');
  } catch (cause) {
    throw new InitsockError(
      'TEMPLATE_ERROR',
      `cannot read template ${fileName} from ${unitsDir}: ${(cause as Error).message}. Reinstall initsock; the package is incomplete.`,
      { cause, details: { template: fileName } },
    );
  }
}
