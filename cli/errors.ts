/** A failure the CLI reports as one clear message (file, field, what was expected) and exit code 2. */
export class CliError extends Error {
  readonly tip: string | undefined
  constructor(message: string, tip?: string) {
    super(message)
    this.name = 'CliError'
    this.tip = tip
  }
}
