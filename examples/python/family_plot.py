#!/usr/bin/python3
"""Compile a zoo model, then plot how depth and size grow with n for a few model families.

    /usr/bin/python3 examples/python/family_plot.py [--out family.png] [--force]

A constant-depth family (an MLP, a Transformer) stays flat in depth while its size grows like a
polynomial; a recurrent network's depth grows with n: the picture behind the TC^0 argument.
"""

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

import tcx

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--out", default="family.png", help="the PNG to write")
parser.add_argument("--max-n", type=int, default=64, help="largest n of the sweep")
parser.add_argument("--force", action="store_true", help="replace --out if it exists")
args = parser.parse_args()
if os.path.exists(args.out) and not args.force:  # as tcx itself: nothing is replaced unless asked
    sys.exit(f"family_plot.py: {args.out} exists (use --force to replace it)")

# One model compiled at one size: an explicit circuit, checked against the model's interpreter.
circuit = tcx.compile("mlp_sign", 8, check=True)
print(f"mlp_sign at n = 8: {circuit}")

models = ["mlp_sign", "transformer_majority", "ssm_s5", "rnn_parity"]
fig, (ax_depth, ax_size) = plt.subplots(1, 2, figsize=(10, 4))
for name in models:
    fam = tcx.family(name, f"4..{args.max_n}")  # counted, not stored
    ns = [r["n"] for r in fam.records]
    ax_depth.plot(ns, [r["depth"] for r in fam.records], marker="o", label=name)
    ax_size.plot(ns, [r["gates"] for r in fam.records], marker="o", label=name)
    tc0 = {True: "consistent with TC^0", False: "not consistent with TC^0", None: "undecided (larger n would tell)"}
    print(f"{name}: depth {[r['depth'] for r in fam.records]}, {tc0[fam.consistent_with_tc0]}")
for ax, what in ((ax_depth, "depth"), (ax_size, "gates")):
    ax.set_xscale("log", base=2)
    ax.set_xlabel("n")
    ax.set_ylabel(what)
    ax.grid(True, alpha=0.3)
ax_size.set_yscale("log")
ax_depth.legend()
fig.suptitle(f"model families as threshold circuits (tcx {tcx.__version__})")
fig.tight_layout()
fig.savefig(args.out, dpi=100)
print(f"wrote {args.out}")
