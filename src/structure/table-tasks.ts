import { normalizeText } from '../lexicon/text.js';
import type { InheritableField } from '../model/schema.js';
import { parseEnumerator, STYLE_RANK } from '../lexicon/enumerators.js';
import { fieldText, type Field, type RowRecord, type TextRef } from './rows.js';

/** A task before ids, units parsing and validation. */
export interface TaskDraft {
  seq: number | null;
  path: TextRef[];
  content: TextRef | null;
  units: TextRef | null;
  lead: TextRef | null;
  cooperating: TextRef | null;
  deadline: TextRef | null;
  page: number | null;
  table: number | null;
  row: number | null;
  inherited: Set<InheritableField>;
  /**
   * True when the 序号 was not printed and was inferred from its neighbours.
   * Always present: a property added later gives drafts two shapes, which deoptimised toTask.
   */
  seqInferred: boolean;
}

interface StackEntry {
  key: string;
  col: number;
  rank: number | null;
  section: boolean;
  ref: TextRef;
}

export interface TableTaskOptions {
  tableIndex: number;
  hasSeqColumn: boolean;
  /** Blank group/unit cells inherit from above (flattened text, or a table that never merges). */
  inheritBlanks: boolean;
}

const CLOSED_END = /([。！？；;!?…）)”」』》\]】]|负责|牵头|配合|协办|落实|参与|协助|負責|牽頭)$/;

/** Text that stops mid-sentence: a row cut by a page break continues it. */
export function isOpen(text: string): boolean {
  return text !== '' && !CLOSED_END.test(text);
}

function styleKey(text: string): { key: string; rank: number } | null {
  const e = parseEnumerator(text);
  return e ? { key: `style:${e.style}`, rank: STYLE_RANK[e.style] } : null;
}

export function tasksFromRows(records: RowRecord[], opts: TableTaskOptions): TaskDraft[] {
  const drafts: TaskDraft[] = [];
  const stack: StackEntry[] = [];
  let prev: { rec: RowRecord; draft: TaskDraft; groupRefs: (TextRef | null)[] } | null = null;

  const truncate = (i: number) => {
    stack.length = Math.max(0, i);
  };

  for (const rec of records) {
    if (rec.section) {
      const style = styleKey(rec.section.text);
      const key = style?.key ?? 'section';
      const at = stack.findIndex((e) => e.key === key);
      if (at >= 0) truncate(at);
      else {
        const deeper = stack.findIndex((e) => !e.section || (style !== null && e.rank !== null && e.rank >= style.rank));
        if (deeper >= 0) truncate(deeper);
      }
      stack.push({ key, col: -1, rank: style?.rank ?? null, section: true, ref: rec.section });
      prev = null;
      continue;
    }

    if (prev && isFragment(rec, prev.rec, opts.hasSeqColumn)) {
      joinFragment(rec, prev);
      continue;
    }

    const inherited = new Set<InheritableField>();
    let ownTopGroup = false;
    const groupRefs: (TextRef | null)[] = [];
    for (const g of rec.groups) {
      if (g.state === 'own' && g.ref) {
        const style = styleKey(g.ref.text);
        const key = style?.key ?? `col:${g.col}`;
        let at = stack.findIndex((e) => e.key === key);
        if (at < 0) {
          at = style
            ? stack.findIndex((e) => !e.section && e.rank !== null && e.rank >= style.rank)
            : stack.findIndex((e) => !e.section && e.col >= g.col);
        }
        if (at >= 0) truncate(at);
        if (!stack.some((e) => !e.section)) ownTopGroup = true;
        stack.push({ key, col: g.col, rank: style?.rank ?? null, section: false, ref: g.ref });
        groupRefs.push(g.ref);
      } else if (g.state === 'covered') {
        inherited.add('path');
        groupRefs.push(g.ref ?? stack.find((e) => !e.section && e.col === g.col)?.ref ?? null);
      } else if (opts.inheritBlanks) {
        const entry = stack.find((e) => !e.section && e.col === g.col) ?? null;
        if (entry) inherited.add('path');
        groupRefs.push(entry?.ref ?? null);
      } else {
        const at = stack.findIndex((e) => !e.section && e.col >= g.col);
        if (at >= 0) truncate(at);
        groupRefs.push(null);
      }
    }
    if (rec.groups.length === 0 && stack.some((e) => !e.section)) inherited.add('path');

    const carry = (field: Field, name: InheritableField, previous: TextRef | null | undefined): TextRef | null => {
      if (field.state === 'own') return field.ref;
      if (field.state === 'covered' && field.ref) {
        inherited.add(name);
        return field.ref;
      }
      if (field.state === 'covered' || (opts.inheritBlanks && !ownTopGroup)) {
        if (previous) inherited.add(name);
        return previous ?? null;
      }
      return null;
    };

    const draft: TaskDraft = {
      seq: null,
      path: stack.map((e) => e.ref),
      content: rec.content.ref,
      units: carry(rec.units, 'units', prev?.draft.units),
      lead: carry(rec.lead, 'units', prev?.draft.lead),
      cooperating: carry(rec.cooperating, 'units', prev?.draft.cooperating),
      deadline: carry(rec.deadline, 'deadline', prev?.draft.deadline),
      page: rec.page,
      table: opts.tableIndex,
      row: rec.row,
      inherited,
      seqInferred: false,
    };
    if (rec.content.state === 'covered' && rec.content.ref) inherited.add('content');
    const seqText = fieldText(rec.seq);
    if (seqText && /^\d+$/.test(seqText)) draft.seq = Number(seqText);
    drafts.push(draft);
    prev = { rec, draft, groupRefs };
  }
  return drafts;
}

