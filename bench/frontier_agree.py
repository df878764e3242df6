#!/usr/bin/python3
"""Side by side and consistency of frontier_targets.sh outputs.

Usage: bench/frontier_agree.py RUN.tsv [RUN.tsv ...]

Reads the rows bench/frontier_targets.sh prints (row, size, depth, method, cell, cpu_s), from one or
several runs (e.g. one method per core), prints one Markdown table with every method's cell and CPU
seconds side by side, and checks that the methods never contradict each other: two proven cells
("k*", "-") must be equal, a found circuit of k gates ("j..k") cannot be below a proven minimum, and an
open cell ("?>k", every size up to k refuted) cannot have refuted a size another method found.
Exit 1 on a contradiction.
"""
import re
import sys

def parse(cell):
    """(kind, k): kind in minimal, found, none, open; None for errors."""
    if cell == "-":
        return ("none", None)
    m = re.fullmatch(r"(\d+)\*", cell)
    if m:
        return ("minimal", int(m.group(1)))
    m = re.fullmatch(r"\?>(\d+)", cell)
    if m:
        return ("open", int(m.group(1)))
    if re.fullmatch(r"\d+", cell):
        return ("found", int(cell))
    m = re.fullmatch(r"\d+\.\.(\d+)", cell)  # j..k: k found, sizes below j refuted
    if m:
        return ("found", int(m.group(1)))
    return None

def contradiction(a, b):
    """Why cells a and b of one (row, size, depth) cannot both be right, or None."""
    for x, y in ((a, b), (b, a)):
        kx, gx = x
        ky, gy = y
        if kx == "minimal" and ky == "minimal" and gx != gy:
            return "two different minima"
        if kx == "minimal" and ky == "found" and gy < gx:
            return "a circuit below a proven minimum"
        if kx == "none" and ky in ("minimal", "found"):
            return "a circuit where none was proven"
        if kx == "open" and ky in ("minimal", "found") and gy <= gx:
            return "a size found that the other refuted"
    return None

def main(paths):
    cells = {}  # (row, size, depth) -> {method: (cell, cpu)}
    order = []
    for path in paths:
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 6 or parts[0] == "row" or parts[1] == "-":
                    continue
                key = (parts[0], parts[1], int(parts[2]))
                if key not in cells:
                    cells[key] = {}
                    order.append(key)
                cells[key][parts[3]] = (parts[4], parts[5])
    methods = sorted({m for v in cells.values() for m in v}, key=lambda m: (m != "weights", m))
    print("| row | size | depth | " + " | ".join(methods) + " |")
    print("|---|---|---:|" + "---|" * len(methods))
    bad = 0
    for key in order:
        got = cells[key]
        texts = [f"{got[m][0]} ({got[m][1]} s)" if m in got else "" for m in methods]
        print(f"| {key[0]} | {key[1]} | {key[2]} | " + " | ".join(texts) + " |")
        parsed = [(m, parse(got[m][0])) for m in methods if m in got and parse(got[m][0])]
        for i in range(len(parsed)):
            for j in range(i + 1, len(parsed)):
                why = contradiction(parsed[i][1], parsed[j][1])
                if why:
                    bad += 1
                    print(f"CONTRADICTION {key}: {parsed[i][0]} {got[parsed[i][0]][0]} against "
                          f"{parsed[j][0]} {got[parsed[j][0]][0]}: {why}", file=sys.stderr)
    both = sum(1 for v in cells.values() if len(v) > 1)
    print(f"\n{len(cells)} cells, {both} answered by more than one method, {bad} contradictions", file=sys.stderr)
    return 1 if bad else 0

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
