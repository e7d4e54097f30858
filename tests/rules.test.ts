import { describe, expect, it } from 'vitest';
import { parseUnits } from '../src/lexicon/units.js';
import { parseEnumerator } from '../src/lexicon/enumerators.js';
import { normalizeText } from '../src/lexicon/text.js';
import { headerRole, isTimePhrase, isUnitPhrase } from '../src/lexicon/kinds.js';
import { textToDocument } from '../src/readers/txt.js';
import { buildPlan } from '../src/structure/index.js';

const plan = (text: string) => buildPlan(textToDocument(text, 'utf-8'));
/** A two-page PDF's blocks (table pieces as the PDF reader makes them) → plan. */
const pdfPlan = (blocks: Parameters<typeof buildPlan>[0]['blocks']) => buildPlan({ format: 'pdf', pages: 2, encoding: null, warnings: [], blocks });

describe('units phrases → roles (SPEC §2)', () => {
  const cases: [string, string[], string[], string[]][] = [
    ['区编办牵头，各镇（街、区），区政府各部门、各直属机构负责', ['区编办'], ['各镇（街、区）', '区政府各部门', '各直属机构'], []],
    ['人社所负责，经济办配合', [], ['人社所'], ['经济办']],
    ['综合办公室牵头,会同各部门落实。', ['综合办公室'], [], ['各部门']],
    ['综合办公室会同各部门落实。', [], ['综合办公室'], ['各部门']],
    ['综合办公室牵头落实。', ['综合办公室'], [], []],
    ['区经发局、区投促局、按职责分工负责', [], ['区经发局', '区投促局'], []],
    ['区发展改革局（区物价局）、区科技局（区知识产权局）分别负责', [], ['区发展改革局（区物价局）', '区科技局（区知识产权局）'], []],
    ['区自规分局,各镇(街道、管理处)按职能分工负责', [], ['区自规分局', '各镇(街道、管理处)'], []],
    ['区金融局、区环保局等有关部门牵头，各镇负责', ['区金融局', '区环保局等有关部门'], ['各镇'], []],
    ['区审计局、、区卫生计生局', [], ['区审计局', '区卫生计生局'], []],
    ['办公室牵头，各科室协办', ['办公室'], [], ['各科室']],
    ['区经发局', [], ['区经发局'], []],
    ['（经济发展办负责）', [], ['经济发展办'], []],
    ['區財政局牽頭，各鎮負責', ['區財政局'], ['各鎮'], []],
    ['市委宣传部牵头，市网信办参与', ['市委宣传部'], [], ['市网信办']],
    ['区社会发展局(应急管理局)', [], ['区社会发展局(应急管理局)'], []],
  ];
  for (const [raw, lead, responsible, cooperating] of cases) {
    it(raw, () => expect(parseUnits(raw)).toEqual({ lead, responsible, cooperating }));
  }
});

describe('enumerators', () => {
  it.each([
    ['一、大力推进', 'cn-dun', 1],
    ['(三) 推进应急', 'cn-paren', 3],
    ['（十二）加强', 'cn-paren', 12],
    ['1. 结合权责', 'arabic', 1],
    ['24、政务公开', 'arabic', 24],
    ['(2)加强', 'arabic-paren', 2],
    ['三是2023年底前', 'cn-shi', 3],
    ['②做好', 'circled', 2],
  ])('%s', (text, style, number) => {
    expect(parseEnumerator(text)).toMatchObject({ style, number });
  });
  it.each(['2024年是新中国成立75周年', '十分重要', '1.5倍', '一是非'])('not an item marker: %s', (text) => {
    const e = parseEnumerator(text);
    if (text === '一是非') expect(e?.style).toBe('cn-shi');
    else expect(e).toBeNull();
  });
});

describe('text normalisation', () => {
  it.each([
    ['2018 年政务公开', '2018年政务公开'],
    ['(五) 积极回应', '(五)积极回应'],
    ['信息, 稳步扩大', '信息,稳步扩大'],
    ['发展 and 保持', '发展 and 保持'],
    ['区编办牵头，各镇（街、区），\n区政府各部门', '区编办牵头，各镇（街、区），区政府各部门'],
    ['IPv6  support', 'IPv6 support'],
  ])('%s', (input, want) => expect(normalizeText(input)).toBe(want));
});

