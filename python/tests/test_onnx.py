"""ONNX models from Python: tcx.compile("model.onnx") equals tcx compile, and computes the model."""

import json
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


def two_input_net(path, W, V, b):
    """y = x W^T + z V^T + b, x of shape [1, 3] and z of shape [1, 2]: rational weights, no activation."""
    nodes = [helper.make_node("MatMul", ["x", "Wt"], ["a"]), helper.make_node("MatMul", ["z", "Vt"], ["c"]),
             helper.make_node("Add", ["a", "c"], ["s"]), helper.make_node("Add", ["s", "b"], ["y"])]
    inits = [helper.make_tensor("Wt", TensorProto.FLOAT, [3, 2], W.T.flatten().tolist()),
             helper.make_tensor("Vt", TensorProto.FLOAT, [2, 2], V.T.flatten().tolist()),
             helper.make_tensor("b", TensorProto.FLOAT, [2], list(b))]
    graph = helper.make_graph(nodes, "two", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3]),
                                             helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))


def test_layout_encode_decode_forward(tmp_path):
    """circuit.layout says what the wires mean, as `tcx compile --layout` writes it; encode and
    forward agree with a reference computed here in exact fractions on 3-bit signed inputs."""
    from fractions import Fraction
    W = np.array([[1.25, -0.5, 2.0], [-3.0, 0.75, 0.25]])
    V = np.array([[0.5, 1.0], [-1.5, 2.25]])
    b = [0.125, -1.0]
    path = tmp_path / "two.onnx"
    two_input_net(path, W, V, b)
    c = tcx.compile(path, input="int:3", check=True)
    lay = c.layout
    assert isinstance(lay, tcx.OnnxLayout) and [io.tensor for io in lay.inputs] == ["x", "z"]
    x_io, z_io = lay.inputs
    assert (x_io.kind, x_io.width, x_io.signed, x_io.shape, x_io.wires) == ("word", 3, True, (1, 3), range(0, 9))
    assert z_io.wires == range(9, 15) and lay.input_bits == 15 == c.inputs and lay.output_bits == c.outputs
    y_io = lay.outputs[0]
    assert y_io.kind == "word" and y_io.scale == Fraction(1, 8) and y_io.offset == 0  # every weight and bias a multiple of 1/8
    run_cli("compile", path, "--input", "int:3", "-o", tmp_path / "two.tc", "--layout", tmp_path / "two.json")
    assert lay.to_dict() == json.load(open(tmp_path / "two.json"))

    rng = np.random.default_rng(7)
    X = rng.integers(-4, 4, size=(300, 3))
    Z = rng.integers(-4, 4, size=(300, 2))
    bits = lay.encode({"x": X, "z": Z})
    assert bits.shape == (300, 15)
    for k in range(3):  # element k of x: wires 3k..3k+2, two's complement, least significant first
        assert (sum(bits[:, 3 * k + j].astype(int) << j for j in range(3)) == X[:, k] % 8).all()
    exact = c.forward({"x": X, "z": Z}, exact=True)
    assert exact.shape == (300, 2) and exact.dtype == object
    fr = [Fraction(v) for v in b]
    for p in range(300):
        for o in range(2):
            want = sum(Fraction(W[o, k]) * int(X[p, k]) for k in range(3)) + sum(Fraction(V[o, k]) * int(Z[p, k]) for k in range(2)) + fr[o]
            assert exact[p, o] == want, (p, o)
    assert np.array_equal(c.forward({"x": X, "z": Z}), exact.astype(float))
    one = c.forward({"x": X[:1], "z": Z[:1]})  # one pattern in the model's own shape [1, 2]
    assert one.shape == (1, 2) and np.array_equal(one[0], exact[0].astype(float))
    decoded = lay.decode(c.eval(bits), exact=True)
    assert list(decoded) == ["y"] and (decoded["y"][:, 0, :] == exact).all()

    with pytest.raises(tcx.UsageError, match=r"input 'x' element 1 is 4; its wires stand for an integer in -4\.\.3"):
        lay.encode({"x": [[0, 4, 0]], "z": [[0, 0]]})
    with pytest.raises(tcx.UsageError, match=r"missing \['z'\]"):
        lay.encode({"x": [[0, 0, 0]]})
    with pytest.raises(tcx.UsageError, match="give a dict"):
        lay.encode([[0, 0, 0]])
    with pytest.raises(tcx.UsageError, match=r"has shape \(1, 3\); got an array of shape \(4,\)"):
        lay.encode({"x": [0, 0, 0, 0], "z": [[0, 0]]})
    with pytest.raises(tcx.UsageError, match="is 1/2"):
        lay.encode({"x": np.array([[Fraction(1, 2), 0, 0]], dtype=object), "z": [[0, 0]]})
    with pytest.raises(tcx.UsageError, match="not a finite number"):
        lay.encode({"x": [[np.nan, 0, 0]], "z": [[0, 0]]})
    with pytest.raises(tcx.UsageError, match="no ONNX layout"):
        tcx.Circuit.load(tmp_path / "two.tc").forward({"x": X, "z": Z})
    assert tcx.Circuit.load(tmp_path / "two.tc").layout is None


