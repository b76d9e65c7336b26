import { execFileSync, spawnSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root, runCli } from '../helpers.ts'

const samples = join(root, 'examples', 'samples', 'cmr52')

const run = runCli

const tmp = () => mkdtempSync(join(tmpdir(), 'radstruct-'))

describe('radstruct score', () => {
  it('prints the scored result as JSON', async () => {
    const r = await run(
      'score',
      '--task',
      'cmr52',
      '--record',
      join(samples, '001.json'),
      '--report',
      join(samples, '001.txt'),
    )
    expect(r.code).toBe(0)
    const result = JSON.parse(r.out)
    expect(Object.keys(result)).toEqual([
      'task',
      'values',
      'confidence',
      'signals',
      'evidence',
      'flagged',
      'threshold',
      'report',
    ])
    expect(result.evidence.LVEDV).toEqual({ start: expect.any(Number), end: expect.any(Number) })
  })

  it('--format table lists the fields to review: the four mistakes of the example extraction, and the right value whose formula a mistake breaks', async () => {
    const r = await run(
      'score',
      '--task',
      'cmr52',
      '--record',
      join(root, 'examples', 'cmr52-extraction.json'),
      '--report',
      join(samples, '002.txt'),
      '--format',
      'table',
    )
    expect(r.code).toBe(0)
    expect(r.out).toContain('5 to review')
    // LVMASSI is right, but LVMASS / BSA no longer gives it: a broken formula is never sure
    for (const k of ['LVEDD', 'LVMASS', 'RVEF', 'LVEF', 'LVMASSI'])
      expect(r.out).toMatch(new RegExp(`^${k} `, 'm'))
  })

  it('uses samples for stability', async () => {
    const dir = tmp()
    const gold = JSON.parse(readFileSync(join(samples, '001.json'), 'utf8'))
    writeFileSync(join(dir, 's1.json'), JSON.stringify({ ...gold, LVEF: 70 }))
    writeFileSync(join(dir, 's2.json'), JSON.stringify(gold))
    const r = await run(
      'score',
      '--task',
      'cmr52',
      '--record',
      join(samples, '001.json'),
      '--samples',
      `${join(dir, 's1.json')},${join(dir, 's2.json')}`,
    )
    expect(JSON.parse(r.out).signals.LVEF.stability).toBe(0.5)
  })

  it('names the file, the field and what was expected for a bad record', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ LVEF: '65%', LVEDVX: 3 }))
    const r = await run('score', '--task', 'cmr52', '--record', join(dir, 'bad.json'))
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${join(dir, 'bad.json')}: not a record of task cmr52`)
    expect(r.err).toContain("LVEDVX: unknown field for task cmr52; did you mean 'LVEDV'?")
    expect(r.err).toContain('LVEF: expected a number in % or null, got the string "65%"')
    expect(r.err).not.toMatch(/at .*\.ts:\d+/)
  })

  it('explains a missing file, invalid JSON, an unknown task and a bad task file without a stack trace', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'broken.json'), '{"LVEF": ')
    writeFileSync(
      join(dir, 'task.json'),
      JSON.stringify({
        id: 'x',
        version: 1,
        title: 't',
        description: 'd',
        input: { kind: 'text', description: '' },
        fields: [{ key: 'A', kind: 'number', label: 'a', unit: 'mL', limits: [0, 1] }],
        formulas: ['A = B'],
      }),
    )
    expect(
      (await run('score', '--task', 'cmr52', '--record', join(dir, 'nope.json'))).err,
    ).toContain('nope.json: cannot read file (no such file)')
    expect(
      (await run('score', '--task', 'cmr52', '--record', join(dir, 'broken.json'))).err,
    ).toContain('broken.json: not valid JSON')
    expect((await run('score', '--task', 'cmr99', '--record', 'x')).err).toContain(
      "no task 'cmr99'",
    )
    const bad = await run('score', '--task', join(dir, 'task.json'), '--record', 'x')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain(
      "task.json: invalid task definition\n  - formulas[0]: 'A = B' uses 'B', which is not a number field of this task",
    )
  })

  it('-o into a folder that does not exist yet makes the folder', async () => {
    const file = join(tmp(), 'out', 'nested', 'cmr52.dictionary.csv')
    const r = await run('export', '--task', 'cmr52', '--format', 'redcap-dictionary', '-o', file)
    expect(r.code).toBe(0)
    expect(readFileSync(file, 'utf8')).toMatch(/^"?Variable/)
  })

  it('rejects unknown options with the usage', async () => {
    const r = await run('score', '--tsk', 'cmr52')
    expect(r.code).toBe(2)
    expect(r.err).toContain('radstruct score --task TASK')
  })
})

describe('radstruct eval', () => {
  it('scores gold against itself as 100 % and counts planted errors', async () => {
    const pred = tmp()
    for (const id of ['001', '002']) {
      const gold = JSON.parse(readFileSync(join(samples, `${id}.json`), 'utf8'))
      writeFileSync(
        join(pred, `${id}.json`),
        JSON.stringify(id === '002' ? { ...gold, LVEDV: null } : gold),
      )
    }
    const gold = tmp()
    for (const id of ['001', '002'])
      writeFileSync(join(gold, `${id}.json`), readFileSync(join(samples, `${id}.json`)))
    const r = await run('eval', '--task', 'cmr52', '--pred', pred, '--gold', gold, '--json')
    expect(r.code).toBe(0)
    const e = JSON.parse(r.out)
    expect(e.errors).toEqual({ omission: 1, hallucination: 0, wrong_value: 0 })
    expect(e.exactMatch).toBe(0.5)
  })

  it('reads scored results, prints the triage table and writes a reliability plot', async () => {
    const pred = tmp()
    const gold = tmp()
    const { out } = await run(
      'score',
      '--task',
      'cmr52',
      '--record',
      join(samples, '003.json'),
      '--report',
      join(samples, '003.txt'),
    )
    const scored = JSON.parse(out)
    scored.values.LVEF = 99
    writeFileSync(join(pred, '003.json'), JSON.stringify(scored))
    writeFileSync(join(gold, '003.json'), readFileSync(join(samples, '003.json')))
    const plot = join(pred, 'plot.svg')
    const r = await run('eval', '--task', 'cmr52', '--pred', pred, '--gold', gold, '--plot', plot)
    expect(r.out).toContain('variable-level accuracy')
    expect(r.out).toContain('triage at 0.7')
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg/)
  })

  it('a missing prediction is an error that names the reports', async () => {
    const pred = tmp()
    mkdirSync(join(pred, 'x'))
    const r = await run('eval', '--task', 'cmr52', '--pred', pred, '--gold', samples)
    expect(r.code).toBe(2)
    expect(r.err).toContain('no prediction for 24 gold report(s): 001, 002')
  })
})

describe('radstruct extract', () => {
  it('writes one result per report with the tiny model, and a rerun rewrites the same results', async () => {
    const input = tmp()
    writeFileSync(join(input, 'a.txt'), 'No pneumothorax. Small left effusion.')
    writeFileSync(join(input, 'more.ndjson'), '{"id":"b","text":"Cardiomegaly. No effusion."}\n')
    const out = join(tmp(), 'results')
    const args = [
      'extract',
      '--task',
      'cxr14',
      '--in',
      input,
      '--out',
      out,
      '--backend',
      'embedded',
      '--model',
      join(root, 'models', 'tiny-random.gguf'),
      '--samples',
      '1',
      '--max-tokens',
      '600',
    ]
    const first = await run(...args)
    expect(first.code, first.err).toBe(0)
    expect(first.out).toMatch(/^2 report\(s\) -> /)
    const a = JSON.parse(readFileSync(join(out, 'a.json'), 'utf8'))
    expect(a).toMatchObject({ reportId: 'a', task: 'cxr14', sampling: { samples: 1 } })
    await run(...args)
    expect(readdirSync(out).sort()).toEqual(['a.json', 'b.json'])
    expect(JSON.parse(readFileSync(join(out, 'a.json'), 'utf8')).values).toEqual(a.values)
  }, 60_000)

  it('refuses bad input before loading a model, naming the file and line', async () => {
    const input = tmp()
    writeFileSync(join(input, 'x.ndjson'), '{"id":"1"}\n')
    const r = await run(
      'extract',
      '--task',
      'cxr14',
      '--in',
      input,
      '--out',
      tmp(),
      '--backend',
      'embedded',
      '--model',
      join(root, 'models', 'tiny-random.gguf'),
    )
    expect(r.code).toBe(2)
    expect(r.err).toContain('x.ndjson line 1: text (report 1)')
  })

  it('names a model file that is not there', async () => {
    const input = tmp()
    writeFileSync(join(input, 'a.txt'), 'No effusion.')
    const r = await run(
      'extract',
      '--task',
      'cxr14',
      '--in',
      input,
      '--out',
      tmp(),
      '--backend',
      'embedded',
      '--model',
      'nope.gguf',
    )
    expect(r.code).toBe(2)
    expect(r.err).toContain('--model nope.gguf: no such model file')
  })

  it('runs the shipped encoder when no model is named, skipping the labels beside the reports', async () => {
    const input = tmp()
    for (const f of ['001.txt', '001.json'])
      copyFileSync(join(root, 'examples', 'samples', 'cmr52', f), join(input, f))
    const out = join(tmp(), 'results')
    const r = await run('extract', '--task', 'cmr52', '--in', input, '--out', out)
    expect(r.code, r.err).toBe(0)
    expect(readdirSync(out)).toEqual(['001.json'])
    const result = JSON.parse(readFileSync(join(out, '001.json'), 'utf8'))
    expect(result.model).toMatchObject({ backend: 'encoder', name: 'encoder-cmr52' })
    expect(result.sampling).toMatchObject({ samples: 3, prompt: 'none' })
    const gold = JSON.parse(readFileSync(join(input, '001.json'), 'utf8'))
    const right = Object.keys(gold).filter((k) => result.values[k] === gold[k])
    expect(right.length / Object.keys(gold).length).toBeGreaterThan(0.9)
  }, 120_000)

  it('refuses a task no model serves with exit 2, naming it', async () => {
    const input = tmp()
    writeFileSync(join(input, 'a.txt'), 'No effusion or pneumothorax.')
    const out = tmp()
    const model = join(root, 'models', 'encoder-cmr52')
    const r = await run('extract', '--task', 'cxr14', '--in', input, '--out', out, '--model', model)
    expect(r.code).toBe(2)
    expect(r.err).toContain('no model serves task cxr14')
    expect(readdirSync(out)).toEqual([])
  }, 60_000)

  it('extracts cxr14 and bonemets3 with the shipped encoders when no model is named', async () => {
    for (const [task, gold] of [
      ['cxr14', { 'No Finding': null, Pneumothorax: 'negative', 'Pleural Effusion': 'positive' }],
      ['bonemets3', { group: 1 }],
    ] as const) {
      const input = tmp()
      const text =
        task === 'cxr14'
          ? 'FINDINGS: Small left pleural effusion. No pneumothorax.\nIMPRESSION: Left effusion.'
          : 'CLINICAL INDICATION: Breast cancer.\nFINDINGS: New sclerotic lesions in T8 and L2.\nDIAGNOSIS: New bone metastases.'
      writeFileSync(join(input, 'r1.txt'), text)
      const out = tmp()
      const r = await run('extract', '--task', task, '--in', input, '--out', out)
      expect(r.code, r.err).toBe(0)
      const result = JSON.parse(readFileSync(join(out, 'r1.json'), 'utf8'))
      expect(result.model).toMatchObject({ backend: 'encoder', name: `encoder-${task}` })
      expect(result.values).toMatchObject(gold)
    }
  }, 120_000)
})

describe('the radstruct bin', () => {
  it('runs from node_modules/.bin with Node 22 and exits 2 on bad input', async () => {
    const ok = execFileSync(
      process.execPath,
      [join(root, 'bin', 'radstruct.mjs'), 'schema', '--task', 'bonemets3'],
      { encoding: 'utf8' },
    )
    expect(JSON.parse(ok).properties.group).toBeDefined()
    const bad = spawnSync(process.execPath, [join(root, 'bin', 'radstruct.mjs'), 'nonsense'], {
      encoding: 'utf8',
    })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("unknown command 'nonsense'")
  })
})

describe('newcomer paths', () => {
  it('lists every field of a task with its unit, reference range and limits', async () => {
    const r = await run('fields', '--task', 'cmr52')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/LVAWT {2}\(number\) LV anteroseptal wall thickness/)
    expect(r.out).toMatch(/unit {7}cm \(converted from mm\)/)
    const json = JSON.parse((await run('fields', '--task', 'cxr14', '--json')).out)
    expect(json).toHaveLength(14)
    expect(json[0]).toMatchObject({ key: 'No Finding', kind: 'label' })
  })

  it('prints whole one-line summaries and the exit codes in the overview', async () => {
    const r = await run('--help')
    for (const line of r.out.split('\n').filter((l) => /^ {2}\S/.test(l)))
      expect(line, line).toMatch(/[A-Za-z)]$/)
    expect(r.out).toContain('3 some reports refused')
  })

  it('names a binary input file instead of printing its bytes', async () => {
    const dir = tmp()
    const bin = join(dir, 'scan.txt')
    writeFileSync(bin, Buffer.from([0x00, 0xff, 0x10, 0x80, 0x00]))
    const r = await run('score', '--task', 'cmr52', '--record', bin)
    expect(r.code).toBe(2)
    expect(r.err).toContain('not a text file')
    expect(r.err).not.toMatch(/\uFFFD/)
  })

  it('refuses a --model for the embedded backend that is not GGUF, with exit 2', async () => {
    const input = tmp()
    writeFileSync(join(input, 'a.txt'), 'LVEF 55 %')
    const r = await run(
      'extract',
      '--task',
      'cmr52',
      '--in',
      input,
      '--out',
      tmp(),
      '--backend',
      'embedded',
      '--model',
      join(root, 'package.json'),
    )
    expect(r.code).toBe(2)
    expect(r.err).toContain('not a GGUF file')
  })
})
