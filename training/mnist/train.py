"""Train the `mnist` digit model (inpage model id `mnist`, version 1.1.0).

Usage (from the repo root):
  /usr/bin/python3 training/mnist/train.py                 # full run, writes public/models/mnist/1.1.0/model.onnx
  /usr/bin/python3 training/mnist/train.py --smoke         # 512 examples, 1 epoch, writes to a temp dir
Options: --data DIR (default <repo>/../shared/datasets; expects DIR/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz,
the standard gzip idx files), --out DIR, --epochs N, --seed S, --drawn N / --drawn-share F (the synthetic drawn digits
of drawn_variants.py mixed into each batch), --val N (training images held out to fit the temperature).

1.1.0 differs from 1.0.0 in three ways: a share of each batch is synthetic drawn digits in the styles MNIST lacks
(drawn_variants.py says why), 2,000 training images are held out as validation, and the temperature fitted on them
(calibration.py) is baked into the exported logits.
"""
import argparse
import gzip
import json
import math
import os
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CACHE, DEFAULT_DATA, REPO, node_parity, seed_everything, setup_threads  # noqa: E402
from calibration import TemperatureScaled, expected_calibration_error, fit_temperature  # noqa: E402
from drawn_variants import make as make_drawn  # noqa: E402
from framing import MEAN, STD, reframe  # noqa: E402

VERSION = '1.1.0'


def load_idx(path: str) -> np.ndarray:
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], 'big')
    if magic == 2051:
        n, h, w = (int.from_bytes(data[i:i + 4], 'big') for i in (4, 8, 12))
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, h, w)
    if magic == 2049:
        n = int.from_bytes(data[4:8], 'big')
        return np.frombuffer(data, np.uint8, offset=8).reshape(n)
    raise ValueError(f'{path}: bad idx magic {magic}')


def load_mnist(data_dir: str):
    d = os.path.join(data_dir, 'mnist')
    xtr = load_idx(os.path.join(d, 'train-images-idx3-ubyte.gz'))
    ytr = load_idx(os.path.join(d, 'train-labels-idx1-ubyte.gz'))
    xte = load_idx(os.path.join(d, 't10k-images-idx3-ubyte.gz'))
    yte = load_idx(os.path.join(d, 't10k-labels-idx1-ubyte.gz'))
    f = lambda a: torch.from_numpy(a.astype(np.float32) / 255.0).unsqueeze(1)  # noqa: E731
    return f(xtr), torch.from_numpy(ytr.astype(np.int64)), f(xte), torch.from_numpy(yte.astype(np.int64))


class DigitNet(nn.Module):
    """Small VGG-style CNN, 28x28x1 -> 10 logits. Input is the normalised MNIST-framed image."""

    def __init__(self, c1=32, c2=64, c3=80):
        super().__init__()

        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]

        self.features = nn.Sequential(
            *block(1, c1), *block(c1, c1), nn.MaxPool2d(2),      # 14x14
            *block(c1, c2), *block(c2, c2), nn.MaxPool2d(2),     # 7x7
            *block(c2, c3),
        )
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(c3, 10)

    def forward(self, x):
        x = self.features(x)
        x = x.mean((2, 3))
        return self.fc(self.dropout(x))


