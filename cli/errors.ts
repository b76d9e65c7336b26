/** A failure the CLI reports as one clear message (file, field, what was expected) and exit code 2. */
export class CliError extends Error {
  readonly tip: string | undefined
  constructor(message: string, tip?: string) {
    super(message)
    this.name = 'CliError'
    this.tip = tip
  }
}

/**
 * What a command prints and the exit code it ends with, when that is not 0: 3 when it ran but some
 * reports were refused (an upload with identifiers in a report), as the README's table says.
 */
export class Outcome {
  readonly text: string
  readonly code: number
  constructor(text: string, code: number) {
    this.text = text
    this.code = code
  }
}

/** Exit codes: 0 all good, 1 failure (internal), 2 bad input, 3 some reports refused. */
export const exitCodes = { ok: 0, failure: 1, badInput: 2, someRefused: 3 } as const
