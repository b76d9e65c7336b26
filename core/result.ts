/** The scored result of one report: the shape `radstruct score` prints and the worker stores. */
import type { TaskRecord } from '../schemas/record.ts'
import type { DecodedFormat } from './decode/index.ts'
import type { Signals } from './scoring/combine.ts'
import type { ReportCoverage } from './scoring/coverage.ts'
import type { Span } from './scoring/grounding.ts'
import type { Sex } from './text/sex.ts'

export interface ScoredResult {
  task: string
  /** Field -> value, as extracted (canonical units). */
  values: TaskRecord
  /** Field -> confidence in [0, 1] that the value (or its absence) is right. */
  confidence: Record<string, number>
  /** Field -> the signals that applied, each in [0, 1]; absent signals did not apply. */
  signals: Record<string, Signals>
  /** Field -> where the value was found, or where a number suggesting an omission is; null if nowhere. */
  evidence: Record<string, Span | null>
  /** Fields whose confidence is below the threshold: the ones a person should review, lowest first. */
  flagged: string[]
  threshold: number
  report: {
    /** Probability that every field is right, treating fields as independent: prod(confidence). */
    confidence: number
    /** Expected number of wrong fields: sum(1 - confidence). */
    expectedErrors: number
    /** Sex used for reference values, and where it came from. */
    sex: Sex | null
    sexSource: 'given' | 'report' | 'unknown'
    /** Number of samples (K) the stability signal used. */
    samples: number
    /** The format the report was decoded from (core/decode): 'text' when it needed none; absent
     * in results stored before version 2. */
    format?: DecodedFormat
    /** What the reading did not read, with reasons (core/scoring/coverage.ts); null without the
     * report text (the edge's checks on a bare record) and in results stored before version 2. */
    coverage: ReportCoverage | null
  }
}
