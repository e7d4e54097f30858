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
const ANY_SPACE = /[\s\u00a0\u2002-\u200b\u3000\ufeff]/;

export function normalizeText(input: string): string {
  if (!ANY_SPACE.test(input)) return input; // the common case: nothing to collapse
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

/**
 * Fold traditional forms of the words the parser keys on (header labels,
 * role words, unit suffixes, time words). One character for one, so an index
 * into the folded text is an index into the printed text: output keeps the
 * characters as printed.
 */
export function foldTraditional(s: string): string {
  if (!TRAD_RE.test(s)) return s; // simplified text: nothing to fold
  return s.replace(TRAD_RE_G, (c) => TRAD_PAIRS.get(c) ?? c);
}

const TRAD_FROM = '牽頭負責協辦會參與單門時間內務開別職號編體專項進級機關構區處廳組隊鎮鄉縣員務續長態適當劃據據點節況實應標準規範業數據網絡發佈佈範圍領導監督檢查審計財稅屬營達總結報計劃書記議題類並將與為從這個們對於過還經濟環境衛生產權農資聯絡調動勵獎規則優護辦';
const TRAD_TO = '牵头负责协办会参与单门时间内务开别职号编体专项进级机关构区处厅组队镇乡县员务续长态适当划据据点节况实应标准规范业数据网络发布布范围领导监督检查审计财税属营达总结报计划书记议题类并将与为从这个们对于过还经济环境卫生产权农资联络调动励奖规则优护办';
const TRAD_PAIRS = new Map<string, string>();
for (let i = 0; i < TRAD_FROM.length && i < TRAD_TO.length; i++) {
  if (TRAD_FROM[i] !== TRAD_TO[i]) TRAD_PAIRS.set(TRAD_FROM[i], TRAD_TO[i]);
}
const TRAD_CLASS = `[${[...TRAD_PAIRS.keys()].join('')}]`;
const TRAD_RE = new RegExp(TRAD_CLASS);
const TRAD_RE_G = new RegExp(TRAD_CLASS, 'g');
