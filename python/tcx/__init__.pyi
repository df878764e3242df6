# Type stubs of the tcx package (the C++ classes Circuit, Lit and Builder included).
from __future__ import annotations

import os
from fractions import Fraction
from typing import Any, Iterable, Iterator, Literal, Mapping, NamedTuple, Sequence

import numpy as np
import numpy.typing as npt

__version__: str

class Error(Exception): ...

class ParseError(Error):
    file: str
    line: int
    column: int
    message: str

class ModelError(Error):
    path: str

class IoError(Error, OSError): ...
class UsageError(Error, ValueError): ...
class LimitError(Error): ...
class BudgetError(LimitError): ...

class CheckError(Error):
    counterexample: dict[str, str]

_Path = str | os.PathLike[str]
_Bits = npt.ArrayLike | str

class Lit:
    """A node and a sign; remembers the Builder that made it (another Builder refuses it)."""
    def __init__(self, node: int, negated: bool = False) -> None: ...
    @property
    def node(self) -> int: ...
    @property
    def negated(self) -> bool: ...
    def __invert__(self) -> Lit: ...
    def __hash__(self) -> int: ...

TRUE: Lit
FALSE: Lit

class Gate(NamedTuple):
    node: int
    fanins: list[int]
    weights: list[int]
    threshold: int
    level: int
    name: str

class EquivResult:
    verdict: Literal["equal", "different", "unknown"]
    counterexample: dict[str, str] | None
    facts: dict[str, Any]
    @property
    def equal(self) -> bool: ...
    def __bool__(self) -> bool: ...

class TensorLayout:
    """One graph input or output tensor as circuit wires (docs/onnx.md)."""
    @property
    def tensor(self) -> str: ...
    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def type(self) -> str: ...
    @property
    def kind(self) -> Literal["bit", "sign", "word"]: ...
    @property
    def width(self) -> int: ...
    @property
    def signed(self) -> bool: ...
    @property
    def scale(self) -> Fraction: ...
    @property
    def offset(self) -> Fraction: ...
    @property
    def wires(self) -> range: ...
    @property
    def how(self) -> str: ...

