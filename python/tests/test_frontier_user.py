"""The frontier and synthesis as a user of issue #25 calls them: the command's --care valid,
--counterexamples and --orbits in Python, a Task's parameters kept, the growing parameter refused
in params, and every answer checked against an independent reference written here (the word
problem from docs/tasks.md's encoding, permutations composed in plain Python; threshold gates
evaluated from the circuit's gate list)."""

import itertools

import numpy as np
import pytest

import tcx
from conftest import run_cli, run_cli_error, without_seconds


def word_table(k, n, alternating=False):
    """The word problem's truth table from the documented encoding: element j = index of its
    bits bj..bj+b-1 (LSB first) in the lexicographic list of image tuples, codes past the order
    the identity; 1 when the product, element 0 applied first, is the identity."""
    group = sorted(itertools.permutations(range(k)))
    if alternating:
        group = [g for g in group if sum(g[i] > g[j] for i in range(k) for j in range(i + 1, k)) % 2 == 0]
    b = (len(group) - 1).bit_length()
    ident = tuple(range(k))
    rows = []
    for p in range(1 << (b * n)):
        cur = ident
        for j in range(n):
            c = (p >> (b * j)) & ((1 << b) - 1)
            g = group[c] if c < len(group) else ident
            cur = tuple(g[cur[x]] for x in range(k))
        rows.append(cur == ident)
    valid = [all(((p >> (b * j)) & ((1 << b) - 1)) < len(group) for j in range(n)) for p in range(1 << (b * n))]
    return np.array(rows), np.array(valid)


def evaluate(circuit, n):
    """The circuit's output on every pattern, gate by gate from its gate list (not tcx's simulator)."""
    values = {}
    out = []
    for p in range(1 << n):
        values = {i + 1: (p >> i) & 1 for i in range(n)}
        values[0] = 0
        for g in circuit.gates_iter():
            values[g.node] = int(sum(int(w) * values[f] for f, w in zip(g.fanins, g.weights)) >= int(g.threshold))
        lit = circuit.output_literals()[0][0]
        out.append(bool(values[lit.node] ^ lit.negated))
    return np.array(out)


def test_word_tables_match_the_documented_encoding():
    for k, alt, n in [(3, False, 1), (3, False, 2), (3, False, 3), (4, True, 1), (4, True, 2), (5, True, 1), (5, False, 1)]:
        name = f"word_{'a' if alt else 's'}{k}"
        want, _ = word_table(k, n, alt)
        got = tcx.task(name, n=n).circuit().truth_table()[:, 0]
        assert (got == want).all(), (name, n)


def test_frontier_care_valid_in_python_equals_the_command():
    f = tcx.frontier("word_s3", "1..2", max_depth=2, max_gates=3, care="valid")
    cli = run_cli("frontier", "--task", "word_s3", "--sizes", "1..2", "--max-depth", 2, "--max-gates", 3, "--care", "valid", "--json",
                  json_out=True)
    assert without_seconds(f.facts) == without_seconds(cli)
    assert f.facts["care"] == "valid" and f.facts["max_gates"] == 3
    # valid codes: 1 gate for one element, 2 for two (the total function needs 2 and 3)
    assert [r["cells"][1]["gates"] for r in f.rows] == [1, 2]
    assert [r["cells"][1]["gates"] for r in tcx.frontier("word_s3", "1..2", max_depth=2, max_gates=3).rows] == [2, 3]
    g = tcx.frontier("word_s3", [2], max_depth=2, max_gates=3, care="valid", counterexamples=4, orbits=True)
    assert g.rows[0]["cells"][1]["status"] == "proven_minimal" and g.rows[0]["cells"][1]["gates"] == 2
    with pytest.raises(tcx.UsageError):
        tcx.frontier("word_s3", "1..1", care="some")
    with pytest.raises(tcx.UsageError):
        tcx.frontier("word_s3", "1..1", counterexamples=0)


def test_frontier_keeps_a_tasks_parameters():
    # Rule 110's centre cell of 5 after one step: 2 gates at depth 2 (not the whole row of 8).
    t = tcx.task("eca", cells=5, cell=2)
    f = tcx.frontier(t, "1..1", over="steps", max_depth=2, max_gates=3)
    want = tcx.frontier("eca", "1..1", over="steps", params={"cells": 5, "cell": 2}, max_depth=2, max_gates=3)
    assert without_seconds(f.facts) == without_seconds(want.facts)
    assert f.rows[0]["cells"][1] | {"seconds": 0} == {"depth": 2, "status": "proven_minimal", "gates": 2, "at_least": 2, "seconds": 0}


def test_the_growing_parameter_is_not_a_param():
    with pytest.raises(tcx.UsageError, match="grows"):
        tcx.frontier("word_s3", "1..2", params={"n": 3})
    run_cli("frontier", "--task", "word_s3", "--sizes", "1..2", "--param", "n=3", status=2)
    assert "grows" in run_cli_error("frontier", "--task", "word_s3", "--sizes", "1..2", "--param", "n=3")


