"""Frames raw ink maps with framing.frame_canvas, for test/unit/framing-parity.test.ts (the SDK frames the same maps).

  /usr/bin/python3 training/mnist/frame_file.py IN OUT
IN: little-endian int32 count, then per map int32 width, int32 height and width*height float32 ink values (0..1).
OUT: count * 784 float32 framed values (28x28 each, not normalised); NaNs for a map the SDK would refuse as empty.
"""
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from framing import SIZE, frame_canvas  # noqa: E402


def main(src, dst):
    data = open(src, 'rb').read()
    (count,), at, out = struct.unpack_from('<i', data), 4, []
    for _ in range(count):
        width, height = struct.unpack_from('<ii', data, at)
        at += 8
        ink = np.frombuffer(data, '<f4', width * height, at).reshape(height, width)
        at += 4 * width * height
        try:
            out.append(frame_canvas(ink).numpy().reshape(-1))
        except ValueError:
            out.append(np.full(SIZE * SIZE, np.nan, np.float32))
    np.concatenate(out).astype('<f4').tofile(dst)


if __name__ == '__main__':
    main(*sys.argv[1:3])
