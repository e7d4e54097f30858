import type { TableBlock, TableCell } from '../model/document.js';
import type { Grid, GridSlot } from '../model/grid.js';
import { isSeqCell, isTimePhrase, isUnitPhrase } from '../lexicon/kinds.js';
import { normalizeText } from '../lexicon/text.js';
import type { FieldRole, TableHeader } from './header.js';

/**
 * A piece of printed text that several rows may share (a merged group cell).
 * Rows hold references, so text joined onto a cell after a page break
 * reaches every row the cell spans.
 */
export interface TextRef {
  text: string;
}

/** One field of a row: printed here, covered by a cell above, or blank. */
export interface Field {
  ref: TextRef | null;
  /** 'own': printed in this row; 'covered': a merged cell from above; 'blank': empty position. */
  state: 'own' | 'covered' | 'blank';
  /** Column position (grid column, or field index among group fields for flattened rows). */
  col: number;
}

export interface RowRecord {
  row: number;
  page: number | null;
  seq: Field;
  groups: Field[];
  content: Field;
  units: Field;
  lead: Field;
  cooperating: Field;
  deadline: Field;
  /** A row that is one heading across the whole table. */
  section: TextRef | null;
  /** Fields printed in this row where the header has another count (realigned by kind). */
  shape?: number;
}

const BLANK = (col = -1): Field => ({ ref: null, state: 'blank', col });

export function fieldText(f: Field): string {
  return f.ref ? f.ref.text : '';
}

/** Rows of a table whose cells sit in real grid positions (docx, html, ruled pdf). */
export function gridRows(table: TableBlock, grid: Grid, header: TableHeader, refs: Map<object, TextRef>): RowRecord[] {
  const out: RowRecord[] = [];
  const contentCol = header.columns.indexOf('content');
  for (let r = header.end; r < table.rows; r++) {
    const slots = grid[r] ?? [];
    const rec = emptyRecord(r, null);
    const seen = new Set<object>();
    const distinct = slots.filter((s) => s && !seen.has(s.cell) && seen.add(s.cell));
    // One cell across the whole table: a section heading row.
    if (distinct.length === 1 && table.cols > 1 && distinct[0]!.cell.colSpan >= Math.max(2, table.cols - 1)) {
      const text = normalizeText(distinct[0]!.cell.text);
      if (text) {
        rec.section = { text };
        rec.page = distinct[0]!.cell.page ?? null;
        out.push(rec);
      }
      continue;
    }
    for (let c = 0; c < table.cols; c++) {
      const slot = slots[c];
      if (!slot || slot.cell.col !== c) continue; // each cell once, at its first column
      const cellEnd = slot.cell.col + slot.cell.colSpan - 1;
      const role: FieldRole =
        contentCol >= slot.cell.col && contentCol <= cellEnd ? 'content' : header.columns[c] ?? 'other';
      let ref = refs.get(slot.cell);
      if (!ref) {
        ref = { text: normalizeText(slot.cell.text) };
        refs.set(slot.cell, ref);
      }
      const field: Field = ref.text
        ? { ref, state: slot.coveredFromAbove ? 'covered' : 'own', col: c }
        : { ref: null, state: slot.coveredFromAbove ? 'covered' : 'blank', col: c };
      if (rec.page === null && slot.origin) rec.page = slot.cell.page ?? null;
      place(rec, role, field);
    }
    if (rec.page === null) rec.page = table.page ?? null;
    out.push(rec);
  }
  return out;
}

function place(rec: RowRecord, role: FieldRole, field: Field) {
  switch (role) {
    case 'seq':
      rec.seq = field;
      break;
    case 'group':
      rec.groups.push(field);
      break;
    case 'content':
      rec.content = field;
      break;
    case 'units':
      rec.units = field;
      break;
    case 'lead':
      rec.lead = field;
      break;
    case 'cooperating':
      rec.cooperating = field;
      break;
    case 'deadline':
      rec.deadline = field;
      break;
    default:
      break;
  }
}

