"""Sentiment data preparation: reads the data sets, makes the seeded held-out splits, writes the row list.

Usage: /usr/bin/python3 training/sentiment/prepare_data.py [--data DIR] [--smoke] [--write-splits]

Expected files under DIR (default <repo>/../shared/datasets), TSV with header `sentence<TAB>label`, no quoting,
label 1 = positive, 0 = negative:
  sst2/train.tsv, sst2/dev.tsv, sst2/sentences/test.tsv,
  uci-sentences/{amazon,yelp,imdb}.tsv, multi-domain/{books,dvd,electronics,kitchen}.tsv,
  customer-reviews/cr.tsv, sentiment140/test.tsv, airline-tweets/airline.tsv
rt-polarity is NOT used (it overlaps SST-2 dev/test).

Splits (seed 20240601, per set):
  * rows are grouped by normalised text (lower-case, non-alphanumerics dropped, spaces collapsed), so exact
    duplicates always land on the same side; groups with conflicting labels are dropped;
  * 20 % of the groups of each label -> held-out TEST (one row per group, the first); the rest -> training
    portion, of which 10 % of the groups of each label -> VALIDATION (early stopping / model selection);
  * every training or validation row whose normalised text equals any held-out test text (of any set), an
    SST-2 dev sentence or an SST-2 sentences/test sentence is removed;
  * SST-2 (GLUE train phrases): 2,000 random rows -> validation, the rest -> training. GLUE's phrases are the
    nodes of each sentence's parse tree, so 89 % of such validation phrases occur inside a training phrase (SST-2
    dev: 0.2 %): they measure recall, not generalisation. --sst2-val sentences holds out whole sentences instead
    (SENTENCE_VAL phrases of 8+ words that no other phrase contains) and drops every phrase inside one of them
    from training, so the validation half is as unseen as dev is. The default keeps the split the shipped models
    (1.0.0 to 1.3.0-rc.1) were chosen with.
The held-out test rows are written as 0-based data-row indices (header excluded) to
training/sentiment/splits/<set>-test.txt (committed; --write-splits), which scripts/evaluate-models.mjs reads.
"""
import argparse
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from common import CACHE, DEFAULT_DATA, REPO  # noqa: E402

SEED = 20240601
SENTENCE_VAL = 800  # --sst2-val sentences: SST-2 validation sentences (GLUE train has about 6,900 whole sentences)
EVERYDAY = {
    'amazon': 'uci-sentences/amazon.tsv',
    'yelp': 'uci-sentences/yelp.tsv',
    'imdb': 'uci-sentences/imdb.tsv',
    'books': 'multi-domain/books.tsv',
    'dvd': 'multi-domain/dvd.tsv',
    'electronics': 'multi-domain/electronics.tsv',
    'kitchen': 'multi-domain/kitchen.tsv',
    'cr': 'customer-reviews/cr.tsv',
    'sentiment140': 'sentiment140/test.tsv',
    'airline': 'airline-tweets/airline.tsv',
}
SPLITS_DIR = os.path.join(REPO, 'training', 'sentiment', 'splits')


def read_tsv(path):
    rows = []
    with open(path, encoding='utf-8', newline='\n') as f:
        header = f.readline().rstrip('\n').split('\t')
        assert header == ['sentence', 'label'], (path, header)
        for line in f:
            line = line.rstrip('\n')
            if not line:
                continue
            text, label = line.rsplit('\t', 1)
            rows.append((text, int(label)))
    return rows


def norm_key(text):
    return ' '.join(re.sub(r'[^0-9a-z]+', ' ', text.lower()).split())


def split_set(name, rows):
    """Returns (test_idx, train_idx, val_idx) as lists of row indices."""
    rng = random.Random(f'{SEED}-{name}')
    groups = {}
    for i, (text, label) in enumerate(rows):
        groups.setdefault(norm_key(text), []).append(i)
    test, train, val = [], [], []
    by_label = {0: [], 1: []}
    for key, idx in groups.items():
        labels = {rows[i][1] for i in idx}
        if len(labels) > 1:
            continue  # conflicting labels: drop
        by_label[labels.pop()].append(idx)
    for label in (0, 1):
        gs = sorted(by_label[label], key=lambda g: g[0])
        rng.shuffle(gs)
        n_test = round(0.2 * len(gs))
        rest = gs[n_test:]
        n_val = round(0.1 * len(rest))
        test += [g[0] for g in gs[:n_test]]
        val += [i for g in rest[:n_val] for i in g]
        train += [i for g in rest[n_val:] for i in g]
    return sorted(test), sorted(train), sorted(val)


def held_out_sentences(sst, order):
    """--sst2-val sentences: (validation row indices, training row indices to drop). Takes, in the seeded `order`,
    the first SENTENCE_VAL phrases of 8+ words that occur inside no other phrase (whole sentences, like dev's), and
    drops every phrase that occurs inside one of them, so that no part of a validation sentence is trained on."""
    padded = [f' {t} ' for t, _ in sst]
    everything = '\n'.join(padded)
    chosen = []
    for i in order:
        if len(sst[i][0].split()) >= 8 and everything.count(padded[i]) == 1:
            chosen.append(i)
            if len(chosen) == SENTENCE_VAL:
                break
    held = '\n'.join(padded[i] for i in chosen)
    inside = {i for i, p in enumerate(padded) if p in held} - set(chosen)
    return set(chosen), inside