def test_verify_against_an_onnx_model(tmp_path):
    """tcx.verify(circuit, 'model.onnx') is `tcx verify C --model M.onnx --json`; a circuit from a
    model with another bias is wrong on an input the counterexample names."""
    rng = np.random.default_rng(3)
    W = rng.choice([-1.0, 1.0], size=(3, 6))
    sign_net(tmp_path / "a.onnx", W, [0.5, -1.5, 2.5])
    sign_net(tmp_path / "b.onnx", W, [0.5, -1.5, -2.5])
    tcx.compile(tmp_path / "a.onnx").save(tmp_path / "a.tc")
    r = tcx.verify(tmp_path / "a.tc", tmp_path / "a.onnx")
    assert r.verdict == "correct" and r.facts["inputs_checked"] == 64 and r.facts["exhaustive"]
    assert r.facts == run_cli("verify", tmp_path / "a.tc", "--model", tmp_path / "a.onnx", "--json", json_out=True)
    wrong = tcx.verify(tmp_path / "a.tc", tmp_path / "b.onnx")
    assert wrong.verdict == "wrong" and not wrong
    ce = wrong.counterexample
    x = [int(ch) for ch in ce["inputs"].replace("_", "")]
    s = (2 * np.array(x) - 1) @ W[2]
    assert np.sign(s + 2.5) != np.sign(s - 2.5)  # the third output does differ there
    assert wrong.facts == run_cli("verify", tmp_path / "a.tc", "--model", tmp_path / "b.onnx", "--json", status=1, json_out=True)
    with pytest.raises(tcx.UsageError, match=r"has 4 inputs and 1 outputs; .*a\.onnx compiles to 6 and 3"):
        tcx.verify(tcx.compile("mlp_majority", 4), tmp_path / "a.onnx")
    with pytest.raises(tcx.UsageError, match="care applies to tasks"):
        tcx.verify(tmp_path / "a.tc", tmp_path / "a.onnx", care="valid")
    with pytest.raises(tcx.UsageError, match="input and softmax apply to ONNX models"):
        tcx.verify(tmp_path / "a.tc", "parity", params={"n": 6}, input="bits")


def test_forward_lines_up_with_torch():
    """from_torch then forward on torch's own batch: an integer-weight Linear-ReLU-Linear on 4-bit
    signed inputs equals module(x) exactly on 2,000 random rows, in torch's shape (P, 2)."""
    torch = pytest.importorskip("torch")
    g = torch.Generator().manual_seed(11)
    m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)).eval()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randint(-3, 4, p.shape, generator=g).float() / 2)  # halves: exact in float32
    c = tcx.from_torch(m, torch.zeros(1, 3), input="int:4")
    X = torch.randint(-8, 8, (2000, 3), generator=g).float()
    with torch.no_grad():
        want = m(X).numpy()
    got = c.forward(X)
    assert got.shape == (2000, 2) and np.array_equal(got, want.astype(np.float64))
    assert c.layout.inputs[0].how == "input='int:4'" and c.layout.outputs[0].scale <= 1


