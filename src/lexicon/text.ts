/**
 * Text normalisation shared by every stage. Plans mix CJK with Latin words,
 * digits and half-width punctuation; converters sprinkle spaces between them.
 */

const CJK_OR_FULLWIDTH = /[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2010-\u206f]/;
const ASCII_LETTER = /[A-Za-z]/;

/**
 * Collapse whitespace the way a reader of Chinese expects: a run of
 * whitespace disappears when it touches CJK text (or CJK punctuation) and
 * no Latin letter; between two Latin tokens, or between a Latin word and
 * CJK (`发展 and 保持`), it becomes one space. Line breaks count as
 * whitespace, so a cell's wrapped lines join without a gap.
 */
export function normalizeText(input: string): string {
  const s = input.replace(/[\u00a0\u2002-\u200b\u3000\ufeff]/g, ' ').trim();
  if (!s) return '';
  return s.replace(/\s+/g, (_run, offset: number, whole: string) => {
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + _run.length] ?? '';
    const beforeCjk = CJK_OR_FULLWIDTH.test(before);
    const afterCjk = CJK_OR_FULLWIDTH.test(after);
    if ((beforeCjk || afterCjk) && !ASCII_LETTER.test(before) && !ASCII_LETTER.test(after)) return '';
    // Half-width punctuation followed by CJK (`信息, 稳步`): the space is an artefact.
    if (afterCjk && /[,.;:!?)\]]/.test(before)) return '';
    if (beforeCjk && /[(\[]/.test(after)) return '';
    return ' ';
  });
}

/** Remove HTML tags and decode the handful of entities copy-paste leaves behind. */
export function stripTags(s: string): string {
  if (!s.includes('<') && !s.includes('&')) return s;
  return s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(p|div|span|strong|b|em|i|u|font|section|td|th|tr|li|ul|ol|a)(\s[^>]*)?>/gi, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9,
};

/** 一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105. */
export function parseChineseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let current = 0;
  let seen = false;
  for (const ch of s) {
    if (ch in CN_DIGITS) {
      current = CN_DIGITS[ch];
      seen = true;
    } else if (ch === '十' || ch === '拾') {
      total += (current || 1) * 10;
      current = 0;
      seen = true;
    } else if (ch === '百' || ch === '佰') {
      total += (current || 1) * 100;
      current = 0;
      seen = true;
    } else return null;
  }
  return seen ? total + current : null;
}

/** Fold traditional forms of the few words the parser keys on. */
export function foldTraditional(s: string): string {
  return s.replace(/[牽頭負責協辦會參與單門時間內務開別職]/g, (c) => TRAD[c] ?? c);
}
const TRAD: Record<string, string> = {
  牽: '牵', 頭: '头', 負: '负', 責: '责', 協: '协', 辦: '办', 會: '会', 參: '参', 與: '与',
  單: '单', 門: '门', 時: '时', 間: '间', 內: '内', 務: '务', 開: '开', 別: '别', 職: '职',
};
