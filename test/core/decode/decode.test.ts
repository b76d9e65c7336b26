import { describe, expect, it } from 'vitest'
import { decodeReport, toOriginal } from '../../../core/decode/index.ts'
import { identifierWords } from '../../../core/decode/unit-spelling.ts'
import { scoreRecord } from '../../../core/scoring/index.ts'
import { task } from '../../helpers.ts'

const cmr = task('cmr52')

/** The original characters a field's evidence points at, after scoring the decoded report. */
function evidenceOf(text: string, values: Record<string, number>, key: string): string {
  const r = scoreRecord(cmr, { values, text })
  const e = r.evidence[key]
  if (!e) throw new Error(`no evidence for ${key}`)
  return text.slice(e.start, e.end)
}

const hl7 = [
  'MSH|^~\\&|CVIS|HOSP|RIS|HOSP|20240101||ORU^R01|M1|P|2.5',
  'PID|1||XXXXXXXX^^^HIS||XXXX^XXXX',
  'OBR|1|||CMR^Cardiac MRI^L',
  'OBX|1|NM|LVEDV^LV end-diastolic volume^99CMR||196|mL|81-205|N|||F',
  'OBX|2|NM|LVEDVI^LV end-diastolic volume index^99CMR||98|mL/m2|||||F',
  'OBX|3|SN|LVEF^LV ejection fraction^99CMR||=^55|%|50-78|N|||F',
  'OBX|4|NM|SBP^Systolic blood pressure^99CMR||128|mm[Hg]|||||F',
  'OBX|5|TX|IMP^Impression^99CMR||Dilated LV\\.br\\LV mass 150 g \\T\\ no LGE||||||F',
].join('\r')

