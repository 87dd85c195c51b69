// registry/semver.ts against npm's own `semver` package, over a generated corpus of versions and
// ranges. We keep our 4.5 KB parser because `semver` costs 35 KB minified (9 KB gzip) in every
// bundle for the same four functions; this test is what makes that choice safe.
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { compareSemver, parseRange, parseSemver, satisfies } from '../../src/registry/semver.js';

const CORES = [
  '0.0.0',
  '0.0.1',
  '0.0.2',
  '0.1.0',
  '0.1.3',
  '0.2.0',
  '1.0.0',
  '1.0.1',
  '1.2.0',
  '1.2.3',
  '1.2.4',
  '1.3.0',
  '2.0.0',
  '2.1.0',
  '10.0.0',
];
const PRERELEASES = ['', '-0', '-alpha', '-alpha.1', '-alpha.beta', '-beta', '-beta.2', '-beta.11', '-rc.1', '-1'];
const VERSIONS = [...CORES.flatMap((core) => PRERELEASES.map((pre) => core + pre)), '1.2.3+build.5', '1.2.3-rc.1+meta'];

const PARTIALS = [
  '*',
  'x',
  '0',
  '1',
  '2',
  '0.0',
  '0.1',
  '1.2',
  '1.x',
  '1.2.x',
  '0.0.1',
  '0.1.3',
  '1.2.3',
  '1.0.0',
  '2.0.0',
  '1.2.3-beta',
  '2.0.0-alpha',
  '0.0.1-rc.1',
];
const OPERATORS = ['', '=', '^', '~', '~>', '>', '>=', '<', '<='];

/** Every operator on every partial, then AND pairs, hyphen ranges and ORs built from them. */
function rangeCorpus(): string[] {
  const single = OPERATORS.flatMap((op) => PARTIALS.map((partial) => op + partial));
  const pairs = ['>=1.0.0 <2', '>=0.1.0 <0.2.0', '>1.2.3 <=2.0.0', '>=1.2.3-beta <1.2.4', '>= 1.0.0 < 2.0.0', '^1.2.3 <1.2.4'];
  const hyphens = ['1.0.0 - 1.2.3', '1 - 2', '1.2 - 2.0.0', '0.0.1 - 0.1', '1.2.3-beta - 1.2.4'];
  const ors = ['^0.1 || ^1', '1.2.3 || >=2.0.0-alpha', '<0.1.0 || >1.2.3 <2', '~1.2 || 2.x'];
  return [...single, ...pairs, ...hyphens, ...ors];
}

describe('semver.ts agrees with npm semver', () => {
  it('on which strings are versions', () => {
    const candidates = [...VERSIONS, '1', '1.2', 'v1.2.3', '01.2.3', '1.02.3', '1.2.3-01', '1.2.3-', '1.2.3+', 'x.1.2', '1.2.3.4', ''];
    for (const text of candidates)
      expect(parseSemver(text) !== null, text).toBe(semver.valid(text, { loose: false }) !== null && !text.startsWith('v'));
  });

  it('on the order of every pair of versions', () => {
    for (const a of VERSIONS) {
      for (const b of VERSIONS) {
        const ours = Math.sign(compareSemver(parseSemver(a)!, parseSemver(b)!));
        expect(ours, `${a} vs ${b}`).toBe(semver.compare(a, b));
      }
    }
  });

  it('on which versions satisfy which ranges', () => {
    const ranges = rangeCorpus();
    expect(ranges.length).toBeGreaterThan(150);
    let checked = 0;
    for (const text of ranges) {
      const range = parseRange(text);
      expect(range, text).not.toBeNull();
      expect(semver.validRange(text), text).not.toBeNull();
      for (const version of VERSIONS) {
        expect(satisfies(parseSemver(version)!, range!), `${version} in ${text}`).toBe(semver.satisfies(version, text));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20_000);
  });
});
