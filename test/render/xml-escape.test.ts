// The one XML escaping module: a table of what is escaped, what passes, and what is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXmlText } from '../../src/render/xml-escape.js';
import { isInitsockError } from '../../src/errors.js';

const escaped: Array<[string, string, string]> = [
  ['plain', 'plain', 'nothing to escape'],
  ['a<b', 'a&lt;b', '< would open an element'],
  ['a&b', 'a&amp;b', '& would start an entity'],
  ['a&amp;b', 'a&amp;amp;b', 'an entity in the input is data, not markup'],
  [']]>', ']]&gt;', ']]> is forbidden in text; escaping > makes it harmless'],
  ['"x" \'y\'', '&quot;x&quot; &apos;y&apos;', 'quotes escaped too, so the text is safe in attributes'],
  ['<!-- c -->', '&lt;!-- c --&gt;', 'a comment in the input stays data'],
  ['<![CDATA[x]]>', '&lt;![CDATA[x]]&gt;', 'CDATA in the input stays data'],
  ['é ✓ 😀', 'é ✓ 😀', 'non-ASCII (including astral) passes as UTF-8'],
  ['  spaces  ', '  spaces  ', 'leading and trailing spaces are kept'],
  ['tab\there', 'tab\there', 'tab is allowed in XML'],
  ['two\nlines', 'two\nlines', 'newline is allowed in XML and reads back unchanged'],
  ['\u0085\u2028', '\u0085\u2028', 'NEL and LINE SEPARATOR are legal XML 1.0 characters'],
  ['', '', 'the empty string'],
];

const refused: Array<[string, RegExp, string]> = [
  ['a\u0000b', /U\+0000 \(NUL\)/, 'NUL cannot appear in XML at all'],
  ['a\u0001b', /U\+0001/, 'C0 controls are forbidden'],
  ['\u001b[31m', /U\+001B/, 'an ANSI escape sequence'],
  ['a\rb', /U\+000D \(carriage return\).*newline/, 'CR would be read back as LF'],
  ['\u000b\u000c', /U\+000B/, 'vertical tab and form feed are forbidden'],
  ['\ud800', /lone surrogate/, 'a lone high surrogate cannot be encoded in UTF-8'],
  ['x\udfff', /lone surrogate/, 'a lone low surrogate'],
  ['\ufffe', /noncharacter/, 'U+FFFE is excluded from XML Char'],
  ['\uffff', /noncharacter/, 'U+FFFF is excluded from XML Char'],
];

test('escapeXmlText escapes markup and keeps everything else', () => {
  for (const [input, output, why] of escaped) assert.equal(escapeXmlText(input, 'v'), output, why);
});

test('escapeXmlText refuses what XML cannot carry, with UNSAFE_VALUE naming the value', () => {
  for (const [input, message, why] of refused) {
    assert.throws(
      () => escapeXmlText(input, 'the plist value of X'),
      (err: unknown) => {
        assert.ok(isInitsockError(err, 'UNSAFE_VALUE'), why);
        assert.match(err.message, message, why);
        assert.match(err.message, /the plist value of X/, why);
        assert.match(err.message, /Remove that character/, why);
        return true;
      },
      why,
    );
  }
});