describe('cell kinds', () => {
  it('header labels and synonyms', () => {
    expect(headerRole('序号')).toBe('seq');
    expect(headerRole('目标任务')).toBe('task');
    expect(headerRole('具体任务及要求')).toBe('task');
    expect(headerRole('牵头及责任单位')).toBe('units');
    expect(headerRole('责任科室')).toBe('units');
    expect(headerRole('工作时限')).toBe('deadline');
    expect(headerRole('配合单位')).toBe('cooperating');
    expect(headerRole('序號')).toBe('seq');
    expect(headerRole('責任單位')).toBe('units');
    expect(headerRole('完成時限')).toBe('deadline');
    expect(headerRole('把公开透明作为政府工作的基本要求')).toBeNull();
  });
  it('unit and time phrases', () => {
    expect(isUnitPhrase('区财政局牵头，各镇（街、区），')).toBe(true);
    expect(isUnitPhrase('对一些专业性较强的政策，牵头起草部门要注重运用客观数据、生动实例等，进行形象化解读。')).toBe(false);
    expect(isTimePhrase('6月底前,持续推进')).toBe(true);
    expect(isTimePhrase('根据上级时限要求,')).toBe(true);
    expect(isTimePhrase('区经发局')).toBe(false);
  });
});

describe('tables flattened into text', () => {
  it('fills blank group and unit cells down, within the group, and says so in provenance', () => {
    const doc = plan(['序号\t工作任务\t具体要求\t责任单位', '1\t一、公开\t做好甲。\t办公室负责', '2\t\t做好乙。\t', '3\t二、解读\t做好丙。\t宣传部负责', '4\t\t做好丁。\t'].join('\n'));
    expect(doc.tasks.map((t) => [t.seq, t.path, t.units.raw])).toEqual([
      [1, ['一、公开'], '办公室负责'],
      [2, ['一、公开'], '办公室负责'],
      [3, ['二、解读'], '宣传部负责'],
      [4, ['二、解读'], '宣传部负责'],
    ]);
    expect(doc.tasks[1].provenance.inherited).toEqual(['path', 'units']);
    expect(doc.tasks[0].provenance.inherited).toEqual([]);
  });

  it('joins a row cut by a page break back to its row', () => {
    const doc = plan(['工作要求\t工作任务\t具体要求\t责任科室', '一、基础\t(一)推进\t1. 结合权责清单以及\t办公室', '', '\t\t工作职责，持续推动。\t', '\t\t2. 规范使用系统。\t各科室'].join('\n'));
    expect(doc.tasks.map((t) => [t.seq, t.content])).toEqual([
      [1, '结合权责清单以及工作职责，持续推动。'],
      [2, '规范使用系统。'],
    ]);
  });

  it('reads the rest of a cut row at the top of the next page by position, even when it looks like a unit name', () => {
    // A borderless PDF table: blanks printed, no 序号 column, the row's last words "开平台。" alone on the new page.
    const cell = (row: number, col: number, text: string, page: number) => ({ row, col, rowSpan: 1, colSpan: 1, text, page });
    const head = (page: number) => ['工作要求', '工作任务', '具体要求', '责任科室'].map((t, i) => cell(0, i, t, page));
    const doc = pdfPlan([
      { kind: 'table', rows: 3, cols: 4, page: 1, origin: 'flattened', cells: [...head(1), cell(1, 0, '一、基础', 1), cell(1, 1, '(一)推进', 1), cell(1, 2, '1.完善制度。', 1), cell(1, 3, '办公室', 1), cell(2, 0, '', 1), cell(2, 1, '', 1), cell(2, 2, '2.建设政务公', 1), cell(2, 3, '各科室', 1)] },
      {
        kind: 'table', rows: 4, cols: 4, page: 2, origin: 'flattened', pageBreakBefore: [0],
        cells: [...head(2), cell(1, 0, '', 2), cell(1, 1, '', 2), cell(1, 2, '开平台。', 2), cell(1, 3, '', 2), { ...cell(2, 0, '二、解读', 2), colSpan: 4 }, cell(3, 0, '', 2), cell(3, 1, '', 2), cell(3, 2, '3.加强解读。', 2), cell(3, 3, '办公室', 2)],
      },
    ]);
    expect(doc.tasks.map((t) => [t.seq, t.content, t.units.raw])).toEqual([
      [1, '完善制度。', '办公室'],
      [2, '建设政务公开平台。', '各科室'],
      [3, '加强解读。', '办公室'],
    ]);
  });

  it('reads a group cell repeated after a page break as the same group', () => {
    const doc = plan(['工作要求\t工作任务\t具体要求\t责任科室', '三、解读\t(一)围绕\t1. 甲。\t办公室', '\t\t2. 乙。\t办公室', '三、解读\t(一) 围绕\t3. 丙。\t办公室', '\t(二)优化\t4. 丁。\t办公室'].join('\n'));
    expect(doc.tasks.map((t) => t.path)).toEqual([
      ['三、解读', '(一)围绕'],
      ['三、解读', '(一)围绕'],
      ['三、解读', '(一)围绕'],
      ['三、解读', '(二)优化'],
    ]);
  });

  it('reads pipe-separated tables and traditional role words', () => {
    const doc = plan(['| 序號 | 工作任務 | 責任單位 | 完成時限 |', '|---|---|---|---|', '| 1 | 推進政務公開。 | 區政府辦牽頭，各部門負責 | 2024年12月底前 |'].join('\n'));
    expect(doc.tasks).toHaveLength(1);
    expect(doc.tasks[0].seq).toBe(1);
    expect(doc.tasks[0].units.lead).toEqual(['區政府辦']);
    expect(doc.tasks[0].units.responsible).toEqual(['各部門']);
    expect(doc.tasks[0].deadline).toBe('2024年12月底前');
  });

  it('keeps a lost row: seq inferred from the gap, empty content, a warning', () => {
    const doc = plan(['序号\t工作任务\t责任单位', '1\t做好甲。\t办公室负责', '\t\t财政局负责', '3\t做好丙。\t办公室负责'].join('\n'));
    expect(doc.tasks.map((t) => [t.seq, t.content, t.units.raw])).toEqual([
      [1, '做好甲。', '办公室负责'],
      [2, '', '财政局负责'],
      [3, '做好丙。', '办公室负责'],
    ]);
    expect(doc.warnings.map((w) => w.code)).toContain('CONTENT_MISSING');
  });

  it('warns about gaps in 序号', () => {
    const doc = plan(['序号\t工作任务\t责任单位', '1\t做好甲。\t办公室负责', '4\t做好丁。\t办公室负责'].join('\n'));
    expect(doc.warnings.find((w) => w.code === 'SEQ_GAP')?.message).toMatch(/2–3 missing between 1 and 4/);
  });
});

