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

export const PlanDocument = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    source: Source,
    document: DocumentMeta,
    tasks: z.array(Task),
    warnings: z.array(Warning),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.tasks.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', message: `duplicate task id ${t.id}`, path: ['tasks', i, 'id'] });
      seen.add(t.id);
    });
  });

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