def test_empty_tensor_layout(tmp_path):
    """An empty graph output has no wires, and the layout says so (it read "wires 0..0")."""
    path = tmp_path / "empty.onnx"
    nodes = [helper.make_node("Slice", ["x", "s", "e"], ["y"])]
    inits = [helper.make_tensor("s", TensorProto.INT64, [1], [1]), helper.make_tensor("e", TensorProto.INT64, [1], [1])]
    one_node_net(path, nodes, inits, [1, 4], [0, 4])
    c = tcx.compile(path)
    assert c.outputs == 0 and c.layout.outputs[0].wires == range(0, 0)
    assert "output y [0,4] float: no elements, no wires" in str(c.layout)
    assert c.forward(np.zeros((1, 4))).shape == (0, 4)


def test_encode_takes_every_numeric_dtype_exactly(tmp_path):
    """float32, float64, int8, uint64 past 2^53, bool and object arrays encode to the same wires,
    or are refused as the exact value they hold (2^53 + 1 is not 2^53 in disguise)."""
    path = tmp_path / "id.onnx"
    one_node_net(path, [helper.make_node("Identity", ["x"], ["y"])], [], [1, 3], [1, 3])
    c = tcx.compile(path, input="int:8")
    want = c.layout.encode(np.array([[-3, 0, 127]], dtype=np.int64))
    for a in (np.array([[-3, 0, 127]], dtype=np.float32), np.array([[-3.0, 0.0, 127.0]]), np.array([[-3, 0, 127]], dtype=np.int8),
              np.array([[-3, 0, 127]], dtype=object), [[-3, 0, 127]]):
        assert np.array_equal(c.layout.encode(a), want), a
    assert np.array_equal(c.layout.encode(np.array([[True, False, True]])), c.layout.encode([[1, 0, 1]]))
    with pytest.raises(tcx.UsageError, match="is 9007199254740993; its wires stand for an integer in -128..127"):
        c.layout.encode(np.array([[2**53 + 1, 0, 0]], dtype=np.uint64))
    with pytest.raises(tcx.UsageError, match="element 2 is 127.5"):
        c.layout.encode(np.array([[0, 0, 127.5]], dtype=np.float32))


def test_decode_rounds_to_nearest(tmp_path):
    """Float outputs are the double nearest the exact value (float(Fraction)), not a truncation:
    x/10 for x = 1 is 0.1, not 0.09999999999999999."""
    path = tmp_path / "div.onnx"
    one_node_net(path, [helper.make_node("Div", ["x", "ten"], ["y"])], [helper.make_tensor("ten", TensorProto.FLOAT, [], [10.0])],
                 [1, 4], [1, 4])
    c = tcx.compile(path, input="uint:4")
    X = np.arange(64).reshape(16, 4) % 16
    got, exact = c.forward(X), c.forward(X, exact=True)
    assert got.dtype == np.float64 and (got == np.vectorize(float)(exact)).all()
    assert got[0, 1] == 0.1 and got[0, 3] == 0.3


