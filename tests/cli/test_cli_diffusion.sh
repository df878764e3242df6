#!/usr/bin/env bash
# Command-line tests of the diffusion commands (apart from test_cli.sh so that CTest runs them
# in parallel with it).
set -u
tcx="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
zoo="$src/examples/models"
source "$(dirname "$0")/check.sh"
# The contrast families spend most of their time on the d = log2 n sampler (T = 1099 steps at
# n = 16). Under the sanitizers a smaller constant c (T = 294 there) makes them ~6x lighter; the
# T* and T = n rows, which are checked, keep their shape.
light=()
sanitized && light=(--c 0.1)

check "diffusion majority" 0 "^  check: all 256, = reference, all right$" -- "$tcx" diffusion --backbone majority --n 8 --copies 5
check "diffusion advice" 0 "^  advice: seed [0-9]+ after [0-9]+ draw\(s\), right on all 1024 prefixes" -- "$tcx" diffusion --backbone parity --n 10 --copies 1
check "diffusion T*" 0 "gives T\* = 51 " -- "$tcx" diffusion --backbone compare --n 4 --copies 1
check "diffusion hard-wired" 0 "^  advice hard-wired: depth 1, 1 gates; all 16, = reference, all right" -- "$tcx" diffusion --backbone majority --n 4 --copies 3
check "diffusion writes" 0 "^37 inputs$" -- bash -c "'$tcx' diffusion --backbone majority --n 5 --steps 4 --copies 1 -o '$tmp/d.tc' >/dev/null && '$tcx' stats '$tmp/d.tc' --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[\"inputs\"], \"inputs\")'"
check "diffusion hardwire" 0 "^correct" -- bash -c "'$tcx' diffusion --backbone majority --n 5 --steps 4 --copies 3 --hardwire -o '$tmp/dw.tc' >/dev/null && '$tcx' verify '$tmp/dw.tc' --task majority --param n=5"
check "diffusion advice eval" 0 "^1$" -- bash -c "a=\$('$tcx' diffusion --backbone majority --n 5 --steps 4 --copies 1 --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[\"advice_bits\"])') && '$tcx' eval '$tmp/d.tc' --inputs 11010\$a"
check "diffusion randomized" 0 "^  circuit: depth [0-9]+, [0-9]+ gates, [0-9]+ wires, 104 inputs" -- "$tcx" diffusion --backbone majority --n 8 --steps 6 --copies 1 --noise inputs --noise-bits 16
check "diffusion json" 0 '"reference_mismatches": 0' -- "$tcx" diffusion --backbone majority --n 4 --copies 1 --json
check "diffusion family" 0 "^  T\*: +depth constant \(400\)" -- "$tcx" diffusion-family --backbone majority --n 4..16 --copies 3 --quiet
check "diffusion family contrast" 0 "^  T = n: +depth linear" -- "$tcx" diffusion-family --backbone parity --n 4..16 --copies 3 --contrast --quiet "${light[@]}"
check "diffusion family json" 0 "^constant linear$" -- bash -c "'$tcx' diffusion-family --backbone compare --n 4..16 --copies 3 --contrast --json --quiet ${light[*]} | /usr/bin/python3 -c 'import json,sys; f=json.load(sys.stdin)[\"fits\"]; print(f[\"T*\"][\"depth_kind\"], f[\"T = n\"][\"depth_kind\"])'"
# The d = log2 n rows take K = 1 whatever --copies says: the table marks it, a line says why, and
# the JSON rows say where each K came from.
check "diffusion family row copies" 0 "^K\*: on the d = log2 n rows K = 1 in place of --copies 3: the row shows the depth growing with T\*" -- \
  "$tcx" diffusion-family --backbone majority --n 4..8 --copies 3 --contrast --quiet --c 0.1
check "diffusion family row copies json" 0 "^3 option option row 3$" -- bash -c "'$tcx' diffusion-family --backbone majority --n 4..8 --copies 3 --contrast --json --quiet --c 0.1 | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); r=j[\"rows\"]; print(j[\"copies\"], r[0][\"copies_from\"], r[2][\"copies_from\"], r[-1][\"copies_from\"], r[-1][\"copies_option\"])'"
check "diffusion beyond T*" 0 "^beyond T\*: at n = 8, T = 8 > T\* = 2: depth 60 instead of 18; wrong answers on the checked prefixes 0 vs 0" -- "$tcx" diffusion-family --backbone majority --n 4..8 --copies 3 --contrast --quiet --c 0.1
check "diffusion looped" 0 "^  looped: +depth linear" -- "$tcx" diffusion-family --backbone majority --n 4..16 --copies 1 --steps 8 --looped "$zoo/transformer_looped.json" --quiet
check "diffusion no clobber" 2 "d.tc: file exists \(use --force" -- "$tcx" diffusion --backbone majority --n 5 --steps 4 --copies 1 -o "$tmp/d.tc"
check "diffusion bad backbone" 2 "unknown backbone 'quorum'" -- "$tcx" diffusion --backbone quorum --n 4
check "diffusion odd compare" 2 "needs an even n" -- "$tcx" diffusion --backbone compare --n 5
check "diffusion bad copies" 2 "--copies must be auto or in 1..10\^7" -- "$tcx" diffusion --backbone majority --n 4 --copies 0
check "diffusion bits alone" 2 "give both --bits and --frac" -- "$tcx" diffusion --backbone majority --n 4 --bits 9
check "diffusion too large" 2 "too large to build: K d T = 20000000 " -- "$tcx" diffusion --backbone majority --n 4 --steps 10000 --copies 2000
check "diffusion too long" 2 "too large to build: d T = 10000000 " -- "$tcx" diffusion --backbone majority --n 4 --steps 10000000 --copies 1
check "diffusion model outputs" 2 "must have exactly one output bit" -- "$tcx" diffusion --backbone "$zoo/ssm_lti.json" --n 4
# The check's simulator counts against --max-wires: past it the check says it did not run (it
# grew to 7 GB before: n = 16, d = 6); a check of no prefix says so too, not "all right".
check "diffusion check past the bound" 0 "^  check: not run \(simulating the circuit would exceed 4 times the size bound of 6400000 wires" -- \
  "$tcx" --max-wires 6400000 diffusion --backbone majority --n 4
