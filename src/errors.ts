/**
 * Every failure inpage reports is an {@link InpageError} whose `code` is one of these.
 * The union is the contract: callers switch on `code`, never on message text.
 * @example
 * ```ts
 * for (const code of ERROR_CODES) console.log(code);   // every code an InpageError can carry
 * ```
 */
export const ERROR_CODES = [
  /** The network failed (offline, DNS, CORS, connection dropped) after all retries and mirrors. */
  'NETWORK',
  /** The server answered with an HTTP error that retrying cannot fix (4xx other than 408/429). */
  'HTTP',
  /** The registry has no such model id or version. The message lists what exists. */
  'NOT_FOUND',
  /** A downloaded file's sha256 or size differs from the manifest (or it was an HTML page). */
  'INTEGRITY',
  /** registry.json is not valid JSON or fails the manifest schema. The message names the field. */
  'MANIFEST_INVALID',
  /** The requested backend cannot run here (no WebGPU adapter, wasm failed to load). */
  'BACKEND_UNAVAILABLE',
  /** The worker died while a call was pending. The next call starts a fresh worker. */
  'WORKER_CRASHED',
  /** The caller aborted (AbortSignal), or the model/engine was disposed while the call was pending. */
  'ABORTED',
  /** A download stalled with no bytes for longer than the configured timeout. */
  'TIMEOUT',
  /** The input cannot be used by this task (wrong type, size, empty, non-finite numbers). */
  'INPUT_INVALID',
  /** An option passed to create(), load() or predict() is malformed. */
  'OPTIONS_INVALID',
  /** Storage is full. Loading never fails for this reason; cache operations the caller asked for may. */
  'QUOTA',
  /** The model or engine was used after dispose(). */
  'DISPOSED',
  /** The visitor refused the microphone (or the page may not ask: a permissions policy, an insecure origin). */
  'MICROPHONE_DENIED',
  /** There is no microphone, it is in use elsewhere, or this browser cannot capture audio (no getUserMedia or AudioWorklet). */
  'MICROPHONE_UNAVAILABLE',
  /** The model file could not be turned into a session, or a run failed inside onnxruntime. */
  'MODEL_INVALID',
  /** A bug in inpage: please report it. */
  'INTERNAL',
] as const;

/**
 * Why something failed: switch on it, never on message text. See the README's Errors section.
 * @example
 * ```ts
 * function retryable(code: InpageErrorCode): boolean {
 *   return code === 'NETWORK' || code === 'TIMEOUT' || code === 'WORKER_CRASHED';
 * }
 * ```
 */
export type InpageErrorCode = (typeof ERROR_CODES)[number];

export interface InpageErrorOptions {
  cause?: unknown;
  /** Structured facts about the failure (file name, HTTP status, available versions...). */
  details?: Record<string, unknown>;
}

/**
 * The one error class inpage throws. `instanceof InpageError` and `code` hold on both sides
 * of the worker boundary.
 *
 * @example
 * ```ts
 * try { await inpage.load('mnist@9.9.9'); }
 * catch (e) { if (e instanceof InpageError && e.code === 'NOT_FOUND') showVersions(e.details); }
 * ```
 */
export class InpageError extends Error {
  readonly code: InpageErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: InpageErrorCode, message: string, options: InpageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InpageError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isInpageErrorCode(value: unknown): value is InpageErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** True for the DOMException (or lookalike) that fetch and AbortSignal throw on abort. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';
}

/**
 * Wraps anything thrown into an InpageError, keeping an InpageError as it is, so callers
 * only ever see one error type.
 */
export function toInpageError(error: unknown, fallback: InpageErrorCode = 'INTERNAL', context = ''): InpageError {
  if (error instanceof InpageError) return error;
  if (isAbortError(error)) return new InpageError('ABORTED', context ? `${context}: aborted` : 'Aborted', { cause: error });
  const text = error instanceof Error ? error.message : String(error);
  return new InpageError(fallback, context ? `${context}: ${text}` : text, { cause: error });
}

/** Throws ABORTED if the signal has fired; call between awaits in long operations. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new InpageError('ABORTED', `${what} was aborted`, { cause: signal.reason });
  }
}
