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
    const op = p.op[i] as Op
    if (op === Op.Field) {
      const f = p.field[i] as number
      const l = lo[f] as number
      if (Number.isNaN(l)) return false
      L[i] = l
      H[i] = hi[f] as number
    } else if (op === Op.Num) {
      L[i] = p.value[i] as number
      H[i] = p.value[i] as number
    } else if (!step(L, H, i, op, p.a[i] as number, p.b[i] as number)) return false
  }
  out[0] = L[p.result] as number
  out[1] = H[p.result] as number
  return true
}

/** One operator's [lo, hi] into slot i from slots a (and b); false for a divisor spanning 0 or
 * the square root of a negative interval. */
function step(L: Float64Array, H: Float64Array, i: number, op: Op, a: number, b: number): boolean {
  const al = L[a] as number
  const ah = H[a] as number
  switch (op) {
    case Op.Neg:
      L[i] = -ah
      H[i] = -al
      return true
    case Op.Sqrt:
      if (ah < 0) return false
      L[i] = Math.sqrt(Math.max(0, al))
      H[i] = Math.sqrt(ah)
      return true
    case Op.Abs:
      L[i] = al >= 0 ? al : ah <= 0 ? -ah : 0
      H[i] = Math.max(Math.abs(al), Math.abs(ah))
      return true
  }
  const bl = L[b] as number
  const bh = H[b] as number
  switch (op) {
    case Op.Add:
      L[i] = al + bl
      H[i] = ah + bh
      return true
    case Op.Sub:
      L[i] = al - bh
      H[i] = ah - bl
      return true
    case Op.Mul:
      return extremes(L, H, i, al * bl, al * bh, ah * bl, ah * bh)
    case Op.Div:
      if (bl <= 0 && bh >= 0) return false
      return extremes(L, H, i, al / bl, al / bh, ah / bl, ah / bh)
  }
  return true
}

function extremes(
  L: Float64Array,
  H: Float64Array,
  i: number,
  p1: number,
  p2: number,
  p3: number,
  p4: number,
): boolean {
  L[i] = Math.min(p1, p2, p3, p4)
  H[i] = Math.max(p1, p2, p3, p4)
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
