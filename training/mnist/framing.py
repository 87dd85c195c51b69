"""MNIST framing, as the SDK does it for a drawn digit, and as re-applied to augmented training images.

The MNIST convention (measured on the training set: mean centre of mass = (13.996, 14.007) in pixel-index
coordinates, every ink bounding box is exactly 20 px on its long side):
  1. take the bounding box of the ink (ink = 1, background = 0),
  2. scale it, keeping its aspect ratio, so its long side is 20 px (anti-aliased grey levels in [0,1]),
  3. place it in a 28x28 image so that its centre of mass lies at pixel index (14, 14)
     (row, column; pixel i spans [i-0.5, i+0.5]),
  4. normalise (x - 0.1307) / 0.3081.
"""
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


def frame_canvas(canvas: torch.Tensor, thresh: float = 0.05) -> torch.Tensor:
    """SDK-style framing of one large canvas [H,W] (ink=1) -> [1,1,28,28] in [0,1] (not normalised).

    Crop to the ink box, area-resize so the long side is FIT px (aspect kept), paste centred in 28x28,
    then shift (bilinear, sub-pixel) so the centre of mass lies at COM_TARGET.
    """
    ink = canvas > thresh
    ys = torch.nonzero(ink.any(1)).view(-1)
    xs = torch.nonzero(ink.any(0)).view(-1)
    crop = canvas[ys[0]:ys[-1] + 1, xs[0]:xs[-1] + 1]
    ch, cw = crop.shape
    s = FIT / max(ch, cw)
    nh, nw = max(1, round(ch * s)), max(1, round(cw * s))
    small = F.interpolate(crop[None, None], size=(nh, nw), mode='area')[0, 0]
    img = torch.zeros(SIZE, SIZE)
    oy, ox = (SIZE - nh) // 2, (SIZE - nw) // 2
    img[oy:oy + nh, ox:ox + nw] = small
    mass = img.sum().clamp(min=1e-6)
    ar = torch.arange(SIZE, dtype=img.dtype)
    cy = (img * ar.view(SIZE, 1)).sum() / mass
    cx = (img * ar.view(1, SIZE)).sum() / mass
    dy, dx = COM_TARGET - cy, COM_TARGET - cx
    iy = ar - dy
    ix = ar - dx
    gy = _index_to_norm(iy, SIZE).view(SIZE, 1).expand(SIZE, SIZE)
    gx = _index_to_norm(ix, SIZE).view(1, SIZE).expand(SIZE, SIZE)
    grid = torch.stack([gx, gy], -1)[None]
    return F.grid_sample(img[None, None], grid, mode='bilinear', padding_mode='zeros', align_corners=False).clamp(0, 1)


def normalise(x: torch.Tensor) -> torch.Tensor:
    return (x - MEAN) / STD
