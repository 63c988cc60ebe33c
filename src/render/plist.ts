// Fills a plist template (plists/*.plist.in) structurally, escapes through xml-escape.ts, and proves the result reads back.
import { isDeepStrictEqual } from 'node:util';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { InitsockError } from '../errors.js';
import { escapeXmlText } from './xml-escape.js';
import { PARSER_OPTIONS, parsePlist, plistRootValue, tagOf, type PlistValue, type XmlNode } from './plist-model.js';

/** A placeholder's value: <string>{{k}}</string>, <integer>{{k}}</integer>, <array>{{k}}</array> (strings), <dict>{{k}}</dict> (string pairs). */
export type PlistFill = string | number | string[] | Array<[string, string]>;

const PROLOG =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n';

const templateError = (why: string): InitsockError =>
  new InitsockError(
    'TEMPLATE_ERROR',
    `cannot render the plist template: ${why}. This is a bug in initsock; please report it.`,
  );

type Encode = (value: string, what: string) => string;

/** State of one fill pass: the values, the keys used, how text is encoded, and what the file is called. */
interface Fill {
  values: Record<string, PlistFill>;
  used: Set<string>;
  encode: Encode;
  file: string;
}

const text = (s: string): XmlNode => ({ '#text': s });
const el = (tag: string, children: XmlNode[]): XmlNode => ({ [tag]: children });

/** The placeholder name when `children` is exactly "{{name}}". */
function placeholder(children: XmlNode[]): string | null {
  const m = children.length === 1 ? /^\{\{(\w+)\}\}$/.exec(String(children[0]?.['#text'] ?? '')) : null;
  return m ? (m[1] as string) : null;
}

/** The generated children of a placeholder element, indented one level deeper than `indent`. */
function expand(tag: string, value: PlistFill, what: string, indent: string, f: Fill): XmlNode[] {
  const wrap = (items: XmlNode[]): XmlNode[] =>
    items.length === 0 ? [] : [...items.flatMap((n) => [text(`\n${indent}  `), n]), text(`\n${indent}`)];
  if (tag === 'string' && typeof value === 'string') return [text(f.encode(value, what))];
  if (tag === 'integer' && Number.isSafeInteger(value)) return [text(String(value))];
  if (tag === 'array' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return wrap((value as string[]).map((v, i) => el('string', [text(f.encode(v, `${what} item ${i + 1}`))])));
  }
  if (tag === 'dict' && Array.isArray(value) && value.every(Array.isArray)) {
    return wrap(
      (value as Array<[string, string]>).flatMap(([k, v]) => [
        el('key', [text(f.encode(k, `${what} key`))]),
        el('string', [text(f.encode(v, `${what} ${k}`))]),
      ]),
    );
  }
  throw templateError(`the value for <${tag}> ${what} has the wrong type (${JSON.stringify(value)})`);
}

/** Returns a copy of `children` with every placeholder replaced; `key` is the last <key> seen (for messages). */
function fillChildren(children: XmlNode[], f: Fill): XmlNode[] {
  let key = '';
  return children.map((node, i) => {
    const tag = tagOf(node);
    if (tag === null) return node;
    const kids = node[tag] as XmlNode[];
    if (tag === 'key') key = String(kids[0]?.['#text'] ?? '');
    const name = placeholder(kids);
    if (name === null) return { ...node, [tag]: fillChildren(kids, f) };
    const value = f.values[name];
    if (value === undefined) throw templateError(`no value for {{${name}}}`);
    f.used.add(name);
    const before = String(children[i - 1]?.['#text'] ?? '');
    const what = `${f.file}: ${key || name}`;
    return { ...node, [tag]: expand(tag, value, what, before.slice(before.lastIndexOf('\n') + 1), f) };
  });
}

/** Fills every placeholder of `tree`; an unknown or unused key is a TEMPLATE_ERROR. */
function fillTree(tree: XmlNode[], values: Record<string, PlistFill>, encode: Encode, file: string): XmlNode[] {
  const f: Fill = { values, used: new Set(), encode, file };
  const out = fillChildren(tree, f);
  const unused = Object.keys(values).filter((k) => !f.used.has(k));
  if (unused.length > 0)
    throw templateError(`the template has no placeholder for ${unused.map((k) => `{{${k}}}`).join(', ')}`);
  return out;
}

/**
 * The document without the <?xml?> declaration and the whitespace around top-level nodes: the prolog (with the
 * DOCTYPE, which the parser drops) is written by us, and each top-level node gets its own line.
 */
function body(tree: XmlNode[]): XmlNode[] {
  return tree.filter((n) => '#comment' in n || (tagOf(n) !== null && !('?xml' in n))).flatMap((n) => [n, text('\n')]);
}

/**
 * Renders `template` with `values`. Every string goes through escapeXmlText (UNSAFE_VALUE on characters XML
 * forbids); then the XML is parsed back and must equal, value for value, the template filled with the raw
 * input; otherwise nothing is returned. `file` names the target in messages.
 */
export function renderPlist(template: string, values: Record<string, PlistFill>, file: string): string {
  const tree = new XMLParser(PARSER_OPTIONS).parse(template) as XmlNode[];
  const expected = plistRootValue(fillTree(tree, values, (v) => v, file));
  const builder = new XMLBuilder({ ...PARSER_OPTIONS, processEntities: false, suppressEmptyNode: true });
  const xml = `${PROLOG}${builder.build(body(fillTree(tree, values, escapeXmlText, file))) as string}`;
  assertReadsBack(xml, expected, file);
  return xml;
}

/** Throws UNSAFE_VALUE unless `xml` is well-formed and parses to exactly `expected`. */
export function assertReadsBack(xml: string, expected: PlistValue, file: string): void {
  const valid = XMLValidator.validate(xml);
  const actual = valid === true ? parsePlist(xml) : undefined;
  if (valid === true && isDeepStrictEqual(actual, expected)) return;
  const why =
    valid === true ? 'it does not read back as the values given' : `it is not well-formed XML (${valid.err.msg})`;
  throw new InitsockError(
    'UNSAFE_VALUE',
    `refusing to write ${file}: ${why}. A value holds something the plist cannot carry; simplify it and run again.`,
    { details: { expected, actual } },
  );
}
