/**
 * Turns untrusted JSON into a {@link Manifest}, or throws `MANIFEST_INVALID` naming the first bad
 * field. The rules themselves are manifest-validator.ts's valibot schema, from which the
 * `inpage-registry` CLI's validator is generated. The text is bounded (size, nesting depth)
 * before it is parsed, so that validation stays linear in it.
 */
import { InpageError } from '../errors.js';
import { MAX_JSON_DEPTH, textDepthExceeded, valueDepthExceeded } from './json-bounds.js';
import { findManifestProblems, findManifestProblemsInSlices } from './manifest-validator.js';
import type { ManifestProblem } from './duplicate-files.mjs';
import type { Manifest } from './manifest-types.js';

/** The largest registry.json accepted (thousands of model versions fit in it). */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

function tooDeep(source: string): InpageError {
  return new InpageError('MANIFEST_INVALID', `Invalid registry manifest ${source}: nests deeper than ${MAX_JSON_DEPTH} levels`, {
    details: { source, path: '', limit: MAX_JSON_DEPTH },
  });
}

function invalidManifest(problems: ManifestProblem[], source: string): InpageError {
  const first = problems[0] ?? { path: '', message: 'is invalid' };
  const where = first.path === '' ? '(root)' : first.path;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new InpageError('MANIFEST_INVALID', `Invalid registry manifest ${source}: ${where} ${first.message}${more}`, {
    details: { source, path: first.path, problems },
  });
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
  if (valueDepthExceeded(value)) throw tooDeep(source);
  const problems = findManifestProblems(value);
  if (problems.length === 0) return value as Manifest;
  throw invalidManifest(problems, source);
}

/** Bounds, then JSON.parse: any failure is MANIFEST_INVALID. */
function parseBounded(text: string, source: string): unknown {
  // Characters, not bytes: the bound is on the work, and a character is at least a byte.
  if (text.length > MAX_MANIFEST_BYTES) {
    throw new InpageError('MANIFEST_INVALID', `Registry manifest ${source} is larger than ${MAX_MANIFEST_BYTES} bytes`, {
      details: { source, path: '', limit: MAX_MANIFEST_BYTES },
    });
  }
  if (textDepthExceeded(text) >= 0) throw tooDeep(source);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InpageError('MANIFEST_INVALID', `Registry manifest ${source} is not valid JSON: ${reason}`, {
      cause: error,
      details: { source, path: '' },
    });
  }
}

/**
 * Parses registry.json text; a JSON syntax error, a text over {@link MAX_MANIFEST_BYTES} or nesting
 * over 32 levels is `MANIFEST_INVALID` too.
 *
 * @example
 * ```ts
 * const manifest = parseManifestText(await response.text(), url);
 * ```
 */
export function parseManifestText(text: string, source = 'registry.json'): Manifest {
  return validateManifest(parseBounded(text, source), source);
}

/** A macrotask boundary: lets queued messages (other models' predictions) run. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * {@link parseManifestText} for the engine: the validation awaits `pause` (default: the next task)
 * every few milliseconds, so that a large registry.json never holds up the predictions of models
 * already loaded for more than a frame.
 *
 * @example
 * ```ts
 * const manifest = await parseManifestTextInSlices(await response.text(), url);
 * ```
 */
export async function parseManifestTextInSlices(text: string, source = 'registry.json', pause: () => Promise<void> = nextTask): Promise<Manifest> {
  const value = parseBounded(text, source);
  const problems = await findManifestProblemsInSlices(value, { pause });
  if (problems.length === 0) return value as Manifest;
  throw invalidManifest(problems, source);
}
