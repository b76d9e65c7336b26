/**
 * The task definition format: what a report is turned into (fields, units, reference values,
 * consistency formulas, the words reports use), validated with zod so that a bad task file fails
 * with the file, the path and what was expected.
 */
import { z } from 'zod'
import { type Equation, FormulaSyntaxError, parseEquation } from './formula.ts'

const keySchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_ ]*$/,
    'a field key is a letter followed by letters, digits, spaces or _',
  )

/** Mean and standard deviation of a normal adult population, in the field's canonical unit. */
export const normalSchema = z.object({ mean: z.number(), sd: z.number().positive() }).strict()
export type Normal = z.infer<typeof normalSchema>

export const referenceSchema = z
  .object({
    male: normalSchema.optional(),
    female: normalSchema.optional(),
    any: normalSchema.optional(),
  })
  .strict()
  .refine((r) => r.male || r.female || r.any, 'give at least one of male, female, any')
export type Reference = z.infer<typeof referenceSchema>

/** A unit a report may use for a field: canonical value = reported value x factor. */
export const conversionSchema = z
  .object({
    unit: z.string().min(1),
    factor: z.number().positive(),
    /** Decimals the canonical value is rounded to after conversion (gold convention). */
    decimals: z.number().int().min(0).max(8).optional(),
  })
  .strict()
export type Conversion = z.infer<typeof conversionSchema>

const common = {
  key: keySchema,
  label: z.string().min(1),
  description: z.string().optional(),
  /** Phrases reports use for this field as a whole ("LVEF"); matched case-insensitively. */
  aliases: z.array(z.string().min(1)).default([]),
  /** A standard code for exports (LOINC for FHIR); without one, the task's own code system. */
  code: z
    .object({ system: z.string().url(), code: z.string().min(1), display: z.string().optional() })
    .strict()
    .optional(),
}

