#!/usr/bin/env bash
# Work distribution (dist/): pattern ranges, frontier questions, family sizes and synthesis cubes give
# the answers of one plain process, in one process and under mpirun; state files resume a
# killed run. Usage: test_dist.sh TCX [MPIEXEC] (no MPIEXEC: the MPI checks are skipped).
set -u
tcx="$1"
mpiexec="${2:-}"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/check.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Circuits: an adder in two constructions (equal), and 22-input gates that differ only on the
# last pattern (AND vs constant 0) or first on the lowest pattern with 21 ones (input 21 = 0).
"$tcx" cell add --bits 11 -o add11.tc 2>/dev/null
"$tcx" cell add_small --bits 11 -o adds11.tc 2>/dev/null
"$tcx" cell add --bits 13 -o add13.tc 2>/dev/null
"$tcx" cell add_small --bits 13 -o adds13.tc 2>/dev/null
ins=$(seq -s' ' -f 'x%g' 0 21)
sum=$(seq -s'+' -f 'x%g' 0 21)
printf 'tcx-circuit 1\ninput %s\ngate g = %s >= 22\noutput y = g\n' "$ins" "$sum" > and22.tc
printf 'tcx-circuit 1\ninput %s\ngate g = %s >= 21\noutput y = g\n' "$ins" "$sum" > ge21.tc
printf 'tcx-circuit 1\ninput %s\ngate g = x0 + x1 >= 3\noutput y = g\n' "$ins" > zero22.tc

# --- one process: small units give the same answers as the plain library call ---
check "ranges equal" 0 "^equal \(exhaustive: all 4194304 input patterns\)" -- "$tcx" equiv add11.tc adds11.tc --unit-patterns 16384
check "ranges last pattern" 1 "inputs +1111111111111111111111 " -- "$tcx" equiv and22.tc zero22.tc --unit-patterns 16384
check "ranges lowest difference" 1 "inputs +1111111111111111111110 " -- "$tcx" equiv and22.tc ge21.tc --unit-patterns 16384
check "ranges verify" 0 "^correct \(exhaustive: all 4194304 inputs" -- "$tcx" verify add11.tc --task addition --param k=11 --unit-patterns 65536
# Majority of 22 is sum >= 11; sum >= 12 first disagrees on the lowest pattern with 11 ones.
printf 'tcx-circuit 1\ninput %s\ngate g = %s >= 12\noutput y = g\n' "$ins" "$sum" > ge12.tc
check "ranges verify wrong" 1 "inputs  1111111111100000000000 " -- "$tcx" verify ge12.tc --task majority --param n=22 --unit-patterns 1024
"$tcx" equiv and22.tc ge21.tc --json > plain.json
"$tcx" equiv and22.tc ge21.tc --json --unit-patterns 64 > units.json
check "ranges json same" 0 "" -- cmp plain.json units.json
# Cubes against the whole question in one solver (an independent path to the answer).
check "cubes unsat" 1 "^none: no threshold circuit of shape 2,1 layered computes it, whatever" -- "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 2
check "whole unsat" 1 "^none: no threshold circuit of shape 2,1 layered computes it, whatever" -- "$tcx" synth --task parity --param n=4 --widths 2,1
check "cubes sat" 0 "^correct" -- bash -c "'$tcx' synth --task parity --param n=4 --widths 4,1 --cubes 2 -o p4.tc >/dev/null && '$tcx' verify p4.tc --task parity --param n=4"
check "cubes majority refused" 2 "not for --majority" -- "$tcx" synth --task majority --param n=3 --widths 1 --majority 3 --cubes 1
# A weights cube left unknown by its budget is not settled: --resume asks it again (the budget
# is not part of the question), and the seed is, by name.
check "cubes unknown at one conflict" 3 "^unknown" -- "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 2 --conflicts 1 --state wc.json
check "cubes unknown not recorded" 0 "" -- /usr/bin/python3 -c "import json, sys; d=json.load(open('wc.json')); sys.exit(any(json.loads(v)['answer'] == 'unknown' for v in d['results'].values()))"
check "cubes unknown asked again" 1 "^none: no threshold circuit of shape 2,1 layered" -- "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 2 --state wc.json --resume
check "cubes other seed named" 2 "seed 1 there, 3 here" -- "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 2 --seed 3 --state wc.json --resume

