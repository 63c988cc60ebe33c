// The one place XML text is escaped: every plist value goes through escapeXmlText, which refuses what XML cannot carry.
import { InitsockError } from '../errors.js';

/**
 * Characters XML 1.0 cannot carry in text (§2.2 Char): C0 controls other than tab and newline, lone UTF-16
 * surrogates, U+FFFE and U+FFFF. Carriage return is legal but every parser turns it into a newline
 * (§2.11 end-of-line handling), so a value holding one would not read back as written: refused too.
 */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Describes a forbidden character for a message: "U+0000 (NUL)", "U+000D (carriage return)".... */
function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp === 0) return `${hex} (NUL)`;
  if (cp === 0x0d) return `${hex} (carriage return)`;
  if (cp >= 0xd800 && cp <= 0xdfff) return `${hex} (a lone surrogate)`;
  if (cp >= 0xfffe) return `${hex} (a noncharacter)`;
  return `${hex} (a control character)`;
}

/**
 * Throws UNSAFE_VALUE when `value` holds a character an XML file cannot carry. `what` names the value for the
 * message ("the plist value of WorkingDirectory").
 */
export function assertXmlSafe(value: string, what: string): void {
  const m = FORBIDDEN.exec(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, 'x'));
  if (!m) return;
  const ch = m[0];
  throw new InitsockError(
    'UNSAFE_VALUE',
    `cannot write ${what}: the value ${JSON.stringify(value)} contains ${describeChar(ch)}, which an XML plist cannot hold${ch === '\r' ? ' unchanged (XML turns it into a newline)' : ''}. Remove that character and run again.`,
    { details: { value, char: ch.codePointAt(0) } },
  );
}

/** Escapes `value` for XML element text (& < > " ' become entities; `]]>` is thereby harmless) after assertXmlSafe. */
export function escapeXmlText(value: string, what: string): string {
  assertXmlSafe(value, what);
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
