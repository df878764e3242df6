#!/usr/bin/python3
"""Checks a report folder written by `tcx reproduce`: its structure (sections, contents anchors,
every figure with its source and command), that every number a table shows equals data.json
and the CSV files, that every CSV file parses with a full record per row, and that every
regenerate command it prints names sections tcx accepts. Usage: check_report.py DIR [SECTION...]
(the sections expected; default all). Prints FAIL lines and exits 1 on any failure."""
import csv
import html.parser
import json
import math
import os
import re
import shlex
import sys
import xml.etree.ElementTree as ET

out = sys.argv[1]
all_sections = ["models", "diffusion", "frontier", "trained", "verification"]
expected_sections = sys.argv[2:] or all_sections
figures_of = {"models": ["models_depth", "models_size"], "diffusion": ["diffusion_depth", "convergence"], "frontier": ["frontier", "frontier_depth", "frontier_long"], "trained": [], "verification": []}
bad = []
data = json.load(open(os.path.join(out, "data.json")))
md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
page = open(os.path.join(out, "report.html"), encoding="utf-8").read()


def resolve(pointer):
    node = data
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def same(text, value):
    """A cell's text against the JSON value it claims to show."""
    if isinstance(value, bool):
        return text == str(value).lower()
    if isinstance(value, (int, float)):
        if not NUMBER.match(text):
            return False
        decimals = len(text.split(".")[1]) if "." in text else 0
        return abs(float(text) - value) <= 0.5 * 10 ** -decimals + 1e-9
    return text == value


class Page(html.parser.HTMLParser):
    """Collects tables (cells with their data-json), sections, contents links, figures."""

    def __init__(self):
        super().__init__()
        self.tables, self.sections, self.toc, self.ids = [], [], [], set()
        self.figures = {}  # id -> {"svg": n, "paths": n, "caption": text}
        self.pointed = []  # (text, pointer) of every element with data-json
        self.stack = []  # open elements: (tag, attrs, text parts)
        self.in_nav = self.figure = self.in_caption = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "nav":
            self.in_nav = True
        if tag == "a" and self.in_nav and a.get("href", "").startswith("#"):
            self.toc.append(a["href"][1:])
        if tag == "section":
            self.sections.append(a.get("id"))
        if tag == "table":
            self.tables.append([])
        if tag == "tr" and self.tables:
            self.tables[-1].append([])
        if tag in ("td", "th"):
            # text: as report.md writes it (a <code> span between backticks); raw: the page's own text
            self.cell = {"tag": tag, "pointer": a.get("data-json"), "text": "", "raw": ""}
        if tag == "code" and self.cell is not None:
            self.cell["text"] += "`"
        if tag == "figure":
            self.figure = a.get("id", "")[4:]
            self.figures[self.figure] = {"svg": 0, "paths": 0, "caption": ""}
        if self.figure and tag == "svg":
            self.figures[self.figure]["svg"] += 1
        if self.figure and tag == "path":
            self.figures[self.figure]["paths"] += 1
        if tag == "figcaption":
            self.in_caption = True
        if "data-json" in a and tag not in ("td", "th"):
            self.stack.append([tag, a["data-json"], ""])
        elif self.stack:
            self.stack.append([tag, None, ""])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav = False
        if tag == "code" and self.cell is not None:
            self.cell["text"] += "`"
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(self.cell)
            if self.cell["pointer"]:
                self.pointed.append((self.cell["text"], self.cell["pointer"]))
            self.cell = None
        if tag == "figure":
            self.figure = None
        if tag == "figcaption":
            self.in_caption = False
        if self.stack:
            t, pointer, text = self.stack.pop()
            if pointer:
                self.pointed.append((text, pointer))
            if self.stack:
                self.stack[-1][2] += text

    def handle_data(self, d):
        if self.cell is not None:
            self.cell["text"] += d
            self.cell["raw"] += d
        if self.stack:
            self.stack[-1][2] += d
        if self.in_caption and self.figure:
            self.figures[self.figure]["caption"] += d


