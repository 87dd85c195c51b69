// bin/inpage-registry.mjs, run as a real child process on temp folders.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/registry/manifest-schema.js';
import type { Manifest } from '../../src/registry/manifest-types.js';

const CLI = path.resolve('bin/inpage-registry.mjs');
let dir: string;

function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const card = {
  inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 'sequence'] }],
  outputs: [{ name: 'logits', dtype: 'float32', shape: ['batch', 2] }],
  labels: ['negative', 'positive'],
  preprocess: { kind: 'tokenizer', maxLength: 64 },
  license: 'MIT',
  metrics: { 'sst2-accuracy': 0.81 },
  description: 'tiny sentiment model',
};

function writeModel(version: string, model = 'onnx-bytes'): void {
  const folder = path.join(dir, 'models/sentiment', version);
  mkdirSync(path.join(folder, 'onnx'), { recursive: true });
  writeFileSync(path.join(folder, 'onnx/model.onnx'), model);
  writeFileSync(path.join(folder, 'tokenizer.json'), '{"tok":1}');
  writeFileSync(path.join(folder, 'tokenizer_config.json'), '{"cfg":1}');
  writeFileSync(path.join(folder, 'config.json'), '{"model_type":"bert"}');
  writeFileSync(path.join(folder, 'NOTES.md'), 'training log');
}

const add = (version: string, ...extra: string[]) =>
  cli(
    'add',
    `models/sentiment/${version}`,
    '--id',
    'sentiment',
    '--version',
    version,
    '--task',
    'text-classification',
    '--card',
    'card.json',
    '--registry',
    'models/registry.json',
    ...extra,
  );
