import { dump } from 'js-yaml';
import type { PlanDocument } from '../model/schema.js';

/** One document as YAML (no line folding, no anchors/aliases). */
export function formatYaml(doc: PlanDocument): string {
  return dump(doc, { lineWidth: -1, noRefs: true });
}

/** One document of a multi-document YAML stream: starts with the `---` marker. */
export function formatYamlStreamItem(doc: PlanDocument): string {
  return '---\n' + formatYaml(doc);
}
