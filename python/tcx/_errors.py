"""The exceptions of tcx. Messages are the command line's (``tcx: error: MESSAGE``, without the prefix)."""

from __future__ import annotations

from typing import Optional


class Error(Exception):
    """Any error reported by tcx."""


class ParseError(Error):
    """A syntax or semantic error in an input file or text: ``file:line:col: message``.

    Attributes: ``file``, ``line``, ``column`` (1-based; None for a file that has no lines, such as
    an ONNX model) and ``message`` (without the location).
    """

    def __init__(self, text: str, file: str = "", line: Optional[int] = None, column: Optional[int] = None, message: str = ""):
        super().__init__(text)
        self.file = file
        self.line = line
        self.column = column
        self.message = message or text


class ModelError(Error):
    """An invalid model spec; ``path`` is the JSON pointer of the offending value (e.g. ``/layers/0/weights``)."""

    def __init__(self, text: str, path: str = ""):
        super().__init__(text)
        self.path = path


class IoError(Error, OSError):
    """A file that cannot be read or written (missing, too large, or existing without ``force=True``)."""


class UsageError(Error, ValueError):
    """A bad argument: out of range, unknown name, wrong size (the command line's exit status 2)."""


class LimitError(Error):
    """A size bound refused the work: the circuit would exceed ``max_wires`` (see :func:`tcx.set_limits`)."""


class BudgetError(LimitError):
    """A time budget ran out before an answer (the command line's "unknown", exit status 3)."""


class CheckError(Error):
    """A compiled circuit disagrees with its reference (``compile(..., check=True)``); ``counterexample`` has the input."""

    def __init__(self, text: str, counterexample: dict | None = None):
        super().__init__(text)
        self.counterexample = counterexample or {}
