/** The radstruct command line: one entry, one module per command, errors as messages (exit 2). */
import { parseArgs } from 'node:util'
import {
  adminKeyUsage,
  adminReviewerUsage,
  adminSiteUsage,
  runAdminKey,
  runAdminReviewer,
  runAdminSite,
} from './commands/admin.ts'
import { calibrateUsage, runCalibrate } from './commands/calibrate.ts'
import {
  distillExportUsage,
  distillLabelUsage,
  distillReviewUsage,
  distillSynthUsage,
  distillUnreadUsage,
  runDistillExport,
  runDistillLabel,
  runDistillReview,
  runDistillSynth,
  runDistillUnread,
} from './commands/distill.ts'
import { evalUsage, runEval } from './commands/eval.ts'
import { evalRealUsage, runEvalReal } from './commands/eval-real.ts'
import { exportUsage, runExport } from './commands/export.ts'
import { extractUsage, runExtract } from './commands/extract.ts'
import { fieldsUsage, runFields } from './commands/fields.ts'
import { runSchema, schemaUsage } from './commands/schema.ts'
import { runScore, scoreUsage } from './commands/score.ts'
import {
  batchesUsage,
  resultsUsage,
  runBatches,
  runResults,
  runStatus,
  runUpload,
  statusUsage,
  uploadUsage,
} from './commands/site.ts'
import { CliError, Outcome } from './errors.ts'

type Options = Record<string, string | boolean | undefined>

const commands: Record<
  string,
  {
    /** One line for the overview (`radstruct --help`). */
    summary: string
    usage: string
    run: (o: Options) => string | Outcome | Promise<string | Outcome>
    options: Record<string, 'string' | 'boolean'>
    /** Takes positional arguments (files, batch ids), passed as `_`. */
    positionals?: boolean
  }
> = {
  score: {
    summary: 'Score one extracted record: per-field confidence and the fields to review',
    usage: scoreUsage,
    run: runScore,
    options: {
      task: 'string',
      record: 'string',
      report: 'string',
      samples: 'string',
      sex: 'string',
      format: 'string',
    },
  },
  eval: {
    summary: 'Compare predictions with gold: accuracy, errors, label F1, calibration',
    usage: evalUsage,
    run: runEval,
    options: { task: 'string', pred: 'string', gold: 'string', json: 'boolean', plot: 'string' },
  },
  'eval-real': {
    summary: 'Score label results against presence-only golds of real reports (MeSH, NegBio)',
    usage: evalRealUsage,
    run: runEvalReal,
    options: {
      task: 'string',
      reports: 'string',
      pred: 'string',
      mesh: 'string',
      negbio: 'string',
      kinds: 'string',
      json: 'boolean',
    },
  },
  calibrate: {
    summary: "Fit a task's confidence model (planted errors, or a student's own results)",
    usage: calibrateUsage,
    run: runCalibrate,
    options: {
      task: 'string',
      samples: 'string',
      distractors: 'string',
      copies: 'string',
      seed: 'string',
      write: 'string',
      plot: 'string',
      json: 'boolean',
      'stability-from': 'string',
      'fit-from': 'string',
      refit: 'string',
      'test-from': 'string',
      'test-gold': 'string',
      gold: 'string',
    },
  },
  fields: {
    summary: "List a task's fields: what each is, its unit, reference range and limits",
    usage: fieldsUsage,
    run: runFields,
    options: { task: 'string', json: 'boolean' },
  },
  schema: {
    summary: 'Print the JSON Schema of one record of a task',
    usage: schemaUsage,
    run: runSchema,
    options: { task: 'string' },
  },
  'distill synth': {
    summary: 'Write synthetic reports with exact gold (cmr52, cxr14, bonemets3)',
    usage: distillSynthUsage,
    run: runDistillSynth,
    options: {
      task: 'string',
      out: 'string',
      count: 'string',
      seed: 'string',
      styles: 'string',
      only: 'string',
      exclude: 'string',
    },
  },
  'distill unread': {
    summary: 'Render labelled reports so that the reader cannot read them (fit and test coverage)',
    usage: distillUnreadUsage,
    run: runDistillUnread,
    options: { in: 'string', out: 'string', kinds: 'string', seed: 'string' },
  },
  'distill label': {
    summary: 'Label reports with a teacher model (any OpenAI-compatible endpoint)',
    usage: distillLabelUsage,
    run: runDistillLabel,
    options: {
      task: 'string',
      in: 'string',
      out: 'string',
      'server-url': 'string',
      dialect: 'string',
      model: 'string',
      concurrency: 'string',
      samples: 'string',
      limit: 'string',
    },
  },
  'distill review': {
    summary: "Apply reviewers' corrections to labels, with an audit trail",
    usage: distillReviewUsage,
    run: runDistillReview,
    options: { task: 'string', records: 'string', corrections: 'string' },
  },
  'distill export': {
    summary: 'Write a training set (chat JSONL, or --format encoder)',
    usage: distillExportUsage,
    run: runDistillExport,
    options: {
      task: 'string',
      in: 'string',
      records: 'string',
      out: 'string',
      validation: 'string',
      format: 'string',
    },
  },
  extract: {
    summary: 'Extract every field of local reports with a model (the shipped encoders by default)',
    usage: extractUsage,
    run: runExtract,
    options: {
      task: 'string',
      in: 'string',
      out: 'string',
      format: 'string',
      model: 'string',
      backend: 'string',
      batch: 'string',
      'server-url': 'string',
      dialect: 'string',
      samples: 'string',
      temperature: 'string',
      'max-tokens': 'string',
      threads: 'string',
      decoding: 'string',
    },
  },
  upload: {
    summary: 'Send reports to the edge API in batches (resumable; --wait follows them)',
    usage: uploadUsage,
    run: runUpload,
    options: { task: 'string', chunk: 'string', wait: 'boolean', url: 'string', key: 'string' },
    positionals: true,
  },
  status: {
    summary: 'Show the counts of batches: accepted, refused, queued, done, failed',
    usage: statusUsage,
    run: runStatus,
    options: { url: 'string', key: 'string' },
    positionals: true,
  },
  batches: {
    summary: "List the site's batches, newest first, with filters",
    usage: batchesUsage,
    run: runBatches,
    options: {
      task: 'string',
      state: 'string',
      since: 'string',
      limit: 'string',
      json: 'boolean',
      url: 'string',
      key: 'string',
    },
  },
  export: {
    summary: 'Export results as FHIR R4, a REDCap import (and its data dictionary) or Parquet',
    usage: exportUsage,
    run: runExport,
    options: {
      task: 'string',
      from: 'string',
      format: 'string',
      o: 'string',
      url: 'string',
      key: 'string',
    },
    positionals: true,
  },
  results: {
    summary: 'Download the results of batches as CSV, NDJSON, FHIR, REDCap or Parquet',
    usage: resultsUsage,
    run: runResults,
    options: { format: 'string', o: 'string', url: 'string', key: 'string' },
    positionals: true,
  },
  'admin site': {
    summary: 'Create or update a site and its de-identification policy',
    usage: adminSiteUsage,
    run: runAdminSite,
    options: { url: 'string', id: 'string', name: 'string', 'deid-policy': 'string' },
  },
  'admin key': {
    summary: "Create or revoke a site's API key",
    usage: adminKeyUsage,
    run: runAdminKey,
    options: { url: 'string', site: 'string', revoke: 'string' },
  },
  'admin reviewer': {
    summary: 'Create, list or revoke the reviewers of a site (for the review page)',
    usage: adminReviewerUsage,
    run: runAdminReviewer,
    options: {
      url: 'string',
      site: 'string',
      name: 'string',
      role: 'string',
      list: 'boolean',
      revoke: 'string',
    },
  },
}

