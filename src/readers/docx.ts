/**
 * docx reader: OOXML read directly (zip central directory with size caps,
 * streaming XML over word/document.xml), producing the intermediate document:
 * headings, paragraphs and tables in document order. No task logic here.
 *
 * mammoth is the fallback for documents the direct reader does not
 * understand (see docx-fallback.ts).
 *
 * What the structure stage gets:
 * - Tables: one TableCell per physical w:tc (origin 'grid'). A vertical merge
 *   is ONE cell with rowSpan > 1 (the continue cells are not emitted); an
 *   empty cell that no merge covers is a cell with text ''. Grid positions
 *   skipped by w:gridBefore/w:gridAfter have no cell at all (buildGrid gives
 *   null there). Deleted (tracked) rows and rows without cells are dropped, so
 *   row indices are contiguous. headerRows = the leading w:tblHeader rows.
 *   Consecutive tables are never merged (Word needs an empty paragraph between
 *   two tables; empty paragraphs are dropped, so they arrive adjacent).
 * - Cell text: paragraphs joined with '\n', empty paragraphs dropped, w:br →
 *   '\n', w:tab → ' ', ends trimmed; nested tables add their cell texts as lines.
 * - Paragraph text: ends trimmed, generated list numbers prepended ("一、…"),
 *   bullets omitted. Headings come only from styles/outline levels; typed
 *   "一、" headings are plain paragraphs. align ('center'/'right') and bold
 *   (every visible run bold) are hints. Empty paragraphs are dropped.
 * - No pages: pages null, no page fields (Word's layout is not in the file).
 */
import type { Block, HeadingBlock, IntermediateDocument, ParagraphBlock, ReaderWarning, TableBlock, TableCell } from '../model/document.js';
import { InputError } from '../model/document.js';
import { ListCounter, parseNumbering, parseStyles, styleHeadingLevel, styleLookup } from './docx-numbering.js';
import type { NumberingDefs, Styles } from './docx-numbering.js';
import type { AttrGetter, Attribs, XmlHandler, XmlPart } from './docx-xml.js';
import { decodeXml, isOn, parseXml } from './docx-xml.js';
import type { ZipEntry, ZipLimits } from './docx-zip.js';
import { DEFAULT_ZIP_LIMITS, ZipArchive } from './docx-zip.js';
import type { AltChunkRef } from './docx-altchunk.js';

export interface DocxReadOptions {
  limits?: ZipLimits;
  /** Tests: force the mammoth path, or forbid it. */
  fallback?: 'auto' | 'never' | 'always';
  /** Nesting depth of docx embedded as altChunk (internal). */
  depth?: number;
}

export async function readDocx(bytes: Uint8Array, opts: DocxReadOptions = {}): Promise<IntermediateDocument> {
  rejectOle2(bytes);
  const limits = opts.limits ?? DEFAULT_ZIP_LIMITS;
  const parts = openParts(bytes, limits);
  const mode = opts.fallback ?? 'auto';
  if (mode === 'always') return fallback(bytes, 'forced');
  let result: ReturnType<typeof readParts>;
  try {
    result = readParts(parts);
  } catch (err) {
    if (err instanceof InputError || mode === 'never') throw err;
    return fallback(bytes, `direct reader failed (${(err as Error).message})`);
  }
  const { doc, altChunks } = result;
  if (altChunks.length) {
    const depth = opts.depth ?? 0;
    // Loaded on first use: embedded HTML/text chunks are rare, and decoding them brings chardet.
    const { insertAltChunks } = await import('./docx-altchunk.js');
    try {
      await insertAltChunks(doc.blocks, altChunks, {
        zip: parts.zip,
        mainName: parts.main.name,
        inflated: parts.inflated,
        limits,
        readEmbeddedDocx: async (inner) => {
          if (depth >= 2) throw new Error('docx nested too deep');
          const d = await readDocx(inner, { ...opts, depth: depth + 1 });
          doc.warnings.push(...d.warnings);
          return d.blocks;
        },
      }, doc.warnings);
    } catch (err) {
      if (err instanceof InputError && err.code === 'ZIP_BOMB') throw err;
      doc.warnings.push({ code: 'DOCX_ALTCHUNK', message: `imported content could not be read (${(err as Error).message})` });
    }
  }
  return doc;
}

