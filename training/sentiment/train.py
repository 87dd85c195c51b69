"""Train the `sentiment` text classifier (inpage model id `sentiment`, version 1.0.0).

Pipeline (from the repo root; training/sentiment/run.sh runs all three steps):
  /usr/bin/python3 training/sentiment/prepare_data.py        # splits -> training/.cache/sentiment/rows.jsonl
  node training/sentiment/tokenize.mjs                        # WordPiece tokenizer.json + ids.jsonl
  /usr/bin/python3 training/sentiment/train.py                # train, export, parity, HF-layout folder
Options: --out DIR (default public/models/sentiment/1.0.0), --smoke, --epochs, --seed, --cache DIR.
"""
import argparse
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from common import CACHE, REPO, node_parity, seed_everything, setup_threads  # noqa: E402

VERSION = '1.0.0'
MAX_LEN = 128
EVERYDAY = ['amazon', 'yelp', 'imdb', 'books', 'dvd', 'electronics', 'kitchen', 'cr', 'sentiment140', 'airline']


class Layer(nn.Module):
    """Pre-LN transformer encoder layer with an explicit additive key mask (exports cleanly to ONNX)."""

    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.h = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, ff)
        self.ff2 = nn.Linear(ff, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, key_bias):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(d // self.h)) + key_bias  # [b,h,n,n]
        att = self.drop(att.softmax(-1))
        y = (att @ v).transpose(1, 2).reshape(b, n, d)
        x = x + self.drop(self.proj(y))
        return x + self.drop(self.ff2(self.drop(F.gelu(self.ff1(self.ln2(x))))))


class SentimentNet(nn.Module):
    """Factorised token embedding + learned positions, pre-LN encoder, masked mean+max pooling, 2 logits."""

    def __init__(self, vocab=8000, emb=64, d=160, layers=3, heads=4, ff=320, max_len=MAX_LEN, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, emb, padding_idx=0)
        self.emb_proj = nn.Linear(emb, d)
        self.pos = nn.Embedding(max_len, d)
        self.emb_drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList([Layer(d, heads, ff, dropout) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.head_drop = nn.Dropout(0.2)
        self.head = nn.Linear(2 * d, 2)
        nn.init.normal_(self.pos.weight, std=0.02)  # small positions: word identity dominates at the start

    def forward(self, input_ids, attention_mask):
        n = input_ids.shape[1]
        pos = torch.arange(n, device=input_ids.device).unsqueeze(0)
        x = self.emb_proj(self.tok(input_ids)) + self.pos(pos)
        x = self.emb_drop(x)
        m = attention_mask.to(x.dtype)  # [b,n] 1 = token, 0 = padding
        key_bias = ((1.0 - m) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, key_bias)
        x = self.ln(x)
        mm = m.unsqueeze(-1)
        mean = (x * mm).sum(1) / mm.sum(1).clamp(min=1.0)
        mx = (x + (1.0 - mm) * -10000.0).max(1).values
        return self.head(self.head_drop(torch.cat([mean, mx], -1)))


def load(cache):
    rows = [json.loads(l) for l in open(os.path.join(cache, 'rows.jsonl'), encoding='utf-8')]
    ids = [json.loads(l) for l in open(os.path.join(cache, 'ids.jsonl'))]
    assert len(rows) == len(ids)
    for r, i in zip(rows, ids):
        r['ids'] = i
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


def collate(rows, idx, max_len=MAX_LEN):
    """Right-padded batch; rows longer than max_len keep [CLS] + first tokens + [SEP] (like the tokenizer)."""
    seqs = [rows[i]['ids'] if len(rows[i]['ids']) <= max_len else rows[i]['ids'][:max_len - 1] + [rows[i]['ids'][-1]]
            for i in idx]
    n = max(len(t) for t in seqs)
    ids = torch.zeros(len(idx), n, dtype=torch.long)
    mask = torch.zeros(len(idx), n, dtype=torch.long)
    for k, t in enumerate(seqs):
        ids[k, :len(t)] = torch.tensor(t)
        mask[k, :len(t)] = 1
    y = torch.tensor([rows[i]['label'] for i in idx])
    return ids, mask, y


@torch.no_grad()
def predict(model, rows, bs=128):
    model.eval()
    preds = [None] * len(rows)
    for idx in batches(rows, bs, False, None):
        ids, mask, _ = collate(rows, idx)
        p = model(ids, mask).argmax(1).tolist()
        for k, i in enumerate(idx):
            preds[i] = p[k]
    return preds


def accuracy_by_source(model, rows):
    preds = predict(model, rows)
    acc = {}
    for src in sorted({r['source'] for r in rows}):
        sel = [k for k, r in enumerate(rows) if r['source'] == src]
        acc[src] = sum(preds[k] == rows[k]['label'] for k in sel) / len(sel)
    every = [k for k, r in enumerate(rows) if r['source'] in EVERYDAY]
    if every:
        acc['everyday-pooled'] = sum(preds[k] == rows[k]['label'] for k in every) / len(every)
    return acc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cache', default=os.path.join(CACHE, 'sentiment'))
    ap.add_argument('--out', default=None)
    ap.add_argument('--card', default=None)
    ap.add_argument('--epochs', type=int, default=4)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--everyday-repeat', type=int, default=2, help='times each everyday training row is seen per epoch')
    ap.add_argument('--eval-minutes', type=float, default=5, help='validate every N minutes (and at the end)')
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--budget-minutes', type=float, default=0,
                    help='time budget: the LR decays with max(step fraction, time fraction) and training stops when '
                         'either reaches 1 (0: off). Makes runs on a shared machine end on time (not bit-reproducible)')
    ap.add_argument('--train-max-len', type=int, default=80,
                    help='cut training rows to this many tokens (cheaper; inference still takes 128)')
    ap.add_argument('--init', default=None, help='start from this state dict (continue training a previous run)')
    ap.add_argument('--d', type=int, default=128)
    ap.add_argument('--layers', type=int, default=1)
    ap.add_argument('--ff', type=int, default=256)
    ap.add_argument('--smoke', action='store_true')
    args = ap.parse_args()
    setup_threads(args.threads)
    seed_everything(args.seed)
    rng = random.Random(args.seed)
    t0 = time.time()
    if args.smoke:
        args.epochs = 1
        out = args.out or tempfile.mkdtemp(prefix='inpage-sentiment-smoke-')
    else:
        out = args.out or os.path.join(REPO, 'public', 'models', 'sentiment', VERSION)
    card_path = args.card or (os.path.join(out, '..', 'card.json') if args.smoke
                              else os.path.join(REPO, 'training', 'sentiment', 'card.json'))

    rows = load(args.cache)
    train = [r for r in rows if r['split'] == 'train']
    val = [r for r in rows if r['split'] == 'val']
    test = [r for r in rows if r['split'] == 'test']
    sst_train = [r for r in train if r['source'] == 'sst2']
    every_train = [r for r in train if r['source'] != 'sst2']
    print(f'train sst2 {len(sst_train)} everyday {len(every_train)} val {len(val)} test {len(test)}', flush=True)

    model = SentimentNet(d=args.d, layers=args.layers, ff=args.ff)
    if args.init:
        model.load_state_dict(torch.load(args.init))
        print(f'initialised from {args.init}', flush=True)
    nparams = sum(p.numel() for p in model.parameters())
    print(f'params {nparams} (~{nparams * 4 / 1e6:.2f} MB float32)', flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and 'pos' not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and 'pos' not in n)]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.05}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=args.lr, betas=(0.9, 0.98))
    # one "epoch": every SST-2 training phrase once, every everyday row `everyday_repeat` times (long multi-domain
    # reviews once, they cost the most)
    long_sets = {'books', 'dvd', 'electronics', 'kitchen'}
    epoch_rows = sst_train + [r for r in every_train for _ in range(1 if r['source'] in long_sets else args.everyday_repeat)]
    steps_per_epoch = math.ceil(len(epoch_rows) / args.batch)
    total = steps_per_epoch * args.epochs
    warm = max(1, int(0.04 * total))
    budget = args.budget_minutes * 60 if args.budget_minutes else float('inf')
    crit = nn.CrossEntropyLoss(label_smoothing=0.05)

    def progress(step):
        """Training progress in [0,1]: by steps, or by the time budget if that runs out first."""
        return max(step / total, (time.time() - t_train) / budget)

    def set_lr(step):
        lr = args.lr * min(1.0, (step + 1) / warm) * max(0.02, 1.0 - progress(step))
        for g in opt.param_groups:
            g['lr'] = lr
        return lr

    def val_score():
        acc = accuracy_by_source(model, val)
        return 0.5 * acc.get('sst2', 0) + 0.5 * acc.get('everyday-pooled', 0), acc

    best = (-1.0, None, None)
    step = 0
    t_train = time.time()
    last_eval = time.time()
    done = False
    epoch = 0
    while not done:
        bl = batches(epoch_rows, args.batch, True, rng)
        model.train()
        tl, tn, te = 0.0, 0, time.time()
        for bi, idx in enumerate(bl):
            lr = set_lr(step)
            ids, mask, y = collate(epoch_rows, idx, args.train_max_len)
            loss = crit(model(ids, mask), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tl += loss.item() * len(idx)
            tn += len(idx)
            if bi % 200 == 0:
                print(f'  epoch {epoch + 1} batch {bi}/{len(bl)} loss {tl / tn:.4f} lr {lr:.2e} '
                      f'progress {progress(step):.3f} ({time.time() - t0:.0f}s)', flush=True)
            done = progress(step) >= 1.0
            if done or time.time() - last_eval > args.eval_minutes * 60:
                score, acc = val_score()
                model.train()
                last_eval = time.time()
                print(f'epoch {epoch + 1} step {step} loss {tl / tn:.4f} val {json.dumps({k: round(v, 4) for k, v in acc.items()})} '
                      f'score {score:.4f} ({time.time() - t0:.0f}s)', flush=True)
                if score > best[0]:
                    best = (score, {k: v.detach().clone() for k, v in model.state_dict().items()},
                            f'epoch {epoch + 1} step {step}')
            if done:
                break
        print(f'epoch {epoch + 1} done in {time.time() - te:.0f}s', flush=True)
        epoch += 1
    train_s = time.time() - t0
    print(f'best val score {best[0]:.4f} at {best[2]}', flush=True)
    model.load_state_dict(best[1])
    model.eval()
    test_acc = accuracy_by_source(model, test)
    val_acc = accuracy_by_source(model, val)
    print('TEST ' + json.dumps({k: round(v, 4) for k, v in test_acc.items()}), flush=True)

    # ---- export (HF layout)
    onnx_dir = os.path.join(out, 'onnx')
    os.makedirs(onnx_dir, exist_ok=True)
    onnx_path = os.path.join(onnx_dir, 'model.onnx')
    dummy_ids = torch.tensor([[2, 100, 200, 300, 3], [2, 150, 3, 0, 0]])
    dummy_mask = (dummy_ids != 0).long()
    torch.onnx.export(model, (dummy_ids, dummy_mask), onnx_path, input_names=['input_ids', 'attention_mask'],
                      output_names=['logits'], opset_version=17, do_constant_folding=True,
                      dynamic_axes={'input_ids': {0: 'batch', 1: 'sequence'},
                                    'attention_mask': {0: 'batch', 1: 'sequence'}, 'logits': {0: 'batch'}})
    size = os.path.getsize(onnx_path)
    print(f'exported {onnx_path} ({size} bytes)', flush=True)
    shutil.copy(os.path.join(args.cache, 'tokenizer.json'), os.path.join(out, 'tokenizer.json'))
    cfg = {
        'architectures': ['BertForSequenceClassification'],
        'model_type': 'bert',
        'vocab_size': model.tok.num_embeddings,
        'hidden_size': model.pos.embedding_dim,
        'embedding_size': model.tok.embedding_dim,
        'num_hidden_layers': len(model.layers),
        'num_attention_heads': model.layers[0].h,
        'intermediate_size': model.layers[0].ff1.out_features,
        'hidden_act': 'gelu',
        'max_position_embeddings': MAX_LEN,
        'type_vocab_size': 1,
        'pad_token_id': 0,
        'id2label': {'0': 'negative', '1': 'positive'},
        'label2id': {'negative': 0, 'positive': 1},
        'problem_type': 'single_label_classification',
        'inpage_note': ('Not a BERT checkpoint: a small pre-LN transformer encoder trained from scratch, exported to '
                        'ONNX (inputs input_ids, attention_mask; output logits). The BERT fields let transformers.js '
                        'load it with its BERT tokenizer and text-classification pipeline.'),
    }
    with open(os.path.join(out, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=2)
        f.write('\n')
    tcfg = {
        'tokenizer_class': 'BertTokenizer', 'do_lower_case': True, 'strip_accents': None,
        'tokenize_chinese_chars': True, 'model_max_length': MAX_LEN, 'padding_side': 'right',
        'truncation_side': 'right', 'clean_up_tokenization_spaces': True,
        'pad_token': '[PAD]', 'unk_token': '[UNK]', 'cls_token': '[CLS]', 'sep_token': '[SEP]', 'mask_token': '[MASK]',
        'model_input_names': ['input_ids', 'attention_mask'],
    }
    with open(os.path.join(out, 'tokenizer_config.json'), 'w') as f:
        json.dump(tcfg, f, indent=2)
        f.write('\n')

    # ---- parity: a padded batch of real test rows (short + long) vs torch
    probe_rows = sorted(test, key=lambda r: len(r['ids']))
    pick = probe_rows[:6] + probe_rows[len(probe_rows) // 2:len(probe_rows) // 2 + 6] + probe_rows[-4:]
    ids, mask, _ = collate(pick, list(range(len(pick))))
    with torch.no_grad():
        ref = model(ids, mask)
        # padding invariance: each row alone, unpadded, must give the same logits as inside the padded batch
        solo = torch.cat([model(ids[k:k + 1, :int(mask[k].sum())], mask[k:k + 1, :int(mask[k].sum())])
                          for k in range(len(pick))])
    pad_diff = (solo - ref).abs().max().item()
    print(f'torch padded-vs-unpadded max abs diff {pad_diff:.3g}', flush=True)
    diff = node_parity(onnx_path, {'input_ids': (ids, 'int64'), 'attention_mask': (mask, 'int64')},
                       {'logits': ref}, (out if args.smoke else os.path.join(CACHE, 'sentiment-parity')),
                       tol=1e-4)
    print(f'parity max abs diff {diff:.3g}', flush=True)

    metrics = {'sst2-dev-accuracy': test_acc.get('sst2-dev'), 'sst2-test-accuracy': test_acc.get('sst2-test'),
               'everyday-pooled-accuracy': test_acc.get('everyday-pooled')}
    for s in EVERYDAY:
        if s in test_acc:
            metrics[f'{s}-test-accuracy'] = test_acc[s]
    metrics = {k: round(v, 4) for k, v in metrics.items() if v is not None}
    card = {
        'inputs': [{'name': 'input_ids', 'dtype': 'int64', 'shape': ['batch', 'sequence']},
                   {'name': 'attention_mask', 'dtype': 'int64', 'shape': ['batch', 'sequence']}],
        'outputs': [{'name': 'logits', 'dtype': 'float32', 'shape': ['batch', 2]}],
        'labels': ['negative', 'positive'],
        'preprocess': {'kind': 'tokenizer', 'maxLength': MAX_LEN},
        'license': ('MIT (weights); training data: SST-2 (research use), UCI Sentiment Labelled Sentences (CC-BY-4.0), '
                    'Multi-Domain Sentiment and Customer Reviews (research use), Sentiment140 test (research use), '
                    'Twitter US Airline Sentiment (CC-BY-NC-SA-4.0) -- so CC-BY-NC-SA-4.0 applies to the model'),
        'metrics': metrics,
        'description': (f'English sentiment (negative/positive): small transformer encoder ({len(model.layers)} layers, d={args.d}) trained '
                        'from scratch on SST-2 phrases plus everyday product/restaurant/app/airline review sets. '
                        'WordPiece tokenizer (8k, lower-case), max 128 tokens. Output: raw logits.'),
    }
    os.makedirs(os.path.dirname(os.path.abspath(card_path)), exist_ok=True)
    with open(card_path, 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    summary = {'test': test_acc, 'val': val_acc, 'selected': best[2], 'onnx_bytes': size, 'params': nparams,
               'parity_max_abs_diff': diff, 'torch_padding_max_abs_diff': pad_diff, 'train_seconds': round(train_s),
               'epochs': args.epochs, 'epochs_run': epoch, 'steps': step, 'd': args.d, 'layers': args.layers, 'seed': args.seed, 'smoke': args.smoke}
    print('SUMMARY ' + json.dumps(summary), flush=True)
    if not args.smoke:
        torch.save(model.state_dict(), os.path.join(CACHE, 'sentiment-model.pt'))
        with open(os.path.join(REPO, 'training', 'sentiment', 'results.json'), 'w') as f:
            json.dump(summary, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
