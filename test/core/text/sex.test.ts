import { describe, expect, it } from 'vitest'
import { inferSex } from '../../../core/text/sex.ts'

describe('inferSex', () => {
  it.each([
    ['Sex: Female    Age: 42 years', 'female'],
    ['Sex: M   Age [y]: 58', 'male'],
    ['This 63-year-old man has pulmonary hypertension', 'male'],
    ['Re: [REDACTED], 52-year-old woman. She reports', 'female'],
    ['Gender: F', 'female'],
    ['Patient 54 y M, referred for CMR', 'male'],
  ])('%j -> %s', (text, sex) => {
    expect(inferSex(text)).toBe(sex)
  })

  it('a Sex: line wins over pronouns about relatives', () => {
    expect(inferSex('Sex: F\nHer father and his brother had HCM; he died young.')).toBe('female')
  })

  it('returns undefined when the report does not say', () => {
    expect(inferSex('LVEDV 124 mL, LVEF 65 %.')).toBeUndefined()
  })
})

describe('inferSex, compact forms', () => {
  it.each([
    ['CMR 1.5T. 58M. Ht 181cm', 'male'],
    ['62F, palpitations', 'female'],
  ])('%j -> %s', (text, sex) => {
    expect(inferSex(text)).toBe(sex)
  })
})