# --- state files ---
check "state written" 0 "^equal" -- "$tcx" equiv add11.tc adds11.tc --unit-patterns 65536 --state s1.json
check "state not replaced" 2 "file exists \(--resume continues that run, --restart starts over\)" -- "$tcx" equiv add11.tc adds11.tc --state s1.json
check "state resumed whole" 0 "^equal \(exhaustive: all 4194304" -- "$tcx" equiv add11.tc adds11.tc --state s1.json --resume
check "state other question" 2 "the state of another question \(written for other inputs or options: circuit_a [0-9a-f]+ there, [0-9a-f]+ here, circuit_b " -- "$tcx" equiv add13.tc adds13.tc --state s1.json --resume
# The random patterns' seed does not change an exhaustive answer: it is not part of the question.
check "state exhaustive seed free" 0 "^equal \(exhaustive: all 4194304" -- "$tcx" equiv add11.tc adds11.tc --seed 9 --state s1.json --resume
check "state restart" 0 "^equal" -- "$tcx" equiv add11.tc adds11.tc --state s1.json --restart
check "resume needs state" 2 "need --state" -- "$tcx" equiv add11.tc adds11.tc --resume
printf 'not json' > bad.json
check "state damaged" 2 "not a tcx state file" -- "$tcx" equiv add11.tc adds11.tc --state bad.json --resume
# --restart replaces only a state file: an input given by mistake stays as it was.
cp add11.tc mine.tc
check "restart keeps a non-state file" 2 "not a tcx state file.*--restart replaces only a state file" -- "$tcx" equiv add11.tc adds11.tc --state mine.tc --restart
check "restart kept it" 0 "" -- cmp mine.tc add11.tc
# Damaged settings and ranges are refused, not trusted: a unit size of 0 or 2^64-1 made zero ranges
# (an "exhaustive" proof of nothing, or a division by zero), a huge range filled the memory.
"$tcx" equiv and22.tc zero22.tc --state st.json > /dev/null 2>&1
for u in 0 18446744073709551615 100; do
  /usr/bin/python3 -c "import json,sys; d=json.load(open('st.json')); d['done']=[]; d['results']={}; d['settings']['unit_patterns']=int(sys.argv[1]); json.dump(d,open('stu.json','w'))" "$u"
  check "state unit size $u refused" 2 "damaged \(unit_patterns $u" -- "$tcx" equiv and22.tc zero22.tc --state stu.json --resume
done
/usr/bin/python3 -c "import json; d=json.load(open('st.json')); d['done']=[[0,4294967294]]; json.dump(d,open('str.json','w'))"
check "state huge range refused" 2 "damaged \(the done range \[0,4294967294\]\)" -- "$tcx" equiv and22.tc zero22.tc --state str.json --resume
# A recorded difference is checked again before it is reported (an edited file said "different"
# for equal circuits), and must lie in its range; a FIFO is no state file; beyond the exhaustive
# limit there are no ranges to record.
/usr/bin/python3 -c "import json; d=json.load(open('s1.json')); d['results']={'3':str(3*d['settings']['unit_patterns']+7)}; json.dump(d,open('s1diff.json','w'))"
check "state false difference refused" 2 "damaged \(its difference at pattern [0-9]+ is none\)" -- "$tcx" equiv add11.tc adds11.tc --state s1diff.json --resume
/usr/bin/python3 -c "import json; d=json.load(open('s1.json')); d['results']={'3':'5'}; json.dump(d,open('s1out.json','w'))"
check "state difference outside its range" 2 "damaged \(range 3: the pattern 5 is not in it\)" -- "$tcx" equiv add11.tc adds11.tc --state s1out.json --resume
mkfifo fifo.json
check "state fifo refused" 2 "--state fifo.json: not a regular file" -- timeout 20 "$tcx" equiv add11.tc adds11.tc --state fifo.json --resume
check "state beyond exhaustive refused" 2 "--state is for exhaustive simulation" -- "$tcx" equiv add11.tc adds11.tc --max-exhaustive 20 --random --state sx.json

