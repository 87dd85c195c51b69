#!/usr/bin/env node
// inpage-registry: maintain a registry.json (the manifest inpage loads models from).
// Plain Node ESM with no dependencies and no build step; the manifest rules are imported from
// the same module the SDK uses, so the CLI can never write a manifest the SDK rejects.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFEST_JSON_SCHEMA, SEMVER_PATTERN, findManifestProblems } from '../src/registry/manifest-rules.mjs';
import { OnnxFormatError, readOnnxSignature } from '../src/registry/onnx-signature.mjs';
import { TASK_RULES } from '../src/registry/task-rules.generated.mjs';
import { compareVersions } from '../src/registry/version-order.mjs';

const TASK_LIST = Object.entries(TASK_RULES)
  .map(
    ([task, rule]) =>
      `                             ${task.padEnd(21)} ${rule.preprocess ? 'card: preprocess' : 'no card needed'}${rule.labels ? ', labels' : ''}${rule.roles.length ? `; files: ${rule.roles.join(', ')}` : ''}`,
  )
  .join('\n');

const USAGE = `Usage: inpage-registry <command> [options]

Commands:
  add <folder>   Hash every file under <folder> and add it as one model version.
      --id <id>              model id (lower-case letters, digits, . _ -)
      --version <semver>     e.g. 1.0.0 (an existing version is an error unless --force)
      --task <task>          the task (or "task" in the card); one of:
${TASK_LIST}
      --card <card.json>     optional: labels, preprocess, license, metrics, runtime, description,
                             inputs, outputs (read from the .onnx file when the card has none)
      --registry <path>      registry.json to update (default: public/models/registry.json);
                             <folder> must be inside its folder, and file paths are stored
                             relative to it (e.g. mnist/1.0.0/model.onnx)
      --force                replace an existing version
  list           Print every model version in the registry.
  verify         Validate the registry and re-hash every file; exit code 1 on any mismatch.
  schema         Print the registry JSON Schema (--out <file> writes it instead).

File roles come from names: *.onnx -> model, tokenizer.json -> tokenizer,
tokenizer_config.json -> tokenizer-config, config.json -> config. Any other file (README,
logs, the card itself) is skipped with a warning: the SDK could not use a file with no role.

Environment: SOURCE_DATE_EPOCH (seconds) fixes the "created" date for reproducible output.`;

const CARD_FIELDS = ['inputs', 'outputs', 'labels', 'preprocess', 'license', 'metrics', 'runtime', 'description', 'task'];
const FIELD_ORDER = ['task', 'description', 'files', 'inputs', 'outputs', 'labels', 'preprocess', 'license', 'metrics', 'runtime', 'created'];

class UsageError extends Error {}

function roleFor(name) {
  if (name === 'tokenizer.json') return 'tokenizer';
  if (name === 'tokenizer_config.json') return 'tokenizer-config';
  if (name === 'config.json') return 'config';
  if (name.endsWith('.onnx')) return 'model';
  return null;
}

async function sha256File(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

async function listFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

async function readJson(file, what) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${error.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${file} is not valid JSON: ${error.message}`);
  }
}

async function readRegistry(file) {
  try {
    await stat(file);
  } catch {
    return { schemaVersion: 1, models: {} };
  }
  return readJson(file, 'registry');
}

/** Stable, diff-friendly output: ids alphabetical, versions in semver order, fields in schema order. */
function sortRegistry(registry) {
  const models = {};
  for (const id of Object.keys(registry.models).sort()) {
    const entry = registry.models[id];
    const versions = {};
    for (const v of Object.keys(entry.versions).sort(compareVersions)) {
      const src = entry.versions[v];
      const ordered = {};
      for (const k of [...FIELD_ORDER, ...Object.keys(src).sort()]) if (k in src && !(k in ordered)) ordered[k] = src[k];
      versions[v] = ordered;
    }
    const { description, versions: _old, ...rest } = entry;
    models[id] = { ...(description === undefined ? {} : { description }), ...rest, versions };
  }
  return { ...registry, schemaVersion: registry.schemaVersion, models };
}

function assertValid(registry) {
  const problems = findManifestProblems(registry);
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`).join('\n');
    throw new UsageError(`the registry would be invalid:\n${lines}`);
  }
}

