"""Multiply-accumulates per prediction, counted from the ONNX graph.

Fixes the graph's symbolic input dims to the given sizes, runs ONNX shape inference, and sums the MACs of
MatMul (A[..., m, k] @ B[..., k, n]: output elements x k), Gemm (m x n x k), Conv (output elements x
C_in/groups x kernel area) and ConvTranspose (input elements x C_out/groups x kernel area: each input element
is spread over a kernel's area of every output channel of its group). Everything else (LayerNorm, Softmax, GELU, adds, the embedding Gather) is left out:
it is element-wise and a few per cent of the total for these models. FLOPs = 2 x MACs.

Usage: /usr/bin/python3 bench/flops.py model.onnx '{"batch": 1, "sequence": 12}'  -> JSON on stdout
"""
import json
import os
import re
import sys

import onnx
from onnx import shape_inference


def dims_of(value_info):
    t = value_info.type.tensor_type
    if not t.HasField('shape'):
        return None
    out = []
    for d in t.shape.dim:
        if d.HasField('dim_value'):
            out.append(d.dim_value)
        else:
            return None
    return out


def prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def main():
    model = onnx.load(sys.argv[1])
    sizes = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    for inp in model.graph.input:
        for d in inp.type.tensor_type.shape.dim:
            if d.HasField('dim_param'):
                name = d.dim_param
                d.ClearField('dim_param')
                d.dim_value = int(sizes.get(name, 1))
    inferred = shape_inference.infer_shapes(model, data_prop=True)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        s = dims_of(vi)
        if s is not None:
            shapes[vi.name] = s
    for init in inferred.graph.initializer:
        shapes[init.name] = list(init.dims)
    macs = {'MatMul': 0, 'Gemm': 0, 'Conv': 0, 'ConvTranspose': 0}
    unknown = []
    for node in inferred.graph.node:
        if node.op_type not in macs:
            continue
        a = shapes.get(node.input[0])
        y = shapes.get(node.output[0])
        if a is None or y is None:
            w = shapes.get(node.input[1]) if node.op_type == 'Gemm' else None
            if w is not None:  # a classifier head after a reshape inference could not follow: batch x weight
                macs['Gemm'] += int(sizes.get('batch', 1)) * prod(w)
            else:
                unknown.append(node.output[0])  # tensor names survive export.py's dropping of node names
            continue
        if node.op_type == 'MatMul':
            macs['MatMul'] += prod(y) * a[-1]
        elif node.op_type == 'Gemm':
            trans_a = next((at.i for at in node.attribute if at.name == 'transA'), 0)
            k = a[0] if trans_a else a[-1]
            macs['Gemm'] += prod(y) * k
        elif node.op_type == 'ConvTranspose':
            w = shapes.get(node.input[1])  # [C_in, C_out / group, kh, kw]
            macs['ConvTranspose'] += prod(a) * w[1] * prod(w[2:])
        else:
            w = shapes.get(node.input[1])
            group = next((at.i for at in node.attribute if at.name == 'group'), 1)
            macs['Conv'] += prod(y) * (w[1] if w else a[1] // group) * prod((w or [0, 0, 1, 1])[2:])
    # Shape inference cannot follow the attention reshapes (their target shapes are computed at run time), so the
    # two attention products per layer (Q.K^T and A.V, all heads: batch x n x n x hidden each) come from config.json
    # (an ensemble's lists each member's width; torch names a member's nodes /members.K/...).
    estimated = 0
    if unknown:
        cfg_path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(sys.argv[1]))), 'config.json')
        if os.path.exists(cfg_path):
            cfg = json.load(open(cfg_path))
            members = cfg.get('inpage_ensemble')

            def hidden_of(tensor_name):
                member = re.search(r"members\.(\d+)", tensor_name)
                return members[int(member.group(1))].get('d', 0) if members and member else cfg['hidden_size']

            b, n = int(sizes.get('batch', 1)), int(sizes.get('sequence', 1))
            estimated = sum(b * n * n * hidden_of(name) for name in unknown)
            macs['MatMul'] += estimated
    total = sum(macs.values())
    print(json.dumps({'sizes': sizes, 'macs': total, 'flops': 2 * total, 'byOp': macs, 'uncounted': unknown,
                      'attentionMacsFromConfig': estimated}))


main()
