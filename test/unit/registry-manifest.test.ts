/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- these manifests are JSON broken on purpose, key by key: `any` is the type of such JSON */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import { MANIFEST_JSON_SCHEMA, findManifestProblems as findProblemsAsTheCliDoes } from '../../src/registry/manifest-rules.mjs';
import { findManifestProblems } from '../../src/registry/manifest-validator.js';
import { parseManifestText, validateManifest } from '../../src/registry/manifest-schema.js';

const SHA = 'a'.repeat(64);

function goodManifest(): Record<string, any> {
  return {
    schemaVersion: 1,
    models: {
      mnist: {
        description: 'digits',
        versions: {
          '1.0.0': {
            task: 'digits',
            files: [{ path: 'mnist/1.0.0/model.onnx', role: 'model', sha256: SHA, bytes: 100 }],
            inputs: [{ name: 'input', dtype: 'float32', shape: ['batch', 1, 28, 28] }],
            outputs: [{ name: 'logits', dtype: 'float32', shape: ['batch', 10] }],
            labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
            preprocess: { kind: 'mnist', size: 28, fit: 20, mean: 0.1307, std: 0.3081 },
            license: 'MIT',
            metrics: { 'mnist-test-accuracy': 0.99 },
            created: '2026-11-22T10:00:00.000Z',
          },
        },
      },
      sentiment: {
        versions: {
          '1.0.0': {
            task: 'text-classification',
            files: [
              { path: 'sentiment/1.0.0/model.onnx', role: 'model', sha256: SHA, bytes: 10 },
              { path: 'sentiment/1.0.0/tokenizer.json', role: 'tokenizer', sha256: 'b'.repeat(64), bytes: 5 },
            ],
            inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 'sequence'] }],
            outputs: [{ name: 'logits', dtype: 'float32', shape: ['batch', 2] }],
            labels: ['negative', 'positive'],
            preprocess: { kind: 'tokenizer', maxLength: 128 },
            license: 'MIT',
            metrics: {},
          },
        },
      },
    },
  };
}

/**
 * The SDK validates with the valibot schema, the CLI with ajv's code generated from the JSON Schema
 * generated from it: both must find `m` wrong, and the CLI must name the field the SDK names first.
 */
function expectCliAgrees(m: unknown, sdkPath: string): void {
  expect(findProblemsAsTheCliDoes(m).map((problem) => problem.path)).toContain(sdkPath);
}

function invalidPath(mutate: (m: Record<string, any>) => void): string {
  const m = goodManifest();
  mutate(m);
  const firstPath = findManifestProblems(m)[0]?.path;
  if (firstPath !== undefined) expectCliAgrees(m, firstPath);
  try {
    validateManifest(m, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InpageError);
    const e = error as InpageError;
    expect(e.code).toBe('MANIFEST_INVALID');
    expect(e.message).toContain(String(e.details.path));
    return String(e.details.path);
  }
  throw new Error('expected MANIFEST_INVALID');
}

const v1 = (m: Record<string, any>): Record<string, any> => m.models.mnist.versions['1.0.0'];

