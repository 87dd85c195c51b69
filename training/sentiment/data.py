"""Rows, batching and evaluation for the sentiment trainer (rows.jsonl + ids.jsonl from prepare_data/tokenize)."""
import json
import os

import torch

EVERYDAY = ['amazon', 'yelp', 'imdb', 'books', 'dvd', 'electronics', 'kitchen', 'cr', 'sentiment140', 'airline']
LONG_SETS = {'books', 'dvd', 'electronics', 'kitchen'}


def load(cache, soft_labels=None):
    """rows.jsonl with each row's token ids; with `soft_labels` (teacher-labels.mjs), each non-test row's teacher
    log-probabilities as `teacher`. A row without `label` (made for distillation) gets -1."""
    rows = [json.loads(l) for l in open(os.path.join(cache, 'rows.jsonl'), encoding='utf-8')]
    ids = [json.loads(l) for l in open(os.path.join(cache, 'ids.jsonl'))]
    assert len(rows) == len(ids)
    teacher = [json.loads(l) for l in open(soft_labels)] if soft_labels else [None] * len(rows)
    assert len(teacher) == len(rows), f'{soft_labels} has {len(teacher)} rows, rows.jsonl {len(rows)}'
    for r, i, t in zip(rows, ids, teacher):
        r['ids'] = i
        r.setdefault('label', -1)
        if t is not None:
            r['teacher'] = t
    return rows


def batches(rows, bs, shuffle, rng):
    """Length-bucketed batches: sort within chunks of 50 batches by length, then shuffle batch order."""
    order = list(range(len(rows)))
    if shuffle:
        rng.shuffle(order)
    chunk = bs * 50
    out = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda i: len(rows[i]['ids']))
        out += [part[j:j + bs] for j in range(0, len(part), bs)]
    if shuffle:
        rng.shuffle(out)
    return out


def cut(ids, max_len):
    """[CLS] + first tokens + [SEP], like the tokenizer's own truncation."""
    return ids if len(ids) <= max_len else ids[:max_len - 1] + [ids[-1]]


def pad(seqs, device):
    n = max(len(t) for t in seqs)
    ids = torch.zeros(len(seqs), n, dtype=torch.long)
    mask = torch.zeros(len(seqs), n, dtype=torch.long)
    for k, t in enumerate(seqs):
        ids[k, :len(t)] = torch.tensor(t)
        mask[k, :len(t)] = 1
    return ids.to(device), mask.to(device)


def collate(rows, idx, max_len, device='cpu'):
    """Right-padded batch of rows[idx], each cut to max_len tokens."""
    ids, mask = pad([cut(rows[i]['ids'], max_len) for i in idx], device)
    y = torch.tensor([rows[i]['label'] for i in idx], device=device)
    return ids, mask, y


@torch.no_grad()
def logits(model, rows, max_len, device='cpu', bs=128):
    """[len(rows), 2] float32 logits on the CPU, in row order (batched by length)."""
    model.eval()
    out = torch.zeros(len(rows), 2)
    for idx in batches(rows, bs, False, None):
        ids, mask, _ = collate(rows, idx, max_len, device)
        out[idx] = model(ids, mask).float().cpu()
    return out


def predict(model, rows, max_len, device='cpu', bs=128):
    return logits(model, rows, max_len, device, bs).argmax(1).tolist()


def accuracy_by_source(model, rows, max_len, device='cpu'):
    return accuracy_of_predictions(predict(model, rows, max_len, device), rows)


def accuracy_of_predictions(preds, rows):
    """Accuracy per source and pooled over the everyday sets, of predicted labels in row order."""
    acc = {}
    for src in sorted({r['source'] for r in rows}):
        sel = [k for k, r in enumerate(rows) if r['source'] == src]
        acc[src] = sum(preds[k] == rows[k]['label'] for k in sel) / len(sel)
    every = [k for k, r in enumerate(rows) if r['source'] in EVERYDAY]
    if every:
        acc['everyday-pooled'] = sum(preds[k] == rows[k]['label'] for k in every) / len(every)
    return acc


def validation_score(acc):
    """The pre-set checkpoint rule: mean of SST-2 validation accuracy and pooled everyday validation accuracy."""
    return 0.5 * acc.get('sst2', 0) + 0.5 * acc.get('everyday-pooled', 0)
