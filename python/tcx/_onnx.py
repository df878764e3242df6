"""ONNX models and PyTorch modules to circuits (the importer in compilers/onnx, docs/onnx.md).

tcx.compile("model.onnx") has the library read the file; from_torch exports a module to ONNX in
memory (torch.onnx.export into a BytesIO) and hands the bytes to the same entry point,
tcx._core._compile_onnx. tcx.depth and tcx.family count ONNX models as tcx depth / family do.

The circuit keeps the model's layout (``circuit.layout``, a tcx.OnnxLayout: which wires hold which
tensor element and how they encode its value). ``layout.encode`` / ``layout.decode`` turn tensor
values into wires and back, exactly (the library's onnx_io::encode / decode), and
``circuit.forward(x)`` runs the circuit on tensor values as the model would run.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from typing import Any

import numpy as np

from . import _core
from ._errors import CheckError, UsageError

OnnxLayout = getattr(_core, "OnnxLayout", None)
TensorLayout = getattr(_core, "TensorLayout", None)


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
    circuit.layout = layout
    return circuit


# ---- tensor values to wires and back ----

def _as_array(x: Any) -> np.ndarray:
    """A tensor's values as a numpy array (a torch tensor is detached and copied to the CPU)."""
    if hasattr(x, "detach") and hasattr(x, "cpu"):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def _batch_of(io: Any, a: np.ndarray) -> tuple[int, str]:
    """How an array holds patterns of a tensor of shape S: S itself (one pattern), (P,) + S (a
    batch), or, when S starts with a batch axis of 1 as torch exports have, (P,) + S[1:]."""
    shape = tuple(io.shape)
    if a.shape == shape:
        return 1, "single"
    if a.ndim == len(shape) + 1 and a.shape[1:] == shape:
        return a.shape[0], "batch"
    if shape and shape[0] == 1 and a.ndim == len(shape) and a.shape[1:] == shape[1:]:
        return a.shape[0], "leading"
    raise UsageError(f"encode: input '{io.tensor}' has shape {shape}; got an array of shape {a.shape} "
                     f"(give {shape}, or a batch of shape (P,) + {shape}" + (f" or (P,) + {shape[1:]})" if shape and shape[0] == 1 else ")"))


def _flat(a: np.ndarray) -> Any:
    """One input's values for the library: a float64 array when every value converts to a double
    exactly (bool, float16/32/64, integers below 2^53), else a list of Python numbers (Fractions,
    big integers: converted one by one, exactly)."""
    if a.dtype.kind in "bf" and a.dtype.itemsize <= 8:
        return np.ascontiguousarray(a, dtype=np.float64).reshape(-1)
    if a.dtype.kind in "iu" and (a.size == 0 or -2**53 < int(a.min()) and int(a.max()) < 2**53):
        return np.ascontiguousarray(a, dtype=np.float64).reshape(-1)
    return a.reshape(-1).tolist()


def _encode_values(layout: Any, values: Any) -> tuple[np.ndarray, str]:
    """Input wires for tensor values, and how the values were batched (see _batch_of)."""
    names = [io.tensor for io in layout.inputs]
    if isinstance(values, dict):
        unknown = sorted(set(values) - set(names))
        missing = [n for n in names if n not in values]
        if unknown or missing:
            raise UsageError(f"encode: the model's inputs are {names}" + (f"; unknown {unknown}" if unknown else "")
                             + (f"; missing {missing}" if missing else ""))
        arrays = [_as_array(values[n]) for n in names]
    elif len(names) == 1:
        arrays = [_as_array(values)]
    else:
        raise UsageError(f"encode: the model has {len(names)} inputs {names}: give a dict from input name to values")
    batches = [_batch_of(io, a) for io, a in zip(layout.inputs, arrays)]
    if len({b for b in batches}) > 1:
        raise UsageError(f"encode: the inputs are batched differently: {dict(zip(names, batches))}")
    patterns, mode = batches[0] if batches else (1, "single")
    if arrays and any(a.dtype.kind not in "biufO" for a in arrays):
        raise TypeError("encode: values must be numbers (bool, int, float or Fraction)")
    bits = layout._encode([_flat(a) for a in arrays], patterns)
    return (bits[0] if mode == "single" else bits), mode


