/**
 * Errors cross the worker boundary as plain data and are rebuilt as InpageError on the other
 * side, so `instanceof InpageError` and `code` survive. (comlink's default throw handler keeps
 * only name/message/stack, which is how other SDKs end up with string-only errors.)
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { InpageError, isInpageErrorCode } from '../errors.js';

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

interface ThrownValue {
  value: unknown;
}

/** comlink marks thrown values with a private symbol; it is not exported, so match it by description. */
function isThrownValue(value: unknown): value is ThrownValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    'value' in value &&
    Object.getOwnPropertySymbols(value).some((symbol) => symbol.description === 'Comlink.thrown')
  );
}

function isSerialisedError(value: unknown): value is SerialisedError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/**
 * Replaces comlink's "throw" handler. Must be installed on both sides (client and worker),
 * before the first call.
 */
export function installErrorTransfer(): void {
  const handler: TransferHandler<ThrownValue, SerialisedError> = {
    canHandle: isThrownValue,
    serialize: (thrown) => [serialiseError(thrown.value), []],
    deserialize: (data) => {
      throw isSerialisedError(data) ? deserialiseError(data) : new InpageError('INTERNAL', 'Malformed error from worker');
    },
  };
  // comlink's map is typed with `unknown`; this handler is the same shape.
  transferHandlers.set('throw', handler);
}
