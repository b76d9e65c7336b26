import { describe, expect, it } from 'vitest'
import { idFromFileName, splitReports } from '../../../core/reports/split.ts'

describe('splitReports', () => {
  it('reads a plain-text file as one report named after the file', () => {
    expect(splitReports('reports/001.txt', 'LVEF 60 %')).toEqual({
      reports: [{ id: '001', text: 'LVEF 60 %' }],
      errors: [],
    })
  })

  it('reads NDJSON line by line and names the line of each problem, never the text', () => {
    const r = splitReports(
      'batch.ndjson',
      '{"id":"a","text":"EF 60"}\n\n{"id":"b"}\nnot json\n{"id":"c","text":"x","sex":"F"}\n',
    )
    expect(r.reports.map((x) => x.id)).toEqual(['a'])
    expect(r.errors).toEqual([
      {
        file: 'batch.ndjson',
        where: 'line 3',
        message: 'text (report b): Invalid input: expected string, received undefined',
      },
      { file: 'batch.ndjson', where: 'line 4', message: 'not valid JSON' },
      {
        file: 'batch.ndjson',
        where: 'line 5',
        message: expect.stringMatching(/^sex \(report c\): /),
      },
    ])
  })

  it('reads a JSON array or a single JSON report', () => {
    expect(
      splitReports('a.json', '[{"id":"1","text":"a"},{"id":"2","text":"b","sex":"female"}]')
        .reports,
    ).toHaveLength(2)
    expect(splitReports('a.json', '{"id":"1","text":"a"}').reports).toHaveLength(1)
  })

  it('flags a repeated id', () => {
    expect(splitReports('a.json', '[{"id":"1","text":"a"},{"id":"1","text":"b"}]').errors).toEqual([
      { file: 'a.json', message: "report id '1' appears more than once" },
    ])
  })

  it('makes a safe id from any file name', () => {
    expect(idFromFileName('dir/Report 7 (final).txt')).toBe('Report_7__final_')
  })
})
