/**
 * Streaming XML helpers for OOXML parts, with element
 * names normalised to the conventional prefixes (`w:`, `mc:`, `m:`) whatever
 * prefixes the file declares, so the readers can switch on fixed strings.
 */

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
  /** `known`: the element is one of the `names` given to parseXml (always true when none were given). */
  open(name: string, attribs: Attribs, known: boolean): void;
  close(name: string, known: boolean): void;
  text(data: string): void;
}

/** Value of a `w:`-namespace attribute, whatever prefix the file used. */
export type AttrGetter = (attribs: Attribs, local: string) => string | undefined;

/**
 * An XML part as the tokenizer reads it. A UTF-8 part (nearly all) is kept as
 * its bytes read as Latin-1, one char per byte: the markup is ASCII, so it is
 * found at the same offsets, and scanning a one-byte string is cheaper than
 * decoding the whole part into a two-byte one (Chinese text makes it so) —
 * only text and the attribute values the handler asks for are decoded, from
 * `utf8`. Cutting the bytes only at ASCII characters ('<', '>', quotes,
 * whitespace, name ends) gives the same characters as decoding the whole part:
 * a UTF-8 sequence never contains an ASCII byte, and the decoder ends a broken
 * sequence (U+FFFD) at the first ASCII byte either way.
 */
export interface XmlPart {
  /** The Latin-1 view of `utf8`, or the decoded text when `utf8` is null. */
  readonly markup: string;
  readonly utf8: Buffer | null;
}

/**
 * Parse `xml` calling the handler with canonical element names. The handler
 * factory receives an attribute getter bound to the file's own `w` prefix.
 * `attributes`: the elements whose attributes the handler reads (default:
 * all); the others get an empty attribute object.
 * `names`: every element the handler looks at; their names reach it as these
 * very strings. When the part declares `xmlns:xml` anywhere, their attributes
 * are parsed too (all attributes when `names` is not given): parsing is what
 * rejects a wrong `xmlns:xml` value, and the reader must fail (and fall back)
 * on the same files whichever attributes it reads.
 */
export function parseXml(
  xml: string | XmlPart,
  makeHandler: (attr: AttrGetter) => XmlHandler,
  attributes?: ReadonlySet<string>,
  names?: ReadonlySet<string>,
): void {
  const part = typeof xml === 'string' ? { markup: xml, utf8: null } : xml;
  if (names) for (const name of names) internKnownName(name);
  const wanted = part.markup.includes('xmlns:xml') ? names : attributes;
  const events = new XmlEvents(part.markup, part.utf8, wanted, names);
  events.handler = makeHandler((a, local) => events.attr(a, local));
  tokenize(part.markup, events);
}

const NO_ATTRIBS: Attribs = Object.freeze({}) as Attribs;

/**
 * `w:${local}`, one string per local name: a key built for each lookup is a
 * new string that V8 must find in its string table before it can look it up.
 */
const wKeys = new Map<string, string>();
function wKey(local: string): string {
  let key = wKeys.get(local);
  if (key === undefined) wKeys.set(local, (key = `w:${local}`));
  return key;
}

const NAME_LOOKED_UP = 1;
const NAME_KNOWN = 2;
const NAME_ATTRIBUTES = 4;

/**
 * Tokens to handler calls: prefixes to canonical ones, attributes parsed
 * where used. A class, not closures made per part, so that the tokenizer's
 * optimised code, which inlines these methods, stays valid from one part
 * (and file) to the next instead of deoptimising on new closures.
 */
