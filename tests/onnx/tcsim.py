"""A plain evaluator of tcx's .tc circuits (docs/format.md), written apart from tcx, for the
PyTorch comparisons: it runs a circuit on many input patterns at once with numpy."""
import re
import numpy as np

TOKEN = re.compile(r'\s*(?:(?P<q>"(?:[^"\\]|\\.)*")|(?P<w>[^\s"]+))')


def _tokens(line):
    out = []
    pos = 0
    line = line.rstrip("\n")
    while pos < len(line):
        m = TOKEN.match(line, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group("q") is not None:
            out.append(("name", bytes(m.group("q")[1:-1], "utf-8").decode("unicode_escape")))
        else:
            t = m.group("w")
            if t.startswith("#"):
                break
            out.append(("w", t))
    return out


def evaluate(path, inputs):
    """inputs: (patterns, n_inputs) array of 0/1. Returns (patterns, n_outputs) array of 0/1."""
    inputs = np.asarray(inputs, dtype=np.int64)
    P = inputs.shape[0]
    nodes = [np.zeros(P, dtype=np.int64)]  # node 0: false
    names = {}
    outs = []

    def lit(tok):
        neg = 0
        while tok.startswith("!"):
            neg ^= 1
            tok = tok[1:]
        if tok == "true":
            v = nodes[0] ^ 1
        elif tok == "false":
            v = nodes[0]
        elif tok.startswith("@"):
            v = nodes[int(tok[1:])]
        else:
            v = nodes[names[tok]]
        return v ^ neg

    with open(path) as f:
        lines = f.readlines()
    for line in lines[1:]:
        toks = _tokens(line)
        if not toks:
            continue
        kw = toks[0][1]
        if kw == "end":  # version 2's closing line
            break
        if kw == "input":
            for _, name in toks[1:]:
                names[name] = len(nodes)
                nodes.append(inputs[:, len(nodes) - 1])
        elif kw == "inputs":
            for _ in range(int(toks[1][1])):
                nodes.append(inputs[:, len(nodes) - 1])
        elif kw == "gate":
            target = toks[1][1]
            assert toks[2][1] == "="
            ge = [k for k, t in enumerate(toks) if t == ("w", ">=")][0]
            thr = int(toks[ge + 1][1])
            body = toks[3:ge]
            small = all(abs(int(t)) < (1 << 40) for kind, t in body if kind == "w" and re.fullmatch(r"\d+", t)) and len(body) < 4096 and abs(thr) < (1 << 40)
            acc = np.zeros(P, dtype=np.int64 if small else object)
            sign, k = 1, 0
            while k < len(body):
                kind, t = body[k]
                if kind == "w" and t in "+-":
                    sign = 1 if t == "+" else -1
                    k += 1
                    continue
                if kind == "w" and re.fullmatch(r"\d+", t):
                    w = int(t)
                    if k + 1 < len(body) and body[k + 1][1] == "*":
                        k += 1
                    if k + 1 < len(body) and not (body[k + 1][0] == "w" and body[k + 1][1] in "+-"):
                        acc = acc + sign * w * lit(body[k + 1][1])
                        k += 2
                    else:
                        acc = acc + sign * w
                        k += 1
                else:
                    acc = acc + sign * lit(t)
                    k += 1
                sign = 1
            val = (acc >= thr).astype(np.int64)
            if target.startswith("@"):
                assert int(target[1:]) == len(nodes)
            else:
                names[target] = len(nodes)
            nodes.append(val)
        elif kw == "output":
            outs.append(lit(toks[-1][1]))
    return np.stack(outs, axis=1) if outs else np.zeros((P, 0), dtype=np.int64)


def word(bits, signed):
    """Integer value of LSB-first bit columns (patterns, width)."""
    w = bits.shape[1]
    v = sum(bits[:, k].astype(object) << k for k in range(w))
    if signed:
        v = v - (bits[:, w - 1].astype(object) << w)
    return v