# A run killed (SIGTERM) after some ranges finish its answer with --resume, without redoing them.
kill_once() {  # SIGNAL PATTERN STATE -- command...: starts it, signals it once STATE matches PATTERN (or it ends)
  local sig="$1" pattern="$2" state="$3"
  shift 4
  "$@" > /dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q "$pattern" "$state" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill "-$sig" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}
kill_after_progress() {  # STATE -- command...: SIGTERM once STATE records a range
  local state="$1"
  shift 2
  kill_once TERM '"done":\[\[' "$state" -- "$@"
}
# The resumed run's progress counts the ranges settled before (when the kill came after the
# last range, nothing is left and nothing is reported).
resume_check() {  # NAME STATE -- command...
  local name="$1" state="$2"
  shift 3
  kill_after_progress "$state" -- "$@"
  if ! grep -q '"done":\[\[' "$state"; then
    fail=$((fail + 1)); echo "FAIL: $name: no range recorded before the kill"; return
  fi
  local out
  out="$("$@" --resume --progress 2>&1)"
  local settled total
  settled=$(sed -n 's/.*resuming from .*: \([0-9]*\) units\? settled.*/\1/p' <<<"$out")
  if grep -q "^equal (exhaustive: all 67108864 input patterns)" <<<"$out" && [ "${settled:-0}" -ge 1 ] \
     && { grep -qE "67.1 M / 67.1 M patterns \(100.0%, [0-9.]+ [kM] settled before\)" <<<"$out" || [ "$settled" -eq 64 ]; }; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $name"; echo "$out" | head -20
  fi
}
resume_check "resume after SIGTERM" s2.json -- "$tcx" equiv add13.tc adds13.tc --unit-patterns 1048576 --state s2.json

# The frontier question by question: a state file records each settled question; a resumed run
# answers from them alone (nothing left to ask) and prints the same table.
"$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 > plain-frontier.txt
check "frontier state" 0 "" -- bash -c "'$tcx' frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 --state fq.json > fq1.txt && cmp plain-frontier.txt fq1.txt"
out="$("$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 --state fq.json --resume --progress 2>&1 >fq2.txt)"
if cmp -s plain-frontier.txt fq2.txt && grep -q "resuming from fq.json: [1-9][0-9]* units settled" <<<"$out" && ! grep -q "questions/s" <<<"$out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: frontier resumed whole"; echo "$out" | head -5
fi
check "frontier state other question" 2 "the state of another question" -- "$tcx" frontier --task parity --sizes 2..6 --max-depth 3 --max-gates 5 --state fq.json --resume
# An unknown answer is not settled: a resumed frontier with a larger budget asks it again
# (parity of 5, layered: 4,1 refuted in about 2 s, unknown at 0.05 s). A file whose key still
# holds the budget (an earlier tcx) resumes under that budget.
fl=(frontier --task parity --sizes 5..5 --layered --max-depth 2 --max-gates 6 --method tt)
check "frontier unknown recorded as open" 0 "^ +5 +- +\?>4 " -- "$tcx" "${fl[@]}" --time-limit 0.05 --state fu.json
check "frontier unknown asked again" 0 "^ +5 +- +6\* " -- "$tcx" "${fl[@]}" --state fu.json --resume
# Keys name their parts, and a mismatch names the parts that differ.
check "frontier key names the option" 2 "max_gates 6 there, 7 here" -- "$tcx" frontier --task parity --sizes 5..5 --layered --max-depth 2 --max-gates 7 --method tt --state fu.json --resume
# The word keys of an earlier tcx (this run's words, with the budget after the gate bound).
/usr/bin/python3 -c "import json; d=json.load(open('fu.json')); d['key']='parity n 5..5 {} 2 6 0.050000 tt layered '; json.dump(d,open('fuold.json','w'))"
check "frontier earlier key resumed" 0 "^ +5 +- +6\* " -- "$tcx" "${fl[@]}" --time-limit 0.05 --state fuold.json --resume
/usr/bin/python3 -c "import json; d=json.load(open('fu.json')); d['key']='parity n 5..5 {} 2 6 tt layered '; json.dump(d,open('fuword.json','w'))"
check "frontier word key resumed" 0 "^ +5 +- +6\* " -- "$tcx" "${fl[@]}" --state fuword.json --resume
check "frontier word key mismatch by word" 2 "word 6 6 there, 7 here" -- "$tcx" frontier --task parity --sizes 5..5 --layered --max-depth 2 --max-gates 7 --method tt --state fuword.json --resume
# An answer edited into something tcx never writes (found and refuted at once) is refused, named.
/usr/bin/python3 -c "import json; d=json.load(open('fq.json')); k=sorted(d['results'])[0]; d['results'][k]='[true,true,false,0.1]'; json.dump(d,open('fqbad.json','w'))"
"$tcx" family --task parity --n 4..64 --step x2 --state fam.json > /dev/null 2>&1
/usr/bin/python3 -c "import json; d=json.load(open('fam.json')); d['results']['0']='[1,2]'; json.dump(d,open('fambad.json','w'))"
check "family state edited row refused" 2 "damaged \(size n = 4: \[1,2\]\)" -- "$tcx" family --task parity --n 4..64 --step x2 --state fambad.json --resume
check "frontier state edited answer refused" 2 "damaged \(question [0-9]+: not \[found, refuted, certified, seconds\]" -- "$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 --state fqbad.json --resume
if "$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 --state fqbad.json --resume 2>&1 | grep -q "resuming from"; then
  fail=$((fail + 1)); echo "FAIL: a damaged state file announced as resumed before refused"
