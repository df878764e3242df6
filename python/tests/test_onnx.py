"""ONNX models from Python: tcx.compile("model.onnx") equals tcx compile, and computes the model."""

import os

import numpy as np
import pytest

import tcx
from conftest import run_cli, run_cli_error, without_seconds

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
    with pytest.raises(tcx.ParseError):
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
    # tcx depth counts it the same way, and names the replacement.
    d = tcx.depth(path, softmax="argmax")
    assert without_seconds(d) == without_seconds(run_cli("depth", path, "--softmax", "argmax", "--json", json_out=True))
    assert (d["depth"], d["gates"]) == (c.depth, c.gates) and d["substitutions"]


def test_depth_onnx_equals_cli():
    """tcx.depth takes an ONNX model as tcx depth does: no n, the dict of `tcx depth --json`."""
    model = "examples/onnx/cnn_int.onnx"
    got = tcx.depth(model)
    want = run_cli("depth", model, "--json", json_out=True)
    assert without_seconds(got) == without_seconds(want)
    c = tcx.compile(model)
    assert (got["depth"], got["gates"], got["wires"]) == (c.depth, c.gates, c.wires)
    with pytest.raises(tcx.UsageError, match="n does not apply to an ONNX model"):
        tcx.depth(model, 1)
    with pytest.raises(tcx.UsageError, match="softmax applies to ONNX models only"):
        tcx.depth("mlp_majority", 8, softmax="argmax")


def test_family_onnx_pattern_equals_cli(src):
    """A family of ONNX files named by a pattern with {n}, as tcx family takes it."""
    pattern = os.path.join(src, "examples/onnx/mlp_{n}.onnx")
    f = tcx.family(pattern, "8..64")
    want = run_cli("family", pattern, "--n", "8..64", "--json", json_out=True)
    assert without_seconds(f.facts) == without_seconds(want)
    assert [r["n"] for r in f.records] == [8, 16, 32, 64] and f.stopped is None
    with pytest.raises(tcx.UsageError, match="a file pattern with"):
        tcx.family("examples/onnx/mlp_8.onnx", [8])
    with pytest.raises(tcx.UsageError, match="materialize applies to JSON specs"):
        tcx.family(pattern, [8], materialize=True)


def one_node_net(path, nodes, inits, x_shape, y_shape):
    graph = helper.make_graph(nodes, "net", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))


def test_onnx_errors_have_the_documented_classes(tmp_path):
    """A missing file is an IoError (an OSError), a damaged one a ParseError, a graph tcx cannot
    compile a ModelError, and one past the memory bound a LimitError; each with the command's line."""
    missing = tmp_path / "missing.onnx"
    for call in (lambda: tcx.compile(missing), lambda: tcx.depth(missing), lambda: tcx.family(tmp_path / "m_{n}.onnx", [8])):
        with pytest.raises(tcx.IoError, match="missing.onnx|m_8.onnx") as e:
            call()
        assert isinstance(e.value, OSError)

    truncated = tmp_path / "truncated.onnx"
    data = open("examples/onnx/mlp_8.onnx", "rb").read()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(tcx.ParseError) as e:
        tcx.compile(truncated)
    assert str(e.value) == run_cli_error("compile", truncated)
    assert e.value.file == str(truncated) and str(e.value) == f"{truncated}: {e.value.message}"
    with pytest.raises(tcx.ParseError):
        tcx.depth(truncated)

    div = tmp_path / "div.onnx"
    one_node_net(div, [helper.make_node("Div", ["x", "zero"], ["y"])], [helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])],
                 [1, 4], [1, 4])
    with pytest.raises(tcx.ModelError, match="division by zero") as e:
        tcx.compile(div)
    assert str(e.value) == run_cli_error("compile", div)
    with pytest.raises(tcx.ModelError, match="division by zero"):
        tcx.depth(div)

    huge = tmp_path / "huge.onnx"
    one_node_net(huge, [helper.make_node("ConstantOfShape", ["shape"], ["c"]), helper.make_node("Add", ["x", "c"], ["y"])],
                 [helper.make_tensor("shape", TensorProto.INT64, [2], [10**6, 10**6])], [1, 1], [10**6, 10**6])
    with pytest.raises(tcx.LimitError, match="exceeds the memory bound") as e:
        tcx.compile(huge)
    assert str(e.value) == run_cli_error("compile", huge).replace("--max-wires", "max_wires")  # Python names its keyword
    with pytest.raises(tcx.LimitError, match="exceeds the memory bound"):
        tcx.depth(huge)
