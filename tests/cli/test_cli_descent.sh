#!/usr/bin/env bash
# Circuits found by descent from the command line: synth --method descent writes a circuit that
# tcx verify accepts against the task's reference solver (and an independent evaluator of the
# JSON circuit below), on one thread or two; an impossible shape stays unknown (never none),
# --descent before tt keeps tt's answers, frontier cells found above open sizes read j..k, and
# the misuses are refused.
set -u
tcx="$1"
# shellcheck source=check_lib.sh
source "$(dirname "$0")/check_lib.sh"
r110=(--task eca --param cells=7 --param cell=3 --param steps=3)

check "Rule 110, 3 steps, 3,1 with skip wires by descent: found" 0 \
  "$tcx" synth "${r110[@]}" --widths 3,1 --skip --method descent --time-limit 120 -o "$tmp/r.tc"
has "the message names descent, the repairs and how the circuit was made" "method descent, [0-9]+ restarts? of gradient descent and [0-9]+ SAT repairs?, .* (every gate refitted exactly|a near miss completed by SAT)"
check "tcx verify accepts it against the reference solver" 0 "$tcx" verify "$tmp/r.tc" "${r110[@]}"
check "as JSON" 0 "$tcx" export "$tmp/r.tc" -o "$tmp/r.json"
check "and so does an independent evaluator of the JSON circuit" 0 /usr/bin/python3 - "$tmp/r.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
def centre(x):
    row = [(x >> i) & 1 for i in range(7)]
    for _ in range(3):
        row = [(110 >> (4 * (row[i - 1] if i else 0) + 2 * row[i] + (row[i + 1] if i < 6 else 0))) & 1 for i in range(7)]
    return row[3]
n = len(c["inputs"])
for x in range(1 << n):
    value = {0: 0}
    for i, node in enumerate(c["inputs"]):
        value[node["id"]] = (x >> i) & 1
    for g in c["gates"]:  # in topological order
        value[g["id"]] = int(sum(int(w) * value[f] for f, w in zip(g["fanins"], g["weights"])) >= int(g["threshold"]))
    o = c["outputs"][0]
    out = value[o["node"]] ^ int(o["negated"])
    assert out == centre(x), x
PY

check "on two threads (--jobs 2): found, and verified" 0 \
  "$tcx" synth "${r110[@]}" --widths 3,1 --skip --method descent --time-limit 120 --jobs 2 -o "$tmp/r2.tc"
check "tcx verify accepts the two threads' circuit" 0 "$tcx" verify "$tmp/r2.tc" "${r110[@]}"
check "written as JSON (-o x.json)" 0 "$tcx" synth "${r110[@]}" --widths 3,1 --skip --method descent --time-limit 120 -o "$tmp/r3.json"
check "and tcx verify reads the JSON circuit back" 0 "$tcx" verify "$tmp/r3.json" "${r110[@]}"
has "proven on every input" "^correct \(exhaustive: all 128 inputs"
check "--jobs 0 is refused" 2 "$tcx" synth "${r110[@]}" --widths 3,1 --skip --method descent --time-limit 1 --jobs 0

check "parity of 4 in 1,1 by descent: unknown, never none" 3 \
  "$tcx" synth --task parity --param n=4 --widths 1,1 --skip --method descent --time-limit 0.5
has "it says this proves nothing" "descent found no circuit .* this proves nothing"
has "and how near it came" "the nearest miss got [1-9][0-9]* cared inputs? wrong"
check "as JSON: the descent figures" 3 \
  "$tcx" synth --task parity --param n=4 --widths 1,1 --skip --method descent --time-limit 0.5 --json
cp "$tmp/out" "$tmp/d.json"
check "restarts counted, no circuit, the nearest miss at least one input wrong" 0 /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["descent"]
assert d["restarts"] > 0 and not d["repaired"] and 1 <= d["best_errors"] <= 16 and d["seconds"] > 0, d
' "$tmp/d.json"
check "--descent before tt: tt, asked first for a second, refutes 1,1 at once" 1 \
  "$tcx" synth --task parity --param n=4 --widths 1,1 --skip --method tt --descent 0.3
