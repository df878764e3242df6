#!/usr/bin/python3
"""Trains and exports the ONNX examples of tcx (fixed seeds; a few seconds on one core).

  digits_bnn.onnx   binarized MLP 64-64-10 on scikit-learn's 8x8 digits, pixels >= 8 as 64 bits:
                    +-1 weights, batch normalization, Sign, then +-1 weights with a bias and ArgMax
  digits_qmlp.onnx  torch.ao statically quantized MLP 64-32-10 (uint8 activations, int8 weights)
  cnn_int.onnx      small integer CNN on 6x6 bit images: Conv 3x3 (integer weights), ReLU,
                    MaxPool 2, Gemm (integer weights)
  mlp_{n}.onnx      binarized MLPs n-n-1 with seeded +-1 weights, n = 8, 16, 32, 64 (a family)

Usage: /usr/bin/python3 examples/onnx/train_examples.py [OUTDIR [TCX]]
With TCX (the tcx binary), the binarized MLP is also compiled and its circuit evaluated on all 1,797
images (tests/onnx/tcsim.py, an evaluator written apart from tcx): its predictions must equal
PyTorch's forward pass (run in float64) on every image.
"""
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits

warnings.filterwarnings("ignore")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
TCX = sys.argv[2] if len(sys.argv) > 2 else None
HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)


def digits_bits():
    d = load_digits()
    x = (d.data >= 8).astype(np.float32)  # 1797 x 64 bits
    return x, d.target.astype(np.int64)


class SignSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x.abs() <= 1).to(g.dtype)


class BinLinear(nn.Linear):
    def forward(self, x):
        return nn.functional.linear(x, SignSTE.apply(self.weight), self.bias)


class BNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = BinLinear(64, 64, bias=False)
        self.bn = nn.BatchNorm1d(64)
        self.l2 = BinLinear(64, 10)

    def forward(self, x):
        return self.l2(SignSTE.apply(self.bn(self.l1(x))))


class BNNExport(nn.Module):
    """The trained network as plain layers: +-1 weights stored, torch.sign, argmax."""

    def __init__(self, m):
        super().__init__()
        self.l1 = nn.Linear(64, 64, bias=False)
        self.l1.weight.data = torch.sign(m.l1.weight.data)
        self.bn = m.bn
        self.l2 = nn.Linear(64, 10)
        self.l2.weight.data = torch.sign(m.l2.weight.data)
        self.l2.bias.data = m.l2.bias.data.clone()

    def forward(self, x):
        return torch.argmax(self.l2(torch.sign(self.bn(self.l1(x)))), dim=1)


def train_bnn():
    torch.manual_seed(0)
    x, y = digits_bits()
    perm = np.random.RandomState(0).permutation(len(x))
    tr, te = perm[:1437], perm[1437:]
    X, Y = torch.tensor(x), torch.tensor(y)
    m = BNN()
    opt = torch.optim.Adam(m.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.StepLR(opt, 20, 0.3)
    for epoch in range(60):
        m.train()
        sched.step() if epoch else None
        idx = torch.tensor(tr)[torch.randperm(len(tr))]
        for k in range(0, len(idx), 64):
            b = idx[k:k + 64]
            opt.zero_grad()
            nn.functional.cross_entropy(m(X[b]), Y[b]).backward()
            opt.step()
    m.eval()
    e = BNNExport(m).eval()
    with torch.no_grad():
        acc = (e(X[te]) == Y[te]).float().mean().item()
    print(f"digits_bnn: test accuracy {acc:.3f} on {len(te)} held-out images")
    path = os.path.join(OUT, "digits_bnn.onnx")
    torch.onnx.export(e, torch.zeros(1, 64), path, opset_version=13, input_names=["pixels"], output_names=["digit"])
    if TCX:
        import subprocess
        sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "onnx"))
        import tcsim
        tc = os.path.join(OUT, "digits_bnn.tc")
        r = subprocess.run([TCX, "compile", path, "-o", tc, "--force"], capture_output=True, text=True, check=True)
        print(r.stderr.strip().splitlines()[-1])
        out = tcsim.evaluate(tc, x)  # 1797 x 64 bits
        pred_circuit = np.array(tcsim.word(out, False), dtype=np.int64)
        with torch.no_grad():
            pred_torch = e.double()(torch.tensor(x, dtype=torch.float64)).numpy()
        same = int((pred_circuit == pred_torch).sum())
        print(f"digits_bnn: circuit predictions equal PyTorch's on {same} of {len(x)} images; "
              f"circuit accuracy on all images {(pred_circuit == y).mean():.3f}")
        assert same == len(x), "the circuit disagrees with PyTorch"
    return acc


