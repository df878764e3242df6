"""ONNX models and PyTorch modules to circuits.

The ONNX importer (compilers/onnx) is on another branch; until it is merged, compile_onnx raises
NotImplementedError with that explanation. from_torch exports a module to ONNX in memory and
hands the bytes to the same entry point.
"""

from __future__ import annotations

import io
import os
from typing import Any

from . import _core
from ._errors import UsageError


def _compile_onnx_bytes(data: bytes, n: int | None, label: str, input: str):
    """The internal entry point: an ONNX model's bytes to a Circuit."""
    fn = getattr(_core, "_compile_onnx", None)
    if fn is None:
        raise NotImplementedError("this tcx was built without the ONNX importer (compilers/onnx): "
                                  "tcx.compile('model.onnx') and tcx.from_torch need it")
    return fn(data, label, 0 if n is None else int(n), input)


def compile_onnx(path: str, n: int | None = None, input: str = "bits"):
    with open(path, "rb") as f:
        data = f.read()
    return _compile_onnx_bytes(data, n, os.fspath(path), input)


def from_torch(module: Any, example_input: Any, input: str = "bits", *, opset: int = 13):
    """Exports a PyTorch module to ONNX in memory (torch.onnx.export into a BytesIO) and compiles it
    to a threshold circuit. ``example_input`` fixes the input shape; ``input`` says how the model's
    input values map to circuit inputs ("bits": each value is one input bit, 0 or 1)."""
    try:
        import torch
    except ImportError as e:  # pragma: no cover
        raise ImportError("from_torch needs PyTorch (apt-get install python3-torch)") from e
    if not isinstance(module, torch.nn.Module):
        raise TypeError("from_torch: module must be a torch.nn.Module")
    if not isinstance(example_input, torch.Tensor):
        raise TypeError("from_torch: example_input must be a torch.Tensor")
    if input not in ("bits", "signs"):
        raise UsageError("from_torch: input must be 'bits' or 'signs'")
    buf = io.BytesIO()
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            torch.onnx.export(module, (example_input,), buf, opset_version=opset, input_names=["x"], output_names=["y"],
                              do_constant_folding=True)
    finally:
        module.train(was_training)
    return _compile_onnx_bytes(buf.getvalue(), None, f"<torch {type(module).__name__}>", input)
