/**
 * Word automatic list numbers (word/numbering.xml) and the paragraph-style
 * facts the docx reader needs (word/styles.xml): heading levels, style-linked
 * numbering, alignment and bold.
 */
import type { AttrGetter, Attribs, XmlPart } from './docx-xml.js';
import { isOn, parseXml } from './docx-xml.js';

// ---------------------------------------------------------------- styles

export interface StyleInfo {
  id: string;
  type: string;
  name?: string;
  basedOn?: string;
  outlineLvl?: number;
  numId?: string;
  ilvl?: number;
  jc?: string;
  bold?: boolean;
  vanish?: boolean;
}

export interface Styles {
  byId: Map<string, StyleInfo>;
  defaultParagraph?: string;
  defaultBold?: boolean;
}

/** Elements of styles.xml whose attributes parseStyles reads (styles.xml is mostly table-style formatting). */
const STYLE_ATTRIBUTES = new Set(['w:style', 'w:name', 'w:basedOn', 'w:outlineLvl', 'w:numId', 'w:ilvl', 'w:jc', 'w:b', 'w:vanish']);

export function parseStyles(xml: string | XmlPart): Styles {
  const byId = new Map<string, StyleInfo>();
  const styles: Styles = { byId };
  parseXml(xml, (attr: AttrGetter) => {
    let cur: StyleInfo | null = null;
    let skip = 0; // inside *Change elements
    let inPPr = false;
    let inRPr = false;
    let inDefaultsRPr = false;
    return {
      open(name: string, a: Attribs) {
        if (skip) {
          skip++;
          return;
        }
        if (name.endsWith('PrChange')) {
          skip = 1;
          return;
        }
        switch (name) {
          case 'w:style': {
            const id = attr(a, 'styleId') ?? '';
            cur = { id, type: attr(a, 'type') ?? 'paragraph' };
            if (cur.type === 'paragraph' && isOn(attr(a, 'default')) && attr(a, 'default') !== undefined) styles.defaultParagraph = id;
            break;
          }
          case 'w:rPrDefault':
            inDefaultsRPr = true;
            break;
          case 'w:name':
            if (cur) cur.name = attr(a, 'val');
            break;
          case 'w:basedOn':
            if (cur) cur.basedOn = attr(a, 'val');
            break;
          case 'w:pPr':
            inPPr = true;
            break;
          case 'w:rPr':
            inRPr = true;
            break;
          case 'w:outlineLvl':
            if (cur && inPPr) cur.outlineLvl = toInt(attr(a, 'val'));
            break;
          case 'w:numId':
            if (cur && inPPr) cur.numId = attr(a, 'val');
            break;
          case 'w:ilvl':
            if (cur && inPPr) cur.ilvl = toInt(attr(a, 'val'));
            break;
          case 'w:jc':
            if (cur && inPPr) cur.jc = attr(a, 'val');
            break;
          case 'w:b':
            if (inRPr && cur) cur.bold = isOn(attr(a, 'val'));
            else if (inRPr && inDefaultsRPr) styles.defaultBold = isOn(attr(a, 'val'));
            break;
          case 'w:vanish':
            if (inRPr && cur) cur.vanish = isOn(attr(a, 'val'));
            break;
        }
      },
      close(name: string) {
        if (skip) {
          skip--;
          return;
        }
        switch (name) {
          case 'w:style':
            if (cur && cur.id && !byId.has(cur.id)) byId.set(cur.id, cur);
            cur = null;
            break;
          case 'w:rPrDefault':
            inDefaultsRPr = false;
            break;
          case 'w:pPr':
            inPPr = false;
            break;
          case 'w:rPr':
            inRPr = false;
            break;
        }
      },
      text() {},
    };
  }, STYLE_ATTRIBUTES);
  return styles;
}

/** Walk a style's basedOn chain (cycle-safe) and return the first defined value. */
export function styleLookup<K extends keyof StyleInfo>(styles: Styles | null, id: string | undefined, key: K): StyleInfo[K] | undefined {
  if (!styles || id === undefined) return undefined;
  let s = styles.byId.get(id);
  for (let guard = 0; s && guard < 20; guard++) {
    if (s[key] !== undefined) return s[key];
    s = s.basedOn !== undefined ? styles.byId.get(s.basedOn) : undefined;
  }
  return undefined;
}

/** Heading level (1-based) a paragraph style implies, or undefined. */
export function styleHeadingLevel(styles: Styles | null, id: string | undefined): number | undefined {
  if (!styles || id === undefined) return undefined;
  const outline = styleLookup(styles, id, 'outlineLvl');
  if (outline !== undefined) return outline >= 0 && outline < 9 ? outline + 1 : undefined;
  const name = styleLookup(styles, id, 'name');
  if (name) {
    const m = /^(?:heading|标题)\s*([1-9])$/i.exec(name.trim());
    if (m) return Number(m[1]);
  }
  return undefined;
}

