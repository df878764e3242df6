"""Python-side methods of tcx.Circuit (the class itself is C++, in tcx._core)."""

from __future__ import annotations

import os
from typing import Any, Iterator, NamedTuple

import numpy as np

from . import _core
from ._errors import IoError, UsageError

Circuit = _core.Circuit
Lit = _core.Lit

_FORMATS = {".tc": "tc", ".json": "json", ".dot": "dot", ".aag": "aag", ".aig": "aig", ".blif": "blif", ".v": "v", ".th": "th"}


class Gate(NamedTuple):
    """One threshold gate: ``[sum weights[i] * x[fanins[i]] >= threshold]`` over node ids.

    Node 0 is the constant false, nodes 1..inputs the inputs, gates follow in topological order.
    Weights and threshold are exact Python ints (any size).
    """

    node: int
    fanins: list[int]
    weights: list[int]
    threshold: int
    level: int
    name: str


def _save(self: Circuit, path: str | os.PathLike, format: str | None = None, force: bool = False) -> None:
    """Writes the circuit to ``path``; the format from ``format`` or the extension (default tc).
    An existing file is replaced only with ``force=True``. aag, aig, blif and v lower to AND/NOT first."""
    path = os.fspath(path)
    if path == "-" or not path:
        raise UsageError("save: give a file path (tcx never writes to standard output from Python)")
    by_extension = _FORMATS.get(os.path.splitext(path)[1].lower())
    if format is None:
        format = by_extension or "tc"
    elif by_extension is not None and format in _FORMATS.values() and by_extension != format:  # as tcx export --format
        raise UsageError(f"save: format '{format}' contradicts the extension of {path} "
                         f"(leave format out, or name the file .{format})")
    self._save(path, format, bool(force))


def _stats(self: Circuit) -> dict[str, Any]:
    """Size, depth and weight statistics: the same dict as ``tcx stats --json``."""
    return self._stats()


def _as_bits(batch: Any, width: int, what: str) -> tuple[np.ndarray, bool]:
    """A (patterns, width) C-contiguous uint8 array of 0/1 and whether one pattern was given."""
    if batch is None:
        raise TypeError(f"{what}: expected an array of bits, got None")
    if isinstance(batch, str):
        text = batch.replace("_", "").replace(" ", "")
        if set(text) - {"0", "1"}:
            raise UsageError(f"{what}: a bit string takes only 0 and 1")
        batch = [c == "1" for c in text]
    a = np.asarray(batch)
    if a.dtype == np.bool_:
        pass
    elif a.dtype.kind in "iu":
        if a.size and (a.min() < 0 or a.max() > 1):
            raise UsageError(f"{what}: values must be 0 or 1")
    else:
        raise TypeError(f"{what}: expected bool or integer 0/1 values, got dtype {a.dtype}")
    single = a.ndim == 1
    if single:
        a = a.reshape(1, -1)
    if a.ndim != 2:
        raise UsageError(f"{what}: expected a 2-D array (patterns, {width}), got shape {np.shape(batch)}")
    if a.shape[1] != width:
        raise UsageError(f"{what}: patterns have {a.shape[1]} bits; expected {width}")
    if a.dtype == np.bool_:
        a = np.ascontiguousarray(a).view(np.uint8)
    else:
        a = np.ascontiguousarray(a, dtype=np.uint8)
    return a, single


def _seconds(v: Any, what: str = "time_limit") -> float:
    """A time budget read as the command line reads --time-limit: finite seconds in [0, 10^7]."""
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{what} must be a number of seconds, not {type(v).__name__}")
    v = float(v)
    if not 0 <= v <= 1e7:  # NaN and infinity fail here too
        raise UsageError(f"{what} must be seconds in [0, 10^7] (0 = none), got {v}")
    return v


def _count(v: Any, what: str, lo: int = 0, hi: int = 2**63 - 1) -> int:
    """An integer argument in [lo, hi]: TypeError for another type, UsageError out of range (the
    library's C++ side would otherwise answer with a cast error, or wrap a negative count)."""
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{what} must be an int, not {type(v).__name__}")
    v = int(v)
    if not lo <= v <= hi:
        raise UsageError(f"{what} = {v} is out of range ({lo}..{hi})")
    return v


