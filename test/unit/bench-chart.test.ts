// bench/results.svg: one bar per target, as a ratio to the target whatever its operator.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ratioToTarget, sectionOf, targetsChart, type BenchTarget } from '../../bench/lib/chart.mjs';

describe('the bench chart', () => {
  it('puts every operator on one scale: under 1 meets the target', () => {
    expect(ratioToTarget({ name: 'p50', value: 0.45, limit: 0.9, op: '<=', pass: true })).toBe(0.5);
    expect(ratioToTarget({ name: 'speed-up', value: 4, limit: 2, op: '>=', pass: true })).toBe(0.5);
    expect(ratioToTarget({ name: 'long tasks', value: 0, limit: 0, op: '==', pass: true })).toBe(0);
    expect(ratioToTarget({ name: 'long tasks', value: 3, limit: 0, op: '==', pass: false })).toBe(Infinity);
  });

  it('draws a bar for each target of the committed results, under its section', () => {
    const results = JSON.parse(readFileSync(new URL('../../bench/results.json', import.meta.url), 'utf8')) as { targets: BenchTarget[] };
    const svg = targetsChart(results);
    expect(svg.match(/class="bar"/g)).toHaveLength(results.targets.length);
    for (const target of results.targets) expect(svg).toContain(`>${sectionOf(target)}</text>`);
    expect(svg).toBe(readFileSync(new URL('../../bench/results.svg', import.meta.url), 'utf8'));
  });
});
