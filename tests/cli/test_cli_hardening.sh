#!/usr/bin/env bash
# Hostile and unusual input (issue 20): every answer is a right answer or one clear error line
# with the documented exit status (2 for usage and range errors), never a crash, a hang, a silent
# wrong answer or a lost file. One block per class; peers (berkeley-abc, yosys) are the references
# where a file format is at stake.
set -u
source "$(dirname "$0")/check.sh"
cli_setup "$1" "$2"

# 1. Every numeric flag has a range: no oneTBB crash on absurd thread counts.
check "threads truth" 2 "--threads: Value 65537 not in range" -- t truth "$ex/parity4_depth2.tc" --threads 65537
check "threads equiv" 2 "--threads: Value 100000 not in range" -- t equiv "$ex/parity4_depth2.tc" "$ex/parity4_depth2.tc" --threads 100000

# 2. Files: special files and symlinks are written through, never replaced; a stray file named
#    like the old temporary survives; an interrupted write leaves nothing behind.
mkfifo "$tmp/fifo"
(timeout 20 cat "$tmp/fifo" >"$tmp/fifo.out" 2>/dev/null &)  # bounded: a broken tcx never opens it
check "fifo written" 0 "" -- t export "$ex/majority3.tc" -o "$tmp/fifo" --force
sleep 0.2
[ -p "$tmp/fifo" ] && grep -q "^tcx-circuit 2" "$tmp/fifo.out" && ok || bad "the FIFO was replaced or not written through"
if mknod "$tmp/null" c 1 3 2>/dev/null; then  # a device node (root only)
  check "device written" 0 "" -- t export "$ex/majority3.tc" -o "$tmp/null" --force
  [ -c "$tmp/null" ] && ok || bad "the device node was replaced by a regular file"
fi
t export "$ex/majority3.tc" -o "$tmp/target.tc" 2>/dev/null
ln -s target.tc "$tmp/link.tc"
check "symlink no clobber" 1 "link.tc: file exists \(use --force" -- t export "$ex/parity4_depth2.tc" -o "$tmp/link.tc"
check "symlink force" 0 "" -- t export "$ex/parity4_depth2.tc" -o "$tmp/link.tc" --force
[ -L "$tmp/link.tc" ] && [ "$(grep -c '^gate' "$tmp/target.tc")" -eq 5 ] && ok || bad "the symlink was replaced instead of written through"
echo "my data" >"$tmp/m.tc.tcx-tmp"
check "old temp name" 0 "" -- t export "$ex/majority3.tc" -o "$tmp/m.tc"
[ "$(cat "$tmp/m.tc.tcx-tmp")" = "my data" ] && ok || bad "a file named like the old temporary was destroyed"
# SIGXFSZ arrives in the middle of the write (a 1 KiB file size limit): the process dies by
# the signal, and neither the final file nor a temporary may remain.
mkdir "$tmp/sig"
st=$({ (cd "$tmp/sig" && ulimit -f 1 && exec "$tcx" cell mul --bits 16 -o big.tc); echo $?; } 2>/dev/null)
[ "$st" -gt 128 ] && [ -z "$(ls -A "$tmp/sig")" ] && ok || bad "interrupted write (status $st) left: $(ls -A "$tmp/sig")"
mkdir "$tmp/dir"
check "dir output" 1 "dir: is a directory$" -- t export "$ex/majority3.tc" -o "$tmp/dir" --force
check "empty output name" 1 "output file name is empty" -- t export "$ex/majority3.tc" -o ""
out="$("$tcx" export "$ex/majority3.tc" -o "$tmp/dir" --force 2>&1)"
[[ "$out" != *Success* ]] && ok || bad "a failed write says: $out"

# 3. A folder of the user's files is never a report folder, not even with --force.
mkdir "$tmp/rep"
echo '{"mine": 1}' >"$tmp/rep/data.json"
check "report into user folder" 1 "holds other files and no report.md" -- t reproduce --quick --out "$tmp/rep"
check "report into user folder force" 1 "holds other files and no report.md" -- t reproduce --quick --out "$tmp/rep" --force
[ "$(cat "$tmp/rep/data.json")" = '{"mine": 1}' ] && ok || bad "reproduce overwrote the user's data.json"
echo '# My notes' >"$tmp/rep/report.md"  # a report.md of the user's own does not make it a report folder
check "report into a folder with the user's report.md, force" 1 "its report.md was not written by tcx" -- t reproduce --quick --out "$tmp/rep" --force
[ "$(cat "$tmp/rep/report.md")" = '# My notes' ] && ok || bad "reproduce overwrote the user's report.md"

