import type { TableBlock, TableCell } from '../model/document.js';
import { isSeqCell } from '../lexicon/kinds.js';
import { parseEnumerator } from '../lexicon/enumerators.js';
import type { Line } from './txt-clean.js';
import { isLayoutHeaderLine, labelRole, readLayoutTable } from './txt-layout.js';

export interface TableSpan {
  /** Line range [start, end) the table occupies. */
  start: number;
  end: number;
  table: TableBlock;
}

/** Lines that close a plan's table: the notice's tail. */
const TABLE_END = /^(公开方式|抄送|主题词|附件\s*\d*\s*[:：]|[（(]此页无正文[）)]|(19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)/;

/** A line with nothing on it; a lone tab is an empty cell, not a blank line. */
const isBlank = (l: Line | undefined) => !l || /^[ \u3000]*$/.test(l.text);

function splitDelimited(text: string): string[] | null {
  if (text.includes('\t')) {
    const f = text.split('\t');
    return f.length >= 2 ? f : null;
  }
  if (hasTwoPipes(text)) {
    if (/^\s*[|｜]?\s*:?-{2,}/.test(text)) return [];
    return text.replace(/^\s*[|｜]/, '').replace(/[|｜]\s*$/, '').split(/[|｜]/);
  }
  return null;
}

/** Whether the line holds two or more pipes (ASCII or full-width): counted without building a match array for every line. */
function hasTwoPipes(text: string): boolean {
  let pipes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x7c || c === 0xff5c) && ++pipes >= 2) return true;
  }
  return false;
}

function headerLabelCount(fields: string[]): { labels: number; nonEmpty: number; task: boolean } {
  let labels = 0;
  let nonEmpty = 0;
  let task = false;
  for (const f of fields) {
    const t = f.trim();
    if (!t) continue;
    nonEmpty++;
    const role = labelRole(t);
    if (role) labels++;
    if (role === 'task' || role === 'units' || role === 'lead') task = true;
  }
  return { labels, nonEmpty, task };
}

function isHeaderFields(fields: string[]): boolean {
  const { labels, nonEmpty, task } = headerLabelCount(fields);
  return labels >= 2 && labels >= nonEmpty * 0.6 && task;
}

/** Find every flattened table in the lines, in order, non-overlapping. */
export function findFlattenedTables(lines: Line[]): TableSpan[] {
  const spans: TableSpan[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fields = splitDelimited(lines[i].text);
    let span: TableSpan | null = null;
    if (fields && fields.filter((f) => f.trim()).length >= 2 && isHeaderFields(fields)) {
      span = readDelimited(lines, i);
    } else if (labelRole(lines[i].text.trim())) {
      const run = headerRun(lines, i);
      if (run) span = run.tabbed ? readCellPerLine(lines, run, true) : readCellPerLine(lines, run, false);
    } else if (isLayoutHeaderLine(lines[i].text)) {
      // `pdftotext -layout`: columns aligned with spaces (txt-layout.ts).
      span = readLayoutTable(lines, i, spans.length ? spans[spans.length - 1].end : 0);
    }
    if (span && span.table.rows > 1) {
      spans.push(span);
      i = span.end - 1;
    }
  }
  return spans;
}

interface HeaderRun {
  start: number;
  end: number;
  labels: string[];
  tabbed: boolean;
  /** Blank lines between the header labels: blank lines mean nothing in this table. */
  doubleSpaced: boolean;
}

/** Header labels one per line (optionally tab-prefixed, optionally blank-separated). */
function headerRun(lines: Line[], start: number): HeaderRun | null {
  const labels: string[] = [];
  let i = start;
  let blanks = 0;
  let tabbed = 0;
  let end = start;
  while (i < lines.length) {
    const l = lines[i];
    if (isBlank(l)) {
      if (labels.length && isBlank(lines[i + 1])) break;
      blanks++;
      i++;
      continue;
    }
    const t = l.text.trim();
    if (l.text.split('\t').filter((f) => f.trim()).length > 1 || !labelRole(t)) break;
    labels.push(t);
    if (/^\t/.test(l.text)) tabbed++;
    i++;
    end = i;
  }
  if (labels.length < 3 || !isHeaderFields(labels)) return null;
  return { start, end, labels, tabbed: tabbed > labels.length / 2, doubleSpaced: blanks >= labels.length - 1 };
}

class TableBuilder {
  cells: TableCell[] = [];
  rows = 0;
  cols = 0;
  pageBreakBefore: number[] = [];

  addRow(fields: string[], breakBefore = false) {
    if (breakBefore && this.rows > 0) this.pageBreakBefore.push(this.rows);
    fields.forEach((text, col) => this.cells.push({ row: this.rows, col, rowSpan: 1, colSpan: 1, text }));
    this.cols = Math.max(this.cols, fields.length);
    this.rows++;
  }