p = Page()
p.feed(page)
unescape = html.parser.unescape if hasattr(html.parser, "unescape") else __import__("html").unescape

def only_of(command):
    """The sections a `tcx reproduce` command's --only names ([] without one)."""
    words = shlex.split(command)
    for i, w in enumerate(words):
        if w == "--only" and i + 1 < len(words):
            return words[i + 1].split(",")
        if w.startswith("--only="):
            return w[len("--only="):].split(",")
    return []


# Structure: sections in order, each in the contents, every contents link has its target.
want = (["summary"] if data["summary"] else []) + expected_sections + ["time"]
if [s for s in p.sections if s] != want:
    bad.append(f"html sections {p.sections}, want {want}")
for s in want:
    if s not in p.toc:
        bad.append(f"html contents lacks #{s}")
for target in p.toc:
    if target not in p.ids:
        bad.append(f"html contents link #{target} has no target")
    if target != "summary" and f'<a id="{target}"></a>' not in md:
        bad.append(f"report.md lacks the anchor {target}")
    if target not in ("summary", "time") and f"](#{target})" not in md:
        bad.append(f"report.md contents lacks #{target}")
if [s["id"] for s in data["sections"]] != expected_sections:
    bad.append(f"data.json sections {[s['id'] for s in data['sections']]}")
for i, s in enumerate(data["sections"]):
    if not (isinstance(s["seconds"], (int, float)) and s["seconds"] >= 0):
        bad.append(f"section {s['id']}: no time")
    m = re.search(r'<section id="%s">.*?<div class="smeta"><span>tcx ([^<]+)</span><span>([0-9.]+) s</span>.*?<code>([^<]+)</code>' % s["id"], page, re.S)
    if not m:
        bad.append(f"section {s['id']}: no version, time and command line")
    elif m.group(1) != data["tcx_version"] or not same(m.group(2), s["seconds"]) or unescape(m.group(3)) != s["command"]:
        bad.append(f"section {s['id']}: header {m.groups()} differs from data.json")
    if not s["command"].startswith("tcx reproduce") or s["id"] not in only_of(s["command"]):
        bad.append(f"section {s['id']}: command {s['command']}")
    if f"## {i + 1}. {s['title']}" not in md or s["command"] not in md:
        bad.append(f"report.md lacks section {s['id']} or its command")

# Figures: in the HTML with drawn panels and a caption naming data and command; as SVG files.
figures = [f for s in expected_sections for f in figures_of[s]]
if sorted(p.figures) != sorted(figures):
    bad.append(f"html figures {sorted(p.figures)}, want {sorted(figures)}")
for f in figures:
    info = p.figures.get(f, {"svg": 0, "paths": 0, "caption": ""})
    if info["svg"] < 1 or info["paths"] < 10:
        bad.append(f"figure {f}: {info['svg']} svg, {info['paths']} paths")
    if not re.search(r"Data: \w", info["caption"]) or "tcx reproduce" not in info["caption"]:
        bad.append(f"figure {f}: caption lacks its data source or command: {info['caption'][:80]}")
    path = os.path.join(out, f + ".svg")
    try:
        root = ET.parse(path).getroot()
        paths = root.findall(".//{http://www.w3.org/2000/svg}path")
        texts = root.findall(".//{http://www.w3.org/2000/svg}text")
        if len(paths) < 10 or len(texts) < 5 or not root.get("width"):
            bad.append(f"{f}.svg: {len(paths)} paths, {len(texts)} texts")
        # End labels: in each panel the column of labels right of the plot never overlaps itself.
        for g in root.findall("{http://www.w3.org/2000/svg}g"):
            col = [t for t in g.findall("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") is None and t.get("font-size") in ("12.5", "11")]
            if not col:
                continue
            x = max(float(t.get("x")) for t in col)
            ys = sorted(float(t.get("y")) for t in col if float(t.get("x")) == x)
            if any(b - a < 10.5 for a, b in zip(ys, ys[1:])):
                bad.append(f"{f}.svg: end labels overlap at y {ys}")
    except (OSError, ET.ParseError) as e:
        bad.append(f"{f}.svg: {e}")
    if f"]({f}.svg)" not in md:
        bad.append(f"report.md does not show {f}.svg")
