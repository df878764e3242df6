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
# The second opinion: a reader of .tc files and a model of each task's encoding, written in
# Python apart from tcx.
ref=(/usr/bin/python3 "$(dirname "$0")/frontier_circuits_check.py")

shape() {  # description, file, depth, gates: tcx stats reports that depth and that many gates
  check "$1: stats" 0 "$tcx" stats "$2"
  has "$1: depth $3" "^depth +$3$"
  has "$1: $4 gates" "^gates +$4$"
}

r110=(--task eca --param cells=9 --param cell=4 --param steps=4)
shape "Rule 110 after 4 steps" "$dir/eca_rule110_t4_depth2_6gates.tc" 2 6
check "Rule 110 after 4 steps in 6 gates: correct on all 512 inputs" 0 "$tcx" verify "$dir/eca_rule110_t4_depth2_6gates.tc" "${r110[@]}"
has "every input" "all 512 inputs"
check "and by an evaluator written here: the .tc gates against Rule 110's light cone" 0 "${ref[@]}" "$dir/eca_rule110_t4_depth2_6gates.tc" eca steps=4

shape "S_3, three elements" "$dir/word_s3_n3_depth2_11gates.tc" 2 11
check "S_3, three elements, in 11 gates: correct on all 512 codes" 0 "$tcx" verify "$dir/word_s3_n3_depth2_11gates.tc" --task word_s3 --param n=3
has "every code" "all 512 inputs"
check "and by the evaluator written here" 0 "${ref[@]}" "$dir/word_s3_n3_depth2_11gates.tc" word_s3 n=3

a5="$dir/word_a5_n2_valid_depth2_15gates.tc"
shape "A_5, two elements" "$a5" 2 15
check "A_5, two elements, in 15 gates: correct on the valid codes" 0 "$tcx" verify "$a5" --task word_a5 --param n=2 --care valid
has "the 3,600 valid codes" "the 3600 cared inputs of 4096"
check "made for the valid codes only: wrong on some invalid one" 1 "$tcx" verify "$a5" --task word_a5 --param n=2
check "A_5 by the evaluator written here, valid codes" 0 "${ref[@]}" "$a5" word_a5 n=2 --valid
check "and it too finds an invalid code wrong" 1 "${ref[@]}" "$a5" word_a5 n=2

s5="$dir/word_s5_n2_valid_depth2_23gates.tc"
shape "S_5, two elements" "$s5" 2 23
check "S_5, two elements, in 23 gates: correct on the valid codes" 0 "$tcx" verify "$s5" --task word_s5 --param n=2 --care valid
has "the 14,400 valid codes" "the 14400 cared inputs of 16384"
check "S_5 by the evaluator written here, valid codes" 0 "${ref[@]}" "$s5" word_s5 n=2 --valid

s34="$dir/word_s3_n4_valid_depth2_21gates.tc"
shape "S_3, four elements" "$s34" 2 21
check "S_3, four elements, in 21 gates: correct on the valid codes" 0 "$tcx" verify "$s34" --task word_s3 --param n=4 --care valid
has "the 1,296 valid codes" "the 1296 cared inputs of 4096"
check "S_3, four elements, by the evaluator written here" 0 "${ref[@]}" "$s34" word_s3 n=4 --valid

cvp="$dir/cvp_g2_depth2_21gates.tc"
shape "circuit value, two program gates" "$cvp" 2 21
check "circuit value, two program gates, in 21 gates: correct on all 8192 inputs" 0 "$tcx" verify "$cvp" --task cvp --param inputs=1 --param gates=2
has "every input" "all 8192 inputs"
check "circuit value by the evaluator written here" 0 "${ref[@]}" "$cvp" cvp inputs=1 gates=2
check "the evaluator is no rubber stamp: the Rule 110 circuit is not circuit value" 1 "${ref[@]}" "$dir/eca_rule110_t4_depth2_6gates.tc" cvp inputs=1 gates=2

# The solvable groups' natural circuits (the affine construction, docs/tasks.md): depth 4, and
# 5 for S_4 (A_4's construction over the parities of the odd elements before each); right on
# every word by the evaluator written here.
out="$tmp/natural"
mkdir -p "$out"
for spec in "word_s3 4 4 40" "word_a4 3 4 58" "word_s4 3 5 119"; do
  read -r task n depth gates <<<"$spec"
  check "$task n=$n: the natural circuit" 0 "$tcx" task "$task" --param "n=$n" --emit circuit -o "$out/$task.tc"
  shape "$task n=$n, natural" "$out/$task.tc" "$depth" "$gates"
  check "$task n=$n, natural, by the evaluator written here" 0 "${ref[@]}" "$out/$task.tc" "$task" "n=$n"
done
check "and the evaluator tells A_4 from S_3's encoding" 1 "${ref[@]}" "$out/word_a4.tc" word_a5 n=2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
