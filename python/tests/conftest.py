"""Shared fixtures: the freshly built package (never an installed one), the tcx binary, the sources.

CTest passes TCX_PYTHON_DIR (build/python, where the build assembles the package), TCX_BIN and
TCX_SOURCE_DIR; run by hand, the defaults assume the build directory is <source>/build.
"""

import json
import os
import subprocess
import sys

import pytest

SOURCE = os.environ.get("TCX_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_PY = os.environ.get("TCX_PYTHON_DIR") or os.path.join(SOURCE, "build", "python")
TCX_BIN = os.environ.get("TCX_BIN") or os.path.join(SOURCE, "build", "tcx")

sys.path.insert(0, BUILD_PY)
import tcx  # noqa: E402

if not os.path.realpath(tcx.__file__).startswith(os.path.realpath(BUILD_PY)):
    raise RuntimeError(f"tests would import {tcx.__file__}, not the build in {BUILD_PY}")


def run_cli(*args, status=0, json_out=False, cwd=SOURCE):
    """Runs the tcx binary; returns stdout (parsed when json_out), checking the exit status."""
    p = subprocess.run([TCX_BIN, *map(str, args)], capture_output=True, text=True, cwd=cwd)
    assert status is None or p.returncode == status, f"tcx {' '.join(map(str, args))}: status {p.returncode}\n{p.stderr}"
    return json.loads(p.stdout) if json_out else p.stdout


def run_cli_error(*args):
    """The error line (stderr) of a failing tcx command, without its 'tcx: error: ' prefix."""
    p = subprocess.run([TCX_BIN, *map(str, args)], capture_output=True, text=True, cwd=SOURCE)
    assert p.returncode != 0
    line = p.stderr.strip().splitlines()[-1]
    return line.removeprefix("tcx: error: ")


def without_seconds(x):
    """A JSON value with every timing field removed (they differ from run to run)."""
    if isinstance(x, dict):
        return {k: without_seconds(v) for k, v in x.items() if k not in ("seconds",)}
    if isinstance(x, list):
        return [without_seconds(v) for v in x]
    return x


@pytest.fixture
def src():
    return SOURCE


@pytest.fixture(autouse=True)
def _in_source(monkeypatch):
    monkeypatch.chdir(SOURCE)
