/**
 * Fetches registry.json network-first: each mirror in turn with a short timeout, then the last
 * good copy kept in the model cache — so a reload works offline while an online load always sees
 * newly published versions.
 */
import { InpageError } from '../errors.js';
import type { ModelCache } from '../cache/model-cache.js';
import type { RetryPolicy, WarningSink } from './download-types.js';
import { parseManifestText } from './manifest-schema.js';
import type { Manifest } from './manifest-types.js';
import { AttemptController, AttemptError, fetchFailure, firstMirror, isRetryableStatus, parseRetryAfter, withRetries } from './retry.js';

export interface FetchManifestOptions extends RetryPolicy {
  urls: string[];
  fetch: typeof fetch;
  cache: ModelCache | null;
  signal?: AbortSignal | undefined;
  /** Per-request timeout (no bytes for this long); short, because a cached copy may be waiting. */
  timeoutMs: number;
  onWarning?: WarningSink | undefined;
}

export interface FetchedManifest {
  manifest: Manifest;
  /** The URL it came from (file paths resolve against it). */
  url: string;
  fromCache: boolean;
  /** Mirrors that failed just now; file downloads try them last. */
  failedUrls: string[];
}

async function fetchOnce(url: string, opts: FetchManifestOptions): Promise<string> {
  const attempt = new AttemptController(opts.signal, opts.timeoutMs);
  try {
    let response: Response;
    let text: string;
    try {
      // no-cache: always revalidate (an ETag makes that a cheap 304) so new versions show up at once.
      response = await opts.fetch(url, { signal: attempt.signal, cache: 'no-cache', headers: { accept: 'application/json' } });
      if (!response.ok) {
        const error = new InpageError('HTTP', `HTTP ${response.status} for ${url}`, { details: { url, status: response.status } });
        if (isRetryableStatus(response.status)) {
          throw new AttemptError(error, true, parseRetryAfter(response.headers.get('retry-after'), opts.maxRetryAfterMs));
        }
        throw error;
      }
      text = await response.text();
    } catch (error) {
      if (error instanceof InpageError || error instanceof AttemptError) throw error;
      // Network failures are not retried on the same URL: offline is the common cause, and the
      // cached copy should answer quickly.
      throw fetchFailure(error, attempt, url, opts.signal).error;
    }
    return text;
  } finally {
    attempt.dispose();
  }
}

/** Network failures are not retried on the same mirror (a cached copy may be waiting); busy servers are. */
function fetchWithRetries(url: string, opts: FetchManifestOptions): Promise<string> {
  return withRetries(() => fetchOnce(url, opts), {
    ...opts,
    onRetry: (failure, delayMs) =>
      opts.onWarning?.({ code: 'RETRY', message: `${failure.error.message}; retrying in ${delayMs} ms`, details: { url, delayMs } }),
  });
}

/** Failures a cached copy may stand in for: the server is unreachable or broken, not misconfigured. */
function isOutage(error: InpageError): boolean {
  if (error.code === 'NETWORK' || error.code === 'TIMEOUT') return true;
  const status = error.details.status;
  return error.code === 'HTTP' && typeof status === 'number' && isRetryableStatus(status);
}

async function fromCache(opts: FetchManifestOptions, first: InpageError): Promise<FetchedManifest | null> {
  if (!opts.cache?.matchManifest) return null;
  for (const url of opts.urls) {
    let text: string | null;
    try {
      text = await opts.cache.matchManifest(url);
    } catch {
      return null;
    }
    if (text === null) continue;
    try {
      const manifest = parseManifestText(text, `${url} (cached copy)`);
      opts.onWarning?.({
        code: 'MANIFEST_FROM_CACHE',
        message: `Using the cached registry manifest: ${first.message}`,
        details: { url, code: first.code },
      });
      return { manifest, url, fromCache: true, failedUrls: opts.urls };
    } catch {
      continue; // a bad cached copy is no better than none
    }
  }
  return null;
}

/**
 * Loads and validates the registry manifest from the first mirror that answers.
 *
 * @throws InpageError `MANIFEST_INVALID` (never masked by a cached copy: a broken publish must be
 *   loud), `HTTP` for 4xx, `NETWORK`/`TIMEOUT` when every mirror is down and no copy is cached, `ABORTED`.
 */
export async function fetchManifest(opts: FetchManifestOptions): Promise<FetchedManifest> {
  const outcome = await firstMirror(
    opts.urls,
    async (url) => {
      const text = await fetchWithRetries(url, opts);
      const manifest = parseManifestText(text, url);
      try {
        await opts.cache?.putManifest?.(url, text);
      } catch {
        // Keeping an offline copy is best effort; the download itself reports cache trouble.
      }
      return manifest;
    },
    (failure, url, next) =>
      opts.onWarning?.({ code: 'MIRROR_FAILED', message: `${failure.message}; trying ${next}`, details: { url, next, code: failure.code } }),
    'the registry manifest',
  );
  if (outcome.ok) {
    const { value: manifest, index } = outcome;
    return { manifest, url: opts.urls[index] ?? '', fromCache: false, failedUrls: opts.urls.slice(0, index) };
  }
  const { failures } = outcome;
  const first = failures[0];
  if (!first) throw new InpageError('OPTIONS_INVALID', 'registryUrls is empty');
  if (failures.every(isOutage)) {
    const cached = await fromCache(opts, first);
    if (cached) return cached;
  }
  throw failures.find((f) => f.code === 'MANIFEST_INVALID') ?? first;
}