# The frontier's depth figure, recomputed from the cells: the smallest depth whose cell has as few
# gates as the deepest one (a circuit there); settled when the deepest is proven minimal and every
# shallower depth is proven to need more (proven minimal with more gates, none, or open above it).
if "frontier" in expected_sections:
    def depth_of_fewest(cells):
        last = cells[-1]
        if last["status"] not in ("proven_minimal", "found"):
            return None
        k = last["gates"]
        d = next(c["depth"] for c in cells if c["status"] in ("proven_minimal", "found") and c["gates"] <= k)
        more = all(c["status"] == "none" or (c["status"] == "proven_minimal" and c["gates"] > k) or
                   (c["status"] == "unknown" and c["gates"] >= k) for c in cells[:d - 1])
        return {"depth": d, "settled": last["status"] == "proven_minimal" and more}
    rows = [r for t in data["frontier"]["tasks"] for r in t["rows"]]
    for r in rows:
        if r.get("depth_of_fewest", "absent") != depth_of_fewest(r["cells"]):
            bad.append(f"frontier row {r}: depth_of_fewest {r.get('depth_of_fewest')} != {depth_of_fewest(r['cells'])}")
    if not any(r["depth_of_fewest"] for r in rows):
        bad.append("frontier: no row with a depth of its fewest gates")
    # The long runs: each built-in circuit right on every input checked, no larger than its file
    # says, and the lower bound rerun here never above the recorded one (nor contradicted by it).
    runs = data["frontier"].get("long_runs", [])
    examples = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "frontier")
    want = sorted("examples/frontier/" + f for f in os.listdir(examples) if f.endswith(".tc"))
    if sorted(lr["file"] for lr in runs) != want:
        bad.append(f"frontier: long runs {[lr['file'] for lr in runs]}, want every circuit of examples/frontier: {want}")
    for lr in runs:
        size = int(re.search(r"_(\d+)gates\.tc$", lr["file"]).group(1))
        if not (lr["correct"] and lr["verdict"] == "right" and lr["gates"] <= size and lr["circuit_depth"] <= lr["depth"]):
            bad.append(f"frontier long run {lr['file']}: {lr}")
        if not (1 <= lr["at_least_rerun"] <= lr["at_least_recorded"] <= lr["gates"]):
            bad.append(f"frontier long run {lr['file']}: bounds {lr['at_least_rerun']}, {lr['at_least_recorded']}, {lr['gates']}")
        if lr["cell"] != f"{lr['at_least_recorded']}..{lr['gates']}" or lr["inputs_checked"] < 512:
            bad.append(f"frontier long run {lr['file']}: cell {lr['cell']}, {lr['inputs_checked']} inputs checked")
    # The word problems' natural circuits: S_3's and A_4's depth the same from n = 2 on (the solvable
    # groups' constant-depth circuit), S_4's and D_30's each one number too, and A_5's and S_5's 2 ceil(log2 n) + 3
    # (a balanced tree of compositions).
    nat = data["frontier"].get("natural_word_circuits", [])
    if len(nat) < 6 or [r["n"] for r in nat] != list(range(1, len(nat) + 1)):
        bad.append(f"frontier: natural word circuits for n = {[r.get('n') for r in nat]}")
    elif len({r[g]["depth"] for r in nat[1:] for g in ("word_s3", "word_a4")}) != 1 or len(
            {r["word_s4"]["depth"] for r in nat[1:]}) != 1 or len({r["word_dihedral"]["depth"] for r in nat[1:]}) != 1 or any(
            r[g]["depth"] != 2 * (r["n"] - 1).bit_length() + 3 for g in ("word_a5", "word_s5") for r in nat):
        bad.append(f"frontier: natural word circuits' depths {[(r['word_s3']['depth'], r['word_a5']['depth']) for r in nat]}")
