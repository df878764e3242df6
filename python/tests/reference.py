"""An evaluator written apart from tcx's simulator: numpy integer sums over the gate list."""

import numpy as np


def reference_eval(circuit, patterns):
    """Outputs (P, m) bool of `circuit` on `patterns` (P, n) bool, gate by gate in numpy."""
    patterns = np.asarray(patterns, dtype=bool)
    P = patterns.shape[0]
    values = np.zeros((P, 1 + circuit.inputs + circuit.gates), dtype=bool)
    values[:, 1:1 + circuit.inputs] = patterns
    for g in circuit.gates_iter():
        big = any(abs(w) >= 2**40 for w in g.weights) or abs(g.threshold) >= 2**62
        dtype = object if big else np.int64
        total = np.zeros(P, dtype=dtype)
        for f, w in zip(g.fanins, g.weights):
            total = total + values[:, f].astype(dtype) * w
        values[:, g.node] = total >= g.threshold
    out = np.zeros((P, circuit.outputs), dtype=bool)
    for k, (lit, _) in enumerate(circuit.output_literals()):
        out[:, k] = values[:, lit.node] ^ lit.negated
    return out


def all_patterns(n):
    """Every input pattern, row p setting input i to bit i of p."""
    p = np.arange(1 << n, dtype=np.uint64)[:, None]
    return ((p >> np.arange(n, dtype=np.uint64)) & 1).astype(bool)