describe('decoding what hospital systems emit', () => {
  it('HL7 v2: one statement per OBX; SN values, UCUM units and escapes read; no PID', () => {
    const r = decodeReport(hl7)
    expect(r.format).toBe('hl7')
    expect(r.text).toContain('LV end-diastolic volume (LVEDV): 196 mL (ref 81-205)')
    expect(r.text).toContain('LV ejection fraction (LVEF): =55 %')
    expect(r.text).toContain('Systolic blood pressure (SBP): 128 mmHg')
    expect(r.text).toContain('Dilated LV\nLV mass 150 g & no LGE')
    expect(r.text).not.toContain('XXXX')
    expect(r.statements).toBe(4)
  })

  it('HL7 v2 with other encoding characters reads the same (MSH-1 and MSH-2)', () => {
    const other = hl7.replace(/\|/g, '#').replace('MSH#^~\\&', 'MSH#*~\\&').replace(/\^/g, '*')
    const r = decodeReport(other)
    expect(r.format).toBe('hl7')
    expect(r.text).toContain('LV end-diastolic volume (LVEDV): 196 mL (ref 81-205)')
  })

  it('HL7 v2: a batch file in MLLP framing, chambers in OBX-4, codes named by a legend in the notes', () => {
    const msg = [
      '\vFHS|^~\\&|SENDER',
      'BHS|^~\\&|SENDER',
      'MSH|^~\\&|S|F|R|F|20240101||ORU^R01|9|P|2.5',
      'OBR|1|||MRH^MR heart^L',
      'NTE|1||Q17 = Ejection fraction',
      'OBX|1|NM|Q17^^L|LV|58|%|||||F',
      'OBX|2|NM|Q17^^L|RV|51|%|||||F',
      'OBX|3|NM|Q18^^L|2|77|kg|||||F',
      '\x1c',
    ].join('\r')
    const r = decodeReport(msg)
    expect(r.format).toBe('hl7')
    expect(r.text).toContain('LV Ejection fraction: 58 %')
    expect(r.text).toContain('RV Ejection fraction: 51 %')
    // a numeric sub-ID only orders; a code the legend does not name stays a code
    expect(r.text).toContain('Q18: 77 kg')
  })

  it('HL7 v2: evidence points at the value in the message, the escapes around it kept', () => {
    expect(evidenceOf(hl7, { LVEDV: 196 }, 'LVEDV')).toBe('196|mL')
    expect(evidenceOf(hl7, { LVMASS: 150 }, 'LVMASS')).toBe('150 g')
  })

  const html = `<html><head><style>td{color:red}</style><title>x</title></head><body>
<h2>CMR</h2><p>EF 45&nbsp;% in the history.</p>
<table><tr><th>Parameter</th><th>Value</th><th>Unit</th><th>Prior</th></tr>
<tr><th colspan="4">Left ventricle</th></tr>
<tr><td>End-diastolic volume</td><td>196</td><td>ml</td><td>180</td></tr>
<tr><td>EDV index</td><td>98</td><td>ml/m&sup2;</td><td>90</td></tr>
</table></body></html>`

  it('HTML: tables as statements (section rows, unit column), prior columns left out, entities decoded', () => {
    const r = decodeReport(html)
    expect(r.format).toBe('html')
    expect(r.text).toContain('Left ventricle End-diastolic volume: 196 ml')
    expect(r.text).toContain('Left ventricle EDV index: 98 ml/m²')
    expect(r.text).not.toMatch(/180|color:red/)
    expect(r.text).toContain('EF 45 % in the history.')
  })

  it('HTML: evidence spans cover the value and the entity-encoded unit of the original', () => {
    const span = evidenceOf(html, { LVEDVI: 98 }, 'LVEDVI')
    expect(span.startsWith('98')).toBe(true)
    expect(span.endsWith('ml/m&sup2;')).toBe(true)
  })

  it('FHIR JSON: an Observation per statement, components under their name; evidence in the JSON', () => {
    const fhir = JSON.stringify(
      {
        resourceType: 'Bundle',
        entry: [
          {
            resource: {
              resourceType: 'Observation',
              code: { text: 'LV end-diastolic volume' },
              valueQuantity: { value: 196, unit: 'mL' },
              referenceRange: [{ low: { value: 81 }, high: { value: 205 } }],
            },
          },
          {
            resource: {
              resourceType: 'Observation',
              code: { text: 'Blood pressure' },
              component: [
                { code: { text: 'systolic' }, valueQuantity: { value: 128, unit: 'mm[Hg]' } },
                { code: { text: 'diastolic' }, valueQuantity: { value: 76, unit: 'mm[Hg]' } },
              ],
            },
          },
        ],
      },
      null,
      1,
    )
    const r = decodeReport(fhir)
    expect(r.format).toBe('json')
    expect(r.text).toContain('LV end-diastolic volume: 196 mL (ref 81-205)')
    expect(r.text).toContain('Blood pressure systolic: 128 mmHg')
    expect(evidenceOf(fhir, { LVEDV: 196 }, 'LVEDV')).toMatch(/^196[\s\S]*mL$/)
  })

  it('nested vendor JSON: the key path names the measurement', () => {
    const r = decodeReport('{"LV": {"EDV": {"value": 196, "unit": "ml"}, "endSystolicVolume": 80}}')
    expect(r.text).toContain('LV EDV: 196 ml')
    expect(r.text).toContain('LV end Systolic Volume: 80')
  })

  it('XML: attribute and element values, groups as labels, the root left out', () => {
    const xml = `<?xml version="1.0"?><Export version="2"><Volumetry Structure="LV"><Value Name="EDV" Unit="ml">196</Value></Volumetry><Patient><Height unit="cm">176</Height></Patient></Export>`
    const r = decodeReport(xml)
    expect(r.format).toBe('xml')
    expect(r.text).toContain('LV EDV: 196 ml')
    expect(r.text).toContain('Patient Height: 176 cm')
    expect(evidenceOf(xml, { HEIGHT: 176 }, 'HEIGHT')).toBe('176')
  })

  it('delimited: a long semicolon export with decimal commas and a wide CSV', () => {
    const long = 'Parameter;Wert;Einheit\nLVEDV;196,4;ml\nLVEF;55,0;%\nBSA;1,97;m2\n'
    const r = decodeReport(long)
    expect(r.format).toBe('delimited')
    expect(r.text).toContain('LVEDV: 196,4 ml')
    const wide = 'Id,Height_cm,Weight_kg,LVEDV_ml,LVESV_ml,LVEF_pct\nXXXX,176,80,196,80,59\n'
    const w = decodeReport(wide)
    expect(w.text).toContain('LVEDV_ml: 196')
    expect(w.text).not.toContain('XXXX')
    expect(evidenceOf(wide, { LVEDV: 196 }, 'LVEDV')).toBe('196')
  })

  it('delimited: blocks of different widths, each its own table; ranges over two columns; cm³ read as ml', () => {
    const text = [
      'Block,Body',
      'Size [cm],Mass [kg],Pulse [/min]',
      '181,77,64',
      '',
      'Block,Volumes',
      'Cavity,EDV [ml],ESV [ml],EF [%]',
      'LV,171,69,60',
      'RV,180,81,55',
      '',
      'Item\tResult\tUnit\tLow\tHigh',
      'LA volume\t72\tcm³\t\t',
      'RA volume\t66\tcm³\t40\t95',
    ].join('\n')
    const r = decodeReport(text)
    expect(r.format).toBe('delimited')
    expect(r.text).toContain('Pulse [/min]: 64')
    expect(r.text).toContain('EDV [ml] LV: 171')
    expect(r.text).toContain('ESV [ml] RV: 81')
    // the tab block is a third table: tabs do not split the comma lines into cells
    expect(decodeReport(text.split('\n\n')[2] as string).text).toContain(
      'RA volume: 66 ml (ref 40-95)',
    )
    const long = 'Item;Result;Unit\nLA volume;72;cm³\nRA volume;66 ccm;\n'
    const l = decodeReport(long)
    expect(l.text).toContain('LA volume: 72 ml')
    expect(l.text).toContain('RA volume: 66 ml')
    expect(evidenceOf(long, { RAV: 66 }, 'RAV')).toBe('66 ccm')
  })

  it('JSON and XML records whose keys are in another language are read by their shape', () => {
    const json =
      '{"studie": {"metingen": [{"naam": "Gewicht", "waarde": 81, "eenheid": "kg"}, {"naam": "LV ejectiefractie", "waarde": "57", "eenheid": "%"}, {"aantal": 3, "opmerking": "geen"}]}}'
    const j = decodeReport(json)
    expect(j.text).toContain('studie metingen Gewicht: 81 kg')
    expect(j.text).toContain('LV ejectiefractie: 57 %')
    expect(j.text).not.toContain('opmerking')
    expect(evidenceOf(json, { WEIGHT: 81 }, 'WEIGHT')).toMatch(/^81[\s\S]*kg$/)
    const xml =
      '<?xml version="1.0"?><Rapport><Groep naam="Linker ventrikel"><Meting naam="Massa" waarde="131" eenh="g" bereik="90-170"/><Bloeddruk u="mmHg" systolisch="128" diastolisch="79"/></Groep><T1Native region="septum" unit="ms">1012</T1Native></Rapport>'
    const x = decodeReport(xml)
    expect(x.text).toContain('Linker ventrikel Massa: 131 g')
    expect(x.text).not.toContain('90-170')
    expect(x.text).toContain('Bloeddruk systolisch: 128')
    expect(x.text).toContain('T1 Native septum: 1012 ms')
  })

  it('JSON Lines, values written with their unit, and a line that is not JSON kept as text', () => {
    const text = [
      '{"seq": 1, "key": "lv_edv", "val": 131, "unit": "ml"}',
      '{"seq": 2, "label": "RV ejection fraction", "value": "49,5 %"}',
      'END OF EXPORT, 2 rows',
    ].join('\n')
    const r = decodeReport(text)
    expect(r.format).toBe('json')
    expect(r.text).toContain('lv_edv: 131 ml')
    expect(r.text).toContain('RV ejection fraction: 49,5 %')
    expect(r.text).not.toContain('seq')
    expect(r.text).toContain('END OF EXPORT, 2 rows')
  })

  it('XML: DICOM SR content items with a finding-site modifier, records of leaves in any language, chamber ids', () => {
    const sr = [
      '<?xml version="1.0"?><SR><ContentSequence>',
      '<ContentItem ValueType="CONTAINER"><ConceptNameCodeSequence><CodeMeaning>Volumetry</CodeMeaning></ConceptNameCodeSequence>',
      '<ContentItem ValueType="CODE"><ConceptNameCodeSequence><CodeMeaning>Finding Site</CodeMeaning></ConceptNameCodeSequence><ConceptCodeSequence><CodeValue>53085002</CodeValue><CodeMeaning>Right ventricle</CodeMeaning></ConceptCodeSequence></ContentItem>',
      '<ContentItem ValueType="NUM"><ConceptNameCodeSequence><CodeValue>X1</CodeValue><CodeMeaning>End systolic volume</CodeMeaning></ConceptNameCodeSequence><MeasuredValueSequence><NumericValue>83</NumericValue><MeasurementUnitsCodeSequence><CodeValue>ml</CodeValue></MeasurementUnitsCodeSequence></MeasuredValueSequence></ContentItem>',
      '</ContentItem></ContentSequence></SR>',
    ].join('')
    expect(decodeReport(sr).text).toContain('Volumetry Right ventricle End systolic volume: 83 ml')
    const leaves =
      '<?xml version="1.0"?><verslag><meting><naam>Gewicht</naam><waarde>81</waarde><eenheid>kg</eenheid></meting><kamer id="RV"><Ejectiefractie unit="%">52</Ejectiefractie></kamer></verslag>'
    const l = decodeReport(leaves)
    expect(l.text).toContain('Gewicht: 81 kg')
    expect(l.text).toContain('kamer RV Ejectiefractie: 52 %')
  })

  it('XML: a quantity a range word qualifies is a measurement, a range end is not; CDATA laid out in lines keeps them', () => {
    const xml = [
      '<?xml version="1.0"?><Study><RA><MaxVolume unit="mL">91</MaxVolume><Max unit="mL">140</Max>',
      '<T1 delayMin="15" unit="ms">455</T1></RA>',
      '<Notes><![CDATA[',
      'ROI              native T1    ECV',
      'septum           1012 ms      27 %',
      ']]></Notes></Study>',
    ].join('\n')
    const r = decodeReport(xml)
    expect(r.text).toContain('RA Max Volume: 91 mL')
    expect(r.text).not.toContain('140')
    expect(r.text).toContain('RA T1: 455 ms')
    expect(r.text).not.toMatch(/delay/i)
    expect(r.text).toContain('septum           1012 ms      27 %')
  })

  it('identifiers as words: camel case and a number inside a name, units and T1 kept whole', () => {
    expect(identifierWords('rightAtriumArea4Ch')).toBe('right Atrium Area 4 Ch')
    expect(identifierWords('cvi:T1NativeBlood')).toBe('T1 Native Blood')
    expect(identifierWords('t1Native')).toBe('t1 Native')
    expect(identifierWords('area_cm2')).toBe('area_cm2')
  })

  it('delimited: a row of empty cells stays inside its table; a flag column names nothing', () => {
    const text =
      'Item;Value;Unit;Lo;Hi;Abn\nPulse;58;bpm;;;\n;;;;;\nRV EDV;251;ml;118;250;H\nRV EF;41;%;47;67;L\n'
    const r = decodeReport(text)
    expect(r.text).toContain('RV EDV: 251 ml (ref 118-250)')
    expect(r.text).toContain('RV EF: 41 % (ref 47-67)')
  })

  it('text: a line of names over a line of values, columns lost to single spaces, read as pairs', () => {
    const text = [
      'Vital signs',
      'Height Weight Pulse Blood pressure',
      '171 cm 69 kg 58 /min 121/77 mmHg',
      'RV EDV RV ESV RVEF',
      '150 ml 66 ml 56 %',
      'Comment: the height and weight were measured on the day.',
    ].join('\n')
    const r = decodeReport(text)
    expect(r.text).toContain(
      'Height: 171 cm\nWeight: 69 kg\nPulse: 58 /min\nBlood pressure: 121/77 mmHg',
    )
    expect(r.text).toContain('RV EDV: 150 ml\nRV ESV: 66 ml\nRVEF: 56 %')
    expect(r.text).toContain('Comment: the height and weight were measured on the day.')
    expect(evidenceOf(text, { RVESV: 66 }, 'RVESV')).toBe('66 ml')
  })

  it('delimited: a pipe-separated dump, its column names once above sections; a drawn table stays the layout stage', () => {
    const dump = [
      '# cols: part|item|value|unit|percentile',
      '== VITALS',
      'body|pulse|63|1/min|',
      'body|weight|77|kg|',
      '== RV',
      'rv|edv|171|ml|48',
      'rv|ef|52|%|30',
    ].join('\n')
    const r = decodeReport(dump)
    expect(r.format).toBe('delimited')
    expect(r.text).toContain('body pulse: 63 bpm')
    expect(r.text).toContain('rv edv: 171 ml')
    expect(r.text).not.toMatch(/: (?:48|30)\b/)
    expect(decodeReport('| LV EDV | 150 ml |\n| LV EF | 61 % |\n').format).not.toBe('delimited')
  })

  it('HTML: a layout table around data tables, names and values taking turns, a remark column after the value', () => {
    const html = [
      '<html><body><table><tr><td><h3>Vitals</h3>',
      '<table><tr><th>Height</th><td>171 cm</td><th>Pulse</th><td>63 bpm</td></tr></table>',
      '<table><tr><td>LV-EDV</td><td><b>150</b></td><td>ml (81 ml/m<sup>2</sup>)</td></tr><tr><td>LV-EF</td><td>61</td><td>%</td></tr></table>',
      '</td></tr></table></body></html>',
    ].join('')
    const r = decodeReport(html)
    expect(r.text).toContain('Height: 171 cm\nPulse: 63 bpm')
    expect(r.text).toContain('LV-EDV: 150 ml (81 ml/m2)')
    expect(r.text).toContain('LV-EF: 61 %')
    // words a line break parts in a cell stay apart: "Right<br>ventricle"
    const br = decodeReport(
      '<table><tr><th>Item</th><th>Value</th></tr><tr><td rowspan="2">Right<br>ventricle</td><td>EDV 171 ml</td></tr><tr><td>ESV 80 ml</td></tr></table>',
    )
    expect(br.text).toContain('Right ventricle')
  })

  it('PDF text: names and values on one line across a wide gap are a table, not two columns of text', () => {
    const text = [
      'Page 1 of 1',
      'Right ventricle',
      '  End-diastolic volume          171 ml      index 92 ml/m²',
      '  End-systolic volume           80 ml       index 43 ml/m²',
      '  Ejection fraction             53 %        (ref. 48–74 %)',
      '\fPage 1 of 1',
    ].join('\n')
    const r = decodeReport(text)
    expect(r.text).toMatch(/End-systolic volume {11}80 ml {7}index 43 ml\/m²/)
  })

  it("delimited: a tab table without a header stays the layout stage's; a row without labels continues the one above", () => {
    const headless = 'LV EDV\t150\tml\t140\nLV ESV\t60\tml\t58\n'
    expect(decodeReport(headless).format).not.toBe('delimited')
    const headed = 'Item\tValue\tUnit\tPrior\nLV EDV\t150\tml\t140\n\t81\tml/m2\t76\n'
    const r = decodeReport(headed)
    expect(r.text).toContain('LV EDV: 150 ml')
    expect(r.text).toContain('LV EDV: 81 ml/m2')
    expect(r.text).not.toMatch(/: (?:140|76)\b/)
  })

  it('text: a table written out column by column is paired back in any text, pressures and m2 included', () => {
    const text = [
      'RESULTS',
      'Parameter',
      'Body surface area',
      'Blood pressure',
      'RV end-diastolic volume',
      'Value',
      '1.71 m2',
      '131/79 mmHg',
      '171 ml',
      'Comment: normal study.',
    ].join('\n')
    const r = decodeReport(text)
    expect(r.text).toContain(
      'Body surface area: 1.71 m2\nBlood pressure: 131/79 mmHg\nRV end-diastolic volume: 171 ml',
    )
  })

  it('delimited: a header row repeated for each chamber heads its own rows, and its first cell names them', () => {
    const text = [
      'Left ventricle;Value;Unit;Normal',
      'EDV;168;ml;106 - 214',
      'EF;61;%;57 - 77',
      ';;;',
      'Right ventricle;Value;Unit;Normal',
      'EDV;174;ml;118 - 250',
      'EF;54;%;49 - 73',
    ].join('\n')
    const r = decodeReport(text)
    expect(r.text).toContain('Left ventricle EDV: 168 ml (ref 106 - 214)')
    expect(r.text).toContain('Right ventricle EF: 54 % (ref 49 - 73)')
  })

  it('delimited: prose whose lines hold commas stays text', () => {
    const prose =
      'LV EDV 150 ml, ESV 60 ml, EF 60 %.\nRV EDV 160 ml, ESV 70 ml, EF 56 %.\nNo LGE, no oedema, normal T1.\n'
    expect(decodeReport(prose).format).not.toBe('delimited')
  })

  it('compact prose: slash groups and respectively written out; ratios and pressures left alone', () => {
    const text =
      'LV EDV/ESV/SV/EF 204/112/92/45 %. BP 120/80 mmHg, E/A 1.2. EDV and ESV were 150 and 60 mL, respectively.'
    const r = decodeReport(text)
    expect(r.text).toContain('LV EDV 204, LV ESV 112, LV SV 92, LV EF 45 %')
    expect(r.text).toContain('BP 120/80 mmHg, E/A 1.2')
    expect(r.text).toContain('EDV 150 mL, ESV 60 mL')
    expect(evidenceOf(text, { LVESV: 112 }, 'LVESV')).toBe('112')
  })

  it("compact prose: a unit inside a slash group is its values' back to the last unit; a dictated pressure", () => {
    const text =
      'RV EDV/ESV/SV/EF 171/80/91 mL/53 %. Blood pressure 126 over 74 mmHg at rest, Qp/Qs 1.1.'
    const r = decodeReport(text)
    expect(r.text).toContain('RV EDV 171 mL, RV ESV 80 mL, RV SV 91 mL, RV EF 53 %')
    expect(r.text).toContain('Blood pressure 126/74 mmHg at rest')
    expect(evidenceOf(text, { DBP: 74 }, 'DBP')).toBe('74 mmHg')
  })

  it('compact prose: a list of names then a list of values, the shared words given to each name', () => {
    const text =
      'Right ventricular end-diastolic, end-systolic and stroke volumes measured 171, 80 and 91 ml. Indexed EDV and ESV: 92 and 43 ml/m2. Dose 10 and 20 mg twice.'
    const r = decodeReport(text)
    expect(r.text).toContain(
      'Right ventricular end-diastolic volumes 171 ml, Right ventricular end-systolic volumes 80 ml, Right ventricular stroke volumes 91 ml',
    )
    expect(r.text).toContain('Indexed EDV 92 ml/m2, Indexed ESV 43 ml/m2')
    expect(r.text).toContain('Dose 10 and 20 mg twice')
    expect(evidenceOf(text, { RVESV: 80 }, 'RVESV')).toMatch(/^80\b/)
  })

  it('PDF text: ligatures, broken words, page furniture and a linearised table', () => {
    const text = [
      'CARDIAC CENTRE XXXX       Page 1/2',
      'Indication: ﬁbrosis? Repolarisa-',
      'tion abnormality.',
      'End-diastolic volume',
      'End-systolic volume',
      'Ejection fraction',
      '196 ml',
      '80 ml',
      '59 %',
      '\fCARDIAC CENTRE XXXX       Page 2/2',
      'Conclusion: normal.',
    ].join('\n')
    const r = decodeReport(text)
    expect(r.format).toBe('pdf')
    expect(r.text).toContain('fibrosis? Repolarisation abnormality.')
    expect(r.text).toContain('End-systolic volume: 80 ml')
    expect(r.text).not.toContain('Page 1/2')
    expect(evidenceOf(text, { LVEF: 59 }, 'LVEF')).toBe('59 %')
  })

  it('plain text is its own rendering, and a span maps to itself', () => {
    const text = 'LV ejection fraction 55 %.'
    const r = decodeReport(text)
    expect(r.text).toBe(text)
    expect(toOriginal(r, { start: 21, end: 25 })).toEqual({ start: 21, end: 25 })
  })
})
