"""tcx.Circuit, tcx.Builder: formats, statistics, evaluation against numpy, gates, lowering, equivalence."""

import os

import numpy as np
import pytest

import tcx
from conftest import run_cli, without_seconds
from reference import all_patterns, reference_eval

EXAMPLES = ["examples/majority3.tc", "examples/parity4_depth2.tc", "examples/compare4.tc"]


def test_version_matches_cli():
    assert run_cli("--version").split() == ["tcx", tcx.__version__]


@pytest.mark.parametrize("path", EXAMPLES)
def test_stats_equal_cli(path):
    c = tcx.Circuit.load(path)
    assert c.stats() == run_cli("stats", path, "--json", json_out=True)
    s = c.stats()
    assert (c.inputs, c.outputs, c.gates, c.wires, c.depth) == (s["inputs"], s["outputs"], s["gates"], s["wires"], s["depth"])


@pytest.mark.parametrize("path", EXAMPLES)
def test_truth_table_equals_cli_and_numpy(path):
    c = tcx.Circuit.load(path)
    t = c.truth_table()
    assert t.dtype == np.bool_ and t.shape == (1 << c.inputs, c.outputs)
    cli = run_cli("truth", path, "--json", json_out=True)
    for k, entry in enumerate(cli["tables"]):
        value = int(entry["hex"], 16)
        assert [bool((value >> p) & 1) for p in range(1 << c.inputs)] == t[:, k].tolist()
    assert (t == reference_eval(c, all_patterns(c.inputs))).all()


def test_known_functions():
    maj = tcx.load("examples/majority3.tc")
    x = all_patterns(3)
    assert (maj.eval(x)[:, 0] == (x.sum(axis=1) >= 2)).all()
    par = tcx.load("examples/parity4_depth2.tc").truth_table()[:, 0]
    assert sum(int(b) << p for p, b in enumerate(par)) == 0x6996


def test_eval_random_against_numpy_reference():
    c = tcx.compile("mlp_majority", 16)
    rng = np.random.default_rng(7)
    for rows in (0, 1, 63, 64, 65, 1000, 70001):
        x = rng.integers(0, 2, size=(rows, c.inputs)).astype(bool)
        got = c.eval(x)
        assert got.shape == (rows, c.outputs) and got.dtype == np.bool_
        assert (got == reference_eval(c, x)).all()
        # The model computes majority (docs/models.md): the output is [sum >= n/2].
        assert (got[:, 0] == (x.sum(axis=1) * 2 >= c.inputs)).all()
    # dtypes: bool, 0/1 ints, a non-contiguous view, one pattern
    x = rng.integers(0, 2, size=(300, c.inputs))
    want = reference_eval(c, x.astype(bool))
    for arr in (x, x.astype(np.uint8), x.astype(np.int32), x.astype(bool), np.asfortranarray(x)):
        assert (c.eval(arr) == want).all()
    assert (c.eval(x[5]) == want[5]).all() and c.eval(x[5]).shape == (c.outputs,)
    assert (c.eval(x, threads=1) == want).all()
    assert (c.eval(x[::3]) == want[::3]).all()


def test_eval_bad_input():
    c = tcx.load("examples/majority3.tc")
    with pytest.raises(TypeError):
        c.eval(None)
    with pytest.raises(TypeError):
        c.eval(np.zeros((4, 3), dtype=np.float64))
    with pytest.raises(tcx.UsageError, match="patterns have 4 bits; expected 3"):
        c.eval(np.zeros((4, 4), dtype=bool))
    with pytest.raises(tcx.UsageError, match="0 or 1"):
        c.eval(np.full((2, 3), 2))
    with pytest.raises(tcx.UsageError):
        c.eval(np.zeros((2, 3, 1), dtype=bool))
    assert c.eval("110").tolist() == [True]  # a bit string, input 0 first, as tcx eval --inputs


def test_gates_and_iteration():
    c = tcx.load("examples/majority3.tc")
    (g,) = list(c.gates_iter())
    assert g == c.gate(0) == c.gate(-1)
    assert (g.fanins, g.weights, g.threshold, g.level, g.name) == ([1, 2, 3], [1, 1, 1], 2, 1, "maj")
    with pytest.raises(IndexError):
        c.gate(1)
    with pytest.raises(TypeError, match="gate index must be an int, not str"):
        c.gate("0")
    assert c.input_names() == ["a", "b", "c"]
    ((lit, name),) = c.output_literals()
    assert (lit.node, lit.negated, name) == (4, False, "y")


