/**
 * Interval arithmetic over formula trees, compiled once into a flat program that runs without
 * allocating: each instruction writes the [lo, hi] of one node into scratch slots.
 */
import type { Expr } from '../../schemas/formula.ts'

export type Interval = [number, number]

/** Instruction codes (a plain object, not an enum: the code runs under Node's type stripping). */
const Op = { Field: 0, Num: 1, Neg: 2, Add: 3, Sub: 4, Mul: 5, Div: 6, Sqrt: 7, Abs: 8 } as const
type Op = (typeof Op)[keyof typeof Op]

/** Instructions as parallel arrays: op, operand slots a and b, field index, constant. */
export interface Program {
  op: Uint8Array
  a: Int32Array
  b: Int32Array
  field: Int32Array
  value: Float64Array
  /** Slot holding the result (the last instruction's). */
  result: number
}

/** Compiles an expression; `fieldIndex` maps a field key to its index in the bounds arrays. */
export function compileInterval(e: Expr, fieldIndex: (key: string) => number): Program {
  const ops: { op: Op; a: number; b: number; field: number; value: number }[] = []
  const emit = (node: Expr): number => {
    switch (node.kind) {
      case 'field':
        ops.push({ op: Op.Field, a: 0, b: 0, field: fieldIndex(node.key), value: 0 })
        break
      case 'num':
        ops.push({ op: Op.Num, a: 0, b: 0, field: 0, value: node.value })
        break
      case 'neg': {
        const a = emit(node.arg)
        ops.push({ op: Op.Neg, a, b: 0, field: 0, value: 0 })
        break
      }
      case 'call': {
        const a = emit(node.arg)
        ops.push({ op: node.fn === 'sqrt' ? Op.Sqrt : Op.Abs, a, b: 0, field: 0, value: 0 })
        break
      }
      case 'bin': {
        const a = emit(node.left)
        const b = emit(node.right)
        const op = { '+': Op.Add, '-': Op.Sub, '*': Op.Mul, '/': Op.Div }[node.op]
        ops.push({ op, a, b, field: 0, value: 0 })
        break
      }
    }
    return ops.length - 1
  }
  const result = emit(e)
  return {
    op: Uint8Array.from(ops, (o) => o.op),
    a: Int32Array.from(ops, (o) => o.a),
    b: Int32Array.from(ops, (o) => o.b),
    field: Int32Array.from(ops, (o) => o.field),
    value: Float64Array.from(ops, (o) => o.value),
    result,
  }
}

/** Scratch slots shared by all programs: scoring is synchronous, so one set suffices. */
let slotLo = new Float64Array(64)
let slotHi = new Float64Array(64)

/**
 * Runs a program over field bounds (NaN lo = field missing). Returns false when a field is missing,
 * a divisor spans 0 or a square root is of a negative interval; else the result is in out[0..1].
 */
export function runInterval(
  p: Program,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  out: Float64Array,
): boolean {
  const n = p.op.length
  if (slotLo.length < n) {
    slotLo = new Float64Array(n * 2)
    slotHi = new Float64Array(n * 2)
  }
  const L = slotLo
  const H = slotHi
  for (let i = 0; i < n; i++) {
    const a = p.a[i] as number
    const b = p.b[i] as number
    switch (p.op[i]) {
      case Op.Field: {
        const f = p.field[i] as number
        const l = lo[f] as number
        if (Number.isNaN(l)) return false
        L[i] = l
        H[i] = hi[f] as number
        break
      }
      case Op.Num:
        L[i] = p.value[i] as number
        H[i] = p.value[i] as number
        break
      case Op.Neg:
        L[i] = -(H[a] as number)
        H[i] = -(L[a] as number)
        break
      case Op.Add:
        L[i] = (L[a] as number) + (L[b] as number)
        H[i] = (H[a] as number) + (H[b] as number)
        break
      case Op.Sub:
        L[i] = (L[a] as number) - (H[b] as number)
        H[i] = (H[a] as number) - (L[b] as number)
        break
      case Op.Mul:
      case Op.Div: {
        const al = L[a] as number
        const ah = H[a] as number
        const bl = L[b] as number
        const bh = H[b] as number
        let p1: number
        let p2: number
        let p3: number
        let p4: number
        if (p.op[i] === Op.Mul) {
          p1 = al * bl
          p2 = al * bh
          p3 = ah * bl
          p4 = ah * bh
        } else {
          if (bl <= 0 && bh >= 0) return false
          p1 = al / bl
          p2 = al / bh
          p3 = ah / bl
          p4 = ah / bh
        }
        L[i] = Math.min(p1, p2, p3, p4)
        H[i] = Math.max(p1, p2, p3, p4)
        break
      }
      case Op.Sqrt: {
        const ah = H[a] as number
        if (ah < 0) return false
        L[i] = Math.sqrt(Math.max(0, L[a] as number))
        H[i] = Math.sqrt(ah)
        break
      }
      case Op.Abs: {
        const al = L[a] as number
        const ah = H[a] as number
        L[i] = al >= 0 ? al : ah <= 0 ? -ah : 0
        H[i] = Math.max(Math.abs(al), Math.abs(ah))
        break
      }
    }
  }
  out[0] = L[p.result] as number
  out[1] = H[p.result] as number
  return true
}

/** Evaluates an expression over intervals looked up by field key (convenience; compiles each call). */
export function evalInterval(
  e: Expr,
  lookup: (key: string) => Interval | undefined,
): Interval | undefined {
  const keys: string[] = []
  const program = compileInterval(e, (k) => {
    const i = keys.indexOf(k)
    if (i >= 0) return i
    keys.push(k)
    return keys.length - 1
  })
  const lo = keys.map((k) => lookup(k)?.[0] ?? Number.NaN)
  const hi = keys.map((k) => lookup(k)?.[1] ?? Number.NaN)
  const out = new Float64Array(2)
  return runInterval(program, lo, hi, out) ? [out[0] as number, out[1] as number] : undefined
}
