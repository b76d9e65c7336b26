/**
 * Parses consistency formulas ("LVSV = LVEDV - LVESV") into an expression tree. Formulas are data
 * in a task file, so they are parsed, never evaluated as code.
 */

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'field'; key: string }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { kind: 'call'; fn: FunctionName; arg: Expr }

/** An equation: both sides must agree within rounding and the formula's tolerance. */
export interface Equation {
  source: string
  left: Expr
  right: Expr
  /** Field keys used, in order of first appearance. */
  fields: string[]
}

export const functionNames = ['sqrt', 'abs'] as const
export type FunctionName = (typeof functionNames)[number]

export class FormulaSyntaxError extends Error {
  /** Character offset (UTF-16 code units, from 0) where parsing failed. */
  readonly position: number
  constructor(message: string, position: number) {
    super(message)
    this.name = 'FormulaSyntaxError'
    this.position = position
  }
}

type Token =
  | { type: 'num'; value: number; pos: number }
  | { type: 'id'; name: string; pos: number }
  | { type: 'op'; op: string; pos: number }
  | { type: 'end'; pos: number }

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  const re = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()=]))/y
  let pos = 0
  while (pos < source.length) {
    if (/^\s*$/.test(source.slice(pos))) break
    re.lastIndex = pos
    const m = re.exec(source)
    if (!m) {
      const at = pos + (source.slice(pos).match(/^\s*/)?.[0].length ?? 0)
      throw new FormulaSyntaxError(`unexpected character '${source[at]}'`, at)
    }
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? '').length
    if (m[1] !== undefined) tokens.push({ type: 'num', value: Number(m[1]), pos: start })
    else if (m[2] !== undefined) tokens.push({ type: 'id', name: m[2], pos: start })
    else tokens.push({ type: 'op', op: m[3] as string, pos: start })
    pos = re.lastIndex
  }
  tokens.push({ type: 'end', pos: source.length })
  return tokens
}

/** Recursive descent over: equation := expr '=' expr; expr := term (('+'|'-') term)*; ... */
class Parser {
  private i = 0
  private readonly tokens: Token[]
  constructor(tokens: Token[]) {
    this.tokens = tokens
  }

  private peek(): Token {
    return this.tokens[this.i] as Token
  }
  private next(): Token {
    return this.tokens[this.i++] as Token
  }
  private isOp(op: string): boolean {
    const t = this.peek()
    return t.type === 'op' && t.op === op
  }
  private expectOp(op: string): void {
    const t = this.next()
    if (t.type !== 'op' || t.op !== op) {
      throw new FormulaSyntaxError(`expected '${op}' but found ${describe(t)}`, t.pos)
    }
  }

  equation(): { left: Expr; right: Expr } {
    const left = this.expr()
    this.expectOp('=')
    const right = this.expr()
    const t = this.peek()
    if (t.type !== 'end') throw new FormulaSyntaxError(`unexpected ${describe(t)}`, t.pos)
    return { left, right }
  }

  private expr(): Expr {
    let left = this.term()
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.next() as { op: '+' | '-' }).op
      left = { kind: 'bin', op, left, right: this.term() }
    }
    return left
  }

  private term(): Expr {
    let left = this.unary()
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.next() as { op: '*' | '/' }).op
      left = { kind: 'bin', op, left, right: this.unary() }
    }
    return left
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      this.next()
      return { kind: 'neg', arg: this.unary() }
    }
    return this.primary()
  }

  private primary(): Expr {
    const t = this.next()
    if (t.type === 'num') return { kind: 'num', value: t.value }
    if (t.type === 'op' && t.op === '(') {
      const e = this.expr()
      this.expectOp(')')
      return e
    }
    if (t.type === 'id') {
      if (this.isOp('(')) {
        if (!(functionNames as readonly string[]).includes(t.name)) {
          throw new FormulaSyntaxError(
            `unknown function '${t.name}'; expected one of ${functionNames.join(', ')}`,
            t.pos,
          )
        }
        this.next()
        const arg = this.expr()
        this.expectOp(')')
        return { kind: 'call', fn: t.name as FunctionName, arg }
      }
      return { kind: 'field', key: t.name }
    }
    throw new FormulaSyntaxError(`expected a number, field or '(' but found ${describe(t)}`, t.pos)
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'num':
      return `number ${t.value}`
    case 'id':
      return `'${t.name}'`
    case 'op':
      return `'${t.op}'`
    case 'end':
      return 'end of formula'
  }
}

function collectFields(e: Expr, out: string[]): void {
  switch (e.kind) {
    case 'field':
      if (!out.includes(e.key)) out.push(e.key)
      return
    case 'neg':
    case 'call':
      collectFields(e.arg, out)
      return
    case 'bin':
      collectFields(e.left, out)
      collectFields(e.right, out)
      return
    case 'num':
      return
  }
}

/** Parses "A = B" into an Equation; throws FormulaSyntaxError with the failing offset. */
export function parseEquation(source: string): Equation {
  const { left, right } = new Parser(tokenize(source)).equation()
  const fields: string[] = []
  collectFields(left, fields)
  collectFields(right, fields)
  return { source, left, right, fields }
}
