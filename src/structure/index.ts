import type { IntermediateDocument } from '../model/document.js';
import { buildGrid } from '../model/grid.js';
import type { DocumentMeta, PlanWarning, Task } from '../model/schema.js';
import { parseUnits } from '../lexicon/units.js';
import type { UnitRoles } from '../lexicon/units.js';
import { normalizeText } from '../lexicon/text.js';
import { extractMetadata, textLines } from './metadata.js';
import { narrativeTasks } from './narrative.js';
import { flattenedRows, gridRows, type RowRecord, type TextRef } from './rows.js';
import { stitchPageBreaks } from './stitch.js';
import { splitContent, tasksFromRows, type TaskDraft } from './table-tasks.js';

export interface PlanParts {
  document: DocumentMeta;
  tasks: Task[];
  warnings: PlanWarning[];
}

/** Intermediate document → metadata, tasks and warnings. Pure. */
export function buildPlan(doc: IntermediateDocument): PlanParts {
  const warnings: PlanWarning[] = doc.warnings.map((w) => ({ code: w.code, message: w.message }));
  const lines = textLines(doc.blocks);
  const document = extractMetadata(lines);
  const tables = stitchPageBreaks(doc.blocks);
  let drafts: TaskDraft[] = [];
  let fromTables = false;
  tables.forEach((lt, i) => {
    for (const u of lt.unplaced ?? []) {
      warnings.push({ code: 'TEXT_NOT_PLACED', message: `table ${i + 1}: text at the top of page ${u.page} could not be placed in a row: ${u.text.slice(0, 60)}` });
    }
    const grid = lt.grid ?? buildGrid(lt.table);
    const refs = new Map<object, TextRef>();
    const records = lt.table.origin === 'flattened' ? flattenedRows(lt.table, grid, lt.header) : gridRows(lt.table, grid, lt.header, refs);
    const hasSeqColumn = lt.header.columns.includes('seq');
    const shapeWarning = rowShapeWarning(records, i + 1);
    if (shapeWarning) warnings.push(shapeWarning);
    const tableDrafts = tasksFromRows(records, {
      tableIndex: i + 1,
      hasSeqColumn,
      inheritBlanks: lt.table.origin === 'flattened' || !lt.mergesRows,
    });
    if (tableDrafts.length === 0) return;
    fromTables = true;
    drafts.push(...finishSeq(tableDrafts, hasSeqColumn, warnings, i + 1));
  });
  if (!fromTables) drafts = narrativeTasks(lines);
  const separateRoles = tables.some((t) => t.header.columns.includes('lead') || t.header.columns.includes('cooperating'));
  // Merged cells repeat the same group and units text over many rows: parse each distinct string once.
  const memo: TextMemo = { text: new Map(), units: new Map() };
  const tasks = drafts.map((d, i) => toTask(d, i, separateRoles && d.table !== null, memo));
  addContentWarnings(tasks, drafts, warnings);
  return { document, tasks, warnings };
}

/** Rows of flattened text whose field count differs from most rows of the table (realigned by kind). */
function rowShapeWarning(records: RowRecord[], table: number): PlanWarning | null {
  const shaped = records.filter((r) => r.shape !== undefined && !r.section);
  const counts = new Map<number, number>();
  for (const r of shaped) counts.set(r.shape!, (counts.get(r.shape!) ?? 0) + 1);
  const modal = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const odd = shaped.filter((r) => r.shape !== modal);
  if (modal === undefined || odd.length === 0) return null;
  const widths = [...new Set(odd.map((r) => r.shape))].sort().join('/');
  const rows = odd.map((r) => r.row);
  const list = rows.length > 12 ? `${rows.slice(0, 12).join(', ')}, …` : rows.join(', ');
  return {
    code: 'ROW_SHAPE',
    message: `table ${table}: ${odd.length} row(s) have ${widths} fields where most rows have ${modal}; realigned by cell kind (rows ${list})`,
  };
}

