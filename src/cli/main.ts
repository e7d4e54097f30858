import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Command, CommanderError, Option } from 'commander';
import type { SourceFormat } from '../model/document.js';
import type { PlanDocument } from '../model/schema.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../writers/formats.js';
import { registerBatch } from './batch.js';
import { displayName, formatFileError, UsageError } from './errors.js';
import { checkTextSize, readFileList, readInput } from './inputs.js';
import { openOutput, type OutputSink } from './output.js';

/** Exit codes (SPEC §3). */
export const EXIT = { OK: 0, INPUT_FAILED: 1, USAGE: 2, STRICT_WARNINGS: 3 } as const;

const SOURCE_FORMATS: readonly SourceFormat[] = ['docx', 'pdf', 'html', 'txt'];

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

interface ParseOptions {
  format: OutputFormat;
  out?: string;
  from?: SourceFormat;
  unit?: string[];
  strict?: boolean;
  filesFrom?: string;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Runs the gov-plan command line. `argv` is process.argv (node, script, args…).
 * Resolves to the exit code; never calls process.exit.
 */
export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const err = (s: string) => void io.stderr.write(s);
  let exitCode: number | undefined;
  const debugOn = () => Boolean(program.opts().debug) || argv.includes('--debug');

  const program = new Command('gov-plan');
  // Settings first: subcommands inherit them when they are created.
  program
    .description('Parse Chinese government information-disclosure work plans (政务公开工作要点 / 分工方案) into validated task lists.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--debug', 'show stack traces for errors')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => err(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'gov-plan: ')),
    })
    .showHelpAfterError('(run gov-plan --help, or gov-plan <command> --help, for usage)');

  program
    .command('parse')
    .description('convert plan files (docx, pdf, html, txt) to task lists')
    .argument('[files...]', 'input files; - reads standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('json', 'from the -o extension, else json'))
    .option('-o, --out <file>', 'write to this file (atomically) instead of standard output')
    .addOption(new Option('--from <format>', 'input format; overrides detection from the bytes').choices(SOURCE_FORMATS))
    .option('--unit <name>', 'keep only tasks whose lead/responsible/cooperating units contain this unit name (名称), e.g. 区编办; repeatable', collect)
    .option('--strict', 'exit with code 3 when any document has warnings')
    .option('--files-from <file>', 'read input paths from this file, one per line (- = standard input)')
    .action(async (files: string[], opts: ParseOptions, cmd: Command) => {
      // Without -f, `-o out.csv` / `.yaml` / `.yml` / `.jsonl` picks the format from the extension.
      if (cmd.getOptionValueSource('format') === 'default' && opts.out !== undefined) {
        opts.format = formatFromExtension(opts.out) ?? opts.format;
      }
      exitCode = await runParse(files, opts, io, debugOn());
    });

  program
    .command('schema')
    .description('print the JSON Schema of the output (PlanDocument)')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (opts: { out?: string }) => {
      const { planDocumentJsonSchema } = await import('../model/schema.js');
      const text = JSON.stringify(planDocumentJsonSchema(), null, 2) + '\n';
      exitCode = await writeWhole(opts.out, text, io, debugOn());
    });

  program
    .command('validate')
    .description('check JSON output (one document, an array, or JSON Lines) against the PlanDocument schema')
    .argument('<files...>', 'JSON files; - reads standard input')
    .action(async (files: string[]) => {
      exitCode = await runValidate(files, io, debugOn());
    });

  registerBatch(program);

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    if (e instanceof UsageError) {
      err(`gov-plan: ${e.message}\n(run gov-plan --help, or gov-plan <command> --help, for usage)\n`);
      return EXIT.USAGE;
    }
    err(formatFileError(null, e, debugOn()));
    return EXIT.INPUT_FAILED;
  }
  // A command registered elsewhere (batch) may report through process.exitCode.
  if (exitCode === undefined) exitCode = typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  return exitCode;
}

