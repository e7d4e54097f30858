import { foldTraditional, normalizeText } from './text.js';

/** What a task-table column holds, recognised from its header label. */
export type ColumnRole = 'seq' | 'task' | 'units' | 'lead' | 'cooperating' | 'deadline' | 'other';

const HEADER_PATTERNS: [ColumnRole, RegExp][] = [
  ['seq', /^(序号|编号|序|项次|No\.?)$/i],
  ['lead', /^(牵头(单位|部门|领导|科室)|主办(单位|部门))$/],
  ['cooperating', /^(配合|协办|协助|参与)(单位|部门|科室)?$/],
  ['units', /^(牵头及)?(责任|承办|负责|落实|主体|实施)?(单位|部门|科室|处室|主体)$|^(牵头及责任单位|牵头单位及责任单位|责任单位及分工|牵头(单位)?[\/、和及]配合(单位)?|责任分工|责任人|分工|牵头及配合单位)$/],
  ['deadline', /^(完成(时限|时间|期限)|工作时限|时间(进度|安排|节点|要求)|时限(要求)?|进度安排|完成时间节点|办结时限|推进时间)$/],
  [
    'task',
    /^(工作(任务|内容|要求|要点|事项|目标|措施|重点)|目标任务|重点(任务|工作)|主要(任务|内容|工作|措施)|具体(要求|任务|措施|内容|工作)|具体任务及要求|任务(内容|要求|名称|事项)?|公开(内容|事项|要求)|项目|类别|分类|事项|内容|要求|措施|重点领域|领域)$/,
  ],
  ['other', /^(备注|说明|完成情况|进展情况|公开方式|公开时限|公开渠道)$/],
];

/** What a label loses before it is matched: normalizeText and foldTraditional keep a text's length when it has none of these. */
const LABEL_STRIPPED = /[\s\u200b:：*＊]/;

/** Header label → role, or null when the text is not a header label. */
export function headerRole(label: string): ColumnRole | null {
  // Most texts asked about are long phrases of a table body: no label, and no need to normalise them to see it.
  if (label.length > 14 && !LABEL_STRIPPED.test(label)) return null;
  const s = foldTraditional(normalizeText(label)).replace(/[\s:：*＊]/g, '');
  if (!s || s.length > 14) return null;
  for (const [role, re] of HEADER_PATTERNS) if (re.test(s)) return role;
  return null;
}

/** A 序号 cell: a bare number, possibly with a trailing dot. */
export function isSeqCell(s: string): boolean {
  return /^\s*\d{1,4}\s*[.、．]?\s*$/.test(s);
}

const ROLE_WORD = /(牵头|负责|落实|配合|协办|协助|会同|参与|责任|分工负责|承办|主办|指导)/;
const UNIT_SUFFIX =
  /(局|办|委|室|厅|处|科|所|院|队|站|中心|部|部门|单位|街道|镇|乡|政府|分局|支队|大队|公司|集团|银行|法院|检察院|管委会|委员会|管理处|事务中心|社区|村|各科室|小组|组|行|馆|台|团|会|署)(（[^）]*）|\([^)]*\))?$/;

/**
 * A unit phrase: who is responsible. Short, no sentence inside, and either
 * ends in a role word or reads as a list of organisation names.
 */
export function isUnitPhrase(raw: string): boolean {
  const s = foldTraditional(normalizeText(raw)).replace(/[。．.；;]+$/, '');
  if (!s || s.length > 160) return false;
  if (/[。！？]/.test(s)) return false;
  if (/^[（(\[【].*[）)\]】]$/.test(s)) return isUnitPhrase(s.slice(1, -1));
  if (/(牵头|负责|落实|配合|协办|协助|参与|承办)$/.test(s)) return s.length <= 160 && !/[，,]\s*(要|并|积极|进一步|加强|推进|做好)/.test(s);
  if (ROLE_WORD.test(s) && s.length <= 100) {
    // "A牵头，B、C负责": every clause is short and some clause ends in a role word.
    if (shortClausesWithRole(s)) return true;
  }
  const pieces = splitOutsideBrackets(s, /[、，,；;\s]/).filter((p) => p.length > 0);
  if (pieces.length === 0) return false;
  return pieces.every((p) => p.length <= 30 && UNIT_SUFFIX.test(p.replace(/等(有关|相关)?(部门|单位)?$/, '部门')));
}

const CLAUSE_ROLE_END = /(牵头|负责|落实|配合|协办|协助|参与)$/;

/**
 * Every non-empty clause is short and some clause ends in a role word. One
 * loop, not map().filter().every(): those arrays' elements kinds vary with
 * the input and deoptimised isUnitPhrase.
 */
function shortClausesWithRole(s: string): boolean {
  let roleEnd = false;
  for (const piece of splitOutsideBrackets(s, /[，,；;]/)) {
    const c = piece.trim();
    if (c === '') continue;
    if (c.length > 45) return false;
    if (!roleEnd && CLAUSE_ROLE_END.test(c)) roleEnd = true;
  }
  return roleEnd;
}

const TIME_WORD =
  /(\d{1,2}\s*月|\d{4}\s*年|年底|年内|月底|季度|上半年|下半年|全年|长期|持续|常态|及时|时限|之前|前完成|底前|日前|每年|每月|每季|定期|按期|按时|立即|即时|动态|随时|适时|同步|完成时间|根据.*要求)/;

/** A deadline phrase (完成时限), as printed: short and about time. */
export function isTimePhrase(raw: string): boolean {
  const s = normalizeText(raw).replace(/[。；;]+$/, '');
  if (!s || s.length > 40) return false;
  if (/[。！？]/.test(s)) return false;
  if (isUnitPhrase(s) && !/(\d{1,2}月|\d{4}年|持续|长期|及时)/.test(s)) return false;
  return TIME_WORD.test(s);
}

/** Split on a separator class, but never inside （…） ( … ) 〔…〕 《…》 “…”. */
export function splitOutsideBrackets(s: string, sep: RegExp): string[] {
  // Most phrases have no bracket at all: every separator counts, and the native split is one call
  // instead of a regex test per character (sep matches one character and has no capture group).
  if (!ANY_OPENING.test(s)) return s.split(sep);
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (OPENING.has(c)) depth++;
    else if (CLOSING.has(c)) depth = Math.max(0, depth - 1);
    if (depth === 0 && sep.test(s[i])) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const ANY_OPENING = /[（(〔[【《“]/;
const OPENING = new Set([...'（(〔[【《“'].map((ch) => ch.charCodeAt(0)));
const CLOSING = new Set([...'）)〕]】》”'].map((ch) => ch.charCodeAt(0)));
