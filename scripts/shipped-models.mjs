// The models this repo ships, as public/models/registry.json lists them: every version of an id (oldest first), its
// folder and its registry entry. Scripts and tests use this instead of spelling a version, so shipping a new version
// of a model is a registry change, not a hunt through paths.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareVersions, defaultVersion } from '../src/registry/version-order.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MODELS_DIR = path.join(repo, 'public', 'models');

/** [{ id, version, dir, entry }] of every shipped version of `id` in `modelsDir`/registry.json, newest last. */
export function shippedVersions(id, modelsDir = MODELS_DIR) {
  const registry = JSON.parse(readFileSync(path.join(modelsDir, 'registry.json'), 'utf8'));
  const versions = Object.keys(registry.models?.[id]?.versions ?? {});
  if (versions.length === 0) throw new Error(`${id} is not in ${modelsDir}/registry.json`);
  // every file of a version lives in one folder: <id>/<version>/...
  return versions
    .sort(compareVersions)
    .map((version) => ({ id, version, dir: path.join(modelsDir, id, version), entry: registry.models[id].versions[version] }));
}

/** { id, version, dir, entry } of the version `load(id)` gets (the newest release), from `modelsDir`/registry.json. */
export function shippedModel(id, modelsDir = MODELS_DIR) {
  const all = shippedVersions(id, modelsDir);
  const version = defaultVersion(all.map((v) => v.version));
  return all.find((v) => v.version === version);
}
