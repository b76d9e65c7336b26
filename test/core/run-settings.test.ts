/**
 * One schema for run settings: the CLI's flags and the worker's environment read the same keys
 * with the same defaults and limits, and the backend config is built once from them.
 */
import { describe, expect, it } from 'vitest'
import { backendConfig } from '../../adapters/backends/index.ts'
import { referenceModelsDir } from '../../adapters/backends/reference-student.ts'
import { extractSettings } from '../../cli/commands/extract.ts'
import { defaultSampling, readRunSettings, samplingOf } from '../../core/run-settings.ts'
import { loadWorkerConfig } from '../../inference-gpu/config.ts'

const worker = (env: Record<string, string>) =>
  loadWorkerConfig({ QUEUE_URL: 'http://127.0.0.1:1/q', RESULTS_URI: 's3://results', ...env })

describe('run settings', () => {
  it('the CLI and the worker get the same defaults, and build the same backend config', () => {
    const cli = extractSettings({})
    const env = worker({}).run
    expect(samplingOf(cli)).toEqual(defaultSampling)
    expect(samplingOf(env)).toEqual(defaultSampling)
    expect(backendConfig(cli)).toEqual(backendConfig(env))
    expect(backendConfig(cli)).toEqual({
      backend: 'encoder',
      modelDir: referenceModelsDir,
      threads: 1,
    })
  })

  it("reads the same values under each side's own names", () => {
    const cli = extractSettings({
      samples: '5',
      temperature: '0.7',
      'max-tokens': '64',
      decoding: 'free',
    })
    const env = worker({ SAMPLES: '5', TEMPERATURE: '0.7', MAX_TOKENS: '64', DECODING: 'free' }).run
    expect(samplingOf(cli)).toEqual({
      samples: 5,
      temperature: 0.7,
      maxTokens: 64,
      decoding: 'free',
    })
    expect(samplingOf(env)).toEqual(samplingOf(cli))
    const embedded = readRunSettings(
      { kind: 'embedded', file: '/m.gguf', k: '7' },
      { backend: 'kind', model: 'file', samples: 'k' },
    )
    if (!embedded.ok) throw new Error(embedded.problems.join('; '))
    // seven samples, but at most four contexts in memory
    expect(backendConfig(embedded.settings)).toEqual({
      backend: 'embedded',
      modelPath: '/m.gguf',
      sequences: 4,
      threads: 1,
    })
  })

  it('names each bad setting by the name its source uses, with what was expected', () => {
    expect(() => extractSettings({ samples: '-1' })).toThrow(/--samples: .*>=0.*got '-1'/)
    expect(() => extractSettings({ temperature: '3' })).toThrow(/--temperature: .*got '3'/)
    expect(() => extractSettings({ backend: 'gpt' })).toThrow(/--backend: .*got 'gpt'/)
    expect(() => extractSettings({ backend: 'server' })).toThrow(
      /--server-url: the server backend needs the server URL/,
    )
    expect(() => worker({ SAMPLES: '-1', DECODING: 'loose' })).toThrow(
      /SAMPLES: .*got '-1'[\s\S]*DECODING: .*got 'loose'/,
    )
    expect(() => worker({ BACKEND: 'embedded' })).toThrow(
      /MODEL: the embedded backend needs a GGUF model/,
    )
  })
})
