#!/usr/bin/env bash
# Command-line tests: run tcx as a user would and check output and exit status.
set -u
tcx="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/check.sh"

ex="$src/examples"
sed 's/input x0 x1 x2 x3 y0 y1 y2 y3/input a0 x1 x2 x3 y0 y1 y2 y3/; s/gate ge = x0/gate ge = a0/' "$ex/compare4.tc" >"$tmp/renamed.tc"
check "stats table" 0 "^depth +2$" -- "$tcx" stats "$ex/parity4_depth2.tc"
check "stats json" 0 '"depth": 1' -- "$tcx" stats "$ex/majority3.tc" --json
check "stats json parses" 0 "^2$" -- bash -c "'$tcx' stats '$ex/parity4_depth2.tc' --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[\"depth\"])'"
check "critical path" 0 "critical path +x[0-3] -> g[1-4] -> p" -- "$tcx" stats "$ex/parity4_depth2.tc"
check "export tc round trip" 0 "gate p = g1 - g2 \+ g3 - g4 >= 1" -- "$tcx" export "$ex/parity4_depth2.tc" --format tc
check "export json" 0 '"threshold": 2' -- "$tcx" export "$ex/majority3.tc" --format json
check "export dot" 0 "digraph" -- "$tcx" export "$ex/majority3.tc" --format dot
if command -v dot >/dev/null; then
  check "dot renders" 0 "svg" -- bash -c "'$tcx' export '$ex/compare4.tc' --format dot | dot -Tsvg"
