"""Sanity check of the shipped MNIST model on synthetic "mouse-drawn" digits.

Renders thick anti-aliased polylines on a 280x280 canvas (including a 1 with a flag, a 7 with a crossbar,
open and closed 4s), frames them the way the SDK does (ink box scaled to 20 px, centre of mass at (14,14)),
normalises, and runs public/models/mnist/1.0.0/model.onnx in onnxruntime-node. A framing mismatch between
training and the SDK shows up here as a low score.

Usage: /usr/bin/python3 training/mnist/drawn_digits_check.py [--model path/to/model.onnx] [--min-acc 0.8]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from common import REPO  # noqa: E402
from framing import frame_canvas, normalise  # noqa: E402


def arc(cx, cy, rx, ry, a0, a1, n=24):
    return [(cx + rx * math.cos(math.radians(a0 + (a1 - a0) * k / n)),
             cy + ry * math.sin(math.radians(a0 + (a1 - a0) * k / n))) for k in range(n + 1)]


# Strokes in a unit box (x right, y down). Each digit: name -> list of strokes (polylines).
DIGITS = {
    '0': [arc(0.5, 0.5, 0.28, 0.4, 0, 360)],
    '1': [[(0.5, 0.1), (0.5, 0.9)]],
    '1-flag': [[(0.32, 0.28), (0.52, 0.1), (0.52, 0.9)]],
    '1-flag-base': [[(0.3, 0.3), (0.52, 0.1), (0.52, 0.9)], [(0.3, 0.9), (0.74, 0.9)]],
    '2': [arc(0.5, 0.32, 0.25, 0.22, 200, 370) + [(0.25, 0.9), (0.78, 0.9)]],
    '3': [arc(0.5, 0.3, 0.24, 0.2, 200, 450), arc(0.5, 0.7, 0.26, 0.2, 270, 520)],
    '4-open': [[(0.25, 0.1), (0.2, 0.6), (0.8, 0.6)], [(0.65, 0.1), (0.65, 0.9)]],
    '4-closed': [[(0.62, 0.9), (0.62, 0.1), (0.18, 0.62), (0.82, 0.62)]],
    '5': [[(0.75, 0.1), (0.32, 0.1), (0.28, 0.45)] + arc(0.5, 0.65, 0.26, 0.25, 225, 500)[1:]],
    '6': [arc(0.55, 0.45, 0.3, 0.38, 290, 180)[:-1] + arc(0.5, 0.68, 0.24, 0.22, 180, 540)],
    '7': [[(0.2, 0.1), (0.8, 0.1), (0.42, 0.9)]],
    '7-crossbar': [[(0.2, 0.1), (0.8, 0.1), (0.42, 0.9)], [(0.38, 0.5), (0.78, 0.5)]],
    '8': [arc(0.5, 0.3, 0.2, 0.2, 90, 450), arc(0.5, 0.7, 0.25, 0.2, -90, 270)],
    '9': [arc(0.5, 0.32, 0.24, 0.22, 0, 360), [(0.74, 0.32), (0.7, 0.9)]],
    '9-straight': [arc(0.45, 0.3, 0.24, 0.2, 0, 360), [(0.69, 0.3), (0.69, 0.9)]],
}


def render(strokes, width, angle=0.0, sx=1.0, sy=1.0, size=280):
    """Anti-aliased thick polylines: ink = clamp(width/2 - distance + 0.5, 0, 1)."""
    ys, xs = torch.meshgrid(torch.arange(size, dtype=torch.float32) + 0.5,
                            torch.arange(size, dtype=torch.float32) + 0.5, indexing='ij')
    ca, sa = math.cos(angle), math.sin(angle)
    dist = torch.full((size, size), 1e9)
    for stroke in strokes:
        pts = []
        for x, y in stroke:
            x, y = (x - 0.5) * sx, (y - 0.5) * sy
            pts.append((size / 2 + 0.7 * size * (ca * x - sa * y), size / 2 + 0.7 * size * (sa * x + ca * y)))
        for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:]):
            dx, dy = x1 - x0, y1 - y0
            t = (((xs - x0) * dx + (ys - y0) * dy) / max(dx * dx + dy * dy, 1e-9)).clamp(0, 1)
            dist = torch.minimum(dist, torch.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy)))
    return (width / 2 - dist + 0.5).clamp(0, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default=os.path.join(REPO, 'public', 'models', 'mnist', '1.0.0', 'model.onnx'))
    ap.add_argument('--min-acc', type=float, default=0.8)
    args = ap.parse_args()
    names, labels, inputs = [], [], []
    for name, strokes in DIGITS.items():
        for width in (8, 18, 30):
            for angle, sx, sy in ((0.0, 1.0, 1.0), (0.12, 0.85, 1.0), (-0.12, 1.0, 0.85)):
                inputs.append(normalise(frame_canvas(render(strokes, width, angle, sx, sy))))
                names.append(f'{name} w={width} a={angle:+.2f} s={sx},{sy}')
                labels.append(int(name[0]))
    x = torch.cat(inputs)
    with tempfile.TemporaryDirectory() as tmp:
        io = os.path.join(tmp, 'io.json')
        with open(io, 'w') as f:
            json.dump({'inputs': {'input': {'dtype': 'float32', 'dims': list(x.shape),
                                            'data': x.reshape(-1).tolist()}}}, f)
        res = subprocess.run(['node', os.path.join(REPO, 'training', 'parity.mjs'), args.model, io],
                             capture_output=True, text=True, cwd=REPO, check=True)
    logits = torch.tensor(json.loads(res.stdout.strip().splitlines()[-1])['outputs']['logits']['data']).view(-1, 10)
    pred = logits.argmax(1).tolist()
    per = {}
    for n, y, p in zip(names, labels, pred):
        key = n.split(' ')[0]
        ok, tot = per.get(key, (0, 0))
        per[key] = (ok + (y == p), tot + 1)
        if y != p:
            print(f'  miss: {n} -> {p}')
    for k, (ok, tot) in per.items():
        print(f'{k:14s} {ok}/{tot}')
    acc = sum(y == p for y, p in zip(labels, pred)) / len(labels)
    print(f'drawn-digit accuracy {acc:.3f} ({len(labels)} renders)')
    if acc < args.min_acc:
        raise SystemExit(f'below --min-acc {args.min_acc}')


if __name__ == '__main__':
    main()
