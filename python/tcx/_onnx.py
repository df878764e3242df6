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
import inspect
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

def _as_array(x: Any, what: str) -> np.ndarray:
    """A tensor's values as a numpy array: numpy arrays, torch tensors (detached, on the CPU;
    bfloat16 widened to float32, exactly) and nested lists; other types are a TypeError."""
    if x is None or isinstance(x, (str, bytes, set, frozenset, dict)) or inspect.isgenerator(x) or isinstance(x, np.ma.MaskedArray):
        raise TypeError(f"{what}: expected an array-like of numbers (numpy, torch, nested lists), got {type(x).__name__}")
    if hasattr(x, "detach") and hasattr(x, "cpu"):
        if getattr(x, "is_quantized", False):
            raise TypeError(f"{what}: a quantized torch tensor; give its real values (x.dequantize()): a model whose input "
                            "is read by a QuantizeLinear quantizes them itself")
        x = x.detach().cpu()
        if str(x.dtype) == "torch.bfloat16":
            x = x.float()
        x = x.numpy()
    a = np.asarray(x)
    if a.dtype.kind not in "biufO" or (a.dtype.kind == "f" and a.dtype.itemsize > 8):
        raise TypeError(f"{what}: values must be bool, int, float (at most 64-bit) or Fraction, got dtype {a.dtype}")
    return a


def _shape_text(shape: tuple, batch: bool = False) -> str:
    return "(" + ", ".join((["P"] if batch else []) + [str(d) for d in shape]) + ("," if len(shape) + batch == 1 else "") + ")"


def _batch_of(io: Any, a: np.ndarray) -> tuple[int, str]:
    """How an array holds patterns of a tensor of shape S: S itself (one pattern), (P,) + S (a
    batch), or, when S starts with a batch axis of 1 as torch exports have, S[1:] (one pattern,
    unbatched) or (P,) + S[1:] (a batch along that axis)."""
    shape = tuple(io.shape)
    if a.shape == shape:
        return 1, "single"
    if a.ndim == len(shape) + 1 and a.shape[1:] == shape:
        return a.shape[0], "batch"
    if shape and shape[0] == 1 and a.ndim == len(shape) and a.shape[1:] == shape[1:]:
        return a.shape[0], "leading"
    if shape and shape[0] == 1 and a.shape == shape[1:]:
        return 1, "unbatched"
    forms = [_shape_text(shape), _shape_text(shape, True)]
    if shape and shape[0] == 1:
        forms += [_shape_text(shape[1:]), _shape_text(shape[1:], True)]
    raise UsageError(f"encode: input '{io.tensor}' has shape {_shape_text(shape)}; got an array of shape {_shape_text(a.shape)} "
                     f"(give {' or '.join(forms)})")


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
        arrays = [_as_array(values[n], f"encode: input '{n}'") for n in names]
    elif len(names) == 1:
        arrays = [_as_array(values, "encode")]
    else:
        raise UsageError(f"encode: the model has {len(names)} inputs {names}: give a dict from input name to values")
    batches = [_batch_of(io, a) for io, a in zip(layout.inputs, arrays)]
    if len({b for b in batches}) > 1:
        raise UsageError(f"encode: the inputs are batched differently: {dict(zip(names, batches))}")
    patterns, mode = batches[0] if batches else (1, "single")
    # A quantizer input's real values reach the model as its type (float32): rounded to it first,
    # as the model would receive them, then quantized by its QuantizeLinear.
    narrow = {"float": np.float32, "float16": np.float16}
    arrays = [a.astype(narrow[io.type]) if io.quantizer and io.type in narrow and a.dtype.kind == "f" else a
              for io, a in zip(layout.inputs, arrays)]
    bits = layout._encode([_flat(a) for a in arrays], patterns)
    return (bits[0] if mode in ("single", "unbatched") else bits), mode


def _encode(self: Any, values: Any) -> np.ndarray:
    """Input wires (uint8 0/1, the circuit's inputs in order) for tensor values, exactly.

    ``values``: for a model with one input an array-like (numpy, a torch tensor, lists); otherwise
    a dict from input name to array-like. Each has the tensor's shape (one pattern: a 1-D result)
    or a batch of them, (P,) + shape; when the shape starts with torch's batch axis of 1, also
    shape[1:] (one pattern) or (P,) + shape[1:] (a 2-D result, one row per pattern). An input read
    by a leading QuantizeLinear takes real values and quantizes them as that node does (its
    ``quantizer`` is True). Otherwise a value its wires cannot stand for (0.5 for bits, 300 for
    int:8) is a tcx.UsageError naming it: encoding never rounds."""
    return _encode_values(self, values)[0]


