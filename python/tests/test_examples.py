"""Every script in examples/python runs and does what it says."""

import os
import subprocess
import sys

import pytest

from conftest import BUILD_PY, SOURCE

EXAMPLES = os.path.join(SOURCE, "examples", "python")


def run_example(name, *args, cwd):
    env = dict(os.environ, PYTHONPATH=BUILD_PY, MPLBACKEND="Agg")  # the build's package, not an installed one
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *args], capture_output=True, text=True, cwd=cwd, env=env,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_family_plot(tmp_path):
    out = run_example("family_plot.py", "--out", "f.png", "--max-n", "32", cwd=tmp_path)
    png = (tmp_path / "f.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10000
    assert "mlp_sign: depth [2, 2, 2, 2]" in out and "rnn_parity" in out


def test_builder_numpy(tmp_path):
    out = run_example("builder_numpy.py", "--n", "8", cwd=tmp_path)
    assert "equals numpy's sum % 2 on all 256 inputs" in out and "natural parity circuit: equal" in out


def test_torch_binarized(tmp_path):
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        pytest.skip("PyTorch is not installed")
    out = run_example("torch_binarized.py", cwd=tmp_path)
    assert "the circuit equals the PyTorch network on all 256 inputs" in out


def test_docs_python_tour(tmp_path):
    """docs/python.md's tour runs as written (from a folder where examples/ is the source's), except
    its tcx.reproduce line: a quick report is half a minute, and test_diffusion_report runs one."""
    import importlib.util
    import re

    if importlib.util.find_spec("torch") is None:
        pytest.skip("PyTorch is not installed")
    doc = open(os.path.join(SOURCE, "docs", "python.md"), encoding="utf-8").read()
    tour = re.search(r"## A tour\n\n```python\n(.*?)```", doc, re.S).group(1)
    assert "tcx.reproduce(" in tour and "circuit.forward(" in tour
    tour = re.sub(r"^tcx\.reproduce\(", "# tcx.reproduce(", tour, flags=re.M)
    (tmp_path / "examples").symlink_to(os.path.join(SOURCE, "examples"))
    (tmp_path / "tour.py").write_text(tour)
    env = dict(os.environ, PYTHONPATH=BUILD_PY, MPLBACKEND="Agg")
    p = subprocess.run([sys.executable, "tour.py"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
