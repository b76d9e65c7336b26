import { describe, expect, it } from 'vitest'
import { loadTask } from '../../../cli/io.ts'
import { fieldCandidates } from '../../../core/encoder/candidates.ts'
import { encoderInputs } from '../../../core/encoder/inputs.ts'
import { ownerOf, tokenize, windows } from '../../../core/encoder/tokens.ts'
import { scanText } from '../../../core/text/scan.ts'

const cmr = loadTask('cmr52')
const values = (text: string, key: string) =>
  (fieldCandidates(cmr, scanText(cmr, text)).get(key) ?? []).map((c) => c.value)

describe('candidate mapping', () => {
  it('reads a decimal comma as a decimal point', () => {
    expect(values('LVEF 55,5 %', 'LVEF')).toEqual([55.5])
  })

  it('reads a thousands separator as one number', () => {
    expect(values('Native T1 blood pool 1,650 ms', 'PRET1B')).toEqual([1650])
  })

  it('keeps a number whose unit is on the next line, in the unit written there', () => {
    const c = fieldCandidates(cmr, scanText(cmr, 'LV end-systolic diameter 38\nmm. LVEF 60 %'))
    // 38 mm is 3.8 cm; read as cm, 38 is outside LVESD's limits
    expect(c.get('LVESD')?.map((x) => x.value)).toEqual([3.8])
  })

  it('converts imperial units to the field unit', () => {
    expect(values('Height 65 in, weight 180 lb', 'HEIGHT')).toEqual([165.1])
    expect(values('Height 65 in, weight 180 lb', 'WEIGHT')).toEqual([81.65])
  })

  it('offers no candidates in a report without numbers, and the inputs stay well formed', () => {
    const inp = encoderInputs(cmr, scanText(cmr, 'Normal study. No effusion.'))
    expect(inp.candidates.every((c) => c.length === 0)).toBe(true)
    expect(inp.batch).toBe(1)
    expect(inp.width).toBe(1)
    expect(inp.candidateMask.every((m) => m === 0)).toBe(true)
  })

  it('leaves reference ranges out', () => {
    expect(values('LVEF 62 % (normal 57-75)', 'LVEF')).toEqual([62])
  })
})

describe('tokens and windows', () => {
  it('makes every number mention exactly one token, in text order', () => {
    const scan = scanText(cmr, 'LVEDV 150 mL (78 mL/m2)\n| LVEF | 61 | % |')
    const tokens = tokenize(scan)
    const mentions = tokens.filter((t) => t.mention !== undefined)
    expect(mentions.map((t) => scan.text.slice(t.start, t.end))).toEqual(['150', '78', '61'])
    expect(tokens.map((t) => t.start)).toEqual(
      [...tokens.map((t) => t.start)].sort((a, b) => a - b),
    )
  })

  it('records layout: the column of a table cell and the gap before it', () => {
    const scan = scanText(cmr, 'EF      61\nEDV\t150')
    const [ef, n61, edv, n150] = tokenize(scan)
    expect([ef?.column, ef?.gap]).toEqual([0, 0])
    expect(n61?.gap).toBe(2)
    expect(n61?.column).toBe(4)
    expect(edv?.gap).toBe(3)
    expect(n150?.gap).toBe(2)
  })

  it('covers every token with overlapping windows and scores each where it has most context', () => {
    const ws = windows(1000, 256, 64)
    for (let t = 0; t < 1000; t++) {
      const w = ws[ownerOf(ws, t)]
      expect(w && t >= w.from && t < w.to).toBe(true)
    }
    expect(ws[0]?.from).toBe(0)
    expect(ws.at(-1)?.to).toBe(1000)
    for (const [i, w] of ws.entries()) {
      expect(w.to - w.from).toBeLessThanOrEqual(256)
      if (i > 0) expect((ws[i - 1] as { to: number }).to - w.from).toBeGreaterThanOrEqual(64)
    }
  })

  it('uses as few windows as fit, and no wider than they need to be', () => {
    expect(windows(200, 256, 64)).toEqual([{ from: 0, to: 200 }])
    // two windows either way; balanced they encode 454 positions instead of 512
    expect(windows(389, 256, 64)).toEqual([
      { from: 0, to: 227 },
      { from: 162, to: 389 },
    ])
    expect(windows(1000, 256, 64)).toHaveLength(Math.ceil((1000 - 64) / (256 - 64)))
    // models trained before read full windows, the last one ending at the report's end
    expect(windows(389, 256, 64, 'fixed')).toEqual([
      { from: 0, to: 256 },
      { from: 133, to: 389 },
    ])
  })

  it('reads a 200,000-character report through windows with every candidate in its window', () => {
    const block = 'LV end-diastolic volume 150 mL, LVEF 61 %, RVEF 55 %. Normal study otherwise.\n'
    const text = block.repeat(Math.ceil(200_000 / block.length))
    const scan = scanText(cmr, text)
    const inp = encoderInputs(cmr, scan)
    expect(inp.batch).toBeGreaterThan(100)
    const ef = inp.fields.findIndex((f) => f.key === 'LVEF')
    const count = inp.candidates[ef]?.length ?? 0
    expect(count).toBe(scan.numbers.filter((n) => n.value === 61 || n.value === 55).length)
    for (let c = 0; c < count; c++) {
      const flat = Number(inp.candidateToken[ef * inp.width + c])
      const b = Math.floor(flat / inp.length)
      expect(b).toBeLessThan(inp.batch)
      expect(inp.mask[flat]).toBe(1)
    }
  })
})
