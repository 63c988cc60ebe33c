// Reads a plist document (as fast-xml-parser's ordered tree) into plain values, to compare what we wrote with what we meant.
import { XMLParser } from 'fast-xml-parser';
import { InitsockError } from '../errors.js';

/** The plist values initsock uses. Integers are numbers; <true/>/<false/> are booleans. */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/** One node of fast-xml-parser's preserveOrder tree: `{ tag: children, ':@'?: attributes }` or `{ '#text': s }`. */
export type XmlNode = Record<string, unknown>;

/** The parser options for plists: order, comments and whitespace kept; no value conversion; entities decoded. */
export const PARSER_OPTIONS = {
  preserveOrder: true,
  commentPropName: '#comment',
  ignoreAttributes: false,
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
} as const;

const bad = (why: string): InitsockError =>
  new InitsockError(
    'TEMPLATE_ERROR',
    `the plist is not well-formed: ${why}. This is a bug in initsock's plist template; please report it.`,
  );

/** The element name of a node, or null for text and comments. */
export function tagOf(node: XmlNode): string | null {
  const tag = Object.keys(node).find((k) => k !== ':@');
  return tag === undefined || tag === '#text' || tag === '#comment' ? null : tag;
}

/** The element children of a node (text between elements and comments dropped). */
export function elementsOf(children: XmlNode[]): XmlNode[] {
  return children.filter((c) => tagOf(c) !== null);
}

function textOf(children: XmlNode[]): string {
  return children.map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('');
}

function dictOf(children: XmlNode[]): { [key: string]: PlistValue } {
  const els = elementsOf(children);
  const out: { [key: string]: PlistValue } = {};
  for (let i = 0; i < els.length; i += 2) {
    const k = els[i] as XmlNode;
    const v = els[i + 1];
    if (tagOf(k) !== 'key' || !v) throw bad('a <dict> entry is not a <key> followed by a value');
    const key = textOf(k.key as XmlNode[]);
    if (Object.hasOwn(out, key)) throw bad(`the key ${JSON.stringify(key)} appears twice in one <dict>`);
    out[key] = plistValueOf(v);
  }
  return out;
}

/** Converts one plist element to its value. */
export function plistValueOf(node: XmlNode): PlistValue {
  const tag = tagOf(node);
  const children = (node[tag ?? ''] ?? []) as XmlNode[];
  switch (tag) {
    case 'string':
      return textOf(children);
    case 'integer': {
      const text = textOf(children).trim();
      if (!/^-?\d+$/.test(text)) throw bad(`<integer> holds ${JSON.stringify(text)}`);
      return Number(text);
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'array':
      return elementsOf(children).map(plistValueOf);
    case 'dict':
      return dictOf(children);
    default:
      throw bad(`unexpected element <${String(tag)}>`);
  }
}

/** The value under the <plist> root of an ordered tree. */
export function plistRootValue(tree: XmlNode[]): PlistValue {
  const root = elementsOf(tree).find((n) => tagOf(n) === 'plist');
  const inner = root ? elementsOf(root.plist as XmlNode[]) : [];
  if (inner.length !== 1) throw bad('<plist> must hold exactly one value');
  return plistValueOf(inner[0] as XmlNode);
}

/** Parses plist XML text into its value. */
export function parsePlist(xml: string): PlistValue {
  return plistRootValue(new XMLParser(PARSER_OPTIONS).parse(xml) as XmlNode[]);
}