def test_synth_care_valid_finds_the_cells_circuit():
    t = tcx.task("word_s3", n=2)
    want, valid = word_table(3, 2)
    r = tcx.synth(t, [1, 1], skip=True, care="valid")
    assert r.answer == "found"
    got = evaluate(r.circuit, 6)
    assert (got[valid] == want[valid]).all() and r.circuit.gates == 2 and r.circuit.depth == 2
    assert not (got == want).all()  # this circuit is wrong on some don't-care: the total function needs 3 gates
    # verify checks what it was made for: the valid codes (and says so), not every code
    v = tcx.verify(r.circuit, t, care="valid")
    assert v.verdict == "correct" and v.facts["inputs_checked"] == int(valid.sum()) == 36 and v.facts["care"] == "valid"
    assert tcx.verify(r.circuit, t).verdict == "wrong"
    with pytest.raises(tcx.UsageError):
        tcx.verify(r.circuit, t, care="some")
    assert tcx.synth(t, [1, 1], skip=True).answer == "none"
    assert tcx.synth(t, [1], care="valid").answer == "none"
    # a care set as an array does the same
    assert tcx.synth(t, [1, 1], skip=True, care=valid).answer == "found"
    with pytest.raises(tcx.UsageError):
        tcx.synth(t.circuit(), [1, 1], skip=True, care="valid")
    with pytest.raises(tcx.UsageError):
        tcx.synth(t, [1, 1], care=np.ones(5, dtype=bool))


def test_bounds_care_valid_equals_the_command():
    b = tcx.bounds("word_s3", params={"n": 2}, max_depth=2, max_gates=3, care="valid")
    cli = run_cli("bounds", "--task", "word_s3", "--param", "n=2", "--max-depth", 2, "--max-gates", 3, "--care", "valid", "--json",
                  json_out=True)
    assert b.facts == cli and b.facts["care"] == "valid"
    assert "2 gates, proven minimal" in b.sat[1]["text"]
    assert "3 gates, proven minimal" in tcx.bounds("word_s3", params={"n": 2}, max_depth=2, max_gates=3).sat[1]["text"]


def test_descent_finds_or_says_unknown_never_none():
    t = tcx.task("word_s3", n=2)
    want, valid = word_table(3, 2)
    r = tcx.synth(t, [1, 1], skip=True, care="valid", method="descent", time_limit=30)
    assert r.answer == "found" and r.facts["method"] == "descent"
    got = evaluate(r.circuit, 6)
    assert (got[valid] == want[valid]).all()
    r2 = tcx.synth(t, [1, 1], skip=True, care="valid", method="descent", time_limit=30, jobs=2)  # restarts on two threads
    assert r2.answer == "found" and (evaluate(r2.circuit, 6)[valid] == want[valid]).all()
    # the total function needs 3 gates: descent cannot find 2, and says unknown, not none
    assert tcx.synth(t, [1, 1], skip=True, method="descent", time_limit=0.3).answer == "unknown"
    assert tcx.synth(t, [1, 1], skip=True, method="tt", descent=0.2).answer == "none"
    with pytest.raises(tcx.UsageError, match="time_limit is its budget"):
        tcx.synth(t, [1, 1], skip=True, method="descent", descent=1)
    # random batches of 8 of the 36 valid words per step: found all the same, right on every one
    r3 = tcx.synth(t, [1, 1], skip=True, care="valid", method="descent", time_limit=30, batch=8)
    assert r3.answer == "found" and (evaluate(r3.circuit, 6)[valid] == want[valid]).all()
    with pytest.raises(tcx.UsageError, match="batch is for descent"):
        tcx.synth(t, [1, 1], skip=True, batch=8)
    with pytest.raises(tcx.UsageError, match="needs a time_limit"):
        tcx.frontier("parity", "3..3", method="descent", time_limit=0)
    with pytest.raises(tcx.UsageError):
        tcx.synth(t, [1, 1], skip=True, method="descent", tt={"cubes": 0})
    with pytest.raises(tcx.UsageError, match="solver is for the SAT method"):
        tcx.synth(t, [1, 1], skip=True, method="descent", time_limit=1, solver="cadical")
    with pytest.raises(tcx.UsageError, match="cross_check is for the SAT method"):
        tcx.bounds("parity", params={"n": 3}, method="descent", cross_check=True)
    # descent alone refutes nothing: Rule 110's cells for 1 and 2 steps are found, at least 1 gate
    f = tcx.frontier("eca", "1..2", over="steps", params={"cells": 5, "cell": 2}, max_depth=2, max_gates=4,
                     method="descent", time_limit=2)
    for row in f.rows:
        cell = row["cells"][1]
        assert cell["status"] == "found" and cell["at_least"] == 1 and cell["gates"] >= row["steps"] + 1


def test_frontier_tighten_brings_a_found_cell_down():
    """Parity of 5 with skip wires needs 3 gates at depth 2; descent alone with a tiny budget may
    stop above, and tighten= asks the smaller sizes again with a longer one, down to 3 (2 gates,
    no circuit, spends its whole budget). tt's proven cells have nothing to tighten."""
    f = tcx.frontier("parity", "5..5", max_depth=2, max_gates=6, method="descent", time_limit=0.02, tighten=2)
    d2 = f.rows[0]["cells"][1]
    assert (d2["status"], d2["gates"], d2["at_least"]) == ("found", 3, 1)
    assert d2["seconds"] >= 1.5
    proven = tcx.frontier("parity", "4..4", max_depth=2, max_gates=4, method="tt", tighten=600)
    assert without_seconds(proven.facts) == without_seconds(tcx.frontier("parity", "4..4", max_depth=2, max_gates=4, method="tt").facts)
    b = tcx.bounds("parity", params={"n": 5}, max_depth=2, max_gates=4, method="descent", time_limit=0.02, tighten=2)
    assert b.sat[1]["text"].startswith("depth 2: 3 gates found")
    with pytest.raises(tcx.UsageError, match="tighten"):
        tcx.frontier("parity", "4..4", tighten=-1)