def inside_training(rows):
    """How many SST-2 validation rows occur verbatim inside a training phrase (the figure in the docstring)."""
    training = '\n'.join(f' {r["text"]} ' for r in rows if r['source'] == 'sst2' and r['split'] == 'train')
    return sum(f' {r["text"]} ' in training for r in rows if r['source'] == 'sst2' and r['split'] == 'val')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--out', default=os.path.join(CACHE, 'sentiment'))
    ap.add_argument('--smoke', action='store_true', help='keep a few hundred rows only')
    ap.add_argument('--sst2-val', choices=['phrases', 'sentences'], default='phrases',
                    help='SST-2 validation: 2,000 random phrases (the shipped models\' split) or whole held-out '
                         'sentences with none of their phrases trained on (see above)')
    ap.add_argument('--write-splits', action='store_true', help='(re)write training/sentiment/splits/*.txt')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    out_rows = []  # dicts: text, label, split, source
    test_keys = set()
    pending = []
    stats = {}
    for name, rel in EVERYDAY.items():
        rows = read_tsv(os.path.join(args.data, rel))
        test, train, val = split_set(name, rows)
        if args.write_splits:
            os.makedirs(SPLITS_DIR, exist_ok=True)
            with open(os.path.join(SPLITS_DIR, f'{name}-test.txt'), 'w') as f:
                f.write('\n'.join(str(i) for i in test) + '\n')
        else:
            path = os.path.join(SPLITS_DIR, f'{name}-test.txt')
            if os.path.exists(path):
                committed = [int(x) for x in open(path).read().split()]
                assert committed == test, f'{name}: split differs from committed {path}'
        test_keys |= {norm_key(rows[i][0]) for i in test}
        for i in test:
            out_rows.append({'text': rows[i][0], 'label': rows[i][1], 'split': 'test', 'source': name})
        pending.append((name, rows, train, val))
        stats[name] = {'rows': len(rows), 'test': len(test)}

    sst_dev = read_tsv(os.path.join(args.data, 'sst2/dev.tsv'))
    sst_test = read_tsv(os.path.join(args.data, 'sst2/sentences/test.tsv'))
    for t, l in sst_dev:
        out_rows.append({'text': t, 'label': l, 'split': 'test', 'source': 'sst2-dev'})
    for t, l in sst_test:
        out_rows.append({'text': t, 'label': l, 'split': 'test', 'source': 'sst2-test'})
    blocked = test_keys | {norm_key(t) for t, _ in sst_dev} | {norm_key(t) for t, _ in sst_test}

    for name, rows, train, val in pending:
        dropped = 0
        for split, idx in (('train', train), ('val', val)):
            for i in idx:
                if norm_key(rows[i][0]) in blocked:
                    dropped += 1
                    continue
                out_rows.append({'text': rows[i][0], 'label': rows[i][1], 'split': split, 'source': name})
        stats[name].update(train=len(train), val=len(val), dropped_overlap=dropped)

    sst = read_tsv(os.path.join(args.data, 'sst2/train.tsv'))
    rng = random.Random(f'{SEED}-sst2')
    order = list(range(len(sst)))
    rng.shuffle(order)
    val_set, unseen = (held_out_sentences(sst, order) if args.sst2_val == 'sentences' else (set(order[:2000]), set()))
    dropped = 0
    for i, (t, l) in enumerate(sst):
        if norm_key(t) in blocked or i in unseen:
            dropped += 1
            continue
        out_rows.append({'text': t, 'label': l, 'split': 'val' if i in val_set else 'train', 'source': 'sst2'})
    stats['sst2'] = {'rows': len(sst), 'val': len(val_set), 'dropped_overlap': dropped, 'split': args.sst2_val}

    stats['sst2']['val_inside_a_training_phrase'] = inside_training(out_rows)
    if args.smoke:
        rng = random.Random(1)
        rng.shuffle(out_rows)
        keep, count = [], {}
        for r in out_rows:
            k = (r['split'], r['source'] in ('sst2', 'sst2-dev', 'sst2-test'))
            cap = {'train': 300, 'val': 60, 'test': 60}[r['split']]
            if count.get(k, 0) < cap:
                count[k] = count.get(k, 0) + 1
                keep.append(r)
        out_rows = keep
    with open(os.path.join(args.out, 'rows.jsonl'), 'w') as f:
        for r in out_rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    with open(os.path.join(args.out, 'train-text.txt'), 'w') as f:
        seen = set()
        for r in out_rows:
            if r['split'] == 'train' and r['text'] not in seen:
                seen.add(r['text'])
                f.write(r['text'].replace('\n', ' ') + '\n')
    counts = {}
    for r in out_rows:
        counts[f"{r['split']}"] = counts.get(r['split'], 0) + 1
    print(json.dumps({'stats': stats, 'counts': counts}, indent=1))


if __name__ == '__main__':
    main()
