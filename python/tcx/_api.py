"""The functions of the tcx package: models, families, cells, tasks, SAT answers, diffusion, the report."""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from . import _core, _onnx
from ._circuit import Circuit, _as_bits, _seconds
from ._errors import BudgetError, CheckError, UsageError

# ---------------------------------------------------------------------------------------------
# Arguments


def _spec(spec: Any) -> tuple[str, str, str]:
    """A model spec as (kind, value, label): a dict, JSON text, a file, or a zoo model by name."""
    if isinstance(spec, Mapping):
        return "text", json.dumps(dict(spec)), "<dict>"
    if isinstance(spec, os.PathLike):
        spec = os.fspath(spec)
    if isinstance(spec, (bytes, bytearray)):
        try:
            spec = bytes(spec).decode()
        except UnicodeDecodeError as e:
            raise UsageError(f"spec: bytes that are not UTF-8 text (a JSON spec), byte {e.start}") from None
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a path, a JSON string or a dict, not {type(spec).__name__}")
    if spec.lstrip().startswith("{"):
        return "text", spec, "<string>"
    if os.path.exists(spec):
        return "path", spec, spec
    # The zoo built into the library: examples/models/NAME.json, by path, file name or name.
    for file, text in _core._zoo():
        base = os.path.basename(file)
        if spec in (file, base, os.path.splitext(base)[0]):
            return "text", text, file
    return "path", spec, spec


def _int(v: Any, what: str, lo: int | None = None, hi: int | None = None) -> int:
    """An int argument: TypeError for another type; UsageError outside [lo, hi] (by default, what
    the library's 64-bit integers hold: a larger Python int would fail in a cast, not say why)."""
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{what} must be an int, not {type(v).__name__}")
    v = int(v)
    lo = -(2**63) if lo is None else lo
    hi = (2**64 - 1 if lo >= 0 else 2**63 - 1) if hi is None else hi
    if v < lo or v > hi:
        raise UsageError(f"{what} = {v} is out of range ({lo}..{hi})")
    return v


_MAX_SIZE = 2**24  # the largest n of models and sweeps, as the commands' --n (cli/common.hpp max_size)


def _n(n: Any) -> int:
    """A model's input size: 1..2^24, as ``tcx compile --n`` takes it."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if not 1 <= n <= _MAX_SIZE:
        raise UsageError(f"n = {int(n)} is out of range (1..2^24 = {_MAX_SIZE})")
    return int(n)


def _sizes(ns: Any, step: str = "x2", what: str = "ns") -> list[int]:
    """Sizes as a list: ints as given, or "A..B" with a step "xK" (multiply) or "+K" (add), read by
    the commands' own code (so a range past 2^24 is refused up front, in the same words)."""
    if isinstance(ns, (int, np.integer)) and not isinstance(ns, bool):
        ns = [ns]
    if isinstance(ns, str):
        if not isinstance(step, str):
            raise TypeError(f"step must be a string such as 'x2' or '+1', not {type(step).__name__}")
        return _core._size_range(ns, step, what)
    if ns is None:
        raise TypeError(f"{what} must be sizes, not None")
    out = [_int(v, what) for v in ns]
    if not out:
        raise UsageError(f"{what}: no sizes")
    if min(out) < 1:
        raise UsageError(f"{what} {min(out)}: sizes are 1..2^24 = {_MAX_SIZE}")
    if len(out) > 10000:
        raise UsageError(f"{what}: more than 10000 sizes")
    if max(out) > _MAX_SIZE:
        raise UsageError(f"{what} {max(out)}: sizes above 2^24 = {_MAX_SIZE} are not supported")
    # Each size once, in increasing order: a fit over repeats would count one measurement as many.
    out.sort()
    twice = next((a for a, b in zip(out, out[1:]) if a == b), None)
    if twice is not None:
        raise UsageError(f"{what}: {twice} given more than once (each size once)")
    return out


def _params(params: Mapping[str, int] | None, extra: Mapping[str, int] | None = None) -> dict[str, int]:
    p = dict(params or {})
    p.update(extra or {})
    for k, v in p.items():
        if not isinstance(k, str):
            raise TypeError(f"parameter names are strings, not {type(k).__name__}")
        _int(v, f"parameter {k}", -(2**63), 2**63 - 1)
    return {k: int(v) for k, v in p.items()}


def _solver(solver: str | None) -> str:
    if solver is None:
        return _core._default_solver
    if solver not in ("cms", "cadical"):
        raise UsageError("solver must be cms or cadical")
    return solver


def _method(method: str) -> str:
    if method not in ("weights", "tt", "auto", "descent"):
        raise UsageError("method must be weights, tt, auto or descent")
    return method


def _descent(descent: float, method: str, time_limit: float, solver: str | None = None, cross_check: bool = False,
             conflicts: int = 0) -> float:
    """The descent budget before SAT, checked against the method as the commands check it (the
    SAT method's choices are refused with method='descent', which asks no SAT question of its own)."""
    seconds = _seconds(descent, "descent")
    for name, given in (("solver", solver is not None), ("cross_check", bool(cross_check)), ("conflicts", bool(conflicts))):
        if method == "descent" and given:
            raise UsageError(f"{name} is for the SAT method; method='descent' asks none (its repairs use CaDiCaL with their own budget)")
    if method == "descent" and seconds > 0:
        raise UsageError("descent=SEC runs descent before SAT; with method='descent', time_limit is its budget")
    if method == "descent" and not time_limit > 0:
        raise UsageError("method='descent' needs a time_limit above 0 (its budget)")
    return seconds