  build(): TableBlock {
    return { kind: 'table', rows: this.rows, cols: this.cols, cells: this.cells, origin: 'flattened', pageBreakBefore: this.pageBreakBefore, headerRows: [0] };
  }
}

/** Tab- or pipe-separated rows: one line per row, a line without separators continues the last cell. */
function readDelimited(lines: Line[], start: number): TableSpan {
  const tb = new TableBuilder();
  tb.addRow(splitDelimited(lines[start].text)!.map((f) => f.trim()));
  let last: string[] | null = null;
  let end = start + 1;
  let sawBlank = false;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (isBlank(l)) {
      sawBlank = true;
      continue;
    }
    if (TABLE_END.test(l.text.trim())) break;
    const fields = splitDelimited(l.text);
    if (fields && fields.length === 0) continue; // markdown separator row
    if (fields) {
      if (last) tb.addRow(last);
      last = fields.map((f) => f.trim());
      if (sawBlank && tb.rows > 0) tb.pageBreakBefore.push(tb.rows);
      sawBlank = false;
      end = i + 1;
      continue;
    }
    if (!sawBlank && last) {
      // A cell with a line break inside: the rest of the line belongs to the last cell.
      let k = last.length - 1;
      while (k > 0 && last[k] === '') k--;
      last[k] = `${last[k]}\n${l.text.trim()}`;
      end = i + 1;
      continue;
    }
    if (nextDelimitedWithin(lines, i + 1, 3)) {
      if (last) tb.addRow(last);
      last = [l.text.trim()];
      sawBlank = false;
      end = i + 1;
      continue;
    }
    break;
  }
  if (last) tb.addRow(last);
  return { start, end, table: tb.build() };
}

function nextDelimitedWithin(lines: Line[], from: number, n: number): boolean {
  let seen = 0;
  for (let i = from; i < lines.length && seen < n; i++) {
    if (isBlank(lines[i])) continue;
    seen++;
    const f = splitDelimited(lines[i].text);
    if (f && f.length) return true;
    if (/^\t/.test(lines[i].text)) return true;
  }
  return false;
}

/**
 * One cell per line. With blank lines between rows (and not between every
 * line) a blank line ends a row; otherwise a row starts at each 序号 line
 * (or a section heading line). A tab-prefixed line starts a cell, an
 * unprefixed one continues the cell before it.
 */
function readCellPerLine(lines: Line[], run: HeaderRun, tabbed: boolean): TableSpan {
  const tb = new TableBuilder();
  tb.addRow(run.labels);
  const ncols = run.labels.length;
  const hasSeq = run.labels.some((l) => labelRole(l) === 'seq');
  const byBlank = !run.doubleSpaced;
  let row: string[] = [];
  let end = run.end;
  let blankBefore = false;
  const flush = () => {
    if (row.some((f) => f.trim())) tb.addRow(row, blankBefore);
    row = [];
  };
  for (let i = run.end; i < lines.length; i++) {
    const l = lines[i];
    if (isBlank(l)) {
      if (byBlank && row.length) {
        flush();
        blankBefore = isBlank(lines[i + 1]);
      }
      continue;
    }
    const t = l.text.trim();
    if (TABLE_END.test(t)) break;
    const startsCell = !tabbed || /^\t/.test(l.text);
    if (tabbed && !startsCell && row.length === 0 && !nextTabbedWithin(lines, i + 1, 4)) break;
    if (!byBlank) {
      const isStart = hasSeq ? isSeqCell(t) : false;
      const isSection = row.length !== 1 && /^[一二三四五六七八九十]+、/.test(t) && (hasSeq || row.length === 0);
      if (isStart || isSection) {
        flush();
        if (isSection) {
          tb.addRow([t]);
          end = i + 1;
          continue;
        }
      } else if (row.length >= ncols + 2) {
        break; // past the last row: what follows is not table text
      }
    }
    if (startsCell) for (const f of l.text.replace(/^\t/, '').split('\t')) row.push(f.trim());
    else if (row.length) row[row.length - 1] = `${row[row.length - 1]}\n${t}`;
    else row.push(t);
    end = i + 1;
  }
  flush();
  return { start: run.start, end, table: tb.build() };
}

function nextTabbedWithin(lines: Line[], from: number, n: number): boolean {
  let seen = 0;
  for (let i = from; i < lines.length && seen < n; i++) {
    if (isBlank(lines[i])) continue;
    seen++;
    if (/^\t/.test(lines[i].text)) return true;
  }
  return false;
}
