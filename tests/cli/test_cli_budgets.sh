#!/usr/bin/env bash
# Budgets (issue 20): `compile` (JSON specs and ONNX models) takes --time-limit like depth, family
# and the SAT commands: the same range checks (exit 2), and past it one line, exit 3, and no file
# under the output's name (nor a temporary one) when it ran out while compiling. The ONNX
# compiler's exact searches (a quantizer's steps), which request no gates, obey it too, in
# depth as well; verify --model bounds its check with it; so does cell (ge_residues).
set -u
source "$(dirname "$0")/check.sh"
cli_setup "$1" "$2" 120
empty_dir() { [ -z "$(ls -A "$1")" ]; }

# Range checks, as every --time-limit.
for v in -1 nan inf 1e8 abc; do
  check "compile --time-limit $v" 2 "--time-limit: expected seconds in \[0, 10\^7\], got '$v'" -- t compile "$zoo/mlp_sign.json" --n 4 --time-limit "$v"
done
check "compile onnx --time-limit nan" 2 "--time-limit: expected seconds" -- t compile "$ex/onnx/digits_bnn.onnx" --time-limit nan

# Out of time while compiling a JSON spec (mlp_sign at n = 3000 takes about 2 s): exit 3, no file.
mkdir "$tmp/a"
check "compile json budget" 3 "^tcx: compile: unknown: the time limit of 0.05 s ran out after [0-9]+ gate requests \(raise --time-limit\)$" -- \
  t compile "$zoo/mlp_sign.json" --n 3000 -o "$tmp/a/m.tc" --time-limit 0.05
empty_dir "$tmp/a" && ok || bad "compile json out of time left $(ls "$tmp/a")"
# The same with enough time: the circuit is written (the budget does not change the answer).
check "compile json in time" 0 "" -- t compile "$zoo/mlp_sign.json" --n 64 -o "$tmp/a/m64.tc" --time-limit 600
check "compile json in time same" 0 "" -- bash -c "'$tcx' compile '$zoo/mlp_sign.json' --n 64 | cmp - '$tmp/a/m64.tc'"

# An ONNX model whose quantizers' steps are searched exactly (about 1.5 s): stopped inside the search.
mkdir "$tmp/b"
check "compile onnx budget" 3 "^tcx: compile: unknown: the time limit of 0.2 s ran out (while compiling|after [0-9]+ gate requests) \(raise --time-limit\)$" -- \
  t compile "$ex/onnx/digits_qmlp.onnx" -o "$tmp/b/q.tc" --time-limit 0.2
empty_dir "$tmp/b" && ok || bad "compile onnx out of time left $(ls "$tmp/b")"
check "depth onnx budget" 3 "^tcx: depth: unknown: the time limit of 0.1 s ran out" -- t depth "$ex/onnx/digits_qmlp.onnx" --time-limit 0.1

# Out of time during --check: the circuit is complete and written; the line says where; exit 3.
check "compile check budget" 3 "^tcx: compile: unknown: the time limit of 1 s ran out during the check; the circuit is in .*/c.tc \(raise --time-limit\)$" -- \
  t compile "$zoo/mlp_sign.json" --n 8 --check --exhaustive-bits 0 --random 1000000000 -o "$tmp/c.tc" --time-limit 1
check "compile check budget wrote" 0 "" -- bash -c "'$tcx' compile '$zoo/mlp_sign.json' --n 8 | cmp - '$tmp/c.tc'"
budget=5  # compiling takes about 1 s, the check of 10^6 inputs hours
sanitized && budget=60
check "compile onnx check budget" 3 "ran out during the check; the circuit is in .*/d.tc" -- \
  t compile "$ex/onnx/digits_bnn.onnx" --check --random 1000000 -o "$tmp/d.tc" --time-limit "$budget"
check "compile onnx check budget wrote" 0 "^inputs +64$" -- t stats "$tmp/d.tc"

# verify --model: the check within --time-limit, else unknown (exit 3).
check "verify model budget" 3 "^unknown \(the check's time budget \(1 s\) ran out\)$" -- \
  t verify "$tmp/d.tc" --model "$ex/onnx/digits_bnn.onnx" --random 1000000 --time-limit 1
check "verify model budget json" 3 '"verdict": "unknown"' -- \
  t verify "$tmp/d.tc" --model "$ex/onnx/digits_bnn.onnx" --random 1000000 --time-limit 1 --json

# The SAT miter's budget covers its encoding: two 24-bit multipliers (the threshold cell and its
# AND/NOT lowering) take about 2 s to encode; with 0.2 s the answer is unknown before the solver.
"$tcx" cell mul --bits 24 -o "$tmp/m24.tc" 2>/dev/null
"$tcx" lower "$tmp/m24.tc" -o "$tmp/m24.aig" 2>/dev/null
check "equiv sat budget while encoding" 3 "^unknown: the SAT budget ran out \(while encoding the miter, before the solver" -- \
  t equiv "$tmp/m24.tc" "$tmp/m24.aig" --sat --time-limit 0.2
