/**
 * Every default of inpage's options, in one place: `create()` resolves its options against these
 * (so the engine gets a fully resolved config), the download code falls back to the same values
 * when it is called directly (the CLI, tests), and the README's table states them.
 */
export const DEFAULTS = {
  registry: 'models/registry.json',
  backend: 'auto',
  worker: true,
  cache: true,
  numThreads: 'auto',
  maxBatch: 32,
  /** A download (registry.json included) with no bytes for this long is retried, then TIMEOUT. */
  stallTimeoutMs: 30_000,
  /** Retries per file and per registry.json, after the first attempt, on each mirror. */
  retries: 3,
  /** How long a worker may take to start before create() runs in-thread. */
  workerTimeoutMs: 10_000,
  /** First backoff delay; it doubles each retry (with ±20 % jitter) up to `maxRetryDelayMs`. */
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 8_000,
  /** The longest `Retry-After` a server may ask for before we retry anyway. */
  maxRetryAfterMs: 10_000,
} as const;
