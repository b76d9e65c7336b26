/** A failure the CLI reports as one clear message (file, field, what was expected) and exit code 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly tip?: string,
  ) {
    super(message)
    this.name = 'CliError'
  }
}
