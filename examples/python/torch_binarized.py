#!/usr/bin/python3
"""Train a tiny binarized network in PyTorch and compile it to a threshold circuit with tcx.from_torch.

    /usr/bin/python3 examples/python/torch_binarized.py [--epochs 300] [--hidden 6]

The task, on 8 input bits: y = [x0 + x1 + x2 + x3 >= 2] AND [x4 + x5 + x6 + x7 >= 2]. The network
has +-1 weights (trained through a straight-through estimator) and sign activations, so each
neuron is one threshold gate. For export the biases are moved to the nearest half-integer, so no
pre-activation is ever 0 and every sign is +-1. from_torch exports the module to ONNX in memory and
compiles it exactly; the circuit then equals the exported network on all 256 inputs.
"""

import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import tcx

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--epochs", type=int, default=300)
parser.add_argument("--hidden", type=int, default=6)
args = parser.parse_args()
torch.manual_seed(0)

# Every input pattern: row p sets input i to bit i of p.
X = torch.tensor([[(p >> i) & 1 for i in range(8)] for p in range(256)], dtype=torch.float32)
Y = ((X[:, :4].sum(1) >= 2) & (X[:, 4:].sum(1) >= 2)).float()


class SignSTE(torch.autograd.Function):
    """sign in the forward pass (0 -> +1), the identity clipped to [-1, 1] in the backward pass."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x.abs() <= 1).float()


class BinaryNet(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.l1 = nn.Linear(8, hidden)
        self.l2 = nn.Linear(hidden, 1)

    def forward(self, x):
        h = SignSTE.apply(F.linear(2 * x - 1, SignSTE.apply(self.l1.weight), self.l1.bias))
        return F.linear(h, SignSTE.apply(self.l2.weight), self.l2.bias)[:, 0]  # a logit


net = BinaryNet(args.hidden)
opt = torch.optim.Adam(net.parameters(), lr=0.03)
for epoch in range(args.epochs):
    opt.zero_grad()
    loss = F.binary_cross_entropy_with_logits(net(X), Y)
    loss.backward()
    opt.step()


class Exported(nn.Module):
    """The trained network as plain ONNX-friendly operators: +-1 weights, half-integer biases, Sign."""

    def __init__(self, net):
        super().__init__()
        self.l1 = nn.Linear(8, net.l1.out_features)
        self.l2 = nn.Linear(net.l1.out_features, 1)
        with torch.no_grad():
            for mine, trained in ((self.l1, net.l1), (self.l2, net.l2)):
                mine.weight.copy_(torch.where(trained.weight >= 0, 1.0, -1.0))
                mine.bias.copy_(torch.floor(trained.bias) + 0.5)

    def forward(self, x):
        h = torch.sign(self.l1(2 * x - 1))
        return torch.sign(self.l2(h))  # +1: the answer is 1


model = Exported(net)
with torch.no_grad():
    want = (model(X)[:, 0] > 0).numpy()
print(f"trained {args.epochs} epochs, loss {loss.item():.3f}; exported network right on "
      f"{int((want == Y.numpy().astype(bool)).sum())} of 256 inputs")

circuit = tcx.from_torch(model, torch.zeros(1, 8), input="bits")  # checked against tcx's ONNX interpreter
print(f"circuit: {circuit}")
print(circuit.layout)  # which wires hold which tensor element, and what values they stand for
got = circuit.eval(X.numpy().astype(bool))
assert got.shape == (256, 1), got.shape  # one wire: 1 stands for +1
assert (got[:, 0] == want).all()
# forward runs the circuit on tensor values, batched as torch batches them: the outputs are
# the network's own, +1 and -1, decoded by the layout.
with torch.no_grad():
    assert (circuit.forward(X) == model(X).numpy()).all()
print(f"the circuit equals the PyTorch network on all 256 inputs (depth {circuit.depth}, {circuit.gates} gates)")