class OnnxLayout:
    """What a compiled ONNX model's wires mean (circuit.layout)."""
    @property
    def inputs(self) -> list[TensorLayout]: ...
    @property
    def outputs(self) -> list[TensorLayout]: ...
    @property
    def input_bits(self) -> int: ...
    @property
    def output_bits(self) -> int: ...
    @property
    def notes(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def encode(self, values: Any) -> npt.NDArray[np.uint8]: ...
    def decode(self, bits: _Bits, exact: bool = False) -> dict[str, npt.NDArray[Any]]: ...

class Circuit:
    layout: OnnxLayout | None
    def __init__(self) -> None: ...
    @staticmethod
    def load(path: _Path) -> Circuit: ...
    @staticmethod
    def from_tc(text: str, name: str = "<string>") -> Circuit: ...
    def save(self, path: _Path, format: str | None = None, force: bool = False) -> None: ...
    def to_string(self, format: str = "tc") -> str | bytes: ...
    @property
    def inputs(self) -> int: ...
    @property
    def outputs(self) -> int: ...
    @property
    def gates(self) -> int: ...
    @property
    def wires(self) -> int: ...
    @property
    def depth(self) -> int: ...
    def stats(self) -> dict[str, Any]: ...
    def truth_table(self, max_inputs: int = 24) -> npt.NDArray[np.bool_]: ...
    def eval(self, batch: _Bits, threads: int = 0) -> npt.NDArray[np.bool_]: ...
    def forward(self, values: Any, exact: bool = False) -> npt.NDArray[Any] | dict[str, npt.NDArray[Any]]: ...
    def gate(self, i: int) -> Gate: ...
    def gates_iter(self) -> Iterator[Gate]: ...
    def output_literals(self) -> list[tuple[Lit, str]]: ...
    def input_names(self) -> list[str]: ...
    def to_networkx(self) -> Any: ...
    def lower(self) -> Circuit: ...
    def is_and_network(self) -> bool: ...
    def equiv(self, other: Circuit, *, sat: bool = False, max_exhaustive: int = 32, patterns: int = 4194304, seed: int = 1,
              time_limit: float | None = None, encoding: Literal["auto", "bdd", "adder"] = "auto", conflicts: int = 0,
              threads: int = 0, solver: Literal["cms", "cadical"] | None = None, cross_check: bool = False) -> EquivResult: ...

class Builder:
    def __init__(self) -> None: ...
    def input(self, name: str | None = None) -> Lit: ...
    def inputs(self, count: int) -> list[Lit]: ...
    def gate(self, lits: Sequence[Lit], weights: Sequence[int], threshold: int) -> Lit: ...
    def output(self, lit: Lit, name: str | None = None) -> None: ...
    def build(self) -> Circuit: ...
    def level(self, lit: Lit) -> int: ...
    @property
    def num_inputs(self) -> int: ...
    @property
    def num_gates(self) -> int: ...

def load(path: _Path) -> Circuit: ...

_Spec = _Path | str | Mapping[str, Any]
_Sizes = int | str | Iterable[int]

def compile(spec: _Spec, n: int | None = None, *, check: bool = False, exhaustive_bits: int = 20, random: int = 100000, seed: int = 1,
            input: str = "bits", softmax: Literal["refuse", "argmax"] | None = None) -> Circuit: ...
def check_model(spec: _Spec, n: int, circuit: Circuit, *, exhaustive_bits: int = 20, random: int = 100000,
                seed: int = 1) -> dict[str, Any]: ...
def depth(spec: _Spec, n: int | None = None, *, time_limit: float = 600, input: str = "bits",
          softmax: Literal["refuse", "argmax"] | None = None) -> dict[str, Any]: ...

class FamilyResult:
    facts: dict[str, Any]
    family: str
    mode: str
    records: list[dict[str, Any]]
    fit: dict[str, Any]
    verdict: str
    consistent_with_tc0: bool
    stopped: str | None

def family(spec: _Spec | None = None, ns: _Sizes | None = None, *, task: str | None = None, over: str | None = None,
           params: Mapping[str, int] | None = None, step: str = "x2", materialize: bool = False,
           time_limit: float = 600) -> FamilyResult: ...
def zoo() -> list[str]: ...
def cells() -> list[dict[str, Any]]: ...
def cell(name: str, bits: int = 8, count: int | None = None) -> Circuit: ...
def tasks() -> list[dict[str, Any]]: ...

class Task:
    def __init__(self, name: str, **params: int) -> None: ...
    name: str
    params: dict[str, int]
    input_bits: int
    output_bits: int
    description: str
    complexity: str
    encoding: str
    serial: bool
    def circuit(self) -> Circuit: ...
    def solve(self, bits: _Bits) -> npt.NDArray[np.bool_]: ...
    def random(self, n: int, seed: int = 1) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]: ...

def task(name: str, **params: int) -> Task: ...

class SynthResult:
    facts: dict[str, Any]
    answer: Literal["found", "none", "unknown"]
    circuit: Circuit | None
    depth: int | None
    gates: int | None
    for_all_weights: bool | None
    weight_bound: int
    solver_calls: int
    seconds: float

def synth(function: Circuit | Task | str | Sequence[str] | npt.ArrayLike, widths: str | int | Sequence[int], *,
          inputs: int | None = None, skip: bool = False, max_fanin: int = 0, max_weight: int = 0, majority: int = 0,
          complement: bool = True, symmetry: bool = True, time_limit: float = 60, conflicts: int = 0,
          seed: int = 1, method: Literal["weights", "tt", "auto", "descent"] = "auto", solver: Literal["cms", "cadical"] | None = None,
          cross_check: bool = False, care: Literal["all", "valid"] | npt.ArrayLike = "all", tt: Mapping[str, Any] | None = None, jobs: int = 1,
          descent: float = 0) -> SynthResult: ...

class FrontierResult:
    facts: dict[str, Any]
    task: str
    over: str
    rows: list[dict[str, Any]]

