"""Ranks sweep checkpoints by validation score: python3 training/sentiment/rank.py DIR [DIR...] (writes DIR/ranking.json)."""
import glob
import json
import os
import sys

import torch

runs = []
for d in sys.argv[1:]:
    for p in sorted(glob.glob(os.path.join(d, '*.pt'))):
        c = torch.load(p, map_location='cpu')
        m = c['meta']
        runs.append({'name': os.path.basename(p)[:-3], 'path': p, 'score': m['score'], 'at': m['at'], 'val': m['val'],
                     'params': sum(v.numel() for v in c['state'].values()), 'arch': c['arch'],
                     'steps': m['steps'], 'pretrain_steps': m.get('pretrain_steps', 0)})
runs.sort(key=lambda r: -r['score'])
with open(os.path.join(sys.argv[1], 'ranking.json'), 'w') as f:
    json.dump(runs, f, indent=1)
for r in runs:
    print(f"{r['name']:20s} score {r['score']:.4f} sst2 {r['val']['sst2']:.4f} everyday {r['val']['everyday-pooled']:.4f} "
          f"params {r['params']} at {r['at']} steps {r['steps']} pretrain {r['pretrain_steps']}")
