/**
 * PDF reader: pdf.js text items with positions + ruling lines from the
 * operator list → intermediate document (headings, paragraphs, one table
 * block per page piece). No task logic here.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Block, IntermediateDocument, ReaderWarning, TableBlock, TableCell } from '../model/document.js';
import { InputError } from '../model/document.js';
import { withoutCanvas } from './pdf-canvas.js';
import { groupLines, itemsToRuns, type Line, type Run } from './pdf-text.js';
import { extractSegments, mergeSegments, type DrawOpsTable, type OpsTable, type Segment } from './pdf-rules.js';
import { buildRuledTables, type GridTable } from './pdf-grid.js';
import { findFlatTables, type FlatTable, type FlatState } from './pdf-flat.js';
import {
  continuesAcrossPages,
  isContinuedMarker,
  isPageNumber,
  joinWrapped,
  linesToBlocks,
  measureMargins,
  removeFurniture,
  type Margins,
  type PageLines,
} from './pdf-layout.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjsPromise: Promise<PdfJs> | null = null;
let assetDir: string | null = null;

/**
 * pdf.js's legacy build (the one for Node) bundles core-js, which replaces
 * Array.prototype.push and JSON.parse, process-wide, with JavaScript versions
 * many times slower than the engine's (and Function.prototype.toString with a
 * wrapper). push alone was a fifth of the time of reading a PDF, and it slowed
 * every later docx/html/txt conversion in the same worker thread. The library
 * and its in-process worker are loaded together, then the engine's own
 * methods are put back: they are correct for everything pdf.js does with them.
 * Exported so the benchmark's bare pdf.js baseline loads it the same way.
 */
export function loadPdfJs(): Promise<PdfJs> {
  if (!pdfjsPromise) {
    pdfjsPromise = (async () => {
      const natives: [object, string, PropertyDescriptor | undefined][] = [
        [Array.prototype, 'push', Object.getOwnPropertyDescriptor(Array.prototype, 'push')],
        [JSON, 'parse', Object.getOwnPropertyDescriptor(JSON, 'parse')],
        [Function.prototype, 'toString', Object.getOwnPropertyDescriptor(Function.prototype, 'toString')],
      ];
      const lib = await withoutCanvas(async () => {
        const display = await import('pdfjs-dist/legacy/build/pdf.mjs');
        // The fake (same-thread) worker imports this same module later; loading it now lets its polyfills be undone too.
        await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
        return display;
      });
      for (const [owner, key, desc] of natives) if (desc) Object.defineProperty(owner, key, desc);
      installFontFaceStub();
      return lib;
    })();
  }
  return pdfjsPromise;
}

function pdfjsDir(): string {
  if (assetDir) return assetDir;
  const req = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = req.resolve('pdfjs-dist/package.json');
  } catch {
    const pp = req.resolve('pdf-parse/package.json');
    pkg = createRequire(pp).resolve('pdfjs-dist/package.json');
  }
  assetDir = path.dirname(pkg);
  return assetDir;
}

/**
 * Fonts are only ever measured here, never drawn. Without a font-loading API
 * (Node has no FontFace and no document) pdf.js gives up on each font and has
 * its worker compile every glyph into a drawing path and post it over (a
 * sixth of the time of reading a PDF). A document whose font set accepts
 * anything and a FontFace that is loaded at once let it skip that.
 */
const FONT_SINK = { fonts: { add() {}, delete() {} } };

function installFontFaceStub(): void {
  const g = globalThis as { FontFace?: unknown };
  if (g.FontFace !== undefined) return;
  g.FontFace = class FontFaceStub {
    readonly loaded: Promise<FontFaceStub>;
    constructor(readonly family: string) {
      this.loaded = Promise.resolve(this);
    }
    load(): Promise<FontFaceStub> {
      return this.loaded;
    }
  };
}