def _eval(self: Circuit, batch: Any, threads: int = 0) -> np.ndarray:
    """Outputs on a batch of input patterns: rows are patterns, columns inputs (input i = column i).

    ``batch`` is a bool or 0/1 integer array of shape (patterns, inputs), or one pattern of shape
    (inputs,). Returns a bool array (patterns, outputs), or (outputs,) for one pattern. Runs on the
    bit-parallel simulator, 64 patterns per machine word, on all cores (``threads=0``).
    """
    a, single = _as_bits(batch, self.inputs, "eval")
    out = self._eval_u8(a, _count(threads, "threads", 0, 1024)).view(np.bool_)
    return out[0] if single else out


def _truth_table(self: Circuit, max_inputs: int = 24) -> np.ndarray:
    """Every output on every input: a bool array (2^inputs, outputs); row p sets input i to bit i of p."""
    return self._truth_table(_count(max_inputs, "max_inputs", 0, 32)).view(np.bool_)


def _index(i: Any, count: int, what: str) -> int:
    """A 0-based index among ``count`` items, negative from the end as a list's: TypeError for
    another type, IndexError naming the index and the valid range."""
    if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
        raise TypeError(f"{what} index must be an int, not {type(i).__name__}")
    i = int(i)
    if not -count <= i < count:
        has = f"{count} {what}{'' if count == 1 else 's'} (0..{count - 1}, or -{count}..-1 from the end)" if count else f"no {what}s"
        raise IndexError(f"{what} {i} out of range: the circuit has {has}")
    return i % count


def _gate(self: Circuit, i: int) -> Gate:
    """Gate ``i`` (0-based gate index; negative counts from the end)."""
    return Gate(*self._gate(_index(i, self.gates, "gate")))


def _gates_iter(self: Circuit) -> Iterator[Gate]:
    """Every gate in topological order."""
    for i in range(self.gates):
        yield Gate(*self._gate(i))


def _output_literals(self: Circuit) -> list[tuple[Lit, str]]:
    """Each output as (literal, name); a literal may be negated, an input or a constant."""
    return [(Lit(node, neg), name) for node, neg, name in self._outputs()]


def _names(self: Circuit) -> list[str]:
    """Input names ('' when anonymous), input 0 first."""
    return [self._node_name(1 + i) for i in range(self.inputs)]


def _to_networkx(self: Circuit):
    """The circuit as a networkx.DiGraph: nodes are node ids with attributes ``kind`` ('constant',
    'input', 'gate'), ``name``, and for gates ``threshold`` and ``level``; an edge u -> v carries the
    ``weight`` of u in gate v. ``graph.graph['outputs']`` lists (node, negated, name)."""
    try:
        import networkx as nx
    except ImportError as e:  # pragma: no cover - networkx is optional
        raise ImportError("to_networkx needs networkx (apt-get install python3-networkx)") from e
    g = nx.DiGraph()
    g.add_node(0, kind="constant", name="")
    for i in range(self.inputs):
        g.add_node(1 + i, kind="input", name=self._node_name(1 + i), index=i)
    for gate in _gates_iter(self):
        g.add_node(gate.node, kind="gate", name=gate.name, threshold=gate.threshold, level=gate.level)
        for f, w in zip(gate.fanins, gate.weights):
            g.add_edge(f, gate.node, weight=w)
    g.graph["outputs"] = list(self._outputs())
    return g


class EquivResult:
    """The answer of :meth:`Circuit.equiv`: ``verdict`` is 'equal', 'different' or 'unknown'.

    ``facts`` is the dict ``tcx equiv --json`` prints; ``counterexample`` (on a difference) has the
    inputs and both outputs as bit strings, input 0 first. ``bool(result)`` is True when equal.
    """

    def __init__(self, facts: dict):
        self.facts = facts
        self.verdict: str = facts["verdict"]
        self.counterexample: dict | None = facts.get("counterexample")

    @property
    def equal(self) -> bool:
        return self.verdict == "equal"

    def __bool__(self) -> bool:
        return self.equal

    def __repr__(self) -> str:
        return f"EquivResult(verdict={self.verdict!r}, counterexample={self.counterexample!r})"


