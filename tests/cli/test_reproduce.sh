#!/usr/bin/env bash
# `tcx reproduce --quick` into a scratch folder: every section and file is there, every
# verification passed, the depth verdicts are the expected ones, and the JSON parses.
set -u
tcx="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
out="$tmp/report"
if ! "$tcx" reproduce --quick --out "$out" >"$tmp/stdout" 2>"$tmp/stderr"; then
  echo "FAIL: tcx reproduce --quick exited $?"; cat "$tmp/stdout"; tail -5 "$tmp/stderr"; exit 1
fi
grep -q "all passed" "$tmp/stdout" || { echo "FAIL: summary line"; fail=1; }
grep -q "tcx reproduce: model" "$tmp/stderr" || { echo "FAIL: no progress on stderr"; fail=1; }
for f in report.md data.json models.csv diffusion.csv convergence.csv frontier.csv verification.csv \
         models_depth.gp models_size.gp diffusion_depth.gp convergence.gp frontier_depth.gp; do
  [ -s "$out/$f" ] || { echo "FAIL: $f missing"; fail=1; }
done
if command -v gnuplot >/dev/null; then
  for p in models_depth models_size diffusion_depth convergence frontier_depth; do
    [ -s "$out/$p.svg" ] && [ -s "$out/$p.png" ] || { echo "FAIL: plot $p not drawn"; fail=1; }
  done
fi
for s in "## 1. Models as circuit families" "## 2. Diffusion samplers" "## 3. Serial tasks: the SAT frontier" "## 4. Verification" \
         "regenerate one row with \`tcx family" "tcx diffusion-family --backbone majority" "tcx frontier --task eca"; do
  grep -qF -- "$s" "$out/report.md" || { echo "FAIL: report.md lacks '$s'"; fail=1; }
done
grep -q "FAILED" "$out/report.md" && { echo "FAIL: a check failed in the report"; fail=1; }
python3 - "$out/data.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
fits = {r["model"]: r["fit"]["depth_kind"] for r in d["models"]["rows"]}
want = {"mlp-sign": "constant", "bnn": "constant", "mlp-relu-fixed": "constant", "transformer-4head": "constant",
        "transformer-majority": "constant", "ssm-lti": "constant", "ssm-selective": "constant",
        "rnn-parity": "linear", "rnn-relu": "linear", "transformer-looped": "linear", "transformer-cot": "linear",
        "ssm-s5": "logarithmic", "ssm-parity": "logarithmic"}
for m, k in want.items():
    if fits.get(m) != k: bad.append(f"model {m}: depth {fits.get(m)}, want {k}")
df = d["diffusion"]["fits"]
if df["T*"]["depth_kind"] != "constant": bad.append("diffusion T*: depth " + df["T*"]["depth_kind"])
if df["T = n"]["depth_kind"] != "linear": bad.append("diffusion T = n: depth " + df["T = n"]["depth_kind"])
if not d["verification"]["all_passed"] or len(d["verification"]["checks"]) < 40: bad.append("verification")
conv = d["diffusion"]["convergence"]
if abs(conv[-1]["accuracy"] - d["diffusion"]["rows"][0]["target_accuracy"]) > 0.005: bad.append("convergence")
par = [t for t in d["frontier"]["tasks"] if t["task"] == "parity"][0]
if par["rows"][-1]["cells"][1]["cell"] != "3*": bad.append("parity n=4 depth 2 is not 3*")
tasks = {t["task"] for t in d["frontier"]["tasks"]}
if tasks != {"parity", "majority", "eca", "s5", "cvp"}: bad.append(f"frontier tasks {tasks}")
for b in bad: print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
if "$tcx" reproduce --quick --out "$out" >/dev/null 2>"$tmp/err2"; then echo "FAIL: overwrote a report without --force"; fail=1; fi
grep -q "already holds a report" "$tmp/err2" || { echo "FAIL: no-clobber message"; fail=1; }
[ "$fail" -eq 0 ] && echo "reproduce: all checks passed"
[ "$fail" -eq 0 ]
