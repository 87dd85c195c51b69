// Semantic Versioning 2.0.0 precedence, in plain JS so the SDK (registry/semver.ts), the registry CLI and the
// repo's scripts order versions by one rule, pre-releases included.
import { SEMVER_PATTERN } from './semver-pattern.mjs';

const SEMVER_RE = new RegExp(SEMVER_PATTERN);

/** `MAJOR.MINOR.PATCH[-pre][+build]` as numbers and pre-release identifiers, or null. */
export function parseVersion(text) {
  const m = SEMVER_RE.exec(String(text).trim());
  if (!m) return null;
  const prerelease = m[4] === undefined ? [] : m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease };
}

function compareIdentifiers(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Numeric identifiers always have lower precedence than alphanumeric ones (semver §11.4.3).
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when a < b, positive when a > b, 0 when equal in precedence (build metadata ignored). */
export function compareParsedVersions(a, b) {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length; // a release outranks its pre-releases
  }
  const n = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const d = compareIdentifiers(x, y);
    if (d !== 0) return d;
  }
  return 0;
}

/** compareParsedVersions on strings; a string that is not semver sorts first. */
export function compareVersions(a, b) {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) return (pa ? 1 : 0) - (pb ? 1 : 0);
  return compareParsedVersions(pa, pb);
}

/**
 * The version `load(id)` gets among `versions`: the newest release, or the newest pre-release when there is no
 * release (the SDK's resolve-model.ts rule), so scripts and tests expect what a page really loads.
 */
export function defaultVersion(versions) {
  const sorted = [...versions].sort(compareVersions);
  return sorted.filter((v) => parseVersion(v)?.prerelease.length === 0).at(-1) ?? sorted.at(-1);
}