has "without descent" "^none: no threshold circuit"
check "Rule 110, 4 steps, 6,1: tt does not settle it in a second, descent finds it" 0 \
  "$tcx" synth --task eca --param cells=9 --param cell=4 --param steps=4 --widths 6,1 --skip --method tt --descent 120 --time-limit 60 \
  -o "$tmp/r4.tc"
has "by descent" "found: depth 2, 7 gates .* method descent"
check "tcx verify accepts it" 0 "$tcx" verify "$tmp/r4.tc" --task eca --param cells=9 --param cell=4 --param steps=4
check "--descent with --method descent is refused" 2 \
  "$tcx" synth --task parity --param n=4 --widths 2,1 --skip --method descent --descent 1
has "with the reason" "with --method descent, --time-limit is its budget"
check "--tt-* with --method descent is refused" 2 \
  "$tcx" synth --task parity --param n=4 --widths 2,1 --skip --method descent --tt-cubes 0
check "descent takes threshold gates only" 2 \
  "$tcx" synth --task parity --param n=3 --widths 1 --majority 3 --method descent
check "descent needs a budget" 2 "$tcx" synth --task parity --param n=3 --widths 1 --method descent --time-limit 0
check "so does the frontier's, named as the frontier's" 2 "$tcx" frontier --task parity --sizes 3..3 --method descent --time-limit 0
has "with the command's name" "^tcx: error: frontier: --method descent needs a --time-limit"
check "descent proves nothing: --certify is refused" 2 \
  "$tcx" synth --task parity --param n=4 --widths 2,1 --skip --method descent --time-limit 5 --certify
check "the SAT solver's choices are refused with descent (it asks no SAT question of its own)" 2 \
  "$tcx" synth --task parity --param n=4 --widths 2,1 --skip --method descent --time-limit 5 --solver cadical
has "naming the option" "^tcx: error: synth: --solver is for the SAT method; --method descent asks none"
check "so is --cross-check in the frontier" 2 "$tcx" frontier --task parity --sizes 3..3 --method descent --time-limit 5 --cross-check
check "and --conflicts" 2 "$tcx" synth --task parity --param n=4 --widths 2,1 --skip --method descent --time-limit 5 --conflicts 9
check "with --descent before SAT, --solver serves SAT" 0 \
  "$tcx" synth --task parity --param n=3 --widths 1,1 --skip --descent 1 --solver cadical
check "--state (SAT cubes) is refused with descent" 2 \
  "$tcx" synth --task parity --param n=4 --widths 2,1 --skip --method descent --time-limit 5 --state "$tmp/st.json"
check "more than 22 inputs with --descent: refused before any search" 2 \
  /usr/bin/timeout 5 "$tcx" synth --task word_a5 --param n=4 --widths 2,1 --skip --descent 30 --time-limit 30
has "naming the limit" "more than 22 inputs"
check "more memory than descent takes: refused before any search" 2 \
  /usr/bin/timeout 20 "$tcx" synth --task parity --param n=22 --widths 64,64,64,63,1 --skip --method descent --time-limit 5
has "saying how much" "MiB; at most 4096 MiB"
check "--batch is for descent" 2 "$tcx" synth --task parity --param n=3 --widths 1,1 --skip --batch 8
has "saying so" "--batch is for descent"
check "18 inputs by descent, in random batches of 64: found" 0 \
  "$tcx" synth --task majority --param n=18 --widths 1 --method descent --batch 64 --time-limit 30 -o "$tmp/maj18.tc"
has "and verified on every input" "verified on all 262144 inputs"
check "the circuit it wrote is right on every input" 0 "$tcx" verify "$tmp/maj18.tc" --task majority --param n=18

touch "$tmp/taken.tc"
check "an existing -o file is refused before the search, not after it" 2 \
  /usr/bin/timeout 5 "$tcx" synth "${r110[@]}" --widths 3,1 --skip --method descent --time-limit 60 -o "$tmp/taken.tc"
has "with the reason" "file exists \(use --force"
check "bounds --method descent says descent found it and nothing was refuted" 0 \
  "$tcx" bounds --task parity --param n=3 --max-depth 2 --max-gates 3 --method descent --time-limit 2
