#!/usr/bin/env bash
# Strong scaling of tcx's work distribution (docs/scaling.md): exhaustive equivalence of a 14-bit
# adder in two constructions (2^28 patterns), as one process, under mpirun with 1, 2 ranks, and
# with 16 oversubscribed ranks and small units (coordination overhead). Prints one line per run:
# label, wall s, CPU s (user+sys of all processes), and rank 0's busy summary.
# Usage: bench/dist_scaling.sh BUILD_DIR [REPEATS]
set -u
build="$1"
reps="${2:-3}"
tcx="$build/tcx"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$tcx" cell add --bits 14 -o "$tmp/a.tc" 2>/dev/null
"$tcx" cell add_small --bits 14 -o "$tmp/b.tc" 2>/dev/null
"$tcx" cell add --bits 10 -o "$tmp/c.tc" 2>/dev/null
mpi="mpirun --allow-run-as-root --mca btl self,vader"
run() {  # LABEL command...
  local label="$1"
  shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" --progress > "$tmp/out" 2> "$tmp/err" || true
  grep -qE "^(equal|unknown)" "$tmp/out" || { echo "$label: WRONG ANSWER"; cat "$tmp/out" "$tmp/err"; }
  read -r wall user sys < <(tail -1 "$tmp/t")
  printf '%-34s wall %6.2f s  cpu %6.2f s  %s\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" \
    "$(grep -o 'busy [0-9.]*% of rank-seconds' "$tmp/err")"
}
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$reps"); do
  run "1 process" "$tcx" equiv "$tmp/a.tc" "$tmp/b.tc"
  run "1 process, 1 thread" "$tcx" equiv "$tmp/a.tc" "$tmp/b.tc" --threads 1
  run "mpirun -n 1" $mpi -n 1 "$tcx" equiv "$tmp/a.tc" "$tmp/b.tc"
  run "mpirun -n 2" $mpi -n 2 "$tcx" equiv "$tmp/a.tc" "$tmp/b.tc"
  run "mpirun -n 2, units 2^20" $mpi -n 2 "$tcx" equiv "$tmp/a.tc" "$tmp/b.tc" --unit-patterns 1048576
  run "mpirun -n 16 (over), units 2^16" $mpi --oversubscribe -n 16 "$tcx" equiv "$tmp/a.tc" "$tmp/b.tc" --unit-patterns 65536
  run "mpirun -n 16 (over), units 2^22" $mpi --oversubscribe -n 16 "$tcx" equiv "$tmp/a.tc" "$tmp/b.tc" --unit-patterns 4194304
  run "mpirun -n 16 (over), startup only" $mpi --oversubscribe -n 16 "$tcx" equiv "$tmp/a.tc" "$tmp/a.tc" --max-exhaustive 0 --patterns 64
  # Units of 64 patterns of a 20-input adder (work about 1 us each): the CPU time per unit is the
  # coordination's (minus the startup line above).
  run "mpirun -n 16 (over), 16384 empty units" $mpi --oversubscribe -n 16 "$tcx" equiv "$tmp/c.tc" "$tmp/c.tc" --unit-patterns 64
  run "mpirun -n 2, 16384 empty units" $mpi -n 2 "$tcx" equiv "$tmp/c.tc" "$tmp/c.tc" --unit-patterns 64
  run "mpirun -n 2, startup only" $mpi -n 2 "$tcx" equiv "$tmp/a.tc" "$tmp/a.tc" --max-exhaustive 0 --patterns 64
  run "1 process, 16384 empty units" "$tcx" equiv "$tmp/c.tc" "$tmp/c.tc" --unit-patterns 64
  echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
