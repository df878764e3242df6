#!/usr/bin/python3
"""Build threshold circuits gate by gate with tcx.Builder and verify them against numpy.

    /usr/bin/python3 examples/python/builder_numpy.py [--n 10]

1. a comparator a >= b of two k-bit numbers: one gate with weights +2^i and -2^i;
2. parity of n bits in depth 2: the ladder [x_1 + ... + x_n >= k] for k = 1..n, then one gate
   with alternating weights +1, -1, +1, ... (the symmetric-function construction).
"""

import argparse

import numpy as np

import tcx

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--n", type=int, default=10, help="parity of n bits (and a comparator of n/2-bit numbers)")
args = parser.parse_args()
n = args.n
k = n // 2

# Every input pattern: row p sets input i to bit i of p (the convention everywhere in tcx).
patterns = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1).astype(bool)

# 1. The comparator.
b = tcx.Builder()
a_bits = [b.input(f"a{i}") for i in range(k)]
b_bits = [b.input(f"b{i}") for i in range(k)]
ge = b.gate(a_bits + b_bits, [2**i for i in range(k)] + [-(2**i) for i in range(k)], 0)
b.output(ge, "a_ge_b")
comparator = b.build()
x = patterns[: 1 << (2 * k), : 2 * k]
a = (x[:, :k] * (1 << np.arange(k))).sum(axis=1)
bb = (x[:, k:] * (1 << np.arange(k))).sum(axis=1)
assert (comparator.eval(x)[:, 0] == (a >= bb)).all()
print(f"comparator of two {k}-bit numbers: {comparator}; equals numpy's a >= b on all {len(x)} inputs")

# 2. Parity in depth 2.
b = tcx.Builder()
xs = b.inputs(n)
ladder = [b.gate(xs, [1] * n, t) for t in range(1, n + 1)]
parity = b.gate(ladder, [(-1) ** t for t in range(n)], 1)
b.output(parity, "parity")
circuit = b.build()
assert circuit.depth == 2 and circuit.gates == n + 1
out = circuit.eval(patterns)[:, 0]
assert (out == (patterns.sum(axis=1) % 2 == 1)).all()
print(f"parity of {n} bits: {circuit}; equals numpy's sum % 2 on all {1 << n} inputs")

# The same check by the library's exhaustive equivalence, against the task's natural circuit.
natural = tcx.task("parity", n=n).circuit()
print(f"equivalent to tcx's natural parity circuit: {circuit.equiv(natural).verdict}")
