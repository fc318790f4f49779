#!/usr/bin/python3
"""q8 copy of an fp32 ONNX model folder, the way the Hub's `*_quantized.onnx` files are made (NOT committed).

    /usr/bin/python3 scripts/fixture-model/quantize_dynamic.py IN_DIR OUT_DIR

Dynamic quantisation of MatMul weights, as onnxruntime's `quantize_dynamic` does by default: each MatMul
whose second input is a constant 2-D float weight becomes

    DynamicQuantizeLinear(A) -> A_q (uint8), A_scale, A_zero_point      (per run, per tensor)
    MatMulInteger(A_q, W_q, A_zero_point, W_zero_point) -> int32         (W_q: int8, symmetric, per tensor)
    Cast(float) * (A_scale * W_scale)

Everything else (Gemm, Conv, Gather, norms) stays fp32. Uses only Debian's python3-onnx and numpy, so
benchmarks can measure the integer-kernel path that WASM users of q8 models take. The copy keeps the file
names of IN_DIR (no `_quantized` suffix), so the same code loads it as it loads the fp32 folder.
"""

import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_model(model: onnx.ModelProto) -> int:
    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    new_nodes = []
    quantized = 0
    for node in graph.node:
        weight = initializers.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        array = numpy_helper.to_array(weight) if weight is not None else None
        if array is None or array.ndim != 2 or array.dtype != np.float32:
            new_nodes.append(node)
            continue
        base = f"{node.name or node.output[0]}_q8"
        scale = float(np.abs(array).max()) / 127.0 or 1.0
        w_q = np.clip(np.round(array / scale), -127, 127).astype(np.int8)
        graph.initializer.extend([
            numpy_helper.from_array(w_q, f"{base}_W"),
            numpy_helper.from_array(np.array(scale, dtype=np.float32), f"{base}_W_scale"),
            numpy_helper.from_array(np.array(0, dtype=np.int8), f"{base}_W_zero_point"),
        ])
        a = node.input[0]
        new_nodes += [
            helper.make_node("DynamicQuantizeLinear", [a], [f"{base}_A", f"{base}_A_scale", f"{base}_A_zero_point"], name=f"{base}_quantize"),
            helper.make_node("MatMulInteger", [f"{base}_A", f"{base}_W", f"{base}_A_zero_point", f"{base}_W_zero_point"], [f"{base}_int32"], name=f"{base}_matmul"),
            helper.make_node("Cast", [f"{base}_int32"], [f"{base}_float"], to=TensorProto.FLOAT, name=f"{base}_cast"),
            helper.make_node("Mul", [f"{base}_A_scale", f"{base}_W_scale"], [f"{base}_scale"], name=f"{base}_scale_mul"),
            helper.make_node("Mul", [f"{base}_float", f"{base}_scale"], [node.output[0]], name=f"{base}_rescale"),
        ]
        quantized += 1
    # Weights now only used in their quantised form go.
    used = {i for n in new_nodes for i in n.input}
    kept = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    del graph.node[:]
    graph.node.extend(new_nodes)
    return quantized


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.onnx", "*.onnx_data"))
    for name in sorted(os.listdir(os.path.join(src, "onnx"))):
        if not name.endswith(".onnx"):
            continue
        model = onnx.load(os.path.join(src, "onnx", name))
        count = quantize_model(model)
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(dst, "onnx", name))
        size = os.path.getsize(os.path.join(dst, "onnx", name)) / 1e6
        print(f"{name}: {count} MatMul weights quantised, {size:.1f} MB")


if __name__ == "__main__":
    main()
