#!/usr/bin/python3
"""Throughput of tcx.Circuit.eval (numpy in, numpy out) against the C++ simulator's own driver.

    /usr/bin/python3 bench/bench_python_eval.py [--patterns 1048576] [--repeat 5] [--threads 0]

For each circuit: the best of --repeat runs of
  * python: Circuit.eval on a (patterns, inputs) bool array, returning (patterns, outputs) bools
    (the transposition into bit-sliced words and back included);
  * C++: simulate_blocks over the same number of seeded random patterns, outputs discarded (the
    library's driver, as tcx equiv and the checks use it; tcx._core.Circuit._simulate_random);
  * C++ explicit rows: simulate_patterns on the same rows (rows in, rows out, as eval; the rows
    converted to its input type before the clock starts; tcx._core.Circuit._time_simulate_patterns).
Ratio = python patterns/s over C++ patterns/s. Run from the source tree with the build's package
(the script puts build/python first on sys.path when it exists).
"""

import argparse
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
build = os.path.join(here, "..", "build", "python")
if os.path.isdir(build):
    sys.path.insert(0, build)

import numpy as np  # noqa: E402

import tcx  # noqa: E402


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--patterns", type=int, default=1 << 20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    circuits = [
        ("majority3.tc", tcx.load(os.path.join(here, "..", "examples", "majority3.tc"))),
        ("parity n=16 (task)", tcx.task("parity", n=16).circuit()),
        ("cell mul 8 bits", tcx.cell("mul", 8)),
        ("mlp_sign n=32", tcx.compile("mlp_sign", 32)),
        ("transformer_majority n=16", tcx.compile("transformer_majority", 16)),
        ("rnn_relu n=8", tcx.compile("rnn_relu", 8)),
    ]
    P = args.patterns
    rng = np.random.default_rng(1)
    print(f"tcx {tcx.__version__}, {P} patterns, best of {args.repeat}, threads {args.threads or 'all'} ({os.cpu_count()} cpus)")
    print()
    print("| circuit | inputs | gates | python eval (Mpat/s) | C++ random driver (Mpat/s) | ratio | C++ explicit rows (Mpat/s) | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, c in circuits:
        x = rng.integers(0, 2, size=(P, c.inputs), dtype=np.uint8).astype(bool)
        out = c.eval(x[:1000])  # warm up, and a sanity check of shape
        assert out.shape == (1000, c.outputs)
        tp = best(lambda: c.eval(x, threads=args.threads), args.repeat)
        tc = best(lambda: c._simulate_random(P, 1, args.threads), args.repeat)
        xu = x.astype(np.uint8)
        te = min(c._time_simulate_patterns(xu, args.threads) for _ in range(args.repeat))
        print(f"| {name} | {c.inputs} | {c.gates} | {P / tp / 1e6:.1f} | {P / tc / 1e6:.1f} | {tc / tp:.2f} | {P / te / 1e6:.1f} | {te / tp:.2f} |")


if __name__ == "__main__":
    main()
