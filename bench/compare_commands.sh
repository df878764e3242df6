#!/usr/bin/env bash
# Two tcx binaries side by side on one command, alternating so that a shared machine's drift
# hits both alike: R rounds of `OLD ARGS...` then `NEW ARGS...`, each timed by /usr/bin/time;
# prints per binary the median and range of CPU time (user + sys: what the work costs, whatever
# else the machine runs), of wall time and of peak resident memory, and whether the two printed
# the same output (lines starting with "time" excluded: they report the run's own timing).
#   bench/compare_commands.sh OLD/tcx NEW/tcx ROUNDS ARGS...
# Run from the source directory when ARGS name files in it. ARGS may contain {} for a path of
# the binary's own (an output file: -o {}); the two outputs are then compared too.
set -eu
old=$1 new=$2 rounds=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for r in $(seq "$rounds"); do
  for which in old new; do
    bin=$old
    [ "$which" = new ] && bin=$new
    args=()
    for a in "$@"; do args+=("${a//\{\}/$work/$which.out}"); done
    rm -f "$work/$which.out"
    /usr/bin/time -f "%U %S %e %M" -o "$work/time" "$bin" "${args[@]}" > "$work/$which.stdout" 2> "$work/$which.stderr" || true
    read -r user sys wall rss < <(tail -1 "$work/time")
    echo "$which $user $sys $wall $rss" >> "$work/runs"
    grep -v '^time' "$work/$which.stdout" > "$work/$which.$r.text" || true
    [ -f "$work/$which.out" ] && cp "$work/$which.out" "$work/$which.$r.file"
  done
done
awk '
  { cpu[$1] = cpu[$1] " " ($2 + $3); wall[$1] = wall[$1] " " $4; rss[$1] = rss[$1] " " $5 }
  function stats(list, unit, scale,   a, n, i, j, t, m) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    m = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    return sprintf("%.2f%s (%.2f-%.2f)", m / scale, unit, a[1] / scale, a[n] / scale)
  }
  END {
    for (w in cpu)
      printf "%s: cpu %s, wall %s, peak %s\n", w, stats(cpu[w], " s", 1), stats(wall[w], " s", 1), stats(rss[w], " MB", 1024)
  }' "$work/runs" | sort -r
same=yes
for r in $(seq "$rounds"); do
  cmp -s "$work/old.$r.text" "$work/new.$r.text" || same=no
  if [ -f "$work/old.$r.file" ] || [ -f "$work/new.$r.file" ]; then
    cmp -s "$work/old.$r.file" "$work/new.$r.file" || same=no
  fi
done
echo "same output: $same"
if [ "$same" = no ]; then diff "$work/old.1.text" "$work/new.1.text" | head -20 || true; fi
