import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { screenReport } from '../../core/screen/deid.ts'
import { root } from '../helpers.ts'

const kinds = (text: string) => screenReport(text).map((f) => f.kind)

describe('the screen reads the structure of machine formats', () => {
  const msg = (pid5: string) =>
    [
      'MSH|^~\\&|CVIS|HOSP|RIS|HOSP|||ORU^R01|M1|P|2.5',
      `PID|1||XXXXXXXX^^^HIS^MR||${pid5}`,
      'OBR|1|||CMR^Cardiac MRI^L',
      'OBX|1|NM|HT^Height^99CMR||176|cm^centimeter^UCUM|||||F',
      'OBX|2|NM|LVEF^LV ejection fraction^LN||55|%|50-78|N|||F',
    ].join('\r')

  it('HL7: codes and units in OBX are not names; a name in PID-5 is', () => {
    expect(kinds(msg('XXXXX^XXXXX'))).toEqual([])
    expect(kinds(msg('SMITH^JOHN^Q'))).toContain('name')
  })

  it('FHIR: code-system addresses and bundle references are safe; a personal URL is not', () => {
    const obs = (system: string) =>
      JSON.stringify({
        resourceType: 'Bundle',
        entry: [
          {
            fullUrl: 'urn:uuid:6f1c2a3e-1d2b-4c5d-8e9f-0a1b2c3d4e5f',
            resource: {
              resourceType: 'Observation',
              code: { coding: [{ system, code: '10230-1' }] },
              valueQuantity: { value: 55, unit: '%', system: 'http://unitsofmeasure.org' },
            },
          },
        ],
      })
    expect(kinds(obs('http://loinc.org'))).toEqual([])
    expect(kinds(obs('http://www.facebook.com/john.smith.1970'))).toContain('url')
  })

  it('XML: a namespace is not a URL anyone visits', () => {
    expect(kinds('<?xml version="1.0"?><r xmlns="http://vendor.it/cmr/2"><EF>55</EF></r>')).toEqual(
      [],
    )
  })

  it('refuses none of the machine-format reports written by other hands', () => {
    for (const corpus of ['cmr52-formats', 'cmr52-formats-b']) {
      const dir = join(root, 'test', 'fixtures', corpus)
      for (const fam of readdirSync(dir).filter((f) => !f.includes('.') && f !== 'prose'))
        for (const f of readdirSync(join(dir, fam)).filter((x) => x.endsWith('.txt')))
          expect(kinds(readFileSync(join(dir, fam, f), 'utf8')), `${corpus}/${fam}/${f}`).toEqual(
            [],
          )
    }
  })
})