def _decode(self: Any, bits: Any, exact: bool = False) -> dict[str, np.ndarray]:
    """Tensor values for output wires: a dict from output name to an array of the tensor's shape
    (one pattern of ``output_bits`` wires) or (P,) + shape (a (P, output_bits) batch). By the
    tensor's ONNX type: bool, int64, or float64 (the double nearest the exact value, as
    float(Fraction) rounds); with ``exact=True`` an object array of Python ints or
    fractions.Fraction (the circuit's values are exact rationals: scale * W + offset)."""
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
    ``layout.encode``, ``eval``, ``layout.decode``. One output: its array (numpy, whatever the
    input was); several: a dict from output name to array. Values given without torch's batch
    axis of 1, (P,) + shape[1:] or shape[1:], come back the same way, so ``circuit.forward(x)``
    lines up with ``module(x)``. Each pattern is run on its own, as the model traced at batch 1
    runs it."""
    layout = getattr(self, "layout", None)
    if layout is None:
        raise UsageError("forward: this circuit has no ONNX layout (it comes from tcx.compile('model.onnx') or tcx.from_torch)")
    if (layout.input_bits, layout.output_bits) != (self.inputs, self.outputs):
        raise UsageError(f"forward: the layout has {layout.input_bits} input and {layout.output_bits} output wires; "
                         f"the circuit has {self.inputs} inputs and {self.outputs} outputs")
    bits, mode = _encode_values(layout, values)
    out = _decode(layout, self.eval(bits), exact)
    if mode in ("leading", "unbatched"):  # torch's batch axis, as the input had it
        def unbatched(io: Any, v: np.ndarray) -> np.ndarray:
            shape = tuple(io.shape)
            if shape[:1] != (1,):
                return v
            return v.reshape((v.shape[0],) + shape[1:] if mode == "leading" else shape[1:])
        out = {io.tensor: unbatched(io, v) for io, v in zip(layout.outputs, out.values())}
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
    OnnxLayout.__eq__ = lambda a, b: isinstance(b, OnnxLayout) and a.to_dict() == b.to_dict()
    OnnxLayout.__hash__ = None
    OnnxLayout.__module__ = "tcx"
    TensorLayout.__module__ = "tcx"
    _core.Circuit.forward = _forward




def _onnx_core(name: str, what: str):
    """An entry point of the ONNX importer in tcx._core; NotImplementedError when built without it."""
    fn = getattr(_core, name, None)
    if fn is None:
        raise NotImplementedError(f"this tcx was built without the ONNX importer (compilers/onnx): {what} need it")
    return fn


def is_onnx(spec: Any) -> bool:
    """Whether a model spec names an ONNX file (or, for family, a pattern of them)."""
    return isinstance(spec, (str, os.PathLike)) and os.fspath(spec).lower().endswith(".onnx")


def model_bytes(spec: Any) -> bytes | None:
    """An ONNX model given in memory, as bytes: an onnx.ModelProto, or bytes that are not a JSON
    spec's text (a serialized model); None for any other spec."""
    if hasattr(spec, "SerializeToString") and hasattr(spec, "graph"):
        return spec.SerializeToString()
    if isinstance(spec, (bytes, bytearray, memoryview)):
        data = bytes(spec)
        if not data.lstrip().startswith(b"{"):
            return data
    return None


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
               random: int = 2000, seed: int = 1, opset: int = 13, softmax: str = "refuse", fold_batchnorm: bool = True):
    """A PyTorch module to a threshold circuit in one call: exported to ONNX in memory
    (``torch.onnx.export`` into a BytesIO, the module in eval mode) and compiled exactly.

    ``example_input`` fixes the input shape (its values do not matter): a tensor, or a tuple of
    tensors for a module of several inputs (named x0, x1, ...; one tensor: x). The outputs are
    named y, or y0, y1, ... for a module returning several. ``input`` says what one input element
    is as circuit wires: "bits" (0 or 1), "signs" (wire 1 is +1, 0 is -1), "int:B" or "uint:B"
    (every input alike). With ``check`` (default) the circuit is compared with tcx's exact ONNX
    interpreter on every input up to ``exhaustive_bits`` input wires, else ``random`` seeded
    inputs. ``softmax="argmax"`` compiles a Softmax feeding ArgMax (or returned) as ArgMax of its
    input, the predicted class (exact: softmax is increasing; ``tcx compile --softmax argmax``).
    ``fold_batchnorm`` (default, the exporter's eval mode): torch folds a Conv's BatchNorm into the
    Conv's weights in float32, and the circuit is exact for those weights; False exports with
    ``training=TrainingMode.PRESERVE`` (the module still in eval mode), which keeps the
    BatchNormalization: tcx compiles it exactly where sqrt(var + eps) is rational, or where only a
    Sign reads it (docs/onnx.md), and refuses it otherwise.
    """
    try:
        import torch
    except ImportError as e:  # pragma: no cover
        raise ImportError("from_torch needs PyTorch (apt-get install python3-torch)") from e
    if not isinstance(module, torch.nn.Module):
        raise TypeError("from_torch: module must be a torch.nn.Module")
    args = example_input if isinstance(example_input, tuple) else (example_input,)
    if not args or not all(isinstance(a, torch.Tensor) for a in args):
        raise TypeError("from_torch: example_input must be a torch.Tensor or a tuple of them")
    buf = io.BytesIO()
    was_training = module.training
    module.eval()
    try:
        # The exporter prints diagnostics on stdout and warns; a library call stays quiet.
        with torch.no_grad(), warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            out = module(*args)  # how many outputs, to name them
            outputs = len(out) if isinstance(out, (tuple, list)) else 1
            torch.onnx.export(module, args, buf, opset_version=opset,
                              input_names=["x"] if len(args) == 1 else [f"x{k}" for k in range(len(args))],
                              output_names=["y"] if outputs == 1 else [f"y{k}" for k in range(outputs)],
                              do_constant_folding=True,
                              training=torch.onnx.TrainingMode.EVAL if fold_batchnorm else torch.onnx.TrainingMode.PRESERVE)
    finally:
        module.train(was_training)
    return _compile_onnx_source(buf.getvalue(), f"<torch {type(module).__name__}>", input, check, exhaustive_bits, random, seed,
                                softmax)


_install()
