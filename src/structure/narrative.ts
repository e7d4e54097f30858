import { parseEnumerator, STYLE_RANK } from '../lexicon/enumerators.js';
import { isUnitPhrase } from '../lexicon/kinds.js';
import { normalizeText } from '../lexicon/text.js';
import type { TaskDraft } from './table-tasks.js';
import type { TextLine } from './metadata.js';

/** A bracketed responsibility phrase: （经济发展办负责） (…) [区经发局负责] 【…】. */
const UNIT_PHRASE = /[（(\[【［]\s*([^（）()\[\]【】［］]{2,120}?)\s*[）)\]】］]/g;

interface Item {
  number: number;
  rank: number;
  text: string;
  /** Length of the item marker ("（三）") at the start of text. */
  markerLen: number;
  page: number | null;
  /** unitPhrases(text), until text grows. */
  hits?: PhraseHit[];
}

function hitsOf(item: Item): PhraseHit[] {
  item.hits ??= unitPhrases(item.text);
  return item.hits;
}

interface PhraseHit {
  start: number;
  end: number;
  units: string;
}

function unitPhrases(text: string): PhraseHit[] {
  const hits: PhraseHit[] = [];
  for (const m of text.matchAll(UNIT_PHRASE)) {
    const inner = m[1].trim();
    if (!/(负责|牵头|配合|协办|落实|参与|承办|負責|牽頭)/.test(inner) || !isUnitPhrase(inner)) continue;
    hits.push({ start: m.index!, end: m.index! + m[0].length, units: normalizeText(inner) });
  }
  return hits;
}

/**
 * Tasks of a plan written as prose: every enumerated item that carries a
 * responsibility phrase. An item with several phrases is one task per
 * phrase, its own title sentence joining the path (SPEC §2 "Which tasks").
 */
export function narrativeTasks(units: readonly TextLine[]): TaskDraft[] {
  // Group lines into items: an enumerated line plus the unnumbered lines after it.
  const items: Item[] = [];
  for (const u of units) {
    const e = parseEnumerator(u.text);
    if (e) items.push({ number: e.number, rank: STYLE_RANK[e.style], text: u.text, markerLen: u.text.length - e.rest.length, page: u.page });
    else if (items.length && !u.heading) {
      const last = items[items.length - 1];
      // A lone phrase line "(经济发展办负责)" or a wrapped line continues the item.
      if (hitsOf(last).length === 0 || /^[（(\[【]/.test(u.text)) {
        last.text += u.text;
        last.hits = undefined;
      }
    }
  }
  const drafts: TaskDraft[] = [];
  const stack: { rank: number; text: string }[] = [];
  for (const item of items) {
    const hits = hitsOf(item);
    while (stack.length && stack[stack.length - 1].rank >= item.rank) stack.pop();
    if (hits.length === 0) {
      stack.push({ rank: item.rank, text: item.text });
      continue;
    }
    const path = stack.map((s) => ({ text: s.text }));
    const markerLen = item.markerLen;
    if (hits.length === 1 && item.text.slice(hits[0].end).replace(/[。.\s]/g, '') === '') {
      drafts.push(draft(item.number, path, item.text.slice(markerLen, hits[0].start), hits[0].units, item.page));
      continue;
    }
    // Several phrases: the item's title sentence is a heading for its tasks.
    const body = item.text;
    const titleEnd = body.indexOf('。', markerLen);
    const firstStart = titleEnd >= 0 && titleEnd < hits[0].start ? titleEnd + 1 : markerLen;
    const itemPath = firstStart > markerLen ? [...path, { text: body.slice(0, firstStart) }] : path;
    let from = firstStart;
    for (const h of hits) {
      const content = body.slice(from, h.start);
      drafts.push(draft(firstStart > markerLen ? null : item.number, itemPath, content, h.units, item.page));
      from = h.end;
    }
  }
  return drafts;
}

function draft(seq: number | null, path: { text: string }[], content: string, units: string, page: number | null): TaskDraft {
  return {
    seq,
    path,
    content: { text: normalizeText(content).replace(/^[。；;，,\s]+/, '') },
    units: { text: units },
    lead: null,
    cooperating: null,
    deadline: null,
    page,
    table: null,
    row: null,
    inherited: new Set(),
    seqInferred: false,
  };
}
