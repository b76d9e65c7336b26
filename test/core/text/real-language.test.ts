import { describe, expect, it } from 'vitest'
import {
  probeAnswer,
  realLanguageProbes,
  rulesRecord,
} from '../../../models/encoder/read-labelled.ts'
import { task } from '../../helpers.ts'

describe('the rules read real report language', () => {
  for (const t of [task('cxr14'), task('bonemets3')])
    it.each(realLanguageProbes(t))(`${t.id} $line: $text`, ({ text, expected }) => {
      const read = rulesRecord(t, text)
      for (const [key, want] of expected) expect(probeAnswer(t, key, read[key]), key).toBe(want)
    })
})
