import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeText, normaliseCharset } from '../src/readers/encoding.js';

const corpus = join(__dirname, '..', 'fixtures', 'corpus');
const gbFiles = readdirSync(corpus).flatMap((d) =>
  readdirSync(join(corpus, d))
    .filter((f) => f.endsWith('.gb18030.txt'))
    .map((f) => join(corpus, d, f)),
);

const SAMPLE = '新会区2018年政务公开工作要点分工方案\n序号\t工作任务\t牵头单位\n1\t推进决策公开\t区委区府办公室牵头，各镇（街、区）负责\n';

function utf16(text: string, le: boolean, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  if (!le) body.swap16();
  return bom ? Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), body]) : body;
}

describe('decodeText', () => {
  it('has GB18030 corpus files to test', () => {
    expect(gbFiles.length).toBeGreaterThan(0);
  });

  for (const file of gbFiles) {
    it(`detects GB18030 in ${file.split('/').pop()}`, () => {
      const bytes = readFileSync(file);
      const { text, encoding } = decodeText(bytes);
      expect(encoding).toBe('gb18030');
      expect(text).not.toContain('\uFFFD');
      expect(text).toMatch(/政务公开/);
      // Same text as the UTF-8 sibling (the tsv text), when there is one.
      const tsv = file.replace('.gb18030.txt', '.tsv.txt');
      try {
        expect(text).toBe(readFileSync(tsv, 'utf8').replace(/^\uFEFF/, ''));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    });
  }

  it('UTF-8 without BOM', () => {
    expect(decodeText(Buffer.from(SAMPLE, 'utf8'))).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('UTF-8 with BOM: BOM stripped', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]);
    expect(decodeText(bytes)).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('UTF-16 LE and BE with BOM', () => {
    expect(decodeText(utf16(SAMPLE, true, true))).toEqual({ text: SAMPLE, encoding: 'utf-16le' });
    expect(decodeText(utf16(SAMPLE, false, true))).toEqual({ text: SAMPLE, encoding: 'utf-16be' });
  });

  it('BOM wins over a declared charset', () => {
    expect(decodeText(utf16(SAMPLE, true, true), { declared: 'gb2312' }).encoding).toBe('utf-16le');
  });

  it('UTF-16 LE without BOM is sniffed from its NUL pattern', () => {
    expect(decodeText(utf16(SAMPLE, true, false))).toEqual({ text: SAMPLE, encoding: 'utf-16le' });
    expect(decodeText(utf16(SAMPLE, false, false))).toEqual({ text: SAMPLE, encoding: 'utf-16be' });
  });

  it('Big5 (traditional) is detected', () => {
    const bytes = readFileSync(join(__dirname, '..', 'fixtures', 'encoding', 'plan.big5.txt'));
    const { text, encoding } = decodeText(bytes);
    expect(encoding).toBe('big5');
    expect(text).toContain('政務公開工作要點');
    expect(text).toContain('牽頭單位');
  });

  it('Big5 is still detected when the first kilobytes are ASCII markup (statistics start at the first CJK byte)', () => {
    const big5 = readFileSync(join(__dirname, '..', 'fixtures', 'encoding', 'plan.big5.txt'));
    const head = Buffer.from(`<html><head><style>${'td { padding: 2px; }\n'.repeat(400)}</style></head><body><pre>`, 'latin1');
    const bytes = Buffer.concat([head, big5, Buffer.from('</pre></body></html>', 'latin1')]);
    expect(head.length).toBeGreaterThan(8192);
    const { text, encoding } = decodeText(bytes);
    expect(encoding).toBe('big5');
    expect(text).toContain('牽頭單位');
  });

  it('Korean EUC-KR, which is also valid GB18030, is not taken for Chinese', () => {
    const bytes = readFileSync(join(__dirname, '..', 'fixtures', 'encoding', 'notice.euckr.txt'));
    expect(new TextDecoder('gb18030', { fatal: true }).decode(bytes)).not.toContain('정보');
    const { text, encoding } = decodeText(bytes);
    expect(encoding).toBe('euc-kr');
    expect(text).toContain('정보공개');
  });

  it('declared gb2312 is decoded as gb18030 (GB18030-only characters survive)', () => {
    // 𠀀 (U+20000) is a 4-byte GB18030 sequence and € is A2E3: neither exists in GB2312.
    const text = '𠀀€政务公开工作要点';
    const bytes = new Uint8Array([149, 50, 130, 54, 162, 227, 213, 254, 206, 241, 185, 171, 191, 170, 185, 164, 215, 247, 210, 170, 181, 227]);
    expect(decodeText(bytes, { declared: 'gb2312' })).toEqual({ text, encoding: 'gb18030' });
  });

  it('a page labelled gb2312 that is valid UTF-8 is UTF-8', () => {
    expect(decodeText(Buffer.from(SAMPLE, 'utf8'), { declared: 'gb2312' })).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('a page labelled utf-8 that is really GBK is GB18030', () => {
    const bytes = readFileSync(gbFiles[0]);
    expect(decodeText(bytes, { declared: 'utf-8' }).encoding).toBe('gb18030');
    expect(decodeText(bytes, { declared: 'iso-8859-1' }).encoding).toBe('gb18030');
  });

  it('GB bytes with one stray invalid byte still decode as gb18030', () => {
    const good = readFileSync(gbFiles[0]);
    const bytes = Buffer.concat([good.subarray(0, 200), Buffer.from([0xff]), good.subarray(200)]);
    const { text, encoding } = decodeText(bytes);
    expect(encoding).toBe('gb18030');
    expect(text).toMatch(/政务公开/);
  });

  it('short GBK text without a label', () => {
    const bytes = new Uint8Array([0xd5, 0xfe, 0xce, 0xf1, 0xb9, 0xab, 0xbf, 0xaa]); // 政务公开
    expect(decodeText(bytes)).toEqual({ text: '政务公开', encoding: 'gb18030' });
  });

  it('normaliseCharset maps the GB family to gb18030', () => {
    for (const l of ['gb2312', 'GBK', ' gb18030 ', 'x-gbk', 'cp936']) expect(normaliseCharset(l)).toBe('gb18030');
    expect(normaliseCharset('UTF8')).toBe('utf-8');
    expect(normaliseCharset('big5')).toBe('big5');
    expect(normaliseCharset('nonsense-charset')).toBeNull();
    expect(normaliseCharset(null)).toBeNull();
  });

  it('empty input', () => {
    expect(decodeText(new Uint8Array(0))).toEqual({ text: '', encoding: 'utf-8' });
  });
});
