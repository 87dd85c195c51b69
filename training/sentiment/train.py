"""Train the `sentiment` text classifier (inpage model id `sentiment`).

Pipeline (from the repo root):
  /usr/bin/python3 training/sentiment/prepare_data.py   # splits -> training/.cache/sentiment/rows.jsonl
  node training/sentiment/tokenize.mjs                   # WordPiece tokenizer.json + ids.jsonl
  /usr/bin/python3 training/sentiment/train.py           # [masked-LM pre-training,] fine-tuning, checkpoint, export

Optional masked-LM pre-training (--pretrain-minutes / --pretrain-epochs) runs on the unlabelled training texts
only (never validation or test rows). Fine-tuning keeps the checkpoint with the best validation score
(data.validation_score). The checkpoint (architecture + weights) is written to --checkpoint; unless --no-export,
export.py then writes the Hugging Face-layout folder, checks ONNX parity and writes the card. Runs on CUDA when
available (--device), which is how the shipped model was trained (see training/README.md).
"""
import argparse
import json
import math
import os
import random
import sys
import tempfile
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CACHE, REPO, seed_everything, setup_threads  # noqa: E402
from data import LONG_SETS, accuracy_by_source, batches, collate, load, pad, validation_score  # noqa: E402
from model import MAX_LEN, MaskedLmHead, build, from_checkpoint  # noqa: E402

MASK_ID, FIRST_WORD_ID = 4, 5  # [MASK]; ids below 5 are the special tokens


class Schedule:
    """Linear warm-up then linear decay, driven by max(step fraction, time fraction) so a run ends on time."""

    def __init__(self, opt, lr, total_steps, budget_s):
        self.opt, self.lr, self.total, self.budget = opt, lr, max(1, total_steps), budget_s or float('inf')
        self.warm = max(1, int(0.04 * self.total))
        self.t0 = time.time()

    def progress(self, step):
        return max(step / self.total, (time.time() - self.t0) / self.budget)

    def set(self, step):
        lr = self.lr * min(1.0, (step + 1) / self.warm) * max(0.02, 1.0 - self.progress(step))
        for g in self.opt.param_groups:
            g['lr'] = lr
        return lr


def optimizer(model, lr, wd):
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and 'pos' not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and 'pos' not in n)]
    return torch.optim.AdamW([{'params': decay, 'weight_decay': wd}, {'params': no_decay, 'weight_decay': 0.0}],
                             lr=lr, betas=(0.9, 0.98))


def mask_tokens(ids, mask, rng_t, vocab):
    """BERT masking of 15 % of the word positions: 80 % [MASK], 10 % a random word, 10 % unchanged."""
    word = (ids >= FIRST_WORD_ID) & (mask > 0)
    chosen = word & (torch.rand(ids.shape, generator=rng_t, device='cpu').to(ids.device) < 0.15)
    roll = torch.rand(ids.shape, generator=rng_t, device='cpu').to(ids.device)
    inp = ids.clone()
    inp[chosen & (roll < 0.8)] = MASK_ID
    rand_pos = chosen & (roll >= 0.8) & (roll < 0.9)
    inp[rand_pos] = torch.randint(FIRST_WORD_ID, vocab, (int(rand_pos.sum()),), generator=rng_t).to(ids.device)
    return inp, chosen, ids[chosen]


def pretrain(model, texts, args, rng, device, log):
    """Masked-LM pre-training of the encoder on unlabelled training texts (token id lists)."""
    head = MaskedLmHead(model).to(device)
    opt = optimizer(head, args.pretrain_lr, 0.01)
    bs = 128
    steps = math.ceil(len(texts) / bs) * args.pretrain_epochs
    sched = Schedule(opt, args.pretrain_lr, steps, args.pretrain_minutes * 60)
    rng_t = torch.Generator().manual_seed(args.seed)
    rows = [{'ids': t} for t in texts]
    step, epoch = 0, 0
    while sched.progress(step) < 1.0:
        head.train()
        tl, tn = 0.0, 0
        for idx in batches(rows, bs, True, rng):
            lr = sched.set(step)
            ids, mask = pad([rows[i]['ids'][:args.train_max_len] for i in idx], device)
            inp, where, target = mask_tokens(ids, mask, rng_t, model.tok.num_embeddings)
            if target.numel() == 0:
                continue
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.amp):
                logits = head(inp, mask, where)
            loss = nn.functional.cross_entropy(logits.float(), target)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(head.parameters(), 1.0)
            opt.step()
            step += 1
            tl += loss.item()
            tn += 1
            if sched.progress(step) >= 1.0:
                break
        epoch += 1
        log(f'pretrain epoch {epoch} step {step} mlm loss {tl / max(tn, 1):.4f} lr {lr:.2e}')
    return {'pretrain_steps': step, 'pretrain_epochs_run': epoch}


