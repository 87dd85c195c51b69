// One shipped sentiment version on the held-out sets and the behavioural suite: every text goes through the model
// once (one length-sorted pass), then the figures are cut out per set.
import { loadSentimentModel } from './sentiment-model.mjs';
import { scorePredictions, topClass } from './calibration.mjs';
import { scoreBehaviour, suiteTexts } from './behaviour.mjs';

const accuracyKey = (set) => (set.startsWith('sst2') ? `${set}-accuracy` : `${set}-test-accuracy`);

/** { metrics: { key: value }, rows: [{ label, n, key, format }] } of `model` on `sets` and the behavioural `suite`. */
export async function evaluateSentiment(model, sets, suite) {
  const { classes, classify, release } = await loadSentimentModel(model);
  const behaviourTexts = suiteTexts(suite);
  const texts = [...new Set([...sets.flatMap((s) => s.rows.map((r) => r.text)), ...behaviourTexts])];
  const all = await classify(texts);
  await release();
  const row = new Map(texts.map((t, i) => [t, i]));
  const probsOf = (list) => {
    const p = new Float64Array(list.length * classes);
    list.forEach((t, k) => p.set(all.subarray(row.get(t) * classes, (row.get(t) + 1) * classes), k * classes));
    return p;
  };

  const metrics = {};
  const rows = [];
  const everyday = sets.filter((s) => s.everyday);
  const pooled = { name: 'everyday-pooled', rows: everyday.flatMap((s) => s.rows) };
  const scores = {};
  for (const set of [...sets, pooled]) {
    const s = scorePredictions(
      probsOf(set.rows.map((r) => r.text)),
      set.rows.map((r) => r.label),
      classes,
    );
    scores[set.name] = s;
    const key = set.name === 'everyday-pooled' ? 'everyday-pooled-accuracy' : accuracyKey(set.name);
    metrics[key] = s.accuracy;
    rows.push({ label: set.name, n: s.n, key, format: 'percent' });
  }
  for (const name of ['sst2-dev', 'everyday-pooled']) {
    metrics[`${name}-ece`] = scores[name].ece;
    rows.push({ label: `ECE ${name}`, n: scores[name].n, key: `${name}-ece`, format: 'ece' });
  }
  const { label } = topClass(probsOf(behaviourTexts), classes);
  const labelOf = new Map(behaviourTexts.map((t, i) => [t, label[i]]));
  for (const t of scoreBehaviour(suite, (text) => labelOf.get(text))) {
    const key = `behaviour-${t.family}-${t.kind.toLowerCase()}`;
    metrics[key] = t.rate;
    rows.push({ label: `${t.kind} ${t.title}`, n: t.n, key, format: 'percent' });
  }
  return { metrics, rows };
}
