import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { negbioGold } from '../../cli/commands/eval-real.ts'
import { runCli } from '../helpers.ts'

/** Two invented reports, their results and both kinds of gold in a temporary folder. */
function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eval-real-'))
  writeFileSync(
    join(dir, 'reports.ndjson'),
    [
      { id: 'iu0004', text: 'FINDINGS: Mild cardiomegaly. No effusion.' },
      { id: 'iu0008', text: 'FINDINGS: Lungs clear. Heart normal.' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  )
  mkdirSync(join(dir, 'pred'))
  const result = (values: Record<string, string | null>, c: number) => ({
    values,
    confidence: Object.fromEntries(Object.keys(values).map((k) => [k, c])),
  })
  writeFileSync(
    join(dir, 'pred', 'iu0004.json'),
    JSON.stringify(result({ Cardiomegaly: 'positive', 'Pleural Effusion': 'negative' }, 0.95)),
  )
  writeFileSync(
    join(dir, 'pred', 'iu0008.json'),
    JSON.stringify(result({ Cardiomegaly: 'negative', 'No Finding': 'positive' }, 0.9)),
  )
  writeFileSync(
    join(dir, 'mesh.json'),
    JSON.stringify({
      iu0004: { Cardiomegaly: true, 'Pleural Effusion': false, 'No Finding': false },
      iu0008: { Cardiomegaly: false, 'No Finding': null },
    }),
  )
  writeFileSync(
    join(dir, 'negbio.csv'),
    'filename,Atelectasis,Cardiomegaly,Effusion,Mass,Nodule,normal\r\nCXR4,0,1,0,0,0,0\r\nCXR8,0,0,0,0,1,1\r\n',
  )
  return dir
}

describe('radstruct eval-real', () => {
  it('reads NegBio labels under the report ids, a mass or a nodule as a lung lesion', () => {
    const g = negbioGold('filename,Cardiomegaly,Mass,Nodule,normal\nCXR12,1,0,1,0\n')
    expect(g.get('iu0012')).toMatchObject({
      Cardiomegaly: true,
      'Lung Lesion': true,
      'No Finding': false,
    })
  })

  it('prints per-label F1 with false positives and negatives, sure errors and error kinds for both golds', async () => {
    const dir = fixture()
    const r = await runCli(
      'eval-real',
      '--task',
      'cxr14',
      '--reports',
      join(dir, 'reports.ndjson'),
      '--pred',
      join(dir, 'pred'),
      '--mesh',
      join(dir, 'mesh.json'),
      '--negbio',
      join(dir, 'negbio.csv'),
    )
    expect(r.code).toBe(0)
    expect(r.out).toContain('== MeSH gold: 2 reports')
    expect(r.out).toContain('== NegBio gold: 2 reports')
    expect(r.out).toMatch(/Cardiomegaly\s+1\.000\s+1\s+0\s+0/)
    // NegBio: the second report is normal with a nodule the result missed
    expect(r.out).toMatch(/Lung Lesion\s+0\.000\s+0\s+0\s+1/)
    expect(r.out).toContain('errors at confidence >= 0.7: 0 of 4 (0.00 %)')
    expect(r.out).toContain('FN Lung Lesion: no mention')
    // never a word of the reports
    expect(r.out).not.toContain('Lungs clear')
  })

  it('without a gold it says what to give', async () => {
    const dir = fixture()
    const r = await runCli(
      'eval-real',
      '--task',
      'cxr14',
      '--reports',
      join(dir, 'reports.ndjson'),
      '--pred',
      join(dir, 'pred'),
    )
    expect(r.code).toBe(2)
    expect(r.err).toContain('--mesh FILE, --negbio FILE or both')
  })
})