class Teachers(nn.Module):
    """An ensemble of trained checkpoints (mean of logits), for distillation; never exported."""

    def __init__(self, paths, device):
        super().__init__()
        self.nets = nn.ModuleList([from_checkpoint(torch.load(p, map_location='cpu'), device) for p in paths])

    @torch.no_grad()
    def forward(self, ids, mask):
        return torch.stack([n(ids, mask).float() for n in self.nets]).mean(0)


def finetune(model, train_rows, val, args, rng, device, log, teachers=None, extra_rows=None):
    """Supervised training, optionally distilled from `teachers` (checkpoints run here) or from the rows' own
    `teacher` soft labels (--soft-labels), plus unlabelled `extra_rows` seen once per epoch; returns the
    best-validation state dict."""
    opt = optimizer(model, args.lr, 0.05)
    # one "epoch": every SST-2 training phrase once, every everyday row `everyday_repeat` times (the long
    # multi-domain reviews once, they cost the most)
    sst = [r for r in train_rows if r['source'] == 'sst2']
    every = [r for r in train_rows if r['source'] != 'sst2']
    epoch_rows = sst + [r for r in every for _ in range(1 if r['source'] in LONG_SETS else args.everyday_repeat)]
    epoch_rows += extra_rows or []
    sched = Schedule(opt, args.lr, math.ceil(len(epoch_rows) / args.batch) * args.epochs, args.budget_minutes * 60)
    crit = nn.CrossEntropyLoss(label_smoothing=0.05, reduction='none')
    soft = 'teacher' in train_rows[0]
    best = {'score': -1.0}
    step, epoch, last_eval = 0, 0, time.time()
    done = False
    while not done:
        model.train()
        tl, tn = 0.0, 0
        bl = batches(epoch_rows, args.batch, True, rng)
        for bi, idx in enumerate(bl):
            lr = sched.set(step)
            ids, mask, y = collate(epoch_rows, idx, args.train_max_len, device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.amp):
                logits = model(ids, mask)
            labelled = y >= 0  # rows made for distillation have no label (-1): only the teacher speaks for them
            loss = (crit(logits.float(), y.clamp(min=0)) * labelled).sum() / labelled.sum().clamp(min=1)
            if teachers is not None or soft:  # Hinton et al.: match the ensemble's softened distribution as well
                t = args.distil_temp
                if soft:
                    teacher_logits = torch.tensor([epoch_rows[i]['teacher'] for i in idx], device=device)
                else:
                    with torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.amp):
                        teacher_logits = teachers(ids, mask)
                target = (teacher_logits.float() / t).softmax(-1)
                kl = nn.functional.kl_div((logits.float() / t).log_softmax(-1), target, reduction='batchmean')
                loss = (1 - args.distil_weight) * loss + args.distil_weight * t * t * kl
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tl += loss.item() * len(idx)
            tn += len(idx)
            done = sched.progress(step) >= 1.0
            end_of_epoch = bi == len(bl) - 1
            if done or (end_of_epoch and args.eval_each_epoch) or time.time() - last_eval > args.eval_minutes * 60:
                acc = accuracy_by_source(model, val, MAX_LEN, device)
                score = validation_score(acc)
                model.train()
                last_eval = time.time()
                log(f'epoch {epoch + 1} step {step} loss {tl / tn:.4f} lr {lr:.2e} score {score:.4f} '
                    f'val {json.dumps({k: round(v, 4) for k, v in acc.items()})}')
                chosen_elsewhere = args.keep_epoch and end_of_epoch and epoch + 1 == args.keep_epoch
                if chosen_elsewhere or (not args.keep_epoch and score > best['score']):
                    best = {'score': score, 'val': acc, 'at': f'epoch {epoch + 1} step {step}',
                            'state': {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}}
                done = done or chosen_elsewhere
            if done:
                break
        epoch += 1
    best.update(steps=step, epochs_run=epoch)
    return best


