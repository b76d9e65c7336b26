import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatRecord, studentPrompt } from '../../core/prompt.ts'
import { idFraction, splitExamples } from '../../distill/export.ts'
import { majority } from '../../distill/label.ts'
import { generateCorpus } from '../../distill/synth/index.ts'
import { runCli, sample, task } from '../helpers.ts'
import { startLlamaServer } from '../llama-server.ts'

const cmr = task('cmr52')
const tmp = () => mkdtempSync(join(tmpdir(), 'radstruct-distill-'))

const run = runCli

describe('the student answer format and the fine-tuning set', () => {
  it('writes every field in task order without whitespace, and reads back unchanged', () => {
    for (const c of generateCorpus(cmr, { count: 50, seed: 3 })) {
      const text = formatRecord(cmr, c.gold)
      expect(text).not.toMatch(/\s/)
      expect(JSON.parse(text)).toEqual(c.gold)
      expect(Object.keys(JSON.parse(text))).toEqual(cmr.fields.map((f) => f.key))
    }
  })

  it('splits train/validation by a hash of the id: stable, and near the asked share', () => {
    const items = generateCorpus(cmr, { count: 400, seed: 5 }).map((c) => ({
      id: c.id,
      text: c.text,
      record: c.gold,
    }))
    const a = splitExamples(cmr, items, 0.1)
    const b = splitExamples(cmr, items.slice(0, 200), 0.1)
    expect(a.validation.length / items.length).toBeGreaterThan(0.05)
    expect(a.validation.length / items.length).toBeLessThan(0.15)
    for (const ex of b.validation) expect(a.validation.map((x) => x.id)).toContain(ex.id)
    expect(idFraction('x')).toBe(idFraction('x'))
  })

  it('distill synth then export writes chat JSONL with the worker prompt', async () => {
    const corpus = tmp()
    const out = tmp()
    expect(
      (
        await run(
          'distill',
          'synth',
          '--task',
          'cmr52',
          '--out',
          corpus,
          '--count',
          '30',
          '--seed',
          '9',
        )
      ).code,
    ).toBe(0)
    expect(readdirSync(corpus)).toHaveLength(60)
    const r = await run('distill', 'export', '--task', 'cmr52', '--in', corpus, '--out', out)
    expect(r.code, r.err).toBe(0)
    const lines = [
      ...readFileSync(join(out, 'train.jsonl'), 'utf8').trim().split('\n'),
      ...readFileSync(join(out, 'validation.jsonl'), 'utf8').trim().split('\n'),
    ].filter(Boolean)
    expect(lines).toHaveLength(30)
    const ex = JSON.parse(lines[0] as string)
    const text = readFileSync(join(corpus, `${ex.id}.txt`), 'utf8')
    expect(ex.messages[0]).toEqual({ role: 'user', content: studentPrompt(cmr, text) })
    expect(JSON.parse(ex.messages[1].content)).toEqual(
      JSON.parse(readFileSync(join(corpus, `${ex.id}.json`), 'utf8')),
    )
    // the encoder's set from the same records: each labelled value marks the mentions stating it
    const enc = join(tmp(), 'enc')
    const e = await run(
      'distill',
      'export',
      '--task',
      'cmr52',
      '--in',
      corpus,
      '--out',
      enc,
      '--format',
      'encoder',
    )
    expect(e.code, e.err).toBe(0)
    const rows = [
      ...readFileSync(join(enc, 'train.jsonl'), 'utf8').trim().split('\n'),
      ...readFileSync(join(enc, 'validation.jsonl'), 'utf8').trim().split('\n'),
    ].filter(Boolean)
    expect(rows).toHaveLength(30)
    const row = JSON.parse(rows[0] as string)
    const gold = JSON.parse(readFileSync(join(corpus, `${row.id}.json`), 'utf8'))
    const numberKeys = cmr.fields.filter((f) => f.kind === 'number').map((f) => f.key)
    expect(row.targets).toHaveLength(numberKeys.length)
    for (const [i, k] of numberKeys.entries()) {
      if (gold[k] === null) expect(row.targets[i]).toEqual([])
      else expect(row.targets[i]?.length, k).toBeGreaterThan(0)
    }
    expect(row.ids).toHaveLength(row.batch * row.length * 7)
  })
})

