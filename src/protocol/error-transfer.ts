/**
 * Errors cross the worker boundary as plain data and are rebuilt as InpageError on the other
 * side, so `instanceof InpageError` and `code` survive. (comlink's default throw handler keeps
 * only name/message/stack of an Error, which is how other SDKs end up with string-only errors.)
 */
import { InpageError, isInpageErrorCode, toInpageError } from '../errors.js';

export interface SerialisedError {
  code: string;
  message: string;
  stack: string;
  details: Record<string, unknown>;
}

/** JSON.stringify, which returns undefined for what JSON cannot hold (a toJSON() giving undefined): its declared type leaves that out. */
const stringify: (value: unknown) => string | undefined = (value) => JSON.stringify(value);

/** Keeps only structured-cloneable, JSON-safe facts; anything else becomes its string form. */
function plainDetails(details: Record<string, unknown>): Record<string, unknown> {
  try {
    const text = stringify(details);
    const parsed: unknown = text === undefined ? {} : JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- details JSON cannot hold (a cycle, a BigInt) keep their own toString() where they have one
    return { note: String(details) };
  }
}

export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof InpageError) {
    return { code: error.code, message: error.message, stack: error.stack ?? '', details: plainDetails(error.details) };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'INTERNAL', message, stack: error instanceof Error ? (error.stack ?? '') : '', details: {} };
}

export function deserialiseError(data: SerialisedError): InpageError {
  const code = isInpageErrorCode(data.code) ? data.code : 'INTERNAL';
  const error = new InpageError(code, data.message, { details: data.details });
  // Keep the worker's stack: it points at where the failure happened.
  if (data.stack) error.stack = data.stack;
  return error;
}

function isSerialisedError(value: unknown): value is SerialisedError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && 'details' in value;
}

/**
 * The page's side of a failed call: the worker rejects with a {@link SerialisedError}, which
 * comlink's own "throw" handler carries as it is (it keeps only name, message and stack of an
 * Error, but passes any other thrown value through as a structured clone).
 */
export function errorFromWorker(error: unknown): InpageError {
  return isSerialisedError(error) ? deserialiseError(error) : toInpageError(error);
}