def augment(x: torch.Tensor, gen: torch.Generator, p: float = 0.75) -> torch.Tensor:
    """Batched augmentation of raw [B,1,28,28] images in [0,1], then MNIST re-framing of the augmented ones.

    Stroke thickness (max-pool dilation / min-pool erosion), random rotation +-15 deg, anisotropic scale
    0.8-1.2, shear, shift, a slight smooth elastic warp, contrast saturation. A fraction 1-p is left untouched.
    """
    b = x.shape[0]
    dev = x.device
    u = lambda *s: torch.rand(*s, generator=gen, device=dev)  # noqa: E731
    # --- stroke thickness
    dil2 = F.max_pool2d(F.pad(x, (0, 1, 0, 1)), 2, stride=1)
    dil3 = F.max_pool2d(x, 3, stride=1, padding=1)
    ero2 = -F.max_pool2d(F.pad(-x, (0, 1, 0, 1), value=-1.0), 2, stride=1)
    # erosion only where it leaves enough ink
    keep_ero = (ero2.sum((1, 2, 3)) > 0.4 * x.sum((1, 2, 3))).view(b, 1, 1, 1)
    ero2 = torch.where(keep_ero, ero2, x)
    r = u(b).view(b, 1, 1, 1)
    xt = torch.where(r < 0.4, x, torch.where(r < 0.67, dil2, torch.where(r < 0.85, dil3, ero2)))
    # --- affine: output coords -> input coords (grid_sample convention), normalised [-1,1]
    ang = (u(b) * 2 - 1) * math.radians(15)
    sx = 0.8 + 0.4 * u(b)
    sy = 0.8 + 0.4 * u(b)
    sh = (u(b) * 2 - 1) * 0.25
    tx = (u(b) * 2 - 1) * (3 / 14)
    ty = (u(b) * 2 - 1) * (3 / 14)
    cos, sin = torch.cos(ang), torch.sin(ang)
    # forward map A = R @ Sh @ S ; grid needs its inverse
    fwd = torch.zeros(b, 2, 2, device=dev)
    fwd[:, 0, 0] = cos * sx
    fwd[:, 0, 1] = cos * sh * sy - sin * sy
    fwd[:, 1, 0] = sin * sx
    fwd[:, 1, 1] = sin * sh * sy + cos * sy
    inv = torch.linalg.inv(fwd)
    theta = torch.cat([inv, -(inv @ torch.stack([tx, ty], 1).unsqueeze(2))], 2)
    grid = F.affine_grid(theta, (b, 1, 28, 28), align_corners=False)
    # --- slight elastic warp: smooth random displacement (4x4 control grid, bicubic-upsampled)
    disp = (torch.rand(b, 2, 4, 4, generator=gen, device=dev) * 2 - 1) * 0.06
    disp = disp * (u(b) < 0.5).float().view(b, 1, 1, 1)
    disp = F.interpolate(disp, size=(28, 28), mode='bicubic', align_corners=True).permute(0, 2, 3, 1)
    xa = F.grid_sample(xt, grid + disp, mode='bilinear', padding_mode='zeros', align_corners=False)
    # MNIST digits always peak at full ink: rescale so each image's maximum is 1
    xa = xa / xa.amax((1, 2, 3), keepdim=True).clamp(min=1e-3)
    # --- contrast: sometimes saturate strokes (mouse drawings are solid ink)
    gain = torch.where(u(b) < 0.3, 1.0 + u(b), torch.ones(b, device=dev)).view(b, 1, 1, 1)
    xa = (xa * gain).clamp(0, 1)
    xa = reframe(xa)
    apply = (u(b) < p).view(b, 1, 1, 1)
    return torch.where(apply, xa, x)


@torch.no_grad()
def all_logits(model, x, bs=1000):
    model.eval()
    return torch.cat([model((x[i:i + bs] - MEAN) / STD) for i in range(0, len(x), bs)])


def evaluate(model, x, y):
    return (all_logits(model, x).argmax(1) == y).float().mean().item()