_TT_KEYS = ("cubes", "signed_sources", "sign_symmetry", "float_lp", "input_symmetry", "dual_cubes")


def _tt(tt: Mapping[str, Any] | None, method: str) -> tuple[int, bool, bool, bool, bool, bool]:
    """The tt method's search choices (``--tt-*`` of the commands) as the core takes them: cubes
    (-1: auto, -2: on the output's function), signed sources, the sign rule, the float LP, the input symmetries, one cube
    per pair of dual output functions."""
    tt = dict(tt or {})
    unknown = set(tt) - set(_TT_KEYS)
    if unknown:
        raise UsageError(f"unknown tt option(s): {', '.join(sorted(map(str, unknown)))} (known: {', '.join(_TT_KEYS)})")
    if tt and method in ("weights", "descent"):
        raise UsageError(f"the tt options choose how the tt method searches; not for method='{method}'")
    cubes = tt.get("cubes", "auto")
    if isinstance(cubes, str) and cubes not in ("auto", "output"):
        raise UsageError(f"tt cubes must be 'auto', 'output' or 0..16, not {cubes!r}")
    cubes = {"auto": -1, "output": -2}[cubes] if isinstance(cubes, str) else _int(cubes, "tt cubes", 0, 16)
    return (cubes, bool(tt.get("signed_sources", True)), bool(tt.get("sign_symmetry", True)), bool(tt.get("float_lp", True)),
            bool(tt.get("input_symmetry", True)), bool(tt.get("dual_cubes", True)))


class _Result:
    """Base of the result objects: ``facts`` is the dict the matching ``tcx ... --json`` prints."""

    facts: dict

    def __getitem__(self, key: str) -> Any:
        return self.facts[key]

    def __repr__(self) -> str:
        shown = {k: v for k, v in vars(self).items() if k not in ("facts", "circuit", "records", "rows", "data")}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in shown.items())})"


# ---------------------------------------------------------------------------------------------
# Models


def compile(spec: Any, n: int | None = None, *, check: bool = False, exhaustive_bits: int = 20, random: int = 100000,
            seed: int = 1, input: str = "bits", softmax: str | None = None) -> Circuit:
    """Compiles a model spec at input size ``n`` to a threshold circuit (``tcx compile``).

    ``spec`` is a path to a JSON spec (or an ``.onnx`` model), a JSON string, a dict, the name of
    a zoo model (``"mlp_majority"``), or an ONNX model in memory (an ``onnx.ModelProto`` or its
    serialized bytes). With ``check=True`` the circuit is also compared with the
    model's reference interpreter (every input up to ``exhaustive_bits`` input bits, else ``random``
    seeded inputs) and :class:`tcx.CheckError` is raised on a difference.

    An ONNX model has its input size in the file: ``n`` is not used, and ``input`` says what one
    input element is ("bits", "signs", "int:B", "uint:B"; ``tcx compile --input``), and
    ``softmax="argmax"`` replaces a Softmax feeding ArgMax, or returned, by ArgMax of its input (the
    predicted class, exact; ``tcx compile --softmax argmax``; by default a Softmax is refused).
    """
    model = _onnx.model_bytes(spec)
    if model is not None or _onnx.is_onnx(spec):
        if n is not None:
            raise UsageError("n does not apply to an ONNX model (its sizes are in the file)")
        if model is not None:
            return _onnx._compile_onnx_source(model, "<bytes>", input, check, exhaustive_bits, random, seed, softmax or "refuse")
        return _onnx.compile_onnx(spec, input=input, check=check, exhaustive_bits=exhaustive_bits, random=random, seed=seed,
                                  softmax=softmax or "refuse")
    kind, value, label = _spec(spec)
    if softmax is not None:
        raise UsageError("softmax applies to ONNX models only")
    if n is None:
        raise TypeError("compile: give the input size n")
    c = _core._compile(kind, value, label, _n(n))
    if check:
        r = check_model(spec, n, c, exhaustive_bits=exhaustive_bits, random=random, seed=seed)
        if not r["agree"]:
            ce = r["counterexample"]
            raise CheckError(f"check FAILED: circuit and reference interpreter differ on input {ce['inputs']}: "
                             f"circuit {ce['circuit']}, reference {ce['reference']}", ce)
    return c


def check_model(spec: Any, n: int, circuit: Circuit, *, exhaustive_bits: int = 20, random: int = 100000,
                seed: int = 1) -> dict[str, Any]:
    """Compares ``circuit`` (the model compiled at ``n``) with the model's reference interpreter:
    {'agree', 'exhaustive', 'inputs_checked', 'counterexample' (on a difference)}."""
    if not isinstance(circuit, Circuit):
        raise TypeError(f"check_model: circuit must be a tcx.Circuit (tcx.compile's answer), not {type(circuit).__name__}")
    kind, value, label = _spec(spec)
    return _core._check_model(kind, value, label, _n(n), circuit, _int(exhaustive_bits, "exhaustive_bits", 0, 30),
                              _int(random, "random", 0), _int(seed, "seed", 0))


