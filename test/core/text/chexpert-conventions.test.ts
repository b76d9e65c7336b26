import { describe, expect, it } from 'vitest'
import { lexiconLabels } from '../../../core/evaluation/lexicon-attribution.ts'
import { oneEditApart, scopeMentions } from '../../../core/text/mentions.ts'
import { task } from '../../helpers.ts'

// Sentences written for these tests (none from any real collection): each shows one convention
// the cxr14 reader follows, by CheXpert's public labeller where the conventions differ.
const cxr = task('cxr14')
const read = (text: string) => lexiconLabels(cxr, text)
/** The labels the rules set, nulls left out. */
const stated = (text: string) =>
  Object.fromEntries(Object.entries(read(text)).filter(([, v]) => v !== null))

describe('negation cues before and after a finding', () => {
  it.each([
    ['No visible pleural fluid on either side.', 'Pleural Effusion'],
    ['There is no visible pneumothorax.', 'Pneumothorax'],
    ['Both lungs are free of consolidation.', 'Consolidation'],
    ['The right base is clear of atelectasis.', 'Atelectasis'],
    ['Study negative for pneumothorax.', 'Pneumothorax'],
    ['Lungs expanded without effusion.', 'Pleural Effusion'],
    ['The left lower lobe pneumonia has resolved.', 'Pneumonia'],
    ['The hila are normal in size and density; no edema.', 'Edema'],
  ])('%j: %s is negative', (text, label) => {
    expect(read(text)[label]).toBe('negative')
  })

  it('"no visible" is no longer only a cue after its finding: it still negates one before it', () => {
    expect(read('Pneumothorax no visible on the lateral view.').Pneumothorax).toBe('negative')
  })
})

describe('uncertainty by CheXpert convention', () => {
  it.each([
    ['Patchy basilar opacity which may represent early pneumonia.', 'Pneumonia', 'uncertain'],
    ['Cannot exclude a tiny apical pneumothorax.', 'Pneumothorax', 'uncertain'],
    ['Borderline cardiomegaly.', 'Cardiomegaly', 'uncertain'],
    ['The heart size is borderline enlarged.', 'Cardiomegaly', 'uncertain'],
    ['Appearance suggest subsegmental atelectasis.', 'Atelectasis', 'uncertain'],
    // the upper limit of normal is normal (CheXpert's negation patterns), not a hedge
    ['The cardiac silhouette is at the upper limits of normal.', 'Cardiomegaly', 'negative'],
    ['Heart size upper normal, lungs clear.', 'Cardiomegaly', 'negative'],
  ])('%j: %s is %s', (text, label, status) => {
    expect(read(text)[label]).toBe(status)
  })

  it('a cue after a state word belongs to the next clause', () => {
    const r = read('Heart size is enlarged, vascular markings within normal limits.')
    expect(r.Cardiomegaly).toBe('positive')
  })

  it('a disclaimer about what the film may miss states nothing', () => {
    const r = read('Subtle rib fractures may not be demonstrated on a chest film.')
    expect(r.Fracture).toBeNull()
    expect(read('Should there be concern for fracture, a rib series is advised.').Fracture).toBe(
      'uncertain',
    )
    expect(read('If there is concern for fracture, obtain rib views.').Fracture).toBeNull()
  })

  it('"no X to suggest Y" negates Y', () => {
    expect(read('No pleural line to suggest a pneumothorax.').Pneumothorax).toBe('negative')
  })
})

describe('what each label covers', () => {
  it('a granuloma is no lung lesion, a nodule is', () => {
    expect(read('Several calcified granulomas in the left apex.')['Lung Lesion']).toBeNull()
    expect(read('Old granulomatous disease.')['Lung Lesion']).toBeNull()
    expect(read('Small nodule in the right apex.')['Lung Lesion']).toBe('positive')
  })

  it('clips, sternotomy wires and stents are no support devices; catheters and pacer wires are', () => {
    for (const text of [
      'Median sternotomy wires are intact.',
      'Surgical clips in the right axilla.',
      'Coronary stent noted.',
    ])
      expect(read(text)['Support Devices'], text).toBeNull()
    expect(read('Epicardial pacing wires remain.')['Support Devices']).toBe('positive')
    expect(read('Port catheter with its tip in the SVC.')['Support Devices']).toBe('positive')
    expect(read('A lead apron covers the pelvis.')['Support Devices']).toBeNull()
  })

  it('a pericardial or joint effusion is no pleural effusion; a bony lesion no lung lesion', () => {
    expect(read('Possible small pericardial effusion.')['Pleural Effusion']).toBeNull()
    expect(read('Lucent lesion in the left humeral head.')['Lung Lesion']).toBeNull()
  })
})

describe('No Finding by convention', () => {
  it.each([
    'Mild thoracic scoliosis. Lungs are clear.',
    'Degenerative changes in the spine. Lungs clear.',
    'Scattered calcified granulomas. No acute process.',
    'Small hiatal hernia. Otherwise normal chest.',
    'Lungs are hyperexpanded but clear.',
    'Low lung volumes, no focal consolidation.',
    'Calcifeid aortic knob. Lungs clear.', // a typo of a finding outside the labels
  ])('%j: a finding outside the labels leaves No Finding unset', (text) => {
    expect(read(text)['No Finding']).toBeNull()
  })

  it('negated, asked about or device-only, it stays positive', () => {
    expect(read('No scoliosis. Lungs clear.')['No Finding']).toBe('positive')
    expect(read('INDICATION: history of emphysema.\nFINDINGS: Lungs clear.')['No Finding']).toBe(
      'positive',
    )
    expect(read('Left chest port. Lungs clear.')['No Finding']).toBe('positive')
  })

  it('the reading lists the findings outside the labels with their status', () => {
    const s = scopeMentions(cxr, 'No emphysema. Mild kyphosis.')
    expect(s.otherFindings.map((m) => m.status)).toEqual(['negative', 'positive'])
  })
})

describe('placeholders and typos', () => {
  it('"XXXX" is an unknown word: never a finding, never a negation', () => {
    expect(read('XXXX small left effusion.')['Pleural Effusion']).toBe('positive')
    expect(read('No XXXX pneumothorax.').Pneumothorax).toBe('negative')
    expect(stated('Stable XXXX in the left chest.')).toEqual({ 'No Finding': 'positive' })
  })

  it('a long word one edit from one alias is that alias', () => {
    expect(read('Small right pneumothroax.').Pneumothorax).toBe('positive')
    expect(read('No pleural efusion.')['Pleural Effusion']).toBe('negative')
    expect(read('Bibasilar atelectasys.').Atelectasis).toBe('positive')
  })

  it('short words and words the task knows are never read as typos', () => {
    // "passes" is one edit from "masses", but too short to be trusted
    expect(read('The feeding tube passes below the diaphragm.')['Lung Lesion']).toBeNull()
    expect(stated('Clear lungs, unchanged appearance.')).toEqual({ 'No Finding': 'positive' })
  })

  it('one edit: substitution, insertion, deletion, swap of neighbours; not a plural', () => {
    expect(oneEditApart('effusion', 'efusion')).toBe(true)
    expect(oneEditApart('pneumothorax', 'pneumothroax')).toBe(true)
    expect(oneEditApart('fracture', 'fracturd')).toBe(true)
    expect(oneEditApart('fracture', 'fractures')).toBe(false)
    expect(oneEditApart('fracture', 'fracture')).toBe(false)
    expect(oneEditApart('effusion', 'diffusion')).toBe(false)
  })
})