# Every regenerate command printed (data.json, report.md, report.html) names only sections tcx
# knows, never verification alone (refused: it lists the others' checks), and verification's
# names every section whose checks it lists: all of this report's.
printed = {s["command"] for s in data["sections"]} | {data["command"]}
printed |= set(re.findall(r"tcx reproduce[^`|\n]*", md))
printed |= {unescape(c) for c in re.findall(r"<code>(tcx reproduce[^<]*)</code>", page)}
printed = {c.strip() for c in printed}
for command in sorted(printed):
    ids = only_of(command)
    if any(i not in all_sections for i in ids) or (ids and set(ids) == {"verification"}):
        bad.append(f"printed command tcx refuses: {command}")
    if "verification" in ids and set(ids) != set(expected_sections):
        bad.append(f"verification's command does not name the sections whose checks it lists: {command}")
if len(printed) < len(expected_sections):
    bad.append(f"only {len(printed)} regenerate commands found")

if re.search(r"https?://(?!www\.w3\.org/2000/svg)", page) or re.search(r"<(script|link|img)[^>]+(src|href)=", page):
    bad.append("report.html refers to something outside itself")

# Numbers: every cell that shows a value names it in data.json, and equals it.
checked = 0
for text, pointer in p.pointed:
    try:
        value = resolve(pointer)
    except (KeyError, IndexError, ValueError):
        bad.append(f"data-json {pointer} does not resolve")
        continue
    if not same(text.strip(), value):
        bad.append(f"{pointer}: shown '{text.strip()}', data.json has {value!r}")
    checked += 1
for t in p.tables:
    for row in t:
        for c in row:
            if c["tag"] == "td" and NUMBER.match(c["text"].strip()) and not c["pointer"]:
                bad.append(f"a number without its data-json: {c['text']}")
            if "`" in c["raw"]:  # a command in a cell is <code>, not markdown's backticks
                bad.append(f"a table cell shows a literal backtick: {c['raw'][:80]}")
if checked < 200 and "models" in expected_sections:
    bad.append(f"only {checked} values checked against data.json")

# report.md shows the same tables, cell for cell.
md_tables, cur = [], None
for line in md.splitlines():
    if line.startswith("|"):
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if cur is None:
            cur = [cells]
            md_tables.append(cur)
        elif not all(re.fullmatch(r"-+:?", c) for c in cells):
            cur.append(cells)
    else:
        cur = None
html_tables = [[[c["text"].strip() for c in row] for row in t] for t in p.tables]
if len(md_tables) != len(html_tables):
    bad.append(f"report.md has {len(md_tables)} tables, report.html {len(html_tables)}")
for i, (a, b) in enumerate(zip(md_tables, html_tables)):
    if a != b:
        diff = next(((r, x, y) for r, (x, y) in enumerate(zip(a, b)) if x != y), (len(a), len(a), len(b)))
        bad.append(f"table {i}: report.md and report.html differ at row {diff[0]}: {diff[1]} vs {diff[2]}")

# The summary: each verdict is its section's, and the sentence counts them.
for row in data["summary"]:
    if resolve(row["source"]) != row["verdict"]:
        bad.append(f"summary {row['family']}: {row['verdict']} vs {resolve(row['source'])}")
counts = {k: sum(r["verdict"] == k for r in data["summary"]) for k in ("constant", "logarithmic", "linear")}
if data["summary"]:
    sentence = f"{counts['constant']} of {len(data['summary'])} families keep a constant depth as n grows"
    if sentence not in md or sentence not in page:
        bad.append(f"summary sentence '{sentence}' missing")

# Every CSV file the sections write (RFC 4180, as Python's csv module reads it): a header, then
# rows of as many fields.
csv_of = {"models": ["models.csv"], "diffusion": ["diffusion.csv", "convergence.csv"], "frontier": ["frontier.csv", "frontier_long_runs.csv"],
          "trained": ["trained.csv"], "verification": ["verification.csv"]}