def test_quantized_input_is_quantized_as_the_model_does(tmp_path):
    """An input read by a leading QuantizeLinear takes real values: encode applies that node
    (round half to even, saturate), so forward(raw) is the model on raw, as torch runs it."""
    from fractions import Fraction
    path = tmp_path / "q.onnx"
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]), helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])]
    inits = [helper.make_tensor("s", TensorProto.FLOAT, [], [0.5]), helper.make_tensor("z", TensorProto.UINT8, [], [3])]
    one_node_net(path, nodes, inits, [1, 6], [1, 6])
    c = tcx.compile(path, input="bits")  # input= does not apply: the QuantizeLinear defines the input
    x_io = c.layout.inputs[0]
    assert x_io.quantizer and x_io.kind == "word" and x_io.width == 8 and "leading QuantizeLinear" in x_io.how
    raw = [0.25, 0.75, -10.0, 1000.0, 1.3, -1.25]
    # by hand: x / 0.5 rounded half to even, + 3, saturated to 0..255, then (q - 3) * 0.5
    want = [0.0, 1.0, -1.5, 126.0, 1.5, -1.0]
    assert c.forward([raw])[0].tolist() == want
    assert c.forward([raw], exact=True)[0].tolist() == [Fraction(v) for v in want]
    assert tcx.verify(c, path).verdict == "unknown"  # 48 wires: random inputs only (evidence)


def test_from_torch_several_inputs_and_outputs_typed():
    """A module of two inputs and three outputs (a float, an ArgMax index, a comparison): the
    inputs x0, x1 and outputs y0, y1, y2 by name, with numpy's dtypes float64, int64 and bool."""
    torch = pytest.importorskip("torch")

    class M(torch.nn.Module):
        def forward(self, a, b):
            s = a - 2 * b
            return s / 4, torch.argmax(s, dim=1), s > 0

    c = tcx.from_torch(M(), (torch.zeros(1, 3), torch.zeros(1, 3)), input="int:3")
    assert [io.tensor for io in c.layout.inputs] == ["x0", "x1"] and [io.tensor for io in c.layout.outputs] == ["y0", "y1", "y2"]
    g = torch.Generator().manual_seed(5)
    A, B = torch.randint(-4, 4, (500, 3), generator=g).float(), torch.randint(-4, 4, (500, 3), generator=g).float()
    out = c.forward({"x0": A, "x1": B})
    want = M()(A, B)
    assert out["y0"].dtype == np.float64 and np.array_equal(out["y0"], want[0].numpy())
    assert out["y1"].dtype == np.int64 and np.array_equal(out["y1"], want[1].numpy())
    assert out["y2"].dtype == np.bool_ and np.array_equal(out["y2"], want[2].numpy())
    assert np.array(["a", "b", "c"])[out["y1"]].shape == (500,)  # an index array indexes


def test_verify_takes_the_circuits_own_settings(tmp_path):
    """verify(c, model) on a circuit compiled with input='int:3' reads it as int:3 (it used to
    assume bits and report a wire-count mismatch); other settings are named in Python's words."""
    W, V, b = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 1.0]]), np.array([[1.0, 1.0], [-1.0, 0.5]]), [0.0, 0.25]
    path = tmp_path / "two.onnx"
    two_input_net(path, W, V, b)
    c = tcx.compile(path, input="int:2")
    assert (c.layout.input, c.layout.softmax) == ("int:2", "refuse")
    r = tcx.verify(c, path)
    assert r.verdict == "correct" and r.facts["inputs_checked"] == 1024
    with pytest.raises(tcx.UsageError, match=r"compiles to 5 and .* with input='bits' \(give the settings the circuit was compiled with\)"):
        tcx.verify(c, path, input="bits")


