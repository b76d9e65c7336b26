/** The model backends by name: one map, one required config per backend. */
import type { ModelBackend } from '../../core/ports/model-backend.ts'
import type { RunSettings } from '../../core/run-settings.ts'
import { referenceModelsDir } from './reference-student.ts'
import type { GrammarDialect } from './server.ts'

export type BackendConfig =
  | { backend: 'encoder'; modelDir: string; threads: number; gpu?: boolean }
  | { backend: 'embedded'; modelPath: string; sequences: number; threads: number }
  | { backend: 'server'; baseUrl: string; dialect: GrammarDialect; model?: string; apiKey?: string }

/**
 * The backend config from run settings, for the CLI and the worker alike. `local` is where the
 * model's files are on this machine once fetched (the worker fetches s3:// models first); an
 * encoder with no model named reads the shipped ones.
 */
export function backendConfig(s: RunSettings, local?: string): BackendConfig {
  switch (s.backend) {
    case 'encoder':
      return {
        backend: 'encoder',
        modelDir: local ?? s.model ?? referenceModelsDir,
        threads: s.threads,
        ...(s.gpu ? { gpu: true } : {}),
      }
    case 'embedded':
      return {
        backend: 'embedded',
        modelPath: local ?? (s.model as string),
        // one report's greedy pass and samples at once, at most four contexts in memory
        sequences: s.sequences ?? Math.min(s.samples + 1, 4),
        threads: s.threads,
      }
    case 'server':
      return {
        backend: 'server',
        baseUrl: s.serverUrl as string,
        dialect: s.dialect,
        ...(s.model ? { model: s.model } : {}),
        ...(s.apiKey ? { apiKey: s.apiKey } : {}),
      }
  }
}

/** Opens a backend; each loads its runtime (onnxruntime, node-llama-cpp) only when chosen. */
export async function openBackend(config: BackendConfig): Promise<ModelBackend> {
  switch (config.backend) {
    case 'encoder': {
      // one model folder, or a folder of them (one per task)
      const { EncoderSet, encoderDirs } = await import('./encoder-set.ts')
      const dirs = encoderDirs(config.modelDir)
      if (dirs.length === 0)
        throw new Error(
          `encoder model: nothing at ${config.modelDir} (expected a folder with encoder.json, encoder.onnx and heads.onnx, or a folder of such folders)`,
        )
      if (dirs.length !== 1)
        return new EncoderSet({
          dirs,
          threads: config.threads,
          ...(config.gpu ? { gpu: true } : {}),
        })
      const { OnnxEncoderBackend } = await import('./encoder.ts')
      return OnnxEncoderBackend.open({
        modelDir: dirs[0] ?? config.modelDir,
        threads: config.threads,
        ...(config.gpu ? { gpu: true } : {}),
      })
    }
    case 'embedded': {
      const { EmbeddedBackend } = await import('./embedded.ts')
      return EmbeddedBackend.open({
        modelPath: config.modelPath,
        sequences: config.sequences,
        threads: config.threads,
      })
    }
    case 'server': {
      const { ServerBackend } = await import('./server.ts')
      return ServerBackend.open({
        baseUrl: config.baseUrl,
        dialect: config.dialect,
        ...(config.model ? { model: config.model } : {}),
        ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      })
    }
  }
}