def train_qmlp():
    import torch.ao.quantization as tq
    torch.manual_seed(1)
    d = load_digits()
    X = torch.tensor(d.data / 16.0, dtype=torch.float32)
    Y = torch.tensor(d.target, dtype=torch.int64)

    class Q(nn.Module):
        def __init__(self):
            super().__init__()
            self.q = tq.QuantStub()
            self.l1 = nn.Linear(64, 32)
            self.r = nn.ReLU()
            self.l2 = nn.Linear(32, 10)
            self.dq = tq.DeQuantStub()

        def forward(self, x):
            return self.dq(self.l2(self.r(self.l1(self.q(x)))))

    m = Q()
    opt = torch.optim.Adam(m.parameters(), lr=0.01)
    for epoch in range(30):
        for k in range(0, 1437, 64):
            opt.zero_grad()
            nn.functional.cross_entropy(m(X[k:k + 64]), Y[k:k + 64]).backward()
            opt.step()
    m.eval()
    m.qconfig = tq.get_default_qconfig("fbgemm")
    tq.prepare(m, inplace=True)
    m(X[:1437])
    tq.convert(m, inplace=True)
    with torch.no_grad():
        acc = (m(X[1437:]).argmax(1) == Y[1437:]).float().mean().item()
    print(f"digits_qmlp: test accuracy {acc:.3f} (quantized, uint8 activations)")
    torch.onnx.export(m, X[:1], os.path.join(OUT, "digits_qmlp.onnx"), opset_version=13, input_names=["pixels"],
                      output_names=["logits"])
    return m


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(1, 3, 3, padding=1)
        self.p = nn.MaxPool2d(2)
        self.f = nn.Linear(3 * 3 * 3, 2)

    def forward(self, x):
        x = self.p(torch.relu(self.c(x)))
        return self.f(x.reshape(x.shape[0], -1))


def make_cnn():
    """Integer weights in [-2, 2], integer biases: exact in float, so torch agrees exactly."""
    torch.manual_seed(2)
    m = CNN()
    g = torch.Generator().manual_seed(2)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randint(-2, 3, p.shape, generator=g).float())
    m.eval()
    torch.onnx.export(m, torch.zeros(1, 1, 6, 6), os.path.join(OUT, "cnn_int.onnx"), opset_version=13,
                      input_names=["image"], output_names=["scores"])
    return m


class SignMLP(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.a = nn.Linear(n, n, bias=False)
        self.b = nn.Linear(n, 1, bias=False)

    def forward(self, x):
        return torch.sign(self.b(torch.sign(self.a(2 * x - 1) + 0.5)) + 0.5)


def make_family():
    for n in (8, 16, 32, 64):
        torch.manual_seed(100 + n)
        m = SignMLP(n)
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(torch.sign(torch.randn(p.shape)))
        m.eval()
        torch.onnx.export(m, torch.zeros(1, n), os.path.join(OUT, f"mlp_{n}.onnx"), opset_version=13,
                          input_names=["x"], output_names=["y"])


if __name__ == "__main__":
    train_bnn()
    train_qmlp()
    make_cnn()
    make_family()