# 4. AIGER: every valid combinational AIGER 1.9 file is read, the spec's own examples included.
{ echo "tcx-circuit 1"; printf 'input'; for i in $(seq 0 63); do printf ' x%d' "$i"; done; echo
  echo "gate g = x0 + x63 >= 2"; echo "output g"; } >"$tmp/wide.tc"
t export "$tmp/wide.tc" -o "$tmp/wide.aig" 2>/dev/null
check "binary inputs take no bytes" 0 "^inputs +64$" -- t stats "$tmp/wide.aig"
printf 'aag 7 2 0 2 3\n2\n4\n6\n12\n6 13 15\n12 2 4\n14 3 5\ni0 x\ni1 y\no0 s\no1 c\nc\nhalf adder\n' >"$tmp/half.aag"
check "spec half adder" 0 "^s 6$" -- t truth "$tmp/half.aag"
check "spec half adder carry" 0 "^c 8$" -- t truth "$tmp/half.aag"
# M > I + L + A, inputs not 2, 4, ... in order: input 0 is variable 5, input 1 variable 2.
printf 'aag 9 2 0 1 1\n10\n4\n6\n6 10 5\n' >"$tmp/sparse.aag"
check "sparse inputs" 0 "^out0 2$" -- t truth "$tmp/sparse.aag"
printf 'aag 3 1 1 1 1\n2\n4 6\n6\n6 2 4\n' >"$tmp/latch.aag"
check "latch refused" 1 "latch.aag:[0-9]+:[0-9]+: latches" -- t stats "$tmp/latch.aag"
printf 'aag 1 1 0 0 0 1\n2\n2\n' >"$tmp/bad.aag"
check "1.9 property refused" 1 "bad-state, constraint, justice and fairness" -- t stats "$tmp/bad.aag"
printf 'aag 1 1 0 0 0 0 0 0 0\n2\n' >"$tmp/zero19.aag"
check "1.9 header with zero properties" 0 "^inputs +1$" -- t stats "$tmp/zero19.aag"
# Files written by the peers.
cat >"$tmp/add4.v" <<'EOF'
module add4(input [3:0] a, input [3:0] b, output [4:0] s);
  assign s = a + b;
endmodule
EOF
(cd "$tmp" && yosys -q -p "read_verilog add4.v; synth -flatten -top add4; aigmap; write_aiger -ascii -symbols y.aag; write_aiger y.aig; write_blif y.blif" >/dev/null 2>&1)
(cd "$tmp" && berkeley-abc -c "read_blif y.blif; strash; write_aiger abc.aig; write_aiger -s abcs.aig" >/dev/null 2>&1)
for f in y.aag y.aig abc.aig abcs.aig; do
  # a = 3 (input 0 first: 1100), b = 5 (1010): s = 8 (00010, output 0 first)
  check "peer AIGER $f" 0 "^00010$" -- t eval "$tmp/$f" --inputs 11001010
done
check "peer AIGER equal" 0 "^equal" -- t equiv "$tmp/y.aag" "$tmp/abc.aig"
# yosys's write_blif -conn joins nets by `.conn A B` (B driven by A) instead of buffer covers, and
# -cname -attr -param -iname -iattr annotate cells: read, the function that of the plain BLIF.
cat >"$tmp/conn.v" <<'EOF'
module conn(input [3:0] a, input [3:0] b, output [4:0] s, output [3:0] a_out, output c);
  wire [4:0] t = a + b;
  assign s = t;
  assign a_out = a;
  assign c = t[4];
