"""ONNX models from Python: tcx.compile("model.onnx") equals tcx compile, and computes the model."""

import numpy as np
import pytest

import tcx
from conftest import run_cli

onnx = pytest.importorskip("onnx")
if not hasattr(tcx._core, "_compile_onnx"):
    pytest.skip("built without the ONNX importer", allow_module_level=True)
from onnx import TensorProto, helper  # noqa: E402


def sign_net(path, W, b):
    """y = Sign(W (2x - 1) + b) for a bit vector x: one Gemm, constant weights, half-integer biases."""
    n = W.shape[1]
    nodes = [
        helper.make_node("Mul", ["x", "two"], ["x2"]),
        helper.make_node("Sub", ["x2", "one"], ["s"]),
        helper.make_node("Gemm", ["s", "W", "b"], ["z"], transB=1),
        helper.make_node("Sign", ["z"], ["y"]),
    ]
    inits = [
        helper.make_tensor("two", TensorProto.FLOAT, [], [2.0]),
        helper.make_tensor("one", TensorProto.FLOAT, [], [1.0]),
        helper.make_tensor("W", TensorProto.FLOAT, list(W.shape), W.flatten().tolist()),
        helper.make_tensor("b", TensorProto.FLOAT, [len(b)], list(b)),
    ]
    graph = helper.make_graph(nodes, "signnet", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, n])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, W.shape[0]])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, str(path))


def test_compile_onnx_equals_cli_and_numpy(tmp_path):
    rng = np.random.default_rng(2)
    W = rng.choice([-1.0, 1.0], size=(3, 6))
    b = [0.5, -1.5, 2.5]
    path = tmp_path / "net.onnx"
    sign_net(path, W, b)
    c = tcx.compile(path, input="bits", check=True)
    assert c.to_string() == run_cli("compile", path)
    x = ((np.arange(64)[:, None] >> np.arange(6)) & 1).astype(bool)
    want = (((2 * x - 1) @ W.T + np.array(b)) > 0)
    assert c.outputs == 3 and (c.eval(x) == want).all()
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(tcx.Error):
        tcx.compile(bad)


def test_softmax_argmax(tmp_path):
    """A Softmax graph output: refused by default; softmax="argmax" gives the predicted class,
    equal to numpy's argmax of the logits (first index on ties) on every input, and to the CLI."""
    rng = np.random.default_rng(5)
    W = rng.integers(-3, 4, size=(4, 5)).astype(float)
    b = [0.5, -0.25, 1.0, 0.0]
    nodes = [helper.make_node("Gemm", ["x", "W", "b"], ["z"], transB=1), helper.make_node("Softmax", ["z"], ["p"], axis=1)]
    inits = [helper.make_tensor("W", TensorProto.FLOAT, list(W.shape), W.flatten().tolist()),
             helper.make_tensor("b", TensorProto.FLOAT, [4], b)]
    graph = helper.make_graph(nodes, "soft", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 5])],
                              [helper.make_tensor_value_info("p", TensorProto.FLOAT, [1, 4])], inits)
    path = tmp_path / "soft.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    with pytest.raises(tcx.Error, match="Softmax"):
        tcx.compile(path)
    c = tcx.compile(path, softmax="argmax", check=True)
    assert c.to_string() == run_cli("compile", path, "--softmax", "argmax")
    x = ((np.arange(32)[:, None] >> np.arange(5)) & 1).astype(bool)
    got = c.eval(x).astype(int) @ (1 << np.arange(c.outputs))
    assert (got == np.argmax(x @ W.T + np.array(b), axis=1)).all()
    with pytest.raises(tcx.UsageError):
        tcx.compile(path, softmax="soft")
