"""tcx.diffusion / diffusion_family / reproduce: the command line's JSON and report."""

import json
import os

import pytest

import tcx
from conftest import run_cli, without_seconds


def test_diffusion_equals_cli():
    r = tcx.diffusion("majority", 4, steps=8, copies=3, search_draws=50)
    want = run_cli("diffusion", "--backbone", "majority", "--n", 4, "--steps", 8, "--copies", 3, "--search-draws", 50, "--json",
                   json_out=True)
    assert without_seconds(r.facts) == without_seconds(want)
    assert r.ok and r.circuit is not None and r.depth == r.circuit.depth and r.gates == r.circuit.gates
    # The circuit with its advice on the extra inputs answers majority of the prefix.
    advice = [b == "1" for b in r.facts["advice_bits"]]
    x = [[(p >> i) & 1 == 1 for i in range(4)] + advice for p in range(16)]
    out = r.circuit.eval(x)[:, 0]
    assert out.tolist() == [bin(p).count("1") * 2 >= 4 for p in range(16)]
    wired = tcx.diffusion("majority", 4, steps=8, copies=3, search_draws=50, hardwire=True)
    assert wired.circuit.inputs == 4 and (wired.circuit.eval([row[:4] for row in x])[:, 0] == out).all()
    with pytest.raises(TypeError, match="unknown sampler option"):
        tcx.diffusion("majority", 4, stpes=8)
    with pytest.raises(tcx.UsageError, match="steps must be auto"):
        tcx.diffusion("majority", 4, steps=0)
    with pytest.raises(tcx.Error):
        tcx.diffusion("nope", 4)
    # No prefix to check the advice seed on: refused, as on the command line (not seed 1 unchecked).
    with pytest.raises(tcx.UsageError, match="random 0 leaves the advice seed nothing to be checked on"):
        tcx.diffusion("parity", 20, steps=3, copies=1, exhaustive_bits=0, random=0, hardwire=True)
    checked = tcx.diffusion("parity", 20, steps=3, copies=1, exhaustive_bits=0, random=100)
    assert checked.facts["advice"]["prefixes"] == 100 and checked.facts["advice"]["seed"] != 1


def test_diffusion_family_equals_cli():
    r = tcx.diffusion_family("parity", [2, 4], contrast=True, steps=6, copies=1, search_draws=20)
    want = run_cli("diffusion-family", "--backbone", "parity", "--n", "2..4", "--contrast", "--steps", 6, "--copies", 1,
                   "--search-draws", 20, "--json", "--quiet", json_out=True)
    assert without_seconds(r.facts) == without_seconds(want)
    assert r.ok and {row["sampler"] for row in r.rows} == {"T*", "T = n", "d = log2 n"}


def test_reproduce_refuses_existing_report(tmp_path):
    (tmp_path / "report.md").write_text("# tcx report\n\nold")
    with pytest.raises(tcx.IoError, match="already holds a report"):
        tcx.reproduce(tmp_path)
    assert (tmp_path / "report.md").read_text() == "# tcx report\n\nold"


def test_reproduce_keeps_a_report_md_of_the_users(tmp_path):
    """A report.md tcx did not write (it does not begin "# tcx report") is the user's: kept even with force."""
    (tmp_path / "report.md").write_text("# My report\n")
    with pytest.raises(tcx.IoError, match="its report.md was not written by tcx"):
        tcx.reproduce(tmp_path, force=True)
    assert (tmp_path / "report.md").read_text() == "# My report\n"


def test_reproduce_refuses_a_folder_of_user_files(tmp_path):
    (tmp_path / "data.json").write_text("mine")
    with pytest.raises(tcx.IoError, match="holds other files"):
        tcx.reproduce(tmp_path, force=True)
    assert (tmp_path / "data.json").read_text() == "mine"


def test_reproduce_quick_writes_the_report(tmp_path):
    """The whole quick report, in process: the same sections and verdicts as the command's."""
    out = tmp_path / "rep"
    r = tcx.reproduce(out, quick=True)
    assert r.passed and "all passed" in r.summary
    assert (out / "report.html").stat().st_size > 10000 and (out / "report.md").exists()
    assert [s["id"] for s in r.data["sections"]] == ["models", "diffusion", "frontier", "trained", "verification"]
    fits = {row["model"]: row["fit"]["depth_kind"] for row in r.data["models"]["rows"]}
    assert fits["mlp-sign"] == "constant" and fits["rnn-parity"] == "linear" and fits["ssm-s5"] == "logarithmic"
    assert r.data["verification"]["all_passed"]
    # A second run refuses the report it wrote (force=True would replace it).
    with pytest.raises(tcx.IoError, match="already holds a report"):
        tcx.reproduce(out, quick=True)


def test_reproduce_only_some_sections(tmp_path):
    """only= runs those sections alone, as --only does; an unknown one is refused before any work."""
    r = tcx.reproduce(tmp_path / "t", quick=True, only=["trained"])
    assert r.passed and [s["id"] for s in r.data["sections"]] == ["trained"]
    assert "--only trained" in r.data["command"]
    with pytest.raises(tcx.UsageError, match="no section 'nope'"):
        tcx.reproduce(tmp_path / "u", only="nope")