endmodule
EOF
if command -v yosys >/dev/null; then
  (cd "$tmp" && yosys -q -p "read_verilog conn.v; synth -flatten -top conn -noabc; write_blif -conn -cname -attr -param -iname -iattr conn_c.blif; write_blif conn_p.blif" >/dev/null 2>&1)
  for word in .conn .cname .attr; do  # the file holds what is tested
    grep -q "^[.]${word#.} " "$tmp/conn_c.blif" && ok || bad "yosys wrote no $word line: $(head -c 300 "$tmp/conn_c.blif")"
  done
  # a = 3 (1100), b = 5 (1010): s = 8 (00010), a_out = a (1100), c = 0
  check "yosys -conn BLIF" 0 "^0001011000$" -- t eval "$tmp/conn_c.blif" --inputs 11001010
  check "yosys -conn BLIF equal to plain" 0 "^equal" -- t equiv "$tmp/conn_c.blif" "$tmp/conn_p.blif"
else
  echo "note: yosys is not installed: its write_blif -conn file is not tested (tests/test_formats.cpp reads one)"
fi

# 5. The output format follows the extension; a contradicting --format is refused.
t lower "$ex/majority3.tc" -o "$tmp/low.aig" 2>/dev/null
[ "$(head -c 4 "$tmp/low.aig")" = "aig " ] && ok || bad "lower -o low.aig did not write binary AIGER"
t export "$ex/majority3.tc" -o "$tmp/out.blif" 2>/dev/null
grep -q "^\.model" "$tmp/out.blif" && ok || bad "export -o out.blif did not write BLIF"
check "format contradicts extension" 2 "--format tc contradicts the extension of" -- t export "$ex/majority3.tc" --format tc -o "$tmp/x.aag"
check "cell format by extension" 0 "" -- bash -c "'$tcx' cell mul --bits 2 -o '$tmp/m2.th' 2>/dev/null && head -1 '$tmp/m2.th' | grep -q 'Threshold logic'"

# 6. Bounded reads: the header is checked before the rest of the file is read.
ln -s /dev/zero "$tmp/zero.tc"; ln -s /dev/zero "$tmp/zero.aig"; ln -s /dev/zero "$tmp/zero.blif"
check "dev zero tc" 1 "zero.tc:1:1: a NUL byte" -- t stats "$tmp/zero.tc"
check "dev zero aig" 1 "zero.aig:1:1: not an AIGER file" -- t stats "$tmp/zero.aig"
check "dev zero blif" 1 "zero.blif:1:1: a NUL byte" -- t stats "$tmp/zero.blif"
truncate -s 2G "$tmp/huge.th"
check "file above 1 GiB" 1 "larger than the limit of 1073741824 bytes" -- t stats "$tmp/huge.th"
rm -f "$tmp/huge.th"

# 7. Ranges: negative and NaN budgets, absurd shapes and sweeps are refused up front.
for v in -1 nan inf; do
  check "equiv time $v" 2 "--time-limit" -- t equiv "$ex/majority3.tc" "$ex/majority3.tc" --time-limit "$v"
  check "synth time $v" 2 "--time-limit" -- t synth --table 6 --inputs 2 --widths 1 --time-limit "$v"
  check "verify time $v" 2 "--time-limit" -- t verify "$ex/majority3.tc" --task majority --param n=3 --time-limit "$v"
  check "frontier time $v" 2 "--time-limit" -- t frontier --task parity --sizes 2..3 --time-limit "$v"
  check "bounds time $v" 2 "--time-limit" -- t bounds --task parity --param n=3 --time-limit "$v"
  check "depth time $v" 2 "--time-limit" -- t depth "$zoo/mlp_sign.json" --n 4 --time-limit "$v"
done
check "synth too many layers" 2 "layers; at most 16" -- t synth --table 6 --inputs 2 --widths "$(yes 1 | head -50000 | paste -sd,)"
check "family huge range" 2 "sizes above 2\^24" -- t family "$zoo/mlp_sign.json" --n 1..1000000000000
check "family keeps its rows" 0 "^note: the sweep stopped at n = 256: .*size bound" -- t --max-wires 40000 family "$zoo/mlp_sign.json" --n 4..1024 --materialize --quiet
check "family rows kept" 0 "^ +128 +2 " -- t --max-wires 40000 family "$zoo/mlp_sign.json" --n 4..1024 --materialize --quiet

