import { z } from 'zod';

/** The single source of the output contract; schemas/plan-document.schema.json is generated from it. */

export const SCHEMA_VERSION = '1';

export const Units = z
  .object({
    raw: z.string().nullable().describe('The unit cell as printed, or null when the table has separate role columns'),
    lead: z.array(z.string()).describe('牵头 units'),
    responsible: z.array(z.string()).describe('负责 / 落实 / 责任 units; a bare list with no role word'),
    cooperating: z.array(z.string()).describe('配合 / 协办 / 协助 / 会同 / 参与 units'),
  })
  .strict();

export const InheritableField = z.enum(['path', 'units', 'deadline', 'content', 'seq']);

export const Provenance = z
  .object({
    page: z.number().int().positive().nullable().describe('1-based page the task starts on, or null for unpaged formats'),
    table: z.number().int().positive().nullable().describe('1-based index of the table in the document, null for narrative tasks'),
    row: z.number().int().nonnegative().nullable().describe('0-based grid row within the table, null for narrative tasks'),
    inherited: z.array(InheritableField).describe('fields recovered from merged or blank cells above'),
  })
  .strict();

export const Task = z
  .object({
    id: z.string().regex(/^T\d{3,}$/).describe('stable, unique within the document'),
    seq: z.number().int().nullable().describe('the printed number (序号 / item number), or null'),
    path: z.array(z.string()).describe('enclosing headings / group cells, outermost first'),
    content: z.string().describe('the task text itself'),
    units: Units,
    deadline: z.string().nullable().describe('完成时限 as printed, or null'),
    provenance: Provenance,
  })
  .strict();

export const Warning = z
  .object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: z.string().min(1),
    task: z.string().optional().describe('id of the task the warning is about'),
  })
  .strict();

export const Source = z
  .object({
    path: z.string().describe('input path as given, or "-" for standard input'),
    format: z.enum(['docx', 'pdf', 'html', 'txt']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
    pages: z.number().int().positive().nullable(),
    encoding: z.string().nullable().describe('text encoding detected for txt/html, null for binary formats'),
  })
  .strict();

export const DocumentMeta = z
  .object({
    title: z.string().nullable(),
    docNumber: z.string().nullable().describe('发文字号'),
    issuer: z.string().nullable(),
    issuedDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().describe('ISO date'),
    year: z.number().int().min(1949).max(2200).nullable(),
    disclosure: z.string().nullable().describe('公开方式'),
  })
  .strict();

/** Indexes of the tasks whose id an earlier task already has. */
function duplicateTaskIds(tasks: readonly { id: string }[]): number[] {
  const seen = new Set<string>();
  const duplicates: number[] = [];
  tasks.forEach((t, i) => {
    if (seen.has(t.id)) duplicates.push(i);
    seen.add(t.id);
  });
  return duplicates;
}

/** Task ids are unique within a document: the one rule no field's schema states. */
const uniqueTaskIds = z.superRefine((doc: { tasks: readonly { id: string }[] }, ctx) => {
  for (const i of duplicateTaskIds(doc.tasks)) {
    ctx.addIssue({ code: 'custom', message: `duplicate task id ${doc.tasks[i].id}`, path: ['tasks', i, 'id'] });
  }
});

export const PlanDocument = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    source: Source,
    document: DocumentMeta,
    tasks: z.array(Task),
    warnings: z.array(Warning),
  })
  .strict()
  .check(uniqueTaskIds);

export type PlanDocument = z.infer<typeof PlanDocument>;
export type Task = z.infer<typeof Task>;
export type Units = z.infer<typeof Units>;
export type PlanWarning = z.infer<typeof Warning>;
export type DocumentMeta = z.infer<typeof DocumentMeta>;
export type InheritableField = z.infer<typeof InheritableField>;

export function planDocumentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlanDocument, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $id: 'https://gov-plan.invalid/schemas/plan-document.schema.json',
    title: 'gov-plan PlanDocument',
    ...schema,
  };
}

// ------------------------------------------------------------ fast validation

/**
 * What PlanDocument.parse returns, at a fraction of zod's cost in the usual
 * case. A checker compiled once from the schema above (so it follows every
 * change to it) says whether a value is certainly valid and builds the copy
 * zod would return: keys in schema order, absent optional keys left out.
 * Whenever it is not sure (an invalid document, or anything it was not built
 * to judge) zod parses as before, so what is rejected, and the error it gets,
 * do not change. zod allocates a result and an issue list per value; this
 * allocates only the copy.
 */
export function parsePlanDocument(input: unknown): PlanDocument {
  const copy = fastPlanDocument ? fastPlanDocument(input) : NOT_SURE;
  return copy === NOT_SURE ? PlanDocument.parse(input) : (copy as PlanDocument);
}

const NOT_SURE = Symbol('not sure');
type FastParse = (value: unknown) => unknown;

