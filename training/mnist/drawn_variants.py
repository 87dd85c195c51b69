"""Synthetic mouse-drawn digits in the styles MNIST has too few of, framed exactly as the SDK frames a canvas.

Why: 1.0.0 read a 1 with a long flag and no base as 7 in 5 of 9 renders. The framing is not the cause (the SDK's
and the old training framing give the same misses) and neither is the stroke width (misses at 8 and 18 px); the
data is: only 2.3 % of MNIST's 6,742 training 1s have a flag reaching a quarter of their height to the left of
the stem (0.3 % reach 0.4), while such a flag is how many people outside the US write a 1. MNIST's writers wrote
the US way, and the same holds for crossed 7s, open 4s and straight-tailed 9s. So the training mix gets a pool of
drawn digits whose styles are sampled from parameters (flag length and angle, base or none, crossbar, open or
closed 4, straight or curved tail, slant, aspect, stroke width, jitter), not copied from any template, and
framed with framing.frame_canvas, the SDK's own rule.

  /usr/bin/python3 training/mnist/drawn_variants.py --count 200 --show   # prints a few as text, for a look
"""
import argparse
import math
import os
import random
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from framing import frame_canvas  # noqa: E402

CANVAS = 84  # px; the framing shrinks the ink box to 20 px, so this is plenty of resolution


def arc(cx, cy, rx, ry, a0, a1, n=20):
    return [(cx + rx * math.cos(math.radians(a0 + (a1 - a0) * k / n)),
             cy + ry * math.sin(math.radians(a0 + (a1 - a0) * k / n))) for k in range(n + 1)]


def u(rng, lo, hi):
    return rng.uniform(lo, hi)


# Each style returns strokes (polylines) in a unit box, x right, y down. Parameters are drawn per sample.
def zero(rng):
    a0 = u(rng, -120, -60)
    return [arc(0.5, 0.5, u(rng, 0.18, 0.32), u(rng, 0.34, 0.42), a0, a0 + u(rng, 340, 385), 28)]


def one(rng):
    top, bottom = (u(rng, 0.5, 0.58), u(rng, 0.06, 0.14)), (u(rng, 0.44, 0.54), u(rng, 0.86, 0.94))
    strokes, stem = [], [top, bottom]
    style = rng.random()
    if style < 0.7:  # a flag, long or short, steep or flat
        reach, drop = u(rng, 0.08, 0.3), u(rng, 0.06, 0.3)
        stem = [(top[0] - reach, top[1] + drop)] + stem
    strokes.append(stem)
    if style < 0.35 or style > 0.9:  # a base, with or without the flag
        w = u(rng, 0.14, 0.26)
        strokes.append([(bottom[0] - w, bottom[1]), (bottom[0] + w, bottom[1])])
    return strokes


def two(rng):
    top = arc(0.5, u(rng, 0.28, 0.34), u(rng, 0.2, 0.27), u(rng, 0.16, 0.24), u(rng, 190, 215), u(rng, 355, 375))
    end = (u(rng, 0.22, 0.3), u(rng, 0.86, 0.92))
    if rng.random() < 0.35:  # a loop where the diagonal meets the base
        loop = arc(end[0] + 0.06, end[1] - 0.06, 0.07, 0.06, 0, 360, 10)
        return [top + [end] + loop + [(u(rng, 0.72, 0.82), end[1])]]
    return [top + [end, (u(rng, 0.72, 0.82), end[1] + u(rng, -0.02, 0.02))]]


def three(rng):
    lower = arc(0.5, 0.68, u(rng, 0.22, 0.28), u(rng, 0.18, 0.22), -80, u(rng, 150, 170))
    if rng.random() < 0.35:  # flat top: a bar, a diagonal to the middle, then the belly
        return [[(0.26, 0.1), (0.74, 0.1), (0.46, 0.45)] + lower]
    upper = arc(0.5, 0.3, u(rng, 0.2, 0.26), u(rng, 0.16, 0.2), u(rng, 190, 215), 440)
    return [upper + lower]


def four(rng):
    x = u(rng, 0.58, 0.7)
    mid = u(rng, 0.55, 0.66)
    if rng.random() < 0.5:  # open: a down-stroke and a bar, then the stem
        return [[(u(rng, 0.2, 0.34), 0.1), (u(rng, 0.16, 0.24), mid), (u(rng, 0.78, 0.86), mid)], [(x, 0.08), (x, 0.92)]]
    return [[(x, 0.92), (x, 0.08), (u(rng, 0.14, 0.22), mid), (u(rng, 0.8, 0.88), mid)]]


def five(rng):
    belly = arc(0.5, 0.66, u(rng, 0.22, 0.28), u(rng, 0.2, 0.25), u(rng, 215, 235), u(rng, 480, 510))
    return [[(u(rng, 0.34, 0.4), 0.1), (u(rng, 0.3, 0.36), u(rng, 0.4, 0.46))] + belly[1:], [(0.36, 0.1), (u(rng, 0.72, 0.8), 0.1)]]


