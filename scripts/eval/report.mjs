// The evaluation as text: one table per model, a row per figure, a column per version (oldest first).

const FORMATS = {
  percent: (v) => `${(100 * v).toFixed(2)} %`,
  ece: (v) => v.toFixed(4),
};

/** Lines of the table of `id`, given [{ version, metrics, rows }] (the rows of the first version name the rows). */
export function formatTable(id, results) {
  const head = [id, 'n', ...results.map((r) => r.version)];
  const body = results[0].rows.map((row) => [
    row.label,
    String(row.n),
    ...results.map((r) => (r.metrics[row.key] === undefined ? '-' : FORMATS[row.format](r.metrics[row.key]))),
  ]);
  const widths = head.map((_, c) => Math.max(...[head, ...body].map((cells) => cells[c].length)));
  const line = (cells) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

/** { model: { version: { metric: value } } } of every evaluated version. */
export function toJson(byModel) {
  return Object.fromEntries(Object.entries(byModel).map(([id, results]) => [id, Object.fromEntries(results.map((r) => [r.version, r.metrics]))]));
}
