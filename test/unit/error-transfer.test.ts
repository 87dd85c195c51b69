import { describe, expect, it } from 'vitest';
import { InpageError, toInpageError } from '../../src/errors.js';
import { deserialiseError, serialiseError } from '../../src/protocol/error-transfer.js';

describe('errors across the worker boundary', () => {
  it('keeps class, code, message and details of an InpageError', () => {
    const original = new InpageError('INTEGRITY', 'model.onnx: sha256 mismatch', { details: { file: 'model.onnx', expected: 'ab' } });
    const wire = structuredClone(serialiseError(original));
    const rebuilt = deserialiseError(wire);
    expect(rebuilt).toBeInstanceOf(InpageError);
    expect(rebuilt.code).toBe('INTEGRITY');
    expect(rebuilt.message).toBe(original.message);
    expect(rebuilt.details).toEqual({ file: 'model.onnx', expected: 'ab' });
    expect(rebuilt.stack).toBe(original.stack);
  });

  it('turns foreign errors into INTERNAL, keeping their text', () => {
    const rebuilt = deserialiseError(structuredClone(serialiseError(new RangeError('offset out of bounds'))));
    expect(rebuilt.code).toBe('INTERNAL');
    expect(rebuilt.message).toContain('RangeError: offset out of bounds');
  });

  it('drops details that cannot be cloned instead of failing the transfer', () => {
    const original = new InpageError('NETWORK', 'x', { details: { fn: () => 1, ok: 2, nested: { big: 10n === 10n } } });
    const wire = serialiseError(original);
    expect(() => structuredClone(wire)).not.toThrow();
    expect(wire.details).toEqual({ ok: 2, nested: { big: true } });
  });

  it('maps unknown codes from a newer worker to INTERNAL rather than lying', () => {
    expect(deserialiseError({ code: 'FROM_THE_FUTURE', message: 'm', stack: '', details: {} }).code).toBe('INTERNAL');
  });

  it('toInpageError keeps InpageErrors and recognises aborts', () => {
    const typed = new InpageError('QUOTA', 'full');
    expect(toInpageError(typed)).toBe(typed);
    const abort = toInpageError(new DOMException('stop', 'AbortError'));
    expect(abort.code).toBe('ABORTED');
  });
});