function emptyRecord(row: number, page: number | null): RowRecord {
  return {
    row,
    page,
    seq: BLANK(),
    groups: [],
    content: BLANK(),
    units: BLANK(),
    lead: BLANK(),
    cooperating: BLANK(),
    deadline: BLANK(),
    section: null,
  };
}

function own(text: string, col: number): Field {
  return text ? { ref: { text }, state: 'own', col } : BLANK(col);
}

/**
 * Rows rebuilt from flattened text: a row's fields may be shifted (cells
 * covered by a merge simply missing) or carry extra sub-heading fields, so
 * roles come from the header where the row has the header's width and from
 * the kind of each field otherwise (a number → 序号, a unit phrase → units,
 * a time phrase → deadline, the last text before the units → the task).
 */
export function flattenedRows(table: TableBlock, grid: Grid, header: TableHeader): RowRecord[] {
  // Flattened rows are as wide as the header's labelled columns; wider rows are realigned by kind.
  let width = 1;
  for (const s of grid[header.end - 1] ?? []) {
    if (s && s.origin && normalizeText(s.cell.text) !== '') width = Math.max(width, s.cell.col + s.cell.colSpan);
  }
  const cols = header.columns.slice(0, width);
  // The cells printed in each body row, read off the grid once for the checks below and the row loop.
  const bodyCells: TableCell[][] = [];
  for (let r = header.end; r < table.rows; r++) bodyCells.push(printedCells(grid[r]));
  const shape: FlatShape = {
    cols,
    hasSeq: cols.includes('seq'),
    hasDeadline: cols.includes('deadline'),
    breaks: table.pageBreakBefore ?? [],
    // Converters that print merged continuations as empty fields keep every
    // row's shape; those that drop covered cells (web-to-text) shift rows left,
    // and then the group fields a short row does print are its deepest ones.
    printsBlanks: showsEmptyFields(bodyCells),
    // Every row exactly as wide as the header (measured columns, a clean TSV):
    // positions are real even where a cut cell does not read as its kind.
    uniform: bodyCells.every((cells) => cells.length === cols.length),
    tablePage: table.page ?? null,
  };
  const out: RowRecord[] = [];
  for (let r = header.end; r < table.rows; r++) {
    const rec = flattenedRow(r, bodyCells[r - header.end], shape);
    if (rec) out.push(rec);
  }
  if (!shape.printsBlanks) {
    let depth = 0;
    for (const rec of out) depth = Math.max(depth, rec.groups.length);
    for (const rec of out) for (const g of rec.groups) g.col += depth - rec.groups.length;
  }
  return out;
}

/**
 * What every row of a flattened table is read against. The row loop is kept
 * apart from the per-row reading: one function holding both took TurboFan
 * some 80 ms to optimise (escape analysis over every record it builds), a
 * large share of a batch worker's cold start.
 */
interface FlatShape {
  cols: FieldRole[];
  hasSeq: boolean;
  hasDeadline: boolean;
  breaks: number[];
  printsBlanks: boolean;
  uniform: boolean;
  tablePage: number | null;
}

/** One body row of a flattened table, or null when it prints nothing. */
function flattenedRow(r: number, cells: TableCell[], shape: FlatShape): RowRecord | null {
  const fields: string[] = [];
  let nonEmpty = 0;
  let firstNonEmpty = '';
  let page: number | undefined;
  for (const c of cells) {
    const f = normalizeText(c.text);
    fields.push(f);
    if (f !== '' && nonEmpty++ === 0) firstNonEmpty = f;
    if (page === undefined) page = c.page;
  }
  if (nonEmpty === 0) return null;
  const rec = emptyRecord(r, page ?? shape.tablePage);
  rec.shape = fields.length;
  const { cols } = shape;
  // A row cut at the page foot ("区经济信息和"), and the rest of it at the top of the next page
  // ("开平台。"), have cells that read as no kind at all.
  const cutByBreak = shape.breaks.includes(r + 1) || shape.breaks.includes(r);
  if (shape.printsBlanks && fields.length === cols.length && (shape.uniform || cutByBreak || fitsColumns(fields, cols))) {
    // The row has the header's shape: trust positions.
    for (let i = 0; i < fields.length; i++) place(rec, cols[i], own(fields[i], i));
    for (let i = 0; i < rec.groups.length; i++) rec.groups[i].col = i;
    return rec;
  }
  let start = 0;
  if (shape.hasSeq && fields.length > 1 && (isSeqCell(fields[0]) || fields[0] === '')) {
    rec.seq = own(fields[0].replace(/[.、．\s]/g, ''), 0);
    start = 1;
  }
  if (nonEmpty === 1 && start === 0 && isSectionText(firstNonEmpty) && fields.length <= 2) {
    rec.section = { text: firstNonEmpty };
    return rec;
  }
  placeByKind(rec, fields, start, shape.hasDeadline);
  return rec;
}