@torch.no_grad()
def start_ngram_path(model, path, halve):
    """Loads an ngram.py checkpoint into a CnnGramNet's n-gram path; `halve` scales both paths by 0.5 so that a
    trained CNN plus a trained n-gram model start as the mean of their logits instead of a doubly sure sum."""
    ckpt = torch.load(path, map_location='cpu')
    if ckpt['arch'].get('buckets') != model.ngram.buckets:
        raise SystemExit(f'{path} has {ckpt["arch"].get("buckets")} buckets, the network {model.ngram.buckets}')
    model.ngram.load_state_dict(ckpt['state'])
    if halve:
        for p in (model.ngram.weight, model.ngram.bias, model.cnn.head.weight, model.cnn.head.bias):
            p.mul_(0.5)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cache', default=os.path.join(CACHE, 'sentiment'))
    ap.add_argument('--checkpoint', default=None, help='where the trained checkpoint goes '
                    '(default training/.cache/sentiment-model.pt; a temporary folder with --smoke)')
    ap.add_argument('--no-export', action='store_true', help='only train and write the checkpoint')
    ap.add_argument('--out', default=None, help='export folder (see export.py)')
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--amp', type=int, default=None, help='bf16 autocast (default: on with CUDA)')
    ap.add_argument('--epochs', type=int, default=12)
    ap.add_argument('--budget-minutes', type=float, default=0,
                    help='time budget for fine-tuning: the LR decays with max(step fraction, time fraction) and '
                         'training stops when either reaches 1 (0: off). Not bit-reproducible when it binds')
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--everyday-repeat', type=int, default=2, help='times each everyday training row is seen per epoch')
    ap.add_argument('--eval-minutes', type=float, default=5, help='validate at least every N minutes')
    ap.add_argument('--eval-each-epoch', type=int, default=1)
    ap.add_argument('--train-max-len', type=int, default=MAX_LEN, help='cut training rows to this many tokens')
    ap.add_argument('--pretrain-epochs', type=int, default=0, help='masked-LM pre-training epochs (0: none)')
    ap.add_argument('--pretrain-minutes', type=float, default=0, help='time budget for pre-training (0: off)')
    ap.add_argument('--pretrain-lr', type=float, default=1e-3)
    ap.add_argument('--teachers', default=None, help='comma-separated checkpoints to distil from (mean logits)')
    ap.add_argument('--soft-labels', default=None,
                    help='teacher log-probabilities per row of rows.jsonl (teacher-labels.mjs) to distil from')
    ap.add_argument('--extra', default=None, help='a folder of unlabelled rows (augment.py: rows.jsonl, ids.jsonl and '
                    'teacher.jsonl), trained on their soft labels only, each once per epoch')
    ap.add_argument('--distil-weight', type=float, default=0.7)
    ap.add_argument('--distil-temp', type=float, default=2.0)
    ap.add_argument('--keep-epoch', type=int, default=0,
                    help='keep the weights at the end of this epoch and stop, instead of the best validation score: '
                         'for an epoch chosen on another split (e.g. --sst2-val sentences) with the same --epochs')
    ap.add_argument('--init', default=None, help='start from this checkpoint (continue a previous run)')
    ap.add_argument('--arch', choices=['transformer', 'cnn', 'cnn+ngram'], default='transformer')
    ap.add_argument('--buckets', type=int, default=1 << 17, help='cnn+ngram: hashed bigram buckets of the n-gram path')
    ap.add_argument('--init-ngram', default=None,
                    help='cnn+ngram: start the n-gram path from this ngram.py checkpoint; with a CNN checkpoint as '
                         '--init, both paths are halved so that their sum starts as the mean of the two logits')
    ap.add_argument('--filters', type=int, default=128, help='cnn: filters per width')
    ap.add_argument('--widths', default='1,2,3', help='cnn: convolution widths in tokens')
    ap.add_argument('--layers', type=int, default=4)
    ap.add_argument('--d', type=int, default=128)
    ap.add_argument('--ff', type=int, default=256)
    ap.add_argument('--emb', type=int, default=64)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--dropout', type=float, default=0.1)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--smoke', action='store_true', help='one short epoch of each phase on a small cache (CI)')
    args = ap.parse_args()
    device = torch.device(args.device)
    args.amp = bool(device.type == 'cuda' if args.amp is None else args.amp)
    setup_threads(args.threads)
    seed_everything(args.seed)
    torch.backends.cuda.matmul.allow_tf32 = True
    rng = random.Random(args.seed)
    t0 = time.time()

    def log(msg):
        print(f'[{time.time() - t0:6.0f}s] {msg}', flush=True)

    if args.smoke:  # every code path, on a few hundred rows, in seconds on a CPU
        args.epochs, args.pretrain_epochs, args.train_max_len, args.layers = 1, int(args.arch == 'transformer'), 64, 1
    if args.keep_epoch > args.epochs:
        ap.error('--keep-epoch is past --epochs')
    if args.arch != 'transformer' and (args.pretrain_epochs or args.pretrain_minutes):
        ap.error('masked-LM pre-training is for the transformer only')
    ckpt_path = args.checkpoint or (os.path.join(tempfile.mkdtemp(prefix='inpage-sentiment-smoke-'), 'model.pt')
                                    if args.smoke else os.path.join(CACHE, 'sentiment-model.pt'))
    rows = load(args.cache, args.soft_labels)
    train_rows = [r for r in rows if r['split'] == 'train']
    extra_rows = load(args.extra, os.path.join(args.extra, 'teacher.jsonl')) if args.extra else []
    if extra_rows and not args.soft_labels:
        ap.error('--extra rows have soft labels only: give --soft-labels too')
    val = [r for r in rows if r['split'] == 'val']
    log(f'train {len(train_rows)} (sst2 {sum(r["source"] == "sst2" for r in train_rows)}) val {len(val)} '
        f'device {device} amp {args.amp}')

    arch = ({'kind': args.arch, 'vocab': 8000, 'emb': args.emb, 'filters': args.filters,
             'widths': [int(w) for w in args.widths.split(',')],
             'max_len': MAX_LEN, 'dropout': args.dropout} if args.arch != 'transformer' else
            {'vocab': 8000, 'emb': args.emb, 'd': args.d, 'layers': args.layers, 'heads': args.heads, 'ff': args.ff,
             'max_len': MAX_LEN, 'dropout': args.dropout})
    if args.arch == 'cnn+ngram':
        arch['buckets'] = args.buckets
    meta = {}
    if args.init:
        ckpt = torch.load(args.init, map_location='cpu')
        cnn_into_joint = args.arch == 'cnn+ngram' and ckpt['arch'].get('kind') == 'cnn'
        arch = {**ckpt['arch'], 'kind': 'cnn+ngram', 'buckets': args.buckets} if cnn_into_joint else ckpt['arch']
    model = build(arch)
    if args.init:
        (model.cnn if cnn_into_joint else model).load_state_dict(ckpt['state'])
        log(f'initialised from {args.init}')
    if args.init_ngram:
        start_ngram_path(model, args.init_ngram, halve=bool(args.init))
        log(f'n-gram path initialised from {args.init_ngram}')
    model.to(device)
    log(f'arch {json.dumps(arch)} params {sum(p.numel() for p in model.parameters())}')
    if args.pretrain_epochs or args.pretrain_minutes:
        if not args.pretrain_epochs:
            args.pretrain_epochs = 10 ** 6  # the time budget ends it
        texts = list({tuple(r['ids']): None for r in train_rows}.keys())
        log(f'masked-LM pre-training on {len(texts)} unique training texts')
        meta.update(pretrain(model, [list(t) for t in texts], args, rng, device, log))
    teachers = None
    if args.teachers:
        teachers = Teachers(args.teachers.split(','), device)
        acc = accuracy_by_source(teachers, val, MAX_LEN, device)
        log(f'teacher ensemble of {len(teachers.nets)}: validation score {validation_score(acc):.4f} '
            f'val {json.dumps({k: round(v, 4) for k, v in acc.items()})}')
    if extra_rows:
        log(f'{len(extra_rows)} unlabelled rows from {args.extra}')
    best = finetune(model, train_rows, val, args, rng, device, log, teachers, extra_rows)
    log(f'{"kept" if args.keep_epoch else "best"} validation score {best["score"]:.4f} at {best["at"]}')
    meta.update({k: best[k] for k in ('score', 'val', 'at', 'steps', 'epochs_run')},
                train_seconds=round(time.time() - t0), args={k: v for k, v in vars(args).items()})
    os.makedirs(os.path.dirname(os.path.abspath(ckpt_path)), exist_ok=True)
    torch.save({'arch': arch, 'state': best['state'], 'meta': meta}, ckpt_path)
    log(f'checkpoint {ckpt_path}')
    if not args.no_export:
        import export  # noqa: E402 (export needs node + onnx, not needed for --no-export runs on a GPU box)
        export.export_checkpoint(ckpt_path, args.cache, args.out, smoke=args.smoke)


if __name__ == '__main__':
    main()
