#!/usr/bin/env bash
# docs/cli.md against `tcx --help`: every subcommand has a row, and every flag of every
# subcommand (and every global flag) appears in that row or in the page. Fails on the first gap.
set -u
tcx="$1"
doc="$2/docs/cli.md"
fail=0
pass=0
subs=$("$tcx" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$subs" ] || { echo "FAIL: no subcommands in tcx --help"; exit 1; }
# The flags of the Options section (option lines start with spaces and a dash).
flags_of() {
  "$@" --help | awk '/^Options:/ { on = 1; next } /^[A-Z][a-z]*:/ { on = 0 } on && /^ +-/' |
    grep -oE '^ +[-a-z0-9,]+' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u | grep -vE '^--(help|version)$'
}
for f in $(flags_of "$tcx"); do
  if grep -qE -- "tcx $f( |\`)" "$doc"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: global flag $f is not in docs/cli.md"; fi
done
for s in $subs; do
  rows=$(grep -E "^\| \`tcx $s( |\`)" "$doc")
  if [ -z "$rows" ]; then
    fail=$((fail + 1))
    echo "FAIL: subcommand '$s' has no row in docs/cli.md"
    continue
  fi
  pass=$((pass + 1))
  for f in $(flags_of "$tcx" "$s"); do
    if grep -qE -- "$f([^a-z0-9-]|$)" <<<"$rows" || { [ "$f" = --output ] && grep -qE -- "-o (OUT|FILE)" <<<"$rows"; }; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL: tcx $s $f is not in its docs/cli.md row"
    fi
  done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
