// The registry's rules for the `inpage-registry` CLI (plain Node ESM, no build step): ajv's
// validator compiled ahead of time from the JSON Schema that scripts/write-task-rules.mjs generates
// out of the manifest's valibot schema (src/registry/manifest-validator.ts), the one definition the
// SDK validates with. A unit test runs both over the same manifests and expects the same verdicts.

import { findDuplicateFiles } from './duplicate-files.mjs';
import { MANIFEST_JSON_SCHEMA, validate } from './manifest-validator.generated.mjs';
import { SEMVER_PATTERN } from './semver-pattern.mjs';

export { MANIFEST_JSON_SCHEMA, SEMVER_PATTERN };

/** `models.mnist.versions.1.0.0.files[0].sha256`: array indexes in brackets, as the SDK writes paths. */
function pathOf(value, instancePath, extraKey) {
  const keys = instancePath
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (extraKey !== undefined) keys.push(extraKey);
  let path = '';
  let node = value;
  for (const key of keys) {
    path += Array.isArray(node) ? `[${key}]` : path === '' ? key : `.${key}`;
    node = node?.[key];
  }
  return path;
}

function problemOf(value, error) {
  const parent = error.parentSchema;
  switch (error.keyword) {
    case 'required':
      return { path: pathOf(value, error.instancePath, error.params.missingProperty), message: 'is required' };
    case 'discriminator':
      return {
        path: pathOf(value, error.instancePath, error.params.tag),
        message: `must be one of the tasks, got ${JSON.stringify(error.params.tagValue)}`,
      };
    case 'pattern': {
      const key = error.propertyName;
      const text = key ?? error.instancePath.split('/').reduce((node, part) => (part === '' ? node : node?.[part]), value);
      return {
        path: pathOf(value, error.instancePath, key),
        message: `${JSON.stringify(text)} is not ${parent?.title ?? `matching ${error.params.pattern}`}`,
      };
    }
    case 'contains':
      return { path: pathOf(value, error.instancePath), message: `must contain ${parent?.contains?.title ?? 'a matching item'}` };
    case 'anyOf':
      return { path: pathOf(value, error.instancePath), message: `must be ${parent.anyOf.map((branch) => branch.type).join(' or ')}` };
    default:
      return { path: pathOf(value, error.instancePath, error.propertyName), message: error.message ?? 'is invalid' };
  }
}

/**
 * Every problem (up to `limit`) that makes `value` an invalid registry manifest; empty when valid.
 * @param {unknown} value
 * @param {number} [limit]
 */
export function findManifestProblems(value, limit = 20) {
  if (validate(value)) {
    const problems = [];
    findDuplicateFiles(value, problems, limit);
    return problems;
  }
  // propertyNames repeats the error inside it; the items that did not match `contains`, or one
  // branch of an anyOf, are not themselves wrong: the contains and anyOf errors say what is.
  const errors = validate.errors.filter((error) => error.keyword !== 'propertyNames' && !/\/(contains|anyOf)\//.test(error.schemaPath));
  return errors.slice(0, limit).map((error) => problemOf(value, error));
}

/** @param {unknown} value */
export function isManifest(value) {
  return findManifestProblems(value, 1).length === 0;
}
