"""tcx.compile / check_model / depth / family: the same circuits and JSON as the command line."""

import json

import numpy as np
import pytest

import tcx
from conftest import run_cli, run_cli_error, without_seconds
from reference import reference_eval

MODEL = "examples/models/mlp_sign.json"


def test_compile_equals_cli_every_spec_form(src):
    want = run_cli("compile", MODEL, "--n", 8)
    text = open(MODEL).read()
    for spec in (MODEL, text, json.loads(text), "mlp_sign", "mlp_sign.json"):
        c = tcx.compile(spec, 8)
        assert c.to_string("tc") == want, type(spec)


def test_compile_check_and_reference():
    c = tcx.compile(MODEL, 6, check=True)
    r = tcx.check_model(MODEL, 6, c)
    assert r == {"agree": True, "exhaustive": True, "inputs_checked": 64}
    # A different circuit with the same interface disagrees, with the input shown.
    other = tcx.compile("mlp_majority", 6)
    r = tcx.check_model(MODEL, 6, other)
    assert not r["agree"] and len(r["counterexample"]["inputs"]) == 6
    x = np.random.default_rng(1).integers(0, 2, (500, 6)).astype(bool)
    assert (c.eval(x) == reference_eval(c, x)).all()


@pytest.mark.parametrize("model,n", [("examples/models/transformer_4head.json", 64), ("examples/models/ssm_s5.json", 32),
                                     ("examples/models/mlp_relu_fixed.json", 16)])
def test_depth_equals_cli(model, n):
    got = tcx.depth(model, n)
    want = run_cli("depth", model, "--n", n, "--json", json_out=True)
    assert without_seconds(got) == without_seconds(want)
    assert got["seconds"] >= 0


def test_depth_equals_compiled():
    d = tcx.depth("rnn_parity", 12)
    c = tcx.compile("rnn_parity", 12)
    assert (d["depth"], d["gates"], d["wires"]) == (c.depth, c.gates, c.wires)


def test_family_equals_cli():
    f = tcx.family("examples/models/ssm_s5.json", "4..64")
    want = run_cli("family", "examples/models/ssm_s5.json", "--n", "4..64", "--json", json_out=True)
    assert without_seconds(f.facts) == without_seconds(want)
    assert [r["n"] for r in f.records] == [4, 8, 16, 32, 64]
    assert f.verdict == want["fit"]["verdict"] and f.stopped is None
    assert set(f.records[0]) == {"n", "depth", "gates", "wires", "max_weight_bits", "seconds"}
    g = tcx.family("mlp_majority", [3, 5, 9], materialize=True)
    assert g.mode == "materialized" and [r["depth"] for r in g.records] == [1, 1, 1] and g.consistent_with_tc0
    # Undecided is neither: a depth-2 MLP whose small merged counts leave the size's growth unclear.
    u = tcx.family("mlp_sign", "4..64")
    assert u.consistent_with_tc0 is None and "undecided" in u.verdict and {r["depth"] for r in u.records} == {2}
    t = tcx.family(task="parity", ns="2..8", step="+2")
    with pytest.raises(tcx.UsageError, match="^step x1: expected"):
        tcx.family(task="parity", ns="2..8", step="x1")
    want = run_cli("family", "--task", "parity", "--n", "2..8", "--step", "+2", "--json", json_out=True)
    assert without_seconds(t.facts) == without_seconds(want)


def test_family_sizes_once_in_order():
    """Sizes are measured once each, in increasing order: repeats would make one measurement look
    like several to the fit; a model spec has no --over or params to sweep."""
    with pytest.raises(tcx.UsageError, match="ns: 4 given more than once"):
        tcx.family("ssm_s5", [4, 4, 4])
    f = tcx.family("ssm_s5", [64, 4, 16, 8])
    assert [r["n"] for r in f.records] == [4, 8, 16, 64] and "n = 4..64 (4 sizes)" in f.verdict
    with pytest.raises(tcx.UsageError, match="over applies with task=NAME"):
        tcx.family("ssm_s5", "2..8", over="k")
    with pytest.raises(tcx.UsageError, match="params applies with task=NAME"):
        tcx.family("ssm_s5", "2..8", params={"n": 3})
    # eca sweeps its steps unless told; a falling depth (rule numbers as n) is undecided, not growth.
    e = tcx.family(task="eca", ns="1..8", params={"cells": 8})
    assert "n = steps" in e.facts["family"] and e.consistent_with_tc0 is False
    r = tcx.family(task="eca", ns="2..64", over="rule")
    assert r.consistent_with_tc0 is None and r.facts["fit"]["depth_kind"] == "unclear"