describe('manifest validation', () => {
  it('accepts a good manifest and returns it typed', () => {
    const m = goodManifest();
    expect(validateManifest(m).models.mnist?.versions['1.0.0']?.task).toBe('digits');
    expect(findManifestProblems(m)).toEqual([]);
    expect(findProblemsAsTheCliDoes(m)).toEqual([]);
  });

  it('accepts the shipped registry.json', () => {
    const text = readFileSync(new URL('../../public/models/registry.json', import.meta.url), 'utf8');
    expect(() => parseManifestText(text)).not.toThrow();
    expect(findProblemsAsTheCliDoes(JSON.parse(text))).toEqual([]);
  });

  it('names the bad field path', () => {
    expect(invalidPath((m) => (v1(m).files[0].sha256 = 'XYZ'))).toBe('models.mnist.versions.1.0.0.files[0].sha256');
    expect(invalidPath((m) => (v1(m).files[0].bytes = -1))).toBe('models.mnist.versions.1.0.0.files[0].bytes');
    expect(invalidPath((m) => (v1(m).files[0].bytes = 1.5))).toBe('models.mnist.versions.1.0.0.files[0].bytes');
    expect(invalidPath((m) => (v1(m).files[0].role = 'weights'))).toBe('models.mnist.versions.1.0.0.files[0].role');
    expect(invalidPath((m) => delete v1(m).files[0].path)).toBe('models.mnist.versions.1.0.0.files[0].path');
    expect(invalidPath((m) => (v1(m).task = 'translate'))).toBe('models.mnist.versions.1.0.0.task');
    expect(invalidPath((m) => (v1(m).license = ''))).toBe('models.mnist.versions.1.0.0.license');
    expect(invalidPath((m) => (v1(m).inputs[0].dtype = 'complex64'))).toBe('models.mnist.versions.1.0.0.inputs[0].dtype');
    expect(invalidPath((m) => (v1(m).inputs[0].shape = [0]))).toBe('models.mnist.versions.1.0.0.inputs[0].shape[0]');
    expect(invalidPath((m) => (v1(m).labels = []))).toBe('models.mnist.versions.1.0.0.labels');
    expect(invalidPath((m) => (v1(m).metrics = { acc: 'high' }))).toBe('models.mnist.versions.1.0.0.metrics.acc');
    expect(invalidPath((m) => (v1(m).created = 'yesterday'))).toBe('models.mnist.versions.1.0.0.created');
    expect(invalidPath((m) => (v1(m).preprocess.std = 0))).toBe('models.mnist.versions.1.0.0.preprocess.std');
    expect(invalidPath((m) => (m.schemaVersion = 2))).toBe('schemaVersion');
    expect(invalidPath((m) => delete m.models)).toBe('models');
    expect(invalidPath((m) => (m.models.mnist.versions = {}))).toBe('models.mnist.versions');
  });

  it('rejects unsafe file paths', () => {
    for (const bad of ['../secret.onnx', '/etc/passwd', 'a//b.onnx', 'mnist/./model.onnx', 'https://evil/x.onnx', '.hidden']) {
      expect(invalidPath((m) => (v1(m).files[0].path = bad))).toBe('models.mnist.versions.1.0.0.files[0].path');
    }
  });

  it('rejects bad model ids and version keys', () => {
    expect(invalidPath((m) => (m.models['Bad@Id'] = m.models.mnist))).toBe('models.Bad@Id');
    expect(
      invalidPath((m) => {
        m.models.mnist.versions.v1 = v1(m);
      }),
    ).toBe('models.mnist.versions.v1');
  });

  it('ties the preprocess kind and required files to the task', () => {
    expect(invalidPath((m) => (v1(m).preprocess = { kind: 'tokenizer', maxLength: 8 }))).toBe('models.mnist.versions.1.0.0.preprocess.kind');
    expect(invalidPath((m) => m.models.sentiment.versions['1.0.0'].files.pop())).toBe('models.sentiment.versions.1.0.0.files');
    expect(invalidPath((m) => (v1(m).files[0].role = 'config'))).toBe('models.mnist.versions.1.0.0.files');
    expect(invalidPath((m) => (v1(m).preprocess = { kind: 'resize' }))).toBe('models.mnist.versions.1.0.0.preprocess.kind');
    expect(invalidPath((m) => delete v1(m).preprocess.mean)).toBe('models.mnist.versions.1.0.0.preprocess.mean');
    expect(invalidPath((m) => delete v1(m).preprocess)).toBe('models.mnist.versions.1.0.0.preprocess');
    expect(invalidPath((m) => delete v1(m).labels)).toBe('models.mnist.versions.1.0.0.labels');
  });

  it('takes a tensor model with nothing but its files, inputs and outputs', () => {
    const m = goodManifest();
    const { files, inputs, outputs } = v1(m);
    m.models['any-model'] = { versions: { '1.0.0': { task: 'tensor', files, inputs, outputs } } };
    expect(findManifestProblems(m)).toEqual([]);
    // Every element type onnxruntime-web names, and scalars.
    m.models['any-model'].versions['1.0.0'].inputs = [
      { name: 'sr', dtype: 'int64', shape: [] },
      { name: 'state', dtype: 'float16', shape: [2, 'batch', 128] },
    ];
    expect(findManifestProblems(m)).toEqual([]);
  });

  it('checks an image-classification entry against its task: preprocess and labels', () => {
    const m = goodManifest();
    const { files, inputs, outputs } = v1(m);
    const preprocess = {
      kind: 'image',
      height: 48,
      width: 192,
      resize: 'contain',
      channels: 'bgr',
      layout: 'nchw',
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
      output: 'probabilities',
    };
    m.models.direction = { versions: { '1.0.0': { task: 'image-classification', files, inputs, outputs, labels: ['0', '180'], preprocess } } };
    expect(findManifestProblems(m)).toEqual([]);
    const entry = (x: Record<string, any>): Record<string, any> => x.models.direction.versions['1.0.0'];
    const broken = (edit: (x: Record<string, any>) => void): string => {
      const copy = structuredClone(m);
      edit(copy);
      const path = findManifestProblems(copy)[0]?.path ?? '';
      expectCliAgrees(copy, path);
      return path;
    };
    expect(broken((x) => (entry(x).preprocess.resize = 'squash'))).toBe('models.direction.versions.1.0.0.preprocess.resize');
    expect(broken((x) => (entry(x).preprocess.std = [0.5, 0, 0.5]))).toBe('models.direction.versions.1.0.0.preprocess.std[1]');
    expect(broken((x) => (entry(x).preprocess.mean = [0.5]))).toBe('models.direction.versions.1.0.0.preprocess.mean');
    expect(broken((x) => (entry(x).preprocess = { kind: 'mnist', size: 28, fit: 20, mean: 0, std: 1 }))).toBe(
      'models.direction.versions.1.0.0.preprocess.kind',
    );
    expect(broken((x) => delete entry(x).labels)).toBe('models.direction.versions.1.0.0.labels');
  });

  it('takes a graph optimisation level as a runtime hint, and only a known one', () => {
    const m = goodManifest();
    v1(m).runtime = { graphOptimization: 'basic' };
    expect(validateManifest(m).models.mnist?.versions['1.0.0']?.runtime).toEqual({ graphOptimization: 'basic' });
    expect(invalidPath((m) => (v1(m).runtime = { graphOptimization: 'fastest' }))).toBe('models.mnist.versions.1.0.0.runtime.graphOptimization');
    expect(invalidPath((m) => (v1(m).runtime = 'basic'))).toBe('models.mnist.versions.1.0.0.runtime');
  });

  it('rejects a role or path listed twice', () => {
    expect(invalidPath((m) => v1(m).files.push({ ...v1(m).files[0], path: 'mnist/1.0.0/other.onnx' }))).toBe(
      'models.mnist.versions.1.0.0.files[1].role',
    );
    expect(invalidPath((m) => v1(m).files.push({ ...v1(m).files[0], role: 'config' }))).toBe('models.mnist.versions.1.0.0.files[1].path');
  });

  it('reports every problem in details, and JSON syntax errors', () => {
    const m = goodManifest();
    v1(m).files[0].sha256 = 'x';
    v1(m).license = '';
    const error = (() => {
      try {
        validateManifest(m);
      } catch (e) {
        return e as InpageError;
      }
    })();
    expect(error?.details.problems).toHaveLength(2);
    expect(() => parseManifestText('{ nope', 'r.json')).toThrow(/not valid JSON/);
    expect(() => parseManifestText('null')).toThrow(InpageError);
  });

  it('public/models/registry.schema.json is the schema the code enforces', () => {
    const published = JSON.parse(readFileSync(new URL('../../public/models/registry.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(MANIFEST_JSON_SCHEMA)));
  });
});
