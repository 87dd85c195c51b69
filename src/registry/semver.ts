/**
 * A tiny Semantic Versioning 2.0.0 implementation: parse, compare and npm-style ranges
 * (`1.2.3`, `^1`, `~1.2`, `>=1.0.0 <2`, `1.x`, `1.0.0 - 1.4.0`, `a || b`). Enough for model
 * versions; no dependency so the SDK stays small.
 */
import { compareParsedVersions, parseVersion, type SemVer } from './version-order.mjs';

// Declared once, beside the plain-JS parser the CLI shares (version-order.d.mts).
export type { SemVer };

/** Parses a full `MAJOR.MINOR.PATCH[-pre][+build]` version, or returns null. */
export const parseSemver: (text: string) => SemVer | null = parseVersion;

/** Negative when a < b, positive when a > b, 0 when equal in precedence (build metadata ignored). */
export const compareSemver: (a: SemVer, b: SemVer) => number = compareParsedVersions;

type Op = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  op: Op;
  version: SemVer;
}

/** A partial version such as `1`, `1.2`, `1.x`, `*`: missing parts are null. */
interface PartialVersion {
  major: number | null;
  minor: number | null;
  patch: number | null;
  prerelease: (string | number)[];
}

const PARTIAL_RE = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parsePartial(text: string): PartialVersion | null {
  if (text === '' || text === '*' || text === 'x' || text === 'X') return { major: null, minor: null, patch: null, prerelease: [] };
  const m = PARTIAL_RE.exec(text);
  if (!m) return null;
  const num = (s: string | undefined): number | null => (s === undefined || /^[xX*]$/.test(s) ? null : Number(s));
  const major = num(m[1]);
  const minor = major === null ? null : num(m[2]);
  const patch = minor === null ? null : num(m[3]);
  const prerelease = m[4] === undefined ? [] : m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return { major, minor, patch, prerelease };
}

const v = (major: number, minor: number, patch: number, prerelease: (string | number)[] = []): SemVer => ({
  major,
  minor,
  patch,
  prerelease,
});

/** Lowest version of a partial (`1.2` → `1.2.0`). */
const floor = (p: PartialVersion): SemVer => v(p.major ?? 0, p.minor ?? 0, p.patch ?? 0, p.prerelease);

/** Exclusive upper bound of a partial (`1` → `<2.0.0-0`), or null for `*`. `-0` keeps out pre-releases of the bound. */
function ceiling(p: PartialVersion): SemVer | null {
  if (p.major === null) return null;
  if (p.minor === null) return v(p.major + 1, 0, 0, [0]);
  if (p.patch === null) return v(p.major, p.minor + 1, 0, [0]);
  return null;
}

function expandOne(token: string): Comparator[] | null {
  const m = /^(\^|~>?|>=|<=|>|<|=)?\s*(.*)$/.exec(token);
  if (!m) return null;
  const op = m[1] ?? '';
  const p = parsePartial(m[2] ?? '');
  if (!p) return null;
  const lo = floor(p);
  const range = (hi: SemVer | null): Comparator[] =>
    hi === null
      ? [{ op: '>=', version: lo }]
      : [
          { op: '>=', version: lo },
          { op: '<', version: hi },
        ];
  switch (op) {
    case '':
    case '=':
      return p.patch === null ? range(ceiling(p)) : [{ op: '=', version: lo }];
    case '^': {
      if (p.major === null) return range(null);
      // ^ allows changes that do not modify the left-most non-zero part.
      if (p.major > 0 || p.minor === null) return range(v(p.major + 1, 0, 0, [0]));
      if (p.minor > 0 || p.patch === null) return range(v(0, p.minor + 1, 0, [0]));
      return range(v(0, 0, p.patch + 1, [0]));
    }
    case '~':
    case '~>':
      if (p.major === null) return range(null);
      return range(p.minor === null ? v(p.major + 1, 0, 0, [0]) : v(p.major, p.minor + 1, 0, [0]));
    case '>':
      // `>1.2` means above every 1.2.x; nothing is above every version (`>*`, as npm: `<0.0.0-0`).
      if (p.major === null) return [{ op: '<', version: v(0, 0, 0, [0]) }];
      return p.patch === null ? [{ op: '>=', version: ceiling(p) ?? lo }] : [{ op: '>', version: lo }];
    case '<=':
      // `<=1.2` means up to every 1.2.x; `<=*` is every version.
      if (p.major === null) return range(null);
      return p.patch === null ? [{ op: '<', version: ceiling(p) ?? lo }] : [{ op: '<=', version: lo }];
    case '>=':
    case '<':
      return [{ op, version: lo }];
    default:
      return null;
  }
}

function parseComparatorSet(text: string): Comparator[] | null {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
  if (hyphen) {
    const lo = parsePartial(hyphen[1] ?? '');
    const hi = parsePartial(hyphen[2] ?? '');
    if (!lo || !hi) return null;
    const upper = ceiling(hi);
    return [{ op: '>=', version: floor(lo) }, upper ? { op: '<', version: upper } : { op: '<=', version: floor(hi) }];
  }
  // Allow `>= 1.0.0` with a space after the operator.
  const tokens = text
    .replace(/(>=|<=|>|<|=|\^|~>?)\s+/g, '$1')
    .split(/\s+/)
    .filter(Boolean);
  if (tokens.length === 0) return [{ op: '>=', version: v(0, 0, 0) }];
  const out: Comparator[] = [];
  for (const token of tokens) {
    const comparators = expandOne(token);
    if (!comparators) return null;
    out.push(...comparators);
  }
  return out;
}

/** A parsed range: OR of AND-sets of comparators. */
export interface SemverRange {
  readonly text: string;
  readonly sets: Comparator[][];
}

/** Parses an npm-style range, or returns null when it is not one. */
export function parseRange(text: string): SemverRange | null {
  const sets: Comparator[][] = [];
  for (const part of text.split('||')) {
    const set = parseComparatorSet(part.trim());
    if (!set) return null;
    sets.push(set);
  }
  return { text, sets };
}

function test(c: Comparator, version: SemVer): boolean {
  const d = compareSemver(version, c.version);
  switch (c.op) {
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
    case '=':
      return d === 0;
  }
}

const sameCore = (a: SemVer, b: SemVer): boolean => a.major === b.major && a.minor === b.minor && a.patch === b.patch;

/**
 * npm semantics: a pre-release only satisfies a range when some comparator in the same set names
 * a pre-release of the same `major.minor.patch` — so `^1` never silently picks `2.0.0-beta`.
 */
export function satisfies(version: SemVer, range: SemverRange): boolean {
  return range.sets.some((set) => {
    if (!set.every((c) => test(c, version))) return false;
    if (version.prerelease.length === 0) return true;
    return set.some((c) => c.version.prerelease.length > 0 && c.version.prerelease[0] !== 0 && sameCore(c.version, version));
  });
}
