"""Widens a trained CNN checkpoint to more filters per width without changing what it computes (Net2Net's idea,
Chen et al. 2016): the old filters keep their weights, the new ones start small and random, and the head reads
the new features with zero weights, so training continues from the old network's exact function.

  /usr/bin/python3 training/sentiment/widen.py IN.pt OUT.pt --filters 192
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import build  # noqa: E402


@torch.no_grad()
def widen(ckpt, filters, seed=0):
    old_arch = ckpt['arch']
    if old_arch.get('kind') != 'cnn' or filters < old_arch['filters']:
        raise SystemExit('widen.py takes a CNN checkpoint and at least its number of filters')
    torch.manual_seed(seed)
    old, new = build(old_arch), build({**old_arch, 'filters': filters})
    old.load_state_dict(ckpt['state'])
    f_old, n_widths = old_arch['filters'], len(old_arch['widths'])
    for c_old, c_new in zip(old.convs, new.convs):
        c_new.weight[f_old:] *= 0.1  # new filters: small, so the first steps do not jolt the old features
        c_new.bias[f_old:] = 0.0
        c_new.weight[:f_old] = c_old.weight
        c_new.bias[:f_old] = c_old.bias
    new.tok.weight.copy_(old.tok.weight)
    new.head.weight.zero_()
    new.head.bias.copy_(old.head.bias)
    # head input: [max over every width's filters, then mean over them]; an old feature keeps its weight at its new
    # index, a new feature's weight is 0
    for half in range(2):
        for w in range(n_widths):
            src = half * n_widths * f_old + w * f_old
            dst = half * n_widths * filters + w * filters
            new.head.weight[:, dst:dst + f_old] = old.head.weight[:, src:src + f_old]
    old.eval(), new.eval()
    ids = torch.randint(5, old_arch['vocab'], (4, 24))
    mask = (torch.arange(24) < torch.tensor([[24], [17], [5], [1]])).long()
    ids = ids * mask  # right padding with id 0, as the SDK batches
    drift = (old(ids, mask) - new(ids, mask)).abs().max().item()
    if drift > 1e-5:
        raise SystemExit(f'widening changed the outputs by {drift}')
    return {'arch': {**old_arch, 'filters': filters}, 'state': new.state_dict(),
            'meta': {'widened_from': ckpt.get('meta', {}).get('score'), 'filters_before': f_old}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('input')
    ap.add_argument('output')
    ap.add_argument('--filters', type=int, required=True)
    ap.add_argument('--seed', type=int, default=0)
    args = ap.parse_args()
    torch.save(widen(torch.load(args.input, map_location='cpu'), args.filters, args.seed), args.output)
    print(f'wrote {args.output}')


if __name__ == '__main__':
    main()
