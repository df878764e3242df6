#!/usr/bin/env bash
# Two builds of bench_models side by side on one model, alternating so that a shared machine's
# drift hits both alike: R rounds of `bench_models . 0 MODEL N 3` each, then the median and range
# of the first compile of a process (cold: page faults, empty caches) and of the third (warm).
#   bench/compare_builds.sh OLD/bench_models NEW/bench_models MODEL_FILE N [ROUNDS=8]
# Run from the source directory (bench_models reads examples/models/).
set -eu
old=$1 new=$2 model=$3 n=$4 rounds=${5:-8}
for _ in $(seq "$rounds"); do
  for which in old new; do
    bin=$old
    [ "$which" = new ] && bin=$new
    # bench_models prints "MODEL: G gates in S s, ..." per compile; keep the first and third S.
    "$bin" . 0 "$model" "$n" 3 | awk -v w="$which" '{ s[NR] = $5 } END { print w, s[1], s[3] }'
  done
done | awk '
  { first[$1] = first[$1] " " $2; third[$1] = third[$1] " " $3 }
  function stats(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return sprintf("median %.3f s (%.3f-%.3f)", n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2, a[1], a[n])
  }
  END { for (w in first) printf "%s: first compile %s, third compile %s\n", w, stats(first[w]), stats(third[w]) }'
