import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { screenReport } from '../../core/screen/deid.ts'
import { textOfBytes } from '../../core/text/charset.ts'
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

  it('codes beside their coding system, OIDs, bundle references and the HL7 message header are no identifiers', () => {
    const fhir =
      '{"coding": [{"system": "http://snomed.info/sct", "code": "233873004"}, {"system": "urn:oid:1.2.840.10008.2.16.4", "code": "H"}], "fullUrl": "urn:uuid:obs-cmr-000000017"}'
    expect(kinds(fhir)).toEqual([])
    const msh =
      'MSH|^~\\&|MR|HOSP|HIS|HOSP|20240312081500||ORU^R01|0000831245|P|2.5|||||DEU|8859/1\r'
    expect(kinds(msh)).toEqual([])
    // an identifier in a Patient resource is still one
    expect(
      kinds('{"identifier": [{"system": "urn:oid:2.16.840.1.113883.4.1", "value": "123-45-6789"}]}')
        .length,
    ).toBeGreaterThan(0)
  })

  it("an export's furniture is not a name: a header row after 'Name', a product line at the top", () => {
    expect(
      kinds(
        'Patient\t[REDACTED]\n\nName\tValue\tUnit\tNormal range\tDeviation\nLVEF\t61\t%\t57-77\t0.2\n',
      ),
    ).toEqual([])
    expect(kinds('CardioStat Analysis CSV,Version 4.2\nLVEF,61,%\n')).toEqual([])
    expect(kinds('Name\tJohn Smith\nLVEF\t61\t%\n')).toContain('name')
  })

  it('XML: a namespace is not a URL anyone visits', () => {
    expect(kinds('<?xml version="1.0"?><r xmlns="http://vendor.it/cmr/2"><EF>55</EF></r>')).toEqual(
      [],
    )
  })

  it('refuses none of the machine-format reports written by other hands', () => {
    // cmr52-formats-d/delimited/006 ("HeartSuite Analysis CSV" read as a name) is left to the
    // safe-list screen of its issue
    for (const corpus of [
      'cmr52-formats',
      'cmr52-formats-b',
      'cmr52-formats-c',
      'cmr52-formats-e',
    ]) {
      const dir = join(root, 'test', 'fixtures', corpus)
      for (const fam of readdirSync(dir).filter((f) => !f.includes('.') && f !== 'prose'))
        for (const f of readdirSync(join(dir, fam)).filter((x) => x.endsWith('.txt'))) {
          const bytes = textOfBytes(readFileSync(join(dir, fam, f)))
          expect(bytes.ok, `${corpus}/${fam}/${f}`).toBe(true)
          if (bytes.ok) expect(kinds(bytes.text), `${corpus}/${fam}/${f}`).toEqual([])
        }
    }
  })
})