/** A row with no 序号 whose text continues the row above mid-sentence (cut by a page break). */
function isFragment(rec: RowRecord, prevRec: RowRecord, hasSeqColumn: boolean): boolean {
  if (fieldText(rec.seq) !== '') return false;
  const content = fieldText(rec.content);
  if (!hasSeqColumn && content && parseEnumerator(content)) return false;
  const prevContent = fieldText(prevRec.content);
  const prevUnits = fieldText(prevRec.units);
  // Where every task is numbered, the unnumbered first row of a page is the row the
  // page break cut, even when the cut fell at the end of a sentence or a title (《…》).
  const firstOnPage = rec.page !== null && prevRec.page !== null && rec.page > prevRec.page;
  // Without a 序号 column the item number opens the content ("9.加大…"): a numbered
  // row above an unnumbered one says the same.
  const numbered = hasSeqColumn || parseEnumerator(prevContent) !== null;
  if (content && numbered && firstOnPage && prevContent && rec.groups.every((g, i) => g.state !== 'own' || continuesGroup(g, prevRec.groups[i]))) return true;
  if (content) return isOpen(prevContent);
  // A merged cell reaching down into the row is not the row's own text.
  const own = (f: Field) => (f.state === 'own' ? fieldText(f) : '');
  if (own(rec.units)) return isOpen(prevUnits);
  // Only the end of a deadline phrase ("更新" after "…及时") came over the page break.
  if (own(rec.deadline) && !rec.groups.some((g) => own(g))) return isOpen(fieldText(prevRec.deadline));
  return false;
}

/**
 * A group cell at the top of a page that is the rest of the group the cut row opened
 * ("着力推进政" | "务公开平台建设"): the row above printed its own group in that column,
 * and this text starts no item of its own.
 */
function continuesGroup(g: Field, above: Field | undefined): boolean {
  return above !== undefined && above.state === 'own' && fieldText(above) !== '' && styleKey(fieldText(g)) === null;
}

function joinFragment(rec: RowRecord, prev: { rec: RowRecord; draft: TaskDraft; groupRefs: (TextRef | null)[] }) {
  const append = (target: TextRef | null, text: string): TextRef => {
    if (!target) return { text };
    // A cell printed again on the new page is the same cell, not more text.
    if (same(target.text, text)) return target;
    target.text += text;
    return target;
  };
  rec.groups.forEach((g, i) => {
    if (g.state === 'own' && g.ref) prev.groupRefs[i] = append(prev.groupRefs[i] ?? null, g.ref.text);
  });
  const c = fieldText(rec.content);
  if (c) prev.draft.content = append(prev.draft.content, c);
  const u = fieldText(rec.units);
  if (u) {
    // Inherited units are someone else's cell: the fragment's own text makes a new one.
    if (prev.draft.units && same(prev.draft.units.text, u)) {
      // repeated after the page break
    } else if (prev.draft.units && prev.draft.inherited.has('units') && isOpen(normalizeText(prev.draft.units.text)) && !isOpen(normalizeText(u))) {
      // A merged units cell cut at the page foot ("…各直属机" | "构负责"): its rest belongs to every row it spans.
      prev.draft.units.text += u;
    } else if (prev.draft.inherited.has('units') || !prev.draft.units) {
      prev.draft.units = { text: u };
      prev.draft.inherited.delete('units');
    } else prev.draft.units.text += u;
    prev.rec.units = { ref: prev.draft.units, state: 'own', col: prev.rec.units.col };
  }
  const d = fieldText(rec.deadline);
  if (d) prev.draft.deadline = append(prev.draft.deadline, d);
}

function same(a: string, b: string): boolean {
  return a.replace(/\s/g, '') === b.replace(/\s/g, '');
}

/** Content without its item marker; the marker's number when the table prints no 序号. */
export function splitContent(text: string): { content: string; number: number | null } {
  const e = parseEnumerator(text);
  if (!e) return { content: text, number: null };
  return { content: e.rest, number: e.number };
}
