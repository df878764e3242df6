"""Checks a circuit of examples/frontier against a reference written here, apart from tcx.

usage: frontier_circuits_check.py FILE TASK [NAME=VALUE ...] [--valid]

The .tc file is read and evaluated by this script's own parser; the task's answer comes from a
plain Python model of the task's encoding (`tcx tasks` states it). Every input is checked
(with --valid: every valid code; the others are don't-cares). Exit 0 and one line when right,
1 and the first wrong input otherwise.
"""
import itertools
import math
import re
import sys


def read_tc(path):
    gates, out = [], None
    for line in open(path):
        line = line.strip()
        m = re.match(r"gate @(\d+) = (.*) >= (-?\d+)$", line)
        if m:
            terms = re.findall(r"([+-]?) *(\d*) *([x@]\d+)", m.group(2))
            gates.append(("@" + m.group(1), [(int((s or "+") + (w or "1")), v) for s, w, v in terms], int(m.group(3))))
        m = re.match(r"output y0 = (!?)@(\d+)$", line)
        if m:
            out = (m.group(1) == "!", "@" + m.group(2))
    if out is None:
        sys.exit("no output y0 in " + path)
    return gates, out


def evaluate(circuit, bits):
    gates, (negated, name) = circuit
    val = {"x%d" % i: b for i, b in enumerate(bits)}
    for g, terms, t in gates:
        val[g] = int(sum(w * val[v] for w, v in terms) >= t)
    return val[name] ^ int(negated)


def rule110_centre(bits, steps):
    row = list(bits)
    for _ in range(steps):  # the open line's light cone: a cell fewer at each end per step
        row = [(110 >> (row[i - 1] * 4 + row[i] * 2 + row[i + 1])) & 1 for i in range(1, len(row) - 1)]
    return row[0]


def group(order):
    perms = list(itertools.permutations(range(5)))  # lexicographic order of the image lists
    if order == 60:
        perms = [p for p in perms if sum(p[i] > p[j] for i in range(5) for j in range(i + 1, 5)) % 2 == 0]
    return perms


def word_cases(order, width, n, valid_only):
    """(bits, is the product the identity) for every input, or every valid one."""
    elements = group(order) if order in (60, 120) else list(itertools.permutations(range(3)))
    ident = tuple(range(len(elements[0])))
    for codes in itertools.product(range(1 << width), repeat=n):
        if valid_only and any(c >= order for c in codes):
            continue
        x = ident
        for c in codes:  # element 0 applied first; codes past the order stand for the identity
            g = elements[c] if c < order else ident
            x = tuple(g[v] for v in x)
        bits = [(c >> b) & 1 for c in codes for b in range(width)]
        yield bits, int(x == ident)


def cvp_cases(m, g):
    b = max(1, math.ceil(math.log2(m + g)))
    width = m + g * (2 + 2 * b)
    for p in range(1 << width):
        bits = [(p >> i) & 1 for i in range(width)]
        wires = bits[:m]
        pos = m
        for k in range(g):
            kind = bits[pos] | bits[pos + 1] << 1
            ops = []
            for o in range(2):
                j = sum(bits[pos + 2 + o * b + t] << t for t in range(b))
                ops.append(wires[j] if j < m + k else 0)
            v = [ops[0] & ops[1], ops[0] | ops[1]][kind & 1]
            wires.append(v ^ (kind >> 1))
            pos += 2 + 2 * b
        yield bits, wires[-1]


def main():
    args = [a for a in sys.argv[1:] if a != "--valid"]
    valid_only = "--valid" in sys.argv[1:]
    path, task = args[0], args[1]
    params = dict(a.split("=") for a in args[2:])
    circuit = read_tc(path)
    if task == "eca":
        steps = int(params["steps"])
        cases = ((bits, rule110_centre(bits, steps)) for p in range(1 << (2 * steps + 1))
                 for bits in [[(p >> i) & 1 for i in range(2 * steps + 1)]])
    elif task in ("word_s3", "word_a5", "word_s5"):
        order, width = {"word_s3": (6, 3), "word_a5": (60, 6), "word_s5": (120, 7)}[task]
        cases = word_cases(order, width, int(params["n"]), valid_only)
    elif task == "cvp":
        cases = cvp_cases(int(params["inputs"]), int(params["gates"]))
    else:
        sys.exit("no reference here for task " + task)
    count = 0
    for bits, want in cases:
        count += 1
        if evaluate(circuit, bits) != want:
            print("wrong on input %s (want %d)" % ("".join(map(str, bits)), want))
            return 1
    print("right on %d inputs" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
