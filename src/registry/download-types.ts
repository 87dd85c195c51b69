/**
 * Types shared by the download pieces. Kept apart from load-model-files.ts so the helpers can
 * use them without an import cycle; load-model-files.ts re-exports the public ones.
 */

/**
 * One progress report. `total` is known before the first byte (from the manifest).
 * @example
 * ```ts
 * await inpage.load('sentiment', { onProgress: (p: DownloadProgress) => (bar.value = p.loaded / p.total) });
 * ```
 */
export interface DownloadProgress {
  /** Bytes of all the model's files obtained so far (cache hits count). Falls back only if a server forces a restart. */
  loaded: number;
  /** Sum of every file's size for this model version. */
  total: number;
  /** Path of the file this report is about, as in the manifest. */
  file: string;
  fileLoaded: number;
  fileTotal: number;
  /** True when this file came from the offline cache. */
  fromCache: boolean;
  id: string;
  version: string;
}

/** Something went wrong that did not stop the load (the model still loads). */
export interface InpageWarning {
  code: 'CACHE_UNAVAILABLE' | 'QUOTA' | 'CACHE_WRITE_FAILED' | 'RETRY' | 'MIRROR_FAILED' | 'MANIFEST_FROM_CACHE';
  message: string;
  details?: Record<string, unknown>;
}

export type WarningSink = (warning: InpageWarning) => void;

/** Retry knobs shared by the manifest and file downloads. */
export interface RetryPolicy {
  /** Extra attempts per mirror after the first. */
  retries: number;
  /** First backoff delay; doubles each retry (with jitter), capped at DEFAULTS.maxRetryDelayMs (8 s). */
  baseDelayMs: number;
  /** Longest Retry-After the client honours; longer values are capped. */
  maxRetryAfterMs: number;
  /**
   * How a retry waits out its delay: a test seam, like `fetch`, so unit tests can see the delays
   * chosen without waiting for them. Absent: a real timer (retry.ts `sleep`).
   */
  sleep?: Sleep | undefined;
}

/** Resolves after `ms`, or rejects with `ABORTED` as soon as `signal` fires. */
export type Sleep = (ms: number, signal: AbortSignal | undefined) => Promise<void>;
