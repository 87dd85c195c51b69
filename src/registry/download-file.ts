/**
 * Downloads one manifest file: streaming with progress, retries with backoff, HTTP Range resume
 * after a dropped connection, stall detection, and sha256/size/HTML checks before the bytes are
 * handed out. Nothing partial ever leaves this module.
 */
import { InpageError } from '../errors.js';
import { checkSha256, type VerifiedBytes } from '../cache/sha256.js';
import type { RetryPolicy, WarningSink } from './download-types.js';
import type { ManifestFile } from './manifest-types.js';
import { GrowingBuffer, MAX_FILE_BYTES } from './growing-buffer.js';
import { checkResponseOrigin } from './origin-guard.js';
import { AttemptController, AttemptError, fetchFailure, firstMirror, isRetryableStatus, parseRetryAfter, withRetries } from './retry.js';

export interface DownloadFileOptions extends RetryPolicy {
  file: ManifestFile;
  /** Absolute URLs of the same file on each mirror, in order. */
  urls: string[];
  fetch: typeof fetch;
  signal?: AbortSignal | undefined;
  stallTimeoutMs: number;
  /** Bytes of this file received so far; may go back to 0 when a server ignores Range. */
  onBytes?: (fileLoaded: number) => void;
  onWarning?: WarningSink | undefined;
  /** Origins a redirect may end on besides the requested URL's; undefined: any. */
  allowedOrigins?: readonly string[] | undefined;
}

interface Progress {
  /** Grows as bytes arrive, up to the declared size: never allocated from the manifest's word alone. */
  buffer: GrowingBuffer;
  offset: number;
  /** Set once a server mishandles Range, so later attempts on it start from zero. */
  noRange: boolean;
}

const integrity = (file: ManifestFile, url: string, message: string, details: Record<string, unknown> = {}): InpageError =>
  new InpageError('INTEGRITY', `${file.path}: ${message}`, { details: { file: file.path, url, ...details } });

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<!doctype') || head.startsWith('<html');
}

/** `bytes A-B/T` → numbers; null when absent or malformed (e.g. not exposed through CORS). */
function parseContentRange(value: string | null): { start: number; total: number | null } | null {
  const m = value === null ? null : /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (!m) return null;
  return { start: Number(m[1]), total: m[3] === '*' ? null : Number(m[3]) };
}

/** Checks the status line and headers; returns where the body starts within the file. */
function checkResponse(response: Response, file: ManifestFile, url: string, state: Progress, requested: number): number {
  const { status } = response;
  if (status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (range && range.total !== null && range.total !== file.bytes) {
      throw integrity(file, url, `server has ${range.total} bytes, manifest says ${file.bytes}`, { actualBytes: range.total });
    }
    if (range?.start !== requested) {
      state.noRange = true; // unverifiable or misplaced partial content: start over without Range
      throw new AttemptError(new InpageError('NETWORK', `${url}: unusable partial response, restarting`), true, 0);
    }
    return requested;
  }
  if (status === 416 && requested > 0) {
    state.noRange = true;
    throw new AttemptError(new InpageError('NETWORK', `${url}: range not satisfiable, restarting`), true, 0);
  }
  if (status === 200) {
    const type = response.headers.get('content-type') ?? '';
    if (/text\/html/i.test(type)) {
      throw integrity(file, url, 'the server sent an HTML page instead of the file (wrong URL, or an SPA/captive-portal fallback)', {
        contentType: type,
      });
    }
    return 0; // a 200 to a Range request is the whole file: restart from zero
  }
  const error = new InpageError('HTTP', `HTTP ${status} for ${url}`, { details: { url, status, file: file.path } });
  if (isRetryableStatus(status)) {
    throw new AttemptError(error, true, parseRetryAfter(response.headers.get('retry-after'), Number.POSITIVE_INFINITY));
  }
  throw error;
}

