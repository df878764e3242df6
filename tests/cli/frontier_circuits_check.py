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
    """(input names, gates as (name, [(weight, negated, name or None for a constant)], threshold),
    the first output as (negated, name))."""
    inputs, gates, out = [], [], None
    lines = open(path).read().split("\n")
    if lines[0].split() == ["tcx-circuit", "2"] and "end" not in (l.split("#")[0].strip() for l in lines):
        sys.exit(path + ": a version 2 file without its closing 'end' line")
    for line in lines[1:]:
        words = line.split("#")[0].replace("+", " + ").replace("-", " - ").split()
        if not words:
            continue
        if words[0] == "end":
            break
        if words[0] == "input":
            inputs += words[1:]
        elif words[0] == "gate":
            name, body, threshold = words[1], words[3:-2], int("".join(words[-1:]))
            if words[-2] == "-":  # a negative threshold was split off its sign
                body, threshold = words[3:-3], -int(words[-1])
            terms, sign, weight = [], 1, None
            for tok in body + ["+"]:
                if tok in "+-":
                    if weight is not None:  # a bare integer: a constant
                        terms.append((sign * weight, False, None))
                    sign, weight = (1 if tok == "+" else -1), None
                elif tok.isdigit():
                    weight = int(tok)
                else:
                    terms.append((sign * (1 if weight is None else weight), tok.startswith("!"), tok.lstrip("!")))
                    weight = None
            gates.append((name, terms, threshold))
        elif words[0] == "output" and out is None:
            lit = words[-1]
            out = (lit.startswith("!"), lit.lstrip("!"))
    if out is None:
        sys.exit("no output in " + path)
    return inputs, gates, out


def evaluate(circuit, bits):
    inputs, gates, (negated, name) = circuit
    val = dict(zip(inputs, bits))
    for g, terms, t in gates:
        val[g] = int(sum(w * (1 if v is None else val[v] ^ int(neg)) for w, neg, v in terms) >= t)
    return val[name] ^ int(negated)


def rule110_centre(bits, steps):
    row = list(bits)
    for _ in range(steps):  # the open line's light cone: a cell fewer at each end per step
        row = [(110 >> (row[i - 1] * 4 + row[i] * 2 + row[i + 1])) & 1 for i in range(1, len(row) - 1)]
    return row[0]


def group(points, alternating):
    perms = list(itertools.permutations(range(points)))  # lexicographic order of the image lists
    if alternating:
        perms = [p for p in perms if sum(p[i] > p[j] for i in range(points) for j in range(i + 1, points)) % 2 == 0]
    return perms


WORD_TASKS = {"word_s3": (3, False, 3), "word_a4": (4, True, 4), "word_s4": (4, False, 5), "word_a5": (5, True, 6), "word_s5": (5, False, 7)}


def word_cases(task, n, valid_only):
    """(bits, is the product the identity) for every input, or every valid one."""
    points, alternating, width = WORD_TASKS[task]
    elements = group(points, alternating)
    order = len(elements)
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
    elif task in WORD_TASKS:
        cases = word_cases(task, int(params["n"]), valid_only)
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
