// Issue 19, classes 3 and 4, with generated data (fast-check): the manifest validator and the
// input converters only ever throw InpageErrors, the validator's work grows linearly with its
// input, documented input ranges are checked, and no result can carry NaN or Infinity.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InpageError } from '../../src/errors.js';
import { MAX_JSON_DEPTH, textDepthExceeded, valueDepthExceeded } from '../../src/registry/json-bounds.js';
import { findManifestProblems, findManifestProblemsInSlices } from '../../src/registry/manifest-validator.js';
import { MAX_MANIFEST_BYTES, parseManifestText, parseManifestTextInSlices, validateManifest } from '../../src/registry/manifest-schema.js';
import { digits, prepareDigit } from '../../src/tasks/digits.js';
import { checkFiniteResult, findNonFinite } from '../../src/tasks/finite-result.js';
import { feedsToWire } from '../../src/tasks/tensor.js';
import { checkFeeds } from '../../src/tasks/tensors.js';

const REAL_MANIFEST = readFileSync(new URL('../../public/models/registry.json', import.meta.url), 'utf8');
const PRE = { kind: 'mnist' as const, size: 28, fit: 20, mean: 0.1307, std: 0.3081 };

/** Runs `fn`; anything it throws must be an InpageError with one of `codes`. */
function onlyInpageErrors(fn: () => unknown, codes: string[]): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof InpageError)) throw new Error(`threw a non-InpageError: ${String(error)}`, { cause: error });
    expect(codes).toContain(error.code);
  }
}

/**
 * `value` behind Proxies that count every property read and key listing, at any depth: the
 * validator's work on it, as a number of steps (a JSON.stringify of it counts too).
 */
function counted<T>(value: T, steps: { count: number }): T {
  const wrapped = new WeakMap<object, object>();
  const wrap = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    let proxy = wrapped.get(item);
    if (!proxy) {
      proxy = new Proxy(item, {
        get: (target, key, receiver) => (steps.count++, wrap(Reflect.get(target, key, receiver))),
        ownKeys: (target) => (steps.count++, Reflect.ownKeys(target)),
      });
      wrapped.set(item, proxy);
    }
    return proxy;
  };
  return wrap(value) as T;
}

