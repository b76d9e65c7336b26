import { describe, expect, it } from 'vitest'
import { groundCategory } from '../../../core/scoring/grounding-words.ts'
import { readCategory, settleByReading } from '../../../core/text/category-reading.ts'
import type { CategoryField } from '../../../schemas/index.ts'
import { task } from '../../helpers.ts'

const bone = task('bonemets3')
const group = bone.fields[0] as CategoryField
const read = (diagnosis: string, indication = 'Restaging.') =>
  readCategory(bone, group, `INDICATION: ${indication}\n\nDIAGNOSIS: ${diagnosis}`)?.value

describe('bone metastasis group read from scoped mentions', () => {
  it.each([
    ['Stable bone metastases.', 2],
    ['Osseous metastatic disease, stable.', 2],
    ['No progression of the bone metastases.', 2],
    ['No evidence of progression of the skeletal metastases.', 2],
    ['Growing lytic lesion in L3.', 1],
    ['New sclerotic lesions in T8 and the sacrum, consistent with metastases.', 1],
    ['No bone metastases.', 0],
    ['No new or progressive bone lesion; no evidence of metastatic bone disease.', 0],
    // another site's metastases, and a normal bone beside them
    ['New brain metastases; the calvarium is normal.', 0],
    ['Enlarging liver metastases. No bone lesion.', 0],
    // a benign bone lesion is not a metastasis
    ['A new 4 mm sclerotic focus in L2, most likely a bone island.', 0],
    // progression wins over the lesions that are unchanged
    ['The known metastases are stable, but a new lesion has appeared.', 1],
    // a flare is not progression, even with "increased"
    ['Increased sclerosis of the known bone metastases without new lesions, a flare response.', 2],
    // a phrase that says the skeleton is free without naming metastases
    ['New brain metastasis in the left frontal lobe. Skull intact.', 0],
    ['Hepatic metastases have grown. The osseous structures are unremarkable.', 0],
    [
      'Osseous metastases show interval sclerosis without new lesions, in keeping with treated disease.',
      2,
    ],
    ['Kein Nachweis ossärer Metastasen.', 0],
    ['Progrediente ossäre Metastasierung.', 1],
    ['Métastases osseuses stables.', 2],
  ])('%j is group %i', (text, value) => {
    expect(read(text)).toBe(value)
  })

  it('a skeleton said to be free decides like a negation', () => {
    const r = readCategory(bone, group, 'DIAGNOSIS: New brain metastasis. Skull intact.')
    expect(r).toMatchObject({ value: 0, strength: 2 })
  })

  it('the indication counts below the diagnosis, and alone when the diagnosis says nothing', () => {
    expect(read('No bone metastases.', 'Known bone metastases.')).toBe(0)
    expect(read('No new bone lesion.', 'Known osseous metastases.')).toBe(2)
    expect(read('Unremarkable study.', 'Known bone metastases.')).toBe(2)
    expect(read('Unremarkable study.', 'Exclude bone metastases.')).toBe(0)
    expect(read('Unremarkable study.', 'Breast cancer.')).toBe(0)
  })

  it('grounds the model: agreement scores 1 with the clause, an explicit contradiction low', () => {
    const text = 'DIAGNOSIS: Stable bone metastases.'
    const agree = groundCategory(group, 2, text, bone)
    expect(agree?.score).toBe(1)
    expect(agree?.span && text.slice(agree.span.start, agree.span.end)).toContain('Stable bone')
    expect(groundCategory(group, 0, text, bone)?.score).toBeLessThan(0.2)
  })
})

describe('settleByReading', () => {
  it('the shipped bonemets3 task lets an explicit reading decide', () => {
    expect(group.reading?.decides).toBe('explicit')
  })
  const deciding = {
    ...bone,
    fields: [
      {
        ...group,
        reading: {
          ...(group.reading as NonNullable<CategoryField['reading']>),
          decides: 'explicit' as const,
        },
      },
    ],
  }
  const text = 'DIAGNOSIS: Growing lytic lesion in L3.'
  it('an explicit reading overrides the model and keeps its probability of that value', () => {
    const r = {
      values: { group: 2 },
      probability: { group: 0.9 },
      choices: { group: { '0': 0.02, '1': 0.08, '2': 0.9 } },
    }
    expect(settleByReading(deciding, text, r)).toEqual(['group'])
    expect(r.values.group).toBe(1)
    expect(r.probability.group).toBe(0.08)
  })
  it('a bare mention, or a task whose reading only grounds, changes nothing', () => {
    const r = { values: { group: 1 }, probability: { group: 0.9 } }
    expect(settleByReading(deciding, 'DIAGNOSIS: Bone metastases in L3.', r)).toEqual([])
    const reading = group.reading as NonNullable<CategoryField['reading']>
    const grounding = {
      ...bone,
      fields: [{ ...group, reading: { ...reading, decides: 'never' as const } }],
    }
    expect(
      settleByReading(grounding, text, { values: { group: 2 }, probability: { group: 0.9 } }),
    ).toEqual([])
    expect(r.values.group).toBe(1)
  })
})
