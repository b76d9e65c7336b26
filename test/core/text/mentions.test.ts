import { describe, expect, it } from 'vitest'
import { lexiconLabels } from '../../../core/evaluation/lexicon-attribution.ts'
import { scopeMentions } from '../../../core/text/mentions.ts'
import { task } from '../../helpers.ts'

const cxr = task('cxr14')
/** The labels the rules set in `text`, nulls left out. */
const read = (text: string) =>
  Object.fromEntries(Object.entries(lexiconLabels(cxr, text)).filter(([, v]) => v !== null))

describe('mentions with scope', () => {
  it.each([
    // organ words read by the state word near them
    ['Heart size is mildly enlarged.', 'Cardiomegaly', 'positive'],
    ['The heart is normal in size.', 'Cardiomegaly', 'negative'],
    ['The heart is not enlarged.', 'Cardiomegaly', 'negative'],
    ['Heart size is upper limits of normal.', 'Cardiomegaly', 'negative'],
    ['The heart is possibly enlarged.', 'Cardiomegaly', 'uncertain'],
    ['The costophrenic angles are blunted.', 'Pleural Effusion', 'positive'],
    [
      'The cardiomediastinal silhouette is within normal limits.',
      'Enlarged Cardiomediastinum',
      'negative',
    ],
    // chronic findings are findings
    ['Old healed right rib fractures.', 'Fracture', 'positive'],
    ['Calcified nodule in the right upper lobe.', 'Lung Lesion', 'positive'],
    // a device whose name the de-identification replaced
    ['Right chest XXXX with tip at the cavoatrial junction.', 'Support Devices', 'positive'],
    // hedges of every strength, before and after
    ['Findings may represent early pneumonia.', 'Pneumonia', 'uncertain'],
    ['Small left effusion cannot be excluded.', 'Pleural Effusion', 'uncertain'],
    ['Pneumothorax is not entirely excluded.', 'Pneumothorax', 'uncertain'],
    // comparison words
    ['Interval resolution of the left basilar atelectasis.', 'Atelectasis', 'negative'],
    ['The right pleural effusion has resolved.', 'Pleural Effusion', 'negative'],
    ['No change in the small right effusion.', 'Pleural Effusion', 'positive'],
    ['Decreased left lower lobe consolidation.', 'Consolidation', 'positive'],
    // other languages
    ['Kein Nachweis von Pleuraerguss.', 'Pleural Effusion', 'negative'],
    ['Epanchement pleural droit.', 'Pleural Effusion', 'positive'],
  ])('%j: %s is %s', (text, label, status) => {
    expect(read(text)[label]).toBe(status)
  })

  it('a numbered impression line is its own sentence: a negation above does not reach it', () => {
    const r = read('IMPRESSION:\n1. No acute cardiopulmonary process\n2. Mild cardiomegaly')
    expect(r.Cardiomegaly).toBe('positive')
  })

  it('a wrapped line goes on: the negation reaches the finding on the next line', () => {
    expect(read('There is no\npleural effusion.')['Pleural Effusion']).toBe('negative')
  })

  it('the nearest cue wins, and "but" ends a negation', () => {
    const r = read('No pneumothorax, possible small effusion. No consolidation but atelectasis.')
    expect(r.Pneumothorax).toBe('negative')
    expect(r['Pleural Effusion']).toBe('uncertain')
    expect(r.Consolidation).toBe('negative')
    expect(r.Atelectasis).toBe('positive')
  })

  it('a cue inside a longer cue is not a cue of its own ("not" in "not excluded")', () => {
    const r = read('Pneumothorax is not excluded, effusion is present.')
    expect(r.Pneumothorax).toBe('uncertain')
    expect(r['Pleural Effusion']).toBe('positive')
  })

  it('questions and hypotheses state nothing', () => {
    const text =
      'INDICATION: Evaluate for pneumonia.\nFINDINGS: CT is recommended to exclude a mass.'
    expect(read(text)).toEqual({ 'No Finding': 'positive' })
  })

  it('No Finding follows the convention: devices do not block it, a chronic finding does', () => {
    expect(read('Left-sided pacemaker. The lungs are clear.')['No Finding']).toBe('positive')
    expect(read('Healed left rib fracture. The lungs are clear.')['No Finding']).toBeUndefined()
  })

  it('an alias inside a phrase that names something else is no mention', () => {
    const r = read('Kerley B lines. Skin fold lines project over the right apex. No bone lesion.')
    expect(r['Support Devices']).toBeUndefined()
    expect(r['Lung Lesion']).toBeUndefined()
    expect(r.Edema).toBe('positive')
    // the device's own words still count beside them
    expect(read('Kerley B lines. Right IJ line tip in the SVC.')['Support Devices']).toBe(
      'positive',
    )
  })

  it('a finding asked about ("Fracture?") states nothing, and the next sentence is its own', () => {
    const r = read('Fracture? No pneumothorax.')
    expect(r.Fracture).toBeUndefined()
    expect(r.Pneumothorax).toBe('negative')
  })

  it('a line wrapped after a comma or a function word goes on, capitals or not', () => {
    const r = read(
      'Kein Nachweis von Herzvergrößerung,\nKonsolidation oder Erguss. Kein Nachweis von\nPneumothorax.',
    )
    expect(r.Consolidation).toBe('negative')
    expect(r.Pneumothorax).toBe('negative')
    // a terse line without punctuation still ends its sentence
    expect(read('No effusion\nCardiomegaly').Cardiomegaly).toBe('positive')
  })

  it.each([
    ['Previously described PTX is no longer visualized.', 'Pneumothorax', 'negative'],
    ['The right basilar opacity has cleared.', 'Lung Opacity', 'negative'],
    ['Suggestion of a small left effusion.', 'Pleural Effusion', 'uncertain'],
    ['Aspect évocateur de épanchement pleural.', 'Pleural Effusion', 'uncertain'],
    ['No se descarta neumonía.', 'Pneumonia', 'uncertain'],
    ['Non si esclude polmonite.', 'Pneumonia', 'uncertain'],
    ['A considerar derrame pleural.', 'Pleural Effusion', 'uncertain'],
    ['Differentiaal diagnostisch longontsteking.', 'Pneumonia', 'uncertain'],
  ])('%j: %s is %s', (text, label, status) => {
    expect(read(text)[label]).toBe(status)
  })

  it('a history or a follow-up reason states nothing', () => {
    expect(read('History of nodule. Follow-up of effusion. Lungs are clear.')).toEqual({
      'No Finding': 'positive',
    })
  })

  it('spans cover the organ word and its state word, in the original text', () => {
    const text = 'Findings: Heart size is mildly enlarged.'
    const m = scopeMentions(cxr, text).mentions[0]
    expect(m && text.slice(m.start, m.end)).toBe('Heart size is mildly enlarged')
  })
})

describe('vocabulary', () => {
  it("names every finding the corpus writes in each language other than English (the languages' own words)", async () => {
    const { other } = await import('../../../distill/synth/cxr.ts')
    const missing: string[] = []
    for (const [lang, lg] of Object.entries(other))
      for (const [label, nouns] of Object.entries(lg.nouns))
        for (const n of nouns ?? [])
          if (read(`${n}.`)[label] !== 'positive') missing.push(`${lang} ${label}: ${n}`)
    expect(missing).toEqual([])
  })
})
