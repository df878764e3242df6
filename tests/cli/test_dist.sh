#!/usr/bin/env bash
# Work distribution (dist/): pattern ranges, frontier rows, family sizes and synthesis cubes give
# the answers of one plain process, in one process and under mpirun; state files resume a
# killed run. Usage: test_dist.sh TCX [MPIEXEC] (no MPIEXEC: the MPI checks are skipped).
set -u
tcx="$1"
mpiexec="${2:-}"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/check.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Circuits: an adder in two constructions (equal), and 22-input gates that differ only on the
# last pattern (AND vs constant 0) or first on the lowest pattern with 21 ones (input 21 = 0).
"$tcx" cell add --bits 11 -o add11.tc 2>/dev/null
"$tcx" cell add_small --bits 11 -o adds11.tc 2>/dev/null
"$tcx" cell add --bits 13 -o add13.tc 2>/dev/null
"$tcx" cell add_small --bits 13 -o adds13.tc 2>/dev/null
ins=$(seq -s' ' -f 'x%g' 0 21)
sum=$(seq -s'+' -f 'x%g' 0 21)
printf 'tcx-circuit 1\ninput %s\ngate g = %s >= 22\noutput y = g\n' "$ins" "$sum" > and22.tc
printf 'tcx-circuit 1\ninput %s\ngate g = %s >= 21\noutput y = g\n' "$ins" "$sum" > ge21.tc
printf 'tcx-circuit 1\ninput %s\ngate g = x0 + x1 >= 3\noutput y = g\n' "$ins" > zero22.tc

# --- one process: small units give the same answers as the plain library call ---
check "ranges equal" 0 "^equal \(exhaustive: all 4194304 input patterns\)" -- "$tcx" equiv add11.tc adds11.tc --unit-patterns 16384
check "ranges last pattern" 1 "inputs +1111111111111111111111 " -- "$tcx" equiv and22.tc zero22.tc --unit-patterns 16384
check "ranges lowest difference" 1 "inputs +1111111111111111111110 " -- "$tcx" equiv and22.tc ge21.tc --unit-patterns 16384
check "ranges verify" 0 "^correct \(exhaustive: all 4194304 inputs" -- "$tcx" verify add11.tc --task addition --param k=11 --unit-patterns 65536
# Majority of 22 is sum >= 11; sum >= 12 first disagrees on the lowest pattern with 11 ones.
printf 'tcx-circuit 1\ninput %s\ngate g = %s >= 12\noutput y = g\n' "$ins" "$sum" > ge12.tc
check "ranges verify wrong" 1 "inputs  1111111111100000000000 " -- "$tcx" verify ge12.tc --task majority --param n=22 --unit-patterns 1024
"$tcx" equiv and22.tc ge21.tc --json > plain.json
"$tcx" equiv and22.tc ge21.tc --json --unit-patterns 64 > units.json
check "ranges json same" 0 "" -- cmp plain.json units.json
# Cubes against the whole question in one solver (an independent path to the answer).
check "cubes unsat" 1 "^none: no threshold circuit of shape 2,1 layered computes it, whatever" -- "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 2
check "whole unsat" 1 "^none: no threshold circuit of shape 2,1 layered computes it, whatever" -- "$tcx" synth --task parity --param n=4 --widths 2,1
check "cubes sat" 0 "^correct" -- bash -c "'$tcx' synth --task parity --param n=4 --widths 4,1 --cubes 2 -o p4.tc >/dev/null && '$tcx' verify p4.tc --task parity --param n=4"
check "cubes majority refused" 2 "not for --majority" -- "$tcx" synth --task majority --param n=3 --widths 1 --majority 3 --cubes 1

# --- state files ---
check "state written" 0 "^equal" -- "$tcx" equiv add11.tc adds11.tc --unit-patterns 65536 --state s1.json
check "state not replaced" 2 "file exists \(--resume continues that run, --force starts over\)|--resume continues" -- "$tcx" equiv add11.tc adds11.tc --state s1.json
check "state resumed whole" 0 "^equal \(exhaustive: all 4194304" -- "$tcx" equiv add11.tc adds11.tc --state s1.json --resume
check "state other question" 2 "the state of another question" -- "$tcx" equiv add13.tc adds13.tc --state s1.json --resume
check "state restart" 0 "^equal" -- "$tcx" equiv add11.tc adds11.tc --state s1.json --restart
check "resume needs state" 2 "need --state" -- "$tcx" equiv add11.tc adds11.tc --resume
printf 'not json' > bad.json
check "state damaged" 2 "not a tcx state file" -- "$tcx" equiv add11.tc adds11.tc --state bad.json --resume

# A run killed (SIGTERM) after some ranges finish its answer with --resume, without redoing them.
kill_after_progress() {  # STATE -- command...: starts it, kills it once STATE records a range
  local state="$1"
  shift 2
  "$@" > /dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q '"done":\[\[' "$state" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}
