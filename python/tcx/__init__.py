"""tcx: threshold-circuit explorer, in Python.

The same C++ libraries as the ``tcx`` command, bound with pybind11: compile models and tasks to
threshold circuits, measure depth and size over n, evaluate circuits on numpy arrays, and ask SAT
what bounded-depth threshold circuits can compute. docs/python.md has a tour.

    >>> import tcx
    >>> c = tcx.compile("mlp_majority", 8)          # a zoo model at n = 8
    >>> c.depth, c.gates
    >>> c.eval(np.eye(8, dtype=bool))               # rows are patterns, columns inputs
    >>> tcx.family("ssm_s5", "4..256").verdict

Conventions: input i is bit i of a pattern index (truth tables), column i of a batch; long calls
release the GIL and stop on Ctrl-C; errors are :class:`tcx.Error` subclasses with the command
line's messages; nothing is printed on standard output.
"""

from __future__ import annotations

from . import _errors
from ._errors import BudgetError, CheckError, Error, IoError, LimitError, ModelError, ParseError, UsageError
from . import _core
from ._circuit import Circuit, EquivResult, Gate, Lit
from ._api import (
    BoundsResult,
    DiffusionFamilyResult,
    DiffusionResult,
    FamilyResult,
    FrontierResult,
    ReportResult,
    SynthResult,
    Task,
    VerifyResult,
    bounds,
    cell,
    cells,
    check_model,
    compile,
    depth,
    diffusion,
    diffusion_family,
    family,
    frontier,
    limits,
    reproduce,
    set_limits,
    synth,
    task,
    tasks,
    verify,
    zoo,
)
from ._onnx import OnnxLayout, TensorLayout, from_torch

__version__: str = _core.__version__

Builder = _core.Builder
TRUE: Lit = _core.TRUE
FALSE: Lit = _core.FALSE


def load(path) -> Circuit:
    """Reads a circuit file (.tc .aag .aig .blif .th); the same as :meth:`Circuit.load`."""
    return Circuit.load(path)


__all__ = [
    "BoundsResult", "Builder", "BudgetError", "CheckError", "Circuit", "DiffusionFamilyResult", "DiffusionResult",
    "EquivResult", "Error", "FALSE", "FamilyResult", "FrontierResult", "Gate", "IoError", "LimitError", "Lit", "ModelError",
    "OnnxLayout", "TensorLayout",
    "ParseError", "ReportResult", "SynthResult", "TRUE", "Task", "UsageError", "VerifyResult", "__version__", "bounds",
    "cell", "cells", "check_model", "compile", "depth", "diffusion", "diffusion_family", "family", "frontier",
    "from_torch", "limits", "load", "reproduce", "set_limits", "synth", "task", "tasks", "verify", "zoo",
]
