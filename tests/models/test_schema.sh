#!/usr/bin/env bash
# The JSON Schema and tcx's own validation agree: every zoo model passes both, and each bad
# spec below fails both (tcx naming the same JSON path the schema reports).
set -u
tcx="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
schema="$src/compilers/models/model.schema.json"
fail=0
validate() {  # prints "ok" or the failing path
  python3 - "$schema" "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
doc = json.load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
print("ok" if not errors else "/" + "/".join(str(p) for p in errors[0].path))
PY
}
for f in "$src"/examples/models/*.json; do
  got="$(validate "$f")"
  if [ "$got" != "ok" ]; then echo "FAIL: schema rejects $f at $got"; fail=1; fi
  if ! "$tcx" depth "$f" --n 4 >/dev/null 2>&1; then echo "FAIL: tcx rejects $f"; fail=1; fi
done
bad() {  # bad NAME JSON PATH
  printf '%s' "$2" >"$tmp/$1.json"
  local got
  got="$(validate "$tmp/$1.json")"
  if [ "$got" = "ok" ]; then echo "FAIL: schema accepts $1"; fail=1; fi
  local err
  err="$("$tcx" depth "$tmp/$1.json" --n 4 2>&1)"
  if [ $? -eq 0 ] || ! grep -qF ": $3: " <<<"$err"; then echo "FAIL: tcx on $1: $err (want path $3)"; fail=1; fi
}
bad unknown '{"tcx-model": 1, "input": {"length": "n"}, "layers": [{"out": 1, "weights": 1, "colour": 3}]}' /layers/0/colour
bad type '{"tcx-model": 1, "input": {"length": "n"}, "layers": [{"out": true, "weights": 1}]}' /layers/0/out
bad version '{"tcx-model": 3, "input": {"length": "n"}, "layers": [{"out": 1, "weights": 1}]}' /tcx-model
bad activation '{"tcx-model": 1, "input": {"length": "n"}, "layers": [{"out": 1, "weights": 1, "activation": "gelu"}]}' /layers/0/activation
bad frac '{"tcx-model": 1, "input": {"length": "n"}, "layers": [{"out": 1, "weights": 1, "weight_frac": -1}]}' /layers/0/weight_frac
bad density '{"tcx-model": 1, "input": {"length": "n"}, "layers": [{"out": 1, "weights": {"random": {"seed": 1, "min": 0, "max": 1, "density": 0}}}]}' /layers/0/weights/random/density
bad hidden '{"tcx-model": 1, "kind": "rnn", "input": {"length": "n"}, "recurrent": {"hidden": 0, "W": 1, "U": 1}}' /recurrent/hidden
bad rnn_fields '{"tcx-model": 1, "input": {"length": "n"}, "layers": [{"out": 1, "weights": 1}], "recurrent": {"hidden": 1, "W": 1, "U": 1}}' /recurrent
bad head_field '{"tcx-model": 1, "kind": "transformer", "input": {"length": "n"}, "transformer": {"width": 1, "embedding": 0, "blocks": [{"heads": [{"query": {"weights": 0}, "key": {"weights": 0}, "value": {"weights": 1}, "softmax": true}]}]}}' /transformer/blocks/0/heads/0/softmax
bad attention '{"tcx-model": 1, "kind": "transformer", "input": {"length": "n"}, "transformer": {"width": 1, "embedding": 0, "blocks": [{"heads": [{"attention": "soft", "query": {"weights": 0}, "key": {"weights": 0}, "value": {"weights": 1}}]}]}}' /transformer/blocks/0/heads/0/attention
bad token_bits '{"tcx-model": 1, "input": {"length": "n", "token_bits": 2}, "layers": [{"out": 1, "weights": 1}]}' /input/token_bits
bad ssm_points '{"tcx-model": 1, "kind": "ssm", "input": {"length": "n"}, "ssm": {"type": "monoid", "points": 0}}' /ssm/points
bad ssm_kind '{"tcx-model": 1, "kind": "ssm", "input": {"length": "n"}, "ssm": {"type": "mamba", "a": 1, "b": 1}}' /ssm/type
[ "$fail" -eq 0 ] && echo "schema and tcx agree"
[ "$fail" -eq 0 ]
