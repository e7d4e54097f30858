import { parseChineseNumber } from './text.js';

/**
 * Item markers of Chinese official documents, outermost first:
 * 一、 → (一) → 1. → (1) → ① → 一是. The style is the key the structure
 * stage uses to put a heading at its level, whatever column it sits in.
 */
export type EnumStyle = 'cn-dun' | 'cn-paren' | 'arabic' | 'arabic-paren' | 'circled' | 'cn-shi' | 'di';

export const STYLE_RANK: Record<EnumStyle, number> = {
  di: 0,
  'cn-dun': 1,
  'cn-paren': 2,
  arabic: 3,
  'arabic-paren': 4,
  circled: 5,
  'cn-shi': 6,
};

export interface Enumerator {
  style: EnumStyle;
  number: number;
  /** The marker as printed, e.g. "(一) " including trailing spaces. */
  marker: string;
  /** Text after the marker, leading whitespace removed. */
  rest: string;
}

const CN = '[一二三四五六七八九十百零〇两]+';
const PATTERNS: [EnumStyle, RegExp][] = [
  ['di', new RegExp(`^(第(${CN})(?:部分|章|节))[、，,：:\\s]*`)],
  ['cn-dun', new RegExp(`^((${CN})\\s*[、.．])\\s*`)],
  ['cn-paren', new RegExp(`^([（(]\\s*(${CN})\\s*[）)][、.．]?)\\s*`)],
  ['arabic-paren', /^([（(]\s*(\d{1,3})\s*[）)][、.．]?)\s*/],
  // "1." / "1、" / "1．" but not "2024年" or "1.5%"; a bare "1 " only when followed by CJK.
  ['arabic', /^((\d{1,3})\s*[.、．](?!\d))\s*/],
  ['circled', /^(([\u2460-\u2473]))\s*/],
  ['cn-shi', new RegExp(`^((${CN})是)(?=[\\u4e00-\\u9fff“"《（(\\d])`)],
];

/** Characters an item marker can open with; text opening with any other is no item (most task text). */
const MARKER_OPENERS = new Set<number>();
for (const ch of '第一二三四五六七八九十百零〇两（(0123456789') MARKER_OPENERS.add(ch.charCodeAt(0));
for (let c = 0x2460; c <= 0x2473; c++) MARKER_OPENERS.add(c);

export function parseEnumerator(text: string): Enumerator | null {
  const s = text.trimStart(); // the same whitespace as /^[\s\u3000]+/
  // Tested for '' first: charCodeAt past the end deoptimises the caller's optimised code.
  if (s === '' || !MARKER_OPENERS.has(s.charCodeAt(0))) return null;
  for (const [style, re] of PATTERNS) {
    const m = re.exec(s);
    if (!m) continue;
    let n: number | null;
    if (style === 'circled') n = m[2].charCodeAt(0) - 0x2460 + 1;
    else n = parseChineseNumber(m[2]);
    if (n === null) continue;
    if (style === 'cn-shi' && n > 20) continue;
    return { style, number: n, marker: m[0], rest: s.slice(m[0].length) };
  }
  return null;
}