/** Fields from `start` on, by kind: a time phrase last → deadline, a unit phrase → units, the last text before them → the task, the rest → groups. */
function placeByKind(rec: RowRecord, fields: string[], start: number, hasDeadline: boolean): void {
  let end = fields.length;
  while (end > start && fields[end - 1] === '') end--;
  if (hasDeadline) {
    const parts: string[] = [];
    while (end - 1 > start && isTimePhrase(fields[end - 1]) && !isUnitPhrase(fields[end - 1])) parts.unshift(fields[--end]);
    if (parts.length) rec.deadline = own(parts.join(''), end);
    while (end > start && fields[end - 1] === '') end--;
  }
  if (end > start && isUnitPhrase(fields[end - 1])) {
    let unitStart = end - 1;
    // A units cell broken over two fields: the first part ends open (`…，`).
    while (unitStart - 1 >= start && OPEN_LIST_END.test(fields[unitStart - 1]) && isUnitPhrase(fields[unitStart - 1])) unitStart--;
    rec.units = own(fields.slice(unitStart, end).join(''), unitStart);
    end = unitStart;
  }
  while (end > start && fields[end - 1] === '') end--;
  if (end > start) {
    rec.content = own(fields[end - 1], end - 1);
    end--;
  }
  for (let i = start; i < end; i++) rec.groups.push(own(fields[i], i - start));
}

const OPEN_LIST_END = /[，,、；;]$/;

/** The cells a flattened row prints: each cell once, at its own position, left to right. */
function printedCells(slots: (GridSlot | null)[] | undefined): TableCell[] {
  const cells: TableCell[] = [];
  for (const s of slots ?? []) if (s && s.origin) cells.push(s.cell);
  return cells;
}

/** Some row has an empty cell before its last non-empty one (an all-empty row of two or more cells counts too). */
function showsEmptyFields(bodyCells: TableCell[][]): boolean {
  for (const cells of bodyCells) {
    let last = cells.length - 1;
    while (last >= 0 && cells[last].text.trim() === '') last--;
    const upTo = last >= 0 ? last : cells.length - 1;
    for (let i = 0; i < upTo; i++) if (cells[i].text.trim() === '') return true;
  }
  return false;
}

/** Every field is of the kind its column expects (or blank): the row can be read by position. */
function fitsColumns(fields: string[], cols: FieldRole[]): boolean {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f !== '' && !fitsColumn(f, cols[i])) return false;
  }
  return true;
}

function fitsColumn(f: string, role: FieldRole): boolean {
  switch (role) {
    case 'seq':
      return isSeqCell(f);
    case 'units':
    case 'lead':
    case 'cooperating':
      return isUnitPhrase(f);
    case 'deadline':
      return isTimePhrase(f);
    default:
      // A task or group column never holds a bare number or a units phrase.
      return !isSeqCell(f) && !isUnitPhrase(f);
  }
}

/** A lone line that reads as a heading: an item marker of the top levels, or a short unpunctuated title. */
export function isSectionText(s: string): boolean {
  if (/^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)/.test(s)) return true;
  return false;
}