def test_big_weights_exact():
    b = tcx.Builder()
    xs = b.inputs(3)
    big = 2**70
    g = b.gate(xs, [big, big + 1, 1], big + 2)
    b.output(g)
    c = b.build()
    gate = c.gate(0)
    assert gate.weights == [big, big + 1, 1] and gate.threshold == big + 2
    assert c.stats()["big_gates"] == 1
    x = all_patterns(3)
    assert (c.eval(x) == reference_eval(c, x)).all()
    assert (c.eval(x)[:, 0] == ((x @ np.array([big, big + 1, 1], dtype=object)) >= big + 2)).all()


def test_builder_normalization():
    b = tcx.Builder()
    x, y, z = b.input("x"), b.input("y"), b.input("z")
    g1 = b.gate([x, y, z], [2, 2, 2], 4)          # gcd: [x + y + z >= 2]
    g2 = b.gate([z, y, x], [1, 1, 1], 2)          # the same gate in another order: shared
    assert g1 == g2
    g3 = b.gate([~x, ~y, ~z], [1, 1, 1], 2)       # negated fan-ins folded: the complement of majority
    assert g3.node == g1.node and g3.negated != g1.negated
    assert b.gate([x], [5], 3) == x               # a single fan-in gate is a buffer
    assert b.gate([x, y], [1, 1], 0) == tcx.TRUE  # constant gates
    assert b.gate([x, y], [1, 1], 3) == tcx.FALSE
    assert b.gate([x, tcx.TRUE], [1, 1], 2) == x  # constants folded
    b.output(g1, "maj")
    b.output(~g1, "minority")
    with pytest.raises(tcx.UsageError, match="inputs must be added before the first gate"):
        b.input()
    c = b.build()
    assert c.gates == 1 and c.outputs == 2
    t = c.truth_table()
    assert (t[:, 0] == (all_patterns(3).sum(axis=1) >= 2)).all() and (t[:, 1] == ~t[:, 0]).all()
    with pytest.raises(tcx.UsageError, match="already built"):
        b.output(g1)


def test_index_errors_name_the_index_and_the_range():
    """An index out of range says which index and what the valid ones are, for any int."""
    c = tcx.load("examples/majority3.tc")  # one gate
    for i, text in [(10**6, "gate 1000000 out of range: the circuit has 1 gate (0..0, or -1..-1 from the end)"),
                    (-2, "gate -2 out of range: the circuit has 1 gate"),
                    (2**64, "gate 18446744073709551616 out of range"),
                    (np.int64(5), "gate 5 out of range")]:
        with pytest.raises(IndexError) as info:
            c.gate(i)
        assert str(info.value).startswith(text), info.value
    assert c.gate(np.int32(-1)) == c.gate(0)
    c3 = tcx.cell("add", 3)
    with pytest.raises(IndexError, match=rf"gate {c3.gates} out of range: the circuit has {c3.gates} gates \(0..{c3.gates - 1}, "):
        c3.gate(c3.gates)
    b = tcx.Builder()
    b.output(b.input())
    with pytest.raises(IndexError, match="gate 0 out of range: the circuit has no gates"):
        b.build().gate(0)
    with pytest.raises(IndexError, match="node 7 out of range: the circuit has nodes 0..4"):
        c._node_name(7)
    # A literal is an index into a Builder's nodes: the range is named too.
    b = tcx.Builder()
    b.input()
    with pytest.raises(tcx.UsageError, match=r"Lit\(99\) refers to node 99, which this Builder does not have \(its nodes are 0..1\)"):
        b.output(tcx.Lit(99))


def test_builder_bad_input():
    b = tcx.Builder()
    x = b.input()
    with pytest.raises(tcx.UsageError, match="1 literals but 2 weights"):
        b.gate([x], [1, 2], 1)
    with pytest.raises(tcx.UsageError, match="does not have"):
        b.gate([tcx.Lit(99)], [1], 1)
    with pytest.raises(TypeError):
        b.gate([x], [1.5], 1)
    with pytest.raises(TypeError):
        b.gate([x], [1], None)
    with pytest.raises(TypeError):
        b.gate(None, [1], 1)


def test_max_wires_limit():
    tcx.set_limits(max_wires=100)
    try:
        with pytest.raises(tcx.LimitError, match="size bound") as e:
            tcx.compile("mlp_majority", 256)
        assert "--max-wires" not in str(e.value)  # the keyword, not the command line's flag
    finally:
        tcx.set_limits(max_wires=1 << 27)
    assert tcx.limits() == {"max_wires": 1 << 27}


