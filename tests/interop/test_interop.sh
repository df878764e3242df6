#!/usr/bin/env bash
# Interop with real peers: tcx circuits exported to BLIF and AIGER are proven equivalent
# by berkeley-abc (cec, &cec) to independent Verilog references synthesized by yosys, and
# tcx reads the peers' files back. ABC exits 0 even on failure, so its output is parsed.
set -u
tcx="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

for tool in berkeley-abc yosys; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps installs it)"; exit 1; }
done

# Threshold circuits written as .tc from their textbook constructions (THEORY.md section 4).
# input names x[i], y[i] match the Verilog port bits, in the same order.
bits() { local p=$1 n=$2 s=""; for ((i = 0; i < n; i++)); do s+=" $p[$i]"; done; echo "$s"; }
sum_terms() {  # sum_terms NAME BITS SIGN: 1*x[0] + 2*x[1] + ...
  local p=$1 n=$2 sign=$3 s=""
  for ((i = 0; i < n; i++)); do s+=" $sign $((1 << i)) $p[$i]"; done
  echo "$s"
}

write_majority() {  # majority of n inputs: one gate
  local n=$1
  { echo "tcx-circuit 1"; echo "input$(bits x "$n")"
    echo "gate m = $(for ((i = 0; i < n; i++)); do printf ' + x[%d]' "$i"; done) >= $(((n + 1) / 2))"
    echo "output y = m"; } >majority.tc
  printf 'module ref(input [%d:0] x, output y);\n  assign y = $countones(x) >= %d;\nendmodule\n' $((n - 1)) $(((n + 1) / 2)) >majority.v
}
write_parity() {  # parity in depth 2 with n+1 gates
  local n=$1 all
  all=$(for ((i = 0; i < n; i++)); do printf ' + x[%d]' "$i"; done)
  { echo "tcx-circuit 1"; echo "input$(bits x "$n")"
    for ((k = 1; k <= n; k++)); do echo "gate g$k = $all >= $k"; done
    printf 'gate p ='; for ((k = 1; k <= n; k++)); do [ $((k % 2)) -eq 1 ] && printf ' + g%d' $k || printf ' - g%d' $k; done
    echo " >= 1"; echo "output y = p"; } >parity.tc
  printf 'module ref(input [%d:0] x, output y);\n  assign y = ^x;\nendmodule\n' $((n - 1)) >parity.v
}
write_compare() {  # x >= y: one gate with weights 2^i
  local n=$1
  { echo "tcx-circuit 1"; echo "input$(bits x "$n")$(bits y "$n")"
    echo "gate g = $(sum_terms x "$n" +)$(sum_terms y "$n" -) >= 0"; echo "output ge = g"; } >compare.tc
  printf 'module ref(input [%d:0] x, input [%d:0] y, output ge);\n  assign ge = x >= y;\nendmodule\n' $((n - 1)) $((n - 1)) >compare.v
}
write_adder() {  # s = x + y in depth 2: bit j of S_j = (x mod 2^(j+1)) + (y mod 2^(j+1)) is
  # [S_j >= 2^j] - [S_j >= 2^(j+1)] + [S_j >= 3*2^j] >= 1; the carry out is [S >= 2^n]
  local n=$1
  { echo "tcx-circuit 1"; echo "input$(bits x "$n")$(bits y "$n")"
    for ((j = 0; j < n; j++)); do
      local s="$(sum_terms x $((j + 1)) +)$(sum_terms y $((j + 1)) +)"
      echo "gate a$j = $s >= $((1 << j))"; echo "gate b$j = $s >= $((2 << j))"; echo "gate c$j = $s >= $((3 << j))"
      echo "gate s$j = a$j - b$j + c$j >= 1"
    done
    echo "gate co = $(sum_terms x "$n" +)$(sum_terms y "$n" +) >= $((1 << n))"
    for ((j = 0; j < n; j++)); do echo "output s[$j] = s$j"; done; echo "output s[$n] = co"; } >adder.tc
  printf 'module ref(input [%d:0] x, input [%d:0] y, output [%d:0] s);\n  assign s = x + y;\nendmodule\n' \
    $((n - 1)) $((n - 1)) "$n" >adder.v
}

