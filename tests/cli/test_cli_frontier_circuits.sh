#!/usr/bin/env bash
# The circuits behind the frontier's found cells (examples/frontier, found by descent; the
# README there has the commands): each is checked on every cared input against the task's
# reference solver (plain C++, no circuit code), and its depth and size are the ones the docs
# claim. They are the upper bounds of docs/provers.md's target table, kept so that a reader
# can check them without running a search.
set -u
tcx="$1"
dir="$(dirname "$0")/../../examples/frontier"
# shellcheck source=check_lib.sh
source "$(dirname "$0")/check_lib.sh"

shape() {  # description, file, depth, gates: tcx stats reports that depth and that many gates
  check "$1: stats" 0 "$tcx" stats "$2"
  has "$1: depth $3" "^depth +$3$"
  has "$1: $4 gates" "^gates +$4$"
}

r110=(--task eca --param cells=9 --param cell=4 --param steps=4)
shape "Rule 110 after 4 steps" "$dir/eca_rule110_t4_depth2_6gates.tc" 2 6
check "Rule 110 after 4 steps in 6 gates: correct on all 512 inputs" 0 "$tcx" verify "$dir/eca_rule110_t4_depth2_6gates.tc" "${r110[@]}"
has "every input" "all 512 inputs"
check "and by an evaluator written here: the .tc gates against Rule 110's light cone" 0 /usr/bin/python3 - "$dir/eca_rule110_t4_depth2_6gates.tc" <<'PY'
import re, sys
gates, out = [], None
for line in open(sys.argv[1]):
    m = re.match(r"gate @(\d+) = (.*) >= (-?\d+)$", line.strip())
    if m:
        terms = re.findall(r"([+-]?) *(\d*) *([x@]\d+)", m.group(2))
        gates.append((m.group(1), [(int((s or "+") + (w or "1")), v) for s, w, v in terms], int(m.group(3))))
    m = re.match(r"output y0 = (!?)@(\d+)$", line.strip())
    if m:
        out = (m.group(1) == "!", m.group(2))
def rule110(row):  # one step of the open line's light cone: the row loses a cell at each end
    return [(110 >> (row[i - 1] * 4 + row[i] * 2 + row[i + 1])) & 1 for i in range(1, len(row) - 1)]
for p in range(512):
    val = {"x%d" % i: (p >> i) & 1 for i in range(9)}
    for g, terms, t in gates:
        val["@" + g] = int(sum(w * val[v] for w, v in terms) >= t)
    row = [(p >> i) & 1 for i in range(9)]
    for _ in range(4):
        row = rule110(row)
    if (val["@" + out[1]] ^ out[0]) != row[0]:
        sys.exit("wrong on pattern %d" % p)
PY

shape "S_3, three elements" "$dir/word_s3_n3_depth2_11gates.tc" 2 11
check "S_3, three elements, in 11 gates: correct on all 512 codes" 0 "$tcx" verify "$dir/word_s3_n3_depth2_11gates.tc" --task word_s3 --param n=3
has "every code" "all 512 inputs"

a5="$dir/word_a5_n2_valid_depth2_15gates.tc"
shape "A_5, two elements" "$a5" 2 15
check "A_5, two elements, in 15 gates: correct on the valid codes" 0 "$tcx" verify "$a5" --task word_a5 --param n=2 --care valid
has "the 3,600 valid codes" "the 3600 cared inputs of 4096"
check "made for the valid codes only: wrong on some invalid one" 1 "$tcx" verify "$a5" --task word_a5 --param n=2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
