#!/usr/bin/env bash
# The memory bound (--max-wires, issue 20 item 6): a request past it ends with one error line and
# exit 2, fast, and without holding more memory than the bound promises. Each command runs under
# `ulimit -v` (address space: every reservation counts, touched or not), so a command that
# allocates past the promise fails here with "out of memory" or a crash instead of the bound's
# error. The default bound (1 GiB) gets 1.5 GiB; the scaled runs (--max-wires 2^23, 64 MiB)
# get 512 MiB, which the process's own baseline (about 20 MiB, plus thread stacks) fits easily.
set -u
tcx="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$2"
zoo="$src/examples/models"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/check.sh"

limited() {  # limited KIB SECONDS command...: tcx under an address-space limit and a time limit
  local kib="$1" secs="$2"
  shift 2
  # AddressSanitizer reserves terabytes of shadow address space at start, so under scripts/sanitize
  # the address-space limit is left out: the answers are still checked, the memory bound is not.
  if sanitized; then timeout "$secs" "$tcx" "$@"; return; fi
  (ulimit -v "$kib" && exec timeout "$secs" "$tcx" "$@")
}
gib15=$((3 * 512 * 1024))
mib512=$((512 * 1024))
bound="size bound"

# Up front: a dense n x n layer past the bound is refused before any of it is built.
check "compile 2^20 refused up front" 2 "^tcx: error: the model at n = 1048576 needs about .*$bound" -- \
  limited $gib15 20 compile "$zoo/mlp_sign.json" --n 1048576 -o "$tmp/a.tc"
check "compile 2^24 refused up front" 2 "$bound" -- limited $gib15 20 compile "$zoo/mlp_sign.json" --n 16777216 -o "$tmp/a.tc"
check "depth 2^24 refused up front" 2 "$bound" -- limited $gib15 20 depth "$zoo/mlp_sign.json" --n 16777216
# One line, nothing else.
out="$(limited $gib15 20 compile "$zoo/mlp_sign.json" --n 1048576 -o "$tmp/a.tc" 2>&1)"
[ "$(wc -l <<<"$out")" -eq 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: more than one line: $out"; }
[ ! -e "$tmp/a.tc" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: a refused compile left a file"; }

# Reached while building: the builder's accounting (arrays by capacity, table, names) stops the
# build at the bound; with the bound scaled down (2^23 units, 64 MiB) the address-space limit
# scales with it. A multiplier whose wires alone (a lower bound) are past the bound is refused
# before its k^2 partial products are made.
check "compile refused up front, scaled" 2 "^tcx: error: the model at n = 3000 needs about" -- \
  limited $mib512 60 --max-wires 8388608 compile "$zoo/mlp_sign.json" --n 3000 -o "$tmp/b.tc"
check "diffusion reaches the bound" 2 "$bound of 8388608 wires" -- \
  limited $mib512 60 --max-wires 8388608 diffusion --backbone majority --n 2048 -o "$tmp/d.tc"
check "cell refused up front, scaled" 2 "^tcx: error: multiplying 512 by 512 bits needs more than the size bound" -- \
  limited $mib512 60 --max-wires 8388608 cell mul --bits 512 -o "$tmp/c.tc"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
