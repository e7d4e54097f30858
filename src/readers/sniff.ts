import type { SourceFormat } from '../model/document.js';
import { InputError } from '../model/document.js';

/**
 * Recognise a file by its bytes, never its name. Legacy formats seen in real
 * archives are named so the user gets "unsupported format: …" rather than a
 * garbled parse.
 */
export function sniffFormat(bytes: Uint8Array): SourceFormat {
  if (bytes.length === 0) throw new InputError('EMPTY', 'empty file');
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 1024)));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  // %PDF- may be preceded by junk (allowed by readers within the first 1 KB).
  const pdfAt = head.indexOf('%PDF-', 0, 'latin1');
  if (pdfAt > 0 && pdfAt < 1024) return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05 || head[2] === 0x07)) {
    // A zip: docx is decided by the docx reader (word/document.xml); others are rejected there.
    if (head.indexOf('ppt/', 0, 'latin1') >= 0) throw new InputError('UNSUPPORTED', 'unsupported format: pptx presentation');
    if (head.indexOf('xl/', 0, 'latin1') >= 0) throw new InputError('UNSUPPORTED', 'unsupported format: xlsx spreadsheet (not required in this version)');
    return 'docx';
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new InputError('UNSUPPORTED', 'unsupported format: legacy OLE2 file (.doc/.wps/.xls); save it as .docx');
  }
  if (head.subarray(0, 4).toString('latin1') === '{\\rt') {
    throw new InputError('UNSUPPORTED', 'unsupported format: RTF document; save it as .docx');
  }
  if (looksBinary(head)) throw new InputError('UNSUPPORTED', 'unsupported format: binary data that is not docx, pdf, html or text');
  if (looksLikeHtml(bytes)) return 'html';
  return 'txt';
}

function looksBinary(head: Buffer): boolean {
  // UTF-16 text has many NULs; accept it when it starts with a BOM.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  return control > head.length * 0.05;
}

/** Markup sniffing on the first 4 KB: a document tag, or several block tags. */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.subarray(0, 4096)).toString('latin1').toLowerCase();
  if (/^\s*(<!doctype html|<html[\s>]|<\?xml[^>]*>\s*<html)/.test(text)) return true;
  if (/<html[\s>]|<head[\s>]|<body[\s>]|<meta\s/.test(text)) return true;
  const tags = text.match(/<(table|tr|td|div|p|span|br)[\s>/]/g);
  const lines = text.split('\n').length;
  // Text with a few stray <p> fragments (copy-paste debris) stays text.
  return !!tags && tags.length >= 10 && tags.length > lines / 2;
}