class XmlEvents {
  handler!: XmlHandler;
  // prefix (or '' for the default namespace) -> canonical prefix
  private readonly prefixMap = new Map<string, string>([
    ['w', 'w'],
    ['mc', 'mc'],
    ['m', 'm'],
    ['r', 'r'],
  ]);
  private wPrefix = 'w';
  /** True while every declared prefix is already the canonical one (all Word output): names pass through. */
  private identity = true;
  private readonly cache = new Map<string, string>();
  private started = false;
  /**
   * Canonical names of the open elements (the prefix map may change before
   * they close), above a '' that is never popped. That first string makes V8
   * allocate the array with object elements: from `[]` it would start as a
   * small-integer array in every part, and the root's push deoptimised the
   * tokenizer (which inlines open) once per worker.
   */
  private readonly canonNames: string[] = [''];
  /** Whether each open element is known (in `names`), in step with canonNames. */
  private readonly openKnown: boolean[] = [false];
  /**
   * Per name-table slot, what this parse has looked up about that name
   * (NAME_LOOKED_UP | NAME_KNOWN | NAME_ATTRIBUTES): one array read per tag
   * instead of a Set lookup or two. Valid while names pass through unchanged
   * (`identity`), since a slot always holds the same name.
   */
  private readonly slotFlags = new Uint8Array(NAME_SLOTS);

  constructor(
    private readonly xml: string,
    private readonly utf8: Buffer | null,
    private readonly wanted: ReadonlySet<string> | undefined,
    private readonly names: ReadonlySet<string> | undefined,
  ) {}

  private flagsOf(name: string, slot: number): number {
    if (slot < 0 || !this.identity) return this.lookUp(name);
    let flags = this.slotFlags[slot];
    if (flags === 0) this.slotFlags[slot] = flags = this.lookUp(name);
    return flags;
  }

  private lookUp(name: string): number {
    const { wanted, names } = this;
    return NAME_LOOKED_UP | (names === undefined || names.has(name) ? NAME_KNOWN : 0) | (wanted === undefined || wanted.has(name) ? NAME_ATTRIBUTES : 0);
  }

  /** The characters of markup[from, to). */
  private decoded(from: number, to: number): string {
    return this.utf8 === null ? this.xml.substring(from, to) : this.utf8.toString(undefined, from, to);
  }

  attr(a: Attribs, local: string): string | undefined {
    const wPrefix = this.wPrefix;
    const v = a[wPrefix === 'w' ? wKey(local) : `${wPrefix}:${local}`];
    if (v !== undefined) return v;
    return wPrefix === 'w' ? a[local] : (a[wKey(local)] ?? a[local]);
  }

  private canon(name: string): string {
    let c = this.cache.get(name);
    if (c !== undefined) return c;
    const i = name.indexOf(':');
    const prefix = i < 0 ? '' : name.slice(0, i);
    const local = i < 0 ? name : name.slice(i + 1);
    const cp = this.prefixMap.get(prefix);
    c = cp === undefined ? (i < 0 ? local : `${prefix}:${local}`) : `${cp}:${local}`;
    this.cache.set(name, c);
    return c;
  }

  private declare(attribs: Attribs): boolean {
    const prefixMap = this.prefixMap;
    let changed = false;
    for (const k in attribs) {
      if (k.charCodeAt(0) === 120 /* x */ && (k === 'xmlns' || k.startsWith('xmlns:'))) {
        const prefix = k === 'xmlns' ? '' : k.slice(6);
        const cp = NS_CANON[attribs[k]];
        if (cp !== undefined) {
          if (prefixMap.get(prefix) !== cp) changed = true;
          prefixMap.set(prefix, cp);
          if (cp === 'w') this.wPrefix = prefix;
        } else if (prefix !== '' && prefixMap.get(prefix) === prefix) {
          // a standard-looking prefix bound to some other namespace
          prefixMap.set(prefix, `_${prefix}`);
          changed = true;
        }
      }
    }
    if (changed) {
      this.cache.clear();
      this.identity = true;
      for (const [k, v] of prefixMap) if (k !== v) this.identity = false;
    }
    return changed;
  }

