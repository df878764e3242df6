#!/usr/bin/python3
"""PyTorch as the outside reference for tcx's ONNX import (usage: test_torch.py TCX).

Small networks are built here, exported with torch.onnx.export, compiled with tcx, and the
circuits (run by tcsim.py, written apart from tcx) compared with torch's forward pass on every
input: exactly for the binarized and integer-weight networks; for a torch.ao quantized network the
disagreements between torch's quantized kernels and the exact ONNX semantics are counted and
explained, and the circuit is checked equal to the exact semantics by tcx's interpreter.
"""
import itertools
import json
import os
import subprocess
import sys
import tempfile
import warnings
from fractions import Fraction

import numpy as np
import torch
import torch.nn as nn

warnings.filterwarnings("ignore")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tcsim  # noqa: E402

TCX = sys.argv[1]
torch.set_num_threads(1)
tmp = tempfile.mkdtemp()
failures = 0


def compile_onnx(model, example, name, *extra):
    path = os.path.join(tmp, name + ".onnx")
    torch.onnx.export(model, example, path, opset_version=13, input_names=["x"], output_names=["y"])
    tc, lay = os.path.join(tmp, name + ".tc"), os.path.join(tmp, name + ".layout.json")
    r = subprocess.run([TCX, "compile", path, "-o", tc, "--layout", lay, "--force", *extra], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{name}: tcx compile failed: {r.stderr}")
    return path, tc, json.load(open(lay))  # the layout, as data (tcx compile --layout)


def check(name, ok, detail):
    global failures
    print(("ok   " if ok else "FAIL ") + name + ": " + detail)
    failures += not ok


def integer_words(tc, layout, X, count):
    """The circuit's outputs on the rows of X as `count` integer words (the layout's width and sign)."""
    out = tcsim.evaluate(tc, X)
    y = layout["outputs"][0]
    assert y["kind"] == "word" and y["scale"] == "1" and y["wires"] == out.shape[1] == count * y["width"], y
    width = y["width"]
    return np.stack([np.array(tcsim.word(out[:, k * width:(k + 1) * width], y["signed"]), dtype=np.int64) for k in range(count)], 1)


def word_values(tc, layout, X, count):
    """The circuit's outputs on the rows of X as `count` exact values each (the layout's width, sign, scale and offset), as floats."""
    out = tcsim.evaluate(tc, X)
    y = layout["outputs"][0]
    w = y["width"]
    circ = np.stack([np.array(tcsim.word(out[:, k * w:(k + 1) * w], y["signed"]), dtype=object) for k in range(count)], 1)
    return (circ * Fraction(y["scale"]) + Fraction(y["offset"])).astype(float)


def signed_words(X, count, bits):
    """The rows of X read as `count` two's-complement words of `bits` bits, LSB first (--input int:B)."""
    v = X.reshape(-1, count, bits) @ (1 << np.arange(bits))
    return np.where(v >= 1 << (bits - 1), v - (1 << bits), v)


def integer_weights(model, seed=3):
    """Every parameter drawn from -3..3 (seeded), eval mode: float32 is exact on what follows."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randint(-3, 4, p.shape, generator=g).float())
    return model.eval()


def integer_cnn(model, name):
    """Weights drawn from -3..3 (seeded), eval mode, compiled for one 4x4 image."""
    return compile_onnx(integer_weights(model), torch.zeros(1, 1, 4, 4), name)


def all_bits(n):
    return np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.int64)[:, ::-1].copy()


# 1. A binarized network: +-1 weights, batch normalization, sign, argmax; every 10-bit input.
torch.manual_seed(5)


class Bnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(10, 12, bias=False)
        self.bn = nn.BatchNorm1d(12)
        self.b = nn.Linear(12, 4)

    def forward(self, x):
        return torch.argmax(self.b(torch.sign(self.bn(self.a(x)))), dim=1)


m = Bnn()
with torch.no_grad():
    m.a.weight.copy_(torch.sign(torch.randn(12, 10)))
    m.bn.running_mean.copy_(torch.randn(12))
    m.bn.running_var.copy_(torch.rand(12) * 3 + 0.5)
    m.bn.weight.copy_(torch.randn(12))
    m.bn.bias.copy_(torch.randn(12))
m.eval()
_, tc, _ = compile_onnx(m, torch.zeros(1, 10), "bnn")
X = all_bits(10)
circ = np.array(tcsim.word(tcsim.evaluate(tc, X), False), dtype=np.int64)
with torch.no_grad():
    ref = m.double()(torch.tensor(X, dtype=torch.float64)).numpy()
check("binarized MLP 10-12-4", (circ == ref).all(), f"{(circ == ref).sum()} of {len(X)} inputs agree with torch (float64)")

# 2. An integer CNN: Conv (integer weights), ReLU, MaxPool, Gemm; random 4x4 bit images.


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(1, 2, 3, padding=1)
        self.p = nn.MaxPool2d(2)
        self.f = nn.Linear(8, 3)

    def forward(self, x):
        return self.f(self.p(torch.relu(self.c(x))).reshape(x.shape[0], -1))


c = Cnn()
_, tc, layout = integer_cnn(c, "cnn")
X = np.random.RandomState(4).randint(0, 2, size=(600, 16))  # 600 random 4x4 bit images (the circuit has ~10^5 wires)
circ = integer_words(tc, layout, X, 3)
with torch.no_grad():
    ref = c(torch.tensor(X, dtype=torch.float32).reshape(-1, 1, 4, 4)).numpy().astype(np.int64)
check("integer CNN conv-relu-maxpool-gemm", (circ == ref).all(), f"{(circ == ref).all(1).sum()} of {len(X)} random images agree with torch exactly")

# 3. A torch.ao statically quantized MLP (uint8 activations, int8 per-channel weights).
import torch.ao.quantization as tq  # noqa: E402

torch.manual_seed(7)


class Q(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = tq.QuantStub()
        self.l1 = nn.Linear(2, 5)
        self.r = nn.ReLU()
        self.l2 = nn.Linear(5, 2)
        self.dq = tq.DeQuantStub()

    def forward(self, x):
        return self.dq(self.l2(self.r(self.l1(self.q(x)))))


q = Q().eval()
q.qconfig = tq.get_default_qconfig("fbgemm")
tq.prepare(q, inplace=True)
q(torch.rand(256, 2))
tq.convert(q, inplace=True)
path, tc, layout = compile_onnx(q, torch.rand(1, 2), "qmlp")
in_scale, in_zp = q.q.scale.item(), q.q.zero_point.item()
X = all_bits(16)  # both uint8 inputs q, every pair
qv = X.reshape(-1, 2, 8) @ (1 << np.arange(8))
x = torch.tensor((qv - in_zp) * in_scale, dtype=torch.float32)
with torch.no_grad():
    ref = q(x).numpy()
out = tcsim.evaluate(tc, X)
out_scale = q.l2.scale
y = layout["outputs"][0]
w = y["width"]
circ_q = np.stack([np.array(tcsim.word(out[:, k * w:(k + 1) * w], y["signed"]), dtype=np.int64) for k in range(2)], 1)
check("the layout's scales are the exported float32 scales", Fraction(y["scale"]) == Fraction(float(np.float32(out_scale)))
      and Fraction(layout["inputs"][0]["scale"]) == Fraction(float(np.float32(in_scale))), f"{y['scale']}, {layout['inputs'][0]['how']}")
# the circuit's integer W times its stated scale is the exact value; torch's output is float32
circ_val = circ_q * out_scale
diff = np.abs(circ_val - ref) > out_scale / 2
n_diff = int(diff.any(1).sum())
steps = np.abs(circ_val - ref)[diff] / out_scale
# Disagreements are requantization roundings: fbgemm multiplies the int32 accumulator by a float
# multiplier and rounds in float, the exact semantics rounds the exact rational product half to
# even. Either way the two can differ by one quantization step and never more.
check("torch.ao quantized MLP 2-5-2", bool(n_diff == 0 or (steps.max() < 1.5)),
      f"{len(X) - n_diff} of {len(X)} inputs agree with torch's kernels; {n_diff} differ by one requantization step "
      f"(largest difference {steps.max() if n_diff else 0:.2f} steps: torch rounds a float-scaled accumulator)")
r = subprocess.run([TCX, "compile", path, "-o", tc, "--force", "--check", "--random", "3000"], capture_output=True, text=True)
check("quantized MLP circuit = exact semantics", r.returncode == 0, r.stderr.strip().splitlines()[-1])

# 4. Refusals: an inexact operator is one line naming the node, exit status 2.


class Soft(nn.Module):
    def forward(self, x):
        return torch.sigmoid(x)


p = os.path.join(tmp, "sig.onnx")
torch.onnx.export(Soft(), torch.zeros(1, 3), p, opset_version=13)
r = subprocess.run([TCX, "compile", p, "-o", os.path.join(tmp, "s.tc")], capture_output=True, text=True)
check("Sigmoid refused", r.returncode == 2 and "Sigmoid" in r.stderr and "not exact" in r.stderr and r.stderr.count("\n") == 1,
      r.stderr.strip())

# Refusals that say what to do: weights exported as graph inputs, and a BatchNorm1d whose
# running variance is no perfect square feeding a ReLU.
p = os.path.join(tmp, "noparams.onnx")
torch.onnx.export(nn.Linear(4, 2), torch.zeros(1, 4), p, opset_version=13, export_params=False)
r = subprocess.run([TCX, "compile", p, "-o", os.path.join(tmp, "np.tc")], capture_output=True, text=True)
check("export_params=False: the message says so", r.returncode == 2 and "export_params=False" in r.stderr and
      r.stderr.count("\n") == 1, r.stderr.strip())
bn = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU())
with torch.no_grad():
    bn[1].running_var.fill_(0.3)
bn.eval()
p = os.path.join(tmp, "bn.onnx")
torch.onnx.export(bn, torch.zeros(1, 4), p, opset_version=13)
r = subprocess.run([TCX, "compile", p, "-o", os.path.join(tmp, "bn.tc")], capture_output=True, text=True)
check("BatchNorm1d -> ReLU: the message suggests folding", r.returncode == 2 and "fold the BatchNormalization" in r.stderr and
      r.stderr.count("\n") == 1, r.stderr.strip())

# 5. Softmax: refused as it is; with --softmax argmax, a Softmax graph output becomes the predicted
# class and a Softmax feeding ArgMax reads the logits. The circuit's class equals torch's argmax of
# its own softmax (float64) on every 8-bit input; a Softmax whose values feed anything else stays
# refused with one line naming the node.
torch.manual_seed(11)


class Classifier(nn.Module):
    def __init__(self, argmax):
        super().__init__()
        self.a = nn.Linear(8, 6)
        self.b = nn.Linear(6, 5)
        self.argmax = argmax

    def forward(self, x):
        p = torch.softmax(self.b(torch.relu(self.a(x))), dim=1)
        return torch.argmax(p, dim=1) if self.argmax else p


X = all_bits(8)
for argmax in (False, True):
    net = Classifier(argmax).eval()
    name = "softmax_argmax" if argmax else "softmax_out"
    path = os.path.join(tmp, name + ".onnx")
    torch.onnx.export(net, torch.zeros(1, 8), path, opset_version=13, input_names=["x"], output_names=["y"])
    tc = os.path.join(tmp, name + ".tc")
    r = subprocess.run([TCX, "compile", path, "-o", tc, "--force"], capture_output=True, text=True)
    check(f"{name}: Softmax refused without --softmax argmax", r.returncode == 2 and "Softmax" in r.stderr and "--softmax argmax" in r.stderr
          and r.stderr.count("\n") == 1, r.stderr.strip())
    r = subprocess.run([TCX, "compile", path, "-o", tc, "--force", "--softmax", "argmax", "--check"], capture_output=True, text=True)
    ok = r.returncode == 0 and "note: node" in r.stderr and "(Softmax)" in r.stderr
    check(f"{name}: compiled with --softmax argmax, reported, equal to the interpreter", ok, r.stderr.strip().splitlines()[-1] if r.stderr else "")
    if not ok:
        continue
    circ = np.array(tcsim.word(tcsim.evaluate(tc, X), False), dtype=np.int64)
    with torch.no_grad():
        x64, net64 = torch.tensor(X, dtype=torch.float64), net.double()
        probs = torch.softmax(net64.b(torch.relu(net64.a(x64))), dim=1)
        ref = torch.argmax(probs, dim=1).numpy()
        if argmax:
            ref = net64(x64).numpy()  # the module's own argmax of its softmax
    check(f"{name}: the circuit's class equals torch's argmax of the softmax", (circ == ref).all(),
          f"{(circ == ref).sum()} of {len(X)} inputs agree")


class SoftmaxUsed(nn.Module):
    def forward(self, x):
        return torch.softmax(x, dim=1) * 2


p = os.path.join(tmp, "softmax_used.onnx")
torch.onnx.export(SoftmaxUsed(), torch.zeros(1, 4), p, opset_version=13, input_names=["x"], output_names=["y"])
r = subprocess.run([TCX, "compile", p, "-o", os.path.join(tmp, "su.tc"), "--softmax", "argmax"], capture_output=True, text=True)
check("Softmax read by Mul refused even with --softmax argmax", r.returncode == 2 and "(Softmax)" in r.stderr and "Mul" in r.stderr
      and r.stderr.count("\n") == 1, r.stderr.strip())

# 6. Pad: torch writes one before every AveragePool (count_include_pad), and F.pad in its three
# modes; the pads arrive through a chain of Shape-free constant operators. Integer outputs
# (the average times 4), compared with torch exactly on every 4x4 bit image.


class Padded(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(1, 1, 3)

    def forward(self, x):
        a = nn.functional.avg_pool2d(x, 2) * 4
        b = nn.functional.pad(x, (1, 2, 0, 1), value=2.0)
        r = nn.functional.pad(x, (1, 1, 1, 1), mode="reflect")
        e = nn.functional.pad(x, (2, 0, 1, 1), mode="replicate")
        return torch.cat([a.flatten(1), self.c(b).flatten(1), self.c(r).flatten(1), self.c(e).flatten(1)], 1)


pm = Padded()
_, tc, layout = integer_cnn(pm, "padded")
X = all_bits(16)
with torch.no_grad():
    ref = pm(torch.tensor(X, dtype=torch.float32).reshape(-1, 1, 4, 4)).numpy().astype(np.int64)
circ = integer_words(tc, layout, X, ref.shape[1])
check("Pad (constant 2, reflect, edge) and AvgPool2d", (circ == ref).all(), f"{(circ == ref).all(1).sum()} of {len(X)} images agree with torch exactly")

# 7. Exact operators with no weights: LeakyReLU(0.125), Abs, mean / amax / amin over an axis,
# floor, round (half to even, as torch rounds) and ceil of dyadic fractions: torch's float32 is
# exact on these values, so the circuit (tcsim, the layout's scale) must equal it everywhere.


class Ops(nn.Module):
    def forward(self, x):
        return torch.cat([nn.functional.leaky_relu(x, 0.125), torch.abs(x), x.mean(1, keepdim=True), torch.amax(x, 1, keepdim=True),
                          torch.amin(x, 1, keepdim=True), torch.floor(x / 2), torch.round(x / 2), torch.ceil(x / 4)], 1)


path, tc, layout = compile_onnx(Ops(), torch.zeros(1, 4), "ops", "--input", "int:3")
X = all_bits(12)
vals = signed_words(X, 4, 3)
with torch.no_grad():
    ref = Ops()(torch.tensor(vals, dtype=torch.float32)).numpy().astype(np.float64)
circ = word_values(tc, layout, X, ref.shape[1])
check("LeakyRelu, Abs, ReduceMean/Max/Min, Floor, Round, Ceil", bool((circ == ref).all()),
      f"{int((circ == ref).all(1).sum())} of {len(X)} inputs agree with torch exactly (scale {layout['outputs'][0]['scale']})")

# 8. torch.maximum / torch.minimum of two computed tensors, torch.clamp by tensor bounds and
# torch.maximum by a constant (exported as ONNX Max and Min): integer weights, every int:3 input.


class MaxMin(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 3)
        self.b = nn.Linear(4, 3)

    def forward(self, x):
        a, b = self.a(x), self.b(x)
        return torch.cat([torch.maximum(a, b), torch.minimum(a, b), torch.clamp(a, min=b - 1, max=b + 2),
                          torch.maximum(a, torch.tensor(0.5))], 1)


mm = integer_weights(MaxMin(), seed=13)
path, tc, layout = compile_onnx(mm, torch.zeros(1, 4), "maxmin", "--input", "int:3")
X = all_bits(12)
with torch.no_grad():
    ref = mm(torch.tensor(signed_words(X, 4, 3), dtype=torch.float32)).numpy().astype(np.float64)
circ = word_values(tc, layout, X, ref.shape[1])
check("torch.maximum, torch.minimum, torch.clamp by tensors (Max, Min)", bool((circ == ref).all()),
      f"{int((circ == ref).all(1).sum())} of {len(X)} inputs agree with torch exactly")

# 9. nn.Embedding: int64 token indices (a graph input, --input int:3: -4..3, negative ones counting
# from the end as ONNX's Gather says; torch's embedding refuses negatives, so it reads idx mod 5),
# a vocabulary of 5, then Linear and argmax: the class on every pair of tokens. With uint:3 the
# indices reach 7, past the table: refused, one line naming the Gather.


class Embed(nn.Module):
    def __init__(self):
        super().__init__()
        self.e = nn.Embedding(5, 3)
        self.l = nn.Linear(6, 4)

    def forward(self, x):
        return torch.argmax(self.l(self.e(x).reshape(x.shape[0], -1)), 1)


em = integer_weights(Embed(), seed=17)
path, tc, layout = compile_onnx(em, torch.zeros(1, 2, dtype=torch.int64), "embedding", "--input", "int:3")
X = all_bits(6)
with torch.no_grad():
    ref = em(torch.tensor(signed_words(X, 2, 3) % 5, dtype=torch.int64)).numpy()
circ = integer_words(tc, layout, X, 1)[:, 0]
check("nn.Embedding(5) -> Linear -> argmax (Gather by input indices)", bool((circ == ref).all()),
      f"{int((circ == ref).sum())} of {len(X)} token pairs agree with torch")
r = subprocess.run([TCX, "compile", path, "-o", os.path.join(tmp, "e.tc"), "--input", "uint:3"], capture_output=True, text=True)
check("nn.Embedding(5) with uint:3 indices (up to 7) refused", r.returncode == 2 and "(Gather)" in r.stderr and "outside [-5, 4]" in r.stderr
      and r.stderr.count("\n") == 1, r.stderr.strip())

print("failures:", failures)
sys.exit(1 if failures else 0)
