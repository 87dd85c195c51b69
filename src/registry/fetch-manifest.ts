/**
 * Fetches registry.json network-first: each mirror in turn, with the model files' stall rule and
 * retries, then the last good copy kept in the model cache — so a reload works offline while an online load always sees
 * newly published versions.
 */
import { InpageError } from '../errors.js';
import type { ModelCache } from '../cache/model-cache.js';
import type { RetryPolicy, WarningSink } from './download-types.js';
import { GrowingBuffer } from './growing-buffer.js';
import { MAX_MANIFEST_BYTES, parseManifestTextInSlices } from './manifest-schema.js';
import { checkResponseOrigin } from './origin-guard.js';
import type { Manifest } from './manifest-types.js';
import { AttemptController, AttemptError, fetchFailure, firstMirror, isRetryableStatus, parseRetryAfter, withRetries } from './retry.js';
import { optionalGlobals } from '../optional-globals.js';

export interface FetchManifestOptions extends RetryPolicy {
  urls: string[];
  fetch: typeof fetch;
  cache: ModelCache | null;
  signal?: AbortSignal | undefined;
  /** No bytes for this long fails the attempt (then retries, mirrors, the cached copy): the model files' rule. */
  stallTimeoutMs: number;
  onWarning?: WarningSink | undefined;
  /** Origins a redirect may end on besides the requested URL's; undefined: any. */
  allowedOrigins?: readonly string[] | undefined;
}

export interface FetchedManifest {
  manifest: Manifest;
  /** The URL it came from (file paths resolve against it). */
  url: string;
  fromCache: boolean;
  /** Mirrors that failed just now; file downloads try them last. */
  failedUrls: string[];
}

/**
 * A page (a captive portal, an SPA's index.html) where JSON was expected: the network is not
 * really there, so a cached manifest may stand in, unlike for a broken publish.
 */
function looksLikeHtml(text: string, contentType: string): boolean {
  return /text\/html/i.test(contentType) || /^\s*</.test(text.slice(0, 256));
}

/** Reads the body chunk by chunk so that steady progress keeps the attempt alive, within the size bound. */
async function readText(response: Response, attempt: AttemptController, url: string, outer: AbortSignal | undefined): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const tooLarge = (): InpageError =>
    new InpageError('MANIFEST_INVALID', `Registry manifest ${url} is larger than ${MAX_MANIFEST_BYTES} bytes`, {
      details: { source: url, path: '', limit: MAX_MANIFEST_BYTES },
    });
  const buffer = new GrowingBuffer(MAX_MANIFEST_BYTES, tooLarge);
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw fetchFailure(error, attempt, url, outer);
    }
    if (chunk.done) break;
    attempt.touch();
    try {
      buffer.append(chunk.value);
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      throw error;
    }
  }
  return new TextDecoder().decode(buffer.bytes());
}

/** The browser knows when it is offline: then retrying the same URL only delays the cached copy. */
function browserOffline(): boolean {
  return optionalGlobals.navigator?.onLine === false;
}

/**
 * Whether a network failure (not a stall, not a busy server) is worth retrying on the same URL:
 * not when offline is the likely cause and a cached copy is waiting to answer at once.
 */
async function shouldRetryNetwork(opts: FetchManifestOptions): Promise<boolean> {
  if (browserOffline()) return false;
  for (const url of opts.urls) {
    const cached = await opts.cache?.matchManifest?.(url).catch(() => null);
    if (cached) return false;
  }
  return true;
}

async function fetchOnce(url: string, opts: FetchManifestOptions, retryNetwork: boolean): Promise<string> {
  const attempt = new AttemptController(opts.signal, opts.stallTimeoutMs);
  try {
    let response: Response;
    try {
      // no-cache: always revalidate (an ETag makes that a cheap 304) so new versions show up at once.
      response = await opts.fetch(url, { signal: attempt.signal, cache: 'no-cache', headers: { accept: 'application/json' } });
    } catch (error) {
      const failure = fetchFailure(error, attempt, url, opts.signal);
      throw attempt.stalled || retryNetwork ? failure : new AttemptError(failure.error, false);
    }
    attempt.touch();
    checkResponseOrigin(response, url, opts.allowedOrigins);
    if (!response.ok) {
      const error = new InpageError('HTTP', `HTTP ${response.status} for ${url}`, { details: { url, status: response.status } });
      if (isRetryableStatus(response.status)) {
        throw new AttemptError(error, true, parseRetryAfter(response.headers.get('retry-after'), opts.maxRetryAfterMs));
      }
      throw error;
    }
    const text = await readText(response, attempt, url, opts.signal);
    if (looksLikeHtml(text, response.headers.get('content-type') ?? '')) {
      throw new InpageError('MANIFEST_INVALID', `${url} answered with an HTML page, not registry.json (a captive portal, or a wrong URL)`, {
        details: { source: url, path: '', html: true },
      });
    }
    return text;
  } finally {
    attempt.dispose();
  }
}

function fetchWithRetries(url: string, opts: FetchManifestOptions, retryNetwork: boolean): Promise<string> {
  return withRetries(() => fetchOnce(url, opts, retryNetwork), {
    ...opts,
    onRetry: (failure, delayMs) =>
      opts.onWarning?.({ code: 'RETRY', message: `${failure.error.message}; retrying in ${delayMs} ms`, details: { url, delayMs } }),
  });
}

/** Failures a cached copy may stand in for: the server is unreachable or broken, not misconfigured. */
function isOutage(error: InpageError): boolean {
  if (error.code === 'NETWORK' || error.code === 'TIMEOUT') return true;
  if (error.code === 'MANIFEST_INVALID' && error.details.html === true) return true;
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
      const manifest = await parseManifestTextInSlices(text, `${url} (cached copy)`);
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
  const retryNetwork = await shouldRetryNetwork(opts);
  const outcome = await firstMirror(
    opts.urls,
    async (url) => {
      const text = await fetchWithRetries(url, opts, retryNetwork);
      const manifest = await parseManifestTextInSlices(text, url);
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
  throw failures.find((f) => f.code === 'MANIFEST_INVALID' && f.details.html !== true) ?? first;
}