describe('narrative plans', () => {
  it('one task per item with its unit phrase; one task per phrase when an item carries several', () => {
    const doc = plan(
      [
        '一、推进公开',
        '(一)推进就业信息公开。加强招聘信息公开。（人社所负责，经济办配合）',
        '(二)围绕重点领域做好信息公开。制定方案。（市规划国土委负责落实）推进公开。（市发展改革委、市财政局分别负责落实）',
      ].join('\n'),
    );
    expect(doc.tasks.map((t) => [t.seq, t.path, t.content, t.units.responsible])).toEqual([
      [1, ['一、推进公开'], '推进就业信息公开。加强招聘信息公开。', ['人社所']],
      [null, ['一、推进公开', '(二)围绕重点领域做好信息公开。'], '制定方案。', ['市规划国土委']],
      [null, ['一、推进公开', '(二)围绕重点领域做好信息公开。'], '推进公开。', ['市发展改革委', '市财政局']],
    ]);
  });
});

describe('tables split across pages', () => {
  const cell = (row: number, col: number, text: string, rowSpan = 1) => ({ row, col, rowSpan, colSpan: 1, text });
  const header = [cell(0, 0, '序号'), cell(0, 1, '工作任务'), cell(0, 2, '具体要求'), cell(0, 3, '责任单位')];
  const piece = (page: number, cells: ReturnType<typeof cell>[], rows: number) =>
    ({ kind: 'table' as const, rows, cols: 4, cells: [...header, ...cells], page, origin: 'grid' as const });

  it('drops the repeated header, keeps one merged group cell over the seam, and gives a cut units list its tail', () => {
    const doc = pdfPlan([
      piece(1, [cell(1, 0, '1'), cell(1, 1, '一、公开', 2), cell(1, 2, '做好甲。'), cell(1, 3, '办公室负责'), cell(2, 0, '2'), cell(2, 2, '做好乙。'), cell(2, 3, '区编办、区财政局、\n区环保局、区住房')], 3),
      { kind: 'paragraph', text: '- 1 -' },
      piece(2, [cell(1, 0, '3'), cell(1, 1, ''), cell(1, 2, '做好丙。'), cell(1, 3, '城乡建设局分别负责\n宣传部负责')], 2),
    ]);
    expect(doc.tasks.map((t) => [t.seq, t.path, t.units.raw])).toEqual([
      [1, ['一、公开'], '办公室负责'],
      [2, ['一、公开'], '区编办、区财政局、区环保局、区住房城乡建设局分别负责'],
      [3, ['一、公开'], '宣传部负责'],
    ]);
  });

  const closedUnits = [cell(1, 0, '1'), cell(1, 1, '一、公开'), cell(1, 2, '做好甲。'), cell(1, 3, '办公室负责'), cell(2, 0, '2'), cell(2, 2, '做好乙。'), cell(2, 3, '财政局负责'), cell(3, 0, '3'), cell(3, 2, '做好丙。'), cell(3, 3, '宣传部牵头')];

  it('a merged units cell cut by the page break is one text for every row it spans (next page starts a new row)', () => {
    const doc = pdfPlan([
      piece(1, [...closedUnits, cell(4, 0, '4'), cell(4, 2, '做好丁。'), cell(4, 3, '区政务办牵头，各直属机', 2), cell(5, 0, '5'), cell(5, 2, '做好戊。')], 6),
      piece(2, [cell(1, 0, '6'), cell(1, 1, ''), cell(1, 2, '做好己。'), cell(1, 3, '构负责')], 2),
    ]);
    const full = '区政务办牵头，各直属机构负责';
    expect(doc.tasks.slice(3).map((t) => [t.seq, t.units.raw])).toEqual([[4, full], [5, full], [6, full]]);
  });

  it('… and when the next page starts with the rest of a cut row and the merged cell runs on into new rows', () => {
    const doc = pdfPlan([
      piece(1, [...closedUnits, cell(4, 0, '4'), cell(4, 2, '做好丁，并'), cell(4, 3, '区政务办牵头，各直属机')], 5),
      piece(2, [cell(1, 0, ''), cell(1, 1, ''), cell(1, 2, '按期完成。'), cell(1, 3, '构负责', 2), cell(2, 0, '5'), cell(2, 2, '做好戊。')], 3),
    ]);
    const full = '区政务办牵头，各直属机构负责';
    expect(doc.tasks.slice(3).map((t) => [t.seq, t.content, t.units.raw])).toEqual([[4, '做好丁，并按期完成。', full], [5, '做好戊。', full]]);
  });

  // As the PDF reader builds them: every cell knows its page.
  const paged = (page: number, cells: ReturnType<typeof cell>[], rows: number) => {
    const t = piece(page, cells, rows);
    return { ...t, cells: t.cells.map((c) => ({ ...c, page })) };
  };

  it('where every task is numbered, an unnumbered first row of a page is the cut row even when the cut fell after 。 or 》', () => {
    const doc = pdfPlan([
      paged(1, [...closedUnits, cell(4, 0, '4'), cell(4, 2, '做好丁。'), cell(4, 3, '区政务办负责'), cell(5, 0, '5'), cell(5, 2, '落实《政府网站发展指引》')], 6),
      paged(2, [cell(1, 0, ''), cell(1, 1, ''), cell(1, 2, '（国办发〔2017〕47号）要求。'), cell(1, 3, ''), cell(2, 0, '6'), cell(2, 2, '做好己。'), cell(2, 3, '宣传部负责')], 3),
    ]);
    expect(doc.tasks.slice(4).map((t) => [t.seq, t.content])).toEqual([
      [5, '落实《政府网站发展指引》（国办发〔2017〕47号）要求。'],
      [6, '做好己。'],
    ]);
  });

  it('… but an unnumbered first row that opens a group of its own is a row of its own', () => {
    const doc = pdfPlan([
      paged(1, [...closedUnits], 4),
      paged(2, [cell(1, 0, ''), cell(1, 1, '二、解读'), cell(1, 2, '做好丁。'), cell(1, 3, '宣传部负责')], 2),
    ]);
    expect(doc.tasks.map((t) => t.content)).toEqual(['做好甲。', '做好乙。', '做好丙。', '做好丁。']);
  });

  it('… and joins a first row whose group cells are the rest of the groups the cut row opened', () => {
    const doc = pdfPlan([
      paged(1, [...closedUnits, cell(4, 0, '4'), cell(4, 1, '二、推进政'), cell(4, 2, '做好丁。'), cell(4, 3, '区政务办负')], 5),
      paged(2, [cell(1, 0, ''), cell(1, 1, '务公开'), cell(1, 2, '（国办发〔2017〕47号）'), cell(1, 3, '责'), cell(2, 0, '5'), cell(2, 1, ''), cell(2, 2, '做好戊。'), cell(2, 3, '宣传部负责')], 3),
    ]);
    expect(doc.tasks.slice(3).map((t) => [t.seq, t.path, t.content, t.units.raw])).toEqual([
      [4, ['二、推进政务公开'], '做好丁。（国办发〔2017〕47号）', '区政务办负责'],
      [5, ['二、推进政务公开'], '做好戊。', '宣传部负责'],
    ]);
  });

  it('without a 序号 column, an unnumbered first row of a page under a numbered row is the cut row', () => {
    const head = [cell(0, 0, '工作任务'), cell(0, 1, '具体要求'), cell(0, 2, '责任单位')];
    const page = (n: number, cells: ReturnType<typeof cell>[], rows: number) =>
      ({ kind: 'table' as const, rows, cols: 3, cells: [...head, ...cells].map((c) => ({ ...c, page: n })), page: n, origin: 'grid' as const });
    const doc = pdfPlan([
      page(1, [cell(1, 0, '一、公开'), cell(1, 1, '1.做好甲。'), cell(1, 2, '办公室'), cell(2, 0, ''), cell(2, 1, '2.做好乙。'), cell(2, 2, '各科室')], 3),
      page(2, [cell(1, 0, ''), cell(1, 1, '公开征求意见的，应当公布草案。'), cell(1, 2, ''), cell(2, 0, ''), cell(2, 1, '3.做好丙。'), cell(2, 2, '办公室')], 3),
    ]);
    expect(doc.tasks.map((t) => [t.seq, t.content])).toEqual([
      [1, '做好甲。'],
      [2, '做好乙。公开征求意见的，应当公布草案。'],
      [3, '做好丙。'],
    ]);
  });

  it('joins the end of a deadline phrase carried over the page break to its row, under a units cell merged over the seam', () => {
    const h = [cell(0, 0, '序号'), cell(0, 1, '工作任务'), cell(0, 2, '具体要求'), cell(0, 3, '责任单位'), cell(0, 4, '完成时限')];
    const five = (page: number, cells: ReturnType<typeof cell>[], rows: number) => ({ kind: 'table' as const, rows, cols: 5, cells: [...h, ...cells], page, origin: 'grid' as const });
    const doc = pdfPlan([
      five(1, [cell(1, 0, '1'), cell(1, 1, '一、公开', 2), cell(1, 2, '做好甲。'), cell(1, 3, '办公室负责'), cell(1, 4, '持续推进'), cell(2, 0, '2'), cell(2, 2, '做好乙。'), cell(2, 3, '各部门负责'), cell(2, 4, '根据项目进度，及时')], 3),
      five(2, [cell(1, 0, ''), cell(1, 1, ''), cell(1, 2, ''), cell(1, 3, ''), cell(1, 4, '更新'), cell(2, 0, '3'), cell(2, 1, '二、解读'), cell(2, 2, '做好丙。'), cell(2, 3, '宣传部负责'), cell(2, 4, '年底前')], 3),
    ]);
    expect(doc.tasks.map((t) => [t.seq, t.units.raw, t.deadline])).toEqual([
      [1, '办公室负责', '持续推进'],
      [2, '各部门负责', '根据项目进度，及时更新'],
      [3, '宣传部负责', '年底前'],
    ]);
  });

  it('a piece without a header on the next page runs the table on past text the reader could not place, with a warning', () => {
    const bare = (page: number, cells: ReturnType<typeof cell>[], rows: number) => ({ kind: 'table' as const, rows, cols: 4, cells, page, origin: 'flattened' as const });
    const doc = pdfPlan([
      piece(1, [cell(1, 0, '1'), cell(1, 1, '一、公开'), cell(1, 2, '做好甲。'), cell(1, 3, '办公室负责'), cell(2, 0, '2'), cell(2, 1, ''), cell(2, 2, '做好乙，提高'), cell(2, 3, '财政局负责')], 3),
      { kind: 'paragraph', text: '解读针对性。', page: 2 },
      bare(2, [cell(0, 0, '3'), cell(0, 1, ''), cell(0, 2, '做好丙。'), cell(0, 3, '宣传部负责'), cell(1, 0, '4'), cell(1, 1, '二、解读'), cell(1, 2, '做好丁。'), cell(1, 3, '办公室负责')], 2),
    ]);
    expect(doc.tasks.map((t) => [t.seq, t.path, t.units.raw])).toEqual([
      [1, ['一、公开'], '办公室负责'],
      [2, ['一、公开'], '财政局负责'],
      [3, ['一、公开'], '宣传部负责'],
      [4, ['二、解读'], '办公室负责'],
    ]);
    expect(doc.warnings.find((w) => w.code === 'TEXT_NOT_PLACED')?.message).toMatch(/page 2 .*解读针对性。/);
  });

  it('… but not past text on the page the table ended on (a new section between two tables)', () => {
    const bare = (page: number, cells: ReturnType<typeof cell>[], rows: number) => ({ kind: 'table' as const, rows, cols: 4, cells, page, origin: 'flattened' as const });
    const doc = pdfPlan([
      piece(1, [cell(1, 0, '1'), cell(1, 1, '一、公开'), cell(1, 2, '做好甲。'), cell(1, 3, '办公室负责')], 2),
      { kind: 'paragraph', text: '二、其他事项', page: 1 },
      bare(2, [cell(0, 0, '3'), cell(0, 1, ''), cell(0, 2, '做好丙。'), cell(0, 3, '宣传部负责')], 1),
    ]);
    expect(doc.tasks.map((t) => t.seq)).toEqual([1]);
  });

  it('a units list that ends without a role word is not joined to the next row where the table never closes its lists with one', () => {
    const plain = [cell(1, 0, '1'), cell(1, 1, '一、公开'), cell(1, 2, '做好甲。'), cell(1, 3, '办公室'), cell(2, 0, '2'), cell(2, 2, '做好乙。'), cell(2, 3, '财政局'), cell(3, 0, '3'), cell(3, 2, '做好丙。'), cell(3, 3, '宣传部')];
    const doc = pdfPlan([
      piece(1, [...plain, cell(4, 0, '4'), cell(4, 2, '做好丁。'), cell(4, 3, '区政务办', 2), cell(5, 0, '5'), cell(5, 2, '做好戊。')], 6),
      piece(2, [cell(1, 0, '6'), cell(1, 1, ''), cell(1, 2, '做好己。'), cell(1, 3, '区统计局负责')], 2),
    ]);
    expect(doc.tasks.slice(3).map((t) => [t.seq, t.units.raw])).toEqual([[4, '区政务办'], [5, '区政务办'], [6, '区统计局负责']]);
  });
});
