/**
 * Builds minimal docx files in memory for reader tests: [Content_Types].xml,
 * _rels/.rels, word/document.xml and optionally numbering/styles parts.
 */
import { zipSync, strToU8 } from 'fflate';

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const NS =
  `xmlns:w="${W_NS}" ` +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' +
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' +
  'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"';

export interface DocxParts {
  /** Inner XML of w:body. */
  body: string;
  /** Inner XML of w:numbering. */
  numbering?: string;
  /** Inner XML of w:styles. */
  styles?: string;
  /** Extra raw entries (name → content). */
  extra?: Record<string, string | Uint8Array>;
}

export function documentXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NS}><w:body>${body}</w:body></w:document>`;
}

export function makeDocx(parts: DocxParts): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ),
    'word/document.xml': strToU8(documentXml(parts.body)),
  };
  if (parts.numbering !== undefined) {
    files['word/numbering.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:numbering ${NS}>${parts.numbering}</w:numbering>`);
  }
  if (parts.styles !== undefined) {
    files['word/styles.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:styles ${NS}>${parts.styles}</w:styles>`);
  }
  for (const [name, content] of Object.entries(parts.extra ?? {})) {
    files[name] = typeof content === 'string' ? strToU8(content) : content;
  }
  return zipSync(files);
}

/** A zip of arbitrary files (not a docx). */
export function makeZip(files: Record<string, string | Uint8Array>): Uint8Array {
  const out: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(files)) out[k] = typeof v === 'string' ? strToU8(v) : v;
  return zipSync(out);
}

// ----------------------------------------------------------- XML builders

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A run with text. */
export const r = (text: string, rPr = '') => `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;

/** A paragraph of runs (strings become plain runs; raw XML passes through when it starts with '<'). */
export const p = (content: string | string[], pPr = '') => {
  const inner = (Array.isArray(content) ? content : [content]).map((c) => (c.startsWith('<') ? c : r(c))).join('');
  return `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${inner}</w:p>`;
};

export interface TcOpts {
  span?: number;
  vMerge?: 'restart' | 'continue';
}

/** A table cell; `content` is cell text (one paragraph per array item) or raw XML. */
export const tc = (content: string | string[], o: TcOpts = {}) => {
  const tcPr =
    (o.span ? `<w:gridSpan w:val="${o.span}"/>` : '') +
    (o.vMerge === 'restart' ? '<w:vMerge w:val="restart"/>' : o.vMerge === 'continue' ? '<w:vMerge/>' : '');
  const items = Array.isArray(content) ? content : [content];
  const paras = items.map((c) => (c.startsWith('<w:p') || c.startsWith('<w:tbl') ? c : p(c))).join('') || '<w:p/>';
  return `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ''}${paras}</w:tc>`;
};

export interface TrOpts {
  header?: boolean;
  gridBefore?: number;
  gridAfter?: number;
  deleted?: boolean;
}

export const tr = (cells: string[], o: TrOpts = {}) => {
  const trPr =
    (o.gridBefore ? `<w:gridBefore w:val="${o.gridBefore}"/>` : '') +
    (o.gridAfter ? `<w:gridAfter w:val="${o.gridAfter}"/>` : '') +
    (o.header ? '<w:tblHeader/>' : '') +
    (o.deleted ? '<w:del w:id="9" w:author="x" w:date="2020-01-01T00:00:00Z"/>' : '');
  return `<w:tr>${trPr ? `<w:trPr>${trPr}</w:trPr>` : ''}${cells.join('')}</w:tr>`;
};

export const tbl = (gridCols: number, rows: string[]) =>
  `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:jc w:val="center"/></w:tblPr><w:tblGrid>${'<w:gridCol w:w="1000"/>'.repeat(gridCols)}</w:tblGrid>${rows.join('')}</w:tbl>`;

// ------------------------------------------------------------ zip surgery

/**
 * Overwrite the declared uncompressed size of `name` in the central
 * directory (and local header), leaving the data alone: a zip that claims
 * to unpack to `size` bytes.
 */
export function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = new Uint8Array(zip);
  const dv = new DataView(out.buffer);
  const nameBytes = strToU8(name);
  for (let i = 0; i + 46 < out.length; i++) {
    if (dv.getUint32(i, true) !== 0x02014b50) continue;
    const nameLen = dv.getUint16(i + 28, true);
    const stored = out.subarray(i + 46, i + 46 + nameLen);
    if (nameLen !== nameBytes.length || !stored.every((b, k) => b === nameBytes[k])) continue;
    dv.setUint32(i + 24, size, true);
    const local = dv.getUint32(i + 42, true);
    dv.setUint32(local + 22, size, true);
  }
  return out;
}