async function fallback(bytes: Uint8Array, why: string): Promise<IntermediateDocument> {
  const { readDocxWithMammoth } = await import('./docx-fallback.js');
  let blocks: Block[];
  try {
    blocks = await readDocxWithMammoth(bytes);
  } catch (err) {
    // One line naming the first reader's reason too (mammoth's own messages carry tabs and line breaks).
    const mammothSays = String((err as Error)?.message ?? err).replace(/\s+/g, ' ').trim();
    throw new InputError('CORRUPT', `corrupt docx: cannot read word/document.xml (${why}; mammoth: ${mammothSays})`);
  }
  return {
    format: 'docx',
    blocks,
    pages: null,
    encoding: null,
    warnings: [{ code: 'DOCX_FALLBACK', message: `docx read with mammoth: ${why}; merged cells after w:gridBefore may be misplaced` }],
  };
}

// ------------------------------------------------------------------ input

function rejectOle2(bytes: Uint8Array): void {
  if (bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const utf16 = (t: string) => Buffer.from(t, 'utf16le');
    if (s.indexOf(utf16('EncryptionInfo')) >= 0 || s.indexOf(utf16('EncryptedPackage')) >= 0) {
      throw new InputError(
        'ENCRYPTED',
        'encrypted/password-protected docx is not supported: open it in Word, remove the password (File > Info > Protect Document) and save it again',
      );
    }
    throw new InputError('UNSUPPORTED', 'unsupported format: legacy OLE2 file (.doc/.wps), not a docx; save it as .docx');
  }
}

interface DocxParts {
  zip: ZipArchive;
  main: ZipEntry;
  /** Entries counted against the caps so far. */
  inflated: ZipEntry[];
  document: XmlPart;
  styles: XmlPart | null;
  numbering: XmlPart | null;
}

function openParts(bytes: Uint8Array, limits: ZipLimits): DocxParts {
  const zip = new ZipArchive(bytes);
  const main = findMainPart(zip);
  if (!main) throw new InputError('NOT_DOCX', `not a Word document: zip has no word/document.xml (looks like ${describeZip(zip)})`);
  const dir = main.name.includes('/') ? main.name.slice(0, main.name.lastIndexOf('/') + 1) : '';
  const stylesEntry = zip.find(`${dir}styles.xml`);
  const numberingEntry = zip.find(`${dir}numbering.xml`);
  const wanted = [main, stylesEntry, numberingEntry].filter((e): e is ZipEntry => !!e);
  zip.checkLimits(wanted, limits);
  const document = decodeXml(zip.read(main));
  // styles/numbering are only needed when the document refers to them.
  // (a character style only feeds the optional bold hint; not worth a third scan)
  const usesStyles = document.markup.includes('pStyle');
  const styles = stylesEntry && usesStyles ? safeDecode(zip, stylesEntry) : null;
  const usesNumbering = document.markup.includes('numPr') || (styles !== null && styles.markup.includes('numPr'));
  const numbering = numberingEntry && usesNumbering ? safeDecode(zip, numberingEntry) : null;
  return { zip, main, inflated: wanted, document, styles, numbering };
}

/** A broken optional part must not sink the document. */
function safeDecode(zip: ZipArchive, e: ZipEntry): XmlPart | null {
  try {
    return decodeXml(zip.read(e));
  } catch (err) {
    if (err instanceof InputError && err.code === 'ZIP_BOMB') throw err;
    return null;
  }
}

function findMainPart(zip: ZipArchive): ZipEntry | undefined {
  const direct = zip.find('word/document.xml');
  if (direct) return direct;
  // The package relationships name the main part; a few writers use another name.
  const rels = zip.find('_rels/.rels');
  if (!rels || rels.size > 1024 * 1024) return undefined;
  try {
    const xml = new TextDecoder().decode(zip.read(rels));
    const m = /<Relationship\b[^>]*Type="[^"]*\/officeDocument"[^>]*>/.exec(xml);
    const target = m && /Target="([^"]+)"/.exec(m[0]);
    if (!target) return undefined;
    const e = zip.find(target[1].replace(/^\.?\//, ''));
    // Only a WordprocessingML main part counts (xlsx/pptx also have officeDocument).
    return e && /document[^/]*\.xml$/i.test(e.name) ? e : undefined;
  } catch {
    return undefined;
  }
}

