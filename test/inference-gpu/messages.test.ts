import { describe, expect, it } from 'vitest'
import { dropOrigin } from '../../inference-gpu/messages.ts'

describe('dropOrigin', () => {
  it('names the batch after the file', () => {
    expect(dropOrigin('drop/site-a/2024/upload 1.ndjson', 'drop/')).toEqual({
      site: 'site-a',
      batch: '2024_upload_1',
      file: 'drop/site-a/2024/upload 1.ndjson',
    })
  })

  it('withholds a file name that holds an identifier: batch and file go by its digest', () => {
    const o = dropOrigin('drop/site-a/SMITH_JOHN_mrn1234567.ndjson', 'drop/')
    expect(o?.withheld).toEqual(expect.arrayContaining(['name', 'record_number']))
    expect(o?.batch).toMatch(/^withheld-[0-9a-f]{16}$/)
    expect(JSON.stringify(o)).not.toMatch(/SMITH|1234567/)
    // the same file gets the same batch, so a re-registration finds it
    expect(dropOrigin('drop/site-a/SMITH_JOHN_mrn1234567.ndjson', 'drop/')?.batch).toBe(o?.batch)
  })

  it('ignores keys outside the drop folder', () => {
    expect(dropOrigin('other/site-a/x.ndjson', 'drop/')).toBeUndefined()
    expect(dropOrigin('drop/site-a', 'drop/')).toBeUndefined()
  })
})
