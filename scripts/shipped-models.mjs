// The models this repo ships, as public/models/registry.json lists them: the newest version of an id, its folder
// and its registry entry. Scripts and tests use this instead of spelling a version, so shipping a new version of
// a model is a registry change, not a hunt through paths.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareVersions } from '../src/registry/version-order.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MODELS_DIR = path.join(repo, 'public', 'models');

/** { id, version, dir, entry } of the newest shipped version of `id`, read from `modelsDir`/registry.json. */
export function shippedModel(id, modelsDir = MODELS_DIR) {
  const registry = JSON.parse(readFileSync(path.join(modelsDir, 'registry.json'), 'utf8'));
  const versions = Object.keys(registry.models?.[id]?.versions ?? {});
  if (versions.length === 0) throw new Error(`${id} is not in ${modelsDir}/registry.json`);
  const version = versions.reduce((best, v) => (compareVersions(v, best) > 0 ? v : best));
  const entry = registry.models[id].versions[version];
  // every file of the version lives in one folder: <id>/<version>/...
  return { id, version, dir: path.join(modelsDir, id, version), entry };
}
