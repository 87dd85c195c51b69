"""Int8 weight storage for an exported ONNX model: 4x fewer bytes to download, the same float arithmetic at run time.

  /usr/bin/python3 training/quantize.py IN.onnx OUT.onnx

Every float initializer with at least MIN_ELEMENTS values becomes an int8 tensor plus a float scale per output
channel (one scale for a vector; symmetric, round-to-nearest), re-expanded by `Cast -> Mul` under the initializer's old name. Those two nodes
have only constant inputs, so onnxruntime's constant folding turns them back into the float weight once, when the
session is created: the model runs exactly the float kernels it ran before, with weights that differ from the
originals by at most half a quantisation step. Chosen over QDQ (`DequantizeLinear`) on purpose: onnxruntime keeps
DequantizeLinear nodes out of constant folding (they are left for its QDQ fusions), so they would dequantise every
weight on every run.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MIN_ELEMENTS = 4096  # biases, LayerNorm parameters and small heads stay float


def channel_axis(name, shape, graph):
    """None for a vector (one scale for all of it); else the axis with one output channel per index: a Gather table's rows (tokens), a Conv's filters, a Gemm(transB)'s
    rows; otherwise the last axis (a MatMul's [in, out] weight has one output feature per column)."""
    if len(shape) < 2:
        return None
    for node in graph.node:
        if node.op_type == 'Gather' and node.input[0] == name:
            return 0
        if node.op_type == 'Conv' and node.input[1] == name:
            return 0
        if node.op_type == 'Gemm' and node.input[1] == name:
            return 0 if any(a.name == 'transB' and a.i == 1 for a in node.attribute) else -1
    return -1


def quantize_array(w, axis):
    """Symmetric int8 per channel along `axis` (None: one scale): returns (int8 values, float32 scale that
    broadcasts to w)."""
    reduce_axes = tuple(range(w.ndim)) if axis is None else tuple(a for a in range(w.ndim) if a != axis % w.ndim)
    peak = np.abs(w).max(axis=reduce_axes, keepdims=True)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    if axis is None:
        scale = scale.reshape(())
    elif axis % w.ndim == w.ndim - 1:
        scale = scale.reshape(w.shape[-1])  # [out] broadcasts over the leading axes
    return q, scale


def quantize_model(model):
    graph = model.graph
    kept, nodes, report = [], [], []
    for init in graph.initializer:
        w = numpy_helper.to_array(init)
        if init.data_type != TensorProto.FLOAT or w.size < MIN_ELEMENTS:
            kept.append(init)
            continue
        q, scale = quantize_array(w, channel_axis(init.name, w.shape, graph))
        kept += [numpy_helper.from_array(q, f'{init.name}_int8'), numpy_helper.from_array(scale, f'{init.name}_scale')]
        nodes += [helper.make_node('Cast', [f'{init.name}_int8'], [f'{init.name}_float'], to=TensorProto.FLOAT,
                                   name=f'{init.name}_dequant_cast'),
                  helper.make_node('Mul', [f'{init.name}_float', f'{init.name}_scale'], [init.name],
                                   name=f'{init.name}_dequant_mul')]
        report.append((init.name, w.shape, float(np.abs(q.astype(np.float32) * scale - w).max())))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    rest = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + rest)  # dequantisation first keeps the node list topologically sorted
    replaced = {r[0] for r in report}  # an initializer that an older exporter also listed as a graph input
    inputs = [i for i in graph.input if i.name not in replaced]
    del graph.input[:]
    graph.input.extend(inputs)
    return model, report


def quantize_file(src, dst):
    model, report = quantize_model(onnx.load(src))
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    worst = max((r[2] for r in report), default=0.0)
    print(f'quantized {len(report)} weight tensors to int8 (largest weight change {worst:.3g}): {dst}', flush=True)


if __name__ == '__main__':
    quantize_file(*sys.argv[1:3])