  /** The tag's attributes are xml[attrsFrom, attrsTo) (empty when equal); `slot`: the raw name's in the name table, or -1. */
  open(rawName: string, slot: number, attrsFrom: number, attrsTo: number, selfClosing: boolean): void {
    let name = this.identity ? rawName : this.canon(rawName);
    let a = NO_ATTRIBS;
    // Attributes are parsed only where they are used: on w: elements the
    // handler asks for (`wanted`), and on the root and foreign (DrawingML, VML)
    // elements that may declare namespaces; most OOXML elements are formatting
    // this reader never looks at.
    if (!this.started || !(name.charCodeAt(0) === 119 /* w */ && name.charCodeAt(1) === 58) /* : */) {
      this.started = true;
      // Namespace declarations sit on the root (Word) or on foreign elements;
      // an element without "xmlns" in its tag declares none.
      const xml = this.xml;
      if ((this.flagsOf(name, slot) & NAME_ATTRIBUTES) !== 0 || xml.substring(attrsFrom, attrsTo).includes('xmlns')) {
        a = decodeAttribs(parseAttrs(this.decoded(attrsFrom, attrsTo)));
        if (this.declare(a)) name = this.identity ? rawName : this.canon(rawName);
      }
    } else if (attrsFrom < attrsTo && (this.flagsOf(name, slot) & NAME_ATTRIBUTES) !== 0) {
      a = decodeAttribs(parseAttrs(this.decoded(attrsFrom, attrsTo)));
    }
    const known = (this.flagsOf(name, slot) & NAME_KNOWN) !== 0;
    if (selfClosing) {
      this.handler.open(name, a, known);
      this.handler.close(name, known);
    } else {
      this.canonNames.push(name);
      this.openKnown.push(known);
      this.handler.open(name, a, known);
    }
  }

  close(): void {
    this.handler.close(this.canonNames.pop()!, this.openKnown.pop()!);
  }

  /** Character data at markup[from, to). */
  text(from: number, to: number): void {
    this.handler.text(decodeXmlEntities(this.decoded(from, to)));
  }

  cdata(from: number, to: number): void {
    this.handler.text(this.decoded(from, to));
  }
}

const malformed = (why: string) => new Error(`malformed XML: ${why}`);

/** First characters of an element name saxen accepts: a-z A-Z _ : */
function isNameStart(c: number): boolean {
  return (c > 96 && c < 123) || (c > 64 && c < 91) || c === 95 || c === 58;
}

/** XML name characters saxen accepts after the first: a-z A-Z 0-9 : . - _ */
function isNameChar(c: number): boolean {
  return (c > 96 && c < 123) || (c > 64 && c < 91) || (c > 47 && c < 59) || c === 45 || c === 95 || c === 46;
}

/**
 * Element names, interned: the tokenizer hashes a name while it scans it and
 * gets back the one string kept for that name, instead of a new substring per
 * tag that each Set lookup and switch in the handlers would hash and compare
 * char by char (the names the handlers look at are seeded with their own
 * literals, so those comparisons are pointer checks). Open addressing over a
 * fixed table shared by all parts and files; once it is half full, further
 * names are not kept (they are still returned, as fresh substrings).
 */
const NAME_SLOTS = 1024;
const nameSlots: string[] = Array.from({ length: NAME_SLOTS }, () => '');
let namesKept = 0;

/** Slot where the search for a name with this hash starts (multiplicative hashing: top 10 bits). */
function nameSlot(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> 22;
}

/** Does xml hold `s` at `at`? (A loop: names are short, and this inlines where startsWith is a call.) */
function matchesAt(xml: string, at: number, s: string): boolean {
  const n = s.length;
  for (let k = 0; k < n; k++) if (xml.charCodeAt(at + k) !== s.charCodeAt(k)) return false;
  return true;
}

/** The table slot of the name at xml[from, to), whose hash the tokenizer computed; -1 when the table keeps no more names. */
function internSlot(xml: string, from: number, to: number, hash: number): number {
  const len = to - from;
  for (let k = nameSlot(hash); ; k = (k + 1) & (NAME_SLOTS - 1)) {
    const kept = nameSlots[k];
    if (kept === '') {
      if (namesKept >= NAME_SLOTS / 2) return -1;
      nameSlots[k] = xml.substring(from, to);
      namesKept++;
      return k;
    }
    if (kept.length === len && matchesAt(xml, from, kept)) return k;
  }
}

/** Seeds the table with a name as the caller spells it (a literal, so already an internalized string). */
function internKnownName(name: string): void {
  let hash = name.charCodeAt(0);
  for (let k = 1; k < name.length; k++) hash = (Math.imul(hash, 31) + name.charCodeAt(k)) | 0;
  for (let k = nameSlot(hash); ; k = (k + 1) & (NAME_SLOTS - 1)) {
    const kept = nameSlots[k];
    if (kept === name) return;
    if (kept === '') {
      if (namesKept < NAME_SLOTS / 2) {
        nameSlots[k] = name;
        namesKept++;
      }
      return;
    }
  }
}

