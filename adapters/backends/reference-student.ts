/** The students that ship with radstruct, trained on the synthetic corpora: what the worker and the
 * CLI load when no model is named, so the main job runs with no setup. */
import { fileURLToPath } from 'node:url'

/** The encoder for cmr52 (models/encoder/, README there). */
export const referenceEncoderDir = fileURLToPath(
  new URL('../../models/encoder-cmr52', import.meta.url),
)

/** The default: every shipped encoder (models/encoder-<task>/), one per task. */
export const referenceModelsDir = fileURLToPath(new URL('../../models', import.meta.url))

/** The 2.6 M generative reference student (GGUF): a test fixture for the embedded backend. */
export const referenceStudentPath = fileURLToPath(
  new URL('../../models/student-cmr52.gguf', import.meta.url),
)