/** Everything one page contributes before layout. */
export interface PageData {
  page: number;
  width: number;
  height: number;
  runs: Run[];
  segs: Segment[];
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * The options gov-plan opens every PDF with (CJK cmaps, no eval: CVE-2024-4367).
 * Exported so the benchmark's bare pdf.js baseline opens files the same way.
 */
export function pdfLoadOptions(bytes: Uint8Array) {
  const dir = pdfjsDir();
  return {
    // A plain copy: pdf.js transfers (detaches) what it is given and refuses a Node Buffer.
    data: new Uint8Array(bytes),
    cMapUrl: dir + path.sep + 'cmaps' + path.sep,
    cMapPacked: true,
    standardFontDataUrl: dir + path.sep + 'standard_fonts' + path.sep,
    isEvalSupported: false,
    disableFontFace: false,
    ownerDocument: FONT_SINK,
    useSystemFonts: false,
    useWorkerFetch: false,
    verbosity: 0,
    stopAtErrors: false,
  };
}

/** Open the document, mapping pdf.js failures to one clear InputError. */
async function openDocument(pdfjs: PdfJs, bytes: Uint8Array) {
  const task = pdfjs.getDocument(pdfLoadOptions(bytes));
  try {
    return await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw classify(e);
  }
}

/** A complete PDF ends with %%EOF (writers may add a line break or a little padding after it). */
function endsWithEof(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.length - 2048));
  return tail.lastIndexOf('%%EOF') >= 0;
}

function classify(e: unknown): InputError {
  if (e instanceof InputError) return e;
  const name = (e as { name?: string } | null)?.name ?? '';
  const msg = errorMessage(e);
  if (name === 'PasswordException') {
    return new InputError('PDF_ENCRYPTED', `encrypted PDF: a password is required to open it (${msg})`);
  }
  return new InputError('PDF_CORRUPT', `corrupt or truncated PDF: ${msg}`);
}

/**
 * pdf.js rejects some promises of its own that nobody awaits when a damaged
 * file's cross-reference entries are bad (seen under doc.getPage): the page
 * then simply comes back empty. Those rejections are collected while a file
 * is read, so that the file is reported as damaged rather than as a scan,
 * and they do not escape as unhandled. Anything else is passed on as Node
 * would have handled it.
 */
function collectPdfJsRejections(): { messages: string[]; stop: () => Promise<void> } {
  const messages: string[] = [];
  const listener = (reason: unknown) => {
    const name = (reason as { name?: string } | null)?.name ?? '';
    if (/Exception$|^FormatError$/.test(name) && reason instanceof Error) {
      messages.push(reason.message);
      return;
    }
    if (process.listenerCount('unhandledRejection') === 1) throw reason;
  };
  process.on('unhandledRejection', listener);
  return {
    messages,
    // Rejections are reported after the microtasks of the turn that made them: let that turn end first.
    stop: () =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          process.off('unhandledRejection', listener);
          resolve();
        }),
      ),
  };
}

export async function readPdf(bytes: Uint8Array): Promise<IntermediateDocument> {
  const pdfjs = await loadPdfJs();
  const strays = collectPdfJsRejections();
  try {
    return await readOpenedPdf(pdfjs, bytes, strays.messages);
  } finally {
    await strays.stop();
  }
}