def six(rng):
    if rng.random() < 0.4:  # a straight stem into the loop
        return [[(u(rng, 0.55, 0.7), 0.08)] + arc(0.48, 0.7, 0.22, 0.2, 200, 560)]
    return [arc(0.56, 0.48, 0.3, 0.4, u(rng, 280, 300), 180)[:-1] + arc(0.5, 0.7, 0.23, 0.2, 180, 540)]


def seven(rng):
    bar_y, foot = u(rng, 0.08, 0.14), (u(rng, 0.34, 0.5), u(rng, 0.88, 0.94))
    start = (u(rng, 0.16, 0.26), bar_y + (u(rng, 0.05, 0.14) if rng.random() < 0.3 else 0))  # some start with a hook
    if rng.random() < 0.3:  # a curved stem
        corner = (u(rng, 0.76, 0.84), bar_y)
        stem = [corner, (0.62, 0.4), (foot[0] + 0.04, 0.65), foot]
    else:
        stem = [(u(rng, 0.76, 0.84), bar_y), foot]
    strokes = [[start, (start[0] + 0.02, bar_y)] + stem] if start[1] != bar_y else [[start] + stem]
    if rng.random() < 0.4:  # crossed
        y = u(rng, 0.45, 0.55)
        strokes.append([(u(rng, 0.36, 0.46), y), (u(rng, 0.7, 0.8), y)])
    return strokes


def eight(rng):
    if rng.random() < 0.5:
        return [arc(0.5, 0.3, u(rng, 0.16, 0.22), 0.2, 90, 450), arc(0.5, 0.7, u(rng, 0.2, 0.26), 0.2, -90, 270)]
    # one stroke: an S down, then back up
    return [arc(0.5, 0.3, 0.2, 0.2, 0, -270)[::-1] + arc(0.5, 0.7, 0.24, 0.2, -90, 200) + [(0.3, 0.3), (0.5, 0.1)]]


def nine(rng):
    loop = arc(u(rng, 0.44, 0.5), u(rng, 0.3, 0.34), u(rng, 0.2, 0.26), u(rng, 0.18, 0.22), 0, 360)
    x = loop[0][0]
    if rng.random() < 0.5:
        return [loop, [(x, loop[0][1]), (x - u(rng, 0, 0.06), 0.92)]]
    return [loop, [(x, loop[0][1]), (x, 0.7), (x - 0.1, 0.88), (x - 0.26, 0.9)]]


STYLES = [zero, one, two, three, four, five, six, seven, eight, nine]


def render(strokes, width, angle, sx, sy, shear, jitter, rng, size=CANVAS):
    """Anti-aliased thick polylines after a random affine and per-point jitter: ink = clamp(w/2 - distance + 0.5)."""
    ca, sa = math.cos(angle), math.sin(angle)
    segments = []
    for stroke in strokes:
        pts = []
        for x, y in stroke:
            x, y = x + rng.gauss(0, jitter), y + rng.gauss(0, jitter)
            x, y = (x - 0.5) * sx + shear * (y - 0.5), (y - 0.5) * sy
            pts.append((size / 2 + 0.72 * size * (ca * x - sa * y), size / 2 + 0.72 * size * (sa * x + ca * y)))
        segments += [(a, b) for a, b in zip(pts[:-1], pts[1:])]
    seg = torch.tensor([[a[0], a[1], b[0], b[1]] for a, b in segments], dtype=torch.float32)
    ys, xs = torch.meshgrid(torch.arange(size, dtype=torch.float32) + 0.5, torch.arange(size, dtype=torch.float32) + 0.5,
                            indexing='ij')
    x0, y0, x1, y1 = (seg[:, k].view(-1, 1, 1) for k in range(4))
    dx, dy = x1 - x0, y1 - y0
    t = (((xs - x0) * dx + (ys - y0) * dy) / (dx * dx + dy * dy).clamp(min=1e-9)).clamp(0, 1)
    dist = torch.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy)).min(0).values
    return (width / 2 - dist + 0.5).clamp(0, 1)


def make(count, seed):
    """[count,1,28,28] framed digits in [0,1] (ink = 1) and their labels, a tenth of each class."""
    py = random.Random(seed)
    images, labels = [], []
    for k in range(count):
        digit = k % 10
        strokes = STYLES[digit](py)
        canvas = render(strokes, width=py.uniform(2.5, 10), angle=py.gauss(0, 0.12), sx=py.uniform(0.7, 1.15),
                        sy=py.uniform(0.85, 1.1), shear=py.gauss(0, 0.12), jitter=py.uniform(0, 0.02), rng=py)
        images.append(frame_canvas(canvas))
        labels.append(digit)
    return torch.cat(images), torch.tensor(labels, dtype=torch.int64)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--count', type=int, default=200)
    ap.add_argument('--seed', type=int, default=5)
    ap.add_argument('--show', action='store_true')
    args = ap.parse_args()
    x, y = make(args.count, args.seed)
    print(x.shape, y.bincount().tolist())
    if args.show:
        for k in range(min(args.count, 20)):
            print(f'label {int(y[k])}')
            for row in x[k, 0]:
                print(''.join(' .:*#'[min(4, int(v * 5))] for v in row))


if __name__ == '__main__':
    main()
