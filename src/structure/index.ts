import type { IntermediateDocument } from '../model/document.js';
import type { DocumentMeta, PlanWarning, Task } from '../model/schema.js';

export interface PlanParts {
  document: DocumentMeta;
  tasks: Task[];
  warnings: PlanWarning[];
}

export function buildPlan(_doc: IntermediateDocument): PlanParts {
  return {
    document: { title: null, docNumber: null, issuer: null, issuedDate: null, year: null, disclosure: null },
    tasks: [],
    warnings: [],
  };
}
