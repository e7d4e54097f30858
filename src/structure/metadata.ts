import type { Block } from '../model/document.js';
import type { DocumentMeta } from '../model/schema.js';
import { normalizeText } from '../lexicon/text.js';

const DOC_NUMBER = /([\u4e00-\u9fa5A-Za-z]{1,16}\s*[〔［\[【(（]\s*((?:19|20)\d{2})\s*[〕］\]】)）]\s*第?\s*\d{1,4}\s*号)/;
const DATE = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const ISO_DATE = /^((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})$/;
const PLAN_NAME = /(工作要点|分工方案|实施方案|工作方案|任务分工表?|分工表|工作计划|任务清单|责任清单|重点任务|工作安排|要点方案|工作要点方案|公开方案)$/;
const ORG_END = /(委员会|人民政府|政府|办公室|办公厅|管委会|中心|局|厅|委|办|院|部|公司|集团|街道办事处|办事处)$/;

export interface TextLine {
  text: string;
  page: number | null;
  heading: boolean;
}

/** Lines of the document outside tables, in order, normalised (metadata and narrative items both read them). */
export function textLines(blocks: Block[]): TextLine[] {
  const out: TextLine[] = [];
  for (const b of blocks) {
    if (b.kind === 'table') continue;
    for (const l of b.text.split('\n')) {
      const t = normalizeText(l);
      if (t) out.push({ text: t, page: b.page ?? null, heading: b.kind === 'heading' });
    }
  }
  return out;
}

/** Title, 文号, issuer, date, year and 公开方式 from the text around the plan. */
export function extractMetadata(lines: readonly TextLine[]): DocumentMeta {
  const ls = lines.map((l) => l.text);
  const title = findTitle(ls);
  const docNumber = findDocNumber(ls);
  const { issuer, issuedDate } = findIssuer(ls);
  const disclosure = findDisclosure(ls);
  const year = yearOf(title) ?? yearOf(docNumber) ?? (issuedDate ? Number(issuedDate.slice(0, 4)) : null);
  return { title, docNumber, issuer, issuedDate, year, disclosure };
}

function yearOf(s: string | null): number | null {
  const m = s ? /((?:19|20)\d{2})\s*年?/.exec(s) : null;
  return m ? Number(m[1]) : null;
}

function findTitle(ls: string[]): string | null {
  let standalone: string | null = null;
  let quoted: string | null = null;
  const head = ls.slice(0, 400);
  for (let i = 0; i < head.length; i++) {
    const line = head[i];
    // A title wrapped over two lines (PDF text, narrow columns) is tried joined too.
    const next = head[i + 1] ?? '';
    const wrapped = next.length <= 24 && /(公开|《)/.test(line) && !PLAN_NAME.test(line);
    const candidates = wrapped ? [line, normalizeText(line + next)] : [line];
    for (const l of candidates) {
      const q = /《([^《》]{4,80})》/.exec(l);
      if (!quoted && q && /^关于/.test(l) && PLAN_NAME.test(normalizeText(q[1]))) quoted = normalizeText(q[1]);
      if (standalone) continue;
      if (l.length > 60 || /^(关于|附件|根据|为|按照)/.test(l) || /[。；，,]/.test(l)) continue;
      if (PLAN_NAME.test(l) && /(政务公开|公开|工作)/.test(l)) standalone = l;
    }
  }
  if (standalone && quoted && quoted.length > standalone.length && quoted.endsWith(standalone)) return quoted;
  return standalone ?? quoted;
}

function findDocNumber(ls: string[]): string | null {
  // A 文号 on its own line is the document's own; one inside a sentence is a citation.
  for (const line of ls.slice(0, 200)) {
    // Portal metadata tables label it: "发文字号：某府办〔2023〕5号".
    const l = line.replace(/^(发文字号|发文字號|文号|文號|发文号)\s*[:：]\s*/, '');
    const m = DOC_NUMBER.exec(l);
    if (m && l.replace(/\s/g, '').length <= m[1].replace(/\s/g, '').length + 2) return m[1].replace(/\s/g, '');
  }
  return null;
}

function isoDate(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

function findIssuer(ls: string[]): { issuer: string | null; issuedDate: string | null } {
  let issuer: string | null = null;
  let issuedDate: string | null = null;
  for (const l of ls.slice(0, 60)) {
    const m = /^(.{4,40}?)\s*文\s*件$/.exec(l);
    if (m && ORG_END.test(m[1].replace(/\s/g, ''))) {
      issuer = m[1].replace(/\s/g, '');
      break;
    }
  }
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i];
    if (!l.includes('年')) continue; // no date on this line: spare the regexes
    const stripped = l.replace(/\s/g, '');
    const d = DATE.exec(stripped);
    if (!d || stripped.length > d[0].length + 12) continue;
    const rest = stripped.replace(d[0], '').replace(/^[•·]/, '');
    // "2018年9月26日印发", "2024年6月24日", or "办公室 2022年11月23日印发".
    if (rest && !/^(印发|发布|成文)?$/.test(rest) && !(ORG_END.test(rest.replace(/(印发|发布)$/, '')) && rest.length < 30)) continue;
    if (!issuedDate) issuedDate = isoDate(d[1], d[2], d[3]);
    if (!issuer) {
      const prevLine = (ls[i - 1] ?? '').replace(/\s/g, '');
      if (!/印发$/.test(stripped) && ORG_END.test(prevLine) && prevLine.length <= 40 && !/[。，,：:]/.test(prevLine)) issuer = prevLine;
    }
    if (issuer) break;
  }
  if (!issuedDate) {
    for (const l of ls.slice(0, 40)) {
      const iso = ISO_DATE.exec(l.trim());
      if (iso) {
        issuedDate = isoDate(iso[1], iso[2], iso[3]);
        break;
      }
    }
  }
  return { issuer, issuedDate };
}

function findDisclosure(ls: string[]): string | null {
  for (const l of ls) {
    const m = /公开(方式|属性)\s*[:：]\s*(\S{2,8})/.exec(l);
    if (m) return m[2];
    const m2 = /^[（(]此件(主动公开|依申请公开|不予公开|不公开)[）)]$/.exec(l);
    if (m2) return m2[1];
  }
  return null;
}
