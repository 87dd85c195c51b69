/**
 * Turns untrusted JSON into a {@link Manifest}, or throws `MANIFEST_INVALID` naming the first bad
 * field. The rules themselves are manifest-validator.ts's valibot schema, from which the
 * `inpage-registry` CLI's validator is generated.
 */
import { InpageError } from '../errors.js';
import { findManifestProblems } from './manifest-validator.js';
import type { Manifest } from './manifest-types.js';

function isManifest(value: unknown): value is Manifest {
  return findManifestProblems(value, 1).length === 0;
}

/**
 * Validates parsed JSON as a registry manifest.
 *
 * @param value - the parsed registry.json
 * @param source - where it came from, for the error message (a URL)
 * @throws InpageError `MANIFEST_INVALID` with `details.path` (e.g. `models.mnist.versions.1.0.0.files[0].sha256`)
 *   and `details.problems` (up to 20)
 * @example
 * ```ts
 * const manifest = validateManifest(await response.json(), response.url);
 * ```
 */
export function validateManifest(value: unknown, source = 'registry.json'): Manifest {
  if (isManifest(value)) return value;
  const problems = findManifestProblems(value);
  const first = problems[0] ?? { path: '', message: 'is invalid' };
  const where = first.path === '' ? '(root)' : first.path;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new InpageError('MANIFEST_INVALID', `Invalid registry manifest ${source}: ${where} ${first.message}${more}`, {
    details: { source, path: first.path, problems },
  });
}

/**
 * Parses registry.json text; a JSON syntax error is `MANIFEST_INVALID` too.
 *
 * @example
 * ```ts
 * const manifest = parseManifestText(await response.text(), url);
 * ```
 */
export function parseManifestText(text: string, source = 'registry.json'): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InpageError('MANIFEST_INVALID', `Registry manifest ${source} is not valid JSON: ${reason}`, {
      cause: error,
      details: { source, path: '' },
    });
  }
  return validateManifest(value, source);
}