def test_layouts_pickle_and_load(tmp_path):
    """A compiled circuit pickles and deep-copies with its layout; OnnxLayout.from_dict reads a
    `tcx compile --layout` file back and names a bad field."""
    import copy
    import pickle
    rng = np.random.default_rng(2)
    sign_net(tmp_path / "s.onnx", rng.choice([-1.0, 1.0], size=(3, 6)), [0.5, -1.5, 2.5])
    c = tcx.compile(tmp_path / "s.onnx")
    for d in (pickle.loads(pickle.dumps(c)), copy.deepcopy(c)):
        assert d.to_string() == c.to_string() and d.layout == c.layout
        assert np.array_equal(d.forward(np.ones((1, 6))), c.forward(np.ones((1, 6))))
    run_cli("compile", tmp_path / "s.onnx", "-o", tmp_path / "s.tc", "--layout", tmp_path / "s.json")
    loaded = tcx.Circuit.load(tmp_path / "s.tc")
    loaded.layout = tcx.OnnxLayout.from_dict(json.load(open(tmp_path / "s.json")))
    assert loaded.layout == c.layout and np.array_equal(loaded.forward(np.zeros((1, 6))), c.forward(np.zeros((1, 6))))
    bad = c.layout.to_dict()
    bad["outputs"][0]["width"] = 0
    with pytest.raises(tcx.UsageError, match="/outputs/0/width: a bit or sign is 1 wire"):
        tcx.OnnxLayout.from_dict(bad)
    bad = c.layout.to_dict()
    bad["inputs"][0]["scale"] = "1/0"
    with pytest.raises(tcx.UsageError, match="/inputs/0/scale"):
        tcx.OnnxLayout.from_dict(bad)


def test_forward_types_and_shapes(tmp_path):
    """Wrong types are TypeErrors; torch's unbatched shape (shape[1:]) is one pattern; shape
    messages spell the batch axis out."""
    rng = np.random.default_rng(2)
    sign_net(tmp_path / "s.onnx", rng.choice([-1.0, 1.0], size=(3, 6)), [0.5, -1.5, 2.5])
    c = tcx.compile(tmp_path / "s.onnx")
    for bad in (None, {0, 1}, (v for v in range(6)), "010101", np.ma.masked_array(np.zeros((1, 6)))):
        with pytest.raises(TypeError):
            c.forward(bad)
    with pytest.raises(TypeError, match="float128|longdouble"):
        c.forward(np.zeros((1, 6), dtype=np.longdouble))
    assert np.array_equal(c.forward(np.ones(6)), c.forward(np.ones((1, 6)))[0])
    assert c.forward(np.ones(6)).shape == (3,)
    with pytest.raises(tcx.UsageError, match=r"has shape \(1, 6\); got an array of shape \(1, 1, 5\) \(give \(1, 6\) or \(P, 1, 6\) or \(6,\) or \(P, 6\)\)"):
        c.forward(np.ones((1, 1, 5)))
    obj = np.array([[np.float32(1), np.int8(0), 1, 0, 1, 0]], dtype=object)  # numpy scalars inside an object array
    assert np.array_equal(c.forward(obj), c.forward([[1, 0, 1, 0, 1, 0]]))


def test_from_torch_fold_batchnorm():
    """fold_batchnorm: folded (torch's eval-mode export), a Conv's BatchNorm is float32 weights and
    compiles; kept, its square root is irrational and the ReLU after it is refused."""
    torch = pytest.importorskip("torch")
    m = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 2), torch.nn.BatchNorm2d(2), torch.nn.ReLU())
    with torch.no_grad():
        m[1].running_var.fill_(0.3)
    c = tcx.from_torch(m, torch.zeros(1, 1, 3, 3), check=False)
    assert c.layout.outputs[0].shape == (1, 2, 2, 2)
    with pytest.raises(tcx.ModelError, match="fold the BatchNormalization"):
        tcx.from_torch(m, torch.zeros(1, 1, 3, 3), fold_batchnorm=False)