def _equiv(self: Circuit, other: Circuit, *, sat: bool = False, max_exhaustive: int = 32, patterns: int = 1 << 22,
           seed: int = 1, time_limit: float | None = None, encoding: str = "auto", conflicts: int = 0,
           threads: int = 0, solver: str | None = None, cross_check: bool = False) -> EquivResult:
    """Do both circuits compute the same outputs (inputs and outputs matched by position)?

    By default exhaustive simulation up to ``max_exhaustive`` inputs (a proof), random patterns
    beyond (a difference is certain, none found is 'unknown'); with ``sat=True`` a SAT miter (a
    proof either way, or 'unknown' when ``time_limit`` CPU seconds, default 300, or ``conflicts``
    run out; ``solver`` 'cms' or 'cadical', ``cross_check`` asks both). The same as ``tcx equiv A B --json``.
    """
    if not isinstance(other, Circuit):
        raise TypeError("equiv: other must be a tcx.Circuit")
    if encoding not in ("auto", "bdd", "adder"):
        raise UsageError("encoding must be auto, bdd or adder")
    if not sat and (encoding != "auto" or conflicts or solver is not None or cross_check):
        raise UsageError("encoding, conflicts, solver and cross_check need sat=True")
    if solver is not None and solver not in ("cms", "cadical"):
        raise UsageError("solver must be cms or cadical")
    if time_limit is not None:
        time_limit = _seconds(time_limit)
    return EquivResult(self._equiv(other, bool(sat), _count(max_exhaustive, "max_exhaustive", 0, 40), _count(patterns, "patterns", 1, 1 << 40),
                                   _count(seed, "seed", 0, 2**64 - 1), time_limit, encoding, _count(conflicts, "conflicts"),
                                   _count(threads, "threads", 0, 1024), solver or _core._default_solver, bool(cross_check)))


_load_file = _core.Circuit.load  # the C++ reader, before load is replaced by _load below


def _load(path: str | os.PathLike) -> Circuit:
    """Reads a circuit file; the format from the extension: .tc .aag .aig .blif .th"""
    return _load_file(os.fspath(path))


def _get_layout(self: Circuit) -> Any:
    """The ONNX model's layout a compiled model's circuit carries (a tcx.OnnxLayout: which wires
    hold which tensor element), or None."""
    return self.__dict__.get("_layout")


def _set_layout(self: Circuit, layout: Any) -> None:
    # Checked here, not when the layout is first used: a wrong value fails where it was given.
    kind = getattr(_core, "OnnxLayout", None)
    if layout is not None and (kind is None or not isinstance(layout, kind)):
        raise TypeError(f"layout must be a tcx.OnnxLayout (tcx.compile of an ONNX model gives one) or None, not {type(layout).__name__}")
    if layout is not None and (layout.input_bits != self.inputs or layout.output_bits != self.outputs):
        raise UsageError(f"the layout has {layout.input_bits} input and {layout.output_bits} output wires; the circuit has "
                         f"{self.inputs} inputs and {self.outputs} outputs")
    self.__dict__["_layout"] = layout


def _install() -> None:
    C = _core.Circuit
    C.load = staticmethod(_load)
    C.save = _save
    C.stats = _stats
    C.eval = _eval
    C.truth_table = _truth_table
    C.gate = _gate
    C.gates_iter = _gates_iter
    C.output_literals = _output_literals
    C.input_names = _names
    C.to_networkx = _to_networkx
    C.equiv = _equiv
    C.layout = property(_get_layout, _set_layout)
    C.__module__ = "tcx"
    Lit.__module__ = "tcx"
    _core.Builder.__module__ = "tcx"


_install()
