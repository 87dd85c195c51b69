import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import type { Manifest, ModelVersion } from '../../src/registry/manifest-types.js';
import { parseModelSpec, resolveModel } from '../../src/registry/resolve-model.js';
import { compareSemver, parseRange, parseSemver, satisfies } from '../../src/registry/semver.js';

function entry(): ModelVersion {
  return {
    task: 'digits',
    files: [{ path: 'm.onnx', role: 'model', sha256: 'a'.repeat(64), bytes: 1 }],
    inputs: [{ name: 'x', dtype: 'float32', shape: [1] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1] }],
    labels: ['a'],
    preprocess: { kind: 'mnist', size: 28, fit: 20, mean: 0, std: 1 },
    license: 'MIT',
    metrics: {},
  };
}

function manifest(versions: string[]): Manifest {
  return {
    schemaVersion: 1,
    models: {
      sentiment: { versions: Object.fromEntries(versions.map((v) => [v, entry()])) },
      mnist: { versions: { '1.0.0': entry() } },
    },
  };
}

const M = manifest(['1.0.0', '1.2.0', '1.2.5', '1.10.0', '2.0.0', '2.1.0-beta.1', '0.9.0']);
const pick = (spec: string, m: Manifest = M): string => resolveModel(m, spec).version;
const fails = (spec: string, m: Manifest = M): InpageError => {
  try {
    resolveModel(m, spec);
  } catch (error) {
    if (error instanceof InpageError) return error;
  }
  throw new Error(`expected ${spec} to fail`);
};

describe('semver', () => {
  const cmp = (a: string, b: string): number => Math.sign(compareSemver(parseSemver(a)!, parseSemver(b)!));
  it('orders by precedence, numerically and with pre-releases below releases', () => {
    expect(cmp('1.10.0', '1.9.0')).toBe(1);
    expect(cmp('1.0.0-alpha', '1.0.0')).toBe(-1);
    expect(cmp('1.0.0-alpha', '1.0.0-alpha.1')).toBe(-1);
    expect(cmp('1.0.0-alpha.1', '1.0.0-alpha.beta')).toBe(-1);
    expect(cmp('1.0.0-beta.2', '1.0.0-beta.11')).toBe(-1);
    expect(cmp('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(cmp('1.0.0+build.5', '1.0.0')).toBe(0);
    expect(parseSemver('1.0')).toBeNull();
    expect(parseSemver('01.0.0')).toBeNull();
  });

  it('evaluates npm-style ranges', () => {
    const ok = (v: string, r: string): boolean => satisfies(parseSemver(v)!, parseRange(r)!);
    expect(ok('1.9.9', '^1')).toBe(true);
    expect(ok('2.0.0', '^1')).toBe(false);
    expect(ok('0.2.5', '^0.2.3')).toBe(true);
    expect(ok('0.3.0', '^0.2.3')).toBe(false);
    expect(ok('1.2.9', '~1.2')).toBe(true);
    expect(ok('1.3.0', '~1.2')).toBe(false);
    expect(ok('1.5.0', '>=1.0.0 <2')).toBe(true);
    expect(ok('2.0.0', '>=1.0.0 <2')).toBe(false);
    expect(ok('1.3.0', '>1.2')).toBe(true);
    expect(ok('1.2.9', '>1.2')).toBe(false);
    expect(ok('1.2.9', '<=1.2')).toBe(true);
    expect(ok('1.4.0', '1.x')).toBe(true);
    expect(ok('1.4.0', '1.0.0 - 1.4')).toBe(true);
    expect(ok('1.5.0', '1.0.0 - 1.4')).toBe(false);
    expect(ok('3.0.0', '^1 || ^3')).toBe(true);
    expect(ok('3.0.0', '*')).toBe(true);
    expect(ok('2.0.0-beta', '^1')).toBe(false);
    expect(ok('2.0.0-beta.2', '>=2.0.0-beta.1')).toBe(true);
    expect(parseRange('^^1')).toBeNull();
    expect(parseRange('banana')).toBeNull();
  });
});

describe('resolveModel', () => {
  it('bare id picks the newest release, ignoring pre-releases', () => {
    expect(pick('sentiment')).toBe('2.0.0');
    expect(pick('sentiment@latest')).toBe('2.0.0');
    expect(pick('  sentiment  ')).toBe('2.0.0');
  });

  it('picks the newest pre-release only when there is no release', () => {
    expect(pick('sentiment', manifest(['1.0.0-rc.1', '1.0.0-rc.2']))).toBe('1.0.0-rc.2');
  });

  it('exact versions and ranges', () => {
    expect(pick('sentiment@1.2.0')).toBe('1.2.0');
    expect(pick('sentiment@2.1.0-beta.1')).toBe('2.1.0-beta.1');
    expect(pick('sentiment@^1')).toBe('1.10.0');
    expect(pick('sentiment@~1.2')).toBe('1.2.5');
    expect(pick('sentiment@>=1.0.0 <2')).toBe('1.10.0');
    expect(pick('sentiment@<1')).toBe('0.9.0');
    expect(resolveModel(M, 'mnist@1').entry.task).toBe('digits');
  });

  it('unknown id → NOT_FOUND listing the models', () => {
    const e = fails('gpt5');
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('mnist, sentiment');
    expect(e.details.available).toEqual(['mnist', 'sentiment']);
  });

  it('unknown version → NOT_FOUND listing the versions, newest first', () => {
    const e = fails('sentiment@9.9.9');
    expect(e.code).toBe('NOT_FOUND');
    expect(e.details.versions).toEqual(['2.1.0-beta.1', '2.0.0', '1.10.0', '1.2.5', '1.2.0', '1.0.0', '0.9.0']);
    expect(e.message).toContain('2.0.0, 1.10.0');
    expect(fails('sentiment@^3').code).toBe('NOT_FOUND');
  });

  it('an unparseable range is OPTIONS_INVALID', () => {
    expect(fails('sentiment@banana').code).toBe('OPTIONS_INVALID');
  });

  it('does not resolve inherited object keys', () => {
    expect(fails('constructor').code).toBe('NOT_FOUND');
    expect(fails('__proto__').code).toBe('NOT_FOUND');
  });

  it('parses specs', () => {
    expect(parseModelSpec('a@^1')).toEqual({ id: 'a', range: '^1' });
    expect(parseModelSpec('a')).toEqual({ id: 'a', range: null });
    expect(parseModelSpec('a@')).toEqual({ id: 'a', range: null });
  });
});
