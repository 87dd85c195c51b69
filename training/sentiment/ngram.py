"""Trains the n-gram member of the sentiment ensemble: logistic regression on hashed token uni- and bigrams.

  /usr/bin/python3 training/sentiment/ngram.py [--buckets 262144] [--epochs 8] [--out training/.cache/ngram.pt]

A bag of n-grams sees a text differently from a transformer (word pairs by identity, no attention, no position), so
their errors overlap less than two transformers' do: averaged with them it adds more than another transformer would
(training/README.md has the figures). About a minute on one CPU core. The checkpoint it keeps is its best epoch by
the validation score (data.validation_score); the test rows are never read here.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CACHE, seed_everything, setup_threads  # noqa: E402
from data import accuracy_by_source, cut, load, validation_score  # noqa: E402
from model import NgramNet  # noqa: E402


def bags(net, rows, max_len):
    """Per row, the feature indices NgramNet sums: token ids, then hashed bigrams offset past the vocabulary."""
    out = []
    for r in rows:
        ids = torch.tensor(cut(r['ids'], max_len))
        out.append(torch.cat([ids, net.vocab + net.bigram_bucket(ids[:-1], ids[1:])]))
    return out


def scores(table, bias, feats):
    flat = torch.cat(feats)
    offsets = torch.tensor([0] + [len(f) for f in feats[:-1]]).cumsum(0)
    return F.embedding_bag(flat, table, offsets, mode='sum') + bias


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cache', default=os.path.join(CACHE, 'sentiment'))
    ap.add_argument('--buckets', type=int, default=1 << 18)
    ap.add_argument('--vocab', type=int, default=8000)
    ap.add_argument('--max-len', type=int, default=512)
    ap.add_argument('--epochs', type=int, default=8)
    ap.add_argument('--optimizer', choices=['adagrad', 'adam'], default='adagrad')
    ap.add_argument('--lr', type=float, default=0.1)
    ap.add_argument('--l2', type=float, default=1e-6)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', default=os.path.join(CACHE, 'ngram.pt'))
    args = ap.parse_args()
    setup_threads(1)
    seed_everything(args.seed)
    rows = load(args.cache)
    train = [r for r in rows if r['split'] == 'train']
    val = [r for r in rows if r['split'] == 'val']
    arch = {'vocab': args.vocab, 'buckets': args.buckets, 'max_len': args.max_len}
    net = NgramNet(**arch)
    train_feats = bags(net, train, args.max_len)
    # two columns (one per class) while training, as a softmax regression; NgramNet keeps only their difference
    table = torch.zeros(args.vocab + args.buckets, 2, requires_grad=True)
    bias = torch.zeros(2, requires_grad=True)
    opt = (torch.optim.Adam if args.optimizer == 'adam' else torch.optim.Adagrad)([table, bias], lr=args.lr)
    y = torch.tensor([r['label'] for r in train])
    rng = np.random.default_rng(args.seed)
    best = None
    for epoch in range(args.epochs):
        t0 = time.time()
        order = rng.permutation(len(train))
        for s in range(0, len(order), args.batch):
            idx = order[s:s + args.batch]
            out = scores(table, bias, [train_feats[i] for i in idx])
            loss = F.cross_entropy(out, y[idx]) + args.l2 * (table ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            net.weight.copy_(table[:, 1] - table[:, 0])
            net.bias.copy_(bias[1] - bias[0])
        acc = accuracy_by_source(net, val, args.max_len)
        score = validation_score(acc)
        print(f'epoch {epoch} ({time.time() - t0:.0f} s) val score {score:.4f} sst2 {acc["sst2"]:.4f} '
              f'everyday {acc["everyday-pooled"]:.4f}', flush=True)
        if best is None or score > best['score']:
            best = {'score': score, 'val': acc, 'epoch': epoch,
                    'state': {k: v.detach().clone() for k, v in net.state_dict().items()}}
    meta = {'score': best['score'], 'val': best['val'], 'at': f'epoch {best["epoch"]}', 'steps': 0, 'args': vars(args)}
    torch.save({'arch': arch, 'state': best['state'], 'meta': meta}, args.out)
    print(f'wrote {args.out} (epoch {best["epoch"]}, val score {best["score"]:.4f})', flush=True)


if __name__ == '__main__':
    main()
