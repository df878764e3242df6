# Shared by the CLI test scripts (sourced): a scratch folder $tmp removed on exit, pass/fail
# counters, and three checks. check DESCRIPTION EXIT COMMAND...: runs COMMAND, output in $tmp/out,
# and wants that exit status. has DESCRIPTION PATTERN: $tmp/out matches PATTERN (grep -E); lacks:
# it does not.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() {
  local what=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>&1
  local got=$?
  if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what (exit $got, wanted $want)"; cat "$tmp/out"; fi
}
has() {
  if grep -qE -- "$2" "$tmp/out"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: no '$2' in"; cat "$tmp/out"; fi
}
lacks() {  # lacks DESCRIPTION PATTERN: $tmp/out does not match PATTERN
  if ! grep -qE -- "$2" "$tmp/out"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: '$2' in"; cat "$tmp/out"; fi
}
