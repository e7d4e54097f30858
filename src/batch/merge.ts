/** `gov-plan merge-reports`: combine the report.json of several shards (or runs) into one. */
import type { BatchReport, ReportEntry, ReportTotals } from './types.js';

export class MergeError extends Error {}

export function totalsOf(files: ReportEntry[]): ReportTotals {
  const t: ReportTotals = { files: files.length, ok: 0, warnings: 0, failed: 0, skipped: 0, resumed: 0, tasks: 0, pages: 0 };
  for (const e of files) {
    t[e.status]++;
    if (e.resumed) t.resumed++;
    t.tasks += e.tasks;
    t.pages += e.pages ?? 0;
  }
  return t;
}

export function checkReport(value: unknown, name: string): BatchReport {
  const r = value as BatchReport;
  if (!r || typeof r !== 'object' || r.tool !== 'gov-plan' || !Array.isArray(r.files)) {
    throw new MergeError(`${name}: not a gov-plan batch report`);
  }
  return r;
}

/**
 * Files from every report; a path that occurs in several keeps the entry of
 * the report that finished last (a re-run of a shard supersedes the old one).
 */
export function mergeReports(reports: { name: string; report: BatchReport }[]): BatchReport {
  if (reports.length === 0) throw new MergeError('no reports to merge');
  const formats = new Set(reports.map((r) => r.report.format));
  if (formats.size > 1) throw new MergeError(`reports use different output formats (${[...formats].join(', ')})`);
  const ordered = [...reports].sort((a, b) => (a.report.finishedAt < b.report.finishedAt ? -1 : a.report.finishedAt > b.report.finishedAt ? 1 : 0));
  const byPath = new Map<string, ReportEntry>();
  const duplicates = new Set<string>();
  for (const { report } of ordered) {
    for (const e of report.files) {
      if (byPath.has(e.path)) duplicates.add(e.path);
      byPath.set(e.path, e);
    }
  }
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const counts = new Set(reports.map((r) => r.report.shard?.count ?? 1));
  const missingShards: number[] = [];
  if (counts.size === 1) {
    const n = [...counts][0];
    if (n > 1) {
      const have = new Set(reports.map((r) => r.report.shard?.index));
      for (let i = 0; i < n; i++) if (!have.has(i)) missingShards.push(i);
    }
  }
  const first = ordered[0].report;
  const last = ordered[ordered.length - 1].report;
  const uniq = (xs: string[]) => [...new Set(xs)];
  const inputs = uniq(reports.map((r) => r.report.input));
  const outputs = uniq(reports.map((r) => r.report.output));
  return {
    tool: 'gov-plan',
    reportVersion: 1,
    input: inputs.length === 1 ? inputs[0] : inputs.join(', '),
    output: outputs.length === 1 ? outputs[0] : outputs.join(', '),
    format: first.format,
    combined: uniq(reports.map((r) => r.report.combined)).join(', '),
    shard: null,
    startedAt: reports.map((r) => r.report.startedAt).sort()[0],
    finishedAt: last.finishedAt,
    ms: Math.max(...reports.map((r) => r.report.ms)),
    threads: reports.reduce((n, r) => n + r.report.threads, 0),
    peakRssMb: Math.max(...reports.map((r) => r.report.peakRssMb)),
    totals: totalsOf(files),
    merged: { from: reports.map((r) => r.name), missingShards, duplicates: [...duplicates].sort() },
    files,
  };
}
