/** The per-file output formats (kept apart from the writers so the CLI can list them without loading any writer). */
export const OUTPUT_FORMATS = ['json', 'yaml', 'csv', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
