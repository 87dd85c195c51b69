// The behavioural suite of npm run eval:models (scripts/eval/behaviour.mjs) is generated, not stored: these tests
// hold the generator to what the evaluation relies on.
import { describe, expect, it } from 'vitest';
import { BEHAVIOUR_TESTS, buildBehaviourSuite, scoreBehaviour, suiteTexts } from '../../scripts/eval/behaviour.mjs';

const suite = buildBehaviourSuite();
const casesOf = (family: string, kind: string) => suite.filter((c) => c.family === family && c.kind === kind);

describe('behavioural suite', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(buildBehaviourSuite()).toEqual(suite);
    expect(buildBehaviourSuite({ seed: 7 })).not.toEqual(suite);
  });

  it('has a few hundred distinct cases for every test, and nothing outside the listed tests', () => {
    for (const { family, kind } of BEHAVIOUR_TESTS) {
      const cases = casesOf(family, kind);
      expect(cases.length, `${family} ${kind}`).toBeGreaterThanOrEqual(200);
      expect(new Set(cases.map((c) => c.text)).size, `${family} ${kind}`).toBe(cases.length);
    }
    const listed = new Set(BEHAVIOUR_TESTS.map((t) => `${t.family}/${t.kind}`));
    expect(suite.filter((c) => !listed.has(`${c.family}/${c.kind}`))).toEqual([]);
  });

  it('has no empty or untrimmed text, MFT labels 0 or 1 with both present, INV texts that differ from their original', () => {
    for (const c of suite) {
      expect(c.text.trim()).toBe(c.text);
      expect(c.text.length).toBeGreaterThan(0);
      if (c.kind === 'MFT') expect([0, 1]).toContain(c.label);
      else {
        expect(c.original.length).toBeGreaterThan(0);
        expect(c.text).not.toBe(c.original);
      }
    }
    for (const { family, kind } of BEHAVIOUR_TESTS.filter((t) => t.kind === 'MFT')) {
      const labels = new Set(casesOf(family, kind).map((c) => (c.kind === 'MFT' ? c.label : -1)));
      expect([...labels].sort()).toEqual([0, 1]);
    }
  });

  it('judges MFT against the expected label and INV against the label of the original', () => {
    const texts = suiteTexts(suite);
    expect(new Set(texts).size).toBe(texts.length);
    const expected = new Map(suite.flatMap((c) => (c.kind === 'MFT' ? [[c.text, c.label] as const] : [])));
    const originals = new Set(suite.flatMap((c) => (c.kind === 'INV' ? [c.original] : [])));
    for (const s of scoreBehaviour(suite, (t) => expected.get(t) ?? 1)) if (s.kind === 'MFT') expect(s.rate, s.family).toBe(1);
    for (const s of scoreBehaviour(suite, (t) => 1 - (expected.get(t) ?? 1))) if (s.kind === 'MFT') expect(s.rate, s.family).toBe(0);
    // a constant model keeps every label; one that answers 0 for originals and 1 for everything else flips them all
    for (const s of scoreBehaviour(suite, () => 0)) if (s.kind === 'INV') expect(s.rate, s.family).toBe(1);
    for (const s of scoreBehaviour(suite, (t) => (originals.has(t) ? 0 : 1))) if (s.kind === 'INV') expect(s.rate, s.family).toBe(0);
  });
});