else pass=$((pass + 1)); fi
# Edits tcx never writes, however plausible: negative seconds, a space.
/usr/bin/python3 -c "import json; d=json.load(open('fq.json')); k=sorted(d['results'])[0]; d['results'][k]='[true,false,false,-5.0]'; json.dump(d,open('fqneg.json','w'))"
check "frontier state negative seconds refused" 2 "damaged \(question [0-9]+: not \[found, refuted, certified, seconds\]: \[true,false,false,-5.0\]\)" -- "$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 --state fqneg.json --resume
/usr/bin/python3 -c "import json; d=json.load(open('fq.json')); k=sorted(d['results'])[0]; d['results'][k]+=' '; json.dump(d,open('fqspace.json','w'))"
check "frontier state record with a space refused" 2 "damaged \(question [0-9]+: " -- "$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 --state fqspace.json --resume
check "state in a missing folder: one line, exit 2" 2 "--state nodir/x.json: the folder nodir does not exist" -- "$tcx" frontier --task parity --sizes 2..3 --max-gates 3 --state nodir/x.json
# Two runs on one state file: the second is refused while the first holds the lock, which goes
# with it (a killed run's lock too: the lock dies with the process).
"$tcx" synth --task parity --param n=6 --widths 5,1 --method tt --tt-cubes output --state two.json > /dev/null 2>&1 &
first=$!
for _ in $(seq 50); do [ -e .two.json.tcx-lock ] && break; sleep 0.1; done
check "a second run on a state file in use is refused" 2 "--state two.json: another tcx run is using it" -- "$tcx" synth --task parity --param n=6 --widths 5,1 --method tt --tt-cubes output --state two.json --resume
kill -9 "$first"; wait "$first" 2>/dev/null
check "a killed run's lock does not hold: resumed" 1 "^none" -- "$tcx" synth --task parity --param n=6 --widths 5,1 --method tt --tt-cubes output --state two.json --resume
if [ -e .two.json.tcx-lock ]; then fail=$((fail + 1)); echo "FAIL: the lock file stays after a run"; else pass=$((pass + 1)); fi

