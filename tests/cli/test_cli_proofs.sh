#!/usr/bin/env bash
# Certified answers from the command line: --solver, --cross-check, --proof / --proof-dir,
# --certify, and tcx check-proof on good, broken and malformed proofs.
set -u
tcx="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/check.sh"

# equiv --sat: a 16-bit comparator gate against its AND network, both solvers, a proof in both formats.
"$tcx" cell ge --bits 16 -o "$tmp/ge.tc" 2>/dev/null
"$tcx" lower "$tmp/ge.tc" --format aig -o "$tmp/ge.aig" 2>/dev/null
"$tcx" cell eq --bits 16 -o "$tmp/eq.tc" 2>/dev/null
for s in cms cadical; do
  check "equiv $s" 0 "^equal \(SAT" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --sat --solver "$s"
  check "equiv different $s" 1 "^different" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/eq.tc" --sat --solver "$s"
done
check "equiv cross-check" 0 "^equal" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --sat --cross-check
check "equiv proof" 0 "DRAT proof $tmp/miter.drat" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --sat --proof "$tmp/miter.drat"
check "check-proof binary" 0 "^verified: .*binary proof" -- "$tcx" check-proof "$tmp/miter.drat.cnf" "$tmp/miter.drat"
check "proof not replaced" 2 "exists \(use --force" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --sat --proof "$tmp/miter.drat"
check "equiv text proof" 0 "^equal" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --sat --proof "$tmp/miter.drat" --text-proof --force
check "check-proof text" 0 "^verified: .*text proof" -- "$tcx" check-proof "$tmp/miter.drat.cnf" "$tmp/miter.drat"
check "equiv certify" 0 "certified: the proof was checked" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --sat --certify
check "equiv certify json" 0 '"certified": true' -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --sat --certify --json
check "proof needs --sat" 2 "need --sat" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --certify
check "bad solver" 2 "solver" -- "$tcx" equiv "$tmp/ge.tc" "$tmp/ge.aig" --sat --solver minisat

# Mutations of the proof: the first lemma dropped, a literal flipped, the proof cut, another CNF.
grep -v '^d' "$tmp/miter.drat" >"$tmp/adds.drat"
check "check-proof adds only" 0 "^verified" -- "$tcx" check-proof "$tmp/miter.drat.cnf" "$tmp/adds.drat"
head -n 3 "$tmp/adds.drat" >"$tmp/cut.drat"
check "truncated proof" 1 "^rejected: the proof ends without a conflict" -- "$tcx" check-proof "$tmp/miter.drat.cnf" "$tmp/cut.drat"
echo "0" >"$tmp/empty.drat"
check "bare empty clause" 1 "^rejected: lemma 1 \(line 1" -- "$tcx" check-proof "$tmp/miter.drat.cnf" "$tmp/empty.drat"
# A satisfiable CNF (the miter without its last clause, the output difference) and the proof.
awk 'NR == 1 { print; next } /^p cnf/ { print $1, $2, $3, $4 - 1; next } { print }' "$tmp/miter.drat.cnf" | sed '$d' >"$tmp/sat.cnf"
check "proof of another CNF" 1 "^rejected" -- "$tcx" check-proof "$tmp/sat.cnf" "$tmp/miter.drat"
printf 'p cnf 2 1\n1 3 0\n' >"$tmp/bad.cnf"
check "cnf parse error" 2 "bad.cnf:2:3: a literal" -- "$tcx" check-proof "$tmp/bad.cnf" "$tmp/empty.drat"
printf '1 x 0\n' >"$tmp/bad.drat"
check "proof parse error" 2 "bad.drat:1:3: expected a literal" -- "$tcx" check-proof "$tmp/miter.drat.cnf" "$tmp/bad.drat"
check "missing file" 2 "cannot open" -- "$tcx" check-proof "$tmp/none.cnf" "$tmp/none.drat"
check "check-proof json" 0 '"verdict": "verified"' -- "$tcx" check-proof "$tmp/miter.drat.cnf" "$tmp/miter.drat" --json