/** Seq from the 序号 column, or from the number opening the task cell; gaps and duplicates warned. */
function finishSeq(drafts: TaskDraft[], hasSeqColumn: boolean, warnings: PlanWarning[], table: number): TaskDraft[] {
  for (const d of drafts) {
    if (!hasSeqColumn && d.content) {
      const { number } = splitContent(d.content.text);
      if (number !== null) d.seq = number;
    }
  }
  // A row whose number was lost between two numbered rows takes the number in the gap.
  drafts.forEach((d, i) => {
    if (d.seq !== null) return;
    const before = drafts[i - 1]?.seq;
    const after = drafts[i + 1]?.seq;
    if (before != null && after != null && after - before === 2) {
      d.seq = before + 1;
      d.seqInferred = true;
    }
  });
  let last: number | null = null;
  const seen = new Set<number>();
  for (const d of drafts) {
    if (d.seq === null) continue;
    if (seen.has(d.seq)) warnings.push({ code: 'SEQ_DUPLICATE', message: `table ${table}: 序号 ${d.seq} appears more than once` });
    if (last !== null && d.seq > last + 1) {
      const missing = d.seq - last - 1 === 1 ? `${last + 1}` : `${last + 1}–${d.seq - 1}`;
      warnings.push({ code: 'SEQ_GAP', message: `table ${table}: 序号 ${missing} missing between ${last} and ${d.seq}` });
    }
    seen.add(d.seq);
    last = d.seq;
  }
  return drafts;
}

interface TextMemo {
  text: Map<string, string>;
  units: Map<string, UnitRoles>;
}

function normalized(s: string, memo: TextMemo): string {
  let n = memo.text.get(s);
  if (n === undefined) {
    n = normalizeText(s);
    memo.text.set(s, n);
  }
  return n;
}

function unitsOf(raw: string, memo: TextMemo): UnitRoles {
  let u = memo.units.get(raw);
  if (u === undefined) {
    u = parseUnits(raw);
    memo.units.set(raw, u);
  }
  return { lead: [...u.lead], responsible: [...u.responsible], cooperating: [...u.cooperating] };
}

/**
 * The path's printed texts, empty ones left out. A loop rather than
 * map().filter(): the array map() returns changes elements kind with the
 * path's length, and the optimised toTask was thrown away over it.
 */
function pathTexts(path: TextRef[], memo: TextMemo): string[] {
  const out: string[] = [];
  for (const p of path) {
    const t = normalized(p.text, memo);
    if (t !== '') out.push(t);
  }
  return out;
}

function toTask(d: TaskDraft, i: number, separateRoles: boolean, memo: TextMemo): Task {
  const text = (ref: TextRef | null): string => (ref ? normalized(ref.text, memo) : '');
  const raw = text(d.units);
  let units: Task['units'];
  if (separateRoles) {
    const all = (t: string) => {
      const p = unitsOf(t, memo);
      return [...p.lead, ...p.responsible, ...p.cooperating];
    };
    units = { raw: null, lead: all(text(d.lead)), responsible: raw ? all(raw) : [], cooperating: all(text(d.cooperating)) };
  } else {
    units = { raw: raw || null, ...unitsOf(raw, memo) };
  }
  const deadline = text(d.deadline);
  return {
    id: `T${String(i + 1).padStart(3, '0')}`,
    seq: d.seq,
    path: pathTexts(d.path, memo),
    content: splitContent(text(d.content)).content,
    units,
    deadline: deadline || null,
    provenance: {
      page: d.page,
      table: d.table,
      row: d.row,
      inherited: [...d.inherited].sort(),
    },
  };
}

function addContentWarnings(tasks: Task[], drafts: TaskDraft[], warnings: PlanWarning[]) {
  tasks.forEach((t, i) => {
    const d = drafts[i];
    if (t.content === '') {
      const where = d.table !== null ? `table ${d.table} row ${d.row}` : 'narrative';
      const seqNote = d.seqInferred ? ` (序号 ${t.seq} not printed; inferred from its neighbours)` : '';
      warnings.push({ code: 'CONTENT_MISSING', message: `${where}: task text lost in the source${seqNote}`, task: t.id });
    } else if (d.seqInferred) {
      warnings.push({ code: 'SEQ_INFERRED', message: `序号 ${t.seq} not printed; inferred from its neighbours`, task: t.id });
    }
  });
}