def frontier(task: str | Task, sizes: _Sizes, *, over: str | None = None, params: Mapping[str, int] | None = None,
             max_depth: int = 3, max_gates: int = 6, time_limit: float = 10, method: Literal["weights", "tt", "auto", "descent"] = "auto",
             layered: bool = False, solver: Literal["cms", "cadical"] | None = None, cross_check: bool = False,
             care: Literal["all", "valid"] = "all", counterexamples: int = 1, orbits: bool = False, tt: Mapping[str, Any] | None = None, jobs: int = 1,
             descent: float = 0, tighten: float = 0) -> FrontierResult: ...

class VerifyResult:
    facts: dict[str, Any]
    verdict: Literal["correct", "wrong", "unknown"]
    answer: Literal["correct", "wrong", "unknown"]
    how: str
    method: str | None
    counterexample: dict[str, str] | None
    def __bool__(self) -> bool: ...

def verify(circuit: Circuit | _Path, task: str | Task | _Path, *, params: Mapping[str, int] | None = None,
           exhaustive_bits: int | None = None, random: int | None = None, seed: int = 1, encoding: str = "auto", conflicts: int = 0,
           time_limit: float | None = None, solver: Literal["cms", "cadical"] | None = None, cross_check: bool = False,
           care: Literal["all", "valid"] = "all", input: str | None = None,
           softmax: Literal["refuse", "argmax"] | None = None) -> VerifyResult: ...

class BoundsResult:
    facts: dict[str, Any]
    task: str
    params: dict[str, int]
    natural_circuit: dict[str, int]
    sat: list[dict[str, Any]] | None
    literature: str

def bounds(task: str | Task, *, params: Mapping[str, int] | None = None, max_depth: int = 3, max_gates: int = 6,
           time_limit: float = 10, method: Literal["weights", "tt", "auto", "descent"] = "auto", layered: bool = False,
           solver: Literal["cms", "cadical"] | None = None, cross_check: bool = False,
           care: Literal["all", "valid"] = "all", tt: Mapping[str, Any] | None = None, jobs: int = 1, descent: float = 0,
           tighten: float = 0) -> BoundsResult: ...

class DiffusionResult:
    facts: dict[str, Any]
    circuit: Circuit | None
    ok: bool
    depth: int | None
    gates: int | None
    def __bool__(self) -> bool: ...

def diffusion(backbone: str, n: int, *, hardwire: bool = False, keep_circuit: bool = True, steps: int | str = "auto",
              copies: int | str = "auto", margin: float = 0, c: float = 0.2, error: float = 0.5, dim: int = 1,
              frac: int | str = "auto", bits: int | str = "auto", center: float = 1.0, sigma: float = 0.5,
              noise: Literal["seed", "inputs"] = "seed", noise_bits: int = 16, seed: int = 1, search_draws: int = 1000,
              exhaustive_bits: int = 12, random: int = 1000) -> DiffusionResult: ...

class DiffusionFamilyResult:
    facts: dict[str, Any]
    ok: bool
    backbone: str
    rows: list[dict[str, Any]]
    fits: dict[str, Any]

def diffusion_family(backbone: str, ns: _Sizes, *, step: str = "x2", contrast: bool = False, looped: str | None = None,
                     **sampler: Any) -> DiffusionFamilyResult: ...

class ReportResult:
    path: str
    passed: bool
    summary: str
    data: dict[str, Any]
    facts: dict[str, Any]

def reproduce(out: _Path = "tcx-report", quick: bool = True, force: bool = False, quiet: bool = True,
              only: Sequence[str] | str | None = None, certify: bool = False, long: bool = False) -> ReportResult: ...
def from_torch(module: Any, example_input: Any, input: str = "bits", *, check: bool = True, exhaustive_bits: int = 16,
               random: int = 2000, seed: int = 1, opset: int = 13, softmax: Literal["refuse", "argmax"] = "refuse") -> Circuit: ...
def set_limits(*, max_wires: int | None = None) -> None: ...
def limits() -> dict[str, int]: ...
