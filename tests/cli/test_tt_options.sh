#!/usr/bin/env bash
# The tt method's search choices from the command line (--tt-cubes, --tt-no-signed-sources,
# --tt-no-sign-symmetry, --tt-no-input-symmetry, --tt-no-float-lp): every combination gives the weights method's answer
# on the same questions, the choices reach the search (a cube split asks the solver once per
# cube), they are refused with --method weights, and a --state file records them.
set -u
tcx="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
answer() { "$tcx" synth "$@" --json 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["answer"])'; }
combos=("--tt-cubes 0" "--tt-cubes 2" "--tt-cubes auto --tt-no-signed-sources" "--tt-cubes 3 --tt-no-sign-symmetry"
        "--tt-cubes 1 --tt-no-float-lp" "--tt-cubes 2 --tt-no-signed-sources --tt-no-sign-symmetry --tt-no-float-lp --tt-no-input-symmetry" "--tt-cubes 0 --tt-no-input-symmetry")
checked=0
for fn in "--task parity --param n=4" "--task majority --param n=5" "--task eca --param cells=5 --param cell=2 --param steps=2" \
          "--table 6b5a --inputs 4" "--table 96e8817e --inputs 5"; do
  for shape in "1,1 --skip" "2,1 --skip" "2,1"; do
    # shellcheck disable=SC2086
    want="$(answer $fn --widths $shape --method weights --time-limit 60)"
    case "$want" in sat|unsat) ;; *) echo "FAIL: weights method on '$fn' $shape: '$want'"; fail=1; continue ;; esac
    for c in "${combos[@]}"; do
      # shellcheck disable=SC2086
      got="$(answer $fn --widths $shape --method tt --time-limit 60 $c)"
      checked=$((checked + 1))
      [ "$got" = "$want" ] || { echo "FAIL: '$fn' $shape $c: tt says $got, weights $want"; fail=1; }
    done
  done
done
# The split reaches the search: parity of 4 has no 1,1 circuit, and each of the 2^2 cubes is one call.
calls() { "$tcx" synth --task parity --param n=4 --widths 1,1 --skip --method tt --json "$@" |
          /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["solver_calls"])'; }
[ "$(calls --tt-cubes 2)" = 4 ] && [ "$(calls --tt-cubes 0)" = 1 ] || { echo "FAIL: --tt-cubes does not split ($(calls --tt-cubes 2), $(calls --tt-cubes 0) calls)"; fail=1; }
# The split on the output's function: one cube per regular threshold function of the hidden
# gates (10 of 3 variables), the same answers; the frontier uses it for layered k,1 templates.
cubes() { "$tcx" synth --task parity --param n=4 --method tt --json --tt-cubes output "$@" |
          /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["answer"], j["cubes"])'; }
[ "$(cubes --widths 3,1)" = "unsat 10" ] && [ "$(cubes --widths 4,1)" = "sat 27" ] ||
  { echo "FAIL: --tt-cubes output: '$(cubes --widths 3,1)', '$(cubes --widths 4,1)'"; fail=1; }
# Parity of 5 is self-dual: of two dual output functions one cube alone (15 of the 27 of 4
# variables), certified too (the checker regenerates the clauses ruling out the others); all 27
# with --tt-no-dual-cubes.
cubes5() { "$tcx" synth --task parity --param n=5 --method tt --json --tt-cubes output --widths 4,1 "$@" |
           /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["answer"], j["cubes"])'; }
[ "$(cubes5)" = "unsat 15" ] && [ "$(cubes5 --tt-no-dual-cubes)" = "unsat 27" ] && [ "$(cubes5 --certify)" = "unsat 15" ] ||
  { echo "FAIL: --tt-no-dual-cubes: '$(cubes5)', '$(cubes5 --tt-no-dual-cubes)', '$(cubes5 --certify)'"; fail=1; }
out="$("$tcx" frontier --task parity --sizes 3..5 --layered --max-depth 2 --max-gates 6 --method tt --tt-cubes output --certify 2>&1)"
echo "$out" | grep -Eq '^ +5 +-c +6\*c ' || { echo "FAIL: frontier --tt-cubes output --certify: $out"; fail=1; }
[ "$(cubes --widths 3,1 --certify | cut -d' ' -f1)" = unsat ] &&
  "$tcx" synth --task parity --param n=4 --method tt --json --tt-cubes output --widths 3,1 --certify |
  /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j["certified"] and j["proofs"][0]["verified"] else 1)' ||
  { echo "FAIL: --tt-cubes output --certify is not certified"; fail=1; }
# Refused where they mean nothing, and bad values: one error line, exit 2.
for bad in "synth --task parity --param n=3 --widths 2,1 --method weights --tt-cubes 2" \
           "frontier --task parity --sizes 3..3 --method weights --tt-no-float-lp" \
           "bounds --task parity --param n=3 --method weights --tt-no-signed-sources" \
           "synth --task parity --param n=3 --widths 2,1 --tt-cubes 17" "synth --task parity --param n=3 --widths 2,1 --tt-cubes x" \
           "synth --task parity --param n=3 --widths 2,1 --skip --tt-cubes output" "synth --task parity --param n=3 --widths 7,1 --tt-cubes output"; do
  # shellcheck disable=SC2086
  "$tcx" $bad >/dev/null 2>"$tmp/err"; st=$?
  [ "$st" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL: '$bad': exit $st, $(wc -l <"$tmp/err") lines"; fail=1; }
done
# A state file remembers the choices: resuming with others is refused, with the same continues.
"$tcx" frontier --task parity --sizes 3..3 --max-depth 2 --tt-cubes 0 --state "$tmp/st.json" >/dev/null 2>&1
"$tcx" frontier --task parity --sizes 3..3 --max-depth 2 --state "$tmp/st.json" --resume >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --resume with other tt choices was accepted"; fail=1; }
"$tcx" frontier --task parity --sizes 3..3 --max-depth 2 --tt-cubes 0 --state "$tmp/st.json" --resume >/dev/null 2>&1 ||
  { echo "FAIL: --resume with the same tt choices"; fail=1; }
[ "$fail" -eq 0 ] && echo "tt options: $checked tt answers equal the weights method's; split, refusals and state checked"
[ "$fail" -eq 0 ]
