/** The reference student that ships with radstruct (trained with models/student/ on the synthetic
 * corpus): what the embedded backend loads when no model is named, so the main job runs with no setup. */
import { fileURLToPath } from 'node:url'

export const referenceStudentPath = fileURLToPath(
  new URL('../../models/student-cmr52.gguf', import.meta.url),
)