# 8. Valid output: Verilog keywords are escaped (yosys reads the file); empty netlists are refused.
printf 'tcx-circuit 1\ninput module wire assign\ngate endmodule = module + wire + assign >= 2\noutput reg = endmodule\n' >"$tmp/kw.tc"
t export "$tmp/kw.tc" -o "$tmp/kw.v" 2>/dev/null
yosys -q -p "read_verilog $tmp/kw.v" >/dev/null 2>&1 && ok || bad "yosys rejects the Verilog of a circuit named with keywords"
: >"$tmp/empty.th"; : >"$tmp/empty.blif"
check "empty th" 1 "empty.th:1:1: empty .th file" -- t stats "$tmp/empty.th"
check "empty blif" 1 "empty.blif:1:1: empty BLIF file" -- t stats "$tmp/empty.blif"
check "equiv empties" 2 "empty BLIF file" -- t equiv "$tmp/empty.blif" "$tmp/empty.blif"

# 9. Messages say what is wrong, once, in printable text.
check "sigma" 2 "--sigma: expected a number in \(0.01, 100\]" -- t diffusion --backbone majority --n 4 --sigma -1
check "DBL_MAX" 2 "^tcx: error: --c: expected a number in \(0, 1e\+06\], got '1.7976931348623157e308' \(see tcx diffusion --help\)$" -- t diffusion --backbone majority --n 4 --c 1.7976931348623157e308
sed 's/"tcx-model": 1/"tcx-model": "1"/' "$zoo/mlp_sign.json" >"$tmp/v.json"
check "model version string" 1 "expected the integer 1 \(the format version\), found \"1\"" -- t depth "$tmp/v.json" --n 4
/usr/bin/python3 - "$zoo/mlp_sign.json" "$tmp/long.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["layers"][0]["out"] = "n" + " + n" * 300000
json.dump(m, open(sys.argv[2], "w"))
EOF
out="$("$tcx" depth "$tmp/long.json" --n 4 2>&1)"
[ "${#out}" -lt 1000 ] && ok || bad "a 1 MB formula is repeated in its error (${#out} characters)"
printf '.model m\n.inputs a\n.outputs b\n.names a b\n1 1\n.\033[31mred\n.end\n' >"$tmp/esc.blif"
out="$("$tcx" stats "$tmp/esc.blif" 2>&1)"
[[ "$out" != *$'\033'* ]] && [[ "$out" == *'\x1b'* ]] && ok || bad "raw ESC bytes echoed: $out"
check "check on no inputs" 2 "--random: Value 0 not in range" -- t compile "$zoo/mlp_sign.json" --n 4 --check --random 0
check "equiv one file" 2 "equiv needs two circuit files" -- t equiv "$ex/majority3.tc"

# 10. Usage and range errors exit 2 in every command; 1 stays an answer. The option parser's
#     errors read as every other error (tcx: error: ...), one line naming the command's help.
for cmd in $("$tcx" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }'); do
  check "unknown flag: $cmd" 2 "^tcx: error: .* \(see tcx $cmd --help\)$" -- t "$cmd" --no-such-flag