# synth: "none" with the final question's proof, checked; found circuits need none.
check "synth certified none" 1 "^none: .*certified" -- "$tcx" synth --table 96 --inputs 3 --widths 1 --certify --proof-dir "$tmp/synth"
check "synth proof files" 0 "^verified" -- bash -c "'$tcx' check-proof '$tmp'/synth/*.cnf '$tmp'/synth/*.drat"
check "synth cms" 0 "^found" -- "$tcx" synth --table 96 --inputs 3 --widths 2,1 --skip --solver cms
check "synth cross-check" 1 "^none" -- "$tcx" synth --table 96 --inputs 3 --widths 1 --cross-check
# tt: certified by the proof and the soundness check of every clause (docs/provers.md).
check "synth tt certified none" 1 "^none: .*method tt.*certified.*clauses checked sound" -- "$tcx" synth --table 6996 --inputs 4 --widths 1,1 --skip --method tt --certify
check "frontier tt certified" 0 "4 +-c +3\*c +depth for 1..4 gates: -c -c 2\*c 2\*c$" -- "$tcx" frontier --task parity --sizes 4..4 --max-depth 2 --max-gates 4 --method tt --certify
# With symmetry breaking (the default): its clauses accepted by the declared rules' premises.
# Parity of 5 layered needs 5 hidden gates; 4,1 is not refuted in 60 s without the rules.
check "synth tt certified symmetry" 1 "^none: .*certified.*clauses checked sound \([1-9][0-9]* by the symmetry rules' checked premises" -- "$tcx" synth --task parity --param n=5 --widths 4,1 --method tt --certify --time-limit 120
check "synth tt certified symmetry json" 0 "^True [1-9][0-9]*$" -- bash -c "'$tcx' synth --task parity --param n=4 --widths 3,1 --method tt --certify --json |
  /usr/bin/python3 -c 'import json, sys; j = json.load(sys.stdin); print(j[\"certified\"], j[\"soundness\"][\"symmetry_clauses\"])'"
check "synth tt certified no symmetry" 1 "checked sound \([0-9]+ exact LPs" -- "$tcx" synth --task parity --param n=4 --widths 3,1 --method tt --certify --no-symmetry
# tt with cubes (8 inputs: split by the output's 8 input signs): one checked proof through all of
# them (each cube refuted by the same solver, then joined up to the empty clause).
check "synth tt certified cubes" 1 "^none: .*256 cubes.*certified: every proof .*one proof through all 256 cubes.*clauses checked sound" -- "$tcx" synth --task parity --param n=8 --widths 1 --method tt --certify --proof-dir "$tmp/cubes"
check "synth tt cube proof" 0 "^1 proof, verified$" -- bash -c "'$tcx' check-proof '$tmp'/cubes/synth-1.cnf '$tmp'/cubes/synth-1.drat >/dev/null && echo \$(ls '$tmp'/cubes/*.drat | wc -l) proof, verified"
check "synth tt cubes json" 0 "^256 1 True$" -- bash -c "'$tcx' synth --task parity --param n=8 --widths 1 --method tt --certify --json |
  /usr/bin/python3 -c 'import json, sys; j = json.load(sys.stdin); print(j[\"cubes\"], sum(p[\"verified\"] for p in j[\"proofs\"]), j[\"certified\"])'"

# frontier / bounds: every proven cell certified; one CNF and proof per UNSAT query.
check "frontier certify" 0 "2 +-c +2\*c +2\*c" -- "$tcx" frontier --task parity --sizes 2..2 --max-depth 3 --max-gates 3 --certify --proof-dir "$tmp/front"
check "frontier proofs named" 0 "parity-n2-d1-g1-w1.drat" -- ls "$tmp/front"
check "frontier proofs verify" 0 "^ok$" -- bash -c "for f in '$tmp'/front/*.drat; do '$tcx' check-proof \"\${f%.drat}.cnf\" \"\$f\" >/dev/null || exit 1; done; echo ok"
check "frontier json certified" 0 '"certified": true' -- "$tcx" frontier --task parity --sizes 3..3 --max-depth 2 --max-gates 3 --certify --json
check "frontier both solvers" 0 "3 +-c? +2\*" -- "$tcx" frontier --task parity --sizes 3..3 --max-depth 2 --max-gates 3 --cross-check
check "bounds certify" 0 "proven minimal for that depth \(SAT\) \[certified" -- "$tcx" bounds --task parity --param n=3 --max-depth 2 --max-gates 3 --certify

# reproduce --quick --certify: every proven frontier cell (k*, -) certified in data.json, no other.
check "reproduce certify" 0 "^all proven cells certified: [1-9][0-9]*$" -- bash -c "'$tcx' reproduce --quick --certify --out '$tmp/rep' >/dev/null &&
  /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
cells = [c for t in d[\"frontier\"][\"tasks\"] for r in t[\"rows\"] for c in r[\"cells\"]]
text = lambda c: c[\"cell\"][:-1] if c[\"certified\"] else c[\"cell\"]  # a certified cell is marked c
bad = [c for c in cells if c[\"certified\"] != (text(c).endswith(\"*\") or text(c) == \"-\")]
# Every proven smallest depth rests on certified cells only, so it is marked c too.
rows = [r[\"smallest_depth\"] for t in d[\"frontier\"][\"tasks\"] for r in t[\"rows\"]]
proven = lambda s: s.endswith(\"*\") or s == \"-\"
bad += [s for s in rows if s.endswith(\"c\") != proven(s.removesuffix(\"c\"))]
print(\"mismatch\", bad) if bad else print(\"all proven cells certified:\", sum(c[\"certified\"] for c in cells))
' '$tmp/rep/data.json'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
