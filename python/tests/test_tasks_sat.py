"""Cells, tasks and the SAT-backed answers: the same JSON as the command line; Ctrl-C stops a synthesis."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import tcx
from conftest import BUILD_PY, TCX_BIN, run_cli, run_cli_error, without_seconds
from reference import all_patterns, reference_eval


def test_cells_and_cell_equal_cli():
    assert tcx.cells() == run_cli("cells", "--json", json_out=True)
    for name, bits, count in (("add", 4, None), ("mul", 3, None), ("sort", 2, 4)):
        args = ["cell", name, "--bits", bits] + (["--count", count] if count else [])
        c = tcx.cell(name, bits, count)
        assert c.to_string() == run_cli(*args)
    # An independent check: the 4-bit adder adds.
    add = tcx.cell("add", 4)
    x = all_patterns(8)
    a = (x[:, :4] * (1 << np.arange(4))).sum(axis=1)
    b = (x[:, 4:] * (1 << np.arange(4))).sum(axis=1)
    out = add.eval(x)
    assert ((out * (1 << np.arange(out.shape[1]))).sum(axis=1) == a + b).all()
    with pytest.raises(tcx.UsageError, match="unknown cell 'nope'"):
        tcx.cell("nope")
    assert str(pytest.raises(tcx.UsageError, tcx.cell, "mul", 4096, 4096).value) == run_cli_error("cell", "mul", "--bits", 4096, "--count", 4096)


def test_tasks_equal_cli():
    assert tcx.tasks() == run_cli("tasks", "--json", json_out=True)
    t = tcx.task("eca", steps=3, cells=6)
    assert t.params["rule"] == 110 and t.input_bits == 6
    assert t.circuit().to_string() == run_cli("task", "eca", "--param", "steps=3", "--param", "cells=6", "--emit", "circuit")
    x, y = t.random(20, seed=5)
    lines = run_cli("task", "eca", "--param", "steps=3", "--param", "cells=6", "--random", 20, "--seed", 5).splitlines()
    assert [f"{''.join('1' if b else '0' for b in xi)} -> {''.join('1' if b else '0' for b in yi)}" for xi, yi in zip(x, y)] == lines
    assert (t.solve(x) == y).all()
    assert (t.circuit().eval(x) == y).all()
    bits = "101100"
    assert "".join("1" if b else "0" for b in t.solve(bits)) == run_cli("task", "eca", "--param", "steps=3", "--param",
                                                                         "cells=6", "--solve", bits).strip()
    with pytest.raises(tcx.UsageError) as e:
        tcx.task("eca", steps=99999)
    assert str(e.value) == run_cli_error("task", "eca", "--param", "steps=99999", "--emit", "circuit")
    with pytest.raises(TypeError):
        tcx.task("eca", steps="3")
    with pytest.raises(tcx.UsageError):
        t.solve("10")


def test_synth_equals_cli():
    for args, kwargs in ((("--task", "parity", "--param", "n=4", "--widths", "2,1", "--skip"), {}),
                         (("--task", "parity", "--param", "n=3", "--widths", "2,1"), {}),
                         (("--task", "majority", "--param", "n=5", "--widths", "1", "--max-weight", "1"), {"max_weight": 1})):
        name = args[1]
        n = int(args[3].split("=")[1])
        widths = args[5]
        want = run_cli("synth", *args, "--json", status=None, json_out=True)
        r = tcx.synth(tcx.task(name, n=n), widths, skip="--skip" in args, **kwargs)
        assert without_seconds(r.facts) == without_seconds(want)
        assert r.answer == {"sat": "found", "unsat": "none"}[want["answer"]]
        if r.answer == "found":
            assert (r.circuit.truth_table() == tcx.task(name, n=n).circuit().truth_table()).all()
            assert r.depth == r.circuit.depth
    # tt's cubes on two threads (Rule 110 after 4 steps, 2,1 with skip wires: none in 256 cubes).
    eca = ("--task", "eca", "--param", "steps=4", "--param", "cells=9", "--param", "cell=4", "--widths", "2,1", "--skip", "--method", "tt")
    r = tcx.synth(tcx.task("eca", steps=4, cells=9, cell=4), [2, 1], skip=True, method="tt", jobs=2)
    assert r.answer == "none"
    assert without_seconds(r.facts) == without_seconds(run_cli("synth", *eca, "--jobs", 2, "--json", status=1, json_out=True))
    with pytest.raises(tcx.UsageError, match="jobs"):
        tcx.synth("6", [1], inputs=2, jobs=0)
    # The same function as a hex table, a numpy table and a circuit.
    r1 = tcx.synth("6996", [3, 1], inputs=4, skip=True)
    r2 = tcx.synth(np.array([bin(p).count("1") % 2 for p in range(16)], dtype=bool), "3,1", skip=True)
    assert without_seconds(r1.facts) == without_seconds(r2.facts)
    assert without_seconds(r1.facts) == without_seconds(run_cli("synth", "--table", "6996", "--inputs", 4, "--widths", "3,1", "--skip", "--json", json_out=True))
    with pytest.raises(tcx.UsageError, match="hex"):
        tcx.synth("zz", [1], inputs=2)
    with pytest.raises(tcx.UsageError, match="2\\^n rows"):
        tcx.synth(np.zeros(6, dtype=bool), [1])
    with pytest.raises(TypeError):
        tcx.synth(None, [1])


def test_frontier_bounds_verify_equal_cli(tmp_path):
    f = tcx.frontier("parity", "2..3", max_depth=2, max_gates=3)
    want = run_cli("frontier", "--task", "parity", "--sizes", "2..3", "--max-depth", 2, "--max-gates", 3, "--json", json_out=True)
    assert without_seconds(f.facts) == without_seconds(want) and f.rows[0]["cells"][0]["status"] == "none"
    b = tcx.bounds("parity", params={"n": 3}, max_depth=2, max_gates=3)
    assert b.facts == run_cli("bounds", "--task", "parity", "--param", "n=3", "--max-depth", 2, "--max-gates", 3, "--json", json_out=True)
    assert b.natural_circuit["depth"] == 2 and len(b.sat) == 2
    # verify: exhaustive, then SAT beyond the exhaustive limit, then a wrong circuit.
    maj = tcx.task("majority", n=9).circuit()
    path = tmp_path / "maj9.tc"
    maj.save(path)
    for extra in ([], ["--exhaustive-bits", "4"]):
        kw = {"exhaustive_bits": 4} if extra else {}
        r = tcx.verify(maj, "majority", params={"n": 9}, **kw)
        want = run_cli("verify", path, "--task", "majority", "--param", "n=9", *extra, "--json", json_out=True)
        assert without_seconds(r.facts) == without_seconds(want)
        assert r.verdict == "correct" and r
    wrong = tcx.task("parity", n=9).circuit()
    wrong.save(tmp_path / "par9.tc")
    r = tcx.verify(tmp_path / "par9.tc", tcx.task("majority", n=9))
    assert r.verdict == "wrong" and r.counterexample["inputs"]
    assert r.facts == run_cli("verify", tmp_path / "par9.tc", "--task", "majority", "--param", "n=9", "--json", status=1, json_out=True)
    with pytest.raises(tcx.UsageError, match="has 9 inputs"):
        tcx.verify(maj, "majority", params={"n": 5})


def test_tt_options_equal_cli(tmp_path):
    # The tt search choices: the same JSON as the command's --tt-* flags, the split asks the solver
    # once per cube, and the weights method's answer whatever the choices.
    par4 = tcx.task("parity", n=4)
    for tt, flags in (({"cubes": 2}, ["--tt-cubes", "2"]),
                      ({"cubes": 0, "signed_sources": False, "sign_symmetry": False, "float_lp": False},
                       ["--tt-cubes", "0", "--tt-no-signed-sources", "--tt-no-sign-symmetry", "--tt-no-float-lp"])):
        r = tcx.synth(par4, "1,1", skip=True, method="tt", tt=tt)
        want = run_cli("synth", "--task", "parity", "--param", "n=4", "--widths", "1,1", "--skip", "--method", "tt", *flags, "--json",
                       status=1, json_out=True)
        assert without_seconds(r.facts) == without_seconds(want) and r.answer == "none"
        assert r.facts["solver_calls"] == (4 if tt["cubes"] == 2 else 1)
        assert tcx.synth(par4, "2,1", skip=True, method="tt", tt=tt).answer == tcx.synth(par4, "2,1", skip=True, method="weights").answer
        f = tcx.frontier("parity", "3..4", max_depth=2, max_gates=3, method="tt", tt=tt)
        assert without_seconds(f.facts) == without_seconds(run_cli("frontier", "--task", "parity", "--sizes", "3..4", "--max-depth", 2,
                                                                   "--max-gates", 3, "--method", "tt", *flags, "--json", json_out=True))
    # The split on the output's function (layered k,1 shapes): the command's answer and cubes.
    r = tcx.synth(par4, "3,1", method="tt", tt={"cubes": "output"})
    want = run_cli("synth", "--task", "parity", "--param", "n=4", "--widths", "3,1", "--method", "tt", "--tt-cubes", "output", "--json",
                   status=1, json_out=True)
    assert without_seconds(r.facts) == without_seconds(want) and r.answer == "none" and r.facts["cubes"] == 10
    assert tcx.synth(par4, "4,1", method="tt", tt={"cubes": "output"}).answer == "found"
    # Parity of 5 is self-dual: one cube of each pair of dual output functions, unless told not to.
    par5 = tcx.task("parity", n=5)
    for dual, cubes in ((True, 15), (False, 27)):
        r = tcx.synth(par5, "4,1", method="tt", tt={"cubes": "output", "dual_cubes": dual})
        want = run_cli("synth", "--task", "parity", "--param", "n=5", "--widths", "4,1", "--method", "tt", "--tt-cubes", "output",
                       *([] if dual else ["--tt-no-dual-cubes"]), "--json", status=1, json_out=True)
        assert without_seconds(r.facts) == without_seconds(want) and r.answer == "none" and r.facts["cubes"] == cubes
    # A state file: each cube's answer recorded as it comes. 100 conflicts per solver call leave
    # 4 of the 15 cubes unknown; resumed with no such budget, only those are asked, and the
    # command reads the file Python wrote (and the other way round).
    out = {"cubes": "output"}
    state = tmp_path / "par5.json"
    cut = tcx.synth(par5, "4,1", method="tt", tt=out, conflicts=100, state=state)
    assert cut.answer == "unknown" and cut.facts["cubes_unanswered"] == 4
    with pytest.raises(tcx.UsageError, match="the file exists"):
        tcx.synth(par5, "4,1", method="tt", tt=out, state=state)
    done = tcx.synth(par5, "4,1", method="tt", tt=out, state=state, resume=True, jobs=2)
    assert done.answer == "none" and done.facts["resumed"]["cubes"] == 11
    cli = run_cli("synth", "--task", "parity", "--param", "n=5", "--widths", "4,1", "--method", "tt", "--tt-cubes", "output",
                  "--state", state, "--resume", "--json", status=1, json_out=True)
    assert cli["answer"] == "unsat" and cli["resumed"]["cubes"] == 15
    # Certified, whole and as units: the command's facts, and each cube's proof checked.
    whole = tcx.synth(par5, "4,1", method="tt", tt=out, certify=True)
    want = run_cli("synth", "--task", "parity", "--param", "n=5", "--widths", "4,1", "--method", "tt", "--tt-cubes", "output",
                   "--certify", "--json", status=1, json_out=True)
    assert whole.answer == "none" and whole.facts["certified"] and whole.facts["certified"] == want["certified"]
    units = tcx.synth(par5, "4,1", method="tt", tt=out, certify=True, state=state, resume=True)
    assert units.answer == "none" and units.facts["certified"] and "resumed" not in units.facts  # no none had a checked proof
    found = tcx.synth(par5, "5,1", method="tt", tt=out, state=tmp_path / "par5w.json")
    assert found.answer == "found"
    assert (reference_eval(found.circuit, all_patterns(5))[:, 0] == (all_patterns(5).sum(axis=1) % 2 == 1)).all()
    with pytest.raises(tcx.UsageError, match="the weights method's \\(cubes K\\)"):
        tcx.synth(par5, "4,1", method="weights", state=tmp_path / "w.json")
    # The weights method's cubes (tcx synth --cubes K): 3^2 cubes on weight signs, one conflict
    # each leaves them unknown; the command resumes the file Python wrote and settles them.
    par4w = tmp_path / "par4w.json"
    cut = tcx.synth(par4, "2,1", cubes=2, conflicts=1, state=par4w)
    assert cut.answer == "unknown" and cut.facts["method"] == "weights"
    cli = run_cli("synth", "--task", "parity", "--param", "n=4", "--widths", "2,1", "--cubes", "2", "--state", par4w, "--resume",
                  "--json", status=1, json_out=True)
    assert cli["answer"] == "unsat" and cli["for_all_weights"]  # (another key would be refused, status 2)
    assert tcx.synth(par4, "2,1", cubes=2).answer == "none" and tcx.synth(par4, "4,1", cubes=1).answer == "found"
    with pytest.raises(tcx.UsageError, match="cubes = 13 is out of range"):
        tcx.synth(par4, "2,1", cubes=13)
    with pytest.raises(tcx.UsageError, match="not for method descent"):
        tcx.synth(par4, "2,1", cubes=1, method="descent")
    with pytest.raises(tcx.UsageError, match="need state=FILE"):
        tcx.synth(par5, "4,1", resume=True)
    with pytest.raises(tcx.UsageError, match="state: needs a file name"):
        tcx.synth(par5, "4,1", method="tt", tt=out, state="")
    with pytest.raises(TypeError, match="resume must be True or False"):
        tcx.synth(par5, "4,1", method="tt", tt=out, state=state, resume="no")
    with pytest.raises(tcx.UsageError, match="a layered output reads none"):
        tcx.synth(par5, "4,1", method="tt", tt={"cubes": 3}, state=tmp_path / "k.json")
    with pytest.raises(tcx.UsageError, match="layered template k,1"):
        tcx.synth(par4, "3,1", skip=True, method="tt", tt={"cubes": "output"})
    with pytest.raises(tcx.UsageError, match="'auto', 'output' or 0..16"):
        tcx.synth(par4, "3,1", tt={"cubes": "outputs"})
    with pytest.raises(tcx.UsageError, match="not for method='weights'"):
        tcx.frontier("parity", "3..3", method="weights", tt={"cubes": 2})
    with pytest.raises(tcx.UsageError, match="unknown tt option"):
        tcx.synth(par4, "1,1", tt={"cube": 2})
    with pytest.raises(tcx.UsageError, match="out of range"):
        tcx.bounds("parity", params={"n": 3}, tt={"cubes": 17})


def test_verify_state_shared_with_the_command(tmp_path):
    """verify's exhaustive phase in a state file: the command resumes the run Python made of the
    .tc file tcx wrote (the circuit named by its text), and a wrong circuit's file is another key."""
    c = tcx.task("addition", k=9).circuit()
    path = tmp_path / "add9.tc"
    c.save(path)
    state = tmp_path / "v.json"
    assert tcx.verify(c, "addition", params={"k": 9}, state=state).verdict == "correct"
    p = subprocess.run([TCX_BIN, "verify", str(path), "--task", "addition", "--param", "k=9", "--state", str(state), "--resume"],
                       capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.startswith("correct") and "units settled" in p.stderr, p.stderr
    assert tcx.verify(path, "addition", params={"k": 9}, state=state, resume=True).verdict == "correct"
    with pytest.raises(tcx.UsageError, match="exists"):
        tcx.verify(c, "addition", params={"k": 9}, state=state)
    with pytest.raises(tcx.UsageError, match="circuit"):  # another circuit: the key names what differs
        tcx.verify(tcx.cell("add", 9), "addition", params={"k": 9}, state=state, resume=True)
    with pytest.raises(tcx.UsageError, match="need state=FILE"):
        tcx.verify(c, "addition", params={"k": 9}, resume=True)


def test_frontier_state_and_certify(tmp_path):
    # Parity of 5 with one hidden layer: 4,1 is unknown at 0.05 s per question (refuted in about
    # 2 s), so the cell stays open and is not settled in the state file; resumed without that
    # budget, it is asked again and the cell proven. The command reads the file Python wrote.
    args = dict(layered=True, max_depth=2, max_gates=6, method="tt")
    state = tmp_path / "par5.json"
    cut = tcx.frontier("parity", "5..5", time_limit=0.05, state=state, **args)
    assert cut.rows[0]["cells"][1]["status"] == "unknown"
    done = tcx.frontier("parity", "5..5", state=state, resume=True, **args)
    assert done.rows[0]["cells"][1] | {"seconds": 0} == {"status": "proven_minimal", "gates": 6, "at_least": 6, "depth": 2, "seconds": 0}
    cli = run_cli("frontier", "--task", "parity", "--sizes", "5..5", "--layered", "--max-depth", "2", "--max-gates", "6", "--method", "tt",
                  "--state", state, "--resume", "--json", json_out=True)
    assert without_seconds(cli["rows"]) == without_seconds(done.rows)
    # Another question's file: the parts that differ are named, in Python's words.
    with pytest.raises(tcx.UsageError, match=r"max_gates 6 there, 7 here\); use another file, or restart=True"):
        tcx.frontier("parity", "5..5", state=state, resume=True, **(args | {"max_gates": 7}))
    with pytest.raises(tcx.UsageError, match=r"the file exists \(resume=True continues that run, restart=True starts over\)"):
        tcx.frontier("parity", "5..5", state=state, **args)
    with pytest.raises(tcx.UsageError, match="need state=FILE"):
        tcx.frontier("parity", "5..5", resume=True)
    with pytest.raises(TypeError, match="certify must be True or False"):
        tcx.frontier("parity", "5..5", certify=1)
    # certify: the command's cells, each UNSAT answer's proof checked.
    cert = tcx.frontier("parity", "3..4", max_depth=2, max_gates=4, method="tt", certify=True)
    want = run_cli("frontier", "--task", "parity", "--sizes", "3..4", "--max-depth", "2", "--max-gates", "4", "--method", "tt",
                   "--certify", "--json", json_out=True)
    assert without_seconds(cert.rows) == without_seconds(want["rows"])
    assert all(c["certified"] for row in cert.rows for c in row["cells"])
    with pytest.raises(tcx.UsageError, match="proves nothing"):
        tcx.frontier("parity", "3..3", method="descent", certify=True)


@pytest.mark.parametrize("call", [
    "tcx.synth(tcx.task('parity', n=12), [6, 6, 1], time_limit=0, method='weights')",
    # tt (the default method): Rule 110 after 4 steps in 5 gates at depth 2 does not settle in minutes
    "tcx.synth(tcx.task('eca', steps=4, cells=9, cell=4), [4, 1], skip=True, time_limit=0, method='tt')",
    # the same on two threads: each worker's solver polls the interrupt
    "tcx.synth(tcx.task('eca', steps=4, cells=9, cell=4), [4, 1], skip=True, time_limit=0, method='tt', jobs=2)",
])
def test_keyboard_interrupt_stops_long_synthesis(call):
    """SIGINT from outside during a synthesis that would run for minutes: KeyboardInterrupt within a second."""
    env = dict(os.environ, PYTHONPATH=BUILD_PY)
    code = ("import sys, time; sys.path.insert(0, %r); import tcx\n"
            "print('start', flush=True)\n"
            "try:\n"
            "    CALL\n"
            "    print('finished')\n"
            "except KeyboardInterrupt:\n"
            "    print('interrupted', flush=True)\n"
            "    r = tcx.synth('6', [1], inputs=2)\n"  # the library works again after the interrupt
            "    print('after', r.answer, flush=True)\n") % BUILD_PY
    code = code.replace("CALL", call)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # Every line is read by one thread through one buffered reader: reading a line with
    # p.stdout.readline() and the rest with communicate() loses what the reader had buffered
    # already (communicate reads the pipe's descriptor), which happened when the child wrote
    # "interrupted" and "after" in one go on a loaded machine.
    lines = queue.Queue()

    def read_all():
        for text in p.stdout:
            lines.put(text.strip())

    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()

    def next_line(timeout):
        try:
            return lines.get(timeout=timeout)
        except queue.Empty:
            return None

    line = after = None
    try:
        assert next_line(60) == "start"  # the import may be slow on a loaded machine
        time.sleep(1.5)
        t0 = time.time()
        p.send_signal(signal.SIGINT)
        line = next_line(30)
        elapsed = time.time() - t0
        after = next_line(30)
    finally:
        try:
            p.wait(timeout=0 if after is None else 30)  # a child that did not answer is killed at once
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        err = p.stderr.read()
        reader.join(5)
    assert line == "interrupted", err
    assert elapsed < 1.0, elapsed
    assert after == "after none", err
    assert next_line(0) is None and p.returncode == 0, err


def test_interrupt_in_process_from_timer_thread():
    """The same in this process: a timer thread sends SIGINT to the main thread during a long call."""
    threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    t0 = time.time()
    with pytest.raises(KeyboardInterrupt):
        tcx._core._sleep_interruptible(30)
    assert time.time() - t0 < 1.3
    assert tcx._core._sleep_interruptible(0.05) is False  # the flag was cleared
