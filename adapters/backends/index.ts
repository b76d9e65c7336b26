/** The model backends by name: one map, one required config per backend. */
import type { ModelBackend } from '../../core/ports/model-backend.ts'
import type { GrammarDialect } from './server.ts'

export type BackendConfig =
  | { backend: 'encoder'; modelDir: string; threads: number; gpu?: boolean }
  | { backend: 'embedded'; modelPath: string; sequences: number; threads: number }
  | { backend: 'server'; baseUrl: string; dialect: GrammarDialect; model?: string; apiKey?: string }

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