const overview = `radstruct: free-text radiology reports to structured data with per-field confidence

Usage: radstruct <command> [options]   (radstruct <command> --help for its options)

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(15)} ${c.summary}`)
  .join('\n')}

Exit codes: 0 all good, 1 failure, 2 bad input, 3 some reports refused.`

/** Runs the CLI; returns the exit code. Output goes to the given writers (process streams by default). */
export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
  err: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
): Promise<number> {
  // "distill label ..." and "admin key ..." are commands of two words
  const [first, ...others] = argv
  const [name, rest] =
    (first === 'distill' || first === 'admin') && others[0]
      ? [`${first} ${others[0]}`, others.slice(1)]
      : [first, others]
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(overview)
    return name ? 0 : 2
  }
  const cmd = commands[name]
  if (!cmd) {
    err(`radstruct: unknown command '${name}'\n\n${overview}`)
    return 2
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        ...Object.fromEntries(Object.entries(cmd.options).map(([k, type]) => [k, { type }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: cmd.positionals ?? false,
    })
    if (values.help) {
      out(cmd.usage)
      return 0
    }
    const result = await cmd.run({
      ...(values as Options),
      ...(cmd.positionals ? { _: positionals as unknown as string } : {}),
    })
    if (result instanceof Outcome) {
      if (result.text) out(result.text)
      return result.code
    }
    if (result) out(result)
    return 0
  } catch (e) {
    if (e instanceof CliError) {
      err(`radstruct ${name}: ${e.message}${e.tip ? `\nTip: ${e.tip}` : ''}`)
      return 2
    }
    if (
      e instanceof TypeError &&
      'code' in e &&
      String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')
    ) {
      err(`radstruct ${name}: ${e.message}\n\n${cmd.usage}`)
      return 2
    }
    err(`radstruct ${name}: internal error: ${(e as Error).message}`)
    return 1
  }
}

if (import.meta.main || process.argv[1]?.endsWith('cli/main.ts'))
  process.exitCode = await main(process.argv.slice(2))
