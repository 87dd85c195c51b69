"""A MatMul-only ONNX graph for measuring this machine's GEMM peak through onnxruntime-web.

Y[m, n] = A[m, k] @ B[k, n]: A is the input, B a constant of seeded random numbers (an initializer, as a
model's weights are, so onnxruntime packs it once when the session is made). Written at run time into
bench/.tmp, never committed: the weights are 1 MB of noise.

Usage: /usr/bin/python3 bench/gemm_model.py out.onnx 512 512 512  -> writes out.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out, m, k, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    weights = np.random.default_rng(17).standard_normal((k, n)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node('MatMul', ['A', 'B'], ['Y'])],
        'gemm_peak',
        [helper.make_tensor_value_info('A', TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info('Y', TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(weights, 'B')],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    model.ir_version = 8  # onnxruntime 1.30 reads IR 8 from any onnx release Debian ships
    onnx.checker.check_model(model)
    onnx.save(model, out)


main()