const registry = (): Manifest => JSON.parse(readFileSync(path.join(dir, 'models/registry.json'), 'utf8')) as Manifest;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'inpage-cli-'));
  writeFileSync(path.join(dir, 'card.json'), JSON.stringify(card));
  mkdirSync(path.join(dir, 'models'));
  writeFileSync(path.join(dir, 'models/registry.json'), '{ "schemaVersion": 1, "models": {} }\n');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('inpage-registry', () => {
  it('--help prints usage', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: inpage-registry/);
    expect(r.stdout).toMatch(/add <folder>/);
    // The task list comes from the task table.
    for (const task of ['tensor', 'digits', 'text-classification', 'image-classification']) expect(r.stdout).toContain(task);
  });

  it('add hashes files, assigns roles, merges the card, and writes a valid sorted registry', () => {
    writeModel('1.0.0');
    const r = add('1.0.0');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipping sentiment\/1\.0\.0\/NOTES\.md/);
    const m = registry();
    expect(() => validateManifest(m)).not.toThrow();
    const v = m.models.sentiment.versions['1.0.0'];
    expect(v.files.map((f) => `${f.role} ${f.path}`).sort()).toEqual([
      'config sentiment/1.0.0/config.json',
      'model sentiment/1.0.0/onnx/model.onnx',
      'tokenizer sentiment/1.0.0/tokenizer.json',
      'tokenizer-config sentiment/1.0.0/tokenizer_config.json',
    ]);
    const model = v.files.find((f) => f.role === 'model');
    expect(model?.sha256).toBe(createHash('sha256').update('onnx-bytes').digest('hex'));
    expect(model?.bytes).toBe(10);
    expect(v).toMatchObject({ task: 'text-classification', labels: card.labels, license: 'MIT', created: '2023-11-14T22:13:20.000Z' });
    expect(Object.keys(v)[0]).toBe('task');
  });

  it('add --task tensor needs no card: it reads the inputs and outputs from the ONNX file', () => {
    const folder = path.join(dir, 'models/any-model/1.0.0');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'net.onnx'), readFileSync(path.resolve('node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx')));
    const r = cli(
      'add',
      'models/any-model/1.0.0',
      '--id',
      'any-model',
      '--version',
      '1.0.0',
      '--task',
      'tensor',
      '--registry',
      'models/registry.json',
    );
    expect(r.status, r.stderr).toBe(0);
    const v = registry().models['any-model'].versions['1.0.0'];
    expect(() => validateManifest(registry())).not.toThrow();
    expect(v.task).toBe('tensor');
    expect(v.inputs).toEqual([
      { name: 'input', dtype: 'float32', shape: ['input_dim0', 'input_dim1'] },
      { name: 'state', dtype: 'float32', shape: [2, 'state_dim1', 128] },
      { name: 'sr', dtype: 'int64', shape: [] },
    ]);
    expect(v.outputs.map((o) => o.name)).toEqual(['output', 'stateN']);
    expect(v).not.toHaveProperty('labels');
    // A task that needs a card's fields still says which one is missing; so does an unknown task or a file that is no model.
    const image = cli('add', 'models/any-model/1.0.0', '--id', 'img', '--version', '1.0.0', '--task', 'digits', '--registry', 'models/registry.json');
    expect(image.status).toBe(2);
    expect(image.stderr).toMatch(/labels.*is required|preprocess.*is required/);
    const unknown = cli(
      'add',
      'models/any-model/1.0.0',
      '--id',
      'x',
      '--version',
      '1.0.0',
      '--task',
      'translate',
      '--registry',
      'models/registry.json',
    );
    expect(unknown.stderr).toMatch(/unknown task "translate"; the tasks are tensor, digits/);
    writeFileSync(path.join(folder, 'net.onnx'), 'not a model');
    const broken = cli('add', 'models/any-model/1.0.0', '--id', 'y', '--version', '1.0.0', '--task', 'tensor', '--registry', 'models/registry.json');
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/cannot read the inputs and outputs of .*net\.onnx.*give them in a card/);
  });

  it('adds versions in semver order and refuses to overwrite without --force', () => {
    writeModel('1.10.0');
    writeModel('1.2.0');
    expect(add('1.10.0').status).toBe(0);
    expect(add('1.2.0').status).toBe(0);
    expect(Object.keys(registry().models.sentiment.versions)).toEqual(['1.2.0', '1.10.0']);
    const again = add('1.2.0');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(add('1.2.0', '--force').status).toBe(0);
  });

  it('refuses an entry the SDK would reject, naming the field, and leaves the file alone', () => {
    writeModel('1.0.0');
    writeFileSync(path.join(dir, 'card.json'), JSON.stringify({ ...card, preprocess: { kind: 'mnist', size: 28, fit: 20, mean: 0, std: 1 } }));
    const r = add('1.0.0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/models\.sentiment\.versions\.1\.0\.0\.preprocess\.kind/);
    expect(registry().models).toEqual({});
  });

  it('rejects a folder outside the registry folder and bad versions', () => {
    mkdirSync(path.join(dir, 'elsewhere'));
    writeFileSync(path.join(dir, 'elsewhere/model.onnx'), 'x');
    const outside = cli(
      'add',
      'elsewhere',
      '--id',
      'x',
      '--version',
      '1.0.0',
      '--task',
      'digits',
      '--card',
      'card.json',
      '--registry',
      'models/registry.json',
    );
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(/inside the registry's folder/);
    writeModel('1.0.0');
    expect(
      cli(
        'add',
        'models/sentiment/1.0.0',
        '--id',
        'sentiment',
        '--version',
        '1.0',
        '--task',
        'text-classification',
        '--card',
        'card.json',
        '--registry',
        'models/registry.json',
      ).stderr,
    ).toMatch(/not semver/);
  });

  it('writes versions in semver precedence, as the SDK orders them (rc.2 < rc.10 < release)', () => {
    for (const version of ['1.0.0', '1.0.0-rc.10', '0.9.0', '1.0.0-rc.2']) {
      writeModel(version);
      expect(add(version).status).toBe(0);
    }
    expect(Object.keys(registry().models.sentiment.versions)).toEqual(['0.9.0', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0']);
  });

  it('list and verify; verify exits 1 on a changed or missing file', () => {
    writeModel('1.0.0');
    add('1.0.0');
    expect(cli('list', '--registry', 'models/registry.json').stdout).toMatch(/sentiment@1\.0\.0\ttext-classification\t4 file/);
    const ok = cli('verify', '--registry', 'models/registry.json');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/verified 4 file\(s\): all match/);
    appendFileSync(path.join(dir, 'models/sentiment/1.0.0/tokenizer.json'), ' ');
    rmSync(path.join(dir, 'models/sentiment/1.0.0/config.json'));
    const bad = cli('verify', '--registry', 'models/registry.json');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/tokenizer\.json: 10 bytes, registry says 9/);
    expect(bad.stderr).toMatch(/config\.json: missing/);
  });

  it('schema prints the JSON Schema', () => {
    const out = execFileSync(process.execPath, [CLI, 'schema'], { encoding: 'utf8' });
    expect((JSON.parse(out) as { title: string }).title).toBe('inpage model registry');
  });
});