function describeZip(zip: ZipArchive): string {
  const names = zip.entries.map((e) => e.name).filter((n) => !n.endsWith('/'));
  const has = (re: RegExp) => names.some((n) => re.test(n));
  if (names.length === 0) return 'an empty zip archive';
  if (has(/^xl\//i)) return 'an Excel workbook (.xlsx)';
  if (has(/^ppt\//i)) return 'a PowerPoint presentation (.pptx)';
  if (has(/^visio\//i)) return 'a Visio drawing';
  if (has(/^mimetype$/i) && has(/^content\.xml$/i)) return 'an OpenDocument file (.odt/.ods); save it as .docx';
  if (has(/^OFD\.xml$/i) || has(/^Doc_\d+\//i)) return 'an OFD document (not supported)';
  if (has(/^META-INF\/container\.xml$/i)) return 'an EPUB e-book';
  const inner = names.filter((n) => /\.(docx?|pdf|wps|ofd)$/i.test(n));
  const sample = (inner.length ? inner : names).slice(0, 3).map((n) => n.split('/').pop()).join(', ');
  const more = names.length > 3 ? ', …' : '';
  if (inner.length) return `an archive of ${names.length} file(s) (${sample}${more}); unzip it and convert the files inside`;
  return `a plain zip archive of ${names.length} file(s): ${sample}${more}`;
}

// ----------------------------------------------------------------- parsing

interface RunState {
  bold: boolean | undefined;
  rStyle: string | undefined;
  vanish: boolean;
}

interface ParaCtx {
  parts: string[];
  pStyle?: string;
  numId?: string;
  ilvl?: number;
  jc?: string;
  outlineLvl?: number;
  inPPr: boolean;
  run: RunState | null;
  inRPr: boolean;
  hasText: boolean;
  allBold: boolean;
  /** Paragraphs of text boxes anchored in this paragraph, in order. */
  nested: (string | TableBlock)[];
}

interface CellCtx {
  gridSpan: number;
  vMerge: 'none' | 'restart' | 'continue';
  hMerge: 'none' | 'restart' | 'continue';
  lines: string[];
}

interface RowCtx {
  gridBefore: number;
  gridAfter: number;
  header: boolean;
  deleted: boolean;
  cells: CellCtx[];
}

interface TableCtx {
  gridCols: number;
  rows: RowCtx[];
  row: RowCtx | null;
}

type Container = { kind: 'body' } | { kind: 'cell'; cell: CellCtx } | { kind: 'para'; para: ParaCtx };

/** Elements whose whole subtree carries nothing a reader of the final text sees. */
const SKIP = new Set([
  'w:del',
  'w:moveFrom',
  'w:delText',
  'w:delInstrText',
  'w:instrText',
  'w:sectPr',
  'w:sdtPr',
  'w:sdtEndPr',
  'w:tblPr',
  'w:tblPrEx',
  'w:pPrChange',
  'w:rPrChange',
  'w:tcPrChange',
  'w:trPrChange',
  'w:tblPrChange',
  'w:tblPrExChange',
  'w:tblGridChange',
  'w:sectPrChange',
  'w:numberingChange',
  'w:rt', // ruby (phonetic guide) text: the base text is what is read
  'w:fldData',
  'w:ffData',
]);

/** Every element the handler looks at; anything else is passed through untouched. */
const HANDLED = new Set([
  ...SKIP,
  'w:body', 'w:altChunk', 'w:object', 'pic:pic', 'v:imagedata', 'w:p', 'w:pPr', 'w:r', 'w:rPr', 'w:t', 'm:t', 'w:tab', 'w:ptab', 'w:br', 'w:cr', 'w:noBreakHyphen',
  'w:sym', 'w:fldChar', 'mc:AlternateContent', 'mc:Choice', 'mc:Fallback', 'w:tbl', 'w:tblGrid', 'w:gridCol',
  'w:tr', 'w:trPr', 'w:tc', 'w:tcPr', 'w:gridSpan', 'w:vMerge', 'w:hMerge', 'w:tblHeader', 'w:gridBefore',
  'w:gridAfter', 'w:b', 'w:vanish', 'w:rStyle', 'w:pStyle', 'w:numId', 'w:ilvl', 'w:jc', 'w:outlineLvl',
]);

/** The elements whose attributes the handler reads (most elements it handles have none it needs, e.g. w:p's rsids). */
const ATTRIBUTES_READ = new Set([
  'w:altChunk', 'w:sym', 'w:fldChar', 'w:gridSpan', 'w:vMerge', 'w:hMerge', 'w:tblHeader', 'w:gridBefore', 'w:gridAfter',
  'w:b', 'w:vanish', 'w:rStyle', 'w:pStyle', 'w:numId', 'w:ilvl', 'w:jc', 'w:outlineLvl',
]);

function readParts(parts: DocxParts): { doc: IntermediateDocument; altChunks: AltChunkRef[] } {
  const styles: Styles | null = parts.styles ? parseStyles(parts.styles) : null;
  const numbering: NumberingDefs | null = parts.numbering ? parseNumbering(parts.numbering) : null;
  const counter = numbering ? new ListCounter(numbering, styles) : null;
  const warnings: ReaderWarning[] = [];
  const blocks: Block[] = [];
  const altChunks: AltChunkRef[] = [];
  let sawBody = false;
  let objects = 0;
  let images = 0;

  parseXml(parts.document, (attr: AttrGetter): XmlHandler => {
    let skip = 0;
    const containers: Container[] = [{ kind: 'body' }];
    const paras: ParaCtx[] = [];
    const tables: TableCtx[] = [];
    const cells: CellCtx[] = [];
    const alt: boolean[] = []; // mc:AlternateContent: has a branch been taken?
    const fields: boolean[] = []; // complex fields: still in the instruction part?
    let instrDepth = 0;
    let inT = false;
    let inTrPr = false;
    let inTcPr = false;
    let inTblGrid = false;

    const para = (): ParaCtx | undefined => paras[paras.length - 1];

    const addText = (s: string) => {
      const p = para();
      if (!p || instrDepth > 0) return;
      const run = p.run;
      if (run?.vanish) return;
      p.parts.push(s);
      if (/\S/.test(s)) {
        p.hasText = true;
        if (p.allBold && !effectiveBold(p, run)) p.allBold = false;
      }
    };

    const effectiveBold = (p: ParaCtx, run: RunState | null): boolean => {
      if (run?.bold !== undefined) return run.bold;
      const rs = styleLookup(styles, run?.rStyle, 'bold');
      if (rs !== undefined) return rs;
      const ps = styleLookup(styles, p.pStyle ?? styles?.defaultParagraph, 'bold');
      if (ps !== undefined) return ps;
      return styles?.defaultBold ?? false;
    };

    /**
     * Hand finished text/tables to the enclosing container: a cell takes
     * lines (a nested table's cell texts), a text box's anchor paragraph keeps
     * them for later, the body gets blocks (a table in a text box stays a table).
     */
    const deliver = (items: (string | TableBlock)[]) => {
      const top = containers[containers.length - 1];
      if (top.kind === 'para') {
        top.para.nested.push(...items);
        return;
      }
      for (const it of items) {
        if (top.kind === 'cell') {
          if (typeof it === 'string') top.cell.lines.push(it);
          else top.cell.lines.push(...nestedTableLines(it));
        } else {
          blocks.push(typeof it === 'string' ? { kind: 'paragraph', text: it } : it);
        }
      }
    };

    const finishParagraph = (p: ParaCtx) => {
      let text = p.parts.join('').trim();
      let numId = p.numId;
      let ilvl = p.ilvl;
      const styleId = p.pStyle ?? styles?.defaultParagraph;
      if (numId === undefined) {
        numId = styleLookup(styles, styleId, 'numId');
        if (ilvl === undefined) ilvl = styleLookup(styles, styleId, 'ilvl');
      }
      if (numId !== undefined && numId !== '0' && counter) {
        if (ilvl === undefined) ilvl = counter.levelForStyle(numId, styleId);
        const label = counter.next(numId, Math.min(8, Math.max(0, ilvl)), text);
        if (label && text) text = label + text;
      }
      const top = containers[containers.length - 1];
      if (top.kind !== 'body') {
        deliver(text ? [text, ...p.nested] : p.nested);
        return;
      }
      if (text) {
        let level: number | undefined;
        if (p.outlineLvl !== undefined) level = p.outlineLvl >= 0 && p.outlineLvl < 9 ? p.outlineLvl + 1 : undefined;
        else level = styleHeadingLevel(styles, styleId);
        if (level !== undefined) {
          const h: HeadingBlock = { kind: 'heading', level, text };
          blocks.push(h);
        } else {
          const b: ParagraphBlock = { kind: 'paragraph', text };
          const jc = p.jc ?? styleLookup(styles, styleId, 'jc');
          if (jc === 'center') b.align = 'center';
          else if (jc === 'right' || jc === 'end') b.align = 'right';
          if (p.hasText && p.allBold) b.bold = true;
          blocks.push(b);
        }
      }
      deliver(p.nested);
    };

    return {
      open(name: string, a: Attribs, handled: boolean) {
        if (skip) {
          skip++;
          return;
        }
        if (!handled) return; // most elements (formatting) need nothing
        if (SKIP.has(name)) {
          if (name === 'w:del' && inTrPr) {
            const t = tables[tables.length - 1];
            if (t?.row) t.row.deleted = true;
          }
          skip = 1;
          return;
        }
        const p = para();
        switch (name) {
          case 'w:body':
            sawBody = true;
            return;
          case 'w:object':
            objects++;
            return;
          case 'pic:pic':
          case 'v:imagedata':
            images++;
            return;
          case 'w:altChunk': {
            const rId = a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
            if (containers[containers.length - 1].kind === 'body' && rId) altChunks.push({ at: blocks.length, rId });
            else warnings.push({ code: 'DOCX_ALTCHUNK', message: 'imported content (altChunk) inside a table or text box is not read' });
            return;
          }
          case 'w:p': {
            const np: ParaCtx = {
              parts: [],
              inPPr: false,
              run: null,
              inRPr: false,
              hasText: false,
              allBold: true,
              nested: [],
            };
            paras.push(np);
            // anything inside this paragraph (text boxes) is delivered to it
            containers.push({ kind: 'para', para: np });
            return;
          }
          case 'w:pPr':
            if (p && !p.run) p.inPPr = true;
            return;
          case 'w:r':
            if (p) p.run = { bold: undefined, rStyle: undefined, vanish: false };
            return;
          case 'w:rPr':
            if (p?.run) p.inRPr = true;
            return;
          case 'w:t':
          case 'm:t':
            inT = true;
            return;
          case 'w:tab':
          case 'w:ptab':
            if (p && p.run && !p.inRPr) addText(' ');
            return;
          case 'w:br':
          case 'w:cr':
            if (p && p.run && !p.inRPr) addText('\n');
            return;
          case 'w:noBreakHyphen':
            if (p?.run) addText('-');
            return;
          case 'w:sym': {
            const ch = attr(a, 'char');
            const cp = ch ? parseInt(ch, 16) : NaN;
            // Symbol-font glyphs (F000–F0FF) have no Unicode meaning without the font's map.
            if (Number.isFinite(cp) && cp > 0x1f && !(cp >= 0xf000 && cp <= 0xf0ff)) addText(String.fromCodePoint(cp));
            return;
          }
          case 'w:fldChar': {
            const type = attr(a, 'fldCharType');
            if (type === 'begin') {
              fields.push(true);
              instrDepth++;
            } else if (type === 'separate') {
              if (fields.length && fields[fields.length - 1]) {
                fields[fields.length - 1] = false;
                instrDepth--;
              }
            } else if (type === 'end') {
              if (fields.length && fields.pop()) instrDepth--;
            }
            return;
          }
          case 'mc:AlternateContent':
            alt.push(false);
            return;
          case 'mc:Choice':
          case 'mc:Fallback':
            if (alt.length && alt[alt.length - 1]) skip = 1;
            else if (alt.length) alt[alt.length - 1] = true;
            return;
          case 'w:tbl':
            tables.push({ gridCols: 0, rows: [], row: null });
            return;
          case 'w:tblGrid':
            inTblGrid = true;
            return;
          case 'w:gridCol':
            if (inTblGrid && tables.length) tables[tables.length - 1].gridCols++;
            return;
          case 'w:tr': {
            const t = tables[tables.length - 1];
            if (t) {
              t.row = { gridBefore: 0, gridAfter: 0, header: false, deleted: false, cells: [] };
              t.rows.push(t.row);
            }
            return;
          }
          case 'w:trPr':
            inTrPr = true;
            return;
          case 'w:tc': {
            const t = tables[tables.length - 1];
            if (!t) return;
            if (!t.row) {
              t.row = { gridBefore: 0, gridAfter: 0, header: false, deleted: false, cells: [] };
              t.rows.push(t.row);
            }
            const cell: CellCtx = { gridSpan: 1, vMerge: 'none', hMerge: 'none', lines: [] };
            t.row.cells.push(cell);
            cells.push(cell);
            containers.push({ kind: 'cell', cell });
            return;
          }
          case 'w:tcPr':
            inTcPr = true;
            return;
        }
        if (inTcPr) {
          const cell = cells[cells.length - 1];
          if (!cell) return;
          if (name === 'w:gridSpan') cell.gridSpan = Math.max(1, Math.min(1000, parseInt(attr(a, 'val') ?? '1', 10) || 1));
          else if (name === 'w:vMerge') cell.vMerge = attr(a, 'val') === 'restart' ? 'restart' : 'continue';
          else if (name === 'w:hMerge') cell.hMerge = attr(a, 'val') === 'restart' ? 'restart' : 'continue';
          return;
        }
        if (inTrPr) {
          const row = tables[tables.length - 1]?.row;
          if (!row) return;
          if (name === 'w:tblHeader') row.header = isOn(attr(a, 'val'));
          else if (name === 'w:gridBefore') row.gridBefore = Math.max(0, Math.min(1000, parseInt(attr(a, 'val') ?? '0', 10) || 0));
          else if (name === 'w:gridAfter') row.gridAfter = Math.max(0, Math.min(1000, parseInt(attr(a, 'val') ?? '0', 10) || 0));
          return;
        }
        if (!p) return;
        if (p.inRPr && p.run) {
          if (name === 'w:b') p.run.bold = isOn(attr(a, 'val'));
          else if (name === 'w:vanish') p.run.vanish = isOn(attr(a, 'val'));
          else if (name === 'w:rStyle') p.run.rStyle = attr(a, 'val');
          return;
        }
        if (p.inPPr) {
          switch (name) {
            case 'w:pStyle':
              p.pStyle = attr(a, 'val');
              return;
            case 'w:numId':
              p.numId = attr(a, 'val');
              return;
            case 'w:ilvl': {
              const v = parseInt(attr(a, 'val') ?? '0', 10);
              p.ilvl = Number.isFinite(v) ? v : 0;
              return;
            }
            case 'w:jc':
              p.jc = attr(a, 'val');
              return;
            case 'w:outlineLvl': {
              const v = parseInt(attr(a, 'val') ?? '9', 10);
              p.outlineLvl = Number.isFinite(v) ? v : 9;
              return;
            }
          }
        }
      },

      close(name: string, handled: boolean) {
        if (skip) {
          skip--;
          return;
        }
        if (!handled) return;
        switch (name) {
          case 'w:t':
          case 'm:t':
            inT = false;
            return;
          case 'w:pPr': {
            const p = para();
            if (p) p.inPPr = false;
            return;
          }
          case 'w:rPr': {
            const p = para();
            if (p) p.inRPr = false;
            return;
          }
          case 'w:r': {
            const p = para();
            if (p) {
              p.run = null;
              p.inRPr = false;
            }
            return;
          }
          case 'w:p': {
            const p = paras.pop();
            if (!p) return;
            containers.pop();
            finishParagraph(p);
            // A field whose instruction never reached 'separate'/'end' must not
            // swallow the rest of the document: give up on it at a body paragraph end.
            if (instrDepth > 0 && containers.length === 1) {
              fields.length = 0;
              instrDepth = 0;
            }
            return;
          }
          case 'mc:AlternateContent':
            alt.pop();
            return;
          case 'w:tblGrid':
            inTblGrid = false;
            return;
          case 'w:trPr':
            inTrPr = false;
            return;
          case 'w:tcPr':
            inTcPr = false;
            return;
          case 'w:tc':
            if (cells.length) {
              cells.pop();
              containers.pop();
            }
            return;
          case 'w:tr': {
            const t = tables[tables.length - 1];
            if (t) t.row = null;
            return;
          }
          case 'w:tbl': {
            const t = tables.pop();
            if (!t) return;
            const table = buildTable(t, warnings);
            if (!table) return;
            deliver([table]);
            return;
          }
        }
      },

      text(data: string) {
        if (inT && !skip) addText(data);
      },
    };
  }, ATTRIBUTES_READ, HANDLED);

  if (!sawBody) throw new Error('word/document.xml has no w:body');
  if (objects > 0) {
    warnings.push({
      code: 'DOCX_EMBEDDED_OBJECT',
      message: `${objects} embedded object(s) (e.g. an Excel sheet pasted into Word) show only as pictures; their content is not read`,
    });
  }
  if (images > 0 && altChunks.length === 0) {
    let chars = 0;
    for (const b of blocks) chars += b.kind === 'table' ? b.cells.reduce((n, c) => n + c.text.length, 0) : b.text.length;
    if (chars < 20 * Math.max(1, images)) {
      warnings.push({ code: 'DOCX_IMAGES_ONLY', message: `the document is mostly pictures (${images}; a scan?) with little text; pictures are not read` });
    }
  }
  return { doc: { format: 'docx', blocks, pages: null, encoding: null, warnings }, altChunks };
}

/** Grid positions from tblGrid/gridSpan/vMerge/hMerge/gridBefore/gridAfter. */
function buildTable(t: TableCtx, warnings: ReaderWarning[]): TableBlock | null {
  const rows = t.rows.filter((r) => !r.deleted && r.cells.length > 0);
  if (!rows.length) return null;
  const cells: TableCell[] = [];
  let prevOwners: (TableCell | undefined)[] = [];
  let cols = t.gridCols;
  const headerRows: number[] = [];
  const mergedText: string[] = [];
  let headerRun = true;
  rows.forEach((row, ri) => {
    if (headerRun && row.header) headerRows.push(ri);
    else headerRun = false;
    const owners: (TableCell | undefined)[] = [];
    let col = row.gridBefore;
    let last: TableCell | undefined;
    for (const c of row.cells) {
      const span = c.gridSpan;
      const text = c.lines.join('\n').trim();
      if (c.hMerge === 'continue' && last && last.row === ri) {
        last.colSpan += span;
        if (text) last.text = last.text ? `${last.text}\n${text}` : text;
        for (let k = col; k < col + span; k++) owners[k] = last;
        col += span;
        continue;
      }
      if (c.vMerge === 'continue') {
        const above = prevOwners[col];
        if (above && above.col === col && above.colSpan === span && above.row + above.rowSpan === ri) {
          above.rowSpan++;
          if (text) {
            above.text = above.text ? `${above.text}\n${text}` : text;
            mergedText.push(text);
          }
          for (let k = col; k < col + span; k++) owners[k] = above;
          last = above;
          col += span;
          continue;
        }
      }
      const cell: TableCell = { row: ri, col, rowSpan: 1, colSpan: span, text };
      cells.push(cell);
      for (let k = col; k < col + span; k++) owners[k] = cell;
      last = cell;
      col += span;
    }
    cols = Math.max(cols, col + row.gridAfter);
    prevOwners = owners;
  });
  if (mergedText.length) {
    warnings.push({
      code: 'DOCX_MERGED_TEXT',
      message: `${mergedText.length} table cell(s) continuing a vertical merge hold their own text; appended to the merged cell (first: ${mergedText[0].slice(0, 40)})`,
    });
  }
  const table: TableBlock = { kind: 'table', rows: rows.length, cols, cells, origin: 'grid' };
  if (headerRows.length) table.headerRows = headerRows;
  return table;
}

function nestedTableLines(t: TableBlock): string[] {
  return t.cells.map((c) => c.text).filter((s) => s !== '');
}
