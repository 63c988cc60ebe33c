// renderPlist: structural filling, parse-back, hostile values through plistutil, and a round-trip property.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { assertReadsBack, renderPlist, type PlistFill } from '../../src/render/plist.js';
import { parsePlist } from '../../src/render/plist-model.js';
import { escapeXmlText } from '../../src/render/xml-escape.js';
import { isInitsockError } from '../../src/errors.js';
import { scratchDir } from '../helpers/paths.js';
import { havePlistutil, plistutilRoundTrip } from './plistutil.js';

const TEMPLATE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- a comment that must survive -->
<plist version="1.0">
<dict>
  <key>S</key>
  <string>{{s}}</string>
  <key>N</key>
  <integer>{{n}}</integer>
  <key>A</key>
  <array>{{a}}</array>
  <key>D</key>
  <dict>{{d}}</dict>
  <key>Fixed</key>
  <true/>
</dict>
</plist>
`;

const HOSTILE = [
  '<tag>',
  'a & b',
  ']]>',
  '"double" \'single\'',
  'é ✓ 😀 日本',
  ' spaced out ',
  '',
  '&lt;',
  '<!-- x -->',
  '<![CDATA[y]]>',
  'two\nlines',
];

const plistutil = havePlistutil();
let dir = '';
before(() => {
  dir = scratchDir('plist');
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The values the test template takes, from one string list. */
function valuesFrom(strings: string[]): Record<string, PlistFill> {
  return { s: strings[0] ?? '', n: 42, a: strings, d: strings.map((v, i): [string, string] => [`K${i}${v}`, v]) };
}

function expected(strings: string[]): unknown {
  return {
    S: strings[0] ?? '',
    N: 42,
    A: strings,
    D: Object.fromEntries(strings.map((v, i) => [`K${i}${v}`, v])),
    Fixed: true,
  };
}

test('hostile values render, keep the comment, and parse back to exactly the input', () => {
  const xml = renderPlist(TEMPLATE, valuesFrom(HOSTILE), 'test.plist');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist PUBLIC/);
  assert.match(xml, /<!-- a comment that must survive -->\n<plist version="1.0">/);
  assert.ok(!xml.includes('<tag>') && !xml.includes(']]>'), 'markup in values is escaped');
  assert.deepEqual(parsePlist(xml), expected(HOSTILE));
});

test('plistutil reads every hostile value, also after a binary round trip', {
  skip: !plistutil && 'plistutil (libplist-utils) is not installed',
}, () => {
  const xml = renderPlist(TEMPLATE, valuesFrom(HOSTILE), 'test.plist');
  assert.deepEqual(parsePlist(plistutilRoundTrip(xml, dir)), expected(HOSTILE));
});

test('a value XML cannot carry is refused before anything is rendered', () => {
  for (const bad of ['nul\u0000', 'cr\r', 'esc\u001b']) {
    assert.throws(
      () => renderPlist(TEMPLATE, valuesFrom(['ok', bad]), 'test.plist'),
      (err: unknown) => isInitsockError(err, 'UNSAFE_VALUE') && /test\.plist: A item 2/.test(err.message),
    );
  }
});

test('template mistakes are TEMPLATE_ERROR: a missing value, an unused value, a wrong type', () => {
  const values = valuesFrom(['x']);
  const { s: _s, ...missing } = values;
  assert.throws(
    () => renderPlist(TEMPLATE, missing, 't'),
    (e: unknown) => isInitsockError(e, 'TEMPLATE_ERROR') && /\{\{s\}\}/.test(e.message),
  );
  assert.throws(
    () => renderPlist(TEMPLATE, { ...values, extra: 'y' }, 't'),
    (e: unknown) => isInitsockError(e, 'TEMPLATE_ERROR') && /\{\{extra\}\}/.test(e.message),
  );
  assert.throws(
    () => renderPlist(TEMPLATE, { ...values, n: 'not a number' }, 't'),
    (e: unknown) => isInitsockError(e, 'TEMPLATE_ERROR'),
  );
  assert.throws(
    () => renderPlist(TEMPLATE, { ...values, n: 1.5 }, 't'),
    (e: unknown) => isInitsockError(e, 'TEMPLATE_ERROR'),
  );
});

test('the parse-back check refuses XML that does not read back as meant', () => {
  const xml = renderPlist(TEMPLATE, valuesFrom(['a']), 't');
  assert.throws(
    () => assertReadsBack(xml, expected(['b']) as never, 't'),
    (e: unknown) => isInitsockError(e, 'UNSAFE_VALUE') && /does not read back/.test(e.message),
  );
  assert.throws(
    () => assertReadsBack(xml.replace('<dict>', '<dict><key>'), expected(['a']) as never, 't'),
    (e: unknown) => isInitsockError(e, 'UNSAFE_VALUE') && /not well-formed/.test(e.message),
  );
});

/** True when every string passes the escaping module's validation. */
const passes = (strings: string[]): boolean =>
  strings.every((s) => {
    try {
      escapeXmlText(s, 'v');
      return true;
    } catch {
      return false;
    }
  });

// Full Unicode plus the characters that matter to XML, so escaping and refusals both get exercised.
const hostileChar = fc.oneof(
  fc.constantFrom('<', '>', '&', '"', "'", ']', '!', '-', ' ', '\n', '\t', '\r', '\u0000', ';', '#'),
  fc.string({ unit: 'grapheme', maxLength: 1 }),
  fc.string({ unit: 'binary', maxLength: 1 }),
);
const hostileString = fc.array(hostileChar, { maxLength: 12 }).map((cs) => cs.join(''));
// Distinct values: the same string twice would make two equal dict keys.
const hostileStrings = fc.uniqueArray(hostileString, { minLength: 1, maxLength: 4 });

test('property: any input that passes validation round-trips exactly; any other is refused', () => {
  fc.assert(
    fc.property(hostileStrings, (strings) => {
      if (!passes(strings)) {
        assert.throws(
          () => renderPlist(TEMPLATE, valuesFrom(strings), 't'),
          (e: unknown) => isInitsockError(e, 'UNSAFE_VALUE'),
        );
        return;
      }
      assert.deepEqual(parsePlist(renderPlist(TEMPLATE, valuesFrom(strings), 't')), expected(strings));
    }),
    { numRuns: 500 },
  );
});

test('property: plistutil agrees on every valid input', {
  skip: !plistutil && 'plistutil (libplist-utils) is not installed',
}, () => {
  fc.assert(
    fc.property(hostileStrings.filter(passes), (strings) => {
      const xml = renderPlist(TEMPLATE, valuesFrom(strings), 't');
      assert.deepEqual(parsePlist(plistutilRoundTrip(xml, dir)), expected(strings));
    }),
    { numRuns: 60 },
  );
});