def test_from_dict_refuses_what_is_not_a_layout(tmp_path):
    """from_dict: a value nested too deeply, a 2^64 integer, a shape of 2^40 elements, a sign with
    a scale, an int64 tensor with a fractional scale: one UsageError each; a long exact scale (a
    layout tcx wrote) reads back, so such a circuit pickles."""
    import pickle
    rng = np.random.default_rng(2)
    sign_net(tmp_path / "s.onnx", rng.choice([-1.0, 1.0], size=(3, 6)), [0.5, -1.5, 2.5])
    good = tcx.compile(tmp_path / "s.onnx").layout.to_dict()
    deep = []
    for _ in range(5000):
        deep = [deep]
    for change, pattern in ((lambda d: d.update(notes=deep), "nested more than 512 levels"),
                            (lambda d: d["inputs"][0].update(first_wire=2**64), "64-bit"),
                            (lambda d: d["inputs"][0].update(shape=[2**20, 2**20]), "/inputs/0/shape: more than 2"),
                            (lambda d: d["outputs"][0].update(scale="3/7"), "/outputs/0/scale: a bit or sign has scale 1"),
                            (lambda d: d["inputs"][0].update(type="x" * 10**6), "/inputs/0/type: unknown element type")):
        d = json.loads(json.dumps(good))
        change(d)
        with pytest.raises(tcx.UsageError, match=pattern) as e:
            tcx.OnnxLayout.from_dict(d)
        assert len(str(e.value)) < 1000
    d = json.loads(json.dumps(good))
    d["outputs"][0].update(kind="word", width=2, wires=6, type="int64", scale="1/2", signed=True)
    d["output_bits"] = 6
    with pytest.raises(tcx.UsageError, match="an int64 tensor has an integer scale"):
        tcx.OnnxLayout.from_dict(d)
    long_scale = dict(json.loads(json.dumps(good)))
    long_scale["outputs"][0].update(kind="word", width=2, wires=6, type="float", scale="1/" + str(2**13605), signed=True)
    long_scale["output_bits"] = 6
    lay = tcx.OnnxLayout.from_dict(long_scale)
    assert pickle.loads(pickle.dumps(lay)) == lay


def test_layout_must_fit_the_circuit(tmp_path):
    """A layout of another model, or not a layout at all, is refused where it is assigned."""
    rng = np.random.default_rng(2)
    sign_net(tmp_path / "s.onnx", rng.choice([-1.0, 1.0], size=(3, 6)), [0.5, -1.5, 2.5])
    c = tcx.compile("mlp_majority", 4)
    with pytest.raises(tcx.UsageError, match="the layout has 6 input and 3 output wires; the circuit has 4 inputs and 1 outputs"):
        c.layout = tcx.compile(tmp_path / "s.onnx").layout
    for wrong in (5, "bits", {"inputs": []}):
        with pytest.raises(TypeError, match="layout must be a tcx.OnnxLayout"):
            c.layout = wrong
    assert c.layout is None
    with pytest.raises(tcx.UsageError, match="has no ONNX layout"):
        c.forward(np.zeros((1, 4)))
    # An ONNX model in memory: a ModelProto or its bytes compile as the file does.
    import onnx
    model = onnx.load(str(tmp_path / "s.onnx"))
    want = tcx.compile(tmp_path / "s.onnx")
    for spec in (model, model.SerializeToString()):
        got = tcx.compile(spec)
        assert got.to_string() == want.to_string() and got.layout == want.layout
    with pytest.raises(tcx.ParseError, match="<bytes>: not an ONNX model"):
        tcx.compile(b"\x08\xff\xff garbage")
    with pytest.raises(tcx.ParseError, match="<string>"):
        tcx.compile(b"{not json", 3)  # bytes of JSON text: a model spec, as the str


def test_quantizer_input_rounds_to_float32_first(tmp_path):
    """The model's input is float32: 0.5000000001 reaches it as 0.5, which a scale-1 quantizer
    rounds half to even to 0 (exactly, the float64 would give 1)."""
    path = tmp_path / "q.onnx"
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]), helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])]
    inits = [helper.make_tensor("s", TensorProto.FLOAT, [], [1.0]), helper.make_tensor("z", TensorProto.INT8, [], [0])]
    one_node_net(path, nodes, inits, [1, 2], [1, 2])
    c = tcx.compile(path)
    assert c.forward(np.array([[0.5000000001, 1.5]])).tolist() == [[0.0, 2.0]]