/**
 * A small XML tokenizer in place of saxen's (non-namespace mode), with the
 * same well-formedness checks and error messages: the first error makes the
 * caller fall back to mammoth, so which files fail, and why, must not change.
 * Own code rather than saxen because saxen's single 20 KB parse function costs
 * two TurboFan compiles of ~33 ms each per batch worker (it deopts at the end
 * of a part) and copies every tag's text before looking at it; here the tag
 * name is the only string made per element.
 */
function tokenize(xml: string, sink: XmlEvents): void {
  const n = xml.length;
  const stack: string[] = [];
  let rootTagFound = false;
  let j = 0;
  for (;;) {
    const i = j < n && xml.charCodeAt(j) === 60 /* < */ ? j : xml.indexOf('<', j);
    if (i === -1) {
      if (stack.length) throw malformed('unexpected end of file');
      if (!rootTagFound) throw malformed('missing start tag');
      return; // text after the root is only a warning in saxen
    }
    rootTagFound = true;
    if (j !== i && stack.length) sink.text(j, i);
    const w = xml.charCodeAt(i + 1);
    if (w === 33 /* ! */) {
      const q = xml.charCodeAt(i + 2);
      if (q === 91 /* [ */ && xml.startsWith('CDATA[', i + 3)) {
        j = xml.indexOf(']]>', i);
        if (j === -1) throw malformed('unclosed cdata');
        sink.cdata(i + 9, j);
        j += 3;
        continue;
      }
      if (q === 45 /* - */ && xml.charCodeAt(i + 3) === 45) {
        j = xml.indexOf('-->', i);
        if (j === -1) throw malformed('unclosed comment');
        j += 3;
        continue;
      }
    } else if (w === 63 /* ? */) {
      j = xml.indexOf('?>', i);
      if (j === -1) throw malformed('unclosed question');
      j += 2;
      continue;
    }
    // The tag ends at the first '>' outside a quoted attribute value (an
    // unmatched quote is taken literally, as saxen does). A name holds neither,
    // so the search starts after the element's name: on a close tag, the name
    // it must match; on an open tag, its run of name characters (also where
    // the name ends).
    let x = i + 1;
    let nameHash = w;
    let closesOpen = false;
    if (w === 47 /* / */) {
      const open = stack.length ? stack[stack.length - 1] : '';
      closesOpen = open !== '' && matchesAt(xml, i + 2, open);
      if (closesOpen) x = i + 2 + open.length;
    } else if (isNameStart(w)) {
      x = i + 2;
      for (let c = xml.charCodeAt(x); isNameChar(c); c = xml.charCodeAt(++x)) nameHash = (Math.imul(nameHash, 31) + c) | 0;
    }
    const nameEnd = x;
    for (;; x++) {
      const v = xml.charCodeAt(x);
      if (v === 62 /* > */) break;
      if (v !== v) throw malformed('unclosed tag'); // NaN: past the end
      if (v === 34 /* " */ || v === 39 /* ' */) {
        const q = xml.indexOf(v === 34 ? '"' : "'", x + 1);
        if (q !== -1) x = q;
      }
    }
    j = x;
    if (w === 33) {
      // <!DOCTYPE …> and other declarations: skipped
      j += 1;
      continue;
    }
    if (w === 47 /* / */) {
      if (!stack.length) throw malformed('missing open tag');
      const name = stack.pop()!;
      let q = i + 2 + name.length;
      if (!closesOpen) throw malformed('closing tag mismatch');
      for (; q < j; q++) {
        const c = xml.charCodeAt(q);
        if (!(c === 32 || (c > 8 && c < 14))) throw malformed('close tag');
      }
      sink.close();
    } else {
      const selfClosing = xml.charCodeAt(j - 1) === 47;
      const end = selfClosing ? j - 1 : j;
      if (!isNameStart(w)) throw malformed('illegal first char nodeName');
      // The name runs to nameEnd (<= end); what follows it must be whitespace.
      const q = nameEnd;
      if (q < end) {
        const c = xml.charCodeAt(q);
        if (!(c === 32 || (c < 14 && c > 8))) throw malformed('invalid nodeName');
      }
      const slot = internSlot(xml, i + 1, q, nameHash);
      const name = slot < 0 ? xml.substring(i + 1, q) : nameSlots[slot];
      if (!selfClosing) stack.push(name);
      sink.open(name, slot, q, end, selfClosing);
    }
    j += 1;
  }
}

