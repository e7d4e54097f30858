/**
 * w:altChunk: a part of another format imported into the document where it
 * stands. "Export to Word" buttons of many web systems (html-docx-js and
 * kin) produce a docx whose whole body is one altChunk of MHT/HTML, so the
 * plan lives there. HTML/MHT chunks go through the html reader, text chunks
 * become paragraphs, an embedded docx is read recursively; others are named
 * in a warning.
 */
import type { Block, ReaderWarning } from '../model/document.js';
import { decodeText } from './encoding.js';
import type { ZipArchive, ZipEntry, ZipLimits } from './docx-zip.js';

export interface AltChunkRef {
  /** Index in the block list where the chunk's blocks go. */
  at: number;
  rId: string;
}

export interface ChunkContext {
  zip: ZipArchive;
  /** Main part name, e.g. word/document.xml (rels live next to it). */
  mainName: string;
  /** Entries already inflated (counted against the caps). */
  inflated: ZipEntry[];
  limits: ZipLimits;
  readEmbeddedDocx: (bytes: Uint8Array) => Promise<Block[]>;
}

/** Blocks of every chunk, spliced into `blocks` at their positions. */
export async function insertAltChunks(blocks: Block[], refs: AltChunkRef[], ctx: ChunkContext, warnings: ReaderWarning[]): Promise<void> {
  if (!refs.length) return;
  const rels = readRels(ctx);
  const resolved: { ref: AltChunkRef; entry: ZipEntry | undefined; target: string }[] = [];
  for (const ref of refs) {
    const target = rels.get(ref.rId) ?? '';
    const entry = target ? ctx.zip.find(resolveTarget(ctx.mainName, target)) : undefined;
    resolved.push({ ref, entry, target });
  }
  const entries = resolved.map((r) => r.entry).filter((e): e is ZipEntry => !!e);
  ctx.zip.checkLimits([...ctx.inflated, ...entries], ctx.limits);
  // insert from the back so earlier positions stay valid
  for (const r of resolved.reverse()) {
    if (!r.entry) {
      warnings.push({ code: 'DOCX_ALTCHUNK', message: `imported chunk ${r.ref.rId} (${r.target || 'no target'}) not found in the package; its text is missing` });
      continue;
    }
    let chunk: Block[] | null = null;
    try {
      chunk = await readChunk(ctx, r.entry);
    } catch (err) {
      if ((err as { code?: string }).code === 'ZIP_BOMB') throw err;
      warnings.push({ code: 'DOCX_ALTCHUNK', message: `imported chunk ${r.entry.name} could not be read (${(err as Error).message})` });
      continue;
    }
    if (chunk === null) {
      warnings.push({ code: 'DOCX_ALTCHUNK', message: `imported chunk ${r.entry.name} is in a format this reader does not read; its text is missing` });
      continue;
    }
    blocks.splice(r.ref.at, 0, ...chunk);
  }
}

async function readChunk(ctx: ChunkContext, entry: ZipEntry): Promise<Block[] | null> {
  const bytes = ctx.zip.read(entry);
  const name = entry.name.toLowerCase();
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 2048)).toString('latin1');
  if (/\.(mht|mhtml)$/.test(name) || /^\s*(MIME-Version|Content-Type)\s*:/im.test(head.slice(0, 512))) {
    const html = mhtToHtml(bytes);
    return html === null ? null : htmlBlocks(html);
  }
  if (/\.(html?|xhtml)$/.test(name) || /<(html|body|table|p)[\s>]/i.test(head)) {
    return htmlBlocks(decodeText(bytes, { declared: metaCharset(head) }).text);
  }
  if (/\.docx$/.test(name) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) return ctx.readEmbeddedDocx(bytes);
  if (/\.txt$/.test(name)) {
    return decodeText(bytes)
      .text.split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .map((text) => ({ kind: 'paragraph', text }));
  }
  return null;
}

async function htmlBlocks(html: string): Promise<Block[]> {
  const { readHtml } = await import('./html.js');
  // hand over UTF-8 with a BOM so no <meta charset> in the chunk can re-decode it
  const doc = await readHtml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html, 'utf8')]));
  return doc.blocks;
}

function metaCharset(head: string): string | undefined {
  return /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head)?.[1];
}

/** The text/html part of a MIME (MHT) message, decoded to a string. */
export function mhtToHtml(bytes: Uint8Array): string | null {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const split = (s: string): [string, string] => {
    const m = /\r?\n\r?\n/.exec(s);
    return m ? [s.slice(0, m.index), s.slice(m.index + m[0].length)] : [s, ''];
  };
  const [topHeaders, topBody] = split(raw);
  const boundary = /boundary\s*=\s*"?([^";\r\n]+)"?/i.exec(topHeaders)?.[1];
  const parts: [string, string][] = boundary
    ? topBody
        .split(`--${boundary}`)
        .slice(1)
        .filter((p) => !p.startsWith('--'))
        .map((p) => split(p.replace(/^\r?\n/, '')))
    : [[topHeaders, topBody]];
  for (const [headers, body] of parts) {
    const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
    const type = /^content-type\s*:\s*([^;\s]+)/im.exec(unfolded)?.[1]?.toLowerCase() ?? 'text/html';
    if (type !== 'text/html') continue;
    const charset = /charset\s*=\s*"?([^";\s]+)"?/i.exec(unfolded)?.[1];
    const enc = /^content-transfer-encoding\s*:\s*(\S+)/im.exec(unfolded)?.[1]?.toLowerCase();
    let data: Uint8Array;
    if (enc === 'quoted-printable') data = decodeQuotedPrintable(body);
    else if (enc === 'base64') data = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    else data = Buffer.from(body, 'latin1');
    return decodeText(data, { declared: charset ?? metaCharset(Buffer.from(data.subarray(0, 2048)).toString('latin1')) }).text;
  }
  return null;
}

function decodeQuotedPrintable(s: string): Uint8Array {
  const text = s.replace(/=\r?\n/g, '');
  const out = Buffer.alloc(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out[n++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[n++] = c & 0xff;
    }
  }
  return out.subarray(0, n);
}

/** word/_rels/document.xml.rels: relationship id → target. */
function readRels(ctx: ChunkContext): Map<string, string> {
  const map = new Map<string, string>();
  const slash = ctx.mainName.lastIndexOf('/');
  const relsName = `${ctx.mainName.slice(0, slash + 1)}_rels/${ctx.mainName.slice(slash + 1)}.rels`;
  const entry = ctx.zip.find(relsName);
  if (!entry) return map;
  ctx.zip.checkLimits([...ctx.inflated, entry], ctx.limits);
  const xml = new TextDecoder().decode(ctx.zip.read(entry));
  for (const m of xml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const id = /\bId\s*=\s*"([^"]*)"/.exec(m[1])?.[1];
    const target = /\bTarget\s*=\s*"([^"]*)"/.exec(m[1])?.[1];
    const external = /\bTargetMode\s*=\s*"External"/i.test(m[1]);
    if (id && target && !external) map.set(id, target.replace(/&amp;/g, '&'));
  }
  return map;
}

function resolveTarget(mainName: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const base = mainName.slice(0, mainName.lastIndexOf('/') + 1).split('/').filter(Boolean);
  for (const seg of target.split('/')) {
    if (seg === '..') base.pop();
    else if (seg !== '.' && seg !== '') base.push(seg);
  }
  return base.join('/');
}