# tt's cubes as units (--method tt with --state): parity of 5 in 4,1 is none in its 15 output
# cubes. A budget too small for some cubes (100 conflicts per solver call) answers unknown and
# records only the cubes it answered; --resume with a larger budget asks only the others.
tt5=(synth --task parity --param n=5 --widths 4,1 --method tt --tt-cubes output)
check "tt cubes whole" 1 "^none: no threshold circuit of shape 4,1 layered computes it, whatever its weights.*15 cubes\)" -- "$tcx" "${tt5[@]}"
check "tt cubes cut short" 3 "^unknown: 4 of the 15 cubes without an answer within the budget of each.*--resume asks them again" -- \
  "$tcx" "${tt5[@]}" --conflicts 100 --state tt.json
cp tt.json tt-cut.json
check "tt cubes resumed" 1 "^none: .*15 cubes, 11 of them answered before \(the state file" -- "$tcx" "${tt5[@]}" --state tt.json --resume --jobs 2
# Progress after a resume counts the whole run, the settled units beside it.
check "tt cubes progress counts the settled" 1 "synth: 15 / 15 cubes \(100.0%, 11 settled before\)" -- "$tcx" "${tt5[@]}" --state tt-cut.json --resume --progress
check "tt cubes other split refused" 2 "the state of another question" -- "$tcx" "${tt5[@]}" --tt-no-dual-cubes --state tt.json --resume
# Certified units: each cube's none by its own checked proof. The file written without
# --certify is taken up again (its nones have no checked proof: asked again), then read back.
check "tt cubes certified" 1 "^none: .*certified: each of the 15 cubes by its own DRAT proof, checked by tcx's DRAT checker" -- \
  "$tcx" "${tt5[@]}" --certify --state tt.json --resume
check "tt cubes certified, read back" 1 "15 of them answered before.*certified: each of the 15 cubes" -- "$tcx" "${tt5[@]}" --certify --state tt.json --resume
/usr/bin/python3 -c 'import json; j = json.load(open("tt.json")); j["results"]["3"] = "garbage"; json.dump(j, open("ttbad.json", "w"))'
check "synth resume needs state" 2 "need --state FILE" -- "$tcx" "${tt5[@]}" --resume
check "tt cubes damaged state" 2 "damaged \(cube 3: not a JSON object\)" -- "$tcx" "${tt5[@]}" --state ttbad.json --resume
check "tt cubes proof folder refused" 2 "keep no proof files" -- "$tcx" "${tt5[@]}" --proof-dir pd2 --state tt2.json
[ ! -e tt2.json ] && [ ! -e pd2 ] && ok || bad "the refused run wrote its state file or proof folder"
# Patterns added one by one bring symmetry clauses no cube's own proof can carry: unknown, said so.
check "tt cubes not certifiable" 3 "^unknown: no circuit of shape 3,1 with skip wires in any of the 4 cubes, but --certify asks for more.*4 cube\(s\) had their solver add symmetry-breaking clauses.*--state cannot certify this question" -- \
  "$tcx" synth --task parity --param n=10 --widths 3,1 --skip --method tt --tt-cubes 2 --certify --state tt10.json
# Killed (SIGKILL: no chance to save) part way through parity of 7 in 5,1 (63 cubes, a few
# seconds) on two threads: the resumed run answers none, the cubes recorded before the kill not asked again.
tt7=(synth --task parity --param n=7 --widths 5,1 --method tt --tt-cubes output --jobs 2 --state tt7.json)
kill_once KILL '"results":{"' tt7.json -- "$tcx" "${tt7[@]}"
check "tt cubes resumed after SIGKILL" 1 "^none: .*63 cubes, [1-9][0-9]* of them answered before" -- "$tcx" "${tt7[@]}" --resume
# A found circuit is recorded with its cube; read back, it is checked again and written.
check "tt cubes found" 0 "^correct" -- bash -c "'$tcx' synth --task parity --param n=5 --widths 5,1 --method tt --tt-cubes output --state tt5.json -o f1.tc >/dev/null && '$tcx' verify f1.tc --task parity --param n=5"
check "tt cubes found, resumed" 0 "^found: .*answered before" -- "$tcx" synth --task parity --param n=5 --widths 5,1 --method tt --tt-cubes output --state tt5.json --resume -o f2.tc
check "tt cubes found, same circuit" 0 "" -- cmp f1.tc f2.tc
# A state file is read as tcx wrote it: a correct circuit of a larger shape (5,1) planted as the
# 4,1 answer is refused; another question's file names what differs.
/usr/bin/python3 -c 'import json; j = json.load(open("tt.json")); r = json.loads(j["results"]["3"]); r["answer"] = "sat"; r["circuit"] = open("f1.tc").read(); j["results"]["3"] = json.dumps(r, separators=(",", ":"), sort_keys=True); json.dump(j, open("ttshape.json", "w"))'
check "tt cubes planted shape refused" 2 "damaged \(cube 3's circuit is not of the shape asked for\)" -- "$tcx" "${tt5[@]}" --state ttshape.json --resume
check "tt cubes other question named" 2 "another question \(written for other inputs or options: dual_cubes true there, false here\)" -- \
  "$tcx" "${tt5[@]}" --tt-no-dual-cubes --state tt.json --resume
