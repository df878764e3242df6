#!/usr/bin/env bash
# tcx equiv against berkeley-abc &cec on the same pair of AND/NOT circuits, side by side.
#   bench/equiv_vs_abc.sh [INPUTS=24] [GATES=10000] [SEED=1] [TIME_LIMIT_S=600]
# A: a random threshold circuit lowered to an AIG by tcx; B: A restructured by ABC (&dc2),
# so the pair is equivalent but not identical. Both tools read the same two AIGER files.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build"
inputs=${1:-24}; gates=${2:-10000}; seed=${3:-1}; limit=${4:-600}
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$bin/bench/gen_random" "$inputs" "$gates" 4 3 "$seed" 8 >"$tmp/a.tc"
"$bin/tcx" lower "$tmp/a.tc" --format aig -o "$tmp/a.aig" 2>/dev/null
berkeley-abc -c "&r $tmp/a.aig; &dc2; &w $tmp/b.aig" >/dev/null
stats() { berkeley-abc -c "&r $1; &ps" | grep -o 'and = *[0-9]*' | tr -s ' '; }
echo "A: threshold circuit, $inputs inputs, $gates gates -> AIG $(stats "$tmp/a.aig"); B: &dc2 of A -> $(stats "$tmp/b.aig")"
t() { local s e; s=$(date +%s.%N); "$@" >"$tmp/out" 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
for threads in 1 2; do
  secs=$(t "$bin/tcx" equiv "$tmp/a.aig" "$tmp/b.aig" --threads $threads)
  echo "tcx equiv (exhaustive 2^$inputs, $threads thread(s)): ${secs}s  -> $(head -1 "$tmp/out")"
done
secs=$(t timeout "$limit" berkeley-abc -c "&r $tmp/a.aig; &cec $tmp/b.aig")
verdict=$(grep -m1 -o 'Networks are[A-Z ]*[a-z]*' "$tmp/out" || echo "no answer within ${limit}s (stopped)")
echo "berkeley-abc &cec:                         ${secs}s  -> $verdict"
