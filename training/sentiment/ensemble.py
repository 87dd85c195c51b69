"""Chooses the members of the shipped sentiment ensemble, by validation score only.

  /usr/bin/python3 training/sentiment/ensemble.py CKPT [CKPT ...] [--max-bytes 4500000]

Greedy forward selection (Caruana et al., 2004, without repeats): start from the best single checkpoint, then add
whichever candidate most lowers the validation log-loss of the averaged probabilities (the mean of the SST-2 and the
pooled everyday validation log-loss: the same two halves as data.validation_score); stop when none lowers it or the
next would take the int8 weights over --max-bytes. Log-loss rather than accuracy: on ~2,000 rows a half an accuracy
point is ten rows, and accuracy-driven selection stopped at two members whose gain did not hold up; log-loss sees
every row's confidence and is a proper scoring rule. Writes training/sentiment/ensemble.json, which
export.py takes as its --checkpoint. Validation logits are cached per checkpoint in training/.cache/ensemble/.
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CACHE, REPO, setup_threads  # noqa: E402
from data import EVERYDAY, load, logits, validation_score  # noqa: E402
from model import from_checkpoint  # noqa: E402
from quantize import MIN_ELEMENTS  # noqa: E402


def int8_bytes(state):
    """Bytes of the weights once stored by quantize.py (int8 for large tensors, float32 for the rest)."""
    return sum(t.numel() * (1 if t.numel() >= MIN_ELEMENTS else 4) for t in state.values())


def val_probs(path, val, cache_dir):
    stat = os.stat(path)
    key = hashlib.sha1(f'{os.path.abspath(path)}:{stat.st_size}:{stat.st_mtime_ns}'.encode()).hexdigest()[:16]
    cached = os.path.join(cache_dir, f'{key}.npy')
    ckpt = torch.load(path, map_location='cpu')
    if os.path.exists(cached):
        return np.load(cached), ckpt
    probs = logits(from_checkpoint(ckpt), val, ckpt['arch']['max_len']).softmax(-1).numpy()
    np.save(cached, probs)
    return probs, ckpt


def score(probs, val):
    """(validation log-loss, accuracies): both the mean of the SST-2 half and the pooled everyday half."""
    y = np.array([r['label'] for r in val])
    src = np.array([r['source'] for r in val])
    halves = {'sst2': src == 'sst2', 'everyday-pooled': np.isin(src, EVERYDAY)}
    nll = -np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, None))
    acc = {k: float((probs.argmax(1) == y)[m].mean()) for k, m in halves.items()}
    return 0.5 * float(nll[halves['sst2']].mean()) + 0.5 * float(nll[halves['everyday-pooled']].mean()), acc


def figures(name, loss, acc, int8):
    """One line of the selection log: a candidate alone, or the ensemble after adding one."""
    return (f'{name:28s} val log-loss {loss:.4f} score {validation_score(acc):.4f} '
            f'sst2 {acc["sst2"]:.4f} everyday {acc["everyday-pooled"]:.4f} int8 bytes {int8}')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('checkpoints', nargs='+')
    ap.add_argument('--cache', default=os.path.join(CACHE, 'sentiment'))
    ap.add_argument('--max-bytes', type=int, default=4_500_000, help='int8 weight bytes of the whole ensemble')
    ap.add_argument('--min-members', type=int, default=1, help='add members past the point of no gain (CI smoke)')
    ap.add_argument('--out', default=os.path.join(REPO, 'training', 'sentiment', 'ensemble.json'))
    args = ap.parse_args()
    setup_threads(2)
    val = [r for r in load(args.cache) if r['split'] == 'val']
    cache_dir = os.path.join(CACHE, 'ensemble')
    os.makedirs(cache_dir, exist_ok=True)
    cands = {}
    for path in args.checkpoints:
        probs, ckpt = val_probs(path, val, cache_dir)
        cands[path] = {'probs': probs, 'bytes': int8_bytes(ckpt['state']), 'arch': ckpt['arch']}
        print(figures(os.path.basename(path), *score(probs, val), cands[path]['bytes']), flush=True)
    chosen, steps, best, used = [], [], float('inf'), 0
    while True:
        trials = []
        for path, c in cands.items():
            if path in chosen or used + c['bytes'] > args.max_bytes:
                continue
            s, acc = score(np.mean([cands[p]['probs'] for p in chosen + [path]], 0), val)
            trials.append((s, path, acc))
        if not trials or (min(trials)[0] >= best and len(chosen) >= args.min_members):
            break
        best, path, acc = min(trials)
        chosen.append(path)
        used += cands[path]['bytes']
        steps.append({'added': os.path.relpath(path, REPO), 'val_log_loss': round(best, 4),
                      'val_score': round(validation_score(acc), 4), 'val': {k: round(v, 4) for k, v in acc.items()},
                      'int8_bytes': used})
        print(figures(f'+ {os.path.basename(path)}', best, acc, used), flush=True)
    spec = {'members': [os.path.relpath(p, REPO) for p in chosen], 'selection': steps,
            'candidates': [os.path.relpath(p, REPO) for p in cands], 'max_bytes': args.max_bytes}
    with open(args.out, 'w') as f:
        json.dump(spec, f, indent=2)
        f.write('\n')
    print(f'wrote {args.out}: {len(chosen)} members')


if __name__ == '__main__':
    main()
