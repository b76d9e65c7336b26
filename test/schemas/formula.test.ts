import { describe, expect, it } from 'vitest'
import { FormulaSyntaxError, parseEquation } from '../../schemas/formula.ts'

describe('parseEquation', () => {
  it('parses precedence: * and / bind tighter than + and -', () => {
    const eq = parseEquation('A = B - C * D / 2')
    expect(eq.right).toEqual({
      kind: 'bin',
      op: '-',
      left: { kind: 'field', key: 'B' },
      right: {
        kind: 'bin',
        op: '/',
        left: {
          kind: 'bin',
          op: '*',
          left: { kind: 'field', key: 'C' },
          right: { kind: 'field', key: 'D' },
        },
        right: { kind: 'num', value: 2 },
      },
    })
  })

  it('lists each field once, in order of appearance', () => {
    expect(
      parseEquation('ECV = (100 - HCT) * (1 / POSTT1M - 1 / PRET1M) / (1 / POSTT1B - 1 / PRET1B)')
        .fields,
    ).toEqual(['ECV', 'HCT', 'POSTT1M', 'PRET1M', 'POSTT1B', 'PRET1B'])
  })

  it('accepts sqrt and unary minus', () => {
    const eq = parseEquation('BSA = sqrt(HEIGHT * WEIGHT / 3600) - -0')
    expect(eq.fields).toEqual(['BSA', 'HEIGHT', 'WEIGHT'])
  })

  it.each([
    ['A = B +', 'expected a number, field or', 7],
    ['A B', "expected '='", 2],
    ['A = eval(B)', "unknown function 'eval'", 4],
    ['A = B; drop()', "unexpected character ';'", 5],
    ['A = (B', "expected ')'", 6],
    ['A = B = C', "unexpected '='", 6],
  ])('rejects %j with a message and the offset', (src, message, position) => {
    try {
      parseEquation(src)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaSyntaxError)
      expect((e as Error).message).toContain(message)
      expect((e as FormulaSyntaxError).position).toBe(position)
    }
  })
})
