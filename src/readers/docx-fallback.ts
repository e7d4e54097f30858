/**
 * Fallback docx path: mammoth's HTML turned into intermediate blocks. Used
 * only when the direct OOXML reader meets something it does not understand.
 * mammoth ignores w:gridBefore/w:gridAfter, so merges in late-starting rows
 * may land in the wrong column; the caller warns about that.
 */
import mammoth from 'mammoth';
import { load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Block, TableBlock, TableCell } from '../model/document.js';

export async function readDocxWithMammoth(bytes: Uint8Array): Promise<Block[]> {
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
  );
  return htmlToBlocks(result.value);
}

/** mammoth's flat HTML (p, h1–h6, table, ul/ol) → blocks in order. */
export function htmlToBlocks(html: string): Block[] {
  const $ = load(html);
  const blocks: Block[] = [];
  const walk = (nodes: AnyNode[]) => {
    for (const n of nodes) {
      if (n.type !== 'tag') continue;
      const el = n as Element;
      const tag = el.name.toLowerCase();
      const h = /^h([1-6])$/.exec(tag);
      if (h) {
        const text = blockText(el);
        if (text) blocks.push({ kind: 'heading', level: Number(h[1]), text });
      } else if (tag === 'table') {
        const t = htmlTable(el);
        if (t) blocks.push(t);
      } else if (tag === 'ul' || tag === 'ol') {
        for (const li of el.children) if (li.type === 'tag') walk([li]);
      } else if (tag === 'p' || tag === 'li') {
        const text = blockText(el);
        if (text) blocks.push({ kind: 'paragraph', text });
      } else {
        walk(el.children);
      }
    }
  };
  walk($.root().children().toArray());
  return blocks;
}

const BLOCK_TAGS = new Set(['p', 'div', 'li', 'ul', 'ol', 'table', 'tr', 'td', 'th', 'thead', 'tbody', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Text of an element with paragraphs, list items and nested cells on their own lines. */
export function blockText(el: Element): string {
  const out: string[] = [];
  const rec = (n: AnyNode) => {
    if (n.type === 'text') out.push((n as unknown as { data: string }).data);
    else if (n.type === 'tag') {
      const e = n as Element;
      const tag = e.name.toLowerCase();
      if (tag === 'br') {
        out.push('\n');
        return;
      }
      const block = BLOCK_TAGS.has(tag);
      if (block) out.push('\n');
      for (const c of e.children) rec(c);
      if (block) out.push('\n');
    }
  };
  for (const c of el.children) rec(c);
  return out
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

/** An HTML table's own rows (not nested tables') → grid cells honouring rowspan/colspan. */
export function htmlTable(table: Element): TableBlock | null {
  const rows: Element[] = [];
  const collect = (n: Element) => {
    for (const c of n.children) {
      if (c.type !== 'tag') continue;
      const e = c as Element;
      const tag = e.name.toLowerCase();
      if (tag === 'tr') rows.push(e);
      else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot') collect(e);
    }
  };
  collect(table);
  if (!rows.length) return null;
  const occupied: boolean[][] = [];
  const cells: TableCell[] = [];
  const headerRows: number[] = [];
  let cols = 0;
  rows.forEach((tr, r) => {
    occupied[r] ??= [];
    const parentTag = (tr.parent as Element | null)?.name?.toLowerCase();
    let allTh = true;
    let col = 0;
    for (const c of tr.children) {
      if (c.type !== 'tag') continue;
      const td = c as Element;
      const tag = td.name.toLowerCase();
      if (tag !== 'td' && tag !== 'th') continue;
      if (tag !== 'th') allTh = false;
      while (occupied[r][col]) col++;
      const rowSpan = Math.max(1, Math.min(rows.length - r, parseInt(td.attribs.rowspan ?? '1', 10) || 1));
      const colSpan = Math.max(1, Math.min(1000, parseInt(td.attribs.colspan ?? '1', 10) || 1));
      for (let rr = r; rr < r + rowSpan; rr++) {
        occupied[rr] ??= [];
        for (let cc = col; cc < col + colSpan; cc++) occupied[rr][cc] = true;
      }
      cells.push({ row: r, col, rowSpan, colSpan, text: blockText(td) });
      col += colSpan;
      cols = Math.max(cols, col);
    }
    if (parentTag === 'thead' || (allTh && headerRows.length === r)) headerRows.push(r);
  });
  const t: TableBlock = { kind: 'table', rows: rows.length, cols, cells, origin: 'grid' };
  if (headerRows.length) t.headerRows = headerRows;
  return t;
}