describe('class 3: the manifest validator is bounded and linear', () => {
  it('any JSON value is a manifest or MANIFEST_INVALID, nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        onlyInpageErrors(() => validateManifest(value), ['MANIFEST_INVALID']);
      }),
      { numRuns: 300 },
    );
  });

  it('any text is a manifest or MANIFEST_INVALID, nothing else', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        onlyInpageErrors(() => parseManifestText(text), ['MANIFEST_INVALID']);
      }),
      { numRuns: 300 },
    );
  });

  it('the real manifest with any one field replaced by any value: MANIFEST_INVALID naming a field, or valid', () => {
    const real: unknown = JSON.parse(REAL_MANIFEST);
    const paths: string[][] = [];
    const collect = (value: unknown, path: string[]): void => {
      if (path.length > 0) paths.push(path);
      if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) collect(v, [...path, k]);
    };
    collect(real, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 4 }), (path, replacement) => {
        const copy: Record<string, unknown> = JSON.parse(REAL_MANIFEST);
        let at: Record<string, unknown> = copy;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
        at[path[path.length - 1]] = replacement;
        onlyInpageErrors(() => validateManifest(copy), ['MANIFEST_INVALID']);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['nested arrays', (n: number) => '['.repeat(n) + ']'.repeat(n)],
    ['nested objects', (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)],
  ])('1 MB of %s in a validated field is rejected as too deep before it is parsed, reading only up to the first bracket too deep', (_name, nest) => {
    const field = '"schemaVersion": ';
    const text = REAL_MANIFEST.replace(`${field}1`, `${field}${nest(200_000)}`);
    // It once took seconds: parsed, then walked by the validator. Now the scan stops at the first bracket too deep.
    const stoppedAt = textDepthExceeded(text);
    const nestingStarts = text.indexOf(field) + field.length;
    expect(stoppedAt).toBeGreaterThan(nestingStarts);
    expect(stoppedAt).toBeLessThan(nestingStarts + 5 * (MAX_JSON_DEPTH + 1));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(() => parseManifestText(text)).toThrow(
        expect.objectContaining({ code: 'MANIFEST_INVALID', message: expect.stringMatching(/deeper than 32/) }),
      );
      expect(parse, 'rejected before JSON.parse').not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('a manifest over the size bound is MANIFEST_INVALID before it is parsed', () => {
    const text = `{"schemaVersion":1,"models":{},"pad":"${'x'.repeat(MAX_MANIFEST_BYTES)}"}`;
    expect(() => parseManifestText(text)).toThrow(
      expect.objectContaining({ code: 'MANIFEST_INVALID', message: expect.stringMatching(/larger than/) }),
    );
  });

  it('work grows linearly: twice the hostile input, twice the property reads', () => {
    // Wide values where strings and enums are expected: what the old validator serialised again per rule.
    const hostile = (n: number): unknown => {
      const m: Record<string, unknown> = JSON.parse(REAL_MANIFEST);
      const wide = Array.from({ length: n }, (_, i) => ({ k: [i, [i, [i]]], s: 'x'.repeat(20) }));
      const models = m.models as Record<string, { versions: Record<string, Record<string, unknown>> }>;
      for (const entry of Object.values(models)) for (const v of Object.values(entry.versions)) v.task = wide;
      return m;
    };
    const stepsFor = (n: number): number => {
      const steps = { count: 0 };
      expect(() => validateManifest(counted(hostile(n), steps))).toThrow(
        expect.objectContaining({ code: 'MANIFEST_INVALID', details: expect.objectContaining({ path: expect.stringMatching(/\.task$/) }) }),
      );
      return steps.count;
    };
    const [base, small, large] = [stepsFor(0), stepsFor(2_000), stepsFor(4_000)];
    // Linear: the extra work of the second 2 000 elements is the extra work of the first (within 5%).
    // Work per element that grew with the input (a serialisation per element, say) would double it.
    expect(small - base).toBeGreaterThan(0);
    expect(large - small).toBeLessThanOrEqual(1.05 * (small - base));
  });

  it('validation in slices finds exactly what the one-go validation finds', async () => {
    const real: Record<string, unknown> = JSON.parse(REAL_MANIFEST);
    const models = real.models as Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(models)), fc.jsonValue({ maxDepth: 3 }), fc.string(), async (id, replacement, newId) => {
        const copy: Record<string, Record<string, unknown>> = JSON.parse(REAL_MANIFEST);
        copy.models[newId] = replacement;
        copy.models[id] = { versions: replacement };
        const sliced = await findManifestProblemsInSlices(copy, { sliceMs: 0, pause: () => Promise.resolve() });
        expect(sliced).toEqual(findManifestProblems(copy));
      }),
      { numRuns: 200 },
    );
  });

  it('a large manifest is validated in slices: other work runs in between', async () => {
    const real: Record<string, Record<string, unknown>> = JSON.parse(REAL_MANIFEST);
    const entry = Object.values(real.models)[0];
    const models: Record<string, unknown> = {};
    for (let i = 0; i < 3_000; i++) models[`m${i}`] = entry;
    const text = JSON.stringify({ schemaVersion: 1, models });
    let pauses = 0;
    const manifest = await parseManifestTextInSlices(text, 'big', async () => {
      pauses += 1;
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(Object.keys(manifest.models)).toHaveLength(3_000);
    expect(pauses).toBeGreaterThan(0);
    // And an invalid entry near the end is still found, named by its path.
    models.m2999 = { versions: { '1.0.0': { task: 'nope' } } };
    await expect(parseManifestTextInSlices(JSON.stringify({ schemaVersion: 1, models }), 'big')).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
      details: { path: expect.stringMatching(/^models\.m2999\.versions\.1\.0\.0/) },
    });
  });

  it('depth checks agree between text and parsed value, and ignore brackets inside strings', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 40 }), fc.integer({ min: 1, max: 40 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(textDepthExceeded(text, limit) >= 0).toBe(valueDepthExceeded(value, limit));
      }),
      { numRuns: 300 },
    );
    expect(textDepthExceeded('{"a":"[[[[[[[[\\"[[[["}', 2)).toBe(-1);
    expect(valueDepthExceeded(JSON.parse('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)))).toBe(false);
    expect(valueDepthExceeded(JSON.parse('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)))).toBe(true);
  });
});

const SPECS = [{ name: 'x', dtype: 'float32' as const, shape: [1, 'n'] as (number | string)[] }];

/** The page's side then the engine's side of run(), as one call. */
function wireFeeds(feeds: unknown): unknown {
  const wire = feedsToWire(feeds, { inputs: SPECS });
  return wire.kind === 'tensors' ? wire.feeds : {};
}

describe('input converters only throw InpageErrors', () => {
  it('run() feeds of any shape: INPUT_INVALID or a tensor map', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withMap: true, withSet: true, withBigInt: true }), (feeds) => {
        onlyInpageErrors(() => checkFeeds(wireFeeds(feeds), SPECS), ['INPUT_INVALID']);
      }),
      { numRuns: 500 },
    );
  });

  it('tensor-like objects with generated fields: INPUT_INVALID or accepted', () => {
    const tensorLike = fc.record({
      type: fc.oneof(fc.constantFrom('float32', 'int64', 'string', 'bool'), fc.anything()),
      data: fc.oneof(fc.float32Array(), fc.array(fc.double()), fc.anything({ withTypedArray: true })),
      dims: fc.oneof(fc.array(fc.integer({ min: -2, max: 5 })), fc.anything()),
    });
    fc.assert(
      fc.property(tensorLike, (x) => {
        onlyInpageErrors(() => checkFeeds(wireFeeds({ x }), SPECS), ['INPUT_INVALID']);
      }),
      {
        numRuns: 500,
      },
    );
  });

  it('digits page input of any kind: INPUT_INVALID or a wire input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ withTypedArray: true }), async (input) => {
        try {
          await digits.page.toWire(input, { id: 'mnist', preprocess: PRE, inputs: [] });
        } catch (error) {
          expect(error).toBeInstanceOf(InpageError);
          expect((error as InpageError).code).toBe('INPUT_INVALID');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('class 4: documented ranges and finite results', () => {
  it('digits floats outside [0, 1] (1e38, -0.5, 1.0001, NaN, ±Infinity) are INPUT_INVALID naming the pixel', () => {
    for (const bad of [1e38, -0.5, 1.0001, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const data = new Float32Array(784).fill(0.5);
      data[17] = bad;
      expect(() => prepareDigit({ kind: 'floats', data }, PRE)).toThrow(
        expect.objectContaining({ code: 'INPUT_INVALID', message: expect.stringMatching(/Pixel 17 .*\[0, 1\]/) }),
      );
    }
  });

  it('any 784 floats in [0, 1] are accepted; any one outside is refused', () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: 784, maxLength: 784, min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 783 }),
        fc.oneof(fc.float({ min: Math.fround(1.0001), noNaN: true }), fc.float({ max: Math.fround(-1e-6), noNaN: true }), fc.constant(Number.NaN)),
        (data, index, bad) => {
          expect(prepareDigit({ kind: 'floats', data }, PRE)).toHaveLength(784);
          data[index] = bad;
          expect(() => prepareDigit({ kind: 'floats', data }, PRE)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('findNonFinite finds a NaN/Infinity anywhere in a result, and nothing in a finite one', () => {
    const finite = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null));
    const result = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        finite,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(result, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), (value, bad) => {
        expect(findNonFinite(value)).toBeNull();
        expect(findNonFinite({ label: 1, probabilities: [0.1, bad], inner: value })).toBe('result.probabilities[1]');
        expect(findNonFinite({ scores: new Float32Array([0, bad]) })).toBe('result.scores[1]');
      }),
      { numRuns: 300 },
    );
  });

  it('checkFiniteResult is MODEL_INVALID naming the model and where', () => {
    expect(() => {
      checkFiniteResult({ label: 0, probabilities: [Number.NaN] }, 'mnist');
    }).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringMatching(/mnist .*probabilities\[0\]/) }));
    expect(() => {
      checkFiniteResult({ segments: [{ start: 0, end: 1.5 }] }, 'vad');
    }).not.toThrow();
  });
});