def depth(spec: Any, n: int | None = None, *, time_limit: float = 600, input: str = "bits",
          softmax: str | None = None) -> dict[str, Any]:
    """Depth, gates, wires and weights of a model at size ``n``, counted without storing the
    circuit: the dict ``tcx depth --json`` prints. :class:`tcx.BudgetError` past ``time_limit`` s.

    An ONNX model (``"model.onnx"``) has its sizes in the file: no ``n``; ``input`` and ``softmax``
    as for :func:`compile`. The dict then names the ``model`` and its ``substitutions``."""
    if _onnx.is_onnx(spec):
        if n is not None:
            raise UsageError("n does not apply to an ONNX model (its sizes are in the file)")
        return _onnx.depth_onnx(spec, input, softmax or "refuse", _seconds(time_limit))
    if softmax is not None:
        raise UsageError("softmax applies to ONNX models only")
    if n is None:
        raise TypeError("depth: give the input size n")
    kind, value, label = _spec(spec)
    return _core._depth(kind, value, label, _n(n), _seconds(time_limit))


class FamilyResult(_Result):
    """A family over n (``tcx family --json``): ``records`` (one dict per size: n, depth, gates,
    wires, max_weight_bits, seconds; ``pandas.DataFrame(records)`` takes them as is), ``verdict``
    (the fitted verdict), ``fit`` (the fit's figures), ``stopped`` (None, or why the sweep stopped
    early: the time limit, or an error at a size after the first, such as the size bound; the
    records hold the sizes measured before)."""

    def __init__(self, facts: dict):
        self.facts = facts
        self.family: str = facts["family"]
        self.mode: str = facts["mode"]
        self.records: list[dict] = facts["sizes"]
        self.fit: dict = facts["fit"]
        self.verdict: str = facts["fit"]["verdict"]
        # None when undecided: constant depth, the size's growth not settled by the range.
        self.consistent_with_tc0: bool | None = facts["fit"].get("consistent_with_tc0", False)
        self.stopped: str | None = facts.get("stopped")


def family(spec: Any = None, ns: Any = None, *, task: str | None = None, over: str | None = None,
           params: Mapping[str, int] | None = None, step: str = "x2", materialize: bool = False,
           time_limit: float = 600) -> FamilyResult:
    """Depth and size of a model (or of a task's natural circuit, ``task=NAME``) over sizes ``ns``
    (a list, or "A..B" with ``step`` "x2" / "+K"; at most 2^24), and the fitted verdict (``tcx family``).
    ONNX models are a file pattern with ``{n}``, one exported model per size: ``"mlp_{n}.onnx"``.
    An error at a size after the first ends the sweep: the result keeps the sizes measured and
    ``stopped`` says why, as the command does."""
    if ns is None:
        raise TypeError("family: give the sizes ns")
    sizes = _sizes(ns, step)
    time_limit = _seconds(time_limit)
    if (spec is None) == (task is None):
        raise UsageError("give either a model spec or task=NAME")
    if task is not None:
        return FamilyResult(_core._family_task(task, sizes, over or "", _params(params), float(time_limit)))
    if over is not None or params:
        raise UsageError(f"{'over' if over is not None else 'params'} applies with task=NAME; a model spec's n is its input size")
    if _onnx.is_onnx(spec):
        if materialize:
            raise UsageError("materialize applies to JSON specs")
        return FamilyResult(_onnx.family_onnx(spec, sizes, time_limit))
    kind, value, label = _spec(spec)
    return FamilyResult(_core._family_model(kind, value, label, sizes, bool(materialize), float(time_limit)))


def zoo() -> list[str]:
    """The model zoo built into the library: names usable as specs."""
    return [os.path.splitext(os.path.basename(f))[0] for f, _ in _core._zoo()]


# ---------------------------------------------------------------------------------------------
# Cells and tasks


def cells() -> list[dict[str, Any]]:
    """The arithmetic cells with their depth and size formulas (``tcx cells --json``)."""
    return _core._cells()


def cell(name: str, bits: int = 8, count: int | None = None) -> Circuit:
    """One arithmetic cell as a circuit (``tcx cell NAME --bits K --count M``)."""
    return _core._cell(str(name), _int(bits, "bits"), 0 if count is None else _int(count, "count", 1, 4096))


def tasks() -> list[dict[str, Any]]:
    """The task families with parameters, complexity class and encoding (``tcx tasks --json``)."""
    return _core._tasks()