check "diffusion check past the bound json" 0 '"not_run": "simulating the circuit' -- "$tcx" --max-wires 6400000 diffusion --backbone majority --n 4 --json
check "diffusion random 0" 0 "^  check: not run \(--random 0: no prefix checked\)" -- "$tcx" diffusion --backbone majority --n 14 --random 0 --copies 1 --noise inputs --steps 4
# With seeded noise, no prefix to check would choose the advice on nothing: seed 1, whose
# hard-wired circuit for parity of 20 bits was the constant 1, written with "right on the 0
# prefixes" and exit 0. Refused before any work, nothing written; on 100 prefixes seed 1 fails.
check "diffusion advice on nothing" 2 "^tcx: error: --random 0 leaves the advice seed nothing to be checked on \(20 prefix bits, past --exhaustive-bits 0\)" -- \
  "$tcx" diffusion --backbone parity --n 20 --steps 3 --copies 1 --exhaustive-bits 0 --random 0 --hardwire -o "$tmp/hw20.tc"
[ ! -e "$tmp/hw20.tc" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: diffusion advice on nothing wrote $tmp/hw20.tc"; }
check "diffusion advice on nothing, family" 2 "--random 0 leaves the advice seed nothing" -- "$tcx" diffusion-family --backbone majority --n 4..16 --exhaustive-bits 8 --random 0 --quiet
check "diffusion advice random" 0 "^  advice: seed [3-9] after [3-9] draw\(s\), right on the 100 random prefixes$" -- \
  "$tcx" diffusion --backbone parity --n 20 --steps 3 --copies 1 --exhaustive-bits 0 --random 100
# K says where it came from: Hoeffding, or --copies (beside what Hoeffding would take).
check "diffusion copies auto" 0 "^  copies: K = 31 \(auto: Hoeffding, gamma = margin/4 = 0.2386, 4 input bits, error 0.5\)$" -- "$tcx" diffusion --backbone majority --n 4 --steps 4
check "diffusion copies given" 0 "^  copies: K = 1 \(given by --copies; Hoeffding would take K = 31: gamma = margin/4" -- "$tcx" diffusion --backbone majority --n 4 --steps 4 --copies 1
check "diffusion copies json" 0 "^option 31$" -- bash -c "'$tcx' diffusion --backbone majority --n 4 --steps 4 --copies 1 --json | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[\"copies_from\"], j[\"hoeffding_copies\"])'"
# A size past the bound is refused from the plan, before the work (it took 28 s with --dim 64).
start=$(date +%s%N)
check "diffusion too large early" 2 "too large to build: K d T = [0-9]+ " -- "$tcx" diffusion --backbone parity --n 2 --dim 64
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
limit_ms=1500
sanitized && limit_ms=15000
[ "$elapsed_ms" -lt "$limit_ms" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: diffusion --dim 64 refused after $elapsed_ms ms"; }
check "diffusion hardwire needs seed" 2 "--hardwire needs --noise seed" -- "$tcx" diffusion --backbone majority --n 4 --noise inputs --hardwire -o "$tmp/hw.tc"
check "diffusion hardwire needs -o" 2 "--hardwire chooses what -o FILE writes" -- "$tcx" diffusion --backbone majority --n 4 --hardwire
check "diffusion family missing backbone" 2 "no-such.json" -- "$tcx" diffusion-family --backbone "$tmp/no-such.json" --n 4..8
check "diffusion onnx backbone" 2 "an ONNX backbone is not supported" -- "$tcx" diffusion --backbone "$src/examples/onnx/mlp_8.onnx" --n 8
# An output folder that cannot take the file is refused before the work.
check "diffusion missing folder" 2 "nodir/x.tc: cannot write in .*nodir: No such file or directory" -- "$tcx" diffusion --backbone majority --n 8 -o "$tmp/nodir/x.tc"
check "cell missing folder" 1 "cannot write in .*nodir: No such file or directory" -- "$tcx" cell lut --bits 24 -o "$tmp/nodir/x.tc"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
