# Shared by the command-line test scripts (sourced): counters and the check helper.
pass=0
fail=0

check() {  # check NAME EXPECTED_STATUS PATTERN -- command...
  local name="$1" want="$2" pattern="$3"
  shift 4
  local out status
  out="$("$@" 2>&1)"
  status=$?
  if [ "$status" -eq "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $name (status $status, want $want; pattern '$pattern')"
    echo "$out" | head -20
  fi
}

# True under scripts/sanitize, which exports TCX_SANITIZE=1: the slowest checks then take lighter
# sizes (the sanitizers run tcx 10-20 times slower) and still check the same things.
sanitized() { [ -n "${TCX_SANITIZE:-}" ] && [ "${TCX_SANITIZE}" != 0 ]; }

# The preamble of the hostile-input scripts: cli_setup TCX SRC [SECONDS] sets $tcx (absolute),
# $src, $ex, $zoo and a scratch folder $tmp removed at exit; t runs tcx under the time bound
# (a hang, or a budget not obeyed, is a failure, not a stuck test); ok and bad count by hand.
cli_setup() {
  tcx="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
  src="$2"
  ex="$src/examples"
  zoo="$src/examples/models"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cli_seconds="${3:-60}"
}
t() { timeout "$cli_seconds" "$tcx" "$@"; }
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