/**
 * Attributes of xml[from, to) as saxen's non-namespace getAttrs reads them:
 * an attribute it would warn about (bad name, missing quotes, repeated) is
 * left out.
 */
function parseAttrs(s: string): Attribs {
  const l = s.length;
  const attrs: Attribs = {};
  let value = '';
  parseAttr: for (let i = 0; i < l; i++) {
    let skipAttr = false;
    let w = s.charCodeAt(i);
    if (w === 32 || (w < 14 && w > 8)) continue;
    if (w < 65 || w > 122 || (w > 90 && w < 97)) {
      if (w !== 95 && w !== 58) skipAttr = true; // illegal first char attribute name
    }
    let j: number;
    let nameHash = w;
    for (j = i + 1; j < l; j++) {
      w = s.charCodeAt(j);
      if ((w > 96 && w < 123) || (w > 64 && w < 91) || (w > 47 && w < 59) || w === 46 || w === 45 || w === 95) {
        nameHash = (Math.imul(nameHash, 31) + w) | 0;
        continue;
      }
      if (w === 32 || (w < 14 && w > 8)) {
        // missing attribute value
        i = j;
        continue parseAttr;
      }
      if (w === 61 /* = */) break;
      nameHash = (Math.imul(nameHash, 31) + w) | 0;
      skipAttr = true; // illegal attribute name char
    }
    // Interned like element names: the same few attribute names come back on every tag, as keys V8 has already seen.
    const slot = internSlot(s, i, j, nameHash);
    const name = slot < 0 ? s.substring(i, j) : nameSlots[slot];
    if (name === 'xmlns:xmlns') skipAttr = true;
    w = s.charCodeAt(j + 1);
    if (w === 34 || w === 39) {
      const quote = w === 34 ? '"' : "'";
      j = s.indexOf(quote, (i = j + 2));
      if (j === -1) {
        j = s.indexOf(w === 34 ? "'" : '"', i);
        if (j !== -1) skipAttr = true; // attribute value quote mismatch
      }
    } else {
      skipAttr = true; // missing attribute value quotes
      for (j = j + 1; j < l; j++) {
        w = s.charCodeAt(j + 1);
        if (w === 32 || (w < 14 && w > 8)) break;
      }
    }
    if (j === -1) {
      j = l; // missing closing quotes
      skipAttr = true;
    }
    if (!skipAttr) value = s.substring(i, j);
    if (name === 'xmlns:xml' && value !== 'http://www.w3.org/XML/1998/namespace') throw malformed('illegal value of xmlns:xml');
    i = j;
    // anything but whitespace straight after the value spoils the attribute
    for (; j + 1 < l; j++) {
      w = s.charCodeAt(j + 1);
      if (w === 32 || (w < 14 && w > 8)) break;
      if (i === j) skipAttr = true;
    }
    i = j + 1;
    if (skipAttr) continue;
    if (Object.prototype.hasOwnProperty.call(attrs, name)) continue; // repeated attribute: the first wins
    attrs[name] = value;
  }
  return attrs;
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

/** An XML part from its bytes: UTF-8 (BOM optional) or UTF-16 with BOM. */
export function decodeXml(bytes: Uint8Array): XmlPart {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { markup: new TextDecoder('utf-16le').decode(bytes), utf8: null };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { markup: new TextDecoder('utf-16be').decode(bytes), utf8: null };
  // The BOM is not text (a TextDecoder drops it too).
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const utf8 = Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.byteLength - bom);
  return { markup: utf8.toString('latin1'), utf8 };
}