# A certified run cut short (one conflict per call) keeps the nones it did not certify.
"$tcx" "${tt5[@]}" --state ttu.json > /dev/null
check "tt cubes certify cut short" 3 "^unknown: [0-9]+ of the 15 cubes without an answer" -- "$tcx" "${tt5[@]}" --certify --conflicts 1 --state ttu.json --resume
check "tt cubes certify cut short keeps the file" 0 "^15$" -- /usr/bin/python3 -c 'import json; print(len(json.load(open("ttu.json"))["results"]))'
# Names that would lose the record, and a split that cannot happen, are refused before any work.
check "tt cubes empty state name" 2 "needs a file name" -- "$tcx" "${tt5[@]}" --state ""
mkdir sdir
check "tt cubes state directory" 2 "--state sdir: is a directory" -- "$tcx" "${tt5[@]}" --state sdir
check "tt cubes -o names the state" 2 "-o same.json: names the --state file" -- "$tcx" synth --task parity --param n=5 --widths 5,1 --method tt --state same.json -o same.json --force
[ ! -e same.json ] && ok || bad "the refused run wrote same.json"
check "tt cubes sign split of a layered output" 2 "a layered output reads none" -- "$tcx" synth --task parity --param n=6 --widths 5,1 --method tt --tt-cubes 3 --state k.json
# Temporary files a SIGKILL left beside the state file are removed when older than a minute;
# a younger one (a live write) and other names stay.
touch -d '2 minutes ago' .ttk.json.tcx-abcdef
touch .ttk.json.tcx-ghijkl .ttk.json.tcx-keep.txt
"$tcx" "${tt5[@]}" --state ttk.json > /dev/null
[ ! -e .ttk.json.tcx-abcdef ] && [ -e .ttk.json.tcx-ghijkl ] && [ -e .ttk.json.tcx-keep.txt ] && ok || bad "stale temporary files: $(ls -a)"
# Stopped by SIGTERM: one line says where the settled cubes are.
tt7b=(synth --task parity --param n=7 --widths 5,1 --method tt --tt-cubes output --state tt7b.json)
"$tcx" "${tt7b[@]}" > /dev/null 2> term.err &
pid=$!
for _ in $(seq 1 600); do grep -q '"results":{"' tt7b.json 2>/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -TERM "$pid" 2>/dev/null; then
  wait "$pid" 2>/dev/null
  grep -q "^tcx: stopped by a signal; what was settled is recorded in tt7b.json (--resume continues from there)" term.err && ok || bad "no note on SIGTERM: $(cat term.err)"
else
  wait "$pid" 2>/dev/null
  ok  # finished before the signal
fi

# --- MPI: the same answers from 3 ranks (and 1) as from one plain process ---
if [ -z "$mpiexec" ]; then
  echo "test_dist: MPI not built: MPI checks skipped ($pass passed, $fail failed)"
  [ "$fail" -eq 0 ] || exit 1
  exit 77
