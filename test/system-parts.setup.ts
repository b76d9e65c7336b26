/** Global setup of the Node test project: one line per system part a skipped test needs. */
import { missingPartLines } from './system-parts.ts'

export default function setup(): void {
  for (const line of missingPartLines()) process.stdout.write(`${line}\n`)
}
