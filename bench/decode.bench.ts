/**
 * The decoders' cost by format and length (`npm run bench`): one report decoded, in ms, at about
 * 150, 600, 2,400 and 9,600 words, so that the growth with input size shows (linear: each step
 * is four times the last). Reports are made here from a measurement list, in each format.
 */
import { decodeReport } from '../core/decode/index.ts'

const names = [
  'LV end-diastolic volume',
  'LV end-systolic volume',
  'LV ejection fraction',
  'RV end-diastolic volume',
  'LV mass',
]
const units = ['mL', 'mL', '%', 'mL', 'g']

/** About `words` words of measurements in one format. */
function report(format: string, words: number): string {
  const rows = Math.max(1, Math.round(words / 6))
  const row = (i: number) => ({
    name: names[i % names.length] as string,
    value: 50 + (i % 150),
    unit: units[i % units.length] as string,
  })
  const all = Array.from({ length: rows }, (_, i) => row(i))
  switch (format) {
    case 'hl7':
      return [
        'MSH|^~\\&|CVIS|H|RIS|H|20240101||ORU^R01|1|P|2.5',
        ...all.map(
          (r, i) => `OBX|${i + 1}|NM|C${i}^${r.name}^L||${r.value}|${r.unit}|10-200|N|||F`,
        ),
      ].join('\r')
    case 'html':
      return `<html><body><table><tr><th>Parameter</th><th>Value</th><th>Unit</th></tr>${all
        .map((r) => `<tr><td>${r.name}</td><td>${r.value}</td><td>${r.unit}</td></tr>`)
        .join('')}</table></body></html>`
    case 'json':
      return JSON.stringify({
        resourceType: 'Bundle',
        entry: all.map((r) => ({
          resource: {
            resourceType: 'Observation',
            code: { text: r.name },
            valueQuantity: { value: r.value, unit: r.unit },
          },
        })),
      })
    case 'xml':
      return `<?xml version="1.0"?><Export>${all.map((r) => `<Value Name="${r.name}" Unit="${r.unit}">${r.value}</Value>`).join('')}</Export>`
    case 'delimited':
      return ['Parameter;Value;Unit', ...all.map((r) => `${r.name};${r.value};${r.unit}`)].join(
        '\n',
      )
    default:
      return all.map((r) => `${r.name} ${r.value} ${r.unit}, EDV/ESV 150/60 ml.`).join(' ')
  }
}

console.log('decode: ms per report (one thread) at about 150 / 600 / 2,400 / 9,600 words')
for (const format of ['hl7', 'html', 'json', 'xml', 'delimited', 'text']) {
  const figures: string[] = []
  for (const words of [150, 600, 2400, 9600]) {
    const text = report(format, words)
    const runs = Math.max(5, Math.round(4000 / words))
    for (let i = 0; i < 3; i++) decodeReport(text)
    const start = performance.now()
    for (let i = 0; i < runs; i++) decodeReport(text)
    figures.push(((performance.now() - start) / runs).toFixed(2))
  }
  console.log(`  ${format.padEnd(10)} ${figures.join(' / ')}`)
}
