import { describe, expect, it } from 'vitest'
import { describeFindings, screenReport } from '../../core/screen/deid.ts'
import { ids, sample } from '../helpers.ts'

describe('screenReport', () => {
  it('passes every shipped sample (their headers read [REDACTED])', () => {
    for (const [t, n] of [
      ['cmr52', 24],
      ['cxr14', 16],
      ['bonemets3', 12],
    ] as const) {
      for (const id of ids(n)) expect(screenReport(sample(t, id).text), `${t}/${id}`).toEqual([])
    }
  })

  it('finds each kind of identifier and names its line', () => {
    const text = [
      'CARDIAC MRI',
      'Patient: John Smith   MRN: 1234567',
      'DOB: 01/02/1960',
      'Call 020 7946 0958 or j.smith@example.org',
      'Lives at 12 Baker Street.',
      'LVEF 60 %.',
    ].join('\n')
    expect(screenReport(text)).toEqual([
      { kind: 'name', line: 2 },
      { kind: 'record_number', line: 2 },
      { kind: 'date_of_birth', line: 3 },
      { kind: 'phone', line: 4 },
      { kind: 'email', line: 4 },
      { kind: 'address', line: 5 },
    ])
  })

  it('describes findings without the identifiers', () => {
    const message = describeFindings(screenReport('Patient: John Smith\nLVEF 60 %'))
    expect(message).toBe('name on line 1')
    expect(message).not.toContain('Smith')
  })

  it('does not take measurements or descriptions for identifiers', () => {
    expect(
      screenReport('Re: 49-year-old man\nBP 118/74 mmHg, LVEDV 124 mL, 10.0-26.0 cm2'),
    ).toEqual([])
  })
})