done
parse_error() {  # parse_error NAME PATTERN -- command...: exit 2 and exactly one line, which matches
  local name="$1" pattern="$2" out
  shift 3
  check "$name" 2 "^tcx: error: $pattern$" -- "$@"
  out="$("$@" 2>&1)"
  [ "$(wc -l <<<"$out")" -eq 1 ] && ok || bad "$name: not one line: $out"
}
parse_error "unknown option" "The following argument was not expected: --only \(see tcx cell --help\)" -- t cell add --only
parse_error "unknown option and value" "The following arguments were not expected: 3 --only \(see tcx cell --help\)" -- t cell add --only 3
parse_error "missing value" "--bits: 1 required .* missing \(see tcx cell --help\)" -- t cell add --bits
parse_error "bad integer" "--bits: 'x' is not an integer \(see tcx cell --help\)" -- t cell add --bits x
parse_error "out of range" "--bits: Value 0 not in range 1 to 4096 \(see tcx cell --help\)" -- t cell add --bits 0
parse_error "bad choice" "--only: bogus not in \{.*\} \(see tcx reproduce --help\)" -- t reproduce --only bogus
parse_error "missing positional" "name is required \(see tcx cell --help\)" -- t cell
parse_error "unknown subcommand" "no command 'cel' \(see tcx --help\)" -- t cel add
parse_error "no subcommand" "A subcommand is required \(see tcx --help\)" -- t
parse_error "tcx's own flag" "--max-wires: Value 0 not in range 1 to 17179869184 \(see tcx --help\)" -- t --max-wires 0 stats "$ex/majority3.tc"
parse_error "control bytes" "The following argument was not expected: \\\\x1b\\[31m \(see tcx stats --help\)" -- t stats "$ex/majority3.tc" "$(printf '\033[31m')"
check "help still exits 0" 0 "^Usage: .*cell \[OPTIONS\] name" -- t cell --help
check "tcx help still exits 0" 0 "^Subcommands:" -- t --help
check "n zero" 2 "--n: Value 0 not in range" -- t depth "$zoo/mlp_sign.json" --n 0
check "n huge" 2 "--n: Value 16777217 not in range" -- t compile "$zoo/mlp_sign.json" --n 16777217
check "family step" 2 "--step x1" -- t family "$zoo/mlp_sign.json" --n 4..16 --step x1
check "frontier sizes" 2 "--sizes 0..3" -- t frontier --task parity --sizes 0..3
check "task param range" 2 "cells=0 is outside" -- t task eca --param cells=0 --solve 1
check "bad table" 2 "is not hexadecimal" -- t synth --table 6g --inputs 3 --widths 1

# 11. equiv proves by default: 64 inputs go to SAT, not to random patterns.
"$tcx" cell add --bits 32 -o "$tmp/add32.tc" 2>/dev/null
"$tcx" lower "$tmp/add32.tc" -o "$tmp/add32.aig" 2>/dev/null
check "equiv 64 inputs proves" 0 "^equal \(SAT" -- t equiv "$tmp/add32.tc" "$tmp/add32.aig"
check "equiv random on request" 3 "^unknown: no difference found in 1000 random patterns" -- t equiv "$tmp/add32.tc" "$tmp/add32.aig" --random --patterns 1000

# 12. lower leaves no dead AND: every AND of the ASCII AIGER is read by an output or an AND
#     (counted by a few lines of Python, apart from tcx).
for c in "$ex/majority3.tc" mul8; do
  if [ "$c" = mul8 ]; then "$tcx" cell mul --bits 8 -o "$tmp/mul8.tc" 2>/dev/null; c="$tmp/mul8.tc"; fi
  t lower "$c" --format aag -o "$tmp/l.aag" --force 2>/dev/null
  dead="$(/usr/bin/python3 - "$tmp/l.aag" <<'EOF2'