/** JSON.stringify with 2-space indent, but short arrays of scalars (shapes, labels) stay on one line. */
function pretty(value, indent = '') {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (value.every((v) => v === null || typeof v !== 'object') && inline.length + indent.length <= 100) return inline;
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${pretty(value[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

async function writeAtomically(file, text) {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file); // readers (the CDN server, a concurrent CLI) never see half a file
}

/** The inputs and outputs the model file declares, for a card that gives none. */
async function signatureOf(modelFile) {
  try {
    return readOnnxSignature(new Uint8Array(await readFile(modelFile)));
  } catch (error) {
    if (error instanceof OnnxFormatError)
      throw new UsageError(`cannot read the inputs and outputs of ${modelFile}: ${error.message}; give them in a card`);
    throw error;
  }
}

async function add(folder, opts) {
  for (const key of ['id', 'version']) if (!opts[key]) throw new UsageError(`add needs --${key}`);
  if (!new RegExp(SEMVER_PATTERN).test(opts.version)) throw new UsageError(`--version ${opts.version} is not semver`);
  const registryPath = path.resolve(opts.registry);
  const base = path.dirname(registryPath);
  const root = path.resolve(folder);
  const relRoot = path.relative(base, root);
  if (relRoot.startsWith('..') || path.isAbsolute(relRoot)) {
    throw new UsageError(`${folder} must be inside the registry's folder ${base} (the CDN serves that folder)`);
  }
  const cardPath = opts.card ? path.resolve(opts.card) : null;
  const card = cardPath ? await readJson(cardPath, 'card') : {};
  if (card === null || typeof card !== 'object' || Array.isArray(card)) throw new UsageError('the card must be a JSON object');
  for (const key of Object.keys(card)) {
    if (!CARD_FIELDS.includes(key)) console.warn(`warning: card field "${key}" is not part of the manifest; ignored`);
  }
  const task = opts.task ?? card.task;
  if (!task) throw new UsageError('add needs --task (or "task" in the card)');
  if (opts.task && card.task && opts.task !== card.task) throw new UsageError(`--task ${opts.task} contradicts the card's "${card.task}"`);
  if (!Object.hasOwn(TASK_RULES, task)) throw new UsageError(`unknown task "${task}"; the tasks are ${Object.keys(TASK_RULES).join(', ')}`);

  const files = [];
  for (const file of await listFiles(root)) {
    if (file === cardPath) continue;
    const role = roleFor(path.basename(file));
    const rel = path.relative(base, file).split(path.sep).join('/');
    if (!role) {
      console.warn(`warning: skipping ${rel}: no role for this file name`);
      continue;
    }
    const { size } = await stat(file);
    files.push({ path: rel, role, sha256: await sha256File(file), bytes: size });
  }
  if (files.length === 0) throw new UsageError(`no usable files in ${folder}`);

  const registry = await readRegistry(registryPath);
  if (registry === null || typeof registry !== 'object' || typeof registry.models !== 'object' || registry.models === null) {
    throw new UsageError(`${opts.registry} is not a registry (no "models" object)`);
  }
  const entry = registry.models[opts.id] ?? { versions: {} };
  if (entry.versions?.[opts.version] && !opts.force) {
    throw new UsageError(`${opts.id}@${opts.version} already exists; published versions should not change (use --force to replace)`);
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const created = new Date(epoch ? Number(epoch) * 1000 : Date.now()).toISOString();
  const version = { task, files };
  for (const key of CARD_FIELDS) if (key !== 'task' && key in card) version[key] = card[key];
  if (!version.inputs || !version.outputs) {
    const models = files.filter((f) => f.role === 'model');
    if (models.length !== 1)
      throw new UsageError(`found ${models.length} .onnx files in ${folder}; one is needed to read the inputs and outputs from`);
    const signature = await signatureOf(path.join(base, ...models[0].path.split('/')));
    version.inputs ??= signature.inputs;
    version.outputs ??= signature.outputs;
  }
  version.created = created;
  entry.versions = { ...entry.versions, [opts.version]: version };
  if (entry.description === undefined && typeof card.description === 'string') entry.description = card.description;
  registry.models[opts.id] = entry;

  const sorted = sortRegistry(registry);
  assertValid(sorted);
  await writeAtomically(registryPath, `${pretty(sorted)}\n`);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  console.log(`added ${opts.id}@${opts.version} (${task}): ${files.length} file(s), ${bytes} bytes -> ${opts.registry}`);
  for (const f of files) console.log(`  ${f.role.padEnd(16)} ${f.path} ${f.bytes} ${f.sha256.slice(0, 12)}`);
}

async function list(opts) {
  const registry = await readJson(path.resolve(opts.registry), 'registry');
  assertValid(registry);
  for (const [id, entry] of Object.entries(registry.models)) {
    for (const [v, model] of Object.entries(entry.versions)) {
      const bytes = model.files.reduce((n, f) => n + f.bytes, 0);
      console.log(`${id}@${v}\t${model.task}\t${model.files.length} file(s)\t${bytes} bytes\t${model.created ?? ''}`);
    }
  }
}

async function verify(opts) {
  const registryPath = path.resolve(opts.registry);
  const registry = await readJson(registryPath, 'registry');
  assertValid(registry);
  const base = path.dirname(registryPath);
  let checked = 0;
  const bad = [];
  for (const [id, entry] of Object.entries(registry.models)) {
    for (const [v, model] of Object.entries(entry.versions)) {
      for (const f of model.files) {
        const file = path.join(base, ...f.path.split('/'));
        checked++;
        let size;
        try {
          size = (await stat(file)).size;
        } catch {
          bad.push(`${id}@${v} ${f.path}: missing`);
          continue;
        }
        if (size !== f.bytes) bad.push(`${id}@${v} ${f.path}: ${size} bytes, registry says ${f.bytes}`);
        else {
          const actual = await sha256File(file);
          if (actual !== f.sha256) bad.push(`${id}@${v} ${f.path}: sha256 ${actual}, registry says ${f.sha256}`);
        }
      }
    }
  }
  for (const line of bad) console.error(`MISMATCH ${line}`);
  console.log(`verified ${checked} file(s): ${bad.length === 0 ? 'all match' : `${bad.length} mismatch(es)`}`);
  return bad.length === 0 ? 0 : 1;
}

async function schema(opts) {
  const text = `${JSON.stringify(MANIFEST_JSON_SCHEMA, null, 2)}\n`;
  if (opts.out) {
    await writeAtomically(path.resolve(opts.out), text);
    console.log(`wrote ${opts.out}`);
  } else process.stdout.write(text);
}

export async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      version: { type: 'string' },
      task: { type: 'string' },
      card: { type: 'string' },
      registry: { type: 'string', default: 'public/models/registry.json' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === 'add') {
    if (rest.length !== 1) throw new UsageError('add needs exactly one <folder>');
    await add(rest[0], values);
    return 0;
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}`);
  if (command === 'list') return (await list(values)) ?? 0;
  if (command === 'verify') return verify(values);
  if (command === 'schema') return (await schema(values)) ?? 0;
  throw new UsageError(`unknown command ${command}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const known = error instanceof UsageError || error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    console.error(`inpage-registry: ${known ? error.message : error.stack}`);
    if (error instanceof UsageError || known) console.error('Run inpage-registry --help for usage.');
    process.exitCode = 2;
  },
);
