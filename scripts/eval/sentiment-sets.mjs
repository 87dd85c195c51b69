// The held-out sentiment sets: SST-2 dev and sentences/test, and the committed test rows of every everyday set
// (training/sentiment/splits/<set>-test.txt: 0-based data-row indices of the source TSV).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const EVERYDAY = {
  amazon: 'uci-sentences/amazon.tsv',
  yelp: 'uci-sentences/yelp.tsv',
  imdb: 'uci-sentences/imdb.tsv',
  books: 'multi-domain/books.tsv',
  dvd: 'multi-domain/dvd.tsv',
  electronics: 'multi-domain/electronics.tsv',
  kitchen: 'multi-domain/kitchen.tsv',
  cr: 'customer-reviews/cr.tsv',
  sentiment140: 'sentiment140/test.tsv',
  airline: 'airline-tweets/airline.tsv',
};

/** Rows { text, label } of a `sentence\tlabel` TSV (no quoting: the last tab splits). */
export function readTsv(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[0] !== 'sentence\tlabel') throw new Error(`${file}: unexpected header`);
  return lines
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => {
      const i = l.lastIndexOf('\t');
      return { text: l.slice(0, i), label: Number(l.slice(i + 1)) };
    });
}

/** [{ name, rows, everyday }] in report order: sst2-dev, sst2-test, then the everyday sets. */
export function loadSentimentSets(dataDir, splitsDir) {
  const sets = [
    { name: 'sst2-dev', rows: readTsv(path.join(dataDir, 'sst2', 'dev.tsv')), everyday: false },
    { name: 'sst2-test', rows: readTsv(path.join(dataDir, 'sst2', 'sentences', 'test.tsv')), everyday: false },
  ];
  for (const [name, rel] of Object.entries(EVERYDAY)) {
    const rows = readTsv(path.join(dataDir, rel));
    const idx = readFileSync(path.join(splitsDir, `${name}-test.txt`), 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    sets.push({ name, rows: idx.map((i) => rows[i]), everyday: true });
  }
  return sets;
}