import sys
lines = open(sys.argv[1]).read().split("\n")
M, I, L, O, A = map(int, lines[0].split()[1:6])
outs = [int(x) for x in lines[1 + I:1 + I + O]]
ands = {int(l.split()[0]) // 2: [int(x) // 2 for x in l.split()[1:]] for l in lines[1 + I + O:1 + I + O + A]}
live, todo = set(), [o // 2 for o in outs]
while todo:
    v = todo.pop()
    if v in ands and v not in live:
        live.add(v)
        todo += ands[v]
print(A - len(live) if A else "no ANDs")
EOF2
)"
  [ "$dead" = 0 ] && ok || bad "lower $(basename "$c") left $dead dead ANDs"
done
check "lower majority3 size" 0 "to 6 AND gates" -- t lower "$ex/majority3.tc" -o -

# 14. Newcomers: long lists abbreviated in text (JSON complete); the bit orders explained.
/usr/bin/python3 -c "
print('tcx-circuit 1'); print('input a b')
print('gate g1 = a + b >= 2')
for i in range(2, 100001): print(f'gate g{i} = g{i-1} + a >= 2')
print('output g100000')" >"$tmp/chain.tc"
out="$("$tcx" stats "$tmp/chain.tc")"
[ "${#out}" -lt 4000 ] && [[ "$out" == *"more (--json lists all)"* ]] && ok || bad "stats text of a deep chain is ${#out} characters"
check "stats json complete" 0 "^100000$" -- bash -c "'$tcx' stats '$tmp/chain.tc' --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)[\"gates_per_level\"]))'"
check "truth help" 0 "row 0 is the lowest bit of the rightmost digit" -- t truth --help
# Standard output that cannot be written (a full disk): the answer is lost, so the exit says so.
for cmd in "stats $ex/majority3.tc" "truth $ex/parity4_depth2.tc" "frontier --task parity --sizes 2..3 --max-depth 2 --max-gates 3"; do
  # shellcheck disable=SC2086
  err="$(t $cmd 2>&1 >/dev/full)"
  status=$?
  [ "$status" -ne 0 ] && grep -q "standard output: write error" <<<"$err" && ok || bad "tcx $cmd > /dev/full: exit $status, '$err'"
done
# A tiny file declaring many inputs: the inputs count against --max-wires like the gates.
printf 'tcx-circuit 1\ninputs 16777216\ngate g = @1 + @2 >= 1\noutput g\n' >"$tmp/many_inputs.tc"
check "inputs within the memory bound" 2 "size bound of 100000 wires" -- t --max-wires 100000 stats "$tmp/many_inputs.tc"
check "a misspelt command is named" 2 "no command 'bogus'" -- t bogus
check "a parameter given twice" 2 "--param n is given twice" -- t task parity --param n=3 --param n=5 --solve 101
check "a parameter past 64 bits" 2 "out of range" -- t task parity --param n=99999999999999999999 --solve 1
check "a table with 0x" 2 "leave out the 0x" -- t synth --table 0x6 --inputs 2 --widths 1
check "verification alone has nothing to list" 2 "name at least one of them too" -- t reproduce --quick --only verification --out "$tmp/rep_v"
[ ! -e "$tmp/rep_v" ] && ok || bad "reproduce --only verification made its folder"
t task parity --param n=3 --emit circuit -o "$tmp/p3.tc" >/dev/null 2>&1
check "an existing -o is refused before the build" 1 "file exists" -- t task eca --param cells=1000 --param steps=1000 --emit circuit -o "$tmp/p3.tc"
lacks_out() { grep -q "natural circuit with" <<<"$(t task eca --param cells=1000 --param steps=1000 --emit circuit -o "$tmp/p3.tc" 2>&1)" && bad "$1" || ok; }
lacks_out "the refused build did not run"
check "verify --proof when simulation decides: a note, no file" 0 "nothing was written to" -- t verify "$ex/parity4_depth2.tc" --task parity --param n=4 --proof "$tmp/v.drat"
[ ! -e "$tmp/v.drat" ] && ok || bad "verify wrote a proof file without asking SAT"
# 15. A circuit file cut short is refused, also at a line boundary (the .tc version 2 `end` line).
t export "$ex/parity4_depth2.tc" -o "$tmp/whole.tc" --force 2>/dev/null
head -n -2 "$tmp/whole.tc" >"$tmp/cut.tc"  # the last output and `end` lost: still well-formed lines
check "cut file refused" 1 "cut.tc:[0-9]*:1: the file ends without its closing 'end' line: it was cut short" -- t stats "$tmp/cut.tc"
check "whole file read" 0 "gates" -- t stats "$tmp/whole.tc"
check "version 1 needs no end" 0 "gates" -- t stats "$ex/parity4_depth2.tc"

# 16. /dev/stdout is standard output wherever it leads: a pipe, or a file the shell opened.
piped=$("$tcx" export "$ex/majority3.tc" -o /dev/stdout 2>&1 | cat)
[[ "$piped" == tcx-circuit* ]] && ok || bad "-o /dev/stdout into a pipe: $piped"
"$tcx" export "$ex/majority3.tc" -o /dev/stdout >"$tmp/redirected.tc" 2>"$tmp/redirected.err"
[ $? -eq 0 ] && grep -q "^end$" "$tmp/redirected.tc" && ok || bad "-o /dev/stdout redirected to a file: $(cat "$tmp/redirected.err")"
"$tcx" export "$ex/majority3.tc" -o /dev/stderr 2>"$tmp/stderr.tc" >/dev/null
[ $? -eq 0 ] && grep -q "^end$" "$tmp/stderr.tc" && ok || bad "-o /dev/stderr redirected to a file: $(cat "$tmp/stderr.tc")"
"$tcx" synth --task parity --param n=2 --widths 2,1 -o /dev/stdout 2>/dev/null >"$tmp/synth_stream.tc"
check "synth -o /dev/stdout: the stream is the circuit alone" 0 "^gates +3$" -- t stats "$tmp/synth_stream.tc"
check "synth --json -o - refused" 2 "would both write standard output" -- t synth --task parity --param n=2 --widths 2,1 -o - --json
check "diffusion -o - refused" 2 "would mix the circuit with the report" -- t diffusion --backbone majority --n 3 -o -
n_err=$("$tcx" export "$ex/majority3.tc" -o - 2>&1 >/dev/full | grep -c "write error")
[ "$n_err" = 1 ] && ok || bad "a full standard output reported $n_err times"

# 17. A model file that cannot be read is an input that cannot be used: exit 1 as for a circuit
#     file (2 where 1 is an answer); a model that cannot be compiled is exit 2.
check "missing onnx" 1 "nonexist.onnx: cannot read" -- t depth "$tmp/nonexist.onnx"
printf 'junk' >"$tmp/junk.onnx"
check "junk onnx" 1 "not an ONNX model" -- t compile "$tmp/junk.onnx" -o "$tmp/junk.tc"
check "junk onnx with --check" 2 "not an ONNX model" -- t compile "$tmp/junk.onnx" -o "$tmp/junk.tc" --check
check "missing json model" 1 "cannot open" -- t depth "$tmp/nonexist.json" --n 4

# No output replaces the command's own input, even with --force (a typo lost the file before).
t cell add --bits 4 -o "$tmp/in.tc"
cp "$tmp/in.tc" "$tmp/in.copy"
check "-o onto the input" 1 "in.tc: is an input of this command; not replaced, even with --force" -- t export "$tmp/in.tc" -o "$tmp/in.tc" --force
ln -s in.tc "$tmp/alias.tc"
check "-o onto the input by another name" 1 "is an input of this command" -- t export "$tmp/alias.tc" -o "$tmp/in.tc" --force
check "--proof onto the input" 2 "is an input of this command" -- t equiv "$tmp/in.tc" "$tmp/in.tc" --sat --proof "$tmp/in.tc" --force
check "the input kept" 0 "" -- cmp "$tmp/in.tc" "$tmp/in.copy"
check "another output with --force" 0 "" -- t export "$tmp/in.tc" -o "$tmp/in.copy" --force

check "eval help" 0 "output 0 leftmost" -- t eval --help
check "quick help" 0 "about 30 seconds" -- t reproduce --help

# Ctrl-C: long work stops as a spent budget would, prints what it has, and exits 130 (the shell's
# status for SIGINT); nothing half-written is left. (timeout --preserve-status -s INT: Ctrl-C
# after a few seconds, the command's own status.)
ctrl_c() { timeout --preserve-status -s INT "$@"; }
check "Ctrl-C family keeps its rows" 130 "^note: interrupted \(Ctrl-C\) after n = [0-9]+: the verdict covers the sizes measured" -- \
  ctrl_c 3 "$tcx" family --task multiplication --n 4..4096 --quiet
check "Ctrl-C synth unknown" 130 "^unknown: interrupted \(Ctrl-C\)" -- ctrl_c 2 "$tcx" synth --task parity --param n=7 --widths 6,1 --method tt
check "Ctrl-C cell writes nothing" 130 "unknown: interrupted" -- ctrl_c 2 "$tcx" cell ge_residues --bits 64 -o "$tmp/gr64.tc"
if [ -e "$tmp/gr64.tc" ] || grep -q "raise --time-limit" <<<"$(ctrl_c 1 "$tcx" cell ge_residues --bits 64 -o "$tmp/gr64.tc" 2>&1)"; then
  bad "Ctrl-C cell: a file left, or a --time-limit hint for an interrupt"
else ok; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