fi
check "export to file" 0 "" -- "$tcx" export "$ex/majority3.tc" -o "$tmp/m.tc"
check "no clobber" 1 "file exists \(use --force" -- "$tcx" export "$ex/majority3.tc" -o "$tmp/m.tc"
check "force" 0 "" -- "$tcx" export "$ex/majority3.tc" -o "$tmp/m.tc" --force
check "exported file reads back" 0 "^gates +1$" -- "$tcx" stats "$tmp/m.tc"
printf 'tcx-circuit 1\ninput a\ngate g = a + q >= 1\n' >"$tmp/bad.tc"
check "parse error" 1 "^$tmp/bad.tc:3:14: undefined name 'q'$" -- "$tcx" stats "$tmp/bad.tc"
check "missing file" 1 "cannot open" -- "$tcx" stats "$tmp/none.tc"
check "unknown type" 1 "unknown circuit file type" -- "$tcx" stats "$tmp"
check "bad format flag" 2 "format" -- "$tcx" export "$ex/majority3.tc" --format png
check "no subcommand" 2 "subcommand" -- "$tcx"
check "unknown flag" 2 "" -- "$tcx" stats "$ex/majority3.tc" --bogus
check "help" 0 "stats" -- "$tcx" --help
# evaluation and verification
check "eval" 0 "^1$" -- "$tcx" eval "$ex/majority3.tc" --inputs 110
check "eval 0" 0 "^0$" -- "$tcx" eval "$ex/majority3.tc" --inputs 100
check "eval input order" 0 "^0$" -- "$tcx" eval "$ex/compare4.tc" --inputs 1000_0100   # x=1, y=2
check "eval input order 2" 0 "^1$" -- "$tcx" eval "$ex/compare4.tc" --inputs 0100_1000  # x=2, y=1
check "eval json" 0 '"value": 1' -- "$tcx" eval "$ex/majority3.tc" --inputs 011 --json
check "eval wrong width" 2 "has 2 bits; the circuit has 3 inputs" -- "$tcx" eval "$ex/majority3.tc" --inputs 01
check "eval bad bit" 2 "only 0 and 1" -- "$tcx" eval "$ex/majority3.tc" --inputs 012
check "truth parity" 0 "^parity 6996$" -- "$tcx" truth "$ex/parity4_depth2.tc"
check "truth json" 0 '"hex": "6996"' -- "$tcx" truth "$ex/parity4_depth2.tc" --json
check "equiv name order note" 0 "matched by position" -- "$tcx" equiv "$ex/compare4.tc" "$tmp/renamed.tc"
check "truth majority" 0 "^y e8$" -- "$tcx" truth "$ex/majority3.tc"
check "equiv self" 0 "^equal \(structural: .* a proof for all 4 inputs\)" -- "$tcx" equiv "$ex/parity4_depth2.tc" "$ex/parity4_depth2.tc"
check "equiv self json" 0 '"method": "structural"' -- "$tcx" equiv "$ex/parity4_depth2.tc" "$ex/parity4_depth2.tc" --json
check "equiv self --sat asks the solver" 0 "^equal \(SAT" -- "$tcx" equiv "$ex/parity4_depth2.tc" "$ex/parity4_depth2.tc" --sat
"$tcx" lower "$ex/parity4_depth2.tc" --format aag -o "$tmp/p.aag" 2>/dev/null
"$tcx" lower "$ex/parity4_depth2.tc" --format aig -o "$tmp/p.aig" 2>/dev/null
"$tcx" lower "$ex/parity4_depth2.tc" --format blif -o "$tmp/p.blif" 2>/dev/null
check "lowered aag equal" 0 "^equal" -- "$tcx" equiv "$ex/parity4_depth2.tc" "$tmp/p.aag"
check "lowered aig equal" 0 "^equal" -- "$tcx" equiv "$tmp/p.aig" "$ex/parity4_depth2.tc"
check "lowered blif equal" 0 "^equal" -- "$tcx" equiv "$tmp/p.blif" "$tmp/p.aag"
printf 'tcx-circuit 1\ninput x0 x1 x2 x3\ngate g = x0 + x1 + x2 + x3 >= 1\noutput parity = g\n' >"$tmp/or4.tc"
check "equiv different" 1 "inputs    1100" -- "$tcx" equiv "$ex/parity4_depth2.tc" "$tmp/or4.tc"
check "equiv json" 1 '"verdict": "different"' -- "$tcx" equiv "$ex/parity4_depth2.tc" "$tmp/or4.tc" --json
check "equiv interface mismatch" 2 "different input counts" -- "$tcx" equiv "$ex/parity4_depth2.tc" "$ex/majority3.tc"
check "equiv parse error" 2 "bad.tc:3:14" -- "$tcx" equiv "$tmp/bad.tc" "$ex/majority3.tc"
check "equiv random is unknown" 3 "not a proof" -- "$tcx" equiv "$ex/parity4_depth2.tc" "$tmp/p.aag" --max-exhaustive 2 --random --patterns 1000
"$tcx" lower "$ex/compare4.tc" --format aag -o "$tmp/compare4.aag" 2>/dev/null
check "equiv beyond exhaustive proves by SAT" 0 "^equal \(SAT: the miter is unsatisfiable" -- "$tcx" equiv "$ex/compare4.tc" "$tmp/compare4.aag" --max-exhaustive 4
check "export th" 0 "^\.threshold" -- "$tcx" export "$ex/majority3.tc" --format th
check "export verilog" 0 "^module tcx" -- "$tcx" export "$ex/majority3.tc" --format v
# the cell library
check "cells" 0 "^iadd +2 " -- "$tcx" cells
check "cells json" 0 '"name": "sort"' -- "$tcx" cells --json
check "cell add" 0 "depth 2 \(formula 2\)" -- "$tcx" cell add --bits 4 -o "$tmp/add4.tc"
check "cell add truth" 0 "^y\[0\] 5555aaaa" -- "$tcx" truth "$tmp/add4.tc"
check "cell sort" 0 "depth 3 \(formula 3\)" -- "$tcx" cell sort --bits 8 --count 6 -o "$tmp/sort.tc"
check "cell sort stats" 0 "^inputs +48$" -- "$tcx" stats "$tmp/sort.tc"
check "cell unknown" 2 "unknown cell 'nope'" -- "$tcx" cell nope
check "cell bits range" 2 "bits" -- "$tcx" cell add --bits 0
check "cell too large" 2 "above 2\^20 inputs" -- "$tcx" cell sort --bits 4096 --count 4096
check "size bound" 2 "size bound" -- "$tcx" --max-wires 1000 cell mul --bits 16
check "cell to aig" 0 "" -- "$tcx" cell mul --bits 4 --format aig -o "$tmp/mul4.aig"
"$tcx" cell mul --bits 4 -o "$tmp/mul4.tc" 2>/dev/null
check "cell aig equal" 0 "^equal" -- "$tcx" equiv "$tmp/mul4.aig" "$tmp/mul4.tc"
"$tcx" cell ge --bits 16 -o "$tmp/ge16.tc" 2>/dev/null
check "reweight" 0 "max weight bits 16 -> " -- "$tcx" reweight "$tmp/ge16.tc" --max-bits 4 -o "$tmp/ge16s.tc"
check "reweight equal" 0 "^equal \(SAT: the miter is unsatisfiable" -- "$tcx" equiv "$tmp/ge16.tc" "$tmp/ge16s.tc" --sat
"$tcx" cell ge --bits 12 -o "$tmp/ge12.tc" 2>/dev/null  # 24 inputs: exhaustive in a blink (32 take a minute)
"$tcx" reweight "$tmp/ge12.tc" --max-bits 4 -o "$tmp/ge12s.tc" 2>/dev/null
check "reweight equal exhaustive" 0 "^equal \(exhaustive: all 16777216" -- "$tcx" equiv "$tmp/ge12.tc" "$tmp/ge12s.tc"
"$tcx" cell ge --bits 7 -o "$tmp/ge7.tc" 2>/dev/null
check "reweight residues" 0 "depth 1 -> 2, gates 1 -> " -- "$tcx" reweight "$tmp/ge7.tc" --max-bits 2 --method residues --weight-bits 6 -o "$tmp/ge7r.tc"
check "reweight residues notes the width" 0 "note: the weights keep [0-9]+ bits, above --max-bits 2: --method residues" -- "$tcx" reweight "$tmp/ge7.tc" --max-bits 2 --method residues --weight-bits 6 -o "$tmp/ge7r2.tc"
check "reweight residues equal" 0 "^equal \\(exhaustive" -- "$tcx" equiv "$tmp/ge7.tc" "$tmp/ge7r.tc"
check "reweight residues stats" 0 "^depth +2$" -- "$tcx" stats "$tmp/ge7r.tc"
check "reweight residues narrow" 2 "more primes below 2\\^5 than there are; weights of 6 bits would do" -- "$tcx" reweight "$tmp/ge7.tc" --max-bits 2 --method residues --weight-bits 5
check "reweight residues budget" 2 "over the budget of 10 gates" -- "$tcx" reweight "$tmp/ge16.tc" --max-bits 2 --method residues --max-gates 10
check "cell ge_residues" 0 "depth 2 \\(formula 2\\)" -- "$tcx" cell ge_residues --bits 6 -o "$tmp/geres.tc"
# the task library
check "tasks" 0 "^eca - elementary cellular automaton" -- "$tcx" tasks
check "tasks json" 0 '"name": "s5"' -- "$tcx" tasks --json
check "task solve rule 110" 0 "^00000111$" -- "$tcx" task eca --param cells=8 --param steps=2 --solve 00000001
check "task emit" 0 "depth 6" -- "$tcx" task eca --param steps=3 --emit circuit -o "$tmp/eca.tc"
"$tcx" task eca --param cells=8 --param steps=2 --emit circuit -o "$tmp/eca2.tc" 2>/dev/null
check "task circuit eval" 0 "^00000111$" -- "$tcx" eval "$tmp/eca2.tc" --inputs 00000001
check "task random" 0 " -> " -- "$tcx" task parity --random 3 --seed 1
check "task bad param" 2 "rule=300 is outside" -- "$tcx" task eca --param rule=300 --solve 1
check "task unknown param" 2 "has no parameter 'rules'" -- "$tcx" task eca --param rules=3 --solve 1
check "task nothing to do" 2 "say what to do" -- "$tcx" task parity
# model compilers
zoo="$ex/models"
check "compile" 0 "" -- "$tcx" compile "$zoo/mlp_sign.json" --n 8 -o "$tmp/sign8.tc"
check "compiled stats" 0 "^depth +2$" -- "$tcx" stats "$tmp/sign8.tc"
check "compile no clobber" 1 "file exists" -- "$tcx" compile "$zoo/mlp_sign.json" --n 8 -o "$tmp/sign8.tc"
check "compile check exhaustive" 0 "check passed: .* on all 256 inputs" -- "$tcx" compile "$zoo/bnn.json" --n 8 --check -o "$tmp/bnn8.tc"
check "compile check random" 0 "on 2000 inputs \(random: evidence, not proof\)" -- "$tcx" compile "$zoo/rnn_relu.json" --n 40 --check --random 2000 -o "$tmp/rnn40.aig"
"$tcx" compile "$zoo/rnn_relu.json" --n 3 -o "$tmp/rnn3.aig" 2>/dev/null
"$tcx" compile "$zoo/rnn_relu.json" --n 3 -o "$tmp/rnn3.tc" 2>/dev/null
check "compile to aig" 0 "^equal" -- "$tcx" equiv "$tmp/rnn3.aig" "$tmp/rnn3.tc"
check "depth table" 0 "^depth +2$" -- "$tcx" depth "$zoo/mlp_sign.json" --n 2000
check "depth time limit" 3 "^tcx: depth: unknown: the time limit of 0.5 s ran out" -- "$tcx" depth "$zoo/mlp_sign.json" --n 1000000 --time-limit 0.5
check "family time limit inside a size" 0 "time limit of 0.5 s stopped the sweep after n = 1024" -- "$tcx" family "$zoo/mlp_sign.json" --n 1024..16777216 --step x1024 --time-limit 0.5 --quiet
check "depth json" 0 '"depth": 40' -- "$tcx" depth "$zoo/rnn_parity.json" --n 40 --json
check "depth equals stats" 0 "^same$" -- bash -c "a=\$('$tcx' depth '$zoo/mlp_relu_fixed.json' --n 6 --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[\"gates\"], d[\"wires\"], d[\"depth\"])'); '$tcx' compile '$zoo/mlp_relu_fixed.json' --n 6 -o '$tmp/relu6.tc'; b=\$('$tcx' stats '$tmp/relu6.tc' --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[\"gates\"], d[\"wires\"], d[\"depth\"])'); [ \"\$a\" = \"\$b\" ] && echo same"
check "family constant" 0 "depth is constant, 2.*consistent with TC\^0.*evidence, not proof" -- "$tcx" family "$zoo/mlp_sign.json" --n 4..256
check "family linear" 0 "depth grows like 1\*n.*not a TC\^0 family" -- "$tcx" family "$zoo/rnn_parity.json" --n 4..128 --step +4
check "family json" 0 '"consistent_with_tc0": true' -- "$tcx" family "$zoo/mlp_majority.json" --n 2..64 --json --materialize
check "family time limit" 0 "time limit of 1e-09 s stopped the sweep after n = 4" -- "$tcx" family "$zoo/mlp_sign.json" --n 4..1024 --time-limit 0.000000001
check "family task serial" 0 "depth grows like 2\*n.*not a TC\^0 family" -- "$tcx" family --task eca --over steps --param cells=16 --n 1..32 --quiet
check "family task parallel" 0 "depth is constant, 2.*consistent with TC\^0" -- "$tcx" family --task parity --n 4..256 --quiet
check "family task bad param" 2 "is the swept parameter" -- "$tcx" family --task eca --over steps --param steps=3 --n 1..4
check "family needs one source" 2 "either a model file or --task" -- "$tcx" family --n 1..4
check "verify --model --param" 2 "^tcx: error: --param applies with --task" -- "$tcx" verify "$src/examples/majority3.tc" --model "$src/examples/onnx/mlp_8.onnx" --param n=3
check "synth --param without --task" 2 "^tcx: error: synth: --param applies with --task" -- "$tcx" synth --table 6 --inputs 2 --widths 1 --param n=3
check "family --over without --task" 2 "^tcx: error: --over applies with --task" -- "$tcx" family "$zoo/ssm_s5.json" --n 2..8 --over k
check "family --param without --task" 2 "^tcx: error: --param applies with --task" -- "$tcx" family "$zoo/ssm_s5.json" --n 2..8 --param n=3
# A log-depth family by steps of one is flat from 9 to 16: too short to call constant.
check "family short plateau" 0 "depth grows like 2.1.*log2\(n\).*too short a stretch.*not a TC\^0 family" -- "$tcx" family --task word_a5 --n 1..16 --step +1 --quiet
# eca sweeps its steps by default; a depth that falls (rule numbers as n) is undecided, not growth.
check "family eca default over steps" 0 "n = steps.*" -- "$tcx" family --task eca --param cells=8 --n 1..8 --quiet
check "family falling depth undecided" 0 "depth does not grow with n.*undecided" -- "$tcx" family --task eca --over rule --n 2..64 --quiet
check "transformer check" 0 "check passed: .* on all 4096 inputs" -- "$tcx" compile "$zoo/transformer_hard.json" --n 12 --check -o "$tmp/tf12.tc"
check "transformer depth" 0 "^depth +59$" -- "$tcx" depth "$zoo/transformer_4head.json" --n 300
check "transformer family" 0 "depth is constant, 5.*consistent with TC\^0" -- "$tcx" family "$zoo/transformer_majority.json" --n 4..256
check "looped family" 0 "depth grows like 24\*n - 18.*not a TC\^0 family" -- "$tcx" family "$zoo/transformer_looped.json" --n 4..16 --step +4
check "s5 family" 0 "depth grows like 2\*log2\(n\) \+ 2.*not a TC\^0 family" -- "$tcx" family "$zoo/ssm_s5.json" --n 4..1024
check "ssm check" 0 "check passed: .* on all 65536 inputs" -- "$tcx" compile "$zoo/ssm_selective.json" --n 16 --check --exhaustive-bits 16 -o "$tmp/sel16.tc"
check "ssm overflow" 1 "/number/overflow: the state can leave the 16-bit range at n = 12: use \"wrap\"" -- bash -c "sed 's/\"wrap\"/\"saturate\"/' '$zoo/ssm_lti.json' > '$tmp/sat.json'; '$tcx' depth '$tmp/sat.json' --n 12"
# SAT equivalence (provers/): a 24-bit comparator gate (weights to 2^23) against its AND network.
"$tcx" cell ge --bits 24 -o "$tmp/ge24.tc" 2>/dev/null
"$tcx" lower "$tmp/ge24.tc" --format aig -o "$tmp/ge24.aig" 2>/dev/null
"$tcx" cell ge_small --bits 24 -o "$tmp/ges24.tc" 2>/dev/null
"$tcx" cell eq --bits 24 -o "$tmp/eq24.tc" 2>/dev/null
check "equiv sat equal" 0 "^equal \(SAT: the miter is unsatisfiable, a proof for all 48 inputs" -- "$tcx" equiv "$tmp/ge24.tc" "$tmp/ge24.aig" --sat
check "equiv sat adder" 0 "^equal.*adder [1-9]" -- "$tcx" equiv "$tmp/ge24.tc" "$tmp/ges24.tc" --sat --encoding adder
check "equiv sat different" 1 "^different \(SAT; the counterexample was re-checked" -- "$tcx" equiv "$tmp/ge24.tc" "$tmp/eq24.tc" --sat
check "equiv sat json" 1 '"method": "sat"' -- "$tcx" equiv "$tmp/ge24.tc" "$tmp/eq24.tc" --sat --json
"$tcx" cell mul --bits 10 -o "$tmp/mul10.tc" 2>/dev/null
"$tcx" lower "$tmp/mul10.tc" --format aig -o "$tmp/mul10.aig" 2>/dev/null
check "equiv sat unknown" 3 "^unknown: the SAT budget ran out" -- "$tcx" equiv "$tmp/mul10.tc" "$tmp/mul10.aig" --sat --conflicts 100
check "equiv dimacs needs sat" 2 "need --sat" -- "$tcx" equiv "$tmp/ge24.tc" "$tmp/ge24.aig" --dimacs "$tmp/x.cnf"
check "equiv dimacs" 0 "^p cnf [0-9]+ [0-9]+$" -- bash -c "'$tcx' equiv '$tmp/ge24.tc' '$tmp/ge24.aig' --sat --dimacs '$tmp/eq.cnf' >/dev/null && cat '$tmp/eq.cnf'"
check "equiv dimacs no clobber" 2 "file exists" -- "$tcx" equiv "$tmp/ge24.tc" "$tmp/ge24.aig" --sat --dimacs "$tmp/eq.cnf"
if command -v picosat >/dev/null; then  # a peer solver on tcx's DIMACS
  check "picosat unsat" 0 "^s UNSATISFIABLE" -- bash -c "picosat '$tmp/eq.cnf'; true"
  check "picosat sat" 0 "^s SATISFIABLE" -- bash -c "'$tcx' equiv '$tmp/ge24.tc' '$tmp/eq24.tc' --sat --dimacs '$tmp/ne.cnf' >/dev/null; picosat '$tmp/ne.cnf'; true"
