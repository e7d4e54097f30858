import { PlanDocument } from '../model/schema.js';

export interface ValidationResult {
  /** Number of documents checked. */
  count: number;
  /** One line per problem: `tasks[3].units.lead: expected array, received string`. */
  problems: string[];
}

/** Raised when the text is not JSON / JSON Lines at all (exit 2 in `validate`). */
export class NotJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotJsonError';
  }
}

interface Candidate {
  /** Prefix naming the document inside the file: '' (single), '[2]' (array), 'line 3: ' (JSONL). */
  label: string;
  value: unknown;
}

/**
 * Splits the text into the documents it holds: one JSON document, a JSON
 * array of documents, or JSON Lines (one document per non-blank line).
 */
export function parseDocuments(text: string): Candidate[] {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') throw new NotJsonError('empty input, expected JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const lines = text.split('\n').map((l, i) => ({ no: i + 1, text: l.trim() })).filter((l) => l.text !== '');
    if (lines.length > 1) {
      const out: Candidate[] = [];
      for (const l of lines) {
        try {
          out.push({ label: `line ${l.no}: `, value: JSON.parse(l.text) });
        } catch (lineErr) {
          throw new NotJsonError(`not JSON or JSON Lines: line ${l.no}: ${(lineErr as Error).message}`);
        }
      }
      return out;
    }
    throw new NotJsonError(`not JSON: ${(err as Error).message}`);
  }
  if (Array.isArray(value)) return value.map((v, i) => ({ label: `[${i}]`, value: v }));
  return [{ label: '', value }];
}

/** `['tasks', 3, 'units', 'lead']` → `tasks[3].units.lead`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const k = String(key);
      out += /^[A-Za-z_$][\w$]*$/.test(k) ? (out === '' ? k : `.${k}`) : `[${JSON.stringify(k)}]`;
    }
  }
  return out;
}

function issueMessage(message: string): string {
  const m = message.replace(/^Invalid input: /, '');
  return m.charAt(0).toLowerCase() + m.slice(1);
}

/** Validates every document in the text against the PlanDocument schema. */
export function validateText(text: string): ValidationResult {
  const docs = parseDocuments(text);
  const problems: string[] = [];
  for (const { label, value } of docs) {
    const r = PlanDocument.safeParse(value);
    if (r.success) continue;
    for (const issue of r.error.issues) {
      const p = formatIssuePath(issue.path);
      const where = label.endsWith(': ') ? label + p : label + (label && p && !p.startsWith('[') ? '.' : '') + p;
      problems.push(`${where === '' || where.endsWith(': ') ? where + '(document)' : where}: ${issueMessage(issue.message)}`);
    }
  }
  return { count: docs.length, problems };
}
