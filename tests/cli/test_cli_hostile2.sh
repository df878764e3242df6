#!/usr/bin/env bash
# Hostile input, second round (issue 20): what a new user or an adversary tried next and tcx got
# wrong. Negative or too-large values of unsigned flags (CLI11 wrapped them to 2^64 - 1: no
# budget, or 2^64 instances), output and input extensions in upper case (.tc text was written
# into OUT.AIG), check-proof on /dev/zero (read for gigabytes) and its unchecked --time-limit.
set -u
source "$(dirname "$0")/check.sh"
cli_setup "$1" "$2"

# 1. Unsigned flags: a negative value or one past 2^64 - 1 is a range error (exit 2), in every command.
neg="expected a non-negative integer, got '-1'"
check "synth conflicts -1" 2 "--conflicts: $neg" -- t synth --table 6 --inputs 2 --widths 1 --conflicts -1
check "verify random -1" 2 "--random: $neg" -- t verify "$ex/majority3.tc" --task majority --param n=3 --random -1
check "verify conflicts -1" 2 "--conflicts: $neg" -- t verify "$ex/majority3.tc" --task majority --param n=3 --conflicts -1
check "equiv conflicts -1" 2 "--conflicts: $neg" -- t equiv "$ex/majority3.tc" "$ex/majority3.tc" --sat --conflicts -1
check "equiv conflicts ' -1'" 2 "--conflicts: expected a non-negative integer, got ' -1'" -- t equiv "$ex/majority3.tc" "$ex/majority3.tc" --sat --conflicts " -1"
check "task random -1" 2 "--random: $neg" -- t task parity --param n=4 --random -1
check "synth seed -1" 2 "--seed: $neg" -- t synth --table 6 --inputs 2 --widths 1 --seed -1
check "compile seed 2^64" 2 "--seed: '18446744073709551616' is too large \(at most 2\^64 - 1\)" -- t compile "$zoo/mlp_sign.json" --n 4 --seed 18446744073709551616
check "compile seed 2^64-1" 0 "" -- t compile "$zoo/mlp_sign.json" --n 4 --seed 18446744073709551615 --check -o "$tmp/s.tc"
check "diffusion random -1" 2 "--random: Value -1 not in range 0 to 16777216" -- t diffusion --backbone majority --n 4 --random -1
check "diffusion random past 2^24" 2 "--random: Value 99999999999 not in range 0 to 16777216" -- t diffusion --backbone majority --n 4 --random 99999999999
check "unsigned help unchanged" 0 "^  --conflicts UINT +conflicts per solver call" -- t synth --help

# 2. Extensions in any case: OUT.AIG is binary AIGER, Y.Blif is BLIF, and they read back equal.
check "export .AIG" 0 "" -- t export "$ex/majority3.tc" -o "$tmp/m.AIG"
[ "$(head -c 4 "$tmp/m.AIG")" = "aig " ] && ok || bad "m.AIG does not hold binary AIGER: $(head -c 16 "$tmp/m.AIG" | od -c | head -1)"
check "export .Blif" 0 "" -- t export "$ex/majority3.tc" -o "$tmp/m.Blif"
grep -q "^\.model" "$tmp/m.Blif" && ok || bad "m.Blif does not hold BLIF"
check "read .AIG" 0 "^equal" -- t equiv "$tmp/m.AIG" "$ex/majority3.tc"
check "read .Blif" 0 "^equal" -- t equiv "$tmp/m.Blif" "$ex/majority3.tc"
check "compile .AAG" 0 "" -- t compile "$zoo/mlp_sign.json" --n 4 -o "$tmp/c.AAG"
[ "$(head -c 4 "$tmp/c.AAG")" = "aag " ] && ok || bad "c.AAG does not hold ASCII AIGER"
check "cell .V" 0 "" -- t cell add --bits 2 -o "$tmp/a.V"
grep -q "^module" "$tmp/a.V" && ok || bad "a.V does not hold Verilog"
check ".AIG contradicts --format tc" 2 "--format tc contradicts the extension of .*z.AIG" -- t export "$ex/majority3.tc" -o "$tmp/z.AIG" --format tc
[ ! -e "$tmp/z.AIG" ] && ok || bad "z.AIG written despite the contradiction"

# 3. check-proof: a file that cannot be a CNF or a proof is refused at its first bytes, at once.
printf 'p cnf 1 2\n1 0\n-1 0\n' >"$tmp/u.cnf"
printf '0\n' >"$tmp/u.drat"
check "check-proof zero cnf" 2 "/dev/zero:1:1: a NUL byte: binary data, not a DIMACS CNF" -- timeout 10 "$tcx" check-proof /dev/zero "$tmp/u.drat"
check "check-proof zero proof" 2 "/dev/zero:1:1: not a DRAT proof: it starts with byte 0" -- timeout 10 "$tcx" check-proof "$tmp/u.cnf" /dev/zero
check "check-proof good" 0 "^verified" -- t check-proof "$tmp/u.cnf" "$tmp/u.drat"
for v in -1 nan inf; do
  check "check-proof --time-limit $v" 2 "--time-limit: expected seconds in \[0, 10\^7\], got '$v'" -- t check-proof "$tmp/u.cnf" "$tmp/u.drat" --time-limit "$v"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