/** Output format implied by a file name's extension, if any. */
export function formatFromExtension(path: string): OutputFormat | undefined {
  const m = /\.(json|jsonl|ndjson|ya?ml|csv)$/i.exec(path);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  return ext === 'yml' || ext === 'yaml' ? 'yaml' : ext === 'ndjson' ? 'jsonl' : (ext as OutputFormat);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function runParse(files: string[], opts: ParseOptions, io: CliIo, debug: boolean): Promise<number> {
  const err = (s: string) => void io.stderr.write(s);
  const units = opts.unit ?? [];
  if (units.some((u) => u.trim() === '')) throw new UsageError('--unit needs a non-empty unit name');

  const inputs = [...files];
  if (opts.filesFrom !== undefined) {
    try {
      inputs.push(...(await readFileList(opts.filesFrom, { stdin: io.stdin })));
    } catch (e) {
      err(formatFileError(opts.filesFrom, e, debug));
      return EXIT.INPUT_FAILED;
    }
  }
  if (inputs.length === 0) throw new UsageError('parse: no input files (give paths, - for standard input, or --files-from <file>)');
  const stdinUses = inputs.filter((p) => p === '-').length + (opts.filesFrom === '-' ? 1 : 0);
  if (stdinUses > 1) throw new UsageError('parse: standard input (-) can be used only once');

  let sink: OutputSink;
  try {
    sink = await openOutput(opts.out, io.stdout);
  } catch (e) {
    err(formatFileError(opts.out ?? '<stdout>', e, debug, 'cannot write'));
    return EXIT.INPUT_FAILED;
  }

  // Loaded here, not at start-up: --help, schema, validate and `batch` (whose parent never converts) skip the readers and the writers.
  const [{ convert }, { createStreamFormatter }, { filterByUnit }] = await Promise.all([
    import('../pipeline.js'),
    import('../writers/index.js'),
    import('./unit-filter.js'),
  ]);
  const formatter = createStreamFormatter(opts.format, { multi: inputs.length > 1 });
  let failed = 0;
  let written = 0;
  let warned = false;
  try {
    // One file at a time, in the order given: output order is input order and
    // memory stays bounded (the batch command parallelises).
    for (const path of inputs) {
      let doc: PlanDocument;
      try {
        const bytes = await readInput(path, { stdin: io.stdin });
        checkTextSize(bytes, opts.from);
        doc = await convert({ bytes, path, from: opts.from });
        if (units.length > 0) doc = filterByUnit(doc, units);
      } catch (e) {
        failed++;
        err(formatFileError(path, e, debug));
        continue;
      }
      for (const w of doc.warnings) {
        err(`warning: ${displayName(path)}: ${w.code} ${w.message}${w.task ? ` (${w.task})` : ''}\n`);
      }
      if (doc.warnings.length > 0) warned = true;
      await sink.write(formatter.item(doc));
      written++;
    }
    if (written > 0) {
      await sink.write(formatter.end());
      await sink.commit();
    } else {
      await sink.abort();
    }
  } catch (e) {
    await sink.abort();
    err(formatFileError(opts.out ?? '<stdout>', e, debug, 'cannot write'));
    return EXIT.INPUT_FAILED;
  }
  if (failed > 0) return EXIT.INPUT_FAILED;
  if (opts.strict && warned) return EXIT.STRICT_WARNINGS;
  return EXIT.OK;
}

async function runValidate(files: string[], io: CliIo, debug: boolean): Promise<number> {
  const { NotJsonError, validateText } = await import('./validate.js');
  const out = (s: string) => void io.stdout.write(s);
  const err = (s: string) => void io.stderr.write(s);
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('validate: standard input (-) can be used only once');
  let unreadable = false;
  let invalid = false;
  for (const file of files) {
    let text: string;
    try {
      text = Buffer.from(await readInput(file, { stdin: io.stdin })).toString('utf8');
    } catch (e) {
      err(formatFileError(file, e, debug));
      unreadable = true;
      continue;
    }
    try {
      const result = validateText(text);
      if (result.problems.length === 0) {
        out(`ok: ${displayName(file)}${result.count === 1 ? '' : ` (${result.count} documents)`}\n`);
      } else {
        invalid = true;
        for (const p of result.problems) out(`invalid: ${displayName(file)}: ${p}\n`);
      }
    } catch (e) {
      if (!(e instanceof NotJsonError)) throw e;
      err(`gov-plan: ${displayName(file)}: ${e.message}\n`);
      unreadable = true;
    }
  }
  return unreadable ? EXIT.USAGE : invalid ? EXIT.INPUT_FAILED : EXIT.OK;
}

async function writeWhole(outPath: string | undefined, text: string, io: CliIo, debug: boolean): Promise<number> {
  let sink: OutputSink | undefined;
  try {
    sink = await openOutput(outPath, io.stdout);
    await sink.write(text);
    await sink.commit();
    return EXIT.OK;
  } catch (e) {
    await sink?.abort();
    io.stderr.write(formatFileError(outPath ?? '<stdout>', e, debug, 'cannot write'));
    return EXIT.INPUT_FAILED;
  }
}
