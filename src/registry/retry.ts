/**
 * Backoff, Retry-After and abortable sleeping for the downloaders.
 * Owns: one attempt's stall timer and abort wiring (AttemptController), released by dispose().
 */
import { InpageError, toInpageError } from '../errors.js';
import { DEFAULTS } from '../protocol/defaults.js';
import type { RetryPolicy, Sleep } from './download-types.js';

/** Statuses worth retrying: the server is up but busy or briefly broken. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Parses Retry-After (delta-seconds or an HTTP-date) into milliseconds, capped; null if absent or unparseable. */
export function parseRetryAfter(value: string | null, maxMs: number, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const date = Date.parse(text);
    if (Number.isNaN(date)) return null;
    ms = date - now;
  }
  return Math.min(Math.max(0, ms), maxMs);
}

/** Exponential backoff with ±20% jitter so many tabs do not retry in lockstep. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const base = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempt - 1), DEFAULTS.maxRetryDelayMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The real {@link Sleep}: a timer, cleared when `signal` fires. */
export const sleep: Sleep = (ms, signal) => {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InpageError('ABORTED', 'Download was aborted', { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InpageError('ABORTED', 'Download was aborted', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
};

/**
 * A controller that aborts when the caller's signal does, plus a restartable inactivity timer:
 * `touch()` on every byte; if none arrives for `stallMs` the request is aborted and `stalled` is set.
 */
export class AttemptController {
  readonly controller = new AbortController();
  stalled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = (): void => {
    this.controller.abort(this.outer?.reason);
  };

  constructor(
    private readonly outer: AbortSignal | undefined,
    readonly stallMs: number,
  ) {
    if (outer?.aborted) this.controller.abort(outer.reason);
    outer?.addEventListener('abort', this.onAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort(new Error('stalled'));
    }, this.stallMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onAbort);
  }
}

/** A failed attempt, tagged with whether another attempt could help. */
export class AttemptError extends Error {
  constructor(
    readonly error: InpageError,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(error.message, { cause: error });
  }
}

/** The InpageError for a fetch() that threw: abort, stall, or a network failure (CORS looks the same). */
export function fetchFailure(error: unknown, attempt: AttemptController, url: string, outer: AbortSignal | undefined): AttemptError {
  if (outer?.aborted) throw new InpageError('ABORTED', `Download of ${url} was aborted`, { cause: outer.reason });
  if (attempt.stalled) {
    return new AttemptError(new InpageError('TIMEOUT', `No data from ${url} for ${attempt.stallMs} ms`, { cause: error, details: { url } }), true);
  }
  const reason = error instanceof Error ? error.message : String(error);
  // Browsers report a missing Access-Control-Allow-Origin exactly like being offline: a bare TypeError.
  const hint = error instanceof TypeError ? ' (offline, server unreachable, or the server does not send CORS headers)' : '';
  return new AttemptError(new InpageError('NETWORK', `Network error fetching ${url}: ${reason}${hint}`, { cause: error, details: { url } }), true);
}

/** A retry loop's policy, the caller's signal, and who hears of each retry. */
export interface RetryLoop extends RetryPolicy {
  signal?: AbortSignal | undefined;
  onRetry: (failure: AttemptError, delayMs: number, attempt: number) => void;
}

/**
 * Runs `attempt` until it resolves. A retryable AttemptError is retried, up to `retries` times,
 * after its Retry-After (capped) or an exponential backoff; anything else, and the last failure,
 * is thrown as its InpageError (other errors as they are).
 */
export async function withRetries<T>(attempt: () => Promise<T>, loop: RetryLoop): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof AttemptError)) throw error;
      if (!error.retryable || n >= loop.retries) throw error.error;
      const fromHeader = error.retryAfterMs === null ? null : Math.min(error.retryAfterMs, loop.maxRetryAfterMs);
      const delay = fromHeader ?? backoffDelay(n + 1, loop);
      loop.onRetry(error, delay, n);
      await (loop.sleep ?? sleep)(delay, loop.signal);
    }
  }
}

export type MirrorOutcome<T> = { ok: true; value: T; index: number } | { ok: false; failures: InpageError[] };

/**
 * Tries each mirror in turn until one succeeds; an abort ends it at once. `onFailover` hears of each
 * failure that has a next mirror. On failure every mirror's error comes back, first mirror first.
 */
export async function firstMirror<T>(
  urls: readonly string[],
  run: (url: string) => Promise<T>,
  onFailover: (failure: InpageError, url: string, next: string) => void,
  context: string,
): Promise<MirrorOutcome<T>> {
  const failures: InpageError[] = [];
  for (const [index, url] of urls.entries()) {
    try {
      return { ok: true, value: await run(url), index };
    } catch (error) {
      const failure = toInpageError(error, 'INTERNAL', context);
      if (failure.code === 'ABORTED') throw failure;
      failures.push(failure);
      const next = urls[index + 1];
      if (next !== undefined) onFailover(failure, url, next);
    }
  }
  return { ok: false, failures };
}
