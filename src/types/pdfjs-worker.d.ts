// pdf.js ships no declarations for its worker bundle; it is only imported for its side effects (see readers/pdf.ts).
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs';
