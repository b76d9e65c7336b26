/** `radstruct distill synth|label|review|export`: the distillation toolkit on local folders. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openBackend } from '../../adapters/backends/index.ts'
import { correctionSchema } from '../../core/contracts.ts'
import { encoderExample } from '../../distill/encoder-set.ts'
import { idFraction, splitExamples } from '../../distill/export.ts'
import {
  applyCorrections,
  assembleAndScore,
  type Correction,
  labelCorpus,
  readLabels,
} from '../../distill/label.ts'
import { boneCorpus } from '../../distill/synth/bonemets.ts'
import { cxrCorpus } from '../../distill/synth/cxr.ts'
import { generateCorpus } from '../../distill/synth/index.ts'
import { type StyleName, styles } from '../../distill/synth/styles.ts'
import { renderUnread, type UnreadKind, unreadKinds } from '../../distill/synth/unread.ts'
import { CliError } from '../errors.ts'
import { jsonFilesById, loadTask, readRecord, readText } from '../io.ts'
import { progressGroup } from '../progress.ts'

type Options = Record<string, string | boolean | undefined>

const need = (opts: Options, name: string, what: string): string => {
  const v = opts[name]
  if (typeof v !== 'string') throw new CliError(`missing --${name}`, what)
  return v
}

const int = (opts: Options, name: string, fallback: number, min: number): number => {
  const v = opts[name]
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`--${name}: expected an integer >= ${min}, got '${String(v)}'`)
  return n
}

/** Reports of a folder: NNN.txt files, by id. */
function texts(dir: string): { id: string; text: string }[] {
  if (!existsSync(dir)) throw new CliError(`${dir}: no such folder`)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ id: f.replace(/\.txt$/, ''), text: readText(join(dir, f)) }))
}

export const distillSynthUsage = `radstruct distill synth --task cmr52|cxr14|bonemets3 --out DIR [--count N] [--seed S] [--styles table,prose,...] [--only FAMILIES] [--exclude FAMILIES]

Writes N synthetic reports with exact gold (DIR/<id>.txt and DIR/<id>.json). cmr52 styles: ${Object.keys(styles).join(', ')}.
cxr14 and bonemets3 are compositional corpora; --only / --exclude pick families (comma-separated:
layout families such as prose, terse, lists, unsectioned, and languages such as lang:de).`

export function runDistillSynth(opts: Options): string {
  const task = loadTask(opts.task as string | undefined)
  const out = need(opts, 'out', 'a folder for the reports')
  if (task.id === 'cxr14' || task.id === 'bonemets3') {
    const list = (k: string) =>
      typeof opts[k] === 'string' ? (opts[k] as string).split(',') : undefined
    const only = list('only')
    const exclude = list('exclude')
    const corpus = (task.id === 'cxr14' ? cxrCorpus : boneCorpus)({
      count: int(opts, 'count', 1000, 1),
      seed: int(opts, 'seed', 1, 0),
      ...(only ? { only } : {}),
      ...(exclude ? { exclude } : {}),
    })
    mkdirSync(out, { recursive: true })
    for (const r of corpus) {
      writeFileSync(join(out, `${r.id}.txt`), `${r.text}\n`)
      writeFileSync(join(out, `${r.id}.json`), `${JSON.stringify(r.gold, null, 1)}\n`)
    }
    return `${corpus.length} synthetic ${task.id} reports -> ${out}`
  }
  if (task.id !== 'cmr52')
    throw new CliError(
      `no synthetic corpus for ${task.id}; there are corpora for cmr52, cxr14 and bonemets3`,
    )
  const chosen = typeof opts.styles === 'string' ? opts.styles.split(',') : undefined
  for (const s of chosen ?? [])
    if (!(s in styles))
      throw new CliError(
        `--styles: unknown style '${s}'; expected ${Object.keys(styles).join(', ')}`,
      )
  const corpus = generateCorpus(task, {
    count: int(opts, 'count', 1000, 1),
    seed: int(opts, 'seed', 1, 0),
    ...(chosen ? { styles: chosen as StyleName[] } : {}),
  })
  mkdirSync(out, { recursive: true })
  for (const r of corpus) {
    writeFileSync(join(out, `${r.id}.txt`), `${r.text}\n`)
    writeFileSync(join(out, `${r.id}.json`), `${JSON.stringify(r.gold, null, 1)}\n`)
  }
  return `${corpus.length} synthetic reports -> ${out}`
}

