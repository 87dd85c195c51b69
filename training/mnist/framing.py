"""MNIST framing, as the SDK does it for a drawn digit, and as re-applied to augmented training images.

The MNIST convention (measured on the training set: mean centre of mass = (13.996, 14.007) in pixel-index
coordinates, every ink bounding box is exactly 20 px on its long side):
  1. take the bounding box of the ink (ink = 1, background = 0),
  2. scale it, keeping its aspect ratio, so its long side is 20 px (anti-aliased grey levels in [0,1]),
  3. place it in a 28x28 image so that its centre of mass lies at pixel index (14, 14)
     (row, column; pixel i spans [i-0.5, i+0.5]),
  4. normalise (x - 0.1307) / 0.3081.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

MEAN = 0.1307
STD = 0.3081
SIZE = 28
FIT = 20
COM_TARGET = 14.0  # pixel index of the centre of mass


def _index_to_norm(i: torch.Tensor, n: int) -> torch.Tensor:
    """Pixel index -> grid_sample coordinate (align_corners=False)."""
    return (2.0 * i + 1.0) / n - 1.0


def reframe(x: torch.Tensor, thresh: float = 0.1) -> torch.Tensor:
    """Batched MNIST re-framing of images already on a 28x28 (or any HxW) grid: x [B,1,H,W] in [0,1].

    Scales each image so that the ink bounding box (pixels > thresh) is FIT px on its long side and moves
    its centre of mass to pixel index COM_TARGET, with one bilinear grid_sample. Empty images pass through.
    """
    b, _, h, w = x.shape
    ink = x[:, 0] > thresh
    rows = ink.any(2)  # [B,H]
    cols = ink.any(1)  # [B,W]
    ar_h = torch.arange(h, device=x.device)
    ar_w = torch.arange(w, device=x.device)
    big = 10 ** 6
    top = torch.where(rows, ar_h, big).min(1).values
    bot = torch.where(rows, ar_h, -1).max(1).values
    left = torch.where(cols, ar_w, big).min(1).values
    right = torch.where(cols, ar_w, -1).max(1).values
    extent = torch.maximum(bot - top + 1, right - left + 1).clamp(min=1).float()
    scale = FIT / extent  # output px per input px
    mass = x[:, 0].sum((1, 2)).clamp(min=1e-6)
    cy = (x[:, 0] * ar_h.view(1, h, 1)).sum((1, 2)) / mass
    cx = (x[:, 0] * ar_w.view(1, 1, w)).sum((1, 2)) / mass
    # output index o -> input index com + (o - COM_TARGET) / scale ; express in normalised coords
    oy = torch.arange(SIZE, device=x.device, dtype=x.dtype)
    ox = torch.arange(SIZE, device=x.device, dtype=x.dtype)
    iy = cy.view(b, 1) + (oy.view(1, SIZE) - COM_TARGET) / scale.view(b, 1)  # [B,SIZE]
    ix = cx.view(b, 1) + (ox.view(1, SIZE) - COM_TARGET) / scale.view(b, 1)
    gy = _index_to_norm(iy, h).view(b, SIZE, 1).expand(b, SIZE, SIZE)
    gx = _index_to_norm(ix, w).view(b, 1, SIZE).expand(b, SIZE, SIZE)
    grid = torch.stack([gx, gy], dim=-1)
    # downscaling by more than ~1.5x: blur first so bilinear sampling stays anti-aliased
    out = F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=False)
    empty = ~ink.view(b, -1).any(1)
    if empty.any():
        out[empty] = F.interpolate(x[empty], size=(SIZE, SIZE), mode='area') if (h, w) != (SIZE, SIZE) else x[empty]
    return out.clamp(0, 1)


# The SDK's framing of a picture (src/tasks/mnist-framing.ts), step for step; test/unit/framing-parity.test.ts
# frames the same canvases both ways. One rule, so what the drawn-digit check and the synthetic training digits
# see is what a page's canvas becomes.
INK_THRESHOLD = 0.2  # ink at or above this counts when finding the digit's box
MIN_PEAK_INK = 0.1  # a fainter peak is not stretched (nothing drawn)


def _js_round(v: float) -> int:
    """Math.round: halves go up (Python's round() goes to even)."""
    return math.floor(v + 0.5)


def _axis_weights(start: int, scale: float, out_size: int, samples: int, limit: int) -> np.ndarray:
    """[out_size, limit] weights of the supersampled bilinear filter along one axis (resampleBox's axisTaps)."""
    w = np.zeros((out_size, limit), np.float64)
    for o in range(out_size):
        for s in range(samples):
            position = start + (o + (s + 0.5) / samples) * scale - 0.5
            index = math.floor(position)
            fraction = position - index
            if 0 <= index < limit:
                w[o, index] += 1 - fraction
            if 0 <= index + 1 < limit:
                w[o, index + 1] += fraction
    return w


def _bilinear(img: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Samples img at (x, y) with zeros outside it, as the SDK's sampleBilinear."""
    h, w = img.shape
    padded = np.zeros((h + 2, w + 2), img.dtype)
    padded[1:-1, 1:-1] = img
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0

    def at(xx, yy):
        inside = (xx >= 0) & (yy >= 0) & (xx < w) & (yy < h)
        return np.where(inside, padded[np.clip(yy, -1, h) + 1, np.clip(xx, -1, w) + 1], 0.0)

    top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
    bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
    return top * (1 - fy) + bottom * fy


def frame_canvas(canvas, size: int = SIZE, fit: int = FIT) -> torch.Tensor:
    """SDK framing of one picture's ink map [H,W] (ink = 1) -> [1,1,size,size] in [0,1] (not normalised).

    Contrast stretch to a full-ink peak; the box of ink >= INK_THRESHOLD; area resample (a grid of bilinear samples
    per output pixel) so the long side is `fit` px, aspect kept; bilinear shift so the centre of mass lies at pixel
    index size / 2. Raises ValueError for an empty canvas (the SDK's INPUT_INVALID).
    """
    ink = np.asarray(canvas.numpy() if isinstance(canvas, torch.Tensor) else canvas, np.float64)
    peak = ink.max()
    if MIN_PEAK_INK <= peak < 1:
        ink = ink * (1 / peak)
    ys, xs = np.nonzero(ink >= INK_THRESHOLD)
    if len(ys) < 3:
        raise ValueError('no digit on the canvas')
    top, left, bottom, right = ys.min(), xs.min(), ys.max() + 1, xs.max() + 1
    box_w, box_h = right - left, bottom - top
    scale = fit / max(box_w, box_h)
    out_w, out_h = max(1, _js_round(box_w * scale)), max(1, _js_round(box_h * scale))
    scale_x, scale_y = box_w / out_w, box_h / out_h
    samples = min(16, max(2, math.ceil(max(scale_x, scale_y))))
    wx = _axis_weights(left, scale_x, out_w, samples, ink.shape[1])
    wy = _axis_weights(top, scale_y, out_h, samples, ink.shape[0])
    patch = np.minimum(1.0, wy @ ink @ wx.T / (samples * samples))
    mass = patch.sum()
    gy, gx = np.mgrid[0:out_h, 0:out_w]
    centre_x = (patch * gx).sum() / mass if mass > 0 else (out_w - 1) / 2
    centre_y = (patch * gy).sum() / mass if mass > 0 else (out_h - 1) / 2
    oy, ox = np.mgrid[0:size, 0:size].astype(np.float64)
    framed = _bilinear(patch, ox - (size / 2 - centre_x), oy - (size / 2 - centre_y))
    return torch.from_numpy(framed.astype(np.float32)).view(1, 1, size, size)


def normalise(x: torch.Tensor) -> torch.Tensor:
    return (x - MEAN) / STD