csv_files = [f for s in expected_sections for f in csv_of[s]]
for name in csv_files:
    try:
        with open(os.path.join(out, name), newline="", encoding="utf-8") as f:
            records = list(csv.reader(f))
    except OSError as e:
        bad.append(f"{name}: {e}")
        continue
    if len(records) < 2:
        bad.append(f"{name}: {len(records)} records")
    for k, r in enumerate(records[1:], 2):
        if len(r) != len(records[0]):
            bad.append(f"{name} record {k}: {len(r)} fields, the header has {len(records[0])}: {r}")
            break
if "trained" in expected_sections:
    rows = list(csv.DictReader(open(os.path.join(out, "trained.csv"), newline="", encoding="utf-8")))
    want = [(r["network"], r["file"], str(r["weights"])) for r in data["trained"]["rows"]]
    if [(r.get("network"), r.get("file"), r.get("weights")) for r in rows] != want:
        bad.append(f"trained.csv {[(r.get('network'), r.get('weights')) for r in rows]}, data.json {want}")

# Independent of data.json: the models table against models.csv, the laws against the fits.
if "models" in expected_sections:
    rows = list(csv.DictReader(open(os.path.join(out, "models.csv"))))
    by_model = {}
    for r in rows:
        by_model.setdefault(r["model"], []).append(r)
    table = next(t for t in html_tables if t and t[0][0] == "model")
    head, compared = table[0], 0
    for r in table[1:]:
        csv_rows = by_model.get(r[0], [])
        for j, col in enumerate(head):
            m = re.match(r"(depth|gates) n=(\d+)", col)
            if m:
                want = [c[m.group(1)] for c in csv_rows if c["n"] == m.group(2)]
                compared += 1
                if [r[j]] != want:
                    bad.append(f"models table {r[0]} {col}: {r[j]}, models.csv {want}")
    if compared < 5 * len(by_model):
        bad.append(f"models table: only {compared} cells compared with models.csv")
    for i, row in enumerate(data["models"]["rows"]):
        fit, law = row["fit"], row["law"]
        kind = fit["depth_kind"]
        if kind == "constant":
            ok = law == f"depth = {fit['constant_depth']}" and all(pt["depth"] == fit["constant_depth"] for pt in row["points"])
        else:
            f = fit["depth_log_fit" if kind == "logarithmic" else "depth_linear_fit"]
            m = re.fullmatch(r"depth \u2248 (\d+\.\d\d)\u00b7(log\u2082n|n)(?: ([+\u2212]) (\d+\.\d\d))?", law)
            ok = bool(m) and (m.group(2) == "n") == (kind == "linear")
            if ok:
                b = (float(m.group(4)) * (-1 if m.group(3) == "\u2212" else 1)) if m.group(4) else 0.0
                ok = abs(float(m.group(1)) - f["a"]) <= 0.0051 and abs(b - f["b"]) <= 0.0051
            # The law fits the points it was fitted on (within the fit's own residual and rounding).
            for pt in row["points"]:
                x = math.log2(pt["n"]) if kind == "logarithmic" else pt["n"]
                if abs(f["a"] * x + f["b"] - pt["depth"]) > 3 * f["rms_residual"] + 0.5:
                    ok = False
        if not ok:
            bad.append(f"model {row['model']}: law '{law}' does not match its fit {kind}")