export const distillLabelUsage = `radstruct distill label --task TASK --in DIR --out WORKDIR --server-url URL [--dialect vllm|llama.cpp] [--model ID] [--concurrency N] [--samples 3]

A teacher behind an OpenAI-compatible endpoint labels every report of DIR field by field (three
samples at temperature 0.3, the majority kept). Labels are appended to WORKDIR/labels.jsonl as they
finish, so a rerun resumes; finished reports become WORKDIR/records/<id>.json, and
WORKDIR/review.jsonl lists every label scored by the confidence engine, lowest first.`

export async function runDistillLabel(opts: Options): Promise<string> {
  const task = loadTask(opts.task as string | undefined)
  const reports = texts(need(opts, 'in', 'a folder of <id>.txt reports'))
  const work = need(opts, 'out', 'a working folder for labels, records and the review list')
  const dialect = opts.dialect ?? 'vllm'
  if (dialect !== 'vllm' && dialect !== 'llama.cpp')
    throw new CliError(`--dialect: expected vllm or llama.cpp, got '${String(dialect)}'`)
  const teacher = await openBackend({
    backend: 'server',
    baseUrl: need(opts, 'server-url', 'the teacher endpoint, e.g. http://127.0.0.1:8000'),
    dialect,
    ...(typeof opts.model === 'string' ? { model: opts.model } : {}),
  })
  if (teacher.kind !== 'generative') throw new CliError('the teacher must be a generative model')
  mkdirSync(join(work, 'records'), { recursive: true })
  const store = join(work, 'labels.jsonl')
  const bars = progressGroup()
  // counted in fields: the teacher asks field by field
  const bar = bars.create('label', reports.length * task.fields.length, 'fields')
  let added: number
  try {
    added = await labelCorpus({
      task,
      teacher,
      reports,
      storePath: store,
      samples: int(opts, 'samples', 3, 1),
      concurrency: int(opts, 'concurrency', 4, 1),
      onProgress: (done) => bar.update(done),
      ...(opts.limit !== undefined ? { limit: int(opts, 'limit', 0, 1) } : {}),
    })
  } finally {
    bars.stop()
    await teacher.close()
  }
  const { records, review } = assembleAndScore(task, reports, await readLabels(store))
  for (const [id, record] of records)
    writeFileSync(join(work, 'records', `${id}.json`), `${JSON.stringify(record, null, 1)}\n`)
  writeFileSync(
    join(work, 'review.jsonl'),
    review.map((r) => JSON.stringify(r)).join('\n') + (review.length ? '\n' : ''),
  )
  const flagged = review.filter((r) => r.confidence < task.triageThreshold).length
  return `${added} new label(s); ${records.size} of ${reports.length} report(s) complete; ${flagged} label(s) below ${task.triageThreshold} at the top of ${join(work, 'review.jsonl')}`
}

export const distillReviewUsage = `radstruct distill review --task TASK --records DIR --corrections FILE.jsonl

Applies a reviewer's corrections ({"reportId", "field", "value", "reviewer"?, "reason"?} per line)
to the records in DIR, and appends them to DIR/corrections.applied.jsonl as the audit trail.`