abc_says_equal() { grep -q "Networks are equivalent" <<<"$1"; }

check_function() {  # check_function NAME
  local f=$1
  yosys -q -p "read_verilog $f.v; synth -flatten -top ref; aigmap; opt_clean; write_blif $f.ref.blif; write_aiger $f.ref.aig" \
    >/dev/null 2>&1 || { bad "$f: yosys failed"; return; }
  "$tcx" export "$f.tc" --format blif -o "$f.blif" 2>/dev/null || { bad "$f: export blif"; return; }
  "$tcx" export "$f.tc" --format aig -o "$f.aig" 2>/dev/null || { bad "$f: export aig"; return; }
  "$tcx" export "$f.tc" --format aag -o "$f.aag" 2>/dev/null || { bad "$f: export aag"; return; }
  local out
  out=$(berkeley-abc -c "cec $f.blif $f.ref.blif" 2>&1)
  abc_says_equal "$out" && ok || bad "$f: abc cec on BLIF: $out"
  out=$(berkeley-abc -c "&r $f.aig; &cec $f.ref.aig" 2>&1)
  abc_says_equal "$out" && ok || bad "$f: abc &cec on binary AIGER: $out"
  # ABC's &r reads only binary AIGER: yosys reads the ASCII file, ABC compares.
  yosys -q -p "read_aiger -module_name ours $f.aag; write_blif $f.from_aag.blif" >/dev/null 2>&1 ||
    bad "$f: yosys could not read our ASCII AIGER"
  out=$(berkeley-abc -c "cec $f.from_aag.blif $f.ref.blif" 2>&1)
  abc_says_equal "$out" && ok || bad "$f: abc cec on ASCII AIGER (read by yosys): $out"
  # our structural Verilog, read by yosys, compared by ABC
  "$tcx" export "$f.tc" --format v -o "$f.ours.v" 2>/dev/null || { bad "$f: export verilog"; return; }
  if yosys -q -p "read_verilog $f.ours.v; synth -flatten -top tcx; aigmap; opt_clean; write_blif $f.from_v.blif" >/dev/null 2>&1; then
    out=$(berkeley-abc -c "cec $f.from_v.blif $f.ref.blif" 2>&1)
    abc_says_equal "$out" && ok || bad "$f: abc cec on our Verilog (read by yosys): $out"
  else
    bad "$f: yosys could not read our Verilog"
  fi
  # and the other way round: tcx reads the peers' files
  "$tcx" equiv "$f.tc" "$f.ref.blif" >/dev/null && ok || bad "$f: tcx equiv with the yosys BLIF"
  "$tcx" equiv "$f.tc" "$f.ref.aig" >/dev/null && ok || bad "$f: tcx equiv with the yosys AIGER"
  # a wrong circuit must be caught by ABC too: raise the last gate's threshold by one
  local t
  t=$(grep '^gate ' "$f.tc" | tail -1 | sed 's/.*>= *//')
  sed "$(grep -n '^gate ' "$f.tc" | tail -1 | cut -d: -f1)s/>= *-\?[0-9]*\$/>= $((t + 1))/" "$f.tc" >"$f.bad.tc"
  "$tcx" export "$f.bad.tc" --format blif -o "$f.bad.blif" 2>/dev/null
  out=$(berkeley-abc -c "cec $f.bad.blif $f.ref.blif" 2>&1)
  grep -q "NOT EQUIVALENT" <<<"$out" && ok || bad "$f: abc did not catch the mutated circuit: $out"
}

write_majority 7 && check_function majority
write_parity 6 && check_function parity
write_compare 5 && check_function compare
write_adder 4 && check_function adder

# .th round trip through tcx (threABC's format)
"$tcx" export adder.tc --format th -o adder.th && "$tcx" equiv adder.th adder.tc >/dev/null 2>&1 && ok || bad "th round trip"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