fi
mpi() {  # mpi N command...
  local n="$1"
  shift
  "$mpiexec" --oversubscribe --allow-run-as-root --mca btl self,vader -n "$n" "$@"
}
same() {  # NAME FILE_A FILE_B
  if cmp -s "$2" "$3"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; diff "$2" "$3" | head -10; fi
}
for n in 1 3; do
  check "mpi $n equiv equal" 0 "^equal \(exhaustive: all 4194304 input patterns\)" -- mpi $n "$tcx" equiv add11.tc adds11.tc --unit-patterns 16384
  # The only difference is the last pattern: in the last range, which the last free rank takes.
  mpi $n "$tcx" equiv and22.tc zero22.tc --unit-patterns 16384 > mpi-last.txt 2>/dev/null
  "$tcx" equiv and22.tc zero22.tc > plain-last.txt
  same "mpi $n equiv last range" plain-last.txt mpi-last.txt
done
mpi 3 "$tcx" equiv and22.tc ge21.tc --json --unit-patterns 16384 > mpi-low.json 2>/dev/null
same "mpi 3 equiv lowest difference" plain.json mpi-low.json
check "mpi 3 verify" 0 "^correct \(exhaustive: all 4194304 inputs" -- mpi 3 "$tcx" verify add11.tc --task addition --param k=11 --unit-patterns 65536
# A state file rank 0 cannot use (a damaged result): every rank stops with the error, none waits.
/usr/bin/python3 -c 'import json; j = json.load(open("s1.json")); j["results"]["3"] = "garbage"; json.dump(j, open("s1bad.json", "w"))'
check "mpi rank 0 error" 2 "tcx: error: " -- timeout 120 "$mpiexec" --oversubscribe --allow-run-as-root --mca btl self,vader -n 3 "$tcx" equiv add11.tc adds11.tc --state s1bad.json --resume
mpi 3 "$tcx" frontier --task parity --sizes 2..5 --max-depth 3 --max-gates 5 > mpi-frontier.txt 2>/dev/null
same "mpi frontier table" plain-frontier.txt mpi-frontier.txt
grep -q "^       5          -         3\*         3\*" mpi-frontier.txt && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: mpi frontier row 5"; }
# The JSON without the cells' seconds (timing, not answer).
no_seconds() { /usr/bin/python3 -c 'import json,sys
def strip(v):
    if isinstance(v, dict): return {k: strip(x) for k, x in v.items() if k != "seconds"}
    if isinstance(v, list): return [strip(x) for x in v]
    return v
print(json.dumps(strip(json.load(sys.stdin)), indent=1, sort_keys=True))'; }
"$tcx" frontier --task majority --sizes 3..6 --max-depth 2 --max-gates 3 --json | no_seconds > plain-frontier.json
mpi 3 "$tcx" frontier --task majority --sizes 3..6 --max-depth 2 --max-gates 3 --json 2>/dev/null | no_seconds > mpi-frontier.json
same "mpi frontier json" plain-frontier.json mpi-frontier.json
grep -q '"status": "proven_minimal"' mpi-frontier.json && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: mpi frontier json content"; }
# Family: everything but the seconds column.
"$tcx" family --task parity --n 4..512 --step x2 | awk '{$NF=""; print}' > plain-family.txt
mpi 3 "$tcx" family --task parity --n 4..512 --step x2 2>/dev/null | awk '{$NF=""; print}' > mpi-family.txt
same "mpi family" plain-family.txt mpi-family.txt
check "mpi cubes unsat" 1 "^none: no threshold circuit of shape 2,1 layered computes it, whatever" -- mpi 3 "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 2
check "mpi cubes default unsat" 1 "^none: no threshold circuit of shape 2,1 layered computes it, whatever" -- mpi 3 "$tcx" synth --task parity --param n=4 --widths 2,1
mpi 3 "$tcx" synth --task parity --param n=4 --widths 4,1 -o p4m.tc > /dev/null 2>&1
# Under mpirun tt's cubes are units over the ranks: the one-process answers (a question without
# a split is one unit).
check "mpi tt found as in one process" 0 "^found: depth 2, 3 gates.*method tt" -- mpi 2 "$tcx" synth --task word_s3 --param n=2 --widths 2,1 --skip
check "mpi tt cubes none" 1 "^none: .*63 cubes, the longest cube [0-9]+ \(\[[0-9y +]+ >= [0-9]+\]\) with [0-9.]+ s\)" -- mpi 3 "$tcx" synth --task parity --param n=7 --widths 5,1 --method tt --tt-cubes output
# Certified over 3 ranks: rank 0 checks the shared clauses and tells the others, so every rank exits 1.
check "mpi tt cubes certified" 1 "^none: .*certified: each of the 15 cubes by its own DRAT proof" -- mpi 3 "$tcx" "${tt5[@]}" --certify --state ttm.json
# Without --state a certified tt question stays whole on rank 0: one proof through its cubes.
check "mpi tt certified whole" 1 "^none: .*one proof through all 15 cubes" -- mpi 2 "$tcx" "${tt5[@]}" --certify
check "mpi tt cubes resumed" 1 "^none: .*15 cubes, 15 of them answered before" -- mpi 2 "$tcx" "${tt5[@]}" --state tt.json --resume
check "mpi weights cubes by default" 1 "^none" -- mpi 2 "$tcx" synth --task parity --param n=4 --widths 2,1 --method weights
# The weights method's cubes have no joined proof: refused, not answered "unknown".
check "cubes and certify refused" 2 "proofs are not joined" -- "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 2 --certify
check "cubes and a proof folder refused" 2 "proofs are not joined" -- "$tcx" synth --task parity --param n=4 --widths 2,1 --cubes 1 --proof-dir pd
[ ! -e pd ] && ok || bad "the refused run made its proof folder"
check "mpi cubes sat" 0 "^correct" -- "$tcx" verify p4m.tc --task parity --param n=4
check "mpi verify wrong" 1 "inputs  1111111111100000000000 " -- mpi 3 "$tcx" verify ge12.tc --task majority --param n=22 --unit-patterns 1024
check "mpi error once" 2 "^tcx: error: unknown task 'nosuch'" -- mpi 3 "$tcx" verify add11.tc --task nosuch
# The frontier's questions over 3 ranks, killed once some are settled, resumed over 2: the table
# of one process, byte for byte (parity of 7 at depth 2 is the long question, a few seconds).
fargs=(frontier --task parity --sizes 4..7 --max-depth 3 --max-gates 4)
"$tcx" "${fargs[@]}" > plain-fq.txt
kill_once TERM '"results":{"' fq3.json -- mpi 3 "$tcx" "${fargs[@]}" --state fq3.json
out="$(mpi 2 "$tcx" "${fargs[@]}" --state fq3.json --resume --progress 2>&1 > mpi-fq.txt)"
if cmp -s plain-fq.txt mpi-fq.txt && grep -q "resuming from fq3.json: [1-9][0-9]* units\? settled" <<<"$out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: mpi frontier resumed"; diff plain-fq.txt mpi-fq.txt | head; echo "$out" | head -5
fi
# A killed MPI run resumes under another number of ranks.
# (mpirun itself gets the SIGTERM, as from a batch system: it passes it on to the ranks.)
resume_check "mpi resume after SIGTERM" s3.json -- "$mpiexec" --oversubscribe --allow-run-as-root --mca btl self,vader -n 2 \
  "$tcx" equiv add13.tc adds13.tc --unit-patterns 1048576 --state s3.json
# The ranks get the signal from mpirun and stop at their next check: on a loaded machine that
# can take a few seconds, so wait up to 15 s before calling them left running.
for _ in $(seq 1 150); do
  pgrep -f "tcx equiv add13.tc adds13.tc --unit-patterns 1048576 --state s3.json" > /dev/null || break
  sleep 0.1
done
if pgrep -f "tcx equiv add13.tc adds13.tc --unit-patterns 1048576 --state s3.json" > /dev/null; then
  fail=$((fail + 1)); echo "FAIL: ranks left running after the killed MPI run"
else
  pass=$((pass + 1))
fi

echo "test_dist: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