export function runDistillReview(opts: Options): string {
  const task = loadTask(opts.task as string | undefined)
  const dir = need(opts, 'records', 'the folder of <id>.json records')
  const file = need(opts, 'corrections', 'a JSONL file of corrections')
  const corrections: Correction[] = readText(file)
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      let data: unknown
      try {
        data = JSON.parse(l)
      } catch {
        throw new CliError(`${file} line ${i + 1}: not valid JSON`)
      }
      const c = correctionSchema.safeParse(data)
      if (!c.success) {
        const issue = c.error.issues[0]
        throw new CliError(
          `${file} line ${i + 1}: ${issue?.path.join('.') || 'correction'}: ${issue?.message ?? 'invalid'} (expected {"reportId", "field", "value", "reviewer"?, "reason"?})`,
        )
      }
      return c.data
    })
  const records = new Map(
    [...jsonFilesById(dir)]
      .filter(([id]) => !id.startsWith('corrections'))
      .map(([id, path]) => [id, readRecord(task, path).record]),
  )
  const problems = applyCorrections(task, records, corrections)
  if (problems.length)
    throw new CliError(`${file}: nothing applied\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  for (const c of corrections)
    writeFileSync(
      join(dir, `${c.reportId}.json`),
      `${JSON.stringify(records.get(c.reportId), null, 1)}\n`,
    )
  const audit = join(dir, 'corrections.applied.jsonl')
  const previous = existsSync(audit) ? readFileSync(audit, 'utf8') : ''
  writeFileSync(
    audit,
    previous +
      corrections
        .map((c) => JSON.stringify({ ...c, appliedAt: new Date().toISOString() }))
        .join('\n') +
      '\n',
  )
  return `${corrections.length} correction(s) applied to ${new Set(corrections.map((c) => c.reportId)).size} record(s)`
}

export const distillExportUsage = `radstruct distill export --task TASK --in DIR [--records DIR] --out DIR [--validation 0.1] [--format chat|encoder]

Writes the supervised fine-tuning set in chat JSONL (OUT/train.jsonl, OUT/validation.jsonl): the
worker's exact prompt and the record as the student must write it, split by a hash of the id.
Records default to the <id>.json files beside the reports (synthetic gold); teacher labels
(distill label) and reviewed corrections (distill review) are records too. --format encoder writes
the encoder student's set instead (models/encoder/train.py): each report's tensors, with every
mention that states a labelled value marked.`

export function runDistillExport(opts: Options): string {
  const task = loadTask(opts.task as string | undefined)
  const inDir = need(opts, 'in', 'the folder of <id>.txt reports')
  const recordDir = typeof opts.records === 'string' ? opts.records : inDir
  const out = need(opts, 'out', 'a folder for train.jsonl and validation.jsonl')
  const share = opts.validation === undefined ? 0.1 : Number(opts.validation)
  if (!(share >= 0 && share < 1))
    throw new CliError(`--validation: expected a share in [0, 1), got '${String(opts.validation)}'`)
  const records = jsonFilesById(recordDir)
  const items = texts(inDir).flatMap((t) => {
    const path = records.get(t.id)
    return path ? [{ ...t, record: readRecord(task, path).record }] : []
  })
  if (items.length === 0)
    throw new CliError(`${recordDir}: no <id>.json record matches a report of ${inDir}`)
  const format = opts.format ?? 'chat'
  if (format !== 'chat' && format !== 'encoder')
    throw new CliError(`--format: expected chat or encoder, got '${String(format)}'`)
  mkdirSync(out, { recursive: true })
  if (format === 'encoder') {
    // the encoder's tensors and targets: a labelled value marks every mention that states it
    const train: string[] = []
    const validation: string[] = []
    for (const item of items)
      (idFraction(item.id) < share ? validation : train).push(
        encoderExample(task, { id: item.id, text: item.text, gold: item.record }),
      )
    const join2 = (xs: string[]) => xs.join('\n') + (xs.length ? '\n' : '')
    writeFileSync(join(out, 'train.jsonl'), join2(train))
    writeFileSync(join(out, 'validation.jsonl'), join2(validation))
    return `${train.length} training and ${validation.length} validation encoder example(s) -> ${out} (models/encoder/train.py --train ${join(out, 'train.jsonl')})`
  }
  const { train, validation } = splitExamples(task, items, share)
  const lines = (xs: unknown[]) =>
    xs.map((x) => JSON.stringify(x)).join('\n') + (xs.length ? '\n' : '')
  writeFileSync(join(out, 'train.jsonl'), lines(train))
  writeFileSync(join(out, 'validation.jsonl'), lines(validation))
  return `${train.length} training and ${validation.length} validation example(s) -> ${out}`
}

export const distillUnreadUsage = `radstruct distill unread --in DIR --out DIR [--kinds K,...] [--seed S]

Renders the labelled reports of DIR (NNN.txt + NNN.json) so that the reader cannot read them, one
folder per kind under --out, the gold unchanged: ${unreadKinds.join(', ')}.
They fit and test the coverage signals (calibrate --fit-from, eval): where the reading fails,
confidence must fall. Seeded per report: the same seed gives the same renderings.`

export function runDistillUnread(opts: Options): string {
  const input = need(opts, 'in', 'a folder of labelled reports (NNN.txt + NNN.json)')
  const out = need(opts, 'out', 'a folder for the renderings')
  const kinds = typeof opts.kinds === 'string' ? opts.kinds.split(',') : [...unreadKinds]
  for (const k of kinds)
    if (!(unreadKinds as readonly string[]).includes(k))
      throw new CliError(`--kinds: unknown kind '${k}'; expected ${unreadKinds.join(', ')}`)
  const seed = int(opts, 'seed', 1, 0)
  const reports = texts(input)
  let written = 0
  for (const kind of kinds as UnreadKind[]) {
    mkdirSync(join(out, kind), { recursive: true })
    for (const [i, r] of reports.entries()) {
      const goldPath = join(input, `${r.id}.json`)
      if (!existsSync(goldPath))
        throw new CliError(`${goldPath}: no gold record for report ${r.id}`)
      writeFileSync(join(out, kind, `${r.id}.txt`), renderUnread(kind, r.text, seed * 7919 + i))
      writeFileSync(join(out, kind, `${r.id}.json`), readFileSync(goldPath))
      written++
    }
  }
  return `${written} renderings of ${reports.length} reports (${kinds.join(', ')}) -> ${out}`
}