export const numberFieldSchema = z
  .object({
    ...common,
    kind: z.literal('number'),
    unit: z.string().min(1),
    /** The unit in UCUM ("mm[Hg]" for mmHg, "mL/m2" for mL/m^2), for FHIR; default: `unit`. */
    ucum: z.string().min(1).optional(),
    conversions: z.array(conversionSchema).default([]),
    reference: referenceSchema.optional(),
    /** Values outside [min, max] are physically implausible for this field (unit slips, typos). */
    limits: z
      .tuple([z.number(), z.number()])
      .refine(([a, b]) => a < b, 'limits are [min, max] with min < max'),
    /** What the field is, in the task vocabulary's dimensions: {"chamber": "lv", "quantity": "edv"}. */
    concepts: z.record(z.string(), z.string()).default({}),
    /** For "a/b" pairs such as a blood pressure: 0 takes the first number, 1 the second. */
    pairIndex: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .strict()

export const categoryFieldSchema = z
  .object({
    ...common,
    kind: z.literal('category'),
    values: z.array(z.union([z.string().min(1), z.number()])).min(2),
    nullable: z.boolean().default(true),
    /** Phrases that state each value, keyed by String(value). */
    keywords: z.record(z.string(), z.array(z.string().min(1))).default({}),
    /**
     * How a person reads the value from scoped mentions (core/text/category-reading.ts): the
     * mentions of one thing ("bone metastases", or a lesion word beside a site word), and the
     * change words around each that give a value; the rule reading grounds the model's answer.
     */
    reading: z
      .object({
        /** Phrases that are a mention by themselves ("bone metastases"). */
        mention: z.array(z.string().min(1)).min(1),
        /** Lesion words that are a mention with a site word in their clause ("lesion" ... "T8"). */
        lesion: z.array(z.string().min(1)).default([]),
        site: z.array(z.string().min(1)).default([]),
        /**
         * Phrases that say the thing is absent without naming it ("skull intact", "the skeleton
         * is unremarkable"): read as a negated mention.
         */
        absent: z.array(z.string().min(1)).default([]),
        /** Words of other sites: a lesion or mention beside one is about that site ("liver"). */
        elsewhere: z.array(z.string().min(1)).default([]),
        /** Words that give a value near a mention, strongest value first. */
        values: z
          .array(
            z
              .object({ value: z.union([z.string(), z.number()]), words: z.array(z.string()) })
              .strict(),
          )
          .min(1),
        /** Words that rule out the first value without saying the thing exists ("no new"). */
        weak: z.array(z.string()).default([]),
        /** The value of a negated mention, of a mention without change words, and of none. */
        negated: z.union([z.string(), z.number()]),
        bare: z.union([z.string(), z.number()]),
        none: z.union([z.string(), z.number()]),
        /**
         * 'explicit': a reading the conclusion states outright (change words or a negation) wins
         * over a model that says otherwise; the value keeps the model's probability of it, so the
         * disagreement still lowers its confidence. 'never': the reading only grounds.
         */
        decides: z.enum(['never', 'explicit']).default('never'),
      })
      .strict()
      .optional(),
  })
  .strict()

export const labelStatuses = ['positive', 'negative', 'uncertain'] as const
export type LabelStatus = (typeof labelStatuses)[number]

export const labelFieldSchema = z
  .object({
    ...common,
    kind: z.literal('label'),
    /**
     * A label that follows from the others (CheXpert's No Finding): positive when none of `of`
     * has a status in `are`, otherwise null. An encoder derives it; the scorer checks it.
     * `unlessMentioned`: findings outside the labels (CheXpert's no-finding phrases: "scoliosis",
     * "degenerative", "granuloma") whose positive or uncertain mention also leaves it null.
     */
    positiveWhenNone: z
      .object({
        of: z.array(keySchema).min(1),
        are: z.array(z.enum(labelStatuses)).min(1),
        unlessMentioned: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .optional(),
    /**
     * Labels that usually come with this one when it is positive ("pneumonia" with an opacity or
     * a consolidation): none of them positive or uncertain lowers its consistency score.
     */
    usuallyWith: z.array(keySchema).default([]),
    /**
     * Phrases that hold an alias and name something else ("Kerley B lines", "skin fold" for a
     * device's "lines"; "bone lesion" for a lung lesion): an alias inside one is no mention.
     */
    otherSenses: z.array(z.string().min(1)).default([]),
    /**
     * Words that name an organ without stating anything ("heart size", "costophrenic angles"):
     * a mention only with a state word near it, which gives the status ("is mildly enlarged":
     * positive, "is normal" or "upper limits of normal": negative, "borderline": uncertain).
     */
    states: z
      .array(
        z
          .object({
            terms: z.array(z.string().min(1)).min(1),
            present: z.array(z.string().min(1)).default([]),
            absent: z.array(z.string().min(1)).default([]),
            unsure: z.array(z.string().min(1)).default([]),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
export const textFieldSchema = z.object({ ...common, kind: z.literal('text') }).strict()

export const fieldSchema = z.discriminatedUnion('kind', [
  numberFieldSchema,
  categoryFieldSchema,
  labelFieldSchema,
  textFieldSchema,
])
export type Field = z.infer<typeof fieldSchema>
export type NumberField = z.infer<typeof numberFieldSchema>
export type CategoryField = z.infer<typeof categoryFieldSchema>
export type LabelField = z.infer<typeof labelFieldSchema>

export const formulaSchema = z.union([
  z.string().min(3),
  z
    .object({
      expr: z.string().min(3),
      /** Relative slack beyond display rounding (0.03 = 3 %), for formulas that hold only roughly. */
      tolerance: z.number().min(0).max(1).optional(),
    })
    .strict(),
])

/** A dimension of meaning ("chamber", "quantity") and how far a mention of it reaches. */
export const dimensionSchema = z
  .object({
    /** local: the words must be near the number; section: the latest mention holds until changed. */
    scope: z.enum(['local', 'section']),
  })
  .strict()

/** Words that set one or more dimensions: {"terms": ["left ventricle", "LV"], "set": {"chamber": "lv"}}. */
export const termGroupSchema = z
  .object({ terms: z.array(z.string().min(1)).min(1), set: z.record(z.string(), z.string()) })
  .strict()

export const vocabularySchema = z
  .object({
    dimensions: z.record(z.string(), dimensionSchema),
    groups: z.array(termGroupSchema),
  })
  .strict()
export type Vocabulary = z.infer<typeof vocabularySchema>

/** Weights of the calibrated combination (see core/scoring/combine.ts). */
const poolSchema = {
  intercept: z.number(),
  interceptNull: z.number(),
  weights: z
    .object({
      distribution: z.number(),
      stability: z.number(),
      consistency: z.number(),
      grounding: z.number(),
      /** Weight of an encoder's own probability (only in `withModel`). */
      model: z.number().optional(),
      /** Weight of the coverage signal (core/scoring/coverage.ts). */
      coverage: z.number().optional(),
    })
    .strict(),
  fittedOn: z.string().optional(),
}

export const confidenceModelSchema = z
  .object({
    ...poolSchema,
    /** Where the stability weight came from: a student's own samples (radstruct calibrate --stability-from). */
    stabilityFittedOn: z.string().optional(),
    /**
     * The pool for values that carry a model's own probability (the encoder student), fitted on
     * that student's real results (calibrate --fit-from); the outer pool serves every other
     * record (generative students, the edge's checks, `radstruct score`).
     */
    withModel: z.object(poolSchema).strict().optional(),
  })
  .strict()
export type ConfidenceModel = z.infer<typeof confidenceModelSchema>

export const taskFileSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a task id is lower-case letters, digits, - or _'),
    version: z.number().int().positive(),
    title: z.string().min(1),
    description: z.string().min(1),
    input: z
      .object({
        kind: z.literal('text'),
        description: z.string(),
        /**
         * Read only these kinds of section ('question': indication, history, comparison;
         * 'findings'; 'conclusion': impression, diagnosis), as the bone-metastasis study read the
         * indication and diagnosis. A report with none of them is read whole.
         */
        sections: z.array(z.enum(['question', 'findings', 'conclusion'])).optional(),
      })
      .strict(),
    fields: z.array(fieldSchema).min(1),
    /**
     * The languages (ISO 639-1) the task's vocabulary and students serve: text in another is
     * read as unread (core/text/language.ts), every value under the threshold. Absent: any.
     */
    languages: z.array(z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code such as "en"')).optional(),
    formulas: z.array(formulaSchema).default([]),
    vocabulary: vocabularySchema.optional(),
    /** Words that mark a number as not this exam's value: prior studies, other tests, ranges. */
    distractorCues: z.array(z.string().min(1)).default([]),
    /** Words for label status: negation and hedging (label fields only). */
    statusCues: z
      .object({
        /** Before a mention, in its sentence: "no", "without", ... */
        negative: z.array(z.string()),
        uncertain: z.array(z.string()),
        /** After a mention, in its sentence: "is not widened", "is normal", ... */
        negativeAfter: z.array(z.string()).default([]),
        uncertainAfter: z.array(z.string()).default([]),
        /** After a mention: it is asked about, not found ("Fracture?"). */
        hypotheticalAfter: z.array(z.string()).default([]),
        /** Before a mention: it is asked about or supposed, not found ("to exclude", "evaluate for"). */
        hypothetical: z.array(z.string()).default([]),
        /** Phrases that hold a cue word and negate nothing ("no change in", "not only"). */
        pseudo: z.array(z.string()).default([]),
        /** Words that end a cue's reach inside a sentence ("but", "however", "which"). */
        terminate: z.array(z.string()).default([]),
      })
      .strict()
      .optional(),
    /**
     * 'explicit': where every scoped mention of a label (core/text/mentions.ts) states one status,
     * that status wins over a model that says otherwise, keeping the model's probability of it so
     * that the disagreement still lowers its confidence; derived labels follow. 'never': the
     * mentions only ground.
     */
    mentionsDecide: z.enum(['never', 'explicit']).default('never'),
    triageThreshold: z.number().gt(0).lt(1).default(0.7),
    confidenceModel: confidenceModelSchema.optional(),
  })
  .strict()

export type TaskFile = z.infer<typeof taskFileSchema>

/** A validated task with its formulas parsed. */
export interface Task extends TaskFile {
  equations: (Equation & { tolerance: number })[]
}

/** Default relative slack of a formula beyond the rounding of its terms. */
export const defaultFormulaTolerance = 0.02

export interface TaskIssue {
  /** Dotted path inside the task file, e.g. fields[3].reference.male.sd */
  path: string
  message: string
}

export class TaskError extends Error {
  readonly source: string
  readonly issues: TaskIssue[]
  constructor(source: string, issues: TaskIssue[]) {
    super(
      `${source}: invalid task definition\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    )
    this.name = 'TaskError'
    this.source = source
    this.issues = issues
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p)
  return out
}

/** Cross-checks zod cannot express field by field: unique keys, formulas over known fields, concepts. */
function semanticIssues(task: TaskFile): TaskIssue[] {
  return [
    ...duplicateKeys(task),
    ...labelReferences(task),
    ...formulaIssues(task),
    ...vocabularyIssues(task),
  ]
}

function duplicateKeys(task: TaskFile): TaskIssue[] {
  const issues: TaskIssue[] = []
  const keys = new Map<string, number>()
  task.fields.forEach((f, i) => {
    if (keys.has(f.key))
      issues.push({
        path: `fields[${i}].key`,
        message: `duplicate key '${f.key}' (also fields[${keys.get(f.key)}])`,
      })
    keys.set(f.key, i)
  })
  return issues
}

/** A label's positiveWhenNone and usuallyWith name other label fields of the task. */
function labelReferences(task: TaskFile): TaskIssue[] {
  const issues: TaskIssue[] = []
  const labelKeys = new Set(task.fields.filter((f) => f.kind === 'label').map((f) => f.key))
  task.fields.forEach((f, i) => {
    if (f.kind !== 'label') return
    const refs = [
      ...(f.positiveWhenNone?.of ?? []).map((k, j) => [
        `fields[${i}].positiveWhenNone.of[${j}]`,
        k,
      ]),
      ...f.usuallyWith.map((k, j) => [`fields[${i}].usuallyWith[${j}]`, k]),
    ]
    for (const [path, k] of refs)
      if (!labelKeys.has(k as string) || k === f.key)
        issues.push({
          path: path as string,
          message: `'${k}' is not another label field of this task${suggest(k as string, [...labelKeys])}`,
        })
  })
  return issues
}

/** Every formula parses and uses number fields of the task only. */
function formulaIssues(task: TaskFile): TaskIssue[] {
  const issues: TaskIssue[] = []
  const numberKeys = new Set(task.fields.filter((f) => f.kind === 'number').map((f) => f.key))
  task.formulas.forEach((formula, i) => {
    const expr = typeof formula === 'string' ? formula : formula.expr
    try {
      const eq = parseEquation(expr)
      for (const k of eq.fields) {
        if (!numberKeys.has(k)) {
          issues.push({
            path: `formulas[${i}]`,
            message: `'${expr}' uses '${k}', which is not a number field of this task${suggest(k, [...numberKeys])}`,
          })
        }
      }
    } catch (e) {
      if (!(e instanceof FormulaSyntaxError)) throw e
      issues.push({
        path: `formulas[${i}]`,
        message: `'${expr}': ${e.message} at character ${e.position + 1}`,
      })
    }
  })
  return issues
}

/** Groups set declared dimensions; each number field's concepts are set by some group; reference
 * means lie within the field's limits. */
function vocabularyIssues(task: TaskFile): TaskIssue[] {
  const issues: TaskIssue[] = []
  const dims = task.vocabulary?.dimensions ?? {}
  const valuesByDim = new Map<string, Set<string>>()
  task.vocabulary?.groups.forEach((g, gi) => {
    for (const [d, v] of Object.entries(g.set)) {
      if (!(d in dims))
        issues.push({
          path: `vocabulary.groups[${gi}].set.${d}`,
          message: `unknown dimension '${d}'; declare it in vocabulary.dimensions`,
        })
      if (!valuesByDim.has(d)) valuesByDim.set(d, new Set())
      valuesByDim.get(d)?.add(v)
    }
  })
  task.fields.forEach((f, i) => {
    if (f.kind !== 'number') return
    for (const [d, v] of Object.entries(f.concepts))
      if (!valuesByDim.get(d)?.has(v))
        issues.push({
          path: `fields[${i}].concepts.${d}`,
          message: `no vocabulary group sets ${d}=${v}`,
        })
    for (const [sex, n] of Object.entries(f.reference ?? {}))
      if (n && (n.mean < f.limits[0] || n.mean > f.limits[1]))
        issues.push({
          path: `fields[${i}].reference.${sex}.mean`,
          message: `mean ${n.mean} lies outside limits [${f.limits.join(', ')}]`,
        })
  })
  return issues
}

/** Edit-distance suggestion for a misspelt key: ", did you mean 'LVEDV'?" or "". */
export function suggest(name: string, candidates: string[]): string {
  let best = ''
  let bestD = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    const d = editDistance(name.toUpperCase(), c.toUpperCase())
    if (d < bestD) {
      bestD = d
      best = c
    }
  }
  return best && bestD <= Math.max(1, Math.floor(name.length / 3))
    ? `; did you mean '${best}'?`
    : ''
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
      prev = tmp
    }
  }
  return row[b.length] as number
}

/**
 * Validates a parsed task file. Throws TaskError naming the source, each path and what was expected.
 * @example parseTask(JSON.parse(text), 'schemas/tasks/cmr52.json')
 */
export function parseTask(data: unknown, source: string): Task {
  const parsed = taskFileSchema.safeParse(data)
  if (!parsed.success) {
    throw new TaskError(
      source,
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    )
  }
  const issues = semanticIssues(parsed.data)
  if (issues.length > 0) throw new TaskError(source, issues)
  const equations = parsed.data.formulas.map((f) => {
    const expr = typeof f === 'string' ? f : f.expr
    const tolerance =
      typeof f === 'string' ? defaultFormulaTolerance : (f.tolerance ?? defaultFormulaTolerance)
    return { ...parseEquation(expr), tolerance }
  })
  return { ...parsed.data, equations }
}