has "descent, not SAT" "depth 2: 2 gates found, no smaller size refuted \(descent\)"

# The frontier: descent alone refutes nothing, so a found cell reads 1..k; with tt first the
# cells are tt's (proven), descent only adding circuits.
check "frontier --method descent, Rule 110 for 1 and 2 steps" 0 \
  "$tcx" frontier --task eca --over steps --sizes 1..2 --param cells=5 --param cell=2 --max-depth 2 --max-gates 4 --method descent --time-limit 5 --json
cp "$tmp/out" "$tmp/frontier.json"
check "its cells: found, at least 1 (nothing refuted)" 0 /usr/bin/python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
for r in rows:
    d2 = r["cells"][1]
    assert d2["status"] == "found" and d2["at_least"] == 1 and d2["gates"] >= r["steps"] + 1, r
' "$tmp/frontier.json"
check "frontier --descent 1 with tt, Rule 110 for 1..3 steps: 2*, 3*, 4* at depth 2" 0 \
  "$tcx" frontier --task eca --over steps --sizes 1..3 --param cells=7 --param cell=3 --max-depth 2 --max-gates 5 --method tt --descent 1 --time-limit 60
has "t = 3: 4 gates, proven" "^ +3 +- +4\*"

# --tighten: after the search, a found cell's smaller sizes get a longer descent, downward until
# one is not found. Parity of 5 with skip wires needs 3 gates at depth 2 (2,1); descent alone
# with 0.02 s per template may stop above that, and the tightening reaches 3 and asks 1,1 (no
# circuit) for its whole 3 s.
check "frontier --method descent --tighten 3, parity of 5" 0 \
  "$tcx" frontier --task parity --sizes 5..5 --max-depth 2 --max-gates 6 --method descent --time-limit 0.02 --tighten 3 --json
cp "$tmp/out" "$tmp/tighten.json"
check "depth 2 brought to 3 gates, 1..3, and the failed 2-gate question paid for" 0 /usr/bin/python3 -c '
import json, sys
d2 = json.load(open(sys.argv[1]))["rows"][0]["cells"][1]
assert d2["status"] == "found" and d2["gates"] == 3 and d2["at_least"] == 1, d2
assert d2["seconds"] >= 2.5, d2
assert d2.get("tightened_by", 0) in (0, 1, 2, 3), d2
' "$tmp/tighten.json"
check "the text legend says the cells were tightened" 0 \
  "$tcx" frontier --task parity --sizes 5..5 --max-depth 2 --max-gates 6 --method descent --time-limit 0.02 --tighten 1
has "legend" "found cells tightened by 1 s of descent per smaller template"
has "row" "^ +5 +\?>0 +1\.\.3 "
# tt proves parity's cells minimal: nothing to tighten, so the same cells as without, at once.
check "tt's proven cells, no tightening" 0 \
  "$tcx" frontier --task parity --sizes 4..5 --max-depth 2 --max-gates 4 --method tt --time-limit 60 --tighten 600 --json
/usr/bin/python3 -c 'import json,sys; print(json.dumps([[{k: c[k] for k in c if k != "seconds"} for c in r["cells"]] for r in json.load(open(sys.argv[1]))["rows"]]))' "$tmp/out" > "$tmp/t1"
check "without --tighten" 0 "$tcx" frontier --task parity --sizes 4..5 --max-depth 2 --max-gates 4 --method tt --time-limit 60 --json
/usr/bin/python3 -c 'import json,sys; print(json.dumps([[{k: c[k] for k in c if k != "seconds"} for c in r["cells"]] for r in json.load(open(sys.argv[1]))["rows"]]))' "$tmp/out" > "$tmp/t2"
check "the same cells, none tightened" 0 cmp "$tmp/t1" "$tmp/t2"
check "--tighten below 0 is refused" 2 "$tcx" frontier --task parity --sizes 4..4 --tighten -1
check "bounds takes it too" 0 \
  "$tcx" bounds --task parity --param n=5 --max-depth 2 --max-gates 4 --method descent --time-limit 0.02 --tighten 2
has "3 gates at depth 2" "depth 2: 3 gates found"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