# frontier.csv, one record per cell, against data.json: `gates` is a circuit's size and empty when
# there is none (a none cell's number was the budget, which a script read as a 4-gate circuit),
# `at_least` every smaller size refuted, `max_gates` the budget searched.
if "frontier" in expected_sections:
    records = list(csv.DictReader(open(os.path.join(out, "frontier.csv"), newline="", encoding="utf-8")))
    cells = [(t, r, c) for t in data["frontier"]["tasks"] for r in t["rows"] for c in r["cells"]]
    if len(records) != len(cells):
        bad.append(f"frontier.csv: {len(records)} records, data.json {len(cells)} cells")
    for rec, (t, r, c) in zip(records, cells):
        circuit = c["status"] in ("proven_minimal", "found")
        want = {"value": str(r[t["over"]]), "depth": str(c["depth"]), "cell": c["cell"], "status": c["status"],
                "gates": str(c["gates"]) if circuit else "", "at_least": str(c["at_least"]), "max_gates": str(data["frontier"]["max_gates"])}
        got = {k: rec.get(k) for k in want}
        if got != want:
            bad.append(f"frontier.csv {t['task']} {r[t['over']]}: {got}, data.json {want}")
            break
    # Each task's regenerate command asks for what its cells show: --certify when they are marked
    # certified (the report ran with --certify), and the care set of its rows.
    certified = any("certified" in c for _, _, c in cells)
    for t in data["frontier"]["tasks"]:
        words = shlex.split(t["command"])
        if ("--certify" in words) != certified or ("--care" in words) != (t["care"] == "valid"):
            bad.append(f"frontier {t['task']}: regenerate command {t['command']} (cells certified: {certified}, care {t['care']})")
        if f"Regenerate: `{t['command']}`" not in md:
            bad.append(f"report.md does not print frontier {t['task']}'s command {t['command']}")
    if certified and ("--certify" not in data["command"] or not re.search(r"Regenerate: `tcx frontier --task parity [^`]*--layered[^`]*--certify`", md)):
        bad.append(f"--certify missing from the report's command {data['command']} or the layered parity's")

# Verification counts what this run checked: a long run's lower bound that the rerun refuted only
# in part is quoted (neither passed nor failed, never "all" inputs with none checked), and the
# summary line says so.
if "verification" in expected_sections:
    v = data["verification"]
    rows = v["checks"]
    for c in rows:
        if c["result"] not in ("passed", "FAILED", "quoted") or (c["result"] == "quoted") != (c["inputs"] == "quoted"):
            bad.append(f"verification row {c['item']}: inputs {c['inputs']}, result {c['result']}")
        if c["inputs"] == "all" and c["count"] == 0 and c["result"] == "passed":
            bad.append(f"verification row passed on all inputs with none checked: {c['item']}")
    if "frontier" in expected_sections:
        for lr in data["frontier"]["long_runs"]:
            mine = [c for c in rows if c["item"].startswith(f"frontier long run {lr['file']}: the recorded lower bound")]
            full = lr["at_least_rerun"] == lr["at_least_recorded"]
            if len(mine) != 1 or mine[0]["result"] != ("passed" if full else "quoted"):
                bad.append(f"verification of {lr['file']}'s lower bound (rerun {lr['at_least_rerun']}, recorded {lr['at_least_recorded']}): {mine}")
    passed = sum(c["result"] == "passed" for c in rows)
    quoted = sum(c["result"] == "quoted" for c in rows)
    if (v["passed"], v.get("quoted"), v.get("checked"), v["all_passed"]) != (passed, quoted, len(rows) - quoted, passed == len(rows) - quoted):
        bad.append(f"verification counts {v['passed']}, {v.get('quoted')}, {v.get('checked')}, {v['all_passed']}: rows {passed} passed, {quoted} quoted")
    line = f"**{passed} of {len(rows) - quoted} checks passed"
    line += f"; {quoted} recorded lower bound{'s' if quoted > 1 else ''} quoted, not re-checked in full" if quoted else ".**"
    if line not in md:
        bad.append(f"report.md lacks the verification line '{line}'")
    vcsv = list(csv.DictReader(open(os.path.join(out, "verification.csv"), newline="", encoding="utf-8")))
    if [(r["inputs"], r["result"]) for r in vcsv] != [(c["inputs"], c["result"].lower()) for c in rows]:
        bad.append("verification.csv differs from data.json")

if "verification" in expected_sections and not data["verification"]["all_passed"]:
    bad.append("a verification check failed")
for b in bad:
    print("FAIL:", b)
print(f"check_report: {checked} values against data.json, {len(p.tables)} tables, {len(p.figures)} figures, "
      f"{len(csv_files)} CSV files, {len(printed)} commands")
sys.exit(1 if bad else 0)