resume_check() {  # NAME STATE -- command...
  local name="$1" state="$2"
  shift 3
  kill_after_progress "$state" -- "$@"
  if ! grep -q '"done":\[\[' "$state"; then
    fail=$((fail + 1)); echo "FAIL: $name: no range recorded before the kill"; return
  fi
  local out
  out="$("$@" --resume --progress 2>&1)"
  local settled total
  settled=$(sed -n 's/.*resuming from .*: \([0-9]*\) units\? settled.*/\1/p' <<<"$out")
  if grep -q "^equal (exhaustive: all 67108864 input patterns)" <<<"$out" && [ "${settled:-0}" -ge 1 ] \
     && ! grep -q "67.1 M / 67.1 M patterns" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $name"; echo "$out" | head -20
  fi
}
resume_check "resume after SIGTERM" s2.json -- "$tcx" equiv add13.tc adds13.tc --unit-patterns 1048576 --state s2.json

# --- MPI: the same answers from 3 ranks (and 1) as from one plain process ---
if [ -z "$mpiexec" ]; then
  echo "test_dist: MPI not built: MPI checks skipped ($pass passed, $fail failed)"
  [ "$fail" -eq 0 ] || exit 1
  exit 77
fi
mpi() {  # mpi N command...
  local n="$1"
  shift
  "$mpiexec" --oversubscribe --allow-run-as-root --mca btl self,vader -n "$n" "$@"
}
same() {  # NAME FILE_A FILE_B
  if cmp -s "$2" "$3"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; diff "$2" "$3" | head -10; fi
}
for n in 1 3; do
  check "mpi $n equiv equal" 0 "^equal \(exhaustive: all 4194304 input patterns\)" -- mpi $n "$tcx" equiv add11.tc adds11.tc --unit-patterns 16384
  # The only difference is the last pattern: in the last range, which the last free rank takes.
  mpi $n "$tcx" equiv and22.tc zero22.tc --unit-patterns 16384 > mpi-last.txt 2>/dev/null
  "$tcx" equiv and22.tc zero22.tc > plain-last.txt
  same "mpi $n equiv last range" plain-last.txt mpi-last.txt
  mpi $n "$tcx" equiv and22.tc ge21.tc --json --unit-patterns 16384 > mpi-low.json 2>/dev/null
  same "mpi $n equiv lowest difference" plain.json mpi-low.json
  check "mpi $n verify" 0 "^correct \(exhaustive: all 4194304 inputs" -- mpi $n "$tcx" verify add11.tc --task addition --param k=11 --unit-patterns 65536
done
"$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 > plain-frontier.txt
mpi 3 "$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 > mpi-frontier.txt 2>/dev/null
same "mpi frontier table" plain-frontier.txt mpi-frontier.txt
grep -q "^       5          -         3\*         3\*" mpi-frontier.txt && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: mpi frontier row 5"; }
"$tcx" frontier --task majority --sizes 3..6 --max-depth 2 --max-gates 3 --json > plain-frontier.json
mpi 3 "$tcx" frontier --task majority --sizes 3..6 --max-depth 2 --max-gates 3 --json > mpi-frontier.json 2>/dev/null
same "mpi frontier json" plain-frontier.json mpi-frontier.json
# Family: everything but the seconds column.
"$tcx" family --task parity --n 4..512 --step x2 | awk '{$NF=""; print}' > plain-family.txt
mpi 3 "$tcx" family --task parity --n 4..512 --step x2 2>/dev/null | awk '{$NF=""; print}' > mpi-family.txt
same "mpi family" plain-family.txt mpi-family.txt
check "mpi cubes unsat" 1 "^none: no threshold circuit of shape 2,1 layered computes it, whatever" -- mpi 3 "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 2
check "mpi cubes default unsat" 1 "^none: no threshold circuit of shape 2,1 layered computes it, whatever" -- mpi 3 "$tcx" synth --task parity --param n=4 --widths 2,1
mpi 3 "$tcx" synth --task parity --param n=4 --widths 4,1 -o p4m.tc > /dev/null 2>&1
check "mpi cubes sat" 0 "^correct" -- "$tcx" verify p4m.tc --task parity --param n=4
check "mpi verify wrong" 1 "inputs  1111111111100000000000 " -- mpi 3 "$tcx" verify ge12.tc --task majority --param n=22 --unit-patterns 1024
check "mpi error once" 2 "^tcx: error: unknown task 'nosuch'" -- mpi 3 "$tcx" verify add11.tc --task nosuch
# A killed MPI run resumes under another number of ranks.
resume_check "mpi resume after SIGTERM" s3.json -- mpi 2 "$tcx" equiv add13.tc adds13.tc --unit-patterns 1048576 --state s3.json

echo "test_dist: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