fi
# tcx verify: a circuit against a task's reference solver.
"$tcx" task parity --param n=10 --emit circuit -o "$tmp/p10.tc" 2>/dev/null
"$tcx" cell majority --bits 10 -o "$tmp/m10.tc" 2>/dev/null
check "verify exhaustive" 0 "^correct \(exhaustive: all 1024 inputs against the reference solver" -- "$tcx" verify "$tmp/p10.tc" --task parity --param n=10
check "verify wrong" 1 "^wrong .*" -- "$tcx" verify "$tmp/m10.tc" --task parity --param n=10
check "verify shape" 2 "has 10 inputs and 1 outputs; parity at these parameters has 12" -- "$tcx" verify "$tmp/p10.tc" --task parity --param n=12
"$tcx" compile "$zoo/ssm_s5.json" --n 4 -o "$tmp/ssm4.tc" 2>/dev/null  # 60 inputs, beyond exhaustive
check "verify sat" 0 "^correct \(SAT: equal to the task's natural circuit on all 60 inputs" -- "$tcx" verify "$tmp/ssm4.tc" --task s5 --param n=4
"$tcx" task majority --param n=30 --emit circuit -o "$tmp/maj30.tc" 2>/dev/null
check "verify sat wrong" 1 "^wrong \(SAT found an input" -- bash -c "sed 's/>= 15/>= 16/' '$tmp/maj30.tc' > '$tmp/maj30bad.tc'; '$tcx' verify '$tmp/maj30bad.tc' --task majority --param n=30 --random 0"
# tcx synth: bounded threshold-circuit synthesis.
check "synth xor one gate" 1 "^none: no threshold circuit of shape 1 layered computes it, whatever its weights" -- "$tcx" synth --table 6 --inputs 2 --widths 1
check "synth xor skip" 0 "^found: depth 2, 2 gates \(shape 1,1 with skip wires\), verified on all 4 inputs" -- "$tcx" synth --table 6 --inputs 2 --widths 1,1 --skip
check "synth parity task" 0 "^correct" -- bash -c "'$tcx' synth --task parity --param n=4 --widths 4,1 -o '$tmp/par4.tc' >/dev/null && '$tcx' verify '$tmp/par4.tc' --task parity --param n=4"
check "synth parity unsat" 1 "^none: no threshold circuit of shape 3,1 layered" -- "$tcx" synth --task parity --param n=4 --widths 3,1
check "synth weight bound" 1 "^none with \|w\| <= 1: " -- "$tcx" synth --table ea --inputs 3 --widths 1 --max-weight 1
check "synth json" 0 '"answer": "sat"' -- "$tcx" synth --task majority --param n=5 --widths 1 --json
check "synth unknown" 3 "^unknown: the budget ran out" -- "$tcx" synth --task parity --param n=5 --widths 4,1 --conflicts 1 --time-limit 2
check "synth bad table" 2 "is not hexadecimal" -- "$tcx" synth --table 6g --inputs 2 --widths 1
check "synth outputs" 2 "the last layer has 2 gates but the function has 1 outputs" -- "$tcx" synth --table 6 --inputs 2 --widths 1,2
check "synth majority class" 1 "^none: no circuit of shape 1,1,1 with skip wires of MAJ3 gates without complements" -- "$tcx" synth --task majority --param n=5 --widths 1,1,1 --skip --majority 3 --no-complement
check "synth majority found" 0 "^found: depth 3, 4 gates" -- "$tcx" synth --task majority --param n=5 --widths 1,1,1,1 --skip --majority 3 --no-complement
check "frontier parity" 0 "^ +4 +- +3\* +3\* +depth for 1..5 gates: - - 2\* 2\* 2\*$" -- "$tcx" frontier --task parity --sizes 2..4 --max-depth 3 --max-gates 5
check "frontier json" 0 '"status": "proven_minimal"' -- "$tcx" frontier --task majority --sizes 3..4 --max-depth 1 --max-gates 2 --json
check "bounds parity" 0 "depth 2: 3 gates, proven minimal for that depth" -- "$tcx" bounds --task parity --param n=4
check "bounds literature" 0 "^literature: NC\^1-complete" -- "$tcx" bounds --task s5 --param n=2
check "family bad step" 2 "--step x1" -- "$tcx" family "$zoo/mlp_sign.json" --n 4..16 --step x1
check "family bad range" 2 "expected A..B" -- "$tcx" family "$zoo/mlp_sign.json" --n 16..4
printf '{"tcx-model": 1, "input": {"length": "n"}, "layers": [{"out": "n - 10", "weights": 1}]}' >"$tmp/neg.json"
check "model size error" 1 "^tcx: error: $tmp/neg.json: /layers/0/out: 'n - 10' is -6 at n = 4" -- "$tcx" depth "$tmp/neg.json" --n 4
printf '{"tcx-model": 1, "input": {"length": "n"},\n "layers": [{"out": 1, "weights": 1, "activation": "gelu"}]}' >"$tmp/act.json"
check "model field error" 1 "/layers/0/activation: 'gelu' is not one of" -- "$tcx" compile "$tmp/act.json" --n 4
printf '{"tcx-model": 1,\n  "input": [\n}' >"$tmp/syntax.json"
check "model json syntax" 1 "^$tmp/syntax.json:3:1: invalid JSON" -- "$tcx" depth "$tmp/syntax.json" --n 4
check "model n range" 2 "--n: Value 0 not in range" -- "$tcx" depth "$zoo/mlp_sign.json" --n 0
check "model n not an integer" 2 "--n: '1e3' is not an integer" -- "$tcx" depth "$zoo/mlp_sign.json" --n 1e3
check "a flag's value not an integer" 2 "--max-gates: '2.5' is not an integer" -- "$tcx" frontier --task parity --sizes 2..3 --max-gates 2.5
check "compile a directory: the file is the error, not --n" 1 "^tcx: error: $tmp: is a directory" -- "$tcx" compile "$tmp"
check "depth a missing file without --n: the file is the error" 1 "cannot open" -- "$tcx" depth "$tmp/none.json"
check "--n still required for a spec" 2 "--n is required for a JSON model spec" -- "$tcx" depth "$zoo/mlp_sign.json"
check "compile --layout: the layout as JSON" 0 "" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" -o "$tmp/m8.tc" --layout "$tmp/m8.json"
check "compile --input signs" 0 "" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" -o "$tmp/m8s.tc" --input signs
check "its wires and kinds" 0 "" -- /usr/bin/python3 -c "
import json, sys
l = json.load(open(sys.argv[1]))
assert (l['input_bits'], l['output_bits']) == (8, 1), l
x, y = l['inputs'][0], l['outputs'][0]
assert (x['kind'], x['first_wire'], x['wires'], x['shape']) == ('bit', 0, 8, [1, 8]), x
assert (y['kind'], y['wires'], y['scale'], y['offset']) == ('sign', 1, '1', '0'), y
" "$tmp/m8.json"
check "--layout: an existing file is kept" 1 "m8.json: file exists \(use --force" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" -o "$tmp/m8b.tc" --layout "$tmp/m8.json"
check "--layout never replaces the model" 1 "is an input of this command" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" -o "$tmp/m8b.tc" --layout "$ex/onnx/mlp_8.onnx" --force
check "--layout and -o the same file, by two spellings" 2 "--layout and -o name the same file" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" -o "$tmp/./same.tc" --layout "$tmp/same.tc" --force
check "  nothing written" 1 "" -- test -e "$tmp/same.tc"
mkdir -p "$tmp/ldir"
check "--layout a folder: refused before the circuit is written" 1 "ldir: is a directory" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" -o "$tmp/ld.tc" --layout "$tmp/ldir" --force
check "  no circuit either" 1 "" -- test -e "$tmp/ld.tc"
check "--layout in a missing folder" 1 "the folder .*/nofolder does not exist" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" -o "$tmp/ld.tc" --layout "$tmp/nofolder/l.json"
check "--layout ''" 2 "--layout: the file name is empty" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" -o "$tmp/ld.tc" --layout ""
check "-o - and --layout -" 2 "both name standard output" -- "$tcx" compile "$ex/onnx/mlp_8.onnx" --layout -
check "verify --model of a circuit compiled with other settings names the ones it assumed" 1 "reference 1; checked as compiled with --input bits: give the settings it was compiled with" -- "$tcx" verify "$tmp/m8s.tc" --model "$ex/onnx/mlp_8.onnx"
cp "$ex/onnx/mlp_8.onnx" "$tmp/M8.ONNX"
check "an ONNX model's extension in any case (compile)" 0 "depth 2, 9 gates" -- "$tcx" compile "$tmp/M8.ONNX" -o "$tmp/m8u.tc"
check "an ONNX model's extension in any case (verify --model)" 0 "^correct" -- "$tcx" verify "$tmp/m8u.tc" --model "$tmp/M8.ONNX"
check "verify --model --json: verdict, how and the check" 0 '"how": "the circuit equals the exact interpreter on all 256 inputs"' -- "$tcx" verify "$tmp/m8.tc" --model "$ex/onnx/mlp_8.onnx" --json
check "--layout is for ONNX models" 2 "--layout applies to ONNX models only" -- "$tcx" compile "$zoo/mlp_sign.json" --n 4 --layout "$tmp/l.json"
check "model missing" 1 "cannot open" -- "$tcx" depth "$tmp/none.json" --n 4
check "model size bound" 2 "size bound" -- "$tcx" --max-wires 100000 compile "$zoo/mlp_sign.json" --n 1000 -o "$tmp/big.tc"


echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
