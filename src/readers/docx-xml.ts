/**
 * Streaming XML helpers for OOXML parts (saxen), with element
 * names normalised to the conventional prefixes (`w:`, `mc:`, `m:`) whatever
 * prefixes the file declares, so the readers can switch on fixed strings.
 */
import { Parser as SaxParser } from 'saxen';

const NS_CANON: Record<string, string> = {
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main': 'w',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'http://schemas.openxmlformats.org/officeDocument/2006/math': 'm',
  'http://purl.oclc.org/ooxml/officeDocument/math': 'm',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'r',
  'http://purl.oclc.org/ooxml/officeDocument/relationships': 'r',
  'http://schemas.openxmlformats.org/package/2006/relationships': 'pr',
};

export type Attribs = Record<string, string>;

export interface XmlHandler {
  open(name: string, attribs: Attribs): void;
  close(name: string): void;
  text(data: string): void;
}

/** Value of a `w:`-namespace attribute, whatever prefix the file used. */
export type AttrGetter = (attribs: Attribs, local: string) => string | undefined;

/**
 * Parse `xml` calling the handler with canonical element names. The handler
 * factory receives an attribute getter bound to the file's own `w` prefix.
 */
export function parseXml(xml: string, makeHandler: (attr: AttrGetter) => XmlHandler, wanted?: ReadonlySet<string>): void {
  // prefix (or '' for the default namespace) -> canonical prefix
  const prefixMap = new Map<string, string>([
    ['w', 'w'],
    ['mc', 'mc'],
    ['m', 'm'],
    ['r', 'r'],
  ]);
  let wPrefix = 'w';
  // True while every declared prefix is already the canonical one (all Word output): names pass through.
  let identity = true;
  const cache = new Map<string, string>();
  const canon = (name: string): string => {
    let c = cache.get(name);
    if (c !== undefined) return c;
    const i = name.indexOf(':');
    const prefix = i < 0 ? '' : name.slice(0, i);
    const local = i < 0 ? name : name.slice(i + 1);
    const cp = prefixMap.get(prefix);
    c = cp === undefined ? (i < 0 ? local : `${prefix}:${local}`) : `${cp}:${local}`;
    cache.set(name, c);
    return c;
  };
  const attr: AttrGetter = (a, local) => {
    const v = a[`${wPrefix}:${local}`];
    if (v !== undefined) return v;
    return wPrefix === 'w' ? a[local] : (a[`w:${local}`] ?? a[local]);
  };
  const handler = makeHandler(attr);
  let started = false;
  const declare = (attribs: Attribs): boolean => {
    let changed = false;
    for (const k in attribs) {
      if (k.charCodeAt(0) === 120 /* x */ && (k === 'xmlns' || k.startsWith('xmlns:'))) {
        const prefix = k === 'xmlns' ? '' : k.slice(6);
        const cp = NS_CANON[attribs[k]];
        if (cp !== undefined) {
          if (prefixMap.get(prefix) !== cp) changed = true;
          prefixMap.set(prefix, cp);
          if (cp === 'w') wPrefix = prefix;
        } else if (prefix !== '' && prefixMap.get(prefix) === prefix) {
          // a standard-looking prefix bound to some other namespace
          prefixMap.set(prefix, `_${prefix}`);
          changed = true;
        }
      }
    }
    if (changed) {
      cache.clear();
      identity = true;
      for (const [k, v] of prefixMap) if (k !== v) identity = false;
    }
    return changed;
  };
  const isW = (c: string) => c.charCodeAt(0) === 119 /* w */ && c.charCodeAt(1) === 58; /* : */

  // saxen rather than htmlparser2: it parses an element's attributes only when
  // asked, and most OOXML elements are formatting this reader never looks at
  // (2.5x faster on Word's document.xml). It stops at the first well-formedness
  // error, which the caller turns into the mammoth fallback.
  const openNames: string[] = [];
  const NO_ATTRIBS: Attribs = Object.freeze({}) as Attribs;
  const parser = new SaxParser();
  parser.on('openTag', (rawName, getAttrs, _decode, selfClosing) => {
    let name = identity ? rawName : canon(rawName);
    let a = NO_ATTRIBS;
    if (!started || !isW(name)) {
      // Namespace declarations sit on the root (Word) or on foreign elements
      // (DrawingML); w: elements are not scanned, which keeps the hot path short.
      started = true;
      a = decodeAttribs(getAttrs());
      if (declare(a)) name = identity ? rawName : canon(rawName);
    } else if (wanted === undefined || wanted.has(name)) {
      a = decodeAttribs(getAttrs());
    }
    if (!selfClosing) openNames.push(name);
    handler.open(name, a);
    if (selfClosing) handler.close(name);
  });
  parser.on('closeTag', (_rawName, _decode, selfClosing) => {
    if (!selfClosing) handler.close(openNames.pop()!);
  });
  parser.on('text', (value) => handler.text(decodeXmlEntities(value)));
  parser.on('cdata', (value) => handler.text(value));
  parser.on('error', (err) => {
    throw new Error(`malformed XML: ${err.message}`);
  });
  parser.parse(xml);
}

const XML_ENTITY = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The five XML entities and character references; anything else is left as written. */
export function decodeXmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(XML_ENTITY, (m, dec: string | undefined, hex: string | undefined, named: string | undefined) => {
    if (named) return NAMED[named];
    const cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
  });
}

function decodeAttribs(a: Record<string, string>): Attribs {
  for (const k in a) {
    const v = a[k];
    if (v.indexOf('&') >= 0) a[k] = decodeXmlEntities(v);
  }
  return a;
}

/** OOXML on/off property: absent val or anything but false/0/off is on. */
export function isOn(v: string | undefined): boolean {
  return v === undefined || !(v === '0' || v === 'false' || v === 'off' || v === 'none');
}

/** Decode an XML part: UTF-8 (BOM optional) or UTF-16 with BOM. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}
