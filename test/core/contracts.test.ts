/**
 * The stored result and the result view, written once (core/contracts.ts): a result stored
 * before results had a version still reads, a newer one is refused by name, and the view the
 * edge serves, the view the CLI reads back and the export made from either agree.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  type Decision,
  readResultView,
  readStoredResult,
  resultView,
  STORED_RESULT_VERSION,
  viewOfStored,
} from '../../core/contracts.ts'
import { toExportRecord } from '../../core/export/record.ts'
import { root, task } from '../helpers.ts'

// written by `radstruct extract` at af606dd, before results carried a version
const v0 = readFileSync(join(root, 'test/fixtures/stored-results/v0-cmr52.json'), 'utf8')

const decision = (field: string, action: Decision['action'], newValue: unknown): Decision => ({
  id: `d-${field}`,
  field,
  reviewer: 'rev-1',
  action,
  oldValue: null,
  newValue,
  confidence: 0.4,
  reason: null,
  at: '2026-12-06T10:00:00.000Z',
})

describe('the stored result', () => {
  it('reads a result stored before results had a version, upgraded to this one', () => {
    expect(JSON.parse(v0).version).toBeUndefined()
    const r = readStoredResult(v0)
    expect(r.version).toBe(STORED_RESULT_VERSION)
    expect(r.task).toBe('cmr52')
    expect(r.flagged).toEqual(['LVEF', 'RAV'])
    expect(Object.values(r.values).filter((v) => typeof v === 'number').length).toBe(5)
    const spans = Object.values(r.evidence).filter((e) => e !== null)
    expect(spans.length).toBeGreaterThanOrEqual(5)
    for (const e of spans) expect(e.end).toBeGreaterThan(e.start)
    // coverage came with version 2: an older result has not assessed it (null), never "covered"
    expect(r.report.coverage).toBeNull()
  })

  it('reads a version 1 result as not assessed for coverage, and a version 2 one as stored', () => {
    const v1 = JSON.parse(v0)
    v1.version = 1
    expect(readStoredResult(JSON.stringify(v1)).report.coverage).toBeNull()
    const coverage = {
      confidence: 0.2,
      whole: true,
      reasons: [{ code: 'language-not-served', detail: 'language not served: sv', doubt: 0.95 }],
      language: 'sv',
      numbers: { used: 1, notRead: 0, unexplained: 0 },
      knownWords: 0.1,
    }
    const v2 = { ...v1, version: 2, report: { ...v1.report, coverage } }
    expect(readStoredResult(JSON.stringify(v2)).report.coverage).toEqual(coverage)
    const bad = {
      ...v2,
      report: { ...v2.report, coverage: { ...coverage, reasons: [{ code: 'x' }] } },
    }
    expect(() => readStoredResult(JSON.stringify(bad))).toThrow(/report\.coverage\.reasons/)
  })

  it('refuses a newer version, and names what is wrong with a broken one', () => {
    const newer = JSON.stringify({ ...JSON.parse(v0), version: STORED_RESULT_VERSION + 1 })
    expect(() => readStoredResult(newer)).toThrow(
      `version ${STORED_RESULT_VERSION + 1} is newer than this radstruct reads`,
    )
    expect(() => readStoredResult('{"task":')).toThrow('stored result: not JSON')
    const noValues = JSON.parse(v0)
    delete noValues.values
    expect(() => readStoredResult(JSON.stringify(noValues))).toThrow(/stored result: values:/)
    const badEvidence = { ...JSON.parse(v0), evidence: { LVEF: { start: 'x' } } }
    expect(() => readStoredResult(JSON.stringify(badEvidence))).toThrow(
      /stored result: evidence\.LVEF\.start/,
    )
  })
})

describe('the result view', () => {
  const stored = readStoredResult(v0)
  const head = { report: 'rpt_1', id: 'site-023', batch: 'bat_1', status: 'done' as const }

  it('merges the decisions once: a correction and a "not stated" win, an accept keeps the model', () => {
    const view = resultView(head, stored, [
      decision('LVEF', 'correct', 41),
      decision('RAV', 'not_stated', null),
      decision('LVEDV', 'accept', stored.values.LVEDV),
    ])
    expect(view.final?.LVEF).toMatchObject({ value: 41, source: 'reviewer', reviewer: 'rev-1' })
    expect(view.final?.RAV).toMatchObject({ value: null, source: 'reviewer' })
    expect(view.final?.LVEDV).toEqual({ value: stored.values.LVEDV, source: 'model' })
    // the routing fields are the view's own, not the result's
    expect(view.result).not.toHaveProperty('site')
    expect(view.result).not.toHaveProperty('reportId')
    // a report not done shows no result, whatever is passed
    expect(resultView({ ...head, status: 'queued' }, stored)).toEqual({ ...head, status: 'queued' })
  })

  it('reads back from the API unchanged, and exports the same as it was served', () => {
    const served = resultView(head, stored, [decision('LVEF', 'correct', 41)])
    const back = readResultView(JSON.parse(JSON.stringify(served)))
    expect(back).toEqual(served)
    const cmr = task('cmr52')
    const rec = toExportRecord(cmr, back)
    expect(rec).toEqual(toExportRecord(cmr, served))
    expect(rec.id).toBe('site-023')
    expect(rec.fields.LVEF).toMatchObject({ value: 41, source: 'reviewer', flagged: true })
    expect(rec.fields.LVEF?.evidence).toEqual(stored.evidence.LVEF)
    // a local result file exports as the model's values
    const local = toExportRecord(cmr, viewOfStored(stored))
    expect(local.id).toBe('023')
    expect(local.fields.LVEF?.value).toBe(stored.values.LVEF)
    expect(() => readResultView({ ...served, status: 'lost' })).toThrow(/result view: status/)
  })
})