def test_formats_round_trip(tmp_path):
    c = tcx.load("examples/compare4.tc")
    for ext in ("tc", "aag", "aig", "blif", "th"):
        p = tmp_path / f"c.{ext}"
        c.save(p)
        back = tcx.load(p)
        assert back.inputs == c.inputs and back.outputs == c.outputs
        assert c.equiv(back), ext
        # The same bytes as tcx export.
        cli = run_cli("export", "examples/compare4.tc", "--format", ext) if ext != "aig" else None
        if cli is not None:
            assert p.read_text() == cli
    for fmt in ("json", "dot", "v"):
        assert isinstance(c.to_string(fmt), str)
    assert isinstance(c.to_string("aig"), bytes)
    # Never overwrite without force.
    p = tmp_path / "c.tc"
    with pytest.raises(tcx.IoError, match="exists"):
        c.save(p)
    c.save(p, force=True)
    with pytest.raises(tcx.UsageError):
        c.save("-")
    with pytest.raises(tcx.UsageError, match="unknown format"):
        c.save(tmp_path / "x.tc", format="xyz")
    with pytest.raises(tcx.UsageError, match="contradicts the extension"):  # as tcx export: no JSON in a .blif
        c.save(tmp_path / "p2.blif", format="json")
    assert not (tmp_path / "p2.blif").exists()
    c.save(tmp_path / "p2.BLIF", format="blif")


def test_from_tc_and_parse_errors(tmp_path):
    c = tcx.Circuit.from_tc("tcx-circuit 1\ninput a b\ngate g = a + b >= 2\noutput y = g\n")
    assert c.truth_table()[:, 0].tolist() == [False, False, False, True]
    bad = tmp_path / "bad.tc"
    bad.write_text("tcx-circuit 1\ninput a b\ngate g = a + q >= 2\n")
    with pytest.raises(tcx.ParseError) as e:
        tcx.load(bad)
    err = e.value
    assert (err.file, err.line) == (str(bad), 3) and err.column > 0
    cli = run_cli("stats", str(bad), status=1)
    assert str(err) == subprocess_stderr("stats", str(bad))
    with pytest.raises(tcx.IoError, match="nope.tc"):
        tcx.load(tmp_path / "nope.tc")


def subprocess_stderr(*args):
    import subprocess
    from conftest import TCX_BIN
    return subprocess.run([TCX_BIN, *args], capture_output=True, text=True).stderr.strip()


def test_lower_and_equiv(tmp_path):
    c = tcx.load("examples/parity4_depth2.tc")
    low = c.lower()
    assert low.is_and_network() and not c.is_and_network()
    lowered = run_cli("lower", "examples/parity4_depth2.tc")
    assert low.gates == tcx.Circuit.from_tc(lowered).gates
    (tmp_path / "low.tc").write_text(lowered)
    r = c.equiv(low)
    assert r.verdict == "equal" and bool(r) and r.facts == run_cli("equiv", "examples/parity4_depth2.tc", str(tmp_path / "low.tc"), "--json", json_out=True)
    assert r.facts["method"] == "exhaustive"
    same = c.equiv(tcx.load("examples/parity4_depth2.tc"))  # one circuit twice: equal by structure, no patterns
    assert same.equal and same.facts == {"verdict": "equal", "method": "structural"}
    rs = c.equiv(low, sat=True)
    assert rs.verdict == "equal"
    other = tcx.load("examples/compare4.tc")
    d = tcx.load("examples/majority3.tc")
    b = tcx.Builder()
    xs = b.inputs(3)
    b.output(b.gate(xs, [1, 1, 1], 3))  # AND instead of majority
    diff = d.equiv(b.build())
    assert diff.verdict == "different" and diff.counterexample["inputs"] == "110"
    with pytest.raises(tcx.Error, match="different input counts"):
        d.equiv(other)
    with pytest.raises(TypeError):
        d.equiv(None)


def test_to_networkx():
    nx = pytest.importorskip("networkx")
    c = tcx.load("examples/parity4_depth2.tc")
    g = c.to_networkx()
    assert isinstance(g, nx.DiGraph) and nx.is_directed_acyclic_graph(g)
    assert g.number_of_nodes() == 1 + c.inputs + c.gates and g.number_of_edges() == c.wires
    assert nx.dag_longest_path_length(g) == c.depth
    gate = c.gate(0)
    assert g.nodes[gate.node]["threshold"] == gate.threshold
    assert [g.edges[f, gate.node]["weight"] for f in gate.fanins] == gate.weights


def test_eval_wide_and_odd_sizes():
    """Rows are packed 16 columns at a time: more than 16 and 64 inputs and outputs, partial groups."""
    rng = np.random.default_rng(3)
    for c in (tcx.cell("add", 40), tcx.cell("mul", 9), tcx.cell("mul", 3), tcx.compile("rnn_relu", 8)):
        for rows in (1, 7, 64, 65, 1000):
            x = rng.integers(0, 2, (rows, c.inputs)).astype(bool)
            assert (c.eval(x) == reference_eval(c, x)).all(), (c, rows)
    # Outputs that are inputs: eval is then the identity on the chosen columns.
    b = tcx.Builder()
    xs = b.inputs(70)
    for i in range(0, 70, 3):
        b.output(xs[i])
    b.output(~xs[5])
    c = b.build()
    x = rng.integers(0, 2, (4099, 70)).astype(bool)
    y = c.eval(x)
    assert (y[:, :-1] == x[:, ::3]).all() and (y[:, -1] == ~x[:, 5]).all()