async function attemptOnce(url: string, opts: DownloadFileOptions, state: Progress): Promise<void> {
  const { file } = opts;
  const attempt = new AttemptController(opts.signal, opts.stallTimeoutMs);
  try {
    const requested = state.noRange ? 0 : state.offset;
    let response: Response;
    try {
      const init: RequestInit = { signal: attempt.signal };
      // no-store on resumes: a browser HTTP cache must not answer a Range request from a stale entry.
      if (requested > 0) Object.assign(init, { headers: { Range: `bytes=${requested}-` }, cache: 'no-store' });
      response = await opts.fetch(url, init);
    } catch (error) {
      throw fetchFailure(error, attempt, url, opts.signal);
    }
    attempt.touch();
    checkResponseOrigin(response, url, opts.allowedOrigins);
    state.offset = checkResponse(response, file, url, state, requested);
    state.buffer.truncate(state.offset);
    opts.onBytes?.(state.offset);
    const startedAtZero = state.offset === 0;
    let sniffed = !startedAtZero;
    const reader = response.body?.getReader();
    while (reader) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw fetchFailure(error, attempt, url, opts.signal); // dropped mid-body: resumable
      }
      if (chunk.done) break;
      attempt.touch();
      const bytes = chunk.value;
      try {
        state.buffer.append(bytes);
      } catch (error) {
        await reader.cancel().catch(() => undefined);
        throw error;
      }
      state.offset += bytes.byteLength;
      if (!sniffed && state.offset >= Math.min(16, file.bytes)) {
        sniffed = true;
        if (looksLikeHtml(state.buffer.bytes())) {
          await reader.cancel().catch(() => undefined);
          throw integrity(file, url, 'the server sent an HTML page instead of the file');
        }
      }
      opts.onBytes?.(state.offset);
    }
    // A clean end means the server believes the file is complete, so a short file is a size mismatch.
    if (state.offset !== file.bytes) {
      throw integrity(file, url, `server sent ${state.offset} bytes, manifest says ${file.bytes}`, { actualBytes: state.offset });
    }
  } finally {
    attempt.dispose();
  }
}

/** Downloads from one URL with retries; resolves with the verified bytes. */
async function downloadFromUrl(url: string, opts: DownloadFileOptions): Promise<VerifiedBytes> {
  const { file } = opts;
  const tooLarge = (): InpageError =>
    file.bytes > MAX_FILE_BYTES
      ? integrity(file, url, `the manifest says ${file.bytes} bytes, more than the ${MAX_FILE_BYTES} a page can hold`)
      : integrity(file, url, `server sent more than the ${file.bytes} bytes the manifest lists`);
  const state: Progress = { buffer: new GrowingBuffer(Math.min(file.bytes, MAX_FILE_BYTES), tooLarge), offset: 0, noRange: false };
  await withRetries(() => attemptOnce(url, opts, state), {
    ...opts,
    onRetry: (failure, delayMs, attempt) =>
      opts.onWarning?.({
        code: 'RETRY',
        message: `${failure.error.message}; retrying in ${delayMs} ms (attempt ${attempt + 2} of ${opts.retries + 1})`,
        details: { file: file.path, url, attempt: attempt + 1, delayMs, resumeFrom: state.noRange ? 0 : state.offset },
      }),
  });
  const check = await checkSha256(state.buffer.bytes(), file.sha256);
  if (!check.ok) {
    const { actual } = check;
    throw integrity(file, url, `sha256 mismatch (expected ${file.sha256}, got ${actual})`, { expected: file.sha256, actual });
  }
  return check.verified;
}

/**
 * Downloads `opts.file`, trying each mirror in turn when one fails for any reason but abort.
 * Resolves only with bytes whose size and sha256 match the manifest.
 *
 * @throws InpageError `ABORTED`, `TIMEOUT`, `NETWORK`, `HTTP` or `INTEGRITY` — from the first mirror,
 *   with every mirror's failure in `details.mirrors`.
 */
export async function downloadFile(opts: DownloadFileOptions): Promise<VerifiedBytes> {
  const outcome = await firstMirror(
    opts.urls,
    (url) => downloadFromUrl(url, opts),
    (failure, url, next) =>
      opts.onWarning?.({
        code: 'MIRROR_FAILED',
        message: `${failure.message}; trying mirror ${next}`,
        details: { file: opts.file.path, url, next, code: failure.code },
      }),
    opts.file.path,
  );
  if (outcome.ok) return outcome.value;
  const [first, ...rest] = outcome.failures;
  if (!first) throw new InpageError('OPTIONS_INVALID', `No URL to download ${opts.file.path} from`);
  if (rest.length > 0) {
    Object.assign(first.details, { mirrors: outcome.failures.map((f) => ({ code: f.code, message: f.message })) });
  }
  throw first;
}