def test_family_time_limit_stops():
    f = tcx.family("transformer_4head", [64, 4096, 8192], time_limit=0.3)
    assert f.stopped and "time limit" in f.stopped and len(f.records) < 3


def test_model_errors_like_cli(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"tcx-model": 1, "name": "x", "input": {"length": "n"}, "layers": [{"out": 1, "weights": 1, "activation": "nope"}]}')
    with pytest.raises(tcx.ModelError) as e:
        tcx.compile(bad, 4)
    assert str(e.value) == run_cli_error("compile", str(bad), "--n", 4)
    assert e.value.path.startswith("/layers/0")
    broken = tmp_path / "broken.json"
    broken.write_text('{"tcx-model": 1,\n  "name": }')
    with pytest.raises(tcx.ParseError) as e:
        tcx.compile(broken, 4)
    assert e.value.line == 2 and e.value.file == str(broken)
    with pytest.raises(tcx.IoError):
        tcx.compile(tmp_path / "missing.json", 4)
    with pytest.raises(tcx.ModelError):
        tcx.compile({"tcx-model": 1}, 4)
    with pytest.raises(TypeError):
        tcx.compile(None, 4)
    with pytest.raises(TypeError):
        tcx.compile(MODEL, "8")
    with pytest.raises(tcx.UsageError):
        tcx.compile(MODEL, 0)
    with pytest.raises(tcx.UsageError):
        tcx.compile(MODEL, 2**70)


def test_huge_n_raises_not_crashes():
    with pytest.raises(tcx.Error):
        tcx.compile("mlp_sign", 2**40)
    with pytest.raises(tcx.Error):
        tcx.depth("mlp_sign", 2**40)
    with pytest.raises(tcx.BudgetError, match="time limit"):
        tcx.depth("transformer_4head", 1 << 16, time_limit=0.2)


def test_zoo():
    names = tcx.zoo()
    assert "mlp_majority" in names and "transformer_4head" in names


def test_family_past_the_size_bound_keeps_the_rows():
    """A size past the size bound after others were measured ends the sweep, as tcx family does:
    the rows measured are kept and `stopped` says why (the same JSON as the command's)."""
    f = tcx.family("mlp_majority", "8000000..16777216")
    want = run_cli("family", "examples/models/mlp_majority.json", "--n", "8000000..16777216", "--json", json_out=True)
    assert without_seconds(f.facts) == without_seconds(want)
    assert [r["n"] for r in f.records] == [8000000]
    assert f.stopped.startswith("the sweep stopped at n = 16000000: ") and "past the size bound" in f.stopped
    # The first size past the bound is the call's error.
    tcx.set_limits(max_wires=100)
    try:
        with pytest.raises(tcx.LimitError, match="size bound"):
            tcx.family("mlp_majority", [256, 512])
    finally:
        tcx.set_limits(max_wires=1 << 27)


def test_sizes_above_2_to_the_24_refused_up_front():
    """As the commands refuse --n 1..1000000000: before any work, a UsageError in the same words."""
    cli = run_cli_error("family", "examples/models/mlp_majority.json", "--n", "1..1000000000")
    with pytest.raises(tcx.UsageError) as e:
        tcx.family("mlp_majority", "1..1000000000")
    assert str(e.value) == cli.replace("--n", "ns")
    with pytest.raises(tcx.UsageError, match="sizes above 2\\^24 = 16777216 are not supported"):
        tcx.family("mlp_majority", [8, 2**30])
    with pytest.raises(tcx.UsageError, match="sizes above 2\\^24"):
        tcx.frontier("parity", "1..20000000")


@pytest.mark.parametrize("n", [0, -1, 2**24 + 1, 2**30, 2**70])
def test_n_out_of_range_is_a_usage_error(n):
    """n outside 1..2^24 is refused as the command's --n is, whichever side it falls."""
    for call in (tcx.compile, tcx.depth):
        with pytest.raises(tcx.UsageError, match=r"is out of range \(1\.\.2\^24 = 16777216\)"):
            call("mlp_majority", n)
