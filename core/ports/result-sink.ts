/** The result store port: one JSON object per report under a deterministic key. */
export interface ResultSink {
  /** Writes (or overwrites) the object: writing the same key twice leaves one result. */
  put(key: string, body: string): Promise<void>
  /** The stored object's text, or undefined when there is none. */
  get(key: string): Promise<string | undefined>
}
