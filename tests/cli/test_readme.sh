#!/usr/bin/env bash
# Runs every `build/tcx ...` line of the README's tour, in a scratch folder, and fails when
# one fails: the README must not promise a command that does not work. `tcx reproduce --quick`
# is left to tests/cli/test_reproduce.sh, which runs it and checks the report in depth.
set -u
tcx="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build"
ln -s "$tcx" "$tmp/build/tcx"
ln -s "$src/examples" "$tmp/examples"
cd "$tmp"
pass=0
fail=0
while IFS= read -r line; do
  cmd="${line%%  #*}"
  # Under the sanitizers (scripts/sanitize exports TCX_SANITIZE=1, and tcx runs 10-20 times slower)
  # the diffusion family takes a smaller constant c: the same code, a sampler ~6x lighter.
  if [ -n "${TCX_SANITIZE:-}" ] && [ "$TCX_SANITIZE" != 0 ] && [[ "$cmd" == "build/tcx diffusion-family "* ]]; then
    cmd="${cmd%"${cmd##*[![:space:]]}"} --c 0.1"
  fi
  if bash -o pipefail -c "$cmd" >/dev/null 2>"$tmp/err"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $cmd"
    head -3 "$tmp/err"
  fi
done < <(grep -E '^build/tcx ' "$src/README.md" | grep -v '^build/tcx reproduce --quick ')
# The tour must run again as written (a second run used to fail with "file exists"): the lines
# that write files, once more.
while IFS= read -r line; do
  cmd="${line%%  #*}"
  if bash -o pipefail -c "$cmd" >/dev/null 2>"$tmp/err"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL (second run): $cmd"
    head -3 "$tmp/err"
  fi
done < <(grep -E '^build/tcx .* -o ' "$src/README.md")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 5 ]
