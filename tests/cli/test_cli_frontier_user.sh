#!/usr/bin/env bash
# The frontier and synthesis as a user of issue #25 meets them from the command line: synth
# --care valid (the circuit behind a frontier's valid-code cell, checked here by an independent
# evaluator of the JSON circuit against the word problem computed from docs/tasks.md's encoding),
# the growing parameter refused in --param, the table's legend, --force for proof files, and
# the order of the word problems' product.
set -u
tcx="$1"
# shellcheck source=check_lib.sh
source "$(dirname "$0")/check_lib.sh"
lines() {  # description, count: the output has exactly that many lines (one error line)
  local n
  n=$(wc -l <"$tmp/out")
  if [ "$n" -eq "$2" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: $n lines"; cat "$tmp/out"; fi
}

# synth --care valid: S_3, two elements, 2 gates with skip wires on valid codes; 3 on all codes.
check "S_3 n=2 in 1,1 skip on valid codes: found" 0 "$tcx" synth --task word_s3 --param n=2 --widths 1,1 --skip --care valid -o "$tmp/c.json"
has "the message says valid inputs" "verified on the 36 valid inputs of 64"
has "its seconds are CPU seconds, what the budget counts" "[0-9] s CPU$"
check "verify --care valid: correct on the valid codes" 0 "$tcx" verify "$tmp/c.json" --task word_s3 --param n=2 --care valid
has "it says which inputs it checked" "exhaustive: the 36 cared inputs of 64 against the reference solver"
check "verify on every code: wrong (it was made for the valid ones)" 1 "$tcx" verify "$tmp/c.json" --task word_s3 --param n=2
check "verify --care valid --json" 0 "$tcx" verify "$tmp/c.json" --task word_s3 --param n=2 --care valid --json
has "the JSON names the care set" '"care": "valid"'
has "and counts the cared inputs" '"inputs_checked": 36'
check "verify --care valid beyond --exhaustive-bits: refused" 2 "$tcx" verify "$tmp/c.json" --task word_s3 --param n=2 --care valid --exhaustive-bits 4
has "saying why" "a care set is checked on every input: the circuit has 6 inputs, more than the 4 checked so"
lines "in one line" 1
check "S_3 n=2 in 1,1 skip on every code: none" 1 "$tcx" synth --task word_s3 --param n=2 --widths 1,1 --skip
check "S_3 n=2 in one gate on valid codes: none" 1 "$tcx" synth --task word_s3 --param n=2 --widths 1 --care valid
has "the none says valid inputs" "computes it on its valid inputs \(--care valid\), whatever its weights"
check "--care valid needs --task" 2 "$tcx" synth --table c1 --inputs 3 --widths 1 --care valid
lines "one error line" 1
check "--care takes all or valid" 2 "$tcx" synth --task word_s3 --param n=1 --widths 1 --care some
check "the found circuit, by an independent evaluator" 0 /usr/bin/python3 - "$tmp/c.json" <<'PY'
import itertools, json, sys
c = json.load(open(sys.argv[1]))
G = sorted(itertools.permutations(range(3)))  # S_3 by image lists, index 0 the identity
def word(p):  # the product of two elements, element 0 applied first
    cur = (0, 1, 2)
    for j in range(2):
        g = G[(p >> 3 * j) & 7] if ((p >> 3 * j) & 7) < 6 else (0, 1, 2)
        cur = tuple(g[cur[x]] for x in range(3))
    return int(cur == (0, 1, 2))
def run(p):
    v = {0: 0}
    v.update({i["id"]: (p >> k) & 1 for k, i in enumerate(c["inputs"])})
    for g in sorted(c["gates"], key=lambda g: g["id"]):
        v[g["id"]] = int(sum(int(w) * v[f] for f, w in zip(g["fanins"], g["weights"])) >= int(g["threshold"]))
    o = c["outputs"][0]
    return v[o["node"]] ^ int(o["negated"])
valid = [p for p in range(64) if (p & 7) < 6 and (p >> 3) < 6]
assert len(c["gates"]) == 2, c["gates"]
bad = [p for p in valid if run(p) != word(p)]
sys.exit(1 if bad else 0)
PY

# synth --json keeps the circuit found (under "circuit", tcx's JSON format): Rule 110's centre cell
# after 3 steps in 3 gates at depth 3, evaluated here against a Rule 110 simulation of our own.
check "synth --json with the circuit" 0 "$tcx" synth --task eca --param cells=7 --param cell=3 --param steps=3 --widths 1,1,1 --skip --json
cp "$tmp/out" "$tmp/r110.json"
check "the JSON circuit is Rule 110's centre cell" 0 /usr/bin/python3 - "$tmp/r110.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["circuit"]
def step(row):  # bit (4 left + 2 centre + right) of 110; 0 beyond the ends
    n = len(row)
    return [(110 >> (4 * (row[i - 1] if i else 0) + 2 * row[i] + (row[i + 1] if i + 1 < n else 0))) & 1 for i in range(n)]
def run(bits):
    v = {0: 0, **{i["id"]: bits[k] for k, i in enumerate(c["inputs"])}}
    for g in sorted(c["gates"], key=lambda g: g["id"]):
        v[g["id"]] = int(sum(int(w) * v[f] for f, w in zip(g["fanins"], g["weights"])) >= int(g["threshold"]))
    o = c["outputs"][0]
    return v[o["node"]] ^ int(o["negated"])
assert len(c["gates"]) == 3
for p in range(128):
    row = [(p >> i) & 1 for i in range(7)]
    want = step(step(step(row)))[3]
    if run(row) != want:
        sys.exit(f"pattern {p}: circuit {run(row)}, Rule 110 {want}")
PY

# bounds --care valid, and what its "impossible" covers with each method.
check "bounds --care valid" 0 "$tcx" bounds --task word_s3 --param n=2 --max-depth 2 --max-gates 3 --care valid
has "2 gates on valid codes" "depth 2: 2 gates, proven minimal"
has "says what was searched" "any weights: gate functions checked for thresholdness exactly; on the valid inputs only"
check "bounds, weights method" 0 "$tcx" bounds --task parity --param n=3 --max-depth 2 --max-gates 2 --method weights
has "the weight range" "every weight range covering its fan-in"
# At a terminal, bounds says up front what SAT will try and its budget (a search can run minutes
# with no line printed); in a pipe it prints nothing more. `script` gives the command a terminal.
check "bounds at a terminal" 0 script -qec "$tcx bounds --task parity --param n=3 --max-depth 2 --max-gates 2 --time-limit 7" /dev/null
has "the search and its budget, up front" "^tcx bounds: SAT tries templates of 1 to 2 gates at depth <= 2, up to 7 CPU seconds each"
check "bounds in a pipe" 0 "$tcx" bounds --task parity --param n=3 --max-depth 2 --max-gates 2 --time-limit 7
lacks "no note in a pipe" "SAT tries templates"

# The growing parameter cannot also be a --param (it used to be silently replaced by --sizes).
check "--param n with --over n" 2 "$tcx" frontier --task word_s3 --sizes 1..2 --param n=3 --max-gates 3
lines "one error line" 1
has "names the clash" "--param n: n is the parameter that grows"
check "--param steps with --over steps" 2 "$tcx" frontier --task eca --over steps --sizes 1..2 --param steps=3 --max-gates 3

# More outputs than --max-gates: every cell "-" (it used to fail: "a question's answer is missing").
check "eca, the whole row of 8, budget 3" 0 "$tcx" frontier --task eca --over steps --sizes 1..2 --max-depth 2 --max-gates 3
has "a note says why" "steps=1: 8 outputs, more than --max-gates 3"
has "row 2 all -" "^ +2 +- +- "
check "counting of 2, budget 1, with a state file" 0 "$tcx" frontier --task counting --sizes 2..3 --max-gates 1 --state "$tmp/st"
has "row 3 all -" "^ +3 +- +- +- "
check "and resumed" 0 "$tcx" frontier --task counting --sizes 2..3 --max-gates 1 --state "$tmp/st" --resume

# The legend names every mark a cell can show; --json carries the search's bounds.
check "a table with an open cell: exit 0, as documented" 0 "$tcx" frontier --task parity --sizes 5..5 --max-depth 2 --max-gates 3 --method weights --time-limit 0.01
has "an open cell" "\?>[0-9]"
check "frontier --help says the exit status" 0 "$tcx" frontier --help
has "exit status in the help" "Exit status: 0 with the table, whatever its cells"
check "the frontier table" 0 "$tcx" frontier --task parity --sizes 3..4 --max-depth 2 --max-gates 3
has "legend: ?>k" '\?>k unknown \(every size up to k refuted\)'
has "legend: k found" 'k found'
has "legend: the right-hand reading" 'right: the smallest depth within each budget of 1\.\.3 gates'
check "frontier --json" 0 "$tcx" frontier --task word_s3 --sizes 1..1 --max-depth 2 --max-gates 3 --care valid --json
has "json: max_gates" '"max_gates": 3'
has "json: care" '"care": "valid"'

# synth --force replaces proof files too (its help says so).
check "synth --help" 0 "$tcx" synth --help
has "--force names the proof files" "--force +replace the output file and the proof files"
check "a proof" 1 "$tcx" synth --task parity --param n=3 --widths 1 --proof-dir "$tmp/pd"
check "the proof exists: refused" 2 "$tcx" synth --task parity --param n=3 --widths 1 --proof-dir "$tmp/pd"
check "with --force: replaced" 1 "$tcx" synth --task parity --param n=3 --widths 1 --proof-dir "$tmp/pd" --force

# --proof-dir is checked before any work, even when no UNSAT answer would ever write there.
: >"$tmp/afile"
check "--proof-dir a file" 2 "$tcx" frontier --task majority --sizes 3..3 --max-depth 1 --max-gates 2 --proof-dir "$tmp/afile"
lines "one error line, no table" 1
has "says why" "exists and is not a directory"
check "--proof-dir under a file" 2 "$tcx" synth --task parity --param n=3 --widths 1 --proof-dir "$tmp/afile/sub"
has "says why" "afile is not a directory"
check "--proof-dir new, nested: made when needed" 1 "$tcx" synth --task parity --param n=3 --widths 1 --proof-dir "$tmp/new/sub"
check "the proof is there" 0 test -s "$tmp/new/sub/synth-1.drat"

# The word problems' product applies element 0 first (docs/tasks.md): (0 1), (1 2), (0 1 2).
check "2, 1, 3 is the identity" 0 "$tcx" task word_s3 --param n=3 --solve 010_100_110
has "answer 1" "^1$"
check "3, 1, 2 is not" 0 "$tcx" task word_s3 --param n=3 --solve 110_100_010
has "answer 0" "^0$"
check "tcx tasks says the order" 0 "$tcx" tasks
has "the order in the encoding" "the product applying element 0 first"
# The report's frontier section as a reader meets it: the depth figure's key is not cut off, the
# text says from the data which rows keep one depth (the quick tables' S_3 on valid codes goes
# from 1 to 2, so "the TC^0 tasks keep one fixed depth" would be false), and the S_5 row says why
# it is "-".
check "reproduce --quick --only frontier" 0 "$tcx" reproduce --quick --only frontier --out "$tmp/rep"
check "every figure is as wide as its key" 0 /usr/bin/python3 - "$tmp/rep" <<'PY'
import re, sys
for name in ("frontier.svg", "frontier_depth.svg"):
    svg = open(f"{sys.argv[1]}/{name}", encoding="utf-8").read()
    width = float(re.search(r'<svg[^>]* width="([0-9.]+)"', svg).group(1))
    key = re.search(r'<g transform="translate\(10 2\)">(.*?)</g>', svg, re.S).group(1)
    for x, size, text in re.findall(r'<text x="([0-9.]+)" y="[0-9.]+" font-size="([0-9.]+)"[^>]*>([^<]*)</text>', key):
        end = 10 + float(x) + 0.6 * float(size) * len(text)  # plot.cpp's text_width
        if end > width + 0.5:
            sys.exit(f"{name}: key text '{text}' ends at {end:.1f}, past the width {width}")
PY
check "the report" 0 cat "$tmp/rep/report.md"
has "the depth summary from the data" "stays the same over the sizes for: .*parity \(2, 2.*majority \(1, 1"
has "S_3 on valid codes changes" "it changes for: .*word_s3 on valid codes \(1, 2"
has "the S_5 row is explained" "15 outputs are 15 gates by themselves"
/usr/bin/python3 "$(dirname "$0")/check_report.py" "$tmp/rep" frontier >"$tmp/out" 2>&1 && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: check_report"; cat "$tmp/out"; }
# README's list of the documentation names every docs/*.md page once (two were listed twice and
# docs/testing.md not at all).
src="$(cd "$(dirname "$0")/../.." && pwd)"
listed=$(sed -n '/^## Documentation/,$p' "$src/README.md" | grep -oE '^- `docs/[a-z_]+\.md`' | grep -oE 'docs/[a-z_]+\.md' | sort)
pages=$(cd "$src" && ls docs/*.md | sort)
if [ "$listed" = "$pages" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: README's documentation list:"; diff <(echo "$listed") <(echo "$pages"); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
