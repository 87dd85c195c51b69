"""Shared helpers for the training scripts (paths, seeding, ONNX parity via Node)."""
import json
import os
import random
import subprocess
import sys

import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
DEFAULT_DATA = os.path.abspath(os.path.join(REPO, '..', 'shared', 'datasets'))
CACHE = os.path.join(REPO, 'training', '.cache')


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def setup_threads(n: int = 2) -> None:
    torch.set_num_threads(n)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


def _tensor_json(t: torch.Tensor, dtype: str) -> dict:
    arr = t.detach().cpu().numpy()
    return {'dtype': dtype, 'dims': list(arr.shape), 'data': arr.reshape(-1).tolist()}


def node_parity(onnx_path: str, feeds: dict, expected: dict, work_dir: str, tol: float) -> float:
    """Runs training/parity.mjs (onnxruntime-node) on `feeds`, compares to torch `expected` outputs.

    feeds: name -> (tensor, dtype string); expected: name -> float tensor. Returns max abs diff.
    """
    os.makedirs(work_dir, exist_ok=True)
    io_path = os.path.join(work_dir, 'parity-io.json')
    payload = {
        'inputs': {k: _tensor_json(v, d) for k, (v, d) in feeds.items()},
        'expected': {k: _tensor_json(v, 'float32') for k, v in expected.items()},
    }
    with open(io_path, 'w') as f:
        json.dump(payload, f)
    out = subprocess.run(
        ['node', os.path.join(REPO, 'training', 'parity.mjs'), onnx_path, io_path],
        cwd=REPO, capture_output=True, text=True,
    )
    sys.stdout.write(out.stdout)
    sys.stderr.write(out.stderr)
    if out.returncode != 0:
        raise SystemExit(f'parity script failed (rc={out.returncode})')
    diff = json.loads(out.stdout.strip().splitlines()[-1])['maxAbsDiff']
    if not diff <= tol:
        raise SystemExit(f'parity FAILED: max abs diff {diff} > {tol}')
    return diff
