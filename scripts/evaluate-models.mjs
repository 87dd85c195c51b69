#!/usr/bin/env node
// Evaluates every SHIPPED version of both models (public/models/registry.json, oldest first) with onnxruntime-node
// and prints one table per model, a column per version (npm run eval:models):
//   sentiment: SST-2 dev (872), SST-2 sentences/test (1,821), the held-out test rows of every everyday set and
//              their pooled figure (scripts/eval/sentiment-sets.mjs); ECE (15 bins) on SST-2 dev and everyday pooled;
//              the behavioural tests' pass rates (scripts/eval/behaviour.mjs).
//   mnist:     MNIST test (10,000) accuracy and ECE (scripts/eval/mnist.mjs).
// Options: --data DIR (default <repo>/../shared/datasets), --models DIR (default public/models),
//          --only mnist|sentiment, --versions a,b (only these versions), --json FILE ({model: {version: {metric: value}}}).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedVersions } from './shipped-models.mjs';
import { loadSentimentSets } from './eval/sentiment-sets.mjs';
import { evaluateSentiment } from './eval/sentiment.mjs';
import { loadMnistTest, evaluateMnist } from './eval/mnist.mjs';
import { buildBehaviourSuite } from './eval/behaviour.mjs';
import { formatTable, toJson } from './eval/report.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const dataDir = path.resolve(opt('--data', path.join(repo, '..', 'shared', 'datasets')));
const modelsDir = path.resolve(opt('--models', path.join(repo, 'public', 'models')));
const only = opt('--only', null);
const wanted = opt('--versions', null)?.split(',');
const jsonOut = opt('--json', null);

// per model: the data, loaded once for all its versions, and the evaluator of one version
const MODELS = {
  sentiment: {
    load: () => ({
      sets: loadSentimentSets(dataDir, path.join(repo, 'training', 'sentiment', 'splits')),
      suite: buildBehaviourSuite(),
    }),
    evaluate: (model, { sets, suite }) => evaluateSentiment(model, sets, suite),
  },
  mnist: { load: () => loadMnistTest(dataDir), evaluate: evaluateMnist },
};
if (only && !(only in MODELS)) {
  console.error(`--only: one of ${Object.keys(MODELS).join(', ')}`);
  process.exit(2);
}

// wall-clock and CPU seconds (all of onnxruntime's threads) since `from` ({ wall, cpu } of an earlier call)
const clock = () => ({ wall: Date.now(), cpu: process.cpuUsage() });
const since = (from) => {
  const cpu = process.cpuUsage(from.cpu);
  return `${((Date.now() - from.wall) / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`;
};

const t0 = clock();
const byModel = {};
for (const [id, { load, evaluate }] of Object.entries(MODELS)) {
  if (only && only !== id) continue;
  const versions = shippedVersions(id, modelsDir).filter((m) => !wanted || wanted.includes(m.version));
  if (versions.length === 0) {
    console.log(`${id}: no shipped version among ${wanted}\n`);
    continue;
  }
  const data = load();
  byModel[id] = [];
  for (const model of versions) {
    const t = clock();
    byModel[id].push({ version: model.version, ...(await evaluate(model, data)) });
    console.error(`${id} ${model.version}: ${since(t)}`);
  }
  console.log([...formatTable(id, byModel[id]), ''].join('\n'));
}
console.log(`(${since(t0)})`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(toJson(byModel), null, 2) + '\n');
