/**
 * Resolves a model spec (`sentiment`, `sentiment@1.0.0`, `sentiment@^1`) against a manifest.
 */
import { InpageError } from '../errors.js';
import type { Manifest, ModelVersion } from './manifest-types.js';
import { compareSemver, parseRange, parseSemver, satisfies, type SemVer } from './semver.js';

/** The outcome of {@link resolveModel}. */
export interface ResolvedModel {
  id: string;
  version: string;
  entry: ModelVersion;
}

/** Splits `id@range` at the first `@`; a missing or empty range means "newest". */
export function parseModelSpec(spec: string): { id: string; range: string | null } {
  const trimmed = spec.trim();
  const at = trimmed.indexOf('@');
  if (at < 0) return { id: trimmed, range: null };
  const range = trimmed.slice(at + 1).trim();
  return { id: trimmed.slice(0, at).trim(), range: range === '' || range === 'latest' ? null : range };
}

function sortedVersions(versions: Record<string, ModelVersion>): { text: string; semver: SemVer }[] {
  const out: { text: string; semver: SemVer }[] = [];
  for (const text of Object.keys(versions)) {
    const semver = parseSemver(text);
    if (semver) out.push({ text, semver });
  }
  return out.sort((a, b) => compareSemver(b.semver, a.semver)); // newest first
}

/**
 * Picks the model version a spec names.
 *
 * - `id` → the newest release (the newest pre-release only when there is no release);
 * - `id@1.0.0` → exactly that version;
 * - `id@<range>` → the newest version satisfying an npm-style range (`^1`, `~1.2`, `>=1.0.0 <2`).
 *
 * @throws InpageError `NOT_FOUND` listing the known ids (`details.available`) or versions
 *   (`details.versions`); `OPTIONS_INVALID` when the range cannot be parsed.
 * @example
 * ```ts
 * const { version, entry } = resolveModel(manifest, 'sentiment@^1');
 * ```
 */
export function resolveModel(manifest: Manifest, spec: string): ResolvedModel {
  const { id, range } = parseModelSpec(spec);
  const model = Object.hasOwn(manifest.models, id) ? manifest.models[id] : undefined;
  if (!model) {
    const available = Object.keys(manifest.models).sort();
    const list = available.length > 0 ? available.join(', ') : 'none';
    throw new InpageError('NOT_FOUND', `Unknown model "${id}". Available models: ${list}`, {
      details: { id, spec, available },
    });
  }
  const versions = sortedVersions(model.versions);
  const versionTexts = versions.map((x) => x.text);
  const pick = (text: string): ResolvedModel => {
    const entry = model.versions[text];
    if (!entry) throw new InpageError('INTERNAL', `Version ${text} vanished from the manifest`);
    return { id, version: text, entry };
  };

  if (range === null) {
    const newest = versions.find((x) => x.semver.prerelease.length === 0) ?? versions[0];
    if (newest) return pick(newest.text);
  } else {
    const exact = parseSemver(range);
    if (exact) {
      const hit = versions.find((x) => compareSemver(x.semver, exact) === 0);
      if (hit) return pick(hit.text);
    } else {
      const parsed = parseRange(range);
      if (!parsed) {
        throw new InpageError('OPTIONS_INVALID', `"${range}" in "${spec}" is neither a version nor a semver range`, {
          details: { id, spec, range, versions: versionTexts },
        });
      }
      const hit = versions.find((x) => satisfies(x.semver, parsed));
      if (hit) return pick(hit.text);
    }
  }
  throw new InpageError(
    'NOT_FOUND',
    `Model "${id}" has no version matching "${range ?? 'latest'}". Available versions: ${versionTexts.join(', ') || 'none'}`,
    { details: { id, spec, range, versions: versionTexts } },
  );
}