def test_eval_identity_shapes():
    """Outputs that copy (or negate) chosen inputs: every shape of partial 16-column groups."""
    rng = np.random.default_rng(5)
    for n, m in ((1, 40), (3, 2), (5, 17), (17, 15), (20, 3), (33, 18)):
        b = tcx.Builder()
        xs = b.inputs(n)
        cols = [int(v) for v in rng.integers(0, n, m)]
        neg = [bool(v) for v in rng.integers(0, 2, m)]
        for col, ng in zip(cols, neg):
            b.output(~xs[col] if ng else xs[col])
        c = b.build()
        for rows in (1, 2, 63, 64, 65, 130, 4097, 70000):
            x = rng.integers(0, 2, (rows, n)).astype(bool)
            assert (c.eval(x) == (x[:, cols] ^ np.array(neg))).all(), (n, m, rows)


def test_builder_refuses_another_builders_literal():
    """A literal names a node of the Builder that made it: another Builder refuses it (it would
    otherwise silently mean that Builder's node of the same number)."""
    b = tcx.Builder()
    a, c = b.input("a"), b.input("c")
    b2 = tcx.Builder()
    z = b2.input("z")
    for call in (lambda: b.gate([a, z], [1, 1], 1), lambda: b.gate([a, ~z], [1, 1], 1), lambda: b.output(z),
                 lambda: b.level(z)):
        with pytest.raises(tcx.UsageError, match=r"literal Lit\(1\) was made by another Builder|Lit\(1, negated=True\) was made"):
            call()
    g = b2.gate([z, z], [1, 1], 1)
    with pytest.raises(tcx.UsageError, match="another Builder"):
        b.gate([a, g], [1, 1], 1)
    # The constants, literals written by hand and a built circuit's literals belong to no Builder.
    assert b.gate([a, tcx.TRUE], [1, 1], 2) == a and b2.gate([z, tcx.FALSE], [1, 1], 1) == z
    orv = b.gate([a, tcx.Lit(2)], [1, 1], 1)
    b.output(orv, "or")
    circuit = b.build()
    ((lit, _),) = circuit.output_literals()
    assert lit == orv and lit.node == orv.node
    b3 = tcx.Builder()
    xs = b3.inputs(2)
    b3.output(b3.gate(xs, [1, 1], 1))
    assert b3.gate([lit], [1], 1) == lit  # a built circuit's literal, by its node number
    # A literal of a Builder that was built is refused by a new one, too.
    b4 = tcx.Builder()
    b4.inputs(2)
    with pytest.raises(tcx.UsageError, match="another Builder"):
        b4.output(a)


def test_huge_weights_past_pythons_decimal_limit():
    """Weights are exact ints of any size up to the library's 100,000 decimal digits: Python's
    4300-digit limit on decimal conversion does not apply; past the library's limit, a UsageError."""
    b = tcx.Builder()
    x, y = b.inputs(2)
    w = 10**5000
    b.output(b.gate([x, y], [w, -w - 1], -w))  # x or not y
    c = b.build()
    gate = c.gate(0)
    assert gate.weights == [w, -w - 1] and gate.threshold == -w
    assert c.truth_table()[:, 0].tolist() == [True, True, False, True]
    assert tcx.Circuit.from_tc(c.to_string()) == c
    b = tcx.Builder()
    x, y = b.inputs(2)
    assert b.gate([x, y], [10**99999, -(10**99999)], 1).node > 0
    with pytest.raises(tcx.UsageError, match=r"weights\[1\] has more than 100000 decimal digits"):
        b.gate([x, y], [1, 10**100000], 1)
    with pytest.raises(tcx.UsageError, match="threshold has more than 100000 decimal digits"):
        b.gate([x, y], [1, 1], -(10**200000))


def test_save_names_the_python_keyword(tmp_path):
    """An existing file (or report) is kept; the message names force=True, not the command line's --force."""
    c = tcx.load("examples/majority3.tc")
    p = tmp_path / "c.tc"
    c.save(p)
    with pytest.raises(tcx.IoError, match=r"file exists \(use force=True to replace it\)") as e:
        c.save(p)
    assert "--force" not in str(e.value)
    (tmp_path / "report.md").write_text("# tcx report\n\nold")
    with pytest.raises(tcx.IoError, match=r"already holds a report.md \(use force=True to replace it"):
        tcx.reproduce(tmp_path)