def drawn_pool(count, seed):
    """The synthetic drawn digits, made once per (count, seed) and kept in the cache (about 20 ms each to render)."""
    path = os.path.join(CACHE, f'mnist-drawn-{count}-{seed}.pt')
    if os.path.exists(path):
        return torch.load(path)
    pool = make_drawn(count, seed)
    os.makedirs(CACHE, exist_ok=True)
    torch.save(pool, path)
    return pool


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--out', default=None, help='output folder (default public/models/mnist/1.1.0; --smoke: temp dir)')
    ap.add_argument('--card', default=None, help='card json path (default training/mnist/card.json; --smoke: in out)')
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--drawn', type=int, default=10000, help='synthetic drawn digits in the pool (0: none)')
    ap.add_argument('--drawn-share', type=float, default=0.08, help='share of each batch taken from the pool')
    ap.add_argument('--val', type=int, default=2000, help='training images held out to fit the temperature')
    ap.add_argument('--smoke', action='store_true')
    args = ap.parse_args()

    setup_threads(args.threads)
    seed_everything(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    t0 = time.time()
    xtr, ytr, xte, yte = load_mnist(args.data)
    if args.smoke:
        xtr, ytr = xtr[:712], ytr[:712]
        xte, yte = xte[:500], yte[:500]
        args.epochs, args.drawn, args.val = 1, 40, 200
        out = args.out or tempfile.mkdtemp(prefix='inpage-mnist-smoke-')
    else:
        out = args.out or os.path.join(REPO, 'public', 'models', 'mnist', VERSION)
    held = torch.randperm(len(xtr), generator=torch.Generator().manual_seed(args.seed + 1))[:args.val]
    is_val = torch.zeros(len(xtr), dtype=torch.bool)
    is_val[held] = True
    xval, yval, xtr, ytr = xtr[is_val], ytr[is_val], xtr[~is_val], ytr[~is_val]
    xdrawn, ydrawn = drawn_pool(args.drawn, args.seed) if args.drawn else (None, None)
    per_batch = round(args.drawn_share * args.batch) if args.drawn else 0
    card_path = args.card or (os.path.join(out, 'card.json') if args.smoke else os.path.join(REPO, 'training', 'mnist', 'card.json'))
    os.makedirs(out, exist_ok=True)
    print(f'train {len(xtr)} (+ {per_batch} drawn per batch from {args.drawn}) validation {len(xval)} '
          f'test {len(xte)} -> {out}', flush=True)

    model = DigitNet()
    nparams = sum(p.numel() for p in model.parameters())
    print(f'params {nparams}', flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
    steps_per_epoch = math.ceil(len(xtr) / args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch,
                                                pct_start=0.15)
    crit = nn.CrossEntropyLoss(label_smoothing=0.05)
    for epoch in range(args.epochs):
        model.train()
        te = time.time()
        perm = torch.randperm(len(xtr), generator=gen)
        tot, n = 0.0, 0
        for i in range(0, len(xtr), args.batch):
            idx = perm[i:i + args.batch]
            xb, yb = xtr[idx], ytr[idx]
            if per_batch:
                pick = torch.randint(len(xdrawn), (per_batch,), generator=gen)
                xb, yb = torch.cat([xb[per_batch:], xdrawn[pick]]), torch.cat([yb[per_batch:], ydrawn[pick]])
            xb = (augment(xb, gen) - MEAN) / STD
            loss = crit(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
            n += len(idx)
        acc = evaluate(model, xte, yte)
        print(f'epoch {epoch + 1}/{args.epochs} loss {tot / n:.4f} test-acc {acc:.4f} '
              f'({time.time() - te:.0f}s, total {time.time() - t0:.0f}s)', flush=True)
    train_s = time.time() - t0
    model.eval()
    acc = evaluate(model, xte, yte)
    val_logits = all_logits(model, xval)
    temperature = fit_temperature(val_logits, yval)
    raw_test_logits = all_logits(model, xte)
    calibration = {'temperature': temperature,
                   'validation-ece-before': round(expected_calibration_error(val_logits, yval), 4),
                   'test-ece-before': round(expected_calibration_error(raw_test_logits, yte), 4),
                   'test-ece': round(expected_calibration_error(raw_test_logits / temperature, yte), 4)}
    print(f'temperature {temperature} (fitted on {len(xval)} held-out training images) {json.dumps(calibration)}',
          flush=True)
    trained, model = model, TemperatureScaled(model, temperature).eval()

    # ---- export
    onnx_path = os.path.join(out, 'model.onnx')
    dummy = torch.zeros(2, 1, 28, 28)
    torch.onnx.export(model, dummy, onnx_path, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=17,
                      do_constant_folding=True)
    size = os.path.getsize(onnx_path)
    print(f'exported {onnx_path} ({size} bytes)', flush=True)

    # ---- parity torch vs onnxruntime-node: real test digits + random noise, batch of 37
    probe = torch.cat([(xte[:32] - MEAN) / STD, torch.randn(5, 1, 28, 28, generator=gen)])
    with torch.no_grad():
        ref = model(probe)
    diff = node_parity(onnx_path, {'input': (probe, 'float32')}, {'logits': ref},
                       (out if args.smoke else os.path.join(CACHE, 'mnist')), tol=1e-4)
    print(f'parity max abs diff {diff:.3g}', flush=True)

    card = {
        'inputs': [{'name': 'input', 'dtype': 'float32', 'shape': ['batch', 1, 28, 28]}],
        'outputs': [{'name': 'logits', 'dtype': 'float32', 'shape': ['batch', 10]}],
        'labels': [str(i) for i in range(10)],
        'preprocess': {'kind': 'mnist', 'size': 28, 'fit': 20, 'mean': MEAN, 'std': STD},
        'license': 'MIT (weights); training data MNIST, CC-BY-SA-3.0',
        'metrics': {'mnist-test-accuracy': round(acc, 4), 'mnist-test-ece': calibration['test-ece']},
        'description': ('Handwritten digit classifier: small CNN (5 conv layers, BatchNorm folded) trained on MNIST '
                        'with rotation/scale/shear/stroke-thickness augmentation, MNIST re-framing and synthetic '
                        'drawn digits in the styles MNIST lacks (flagged 1s, crossed 7s, open 4s), for digits drawn '
                        'with a mouse or finger. Input: MNIST-framed 28x28 grey image, ink=1, normalised '
                        f'(x-0.1307)/0.3081. Output: calibrated logits for digits 0-9 (temperature {temperature} '
                        'applied in the graph; softmax gives the probabilities).'),
    }
    with open(card_path, 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    summary = {'test_accuracy': acc, 'calibration': calibration, 'onnx_bytes': size, 'params': nparams,
               'parity_max_abs_diff': diff, 'train_seconds': round(train_s), 'epochs': args.epochs, 'seed': args.seed,
               'drawn': args.drawn, 'drawn_share': args.drawn_share, 'validation': args.val, 'smoke': args.smoke}
    print('SUMMARY ' + json.dumps(summary), flush=True)
    if not args.smoke:
        torch.save(trained.state_dict(), os.path.join(CACHE, 'mnist-model.pt'))
        with open(os.path.join(REPO, 'training', 'mnist', 'results.json'), 'w') as f:
            json.dump(summary, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