check "equiv sat budget json" 3 '"encoding_cut": true' -- t equiv "$tmp/m24.tc" "$tmp/m24.aig" --sat --time-limit 0.2 --json
# ... and its CNF counts against --max-wires (16 bytes a literal): one line, exit 2.
check "equiv sat cnf bound" 2 "^tcx: error: the CNF would exceed the memory bound of 4000000 \(tcx --max-wires" -- \
  t --max-wires 4000000 equiv "$tmp/m24.tc" "$tmp/m24.aig" --sat
# reweight takes --time-limit: thousands of weight bits take minutes (the Builder polls the budget).
w=$(printf '9%.0s' $(seq 1 400))
printf 'tcx-circuit 1\ninput a b c\ngate g = %s a + %s8 b + %s7 c >= %s\noutput y = g\n' "$w" "$w" "$w" "$w" > "$tmp/wide.tc"
mkdir "$tmp/rw"
check "reweight budget" 3 "^tcx: reweight: unknown: the time limit of 0.5 s ran out after [0-9]+ gate requests \(raise --time-limit\)$" -- \
  t reweight "$tmp/wide.tc" --max-bits 2 -o "$tmp/rw/out.tc" --time-limit 0.5
empty_dir "$tmp/rw" && ok || bad "reweight out of time left $(ls "$tmp/rw")"

# cell takes --time-limit and --progress: ge_residues at 100 bits ran for minutes with neither. The
# Builder polls the budget every 1024 gates, the residue construction also while planning and
# between its votes: one line, exit 3, nothing written, and soon after the limit.
for v in -1 nan; do
  check "cell --time-limit $v" 2 "^tcx: error: --time-limit: expected seconds in \[0, 10\^7\], got '$v' \(see tcx cell --help\)$" -- t cell ge_residues --bits 8 --time-limit "$v"
done
mkdir "$tmp/cell"
limit_ms=3000
sanitized && limit_ms=30000
# cell_budget NAME SECONDS WHY CELL-ARGS...: "unknown: the time limit of SECONDS s ran out WHY"
# (exit 3) soon after the limit, and nothing written.
cell_budget() {
  local name=$1 secs=$2 why=$3
  shift 3
  local start elapsed_ms
  start=$(date +%s%N)
  check "$name" 3 "^tcx: cell: unknown: the time limit of $secs s ran out $why \(raise --time-limit\)$" -- \
    t cell "$@" --time-limit "$secs" -o "$tmp/cell/out.tc"
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  [ "$elapsed_ms" -lt "$limit_ms" ] && ok || bad "$name: cell $* --time-limit $secs ended after $elapsed_ms ms"
  empty_dir "$tmp/cell" && ok || bad "$name: out of time, left $(ls "$tmp/cell")"
}
cell_budget "cell budget" 0.5 "after [0-9]+ gate requests" ge_residues --bits 100
# A cell whose time goes to a loop that requests no gate (lut tabulates 2^24 rows, then normalizes
# a layer of a million gates): the limit raises an interrupt, which that loop polls.
cell_budget "cell lut budget" 0.5 "(while|after) .*" lut --bits 24
# The limit covers the work after the gates: ge_residues at 64 bits has its votes in about 0.7 s,
# then finishing, analysing and rendering its 466 MB took 11 s more, and it wrote them (exit 0).
cell_budget "cell budget after the votes" 1 ".*" ge_residues --bits 64
# --progress counts the votes (a final line even when stderr is not a terminal); out of time, fewer than all.
check "cell progress" 3 "^tcx cell ge_residues: [0-9.]+( k)? / [0-9.]+( k)? votes \(([0-9]|[0-9][0-9])\.[0-9]%\)" -- t cell ge_residues --bits 100 --time-limit 0.5 --progress -o "$tmp/cell/ge.tc"
check "cell progress done" 0 "^tcx cell ge_residues: ([0-9]+) / \1 votes \(100.0%\)" -- t cell ge_residues --bits 16 --progress -o "$tmp/cell/ge16.tc"
out="$(t cell ge_residues --bits 16 -o "$tmp/cell/ge16b.tc" 2>&1)"
[[ "$out" == "tcx: ge_residues bits=16 count=2: depth 2"* && "$out" != *votes* ]] && ok || bad "progress without --progress, off a terminal: $out"
# Within the budget, the same circuit.
check "cell in time" 0 "" -- t cell ge_residues --bits 16 --time-limit 600 -o "$tmp/cell/ge16c.tc"
check "cell in time same" 0 "" -- cmp "$tmp/cell/ge16b.tc" "$tmp/cell/ge16c.tc"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