describe('the word tasks: corpus to training set', () => {
  it('writes cxr14 and bonemets3 corpora with gold, and encoder sets with a status per label or a group', async () => {
    for (const t of ['cxr14', 'bonemets3']) {
      const corpus = join(tmp(), 'corpus')
      const s = await run(
        'distill',
        'synth',
        '--task',
        t,
        '--out',
        corpus,
        '--count',
        '20',
        '--only',
        'terse',
      )
      expect(s.code, s.err).toBe(0)
      const enc = join(tmp(), 'enc')
      const e = await run(
        'distill',
        'export',
        '--task',
        t,
        '--in',
        corpus,
        '--out',
        enc,
        '--format',
        'encoder',
        '--validation',
        '0',
      )
      expect(e.code, e.err).toBe(0)
      const rows = readFileSync(join(enc, 'train.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      expect(rows).toHaveLength(20)
      const tk = task(t)
      for (const row of rows) {
        const gold = JSON.parse(readFileSync(join(corpus, `${row.id}.json`), 'utf8'))
        expect(row.families).toEqual([])
        expect(row.tokenFeatures).toHaveLength(row.batch * row.length * 7)
        if (t === 'cxr14') {
          const labels = tk.fields.map((f) => f.key)
          expect(row.labelTargets).toEqual(
            labels.map((k) => [null, 'positive', 'negative', 'uncertain'].indexOf(gold[k])),
          )
        } else expect(row.category).toBe(gold.group)
      }
    }
  })
})

describe('teacher labelling against llama-server', () => {
  let server: { baseUrl: string; stop: () => void }
  beforeAll(async () => {
    server = await startLlamaServer()
  }, 90_000)
  afterAll(() => server?.stop())

  it('labels field by field, resumes after a stop without relabelling, and writes records and a review list', async () => {
    const input = tmp()
    const work = tmp()
    for (const id of ['003', '007'])
      writeFileSync(join(input, `${id}.txt`), sample('cxr14', id).text)
    const args = [
      'distill',
      'label',
      '--task',
      'cxr14',
      '--in',
      input,
      '--out',
      work,
      '--server-url',
      server.baseUrl,
      '--dialect',
      'llama.cpp',
      '--concurrency',
      '1',
    ]
    const first = await run(...args, '--limit', '5')
    expect(first.code, first.err).toBe(0)
    expect(first.out).toContain('5 new label(s); 0 of 2 report(s) complete')
    const second = await run(...args)
    expect(second.out).toContain('23 new label(s); 2 of 2 report(s) complete')
    const labels = readFileSync(join(work, 'labels.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(labels).toHaveLength(28)
    expect(new Set(labels.map((l) => `${l.reportId}/${l.field}`)).size).toBe(28)
    for (const l of labels) expect(l.samples).toHaveLength(3)
    expect(readdirSync(join(work, 'records')).sort()).toEqual(['003.json', '007.json'])
    const review = readFileSync(join(work, 'review.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(review).toHaveLength(28)
    for (let i = 1; i < review.length; i++)
      expect(review[i].confidence).toBeGreaterThanOrEqual(review[i - 1].confidence)

    // a reviewer's corrections land in the records, with an audit trail
    const corrections = join(work, 'corrections.jsonl')
    writeFileSync(
      corrections,
      `${JSON.stringify({ reportId: '003', field: 'Pneumothorax', value: 'negative', reviewer: 'r1', reason: 'stated' })}\n`,
    )
    const reviewed = await run(
      'distill',
      'review',
      '--task',
      'cxr14',
      '--records',
      join(work, 'records'),
      '--corrections',
      corrections,
    )
    expect(reviewed.code, reviewed.err).toBe(0)
    expect(JSON.parse(readFileSync(join(work, 'records', '003.json'), 'utf8')).Pneumothorax).toBe(
      'negative',
    )
    expect(readFileSync(join(work, 'records', 'corrections.applied.jsonl'), 'utf8')).toContain(
      '"reviewer":"r1"',
    )
    writeFileSync(
      corrections,
      `${JSON.stringify({ reportId: '003', field: 'Pneumothoraxx', value: 'negative' })}\n`,
    )
    const bad = await run(
      'distill',
      'review',
      '--task',
      'cxr14',
      '--records',
      join(work, 'records'),
      '--corrections',
      corrections,
    )
    expect(bad.code).toBe(2)
    expect(bad.err).toContain("correction 1: 'Pneumothoraxx' is not a field of cxr14")
  }, 120_000)

  it('keeps the majority of the samples', () => {
    expect(majority([1, 2, 2])).toBe(2)
    expect(majority(['invalid', 'invalid', 5])).toBe(5)
    expect(majority(['invalid'])).toBeNull()
  })
})