// ------------------------------------------------------------- numbering

export interface LevelDef {
  start: number;
  fmt: string;
  text: string | undefined;
  restart?: number;
  isLgl: boolean;
  suff: string;
  pStyle?: string;
}

interface AbstractNum {
  id: string;
  levels: Map<number, LevelDef>;
  numStyleLink?: string;
  styleLink?: string;
}

interface NumDef {
  id: string;
  abstractId: string;
  startOverride: Map<number, number>;
  lvlOverride: Map<number, LevelDef>;
}

export interface NumberingDefs {
  abstracts: Map<string, AbstractNum>;
  nums: Map<string, NumDef>;
}

function toInt(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

function newLevel(): LevelDef {
  return { start: 1, fmt: '', text: undefined, isLgl: false, suff: 'tab' };
}

/** Elements of numbering.xml whose attributes parseNumbering reads. */
const NUMBERING_ATTRIBUTES = new Set([
  'w:abstractNum', 'w:num', 'w:abstractNumId', 'w:lvlOverride', 'w:startOverride', 'w:numStyleLink', 'w:styleLink', 'w:lvl',
  'w:start', 'w:numFmt', 'w:lvlText', 'w:lvlRestart', 'w:isLgl', 'w:suff', 'w:pStyle',
]);

export function parseNumbering(xml: string | XmlPart): NumberingDefs {
  const abstracts = new Map<string, AbstractNum>();
  const nums = new Map<string, NumDef>();
  parseXml(xml, (attr) => {
    let abs: AbstractNum | null = null;
    let num: NumDef | null = null;
    let lvl: LevelDef | null = null;
    let lvlIdx = 0;
    let overrideIlvl: number | null = null;
    let skip = 0;
    let inPPr = false;
    return {
      open(name, a) {
        if (skip) {
          skip++;
          return;
        }
        switch (name) {
          case 'w:numPicBullet':
          case 'w:rPr':
          case 'w:pPrChange':
          case 'w:numberingChange':
            skip = 1;
            return;
          case 'w:abstractNum':
            abs = { id: attr(a, 'abstractNumId') ?? '', levels: new Map() };
            break;
          case 'w:num':
            num = { id: attr(a, 'numId') ?? '', abstractId: '', startOverride: new Map(), lvlOverride: new Map() };
            break;
          case 'w:abstractNumId':
            if (num) num.abstractId = attr(a, 'val') ?? '';
            break;
          case 'w:lvlOverride':
            overrideIlvl = toInt(attr(a, 'ilvl')) ?? 0;
            break;
          case 'w:startOverride':
            if (num && overrideIlvl !== null) num.startOverride.set(overrideIlvl, toInt(attr(a, 'val')) ?? 0);
            break;
          case 'w:numStyleLink':
            if (abs) abs.numStyleLink = attr(a, 'val');
            break;
          case 'w:styleLink':
            if (abs) abs.styleLink = attr(a, 'val');
            break;
          case 'w:lvl':
            lvl = newLevel();
            lvlIdx = toInt(attr(a, 'ilvl')) ?? 0;
            break;
          case 'w:pPr':
            inPPr = true;
            break;
        }
        if (!lvl || inPPr) return;
        switch (name) {
          case 'w:start':
            lvl.start = toInt(attr(a, 'val')) ?? 1;
            break;
          case 'w:numFmt': {
            const v = attr(a, 'val') ?? 'decimal';
            // mc:Choice may carry a w14 "custom" format; the Fallback has the classic one.
            if (!lvl.fmt || lvl.fmt === 'custom') lvl.fmt = v === 'custom' ? customFormat(attr(a, 'format')) : v;
            break;
          }
          case 'w:lvlText':
            lvl.text = attr(a, 'val') ?? '';
            break;
          case 'w:lvlRestart':
            lvl.restart = toInt(attr(a, 'val'));
            break;
          case 'w:isLgl':
            lvl.isLgl = isOn(attr(a, 'val'));
            break;
          case 'w:suff':
            lvl.suff = attr(a, 'val') ?? 'tab';
            break;
          case 'w:pStyle':
            lvl.pStyle = attr(a, 'val');
            break;
        }
      },
      close(name) {
        if (skip) {
          skip--;
          return;
        }
        switch (name) {
          case 'w:pPr':
            inPPr = false;
            break;
          case 'w:lvl':
            if (lvl) {
              if (!lvl.fmt) lvl.fmt = 'decimal';
              if (num && overrideIlvl !== null) num.lvlOverride.set(overrideIlvl, lvl);
              else if (abs && !abs.levels.has(lvlIdx)) abs.levels.set(lvlIdx, lvl);
            }
            lvl = null;
            break;
          case 'w:lvlOverride':
            overrideIlvl = null;
            break;
          case 'w:abstractNum':
            if (abs && !abstracts.has(abs.id)) abstracts.set(abs.id, abs);
            abs = null;
            break;
          case 'w:num':
            if (num && !nums.has(num.id)) nums.set(num.id, num);
            num = null;
            break;
        }
      },
      text() {},
    };
  }, NUMBERING_ATTRIBUTES);
  return { abstracts, nums };
}

/** w14 custom formats ("001, 002, 003, ...", "一, 二, 三, ...") mapped to a classic one. */
function customFormat(format: string | undefined): string {
  if (!format) return 'decimal';
  const first = format.split(',')[0].trim();
  if (/^0+1$/.test(first)) return `decimalZero${first.length}`;
  if (first === '一') return 'chineseCounting';
  if (first === '壹') return 'chineseLegalSimplified';
  if (first === '甲') return 'ideographTraditional';
  if (first === '①') return 'decimalEnclosedCircle';
  return 'decimal';
}

// ------------------------------------------------------------ formatting

const CN_DIGITS = '〇一二三四五六七八九';
const CN_LEGAL = '零壹贰叁肆伍陆柒捌玖';
const CN_LEGAL_TRAD = '零壹貳參肆伍陸柒捌玖';

function chineseNumber(n: number, digits: string, units: [string, string, string], tenShort: boolean): string {
  if (n <= 0) return String(n);
  if (n >= 10000) return String(n);
  const zero = digits[0] === '〇' ? '零' : digits[0];
  const parts: string[] = [];
  const th = Math.floor(n / 1000);
  const hu = Math.floor(n / 100) % 10;
  const te = Math.floor(n / 10) % 10;
  const on = n % 10;
  let pendingZero = false;
  const push = (d: number, unit: string) => {
    if (d === 0) {
      if (parts.length) pendingZero = true;
      return;
    }
    if (pendingZero) parts.push(zero);
    pendingZero = false;
    parts.push(digits[d] + unit);
  };
  push(th, units[2]);
  push(hu, units[1]);
  if (te === 1 && n < 20 && tenShort) {
    parts.push(units[0]);
  } else {
    push(te, units[0]);
  }
  push(on, '');
  return parts.join('');
}

function letters(n: number, base: string): string {
  if (n <= 0) return String(n);
  const ch = base[(n - 1) % 26];
  return ch.repeat(Math.floor((n - 1) / 26) + 1);
}

function roman(n: number): string {
  if (n <= 0 || n >= 4000) return String(n);
  const table: [number, string][] = [
    [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of table) while (n >= v) { out += s; n -= v; }
  return out;
}

function fromRange(n: number, first: number, count: number): string {
  return n >= 1 && n <= count ? String.fromCodePoint(first + n - 1) : String(n);
}

/** Format one counter value the way Word renders `numFmt`. */
export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'decimal':
    case 'decimalHalfWidth':
      return String(n);
    case 'decimalZero':
      return n >= 0 && n < 10 ? `0${n}` : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'upperLetter':
      return letters(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    case 'lowerLetter':
      return letters(n, 'abcdefghijklmnopqrstuvwxyz');
    case 'upperRoman':
      return roman(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    case 'chineseCounting':
    case 'japaneseCounting':
      return n < 100 ? chineseNumber(n, CN_DIGITS, ['十', '百', '千'], true) : String(n).replace(/[0-9]/g, (d) => CN_DIGITS[Number(d)]);
    case 'chineseCountingThousand':
    case 'taiwaneseCountingThousand':
    case 'japaneseDigitalTenThousand':
      return chineseNumber(n, CN_DIGITS, ['十', '百', '千'], true);
    case 'taiwaneseCounting':
      return chineseNumber(n, CN_DIGITS, ['十', '百', '千'], true);
    case 'ideographDigital':
    case 'taiwaneseDigital':
      return String(n).replace(/[0-9]/g, (d) => CN_DIGITS[Number(d)]);
    case 'chineseLegalSimplified':
      return chineseNumber(n, CN_LEGAL, ['拾', '佰', '仟'], false);
    case 'ideographLegalTraditional':
      return chineseNumber(n, CN_LEGAL_TRAD, ['拾', '佰', '仟'], false);
    case 'ideographTraditional':
      return n >= 1 && n <= 10 ? '甲乙丙丁戊己庚辛壬癸'[n - 1] : String(n);
    case 'ideographZodiac':
      return n >= 1 && n <= 12 ? '子丑寅卯辰巳午未申酉戌亥'[n - 1] : String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
    case 'ideographEnclosedCircle':
      if (n >= 1 && n <= 20) return String.fromCodePoint(0x2460 + n - 1);
      if (n >= 21 && n <= 35) return String.fromCodePoint(0x3251 + n - 21);
      if (n >= 36 && n <= 50) return String.fromCodePoint(0x32b1 + n - 36);
      return String(n);
    case 'decimalEnclosedParen':
      return fromRange(n, 0x2474, 20);
    case 'decimalEnclosedFullstop':
      return fromRange(n, 0x2488, 20);
    case 'ordinal':
      return `${n}${ordinalSuffix(n)}`;
    case 'none':
      return '';
    default: {
      const m = /^decimalZero(\d+)$/.exec(fmt);
      if (m) return String(n).padStart(Number(m[1]), '0');
      return String(n);
    }
  }
}

function ordinalSuffix(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

// -------------------------------------------------------------- counters

/**
 * Generates list labels in document order. Word continues counting across
 * `w:num` instances that share an abstract definition unless the instance
 * overrides the start, so counters are kept per abstractNum in that case.
 */
export class ListCounter {
  private readonly counters = new Map<string, (number | undefined)[]>();

  constructor(
    private readonly defs: NumberingDefs,
    private readonly styles: Styles | null,
  ) {}

  private resolveAbstract(num: NumDef): AbstractNum | undefined {
    let abs = this.defs.abstracts.get(num.abstractId);
    // numStyleLink → numbering style → its numId → the abstract that really holds the levels
    for (let guard = 0; abs && abs.numStyleLink && abs.levels.size === 0 && guard < 5; guard++) {
      const linkedNumId = styleLookup(this.styles, abs.numStyleLink, 'numId');
      const linked = linkedNumId !== undefined ? this.defs.nums.get(linkedNumId) : undefined;
      const next = linked ? this.defs.abstracts.get(linked.abstractId) : undefined;
      if (!next || next === abs) break;
      abs = next;
    }
    return abs;
  }

  /** The level a style-linked paragraph uses when its style gives a numId but no ilvl. */
  levelForStyle(numId: string, styleId: string | undefined): number {
    const num = this.defs.nums.get(numId);
    const abs = num && this.resolveAbstract(num);
    if (abs && styleId !== undefined) {
      for (const [i, l] of abs.levels) if (l.pStyle === styleId) return i;
    }
    return 0;
  }

  /** Advance the counter for (numId, ilvl) and return the label text ('' when none). */
  next(numId: string, ilvl: number, followingText: string): string {
    const num = this.defs.nums.get(numId);
    if (!num) return '';
    const abs = this.resolveAbstract(num);
    if (!abs) return '';
    const level = (i: number): LevelDef | undefined => num.lvlOverride.get(i) ?? abs.levels.get(i);
    const lv = level(ilvl);
    if (!lv) return '';
    const hasOverride = num.startOverride.size > 0 || num.lvlOverride.size > 0;
    const key = hasOverride ? `n:${num.id}` : `a:${abs.id}`;
    let c = this.counters.get(key);
    if (!c) {
      c = new Array<number | undefined>(9).fill(undefined);
      this.counters.set(key, c);
    }
    const startOf = (i: number): number => num.startOverride.get(i) ?? level(i)?.start ?? 1;
    c[ilvl] = c[ilvl] === undefined ? startOf(ilvl) : (c[ilvl] as number) + 1;
    for (let d = ilvl + 1; d < 9; d++) {
      const r = level(d)?.restart;
      if (r === 0) continue;
      if (r === undefined || ilvl < r) c[d] = undefined;
    }
    // Bullets carry no number and only add a glyph (often a symbol-font private-use char) to the text.
    if (lv.fmt === 'bullet') return '';
    const template = lv.text ?? `%${ilvl + 1}.`;
    const label = template.replace(/%([1-9])/g, (_m, d: string) => {
      const i = Number(d) - 1;
      const v = c![i] ?? startOf(i);
      const l = level(i);
      const fmt = lv.isLgl && i < ilvl ? 'decimal' : (l?.fmt ?? 'decimal');
      return formatNumber(v, fmt);
    });
    return withSuffix(label, lv.suff, followingText);
  }
}

/**
 * Word puts a tab (or space) after the label. Typed Chinese numbering has no
 * gap ("一、大力…"), so join directly unless both sides are Latin-ish.
 */
function withSuffix(label: string, suff: string, following: string): string {
  if (!label || suff === 'nothing') return label;
  const last = label[label.length - 1];
  const first = following.trimStart()[0];
  if (!first) return label;
  const latin = (ch: string) => /[\x21-\x7e]/.test(ch);
  return latin(last) && latin(first) ? `${label} ` : label;
}
