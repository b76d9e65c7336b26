import { describe, expect, it } from 'vitest'
import { lexiconLabels } from '../../../core/evaluation/lexicon-attribution.ts'
import { readCategory } from '../../../core/text/category-reading.ts'
import { readableText } from '../../../core/text/sections.ts'
import { realLanguageProbes as probes } from '../../../models/encoder/read-labelled.ts'
import type { CategoryField } from '../../../schemas/index.ts'
import { task } from '../../helpers.ts'

describe('the rules read real report language', () => {
  const cxr = task('cxr14')
  it.each(probes('cxr14'))('cxr14 $expected: $text', ({ text, expected }) => {
    const read = lexiconLabels(cxr, text)
    for (const kv of expected.split(';')) {
      const [label = '', status] = kv.split('=')
      expect(read[label] ?? (label === 'No Finding' ? 'negative' : null), label).toBe(status)
    }
  })

  const bone = task('bonemets3')
  const group = bone.fields[0] as CategoryField
  it.each(probes('bonemets3'))('bonemets3 group $expected: $text', ({ text, expected }) => {
    const r = readCategory(bone, group, readableText(text, bone.input.sections))
    expect(String(r?.value)).toBe(expected)
  })
})
