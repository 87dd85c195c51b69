/**
 * Types shared by the download pieces. Kept apart from load-model-files.ts so the helpers can
 * use them without an import cycle. The public ones (DownloadProgress, the warnings) are
 * protocol/events.ts's.
 */
import type { DownloadWarning } from '../protocol/events.js';

export type WarningSink = (warning: DownloadWarning) => void;

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