async function readOpenedPdf(pdfjs: PdfJs, bytes: Uint8Array, strays: string[]): Promise<IntermediateDocument> {
  const doc = await openDocument(pdfjs, bytes);
  const warnings: ReaderWarning[] = [];
  try {
    const OPS = pdfjs.OPS as unknown as OpsTable;
    const DRAW = ((pdfjs as unknown as { DrawOPS?: DrawOpsTable }).DrawOPS ?? {
      moveTo: 0,
      lineTo: 1,
      curveTo: 2,
      closePath: 3,
    }) as DrawOpsTable;
    const pages: PageData[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      let data: PageData;
      try {
        const page = await doc.getPage(p);
        const viewport = page.getViewport({ scale: 1 });
        // one call each, in sequence (measured a little faster than in parallel, and less memory)
        const tc = await page.getTextContent();
        const ol = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
        const vt = viewport.transform as number[];
        data = {
          page: p,
          width: viewport.width,
          height: viewport.height,
          runs: itemsToRuns(tc.items, vt),
          segs: mergeSegments(extractSegments(ol.fnArray, ol.argsArray, OPS, DRAW, vt)),
        };
        page.cleanup();
      } catch (e) {
        if (e instanceof InputError) throw e;
        if (p === 1 && doc.numPages === 1) throw classify(e);
        warnings.push({ code: 'PDF_PAGE_UNREADABLE', message: `page ${p} could not be read: ${errorMessage(e)}` });
        data = { page: p, width: 595, height: 842, runs: [], segs: [] };
      }
      pages.push(data);
    }
    if (pages.every((pg) => pg.runs.length === 0)) {
      if (warnings.length === pages.length) {
        throw new InputError('PDF_CORRUPT', `corrupt or truncated PDF: no page could be read (${warnings[0]?.message ?? ''})`);
      }
      if (warnings.length > 0) {
        // Some pages broke and the rest hold no text: damage, not a scan.
        throw new InputError('PDF_CORRUPT', `damaged PDF: ${warnings.length} of ${pages.length} pages unreadable and no text on the others (${warnings[0].message})`);
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (strays.length > 0) throw new InputError('PDF_CORRUPT', `damaged PDF: no text could be read (${strays[0]})`);
      throw new InputError('PDF_NO_TEXT', 'PDF has no text layer (scanned image?): OCR is needed');
    }
    if (strays.length > 0) {
      warnings.push({ code: 'PDF_DAMAGED', message: `parts of the file could not be read (${strays[0]}); text on damaged pages may be missing` });
    }
    if (!endsWithEof(bytes)) {
      warnings.push({
        code: 'PDF_TRUNCATED',
        message: `the file ends without %%EOF: it looks cut short (an interrupted download or copy?); what follows the cut is missing`,
      });
    }
    const blocks = layoutDocument(pages);
    return { format: 'pdf', blocks, pages: doc.numPages, encoding: null, warnings };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

interface Placed {
  page: number;
  top: number;
  block: Block;
  /** First/last text line, for paragraphs (joining across page breaks). */
  first?: Line;
  last?: Line;
}

/** Pages (runs + segments) → blocks in reading order. Exported for tests/debugging. */
export function layoutDocument(pages: readonly PageData[]): Block[] {
  const placed: Placed[] = [];
  const textPages: PageLines[] = [];
  const flatState: FlatState = { columns: null };
  for (const pg of pages) {
    const { tables, rest } = buildRuledTables(pg.segs, pg.runs);
    for (const t of tables) {
      const block = ruledBlock(t, pg.page);
      if (block) placed.push({ page: pg.page, top: t.top, block });
      else rest.push(...t.cells.flatMap((c) => c.runs));
    }
    // tables without rules: only where no ruled table was found on the page
    let remaining = rest;
    if (tables.length === 0) {
      // page numbers in the margins are never table text
      const furniture = new Set<Run>();
      // — but not the row number of a table running into the margin: level with other
      // text, with more text still nearer the page edge or more bare numbers in its column
      const lines3 = groupLines(rest, 3);
      for (const l of lines3) {
        const foot = l.top > pg.height * 0.88;
        const inMargin = l.bottom < pg.height * 0.12 || foot;
        if (!inMargin || !isPageNumber(l.text)) continue;
        const level = rest.some((r) => !l.runs.includes(r) && r.top < l.bottom - l.size * 0.3 && r.bottom > l.top + l.size * 0.3);
        const beyond = rest.some((r) => (foot ? r.top > l.bottom : r.bottom < l.top));
        const column = lines3.some(
          (o) => o !== l && /^\d{1,3}$/.test(o.text) && Math.abs(o.x0 - l.x0) < l.size * 0.5 && o.top > pg.height * 0.12 && o.bottom < pg.height * 0.88,
        );
        if (level && (beyond || column)) continue;
        for (const r of l.runs) furniture.add(r);
      }
      const flat = findFlatTables(
        furniture.size ? rest.filter((r) => !furniture.has(r)) : rest,
        pg.width,
        pg.height,
        flatState,
      );
      for (const ft of flat.tables) placed.push({ page: pg.page, top: ft.top, block: flatBlock(ft, pg.page) });
      remaining = furniture.size ? [...flat.rest, ...furniture] : flat.rest;
    } else {
      flatState.columns = null;
    }
    const lines = groupLines(remaining, 3);
    textPages.push({ page: pg.page, width: pg.width, height: pg.height, lines });
  }
  // table text is already consumed; drop furniture from the remaining text
  const firstTop = new Map<number, number>();
  for (const p of placed) firstTop.set(p.page, Math.min(firstTop.get(p.page) ?? Infinity, p.top));
  removeFurniture(textPages, firstTop);
  const margins = measureMargins(textPages);
  const texts: Placed[] = [];
  if (margins) {
    for (const tp of textPages) {
      // split the page's lines at table positions so paragraphs never span a table
      const tableTops = placed.filter((p) => p.page === tp.page).map((p) => p.top).sort((a, b) => a - b);
      let chunk: Line[] = [];
      let ti = 0;
      const emit = () => {
        for (const b of linesToBlocks(chunk, tp.page, margins, tp.width)) {
          const block: Block =
            b.kind === 'heading'
              ? { kind: 'heading', level: b.level, text: b.text, page: b.page }
              : { kind: 'paragraph', text: b.text, page: b.page, ...(b.align ? { align: b.align } : {}) };
          texts.push({ page: tp.page, top: b.top, block, first: b.first, last: b.last });
        }
        chunk = [];
      };
      for (const l of tp.lines) {
        while (ti < tableTops.length && l.top > tableTops[ti]) {
          emit();
          ti++;
        }
        chunk.push(l);
      }
      emit();
    }
  }
  let all = [...placed, ...texts].sort((a, b) => a.page - b.page || a.top - b.top);
  if (margins) all = joinParagraphsAcrossPages(all, margins);
  markContinuations(all);
  return all.map((p) => p.block).filter((b) => !(b.kind === 'paragraph' && isContinuedMarker(b.text)));
}

/**
 * A paragraph cut by a page break: the last block of page N is a paragraph
 * whose last line reached the right margin, and the first block of page N+1
 * is a paragraph starting at the left margin (no indent) → one paragraph,
 * on the page where it starts.
 */
function joinParagraphsAcrossPages(all: Placed[], m: Margins): Placed[] {
  const out: Placed[] = [];
  for (const p of all) {
    const prev = out[out.length - 1];
    if (
      prev &&
      p.page === prev.page + 1 &&
      prev.block.kind === 'paragraph' &&
      p.block.kind === 'paragraph' &&
      prev.last &&
      p.first &&
      !prev.block.align &&
      continuesAcrossPages(prev.last, p.first, m)
    ) {
      prev.block.text = joinWrapped(prev.block.text, p.block.text);
      prev.last = p.last;
      continue;
    }
    out.push(p);
  }
  return out;
}

/** A table piece that opens its page right after a page that ended in a table: mark row 0 as after a page break. */
function markContinuations(all: Placed[]): void {
  for (let i = 1; i < all.length; i++) {
    const a = all[i - 1];
    const b = all[i];
    if (b.block.kind === 'table' && a.block.kind === 'table' && b.page === a.page + 1) b.block.pageBreakBefore = [0];
  }
}

function ruledBlock(t: GridTable, page: number): TableBlock | null {
  if (t.cells.every((c) => c.text === '')) return null;
  const cells: TableCell[] = t.cells.map((c) => ({
    row: c.row,
    col: c.col,
    rowSpan: c.rowSpan,
    colSpan: c.colSpan,
    text: c.text,
    page,
  }));
  return { kind: 'table', rows: t.rows, cols: t.cols, cells, page, origin: 'grid' };
}

function flatBlock(t: FlatTable, page: number): TableBlock {
  return {
    kind: 'table',
    rows: t.rows,
    cols: t.cols,
    cells: t.cells.map((c) => ({ ...c, page })),
    page,
    origin: 'flattened',
  };
}
