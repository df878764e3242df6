#!/usr/bin/env bash
# The frontier's target cells (issue #25), both synthesis methods side by side in one run:
# each row is one `tcx frontier` per method, pinned to one core, and every cell's status with
# the CPU seconds its depth took. Usage:
#   bench/frontier_targets.sh [TCX] [SECONDS_PER_QUERY] [ROWS...]
# Each size of a row is its own run (printed as soon as it ends); bench/frontier_agree.py puts
# several runs' outputs side by side and checks the methods against each other.
# ROWS (default all): eca cvp word_s3 word_a5 word_s5 word_s3_valid word_a5_valid word_s5_valid
#   parity parity-layered (the *_valid rows: the word problems on valid codes only, --care valid)
# MAX_DEPTH=D in the environment caps every row's depth (a quicker run); METHODS="tt" runs one;
# EXTRA="--counterexamples 4 --orbits" passes more frontier options to every row.
set -euo pipefail
TCX=${1:-build/tcx}
LIMIT=${2:-60}
shift $(( $# >= 2 ? 2 : $# )) || true
ROWS=("$@")
[ ${#ROWS[@]} -eq 0 ] && ROWS=(eca cvp word_s3 word_a5 word_s5 word_s3_valid word_a5_valid word_s5_valid parity parity-layered)
# One core (CORE=k picks which): TBB then runs one template at a time, and the CPU seconds
# reported are the work of one core.
PIN=""
command -v taskset >/dev/null && PIN="taskset -c ${CORE:-0}"

row() {  # name, then tcx frontier arguments
  local name=$1; shift
  local args=("$@")
  if [ -n "${MAX_DEPTH:-}" ]; then
    for i in "${!args[@]}"; do
      if [ "${args[$i]}" = --max-depth ] && [ "${args[$((i + 1))]}" -gt "$MAX_DEPTH" ]; then args[$((i + 1))]=$MAX_DEPTH; fi
    done
  fi
  # One size at a time, so a run stopped midway keeps every size it finished.
  local sizes="" at=-1
  for i in "${!args[@]}"; do [ "${args[$i]}" = --sizes ] && { sizes=${args[$((i + 1))]}; at=$((i + 1)); }; done
  local v
  for v in $(seq "${sizes%..*}" "${sizes#*..}"); do
    args[$at]="$v..$v"
    set -- "${args[@]}"
    one_size "$name" "$@"
  done
}

one_size() {  # name, then tcx frontier arguments for one size
  local name=$1; shift
  for method in ${METHODS:-weights tt}; do
    local out
    # shellcheck disable=SC2086
    if out=$($PIN "$TCX" frontier "$@" --method "$method" --time-limit "$LIMIT" ${EXTRA:-} --json 2>&1); then
      printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
name, method = sys.argv[1], sys.argv[2]
j = json.load(sys.stdin)
for r in j["rows"]:
    size = r[j["over"]]
    for c in r["cells"]:
        s = c["status"]; g = c["gates"]
        text = {"proven_minimal": f"{g}*", "found": f"{g}", "none": "-", "unknown": f"?>{g}"}[s]
        print("%s\t%s=%s\t%d\t%s\t%s\t%.2f" % (name, j["over"], size, c["depth"], method, text, c["seconds"]))
' "$name" "$method"
    else
      echo -e "$name\t-\t-\t$method\terror: ${out//$'\n'/ }\t-"
    fi
  done
}

echo -e "row\tsize\tdepth\tmethod\tcell\tcpu_s"
for r in "${ROWS[@]}"; do
  case $r in
    eca) row rule110 --task eca --over steps --sizes 1..4 --param cells=9 --param cell=4 --max-depth 4 --max-gates 8 ;;
    cvp) row cvp --task cvp --over gates --sizes 1..3 --param inputs=1 --max-depth 3 --max-gates 6 ;;
    word_s3) row word_s3 --task word_s3 --sizes 2..5 --max-depth 3 --max-gates 8 ;;
    word_a5) row word_a5 --task word_a5 --sizes 2..3 --max-depth 3 --max-gates 8 ;;
    word_s5) row word_s5 --task word_s5 --sizes 2..3 --max-depth 3 --max-gates 8 ;;
    word_s3_valid) row word_s3_valid --task word_s3 --sizes 2..5 --max-depth 3 --max-gates 8 --care valid ;;
    word_a5_valid) row word_a5_valid --task word_a5 --sizes 2..3 --max-depth 3 --max-gates 8 --care valid ;;
    word_s5_valid) row word_s5_valid --task word_s5 --sizes 2..3 --max-depth 3 --max-gates 8 --care valid ;;
    parity) row parity-skip --task parity --sizes 6..8 --max-depth 2 --max-gates 9 ;;
    parity-layered) row parity-layered --task parity --sizes 6..8 --max-depth 2 --max-gates 9 --layered ;;
    *) echo "unknown row $r" >&2; exit 2 ;;
  esac
done