/** The object-level checks the fast path can run itself, by the check instance the schema uses. */
const FAST_OBJECT_CHECKS = new Map<unknown, (value: Record<string, unknown>) => boolean>([
  [uniqueTaskIds, (doc) => duplicateTaskIds(doc.tasks as { id: string }[]).length === 0],
]);

/** null when the schema uses anything the fast path does not know: then zod always parses. */
function compileFastParse(schema: z.core.$ZodType): FastParse | null {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const checks = (def.checks ?? []) as z.core.$ZodCheck[];
  switch (def.type) {
    case 'string':
      return fastString(checks);
    case 'number':
      return fastNumber(checks);
    case 'literal':
    case 'enum': {
      if (checks.length) return null;
      const values = new Set<unknown>(def.type === 'literal' ? (def.values as unknown[]) : Object.values(def.entries as object));
      return (v) => (typeof v === 'string' && values.has(v) ? v : NOT_SURE);
    }
    case 'nullable': {
      const inner = checks.length ? null : compileFastParse(def.innerType as z.core.$ZodType);
      return inner && ((v) => (v === null ? null : inner(v)));
    }
    case 'array': {
      const element = checks.length ? null : compileFastParse(def.element as z.core.$ZodType);
      return element && ((v) => fastArray(v, element));
    }
    case 'object':
      return fastObject(def, checks);
    default:
      return null;
  }
}

function fastString(checks: z.core.$ZodCheck[]): FastParse | null {
  const tests: ((s: string) => boolean)[] = [];
  for (const c of checks) {
    const d = c._zod.def as unknown as Record<string, unknown>;
    if (d.check === 'string_format' && d.format === 'regex' && d.pattern instanceof RegExp && !d.pattern.global && !d.pattern.sticky) {
      const re = d.pattern;
      tests.push((s) => re.test(s));
    } else if (d.check === 'min_length' && typeof d.minimum === 'number') {
      const min = d.minimum;
      tests.push((s) => s.length >= min);
    } else return null;
  }
  return (v) => {
    if (typeof v !== 'string') return NOT_SURE;
    for (const t of tests) if (!t(v)) return NOT_SURE;
    return v;
  };
}

function fastNumber(checks: z.core.$ZodCheck[]): FastParse | null {
  const tests: ((n: number) => boolean)[] = [];
  for (const c of checks) {
    const d = c._zod.def as unknown as Record<string, unknown>;
    const bound = d.value as number;
    if (d.check === 'number_format' && d.format === 'safeint') tests.push(Number.isSafeInteger);
    else if (d.check === 'greater_than' && typeof bound === 'number') tests.push(d.inclusive ? (n) => n >= bound : (n) => n > bound);
    else if (d.check === 'less_than' && typeof bound === 'number') tests.push(d.inclusive ? (n) => n <= bound : (n) => n < bound);
    else return null;
  }
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return NOT_SURE;
    for (const t of tests) if (!t(v)) return NOT_SURE;
    return v;
  };
}

function fastArray(v: unknown, element: FastParse): unknown {
  if (!Array.isArray(v)) return NOT_SURE;
  const out = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) {
    const e = element(v[i]);
    if (e === NOT_SURE) return NOT_SURE;
    out[i] = e;
  }
  return out;
}

interface FastField {
  key: string;
  optional: boolean;
  parse: FastParse;
}

/** Strict objects only (unknown keys rejected), as all of the schema's are. */
function fastObject(def: Record<string, unknown>, checks: z.core.$ZodCheck[]): FastParse | null {
  const catchall = def.catchall as z.core.$ZodType | undefined;
  if (catchall?._zod.def.type !== 'never') return null;
  const objectChecks: ((value: Record<string, unknown>) => boolean)[] = [];
  for (const c of checks) {
    const run = FAST_OBJECT_CHECKS.get(c);
    if (!run) return null;
    objectChecks.push(run);
  }
  const fields: FastField[] = [];
  for (const [key, field] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
    const fieldDef = field._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
    const optional = fieldDef.type === 'optional';
    if (optional && fieldDef.checks?.length) return null;
    const parse = compileFastParse(optional ? (fieldDef.innerType as z.core.$ZodType) : field);
    if (!parse || key === '__proto__') return null;
    fields.push({ key, optional, parse });
  }
  const keys = new Set(fields.map((f) => f.key));
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return NOT_SURE;
    const input = v as Record<string, unknown>;
    for (const k in input) if (!keys.has(k)) return NOT_SURE;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (!(f.key in input)) {
        if (f.optional) continue;
        return NOT_SURE;
      }
      const value = f.parse(input[f.key]);
      // an optional key present with undefined: zod keeps the key; not worth copying that here
      if (value === NOT_SURE || value === undefined) return NOT_SURE;
      out[f.key] = value;
    }
    for (const check of objectChecks) if (!check(out)) return NOT_SURE;
    return out;
  };
}

const fastPlanDocument = compileFastParse(PlanDocument);
