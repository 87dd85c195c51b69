// An SVG picture of bench/results.json's targets: per section, each figure as a bar of its ratio to
// its target (1 = exactly on target, left of the line = met), green when met, red when missed.
// `npm run bench` writes it as bench/results.svg; `node bench/lib/chart.mjs` redraws it from the
// committed results.json (no browser needed). No dependency: the SVG is written by hand.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Sections in the order bench/run.mjs measures them, found from a target's name when it does not carry one. */
const SECTIONS = [
  ['digits', /^digits/],
  ['sentiment: short text', /^sentiment short/],
  ['sentiment: long text', /^sentiment long/],
  ['start-up', /^warm start/],
  ['main thread', /^long tasks/],
  ['bytes', /bytes/],
  ['concurrency', /concurrent/],
];

export function sectionOf(target) {
  return target.section ?? SECTIONS.find(([, pattern]) => pattern.test(target.name))?.[0] ?? 'other';
}

/**
 * How far a figure is from its target, as one number whatever the operator: 1 is on the target,
 * under 1 meets it. `<=`: value / limit; `>=`: limit / value; `==` (a count that must be 0): 0 when met.
 */
export function ratioToTarget({ value, limit, op }) {
  if (op === '<=') return limit === 0 ? (value <= 0 ? 0 : Infinity) : value / limit;
  if (op === '>=') return value === 0 ? Infinity : limit / value;
  return value === limit ? 0 : Infinity;
}

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const WIDTH = 920;
const LABEL = 430;
const BAR = 380;
const ROW = 22;
/** Bars are drawn up to twice the target; anything further is clipped and marked. */
const MAX_RATIO = 2;

/** The SVG for `results` (bench/results.json's object). */
export function targetsChart(results) {
  const targets = results.targets ?? [];
  const sections = [...new Set(targets.map(sectionOf))];
  const scale = (ratio) => (Math.min(ratio, MAX_RATIO) / MAX_RATIO) * BAR;
  const rows = [];
  let y = 56;
  for (const section of sections) {
    rows.push(`<text x="12" y="${y + 14}" class="section">${escape(section)}</text>`);
    y += ROW;
    for (const target of targets.filter((t) => sectionOf(t) === section)) {
      const ratio = ratioToTarget(target);
      const shown = Number.isFinite(ratio) ? ratio.toFixed(2) : '∞';
      const clipped = ratio > MAX_RATIO ? ' ▶' : '';
      rows.push(
        `<g class="${target.pass ? 'met' : 'missed'}"><title>${escape(`${target.name}: ${target.value} ${target.op} ${target.limit}`)}</title>` +
          `<text x="24" y="${y + 15}">${escape(target.name)}</text>` +
          `<rect class="bar" x="${LABEL}" y="${y + 4}" width="${Math.max(scale(ratio), 1).toFixed(1)}" height="${ROW - 8}"/>` +
          `<text x="${LABEL + Math.max(scale(ratio), 1) + 6}" y="${y + 15}" class="value">${shown}×${clipped}</text></g>`,
      );
      y += ROW;
    }
  }
  const height = y + 16;
  const targetX = LABEL + scale(1);
  const machine = results.machine ?? {};
  const met = targets.filter((t) => t.pass).length;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family="system-ui, sans-serif" font-size="12">
<style>
  .section { font-weight: 600; fill: #222; }
  text { fill: #333; }
  .value { fill: #555; font-variant-numeric: tabular-nums; }
  .met .bar { fill: #2e8b57; }
  .missed .bar { fill: #c0392b; }
  .target { stroke: #222; stroke-dasharray: 4 3; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="12" y="22" font-size="14" font-weight="600">inpage bench: each figure / its target (1× = on target; left of the line = met) — ${met}/${targets.length} met</text>
<text x="12" y="40" class="value">${escape(`${machine.cpu ?? ''}, ${machine.cores ?? '?'} cores, Chromium ${machine.chromium ?? '?'}, ${machine.date ?? ''}`)}</text>
<line class="target" x1="${targetX}" x2="${targetX}" y1="50" y2="${height - 8}"/>
<text x="${targetX + 4}" y="58" class="value">target</text>
${rows.join('\n')}
</svg>
`;
}

/** Writes bench/results.svg from bench/results.json. */
export async function writeTargetsChart(root) {
  const results = JSON.parse(await readFile(new URL('bench/results.json', root), 'utf8'));
  await writeFile(new URL('bench/results.svg', root), targetsChart(results));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeTargetsChart(new URL('../../', import.meta.url));
  console.log('wrote bench/results.svg');
}
