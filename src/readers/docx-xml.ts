/**
 * Streaming XML helpers for OOXML parts: htmlparser2 in xml mode, with element
 * names normalised to the conventional prefixes (`w:`, `mc:`, `m:`) whatever
 * prefixes the file declares, so the readers can switch on fixed strings.
 */
import { Parser } from 'htmlparser2';

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
export function parseXml(xml: string, makeHandler: (attr: AttrGetter) => XmlHandler): void {
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
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        let c = identity ? name : canon(name);
        // Namespace declarations sit on the root (Word) or on foreign elements
        // (DrawingML); w: elements are not scanned, which keeps the hot path short.
        if (!started || c.charCodeAt(0) !== 119 /* w */ || c.charCodeAt(1) !== 58 /* : */) {
          started = true;
          if (declare(attribs)) c = identity ? name : canon(name);
        }
        handler.open(c, attribs);
      },
      onclosetag(name) {
        handler.close(identity ? name : canon(name));
      },
      ontext(data) {
        handler.text(data);
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
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