class Task:
    """One task instance family at given parameters (``tcx task``): the natural circuit, the
    reference solver and random instances. Parameters not given take their defaults."""

    def __init__(self, name: str, **params: int):
        self._t = _core._Task(str(name), _params(params))

    name = property(lambda self: self._t.name)
    params = property(lambda self: dict(self._t.params), doc="every parameter, defaults filled in")
    input_bits = property(lambda self: self._t.input_bits)
    output_bits = property(lambda self: self._t.output_bits)
    description = property(lambda self: self._t.description)
    complexity = property(lambda self: self._t.complexity)
    encoding = property(lambda self: self._t.encoding)
    serial = property(lambda self: self._t.serial)

    def circuit(self) -> Circuit:
        """The natural circuit (``tcx task NAME --emit circuit``)."""
        return self._t.circuit()

    def solve(self, bits: Any) -> np.ndarray:
        """The reference answer: ``bits`` one instance (a bit string, input 0 first, or an array of
        input_bits) -> bool array (output_bits,); or a batch (instances, input_bits) -> (instances, output_bits)."""
        a, single = _as_bits(bits, self.input_bits, "solve")
        out = self._t._solve(a).view(np.bool_)
        return out[0] if single else out

    def random(self, n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """``n`` seeded random instances and their answers, as ``tcx task --random N --seed S``:
        (inputs (n, input_bits), answers (n, output_bits)) bool arrays."""
        x, y = self._t._random(_int(n, "n", 0, 1 << 24), _int(seed, "seed", 0, 2**64 - 1))
        return x.view(np.bool_), y.view(np.bool_)

    def __repr__(self) -> str:
        return f"tcx.Task({self.name!r}, {', '.join(f'{k}={v}' for k, v in self.params.items())})"


def task(name: str, **params: int) -> Task:
    """A task at parameters, e.g. ``tcx.task("eca", steps=8)``; see :func:`tcx.tasks`."""
    return Task(name, **params)


# ---------------------------------------------------------------------------------------------
# SAT-backed answers


class SynthResult(_Result):
    """The answer of :func:`tcx.synth`: ``answer`` is 'found' (``circuit`` verified on every input),
    'none' (no circuit of the shape; ``for_all_weights`` says whether for any weights or only within
    ``weight_bound``) or 'unknown' (the budget ran out). ``facts`` is ``tcx synth --json``'s dict."""

    def __init__(self, facts: dict, circuit: Circuit | None):
        self.facts = facts
        self.answer: str = {"sat": "found", "unsat": "none"}.get(facts["answer"], "unknown")
        self.circuit = circuit
        self.depth: int | None = facts.get("depth")
        self.gates: int | None = facts.get("gates")
        self.for_all_weights: bool | None = facts.get("for_all_weights")
        self.weight_bound: int = facts["weight_bound"]
        self.solver_calls: int = facts["solver_calls"]
        self.seconds: float = facts["seconds"]


def _truth_from(function: Any, inputs: int | None) -> tuple[int, np.ndarray]:
    """(n, table (2^n, outputs) uint8) from a Circuit, a Task, hex tables, or a numpy table."""
    if isinstance(function, Task):
        function = function.circuit()
    if isinstance(function, Circuit):
        if function.inputs > 22:
            raise UsageError("synth: the function has more than 22 inputs")
        return function.inputs, function.truth_table(22).view(np.uint8)
    if isinstance(function, str) or (isinstance(function, (list, tuple)) and function and all(isinstance(h, str) for h in function)):
        hexes = [function] if isinstance(function, str) else list(function)
        if inputs is None:
            raise UsageError("synth: hex tables need inputs=N")
        n = _int(inputs, "inputs", 1, 22)
        rows, digits = 1 << n, max(1, (1 << n) // 4)
        table = np.zeros((rows, len(hexes)), dtype=np.uint8)
        for o, h in enumerate(hexes):
            if not h or len(h) > digits:
                raise UsageError(f"synth: --table '{h}' needs at most {digits} hex digits for {n} inputs")
            try:
                v = int(h, 16)
            except ValueError:
                raise UsageError(f"synth: --table '{h}' is not hexadecimal") from None
            if v >> rows:
                raise UsageError(f"synth: --table '{h}' has rows beyond 2^inputs")
            for p in range(rows):
                table[p, o] = (v >> p) & 1
        return n, table
    if function is None:
        raise TypeError("synth: give the function (a Circuit, a Task, hex tables or a truth table)")
    a = np.asarray(function)
    if a.dtype != np.bool_ and a.dtype.kind not in "iu":
        raise TypeError(f"synth: a truth table must be bool or 0/1 integers, not {a.dtype}")
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2:
        raise UsageError("synth: a truth table has shape (2^inputs,) or (2^inputs, outputs)")
    rows = a.shape[0]
    n = rows.bit_length() - 1
    if rows < 2 or rows != 1 << n or n > 22:
        raise UsageError(f"synth: a truth table needs 2^n rows with 1 <= n <= 22, got {rows}")
    if inputs is not None and inputs != n:
        raise UsageError(f"synth: the table has 2^{n} rows but inputs={inputs}")
    if a.dtype != np.bool_ and a.size and (a.min() < 0 or a.max() > 1):
        raise UsageError("synth: table values must be 0 or 1")
    return n, np.ascontiguousarray(a, dtype=np.uint8)


def _widths(widths: Any) -> tuple[list[int], str]:
    if isinstance(widths, str):
        try:
            ws = [int(w) for w in widths.split(",")]
        except ValueError:
            raise UsageError(f"--widths: '{widths}' is not a list of integers") from None
        return ws, widths
    if isinstance(widths, (int, np.integer)):
        widths = [widths]
    ws = [_int(w, "widths", 1, 64) for w in widths]
    return ws, ",".join(map(str, ws))


def synth(function: Any, widths: Any, *, inputs: int | None = None, skip: bool = False, max_fanin: int = 0,
          max_weight: int = 0, majority: int = 0, complement: bool = True, symmetry: bool = True,
          time_limit: float = 60, conflicts: int = 0, seed: int = 1, method: str = "auto", solver: str | None = None,
          cross_check: bool = False, care: Any = "all", tt: Mapping[str, Any] | None = None,
          jobs: int = 1, descent: float = 0, batch: int = 0, state: str | os.PathLike | None = None,
          resume: bool = False, restart: bool = False, certify: bool = False, cubes: int | None = None) -> SynthResult:
    """Is there a threshold circuit of the shape ``widths`` (gates per layer, inputs side first; the
    last layer gives the outputs) computing ``function`` on every input? (``tcx synth``)

    ``function``: a Circuit, a Task, hex truth tables (a string or list, with ``inputs=N``; bit p =
    row p), or a bool array (2^n,) / (2^n, outputs). ``skip``: gates read the inputs and every
    earlier layer. ``majority=K``: MAJ-K gates instead of threshold gates. ``time_limit``: solver
    CPU seconds in all. ``method``: 'weights' (weights in binary), 'tt' (gate truth tables,
    thresholdness checked exactly) or 'auto'; ``solver``: 'cms' or 'cadical' (default: the
    library's); ``cross_check``: both solvers on every query. ``care``: the inputs the circuit must
    get right: 'all' (default), 'valid' (``function`` a Task: its valid encodings only, as
    ``tcx synth --care valid``; the others are don't-cares) or a bool array of 2^n rows. ``tt``: the
    tt method's search choices, e.g. ``{"cubes": 0, "signed_sources": False, "sign_symmetry": False,
    "float_lp": False, "input_symmetry": False, "dual_cubes": False}`` (the commands' ``--tt-*``; each on
    by default, cubes "auto"; "output": one cube per function the output gate may compute of its hidden
    gates, for layered k,1 shapes, k <= 6; "dual_cubes": of two dual such functions one alone, when the
    function is self-dual). ``jobs``: tt's cubes and descent's restarts on that many threads (``time_limit``
    and ``descent`` then count their CPU together). ``method='descent'``: no SAT, gradient descent for ``time_limit`` CPU seconds and an
    exact refit of every gate: 'found' or 'unknown', never 'none'. ``descent``: that many CPU seconds
    of descent before the SAT method (``tcx synth --descent``). ``batch``: descent's cared inputs per
    gradient step, drawn at random (0, the default: all of them up to 65,536, else 8,192;
    ``tcx synth --batch``). ``state``: a file recording the answer of each of tt's cubes as it
    comes (``tcx synth --state``; the two read each other's files): ``resume=True`` continues a run
    that was stopped or killed, asking only the cubes without an answer (those left unknown too),
    ``restart=True`` replaces the file; each cube then has its own ``time_limit`` and
    ``conflicts``, and ``jobs`` threads take the cubes. ``cubes=K``: the weights method's
    cube-and-conquer (``tcx synth --cubes K``): 3^K cubes on the first gate's weight signs, each
    with the full ``time_limit``, recorded in ``state`` when given. ``certify``: a 'none' only with its DRAT
    proofs checked by tcx's checker (and, for the tt method, every clause checked sound), as
    ``tcx synth --certify``: otherwise 'unknown'; ``facts["certified"]`` says so. Ctrl-C stops it
    (KeyboardInterrupt).
    """
    if batch and method != "descent" and not descent:
        raise UsageError("batch is for descent (method='descent' or descent=SEC)")
    state_path = _state_file(state, resume, restart, certify)
    n, table = _truth_from(function, inputs)
    ws, text = _widths(widths)
    care_rows = _care_rows(function, care, n)
    facts, circuit = _core._synth(n, table, ws, text, bool(skip), _int(max_fanin, "max_fanin", 0), _int(max_weight, "max_weight", 0),
                                  _int(majority, "majority", 0), bool(complement), bool(symmetry), _seconds(time_limit),
                                  _int(conflicts, "conflicts", 0), _int(seed, "seed", 0), _method(method), _solver(solver),
                                  bool(cross_check), care_rows, *_tt(tt, method), _int(jobs, "jobs", 1, 256),
                                  _descent(descent, method, time_limit, solver, cross_check, conflicts), _int(batch, "batch", 0, 1 << 22),
                                  state_path, bool(resume), bool(restart), bool(certify),
                                  -1 if cubes is None else _int(cubes, "cubes", 0, 12),
                                  care if isinstance(care, str) else "")
    return SynthResult(facts, circuit)


def _state_file(state: Any, resume: Any, restart: Any, certify: Any) -> str:
    """A state file's path ("" for none), refusing an empty name and flags other than booleans."""
    path = "" if state is None else os.fspath(state)
    if state is not None and path == "":
        raise UsageError("state: needs a file name (or None)")
    for flag, value in (("resume", resume), ("restart", restart), ("certify", certify)):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{flag} must be True or False, not {type(value).__name__}")
    return path


def _care_rows(function: Any, care: Any, n: int) -> np.ndarray | None:
    """synth's care set as one uint8 per row, or None for every row."""
    if isinstance(care, str):
        if care == "all":
            return None
        if care != "valid":
            raise UsageError("care must be 'all', 'valid' or a bool array of 2^inputs rows")
        if not isinstance(function, Task):
            raise UsageError("care='valid' needs a Task (the valid inputs are the task's)")
        return _core._valid_inputs(function.name, function.params)
    a = np.asarray(care)
    if a.dtype != np.bool_ and (a.dtype.kind not in "iu" or ((a != 0) & (a != 1)).any()):
        raise UsageError("care must be 'all', 'valid' or a bool array of 2^inputs rows")
    if a.shape != (1 << n,):
        raise UsageError(f"care needs {1 << n} rows (2^inputs), not shape {a.shape}")
    return np.ascontiguousarray(a, dtype=np.uint8)


class FrontierResult(_Result):
    """The SAT frontier of a task (``tcx frontier --json``): ``rows``, one per size, each with the
    cells per depth ({'depth', 'status': proven_minimal / found / none / unknown, 'gates'}: the
    size, or for 'none' the budget, for 'unknown' the k of "?>k") and 'smallest_depth_by_budget';
    ``facts`` also holds the search's bounds (max_depth, max_gates, method, layered, care)."""

    def __init__(self, facts: dict):
        self.facts = facts
        self.task: str = facts["task"]
        self.over: str = facts["over"]
        self.rows: list[dict] = facts["rows"]


def frontier(task: str, sizes: Any, *, over: str | None = None, params: Mapping[str, int] | None = None, max_depth: int = 3,
             max_gates: int = 6, time_limit: float = 10, method: str = "auto", layered: bool = False,
             solver: str | None = None, cross_check: bool = False, care: str = "all", counterexamples: int = 1,
             orbits: bool = False, tt: Mapping[str, Any] | None = None, jobs: int = 1, descent: float = 0,
             tighten: float = 0, certify: bool = False, state: str | os.PathLike | None = None, resume: bool = False,
             restart: bool = False) -> FrontierResult:
    """For each size of ``task`` (a list or "A..B") and each depth up to ``max_depth``, the fewest
    threshold gates of any circuit computing it, proven minimal or not (``tcx frontier``).
    ``task``: a name (with ``params``) or a :class:`tcx.Task`, whose parameters other than ``over``
    are kept. ``time_limit``: CPU seconds per SAT query. ``care='valid'``: only the task's valid
    inputs must be right (``--care valid``); ``counterexamples``, ``orbits``: as the command's flags; ``tt``: the tt method's search
    choices, ``jobs``: threads per query for tt's cubes and descent's restarts, ``descent``: CPU seconds of descent per
    query before SAT (see :func:`synth`; a cell found above open sizes has ``at_least`` below
    ``gates``), ``tighten``: CPU seconds of descent per template for each size below such a cell's,
    tried downward after the search until one is not found (``--tighten``; a cell it improved has
    ``tightened_by``). ``certify``: UNSAT answers count only with their DRAT proofs checked (and,
    for tt, every clause checked sound), as ``--certify``; cells then carry ``certified``.
    ``state``: a file recording each settled question (found or refuted) as it comes
    (``tcx frontier --state``; the two read each other's files): ``resume=True`` continues a run
    that was stopped or killed, asking again only the questions without an answer (an unknown one
    perhaps with a larger ``time_limit``, which is not part of the question), ``restart=True``
    replaces the file."""
    state_path = _state_file(state, resume, restart, certify)
    if isinstance(task, Task):
        name = task.name
        grows = over or next(t["params"][0]["name"] for t in _core._tasks() if t["name"] == name)
        p = _params({k: v for k, v in task.params.items() if k != grows}, params)
    else:
        name, p = str(task), _params(params)
    if care not in ("all", "valid"):
        raise UsageError("care must be 'all' or 'valid'")
    return FrontierResult(_core._frontier(name, _sizes(sizes, "+1", "sizes"), over or "", p,
                                          _int(max_depth, "max_depth", 1, 6), _int(max_gates, "max_gates", 1, 16),
                                          _seconds(time_limit), _method(method), bool(layered), _solver(solver), bool(cross_check),
                                          care, _int(counterexamples, "counterexamples", 1, 64), bool(orbits), *_tt(tt, method), _int(jobs, "jobs", 1, 256),
                                          _descent(descent, method, time_limit, solver, cross_check),
                                          _seconds(tighten, "tighten"), state_path, bool(resume), bool(restart), bool(certify)))


class VerifyResult(_Result):
    """The answer of :func:`tcx.verify`: ``answer`` / ``verdict`` is 'correct', 'wrong' or 'unknown';
    ``how`` says how it was decided; ``counterexample`` (when wrong) has the inputs, the circuit's
    and the solver's answers. ``facts`` is ``tcx verify --json``'s dict."""

    def __init__(self, facts: dict):
        self.facts = facts
        self.verdict: str = facts["verdict"]
        self.answer: str = self.verdict
        self.how: str = facts["how"]
        self.method: str | None = facts.get("method")
        self.counterexample: dict | None = facts.get("counterexample")

    def __bool__(self) -> bool:
        return self.verdict == "correct"


def verify(circuit: Any, task: Any, *, params: Mapping[str, int] | None = None, exhaustive_bits: int | None = None,
           random: int | None = None, seed: int = 1, encoding: str = "auto", conflicts: int = 0, time_limit: float | None = None,
           solver: str | None = None, cross_check: bool = False, care: str = "all", input: str | None = None,
           softmax: str | None = None, state: str | os.PathLike | None = None, resume: bool = False,
           restart: bool = False) -> VerifyResult:
    """Checks a circuit (or a circuit file) against a task's reference solver (``tcx verify``): every
    input up to ``exhaustive_bits`` inputs (default 24; a proof); beyond, ``random`` instances
    (default 10000) against the solver and a SAT miter against the natural circuit (a proof, or
    'unknown' within ``time_limit``, default 300 CPU s). ``task`` is a name (with ``params``) or a
    :class:`tcx.Task`. ``care='valid'``: only the task's valid inputs are checked (``--care valid``,
    for a circuit from ``synth(..., care='valid')``; every input is then enumerated, so at most
    ``exhaustive_bits`` inputs). ``state=FILE``: the exhaustive phase recorded range by range as it
    goes, ``resume=True`` continuing a stopped run, ``restart=True`` replacing the file
    (``tcx verify --state``, ``--resume``, ``--restart``; the circuit is named by its .tc text, so
    the command resumes a run of the .tc file tcx wrote, and the other way round).

    ``task`` may instead be an ONNX model (``"model.onnx"``, ``tcx verify C --model M.onnx``): the
    circuit's wires are read by the layout the model compiles to (with ``input`` and ``softmax`` as
    for :func:`tcx.compile`; by default those the circuit was compiled with when it carries a
    layout, else bits and refuse) and compared with tcx's exact interpreter on every input up to
    ``exhaustive_bits`` wires (default 16), else ``random`` seeded inputs (default 10000, as the
    command's; evidence, 'unknown'); ``time_limit`` bounds the whole check (default none)."""
    if not isinstance(circuit, Circuit):
        circuit = Circuit.load(circuit)
    state_path = _state_file(state, resume, restart, False)
    if _onnx.is_onnx(task):
        unused = [k for k, v in (("state", state), ("params", params), ("encoding", encoding != "auto" or None), ("conflicts", conflicts or None),
                                 ("solver", solver), ("cross_check", cross_check or None), ("care", care != "all" or None)) if v]
        if unused:
            raise UsageError(f"verify: {', '.join(unused)} appl{'ies' if len(unused) == 1 else 'y'} to tasks, not to an ONNX model")
        layout = getattr(circuit, "layout", None)  # the settings it was compiled with, unless given
        return VerifyResult(_onnx.verify_onnx(circuit, task, input or (layout.input if layout else "bits"),
                                              softmax or (layout.softmax if layout else "refuse"),
                                              _int(16 if exhaustive_bits is None else exhaustive_bits, "exhaustive_bits", 0, 30),
                                              _int(10000 if random is None else random, "random", 0), _int(seed, "seed", 0),
                                              _seconds(0 if time_limit is None else time_limit)))
    if input is not None or softmax is not None:
        raise UsageError("verify: input and softmax apply to ONNX models")
    exhaustive_bits = 24 if exhaustive_bits is None else exhaustive_bits
    random = 10000 if random is None else random
    time_limit = 300 if time_limit is None else time_limit
    if isinstance(task, Task):
        name, p = task.name, _params(task.params, params)
    else:
        name, p = str(task), _params(params)
    if encoding not in ("auto", "bdd", "adder"):
        raise UsageError("encoding must be auto, bdd or adder")
    if care not in ("all", "valid"):
        raise UsageError("care must be 'all' or 'valid'")
    return VerifyResult(_core._verify(circuit, name, p, _int(exhaustive_bits, "exhaustive_bits", 0, 32), _int(random, "random", 0),
                                      _int(seed, "seed", 0), encoding, _int(conflicts, "conflicts", 0), _seconds(time_limit),
                                      _solver(solver), bool(cross_check), care, state_path, bool(resume), bool(restart)))


class BoundsResult(_Result):
    """What is known about one task instance (``tcx bounds --json``): ``natural_circuit`` (an upper
    bound: depth, gates, wires), ``sat`` (one labelled line per depth, or None when not run) and
    ``literature`` (the complexity class)."""

    def __init__(self, facts: dict):
        self.facts = facts
        self.task: str = facts["task"]
        self.params: dict = facts["params"]
        self.natural_circuit: dict = facts["natural_circuit"]
        self.sat: list[dict] | None = facts.get("sat")
        self.literature: str = facts["literature"]


def bounds(task: Any, *, params: Mapping[str, int] | None = None, max_depth: int = 3, max_gates: int = 6,
           time_limit: float = 10, method: str = "auto", layered: bool = False, solver: str | None = None,
           cross_check: bool = False, care: str = "all", tt: Mapping[str, Any] | None = None,
           jobs: int = 1, descent: float = 0, tighten: float = 0) -> BoundsResult:
    """The natural circuit's size, SAT's smallest circuits per depth and the literature's class for
    one task instance (``tcx bounds``); ``care='valid'``: SAT asks for the task's valid inputs only;
    ``descent``, ``tighten``: as for :func:`frontier`."""
    if isinstance(task, Task):
        name, p = task.name, _params(task.params, params)
    else:
        name, p = str(task), _params(params)
    return BoundsResult(_core._bounds(name, p, _int(max_depth, "max_depth", 1, 6), _int(max_gates, "max_gates", 1, 16),
                                      _seconds(time_limit), _method(method), bool(layered), _solver(solver), bool(cross_check),
                                      str(care), *_tt(tt, method), _int(jobs, "jobs", 1, 256),
                                      _descent(descent, method, time_limit, solver, cross_check),
                                      _seconds(tighten, "tighten")))


# ---------------------------------------------------------------------------------------------
# Diffusion samplers and the report

_SAMPLER_KEYS = ("steps", "copies", "margin", "c", "error", "dim", "frac", "bits", "center", "sigma", "noise", "noise_bits",
                 "seed", "search_draws", "exhaustive_bits", "random")


def _sampler(backbone: Any, options: dict) -> dict:
    unknown = set(options) - set(_SAMPLER_KEYS)
    if unknown:
        raise TypeError(f"unknown sampler option(s): {', '.join(sorted(unknown))} (known: {', '.join(_SAMPLER_KEYS)})")
    if isinstance(backbone, os.PathLike):
        backbone = os.fspath(backbone)
    if not isinstance(backbone, str):
        raise TypeError("backbone must be 'majority', 'parity', 'compare' or the path of a model .json")
    d = {k: v for k, v in options.items() if v is not None}
    d["backbone"] = backbone
    return d


class DiffusionResult(_Result):
    """One unrolled diffusion sampler (``tcx diffusion --json``): ``facts`` (plan, stats, check,
    advice bits), ``circuit`` (advice on input wires; hard-wired with ``hardwire=True``), ``ok``
    (no difference from the fixed-point reference sampler), ``depth``, ``gates``."""

    def __init__(self, facts: dict, circuit: Circuit | None):
        self.ok: bool = facts.pop("ok")
        self.facts = facts
        self.circuit = circuit
        self.depth: int | None = facts.get("depth")
        self.gates: int | None = facts.get("gates")

    def __bool__(self) -> bool:
        return self.ok


def diffusion(backbone: str, n: int, *, hardwire: bool = False, keep_circuit: bool = True, **sampler: Any) -> DiffusionResult:
    """Unrolls a diffusion sampler with an exact-score backbone at prefix size ``n`` into a threshold
    circuit and checks it against the fixed-point reference sampler (``tcx diffusion``).
    Sampler options as the command's flags: steps, copies ('auto' or an int), margin, c, error, dim,
    frac, bits, center, sigma, noise ('seed' / 'inputs'), noise_bits, seed, search_draws,
    exhaustive_bits, random. With noise='seed', random=0 and more prefix bits than exhaustive_bits
    is refused (UsageError): the advice seed would be chosen on no prefix."""
    facts, circuit = _core._diffusion(_int(n, "n", 1, 4096), _sampler(backbone, sampler), bool(keep_circuit), bool(hardwire))
    return DiffusionResult(facts, circuit)


class DiffusionFamilyResult(_Result):
    """``tcx diffusion-family --json``: ``rows`` (one per sampler and n; 'sampler' is 'T*', 'T = n',
    'd = log2 n' or 'looped'), ``fits`` (one growth fit per sampler), ``ok``."""

    def __init__(self, facts: dict):
        self.ok: bool = facts.pop("ok")
        self.facts = facts
        self.backbone: str = facts["backbone"]
        self.rows: list[dict] = facts["rows"]
        self.fits: dict = facts["fits"]


def diffusion_family(backbone: str, ns: Any, *, step: str = "x2", contrast: bool = False, looped: str | None = None,
                     **sampler: Any) -> DiffusionFamilyResult:
    """The unrolled sampler's depth over sizes ``ns`` (constant), beside contrasts that grow
    (``contrast``: T = n and d = ceil(log2 n); ``looped``: a looped backbone model) (``tcx diffusion-family``)."""
    return DiffusionFamilyResult(_core._diffusion_family(_sizes(ns, step), _sampler(backbone, sampler), bool(contrast),
                                                         os.fspath(looped) if looped else ""))


class ReportResult(_Result):
    """``tcx reproduce``: ``path`` (report.md), ``passed`` (every check passed), ``data`` (data.json)."""

    def __init__(self, out: str, status: int, line: str):
        self.path = os.path.join(out, "report.md")
        self.passed = status == 0
        self.summary = line.strip()
        with open(os.path.join(out, "data.json")) as f:
            self.data = json.load(f)
        self.facts = self.data


def reproduce(out: str | os.PathLike = "tcx-report", quick: bool = True, force: bool = False, quiet: bool = True,
              only: Sequence[str] | None = None, certify: bool = False, long: bool = False) -> ReportResult:
    """Runs the headline experiments and writes the report folder (``tcx reproduce``): report.html,
    report.md, data.json, CSV files and SVG figures. ``quick``: smaller sizes and budgets. An
    existing report is replaced only with ``force=True``; a folder of other files is never written
    into (IoError). ``quiet``: no progress on stderr. ``only``: these sections (``--only``), e.g.
    ``["frontier"]``; ``certify``: the frontier's UNSAT answers with checked DRAT proofs
    (``--certify``); ``long``: the frontier's long-run refutations rerun in full (``--long``)."""
    out = os.fspath(out)
    if isinstance(only, str):
        only = only.split(",")
    status, line = _core._reproduce(out, bool(quick), bool(force), bool(quiet), [str(s) for s in (only or [])], bool(certify),
                                    bool(long))
    return ReportResult(out, status, line)


# ---------------------------------------------------------------------------------------------
# Settings


def set_limits(*, max_wires: int | None = None) -> None:
    """Bounds every circuit built on the package's behalf: ``max_wires`` (default 2^27, about 1 GiB,
    as ``tcx --max-wires``); past it a build raises :class:`tcx.LimitError`."""
    if max_wires is not None:
        _core._set_max_wires(_int(max_wires, "max_wires", 1, 1 << 34))


def limits() -> dict[str, int]:
    """The current bounds (see :func:`set_limits`)."""
    return {"max_wires": _core._max_wires()}
