"""ONNX models and PyTorch modules to circuits (the importer in compilers/onnx, docs/onnx.md).

tcx.compile("model.onnx") has the library read the file; from_torch exports a module to ONNX in
memory (torch.onnx.export into a BytesIO) and hands the bytes to the same entry point,
tcx._core._compile_onnx. tcx.depth and tcx.family count ONNX models as tcx depth / family do.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from typing import Any

from . import _core
from ._errors import CheckError, UsageError


def _compile_onnx_source(source: str | bytes, label: str, input: str, check: bool, exhaustive_bits: int, random: int, seed: int,
                         softmax: str = "refuse"):
    """An ONNX model (a file's path, or its bytes) to a Circuit (the internal entry point of compile and from_torch)."""
    fn = _onnx_core("_compile_onnx", "tcx.compile('model.onnx') and tcx.from_torch")
    if not isinstance(input, str):
        raise TypeError("input must be a string: bits, signs, int:B or uint:B")
    if softmax not in ("refuse", "argmax"):
        raise UsageError("softmax must be 'refuse' or 'argmax'")
    circuit, layout, checked = fn(source, label, input, bool(check), int(exhaustive_bits), int(random), int(seed), softmax)
    if check and not checked["agree"]:
        ce = checked["counterexample"]
        raise CheckError(f"check FAILED: circuit and the ONNX interpreter differ on input {ce['inputs']} at {ce['where']}: "
                         f"circuit {ce['circuit']}, reference {ce['reference']}", ce)
    return circuit


def _onnx_core(name: str, what: str):
    """An entry point of the ONNX importer in tcx._core; NotImplementedError when built without it."""
    fn = getattr(_core, name, None)
    if fn is None:
        raise NotImplementedError(f"this tcx was built without the ONNX importer (compilers/onnx): {what} need it")
    return fn


def is_onnx(spec: Any) -> bool:
    """Whether a model spec names an ONNX file (or, for family, a pattern of them)."""
    return isinstance(spec, (str, os.PathLike)) and os.fspath(spec).lower().endswith(".onnx")


def compile_onnx(path: str, *, input: str = "bits", check: bool = False, exhaustive_bits: int = 16, random: int = 2000,
                 seed: int = 1, softmax: str = "refuse"):
    # The library reads the file: a missing or unreadable one is a tcx.IoError, as for circuits.
    path = os.fspath(path)
    return _compile_onnx_source(path, path, input, check, exhaustive_bits, random, seed, softmax)


def depth_onnx(path: str, input: str, softmax: str, time_limit: float) -> dict:
    """``tcx depth MODEL.onnx --json``: counted without storing the circuit."""
    fn = _onnx_core("_depth_onnx", "tcx.depth('model.onnx')")
    if not isinstance(input, str):
        raise TypeError("input must be a string: bits, signs, int:B or uint:B")
    if softmax not in ("refuse", "argmax"):
        raise UsageError("softmax must be 'refuse' or 'argmax'")
    return fn(os.fspath(path), input, softmax, time_limit)


def family_onnx(pattern: str, sizes: list[int], time_limit: float) -> dict:
    """``tcx family 'mlp_{n}.onnx' --json``: one exported model per size, its file named by the pattern."""
    return _onnx_core("_family_onnx", "tcx.family('model_{n}.onnx')")(os.fspath(pattern), sizes, time_limit)


def from_torch(module: Any, example_input: Any, input: str = "bits", *, check: bool = True, exhaustive_bits: int = 16,
               random: int = 2000, seed: int = 1, opset: int = 13, softmax: str = "refuse"):
    """A PyTorch module to a threshold circuit in one call: exported to ONNX in memory
    (``torch.onnx.export`` into a BytesIO, the module in eval mode) and compiled exactly.

    ``example_input`` fixes the input shape (its values do not matter); ``input`` says what one
    input element is as circuit wires: "bits" (0 or 1), "signs" (wire 1 is +1, 0 is -1), "int:B" or
    "uint:B". With ``check`` (default) the circuit is compared with tcx's exact ONNX interpreter on
    every input up to ``exhaustive_bits`` input wires, else ``random`` seeded inputs.
    ``softmax="argmax"`` compiles a Softmax feeding ArgMax (or returned) as ArgMax of its input, the
    predicted class (exact: softmax is increasing; ``tcx compile --softmax argmax``).
    """
    try:
        import torch
    except ImportError as e:  # pragma: no cover
        raise ImportError("from_torch needs PyTorch (apt-get install python3-torch)") from e
    if not isinstance(module, torch.nn.Module):
        raise TypeError("from_torch: module must be a torch.nn.Module")
    if not isinstance(example_input, torch.Tensor):
        raise TypeError("from_torch: example_input must be a torch.Tensor")
    buf = io.BytesIO()
    was_training = module.training
    module.eval()
    try:
        # The exporter prints diagnostics on stdout and warns; a library call stays quiet.
        with torch.no_grad(), warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            torch.onnx.export(module, (example_input,), buf, opset_version=opset, input_names=["x"], output_names=["y"],
                              do_constant_folding=True)
    finally:
        module.train(was_training)
    return _compile_onnx_source(buf.getvalue(), f"<torch {type(module).__name__}>", input, check, exhaustive_bits, random, seed,
                                softmax)
