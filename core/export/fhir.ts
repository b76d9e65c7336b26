/**
 * Results as FHIR R4: per report a DiagnosticReport and one Observation per stated value, coded
 * with the field's code from the task file (LOINC where the task gives one) and always with the
 * task's own code system; numbers as UCUM quantities; categories and cxr14-style statuses as
 * CodeableConcepts (present / absent in SNOMED CT where a status says so). Each Observation
 * carries its confidence, whether it was flagged, whether a reviewer set it, the model and the
 * evidence span (extensions); a reviewer's decision also gets a Provenance. Bundles are
 * `collection`, or `transaction` (PUT by id) for loading into a FHIR server. Ids are derived from
 * the task, report and field, so exporting again updates rather than duplicates.
 */
import type { Field, Task } from '../../schemas/index.ts'
import { contentHash } from '../content-hash.ts'
import type { ExportRecord } from './record.ts'

export const EXT = 'https://radstruct.dev/fhir/StructureDefinition'
const SNOMED = 'http://snomed.info/sct'
export const taskCodeSystem = (task: Task) => `https://radstruct.dev/fhir/CodeSystem/${task.id}`

type Resource = { resourceType: string; id: string; [k: string]: unknown }

/** A UUID from the text (not random): the same report and field get the same resource id. */
export function stableUuid(text: string): string {
  const hex = contentHash(text)
  // version 5 and the RFC 4122 variant bits, so it reads as a name-based UUID
  const variant = ((Number.parseInt(hex[16] as string, 16) & 3) | 8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function coding(task: Task, field: Field) {
  const own = { system: taskCodeSystem(task), code: field.key, display: field.label }
  return { coding: field.code ? [field.code, own] : [own], text: field.label }
}

const statusConcept: Record<string, { code: string; display: string } | undefined> = {
  positive: { code: '52101004', display: 'Present' },
  negative: { code: '2667000', display: 'Absent' },
}

function value(task: Task, field: Field, v: NonNullable<ExportRecord['fields'][string]['value']>) {
  if (field.kind === 'number' && typeof v === 'number') {
    const ucum = field.ucum ?? field.unit
    return {
      valueQuantity: {
        value: v,
        unit: field.unit,
        system: 'http://unitsofmeasure.org',
        code: ucum,
      },
    }
  }
  if (field.kind === 'label') {
    const s = statusConcept[String(v)]
    const own = { system: `${taskCodeSystem(task)}/status`, code: String(v), display: String(v) }
    return {
      valueCodeableConcept: {
        coding: s ? [{ system: SNOMED, ...s }, own] : [own],
        text: String(v),
      },
    }
  }
  if (field.kind === 'category')
    return {
      valueCodeableConcept: {
        coding: [
          { system: `${taskCodeSystem(task)}/${field.key}`, code: String(v), display: String(v) },
        ],
        text: String(v),
      },
    }
  return { valueString: String(v) }
}

/** The resources of one report: its DiagnosticReport, Observations and Provenances. */
export function reportResources(task: Task, r: ExportRecord, recordedAt: string): Resource[] {
  if (r.status !== 'done') return []
  const base = `${task.id}|${r.batch ?? ''}|${r.id}`
  const reportId = stableUuid(`${base}|report`)
  const model = r.model ? `${r.model.name}@${r.model.digest}` : undefined
  const observations: Resource[] = []
  const provenances: Resource[] = []
  for (const field of task.fields) {
    const f = r.fields[field.key]
    if (!f || f.value === null) continue
    const id = stableUuid(`${base}|${field.key}`)
    const extension: unknown[] = []
    if (f.confidence !== null)
      extension.push({
        url: `${EXT}/confidence`,
        valueDecimal: Math.round(f.confidence * 1e4) / 1e4,
      })
    extension.push({ url: `${EXT}/flagged`, valueBoolean: f.flagged })
    extension.push({ url: `${EXT}/reviewed`, valueBoolean: f.source === 'reviewer' })
    if (model) extension.push({ url: `${EXT}/model`, valueString: model })
    if (f.evidence)
      extension.push({
        url: `${EXT}/evidence`,
        extension: [
          { url: 'start', valueInteger: f.evidence.start },
          { url: 'end', valueInteger: f.evidence.end },
        ],
      })
    observations.push({
      resourceType: 'Observation',
      id,
      extension,
      identifier: [
        { system: `${taskCodeSystem(task)}/observation`, value: `${r.id}/${field.key}` },
      ],
      status: f.source === 'reviewer' ? 'amended' : 'final',
      code: coding(task, field),
      ...value(task, field, f.value),
      derivedFrom: [{ reference: `urn:uuid:${reportId}`, type: 'DiagnosticReport' }],
    })
    if (f.source === 'reviewer')
      provenances.push({
        resourceType: 'Provenance',
        id: stableUuid(`${base}|${field.key}|provenance`),
        target: [{ reference: `urn:uuid:${id}`, type: 'Observation' }],
        // when the reviewer decided; the export's time when the decision's time is unknown
        recorded: f.reviewedAt ?? recordedAt,
        activity: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' },
          ],
          text: 'reviewer decision',
        },
        agent: [{ who: { display: f.reviewer ?? 'radstruct reviewer' } }],
      })
  }
  const reportExtension: unknown[] = []
  if (model) reportExtension.push({ url: `${EXT}/model`, valueString: model })
  if (r.coverage)
    reportExtension.push({
      url: `${EXT}/coverage`,
      extension: [
        { url: 'confidence', valueDecimal: r.coverage.confidence },
        { url: 'whole', valueBoolean: r.coverage.whole },
        ...r.coverage.reasons.map((why) => ({ url: 'reason', valueString: why })),
      ],
    })
  const report: Resource = {
    resourceType: 'DiagnosticReport',
    id: reportId,
    ...(reportExtension.length ? { extension: reportExtension } : {}),
    identifier: [{ system: `${taskCodeSystem(task)}/report`, value: r.id }],
    status: observations.some((o) => o.status === 'amended') ? 'amended' : 'final',
    code: {
      coding: [{ system: taskCodeSystem(task), code: task.id, display: task.title }],
      text: task.title,
    },
    result: observations.map((o) => ({ reference: `urn:uuid:${o.id}`, type: 'Observation' })),
  }
  return [report, ...observations, ...provenances]
}

export type BundleType = 'collection' | 'transaction'

/** A bundle written piece by piece, so memory stays flat: `head`, `add` per report, `tail`. */
export function fhirBundleWriter(type: BundleType, at: string) {
  let first = true
  return {
    head: `{"resourceType":"Bundle","type":"${type}","timestamp":"${at}","entry":[`,
    /** The entries of one report's resources (none for a report without a result). */
    add(resources: Resource[]): string {
      return resources
        .map((res) => {
          const entry = {
            fullUrl: `urn:uuid:${res.id}`,
            resource: res,
            ...(type === 'transaction'
              ? { request: { method: 'PUT', url: `${res.resourceType}/${res.id}` } }
              : {}),
          }
          const sep = first ? '' : ','
          first = false
          return `${sep}\n${JSON.stringify(entry)}`
        })
        .join('')
    },
    tail: '\n]}\n',
  }
}
