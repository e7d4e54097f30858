/**
 * The intermediate document every reader produces and the structure stage
 * consumes. Readers know only their format; nothing here knows about tasks.
 */

export type SourceFormat = 'docx' | 'pdf' | 'html' | 'txt';

export interface HeadingBlock {
  kind: 'heading';
  /** 1 = most prominent. Readers that cannot tell use 1. */
  level: number;
  text: string;
  page?: number;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  text: string;
  page?: number;
  /** Visual hints a reader may know (centred titles, bold run); optional. */
  align?: 'center' | 'right' | 'left';
  bold?: boolean;
}

/**
 * One physical cell. `row`/`col` are the top-left grid position, spans are
 * at least 1. A cell whose text is "" is an empty cell, which is not the
 * same as a grid position covered by another cell's span.
 */
export interface TableCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  /** 1-based page the cell starts on, when the format has pages. */
  page?: number;
}

export interface TableBlock {
  kind: 'table';
  rows: number;
  cols: number;
  cells: TableCell[];
  page?: number;
  /** Row indices the source marked as repeated header rows (docx tblHeader, html thead). */
  headerRows?: number[];
  /**
   * How the reader knows the cells. 'grid': spans are real (docx, html, ruled
   * pdf); 'flattened': rebuilt from text, a blank cell may be a lost merge.
   */
  origin: 'grid' | 'flattened';
  /**
   * Rows that began on a new page (continuation of the table after a page
   * break), so the structure stage can join cut rows.
   */
  pageBreakBefore?: number[];
}

export type Block = HeadingBlock | ParagraphBlock | TableBlock;

export interface IntermediateDocument {
  format: SourceFormat;
  blocks: Block[];
  /** Page count for paged formats, else null. */
  pages: number | null;
  /** Text encoding the reader decoded, for text formats; null for binary formats. */
  encoding: string | null;
  /** Problems the reader met but survived (lost text, fallback used). */
  warnings: ReaderWarning[];
}

export interface ReaderWarning {
  code: string;
  message: string;
}

/** Thrown by readers for input they cannot read at all; message is user-facing. */
export class InputError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'InputError';
    this.code = code;
  }
}
