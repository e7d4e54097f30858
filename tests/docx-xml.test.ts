import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { Parser as SaxParser } from 'saxen';
import { decodeXml, decodeXmlEntities, parseXml } from '../src/readers/docx-xml.js';
import type { XmlPart } from '../src/readers/docx-xml.js';

// The docx reader's own tokenizer replaced saxen's; saxen stays the oracle:
// same events, and the same first error (it decides whether a document goes
// to the mammoth fallback, and the fallback warning quotes it).

function viaSaxen(xml: string): string[] {
  const ev: string[] = [];
  const parser = new SaxParser();
  parser.on('openTag', (name, getAttrs, _decode, selfClosing) => {
    const a = getAttrs() as Record<string, string>;
    for (const k in a) a[k] = decodeXmlEntities(a[k]);
    ev.push(`<${name} ${JSON.stringify(a)}`);
    if (selfClosing) ev.push(`</${name}`);
  });
  parser.on('closeTag', (name, _decode, selfClosing) => {
    if (!selfClosing) ev.push(`</${name}`);
  });
  parser.on('text', (t) => ev.push(`t${decodeXmlEntities(t)}`));
  parser.on('cdata', (t) => ev.push(`t${t}`));
  parser.on('error', (err) => {
    throw new Error(`malformed XML: ${err.message}`);
  });
  try {
    parser.parse(xml);
  } catch (e) {
    ev.push(`E${(e as Error).message}`);
  }
  return ev;
}

function viaReader(xml: string | XmlPart, attributes?: ReadonlySet<string>, names?: ReadonlySet<string>): string[] {
  const ev: string[] = [];
  try {
    parseXml(xml, () => ({
      open: (name, a) => ev.push(`<${name} ${JSON.stringify(a)}`),
      close: (name) => ev.push(`</${name}`),
      text: (t) => ev.push(`t${t}`),
    }), attributes, names);
  } catch (e) {
    ev.push(`E${(e as Error).message}`);
  }
  return ev;
}

const EDGE = [
  '<a/>', '<a/ >', '<a b>', '<a></ab>', '<a></a >', '<a></a\n>', '<a></a b>', '<a></>', '<a><b/></a>', '<a b="x>y"/>',
  "<a b='x\"y'>t</a>", '<a b="c', '<a', '<a>', '</a>', '<1a/>', '<a-b.c:d/>', '<a\tb="1"/>', '<a b="1"c="2"/>', '<a/><b/>',
  ' x <a/> y', '', '<?xml version="1.0"?>', '<!DOCTYPE x><a/>', '<a><![CDATA[x<y]]></a>', '<a><!-- c --></a>',
  '<a>&amp;&#x41;&#66;&bogus;</a>', '<é/>', '<aé/>', '<a b="1" b="2"/>', '<a xmlns:xml="y"/>', '<a/', '<a\n/>', '<a:b:c/>',
  '<w:p></w:p', '<a>x</a>trail', '<a>><</a>', '<a><</a>', '<a b="/"/>', '<a b=c d="e"/>', '<a b="1"/><c/>',
];

describe('docx XML tokenizer', () => {
  it('gives saxen\'s events and errors on edge cases', () => {
    for (const xml of EDGE) expect(viaReader(xml), xml).toEqual(viaSaxen(xml));
  });

  it('gives saxen\'s events and errors on damaged copies of the corpus document.xml', () => {
    const dir = join(__dirname, '../fixtures/corpus');
    const parts: string[] = [];
    for (const d of readdirSync(dir)) {
      for (const f of readdirSync(join(dir, d))) {
        if (!f.endsWith('.docx')) continue;
        const xml = strFromU8(unzipSync(readFileSync(join(dir, d, f)))['word/document.xml']);
        // without namespace declarations, names reach the handler as written, as saxen reports them
        parts.push(xml.replace(/\sxmlns(?::\w+)?="[^"]*"/g, '').slice(0, 12000));
      }
    }
    expect(parts.length).toBeGreaterThan(0);
    const junk = ['<', '>', '"', "'", '/', '&', ' ', '=', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', 'xmlns:xml="b"', 'é', '</w:p>', '<w:t>', ':'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let it = 0; it < 300; it++) {
      let x = parts[rnd(parts.length)];
      for (let m = 1 + rnd(3); m > 0; m--) {
        const at = rnd(x.length);
        const op = rnd(3);
        if (op === 0) x = x.slice(0, at) + x.slice(at + 1 + rnd(5));
        else if (op === 1) x = x.slice(0, at) + junk[rnd(junk.length)] + x.slice(at);
        else x = x.slice(0, at) + x.slice(at + 1, at + 1 + rnd(30)) + x.slice(at);
      }
      expect(viaReader(x)).toEqual(viaSaxen(x));
    }
  });

  it('gives the same events from a UTF-8 part\'s bytes (Latin-1 markup, decoded text) as from its decoded text', () => {
    const dir = join(__dirname, '../fixtures/corpus');
    const parts: Uint8Array[] = [];
    for (const d of readdirSync(dir)) {
      for (const f of readdirSync(join(dir, d))) {
        if (f.endsWith('.docx')) parts.push(unzipSync(readFileSync(join(dir, d, f)))['word/document.xml'].slice(0, 12000));
      }
    }
    const utf8 = new TextEncoder();
    const junk = [[0xef, 0xbb, 0xbf], [0xe4, 0xb8], [0x80], [0xff], [0xc3], [0xe4], ...['<', '>', '"', '/', '&', ' ', 'é', '中', '</w:p>', '<w:t>', ':', '<![CDATA[\u00e4]]>', 'xmlns:xml="b"'].map((t) => [...utf8.encode(t)])];
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const attributes = new Set(['w:jc']);
    const names = new Set(['w:p', 'w:jc', 'w:t']);
    const cases: Uint8Array[] = [utf8.encode('\ufeff<a b="中">x\u00e9</a>'), utf8.encode('<a>\ufeffx</a>'), ...parts];
    for (let it = 0; it < 200; it++) {
      let x = [...parts[rnd(parts.length)]];
      for (let m = 1 + rnd(3); m > 0; m--) {
        const at = rnd(x.length);
        const op = rnd(3);
        if (op === 0) x.splice(at, 1 + rnd(5));
        else if (op === 1) x.splice(at, 0, ...junk[rnd(junk.length)]);
        else x.splice(at, 0, ...x.slice(at + 1, at + 1 + rnd(30)));
      }
      cases.push(Uint8Array.from(x));
    }
    for (const bytes of cases) {
      const part = decodeXml(bytes);
      expect(part.utf8).not.toBeNull();
      const text = new TextDecoder().decode(bytes);
      expect(viaReader(part)).toEqual(viaReader(text));
      expect(viaReader(part, attributes, names)).toEqual(viaReader(text, attributes, names));
    }
  });
});