def _encode(self: Any, values: Any) -> np.ndarray:
    """Input wires (uint8 0/1, the circuit's inputs in order) for tensor values, exactly.

    ``values``: for a model with one input an array-like (numpy, a torch tensor, lists); otherwise
    a dict from input name to array-like. Each has the tensor's shape (one pattern: a 1-D result)
    or a batch of them, (P,) + shape, or (P,) + shape[1:] when the shape starts with torch's batch
    axis of 1 (a 2-D result, one row per pattern). A value its wires cannot stand for (0.5 for
    bits, 300 for int:8, a float off a QuantizeLinear's grid) is a tcx.UsageError naming it."""
    return _encode_values(self, values)[0]


def _decode(self: Any, bits: Any, exact: bool = False) -> dict[str, np.ndarray]:
    """Tensor values for output wires: a dict from output name to an array of the tensor's shape
    (one pattern of ``output_bits`` wires) or (P,) + shape (a (P, output_bits) batch). float64 values,
    or with ``exact=True`` an object array of fractions.Fraction (the circuit's values are exact
    rationals: scale * W + offset)."""
    a = np.asarray(bits)
    if a.dtype == np.bool_:
        a = a.view(np.uint8)
    elif a.dtype.kind not in "iu" or (a.size and (a.min() < 0 or a.max() > 1)):
        raise UsageError("decode: expected output bits (bool or 0/1 integers)")
    single = a.ndim == 1
    a2 = a.reshape(1, -1) if single else a
    flat = self._decode(np.ascontiguousarray(a2, dtype=np.uint8), bool(exact))
    out = {}
    for io, v in zip(self.outputs, flat):
        arr = np.array(v, dtype=object) if exact else v
        if exact and arr.ndim != 1:  # np.array of Fractions stays 1-D; an empty list may not
            arr = arr.reshape(-1)
        out[io.tensor] = arr.reshape(tuple(io.shape) if single else (a2.shape[0],) + tuple(io.shape))
    return out


def _forward(self: Any, values: Any, exact: bool = False) -> Any:
    """Runs a compiled ONNX model's circuit on tensor values, as the model would run on them:
    ``layout.encode``, ``eval``, ``layout.decode``. One output: its array; several: a dict from
    output name to array. A batch given as (P,) + shape[1:] (torch's batch axis) comes back the
    same way, so ``circuit.forward(x)`` lines up with ``module(x)``."""
    layout = getattr(self, "layout", None)
    if layout is None:
        raise UsageError("forward: this circuit has no ONNX layout (it comes from tcx.compile('model.onnx') or tcx.from_torch)")
    bits, mode = _encode_values(layout, values)
    out = _decode(layout, self.eval(bits), exact)
    if mode == "leading":
        out = {io.tensor: (v.reshape((v.shape[0],) + tuple(io.shape)[1:]) if tuple(io.shape)[:1] == (1,) else v)
               for io, v in zip(layout.outputs, out.values())}
    return next(iter(out.values())) if len(out) == 1 else out


def verify_onnx(circuit: Any, path: str, input: str, softmax: str, exhaustive_bits: int, random: int, seed: int,
                time_limit: float) -> dict:
    """``tcx verify CIRCUIT --model MODEL.onnx --json``."""
    fn = _onnx_core("_verify_onnx", "tcx.verify(circuit, 'model.onnx')")
    if not isinstance(input, str):
        raise TypeError("input must be a string: bits, signs, int:B or uint:B")
    if softmax not in ("refuse", "argmax"):
        raise UsageError("softmax must be 'refuse' or 'argmax'")
    return fn(circuit, os.fspath(path), input, softmax, exhaustive_bits, random, seed, time_limit)


def _install() -> None:
    if OnnxLayout is None:
        return
    OnnxLayout.encode = _encode
    OnnxLayout.decode = _decode
    OnnxLayout.__module__ = "tcx"
    TensorLayout.__module__ = "tcx"
    _core.Circuit.layout = None  # set on the circuits compiled from ONNX models
    _core.Circuit.forward = _forward


_install()


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
