#!/usr/bin/env bash
# The tt synthesis method from the command line: answers, exit codes, agreement with the weights
# method, a found circuit verified against the task, and the frontier of the S_3 word problem.
set -u
tcx="$1"
# shellcheck source=check_lib.sh
source "$(dirname "$0")/check_lib.sh"

check "parity of 4 in 3,1 layered is none (tt)" 1 "$tcx" synth --task parity --param n=4 --widths 3,1 --method tt
has "tt none holds for all weights" "whatever its weights.*method tt"
for m in weights tt; do
  check "parity of 3 in 2,1 layered is none ($m)" 1 "$tcx" synth --task parity --param n=3 --widths 2,1 --method $m
  check "parity of 3 in 1,1 with skip wires is found ($m)" 0 "$tcx" synth --task parity --param n=3 --widths 1,1 --skip --method $m
done
check "parity of 4 in 4,1 layered is found (tt)" 0 "$tcx" synth --task parity --param n=4 --widths 4,1 --method tt -o "$tmp/p4.tc"
check "the found circuit is parity" 0 "$tcx" verify "$tmp/p4.tc" --task parity --param n=4
check "S_3 word problem frontier (tt)" 0 "$tcx" frontier --task word_s3 --sizes 1..2 --max-depth 2 --max-gates 4 --method tt
has "one element: 2 gates at depth 2, proven" "^ +1 +- +2\*"
has "two elements: 3 gates at depth 2, proven" "^ +2 +- +3\*"
check "a layered frontier" 0 "$tcx" frontier --task parity --sizes 3..3 --max-depth 2 --max-gates 4 --layered --json
has "parity of 3 layered: 4 gates" '"gates": 4'
check "an unknown method" 2 "$tcx" synth --task parity --param n=3 --widths 2,1 --method nope
check "tt takes no weight bound" 2 "$tcx" synth --task parity --param n=3 --widths 2,1 --method tt --max-weight 2
# A fan-in bound narrows the question: its "none" must say so, not claim every threshold circuit.
check "parity of 4 in 2,1 with skip wires, fan-in <= 3: none" 1 "$tcx" synth --task parity --param n=4 --widths 2,1 --skip --max-fanin 3
has "the answer names the fan-in bound" "^none with fan-in <= 3: .* whose gates read at most 3 sources"
check "the same as JSON" 1 "$tcx" synth --task parity --param n=4 --widths 2,1 --skip --max-fanin 3 --json
has "JSON: not for all weights" '"for_all_weights": false'
has "JSON: the bound" '"max_fanin": 3'
check "without the bound the shape has a circuit" 0 "$tcx" synth --task parity --param n=4 --widths 2,1 --skip
check "a bound at the sources' count narrows nothing" 1 "$tcx" synth --task parity --param n=4 --widths 1,1 --skip --max-fanin 5
has "so that none holds for all weights" "whatever its weights"
# Every restriction an answer holds under is in its JSON and its text.
check "synth --care valid --json" 0 "$tcx" synth --task word_s3 --param n=2 --widths 1,1 --skip --care valid --json
has "the care set in the JSON" '"care": "valid"'
check "synth --majority --json" 0 "$tcx" synth --task majority --param n=3 --widths 1 --majority 3 --json
has "the gate class in the JSON" '"of": 3'
check "bounds --layered --json" 0 "$tcx" bounds --task parity --param n=3 --max-gates 3 --layered --json
has "the search's restrictions in the JSON" '"layered": true'
check "frontier --layered says so" 0 "$tcx" frontier --task parity --sizes 3..3 --max-depth 2 --max-gates 4 --layered
has "in its legend" "layered circuits only"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
