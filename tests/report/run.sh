#!/bin/sh
# Tests of `entente report` (docs/report.md): the report of a forecast, of
# a single run and of a stored forecast; well-formed SVG and PNG files;
# byte-identical output for the same input; bad input exits 2 with
# file:line:col and leaves no file behind.  Usage: run.sh ENTENTE SOURCE_DIR
set -u
E=$1
SRC=$2
D=$SRC/tests/data/report
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

"$E" report --help | grep -q "^usage: entente report" && ok || bad "report --help"

# ------------------------------------------------- a forecast, a run
"$E" forecast "$D/small.yaml" --runs 30 --seed 5 --threads 1 --no-progress \
  --format json >"$TMP/f.json" 2>"$TMP/err" || bad "forecast of small.yaml: $(cat "$TMP/err")"
if "$E" report --json "$TMP/f.json" --scenario "$D/small.yaml" --out "$TMP/a" \
     >"$TMP/out" 2>"$TMP/err"; then ok; else bad "report of a forecast: $(cat "$TMP/err")"; fi
grep -q "report.html" "$TMP/out" && ok || bad "report names report.html on stdout"
"$E" report --json "$TMP/f.json" --scenario "$D/small.yaml" --out "$TMP/b" >/dev/null 2>&1
same=1
for f in "$TMP"/a/*; do cmp -s "$f" "$TMP/b/$(basename "$f")" || same=0; done
[ "$same" = 1 ] && ok || bad "the same forecast gave different report files"
"$E" run "$D/small.yaml" --format json >"$TMP/r.json"
"$E" report --json - --out "$TMP/c" <"$TMP/r.json" >/dev/null 2>"$TMP/err" \
  && ok || bad "report of a run from stdin: $(cat "$TMP/err")"
grep -q "a single run" "$TMP/c/report.html" && ok || bad "run report says 'a single run'"
"$E" report --json "$D/forecast.json" --scenario "$D/small.yaml" --backtest none \
  --out "$TMP/d" >/dev/null 2>"$TMP/err" && ok || bad "report of the fixture: $(cat "$TMP/err")"
grep -q "No back-test in this report" "$TMP/d/report.html" && ok || bad "--backtest none"

python3 - "$TMP/a" "$TMP/c" "$TMP/d" <<'PY' && ok || bad "report files"
import glob, os, sys, xml.etree.ElementTree as ET
for d in sys.argv[1:]:
    svgs = sorted(glob.glob(os.path.join(d, "*.svg")))
    pngs = sorted(glob.glob(os.path.join(d, "*.png")))
    assert svgs and len(svgs) == len(pngs), (d, len(svgs), len(pngs))
    html = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    assert html.count('<figure class="chart"') == len(svgs), d
    for s in svgs:
        root = ET.parse(s).getroot()          # well-formed XML
        ns = "{http://www.w3.org/2000/svg}"
        assert root.tag == ns + "svg", s
        assert root.find(ns + "title").text, s
        assert root.find(ns + "desc").text, s
        assert os.path.exists(s[:-4] + ".png"), s
    for p in pngs:
        assert open(p, "rb").read(8) == b"\x89PNG\r\n\x1a\n", p
    assert not glob.glob(os.path.join(d, ".*")), "temporary files left in " + d
    for want in ("fan-trade_flow", "hist-pipeline", "hist-compliance", "relations"):
        assert os.path.exists(os.path.join(d, want + ".svg")), (d, want)
    assert "http://" not in html.replace("http://www.w3.org", "")
a = sys.argv[1]
assert os.path.exists(os.path.join(a, "tornado-1.svg"))
assert os.path.exists(os.path.join(a, "backtest-1.svg"))
html = open(os.path.join(a, "report.html"), encoding="utf-8").read()
for s in ('id="headline"', 'id="assumptions"', "Russia wants the deal on its terms",
          "the pipeline the issue decides", "triangular(3, mode 4, 6)", "30 runs", "seed 5"):
    assert s in html, s
PY

# ------------------------------------------------- the run store
"$E" forecast "$D/small.yaml" --runs 12 --no-progress --store "$TMP/s.db" \
  >/dev/null 2>"$TMP/err" || bad "forecast --store: $(cat "$TMP/err")"
if "$E" report --latest --store "$TMP/s.db" --scenario "$D/small.yaml" --out "$TMP/st" \
     >/dev/null 2>"$TMP/err" && [ -f "$TMP/st/report.html" ]; then ok
else bad "report --latest from a store: $(cat "$TMP/err")"; fi
"$E" report 1 --store "$TMP/s.db" --scenario "$D/small.yaml" --out "$TMP/st1" >/dev/null 2>&1
cmp -s "$TMP/st/report.html" "$TMP/st1/report.html" && ok || bad "report 1 differs from --latest"
grep -q "run store" "$TMP/st/report.html" && ok || bad "stored report names the store run"

# ------------------------------------------------- bad input: exit 2, no files
expect2() { # description, args...
  what=$1
  shift
  "$E" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  if [ "$rc" -ne 2 ]; then bad "$what: exit $rc, expected 2"; return; fi
  if ! head -n 1 "$TMP/err" | grep -Eq '^[^ ]+:[0-9]+:[0-9]+: error: '; then
    bad "$what: not file:line:col: error: ($(head -n 1 "$TMP/err"))"; return
  fi
  [ -s "$TMP/out" ] && { bad "$what: wrote to stdout"; return; }
  ok
}
expect2 "malformed JSON" report --json "$D/bad-syntax.json" --out "$TMP/x"
grep -q "bad-syntax.json:4:24: error: malformed JSON" "$TMP/err" && ok \
  || bad "malformed JSON position: $(head -n 1 "$TMP/err")"
[ -e "$TMP/x" ] && bad "a bad document left $TMP/x" || ok
expect2 "quantiles out of order" report --json "$D/bad-quantiles.json" --out "$TMP/x"
grep -q "bad-quantiles.json:9:5: error: series\[1\]" "$TMP/err" && ok \
  || bad "quantiles position: $(head -n 1 "$TMP/err")"
expect2 "scenario mismatch" report --json "$TMP/f.json" --scenario russia-china --out "$TMP/x"
expect2 "missing file" report --json "$TMP/none.json"
expect2 "no run named" report
expect2 "RUN with --json" report 3 --json "$TMP/f.json"
expect2 "bad RUN" report abc --store "$TMP/s.db"
expect2 "no such run" report 99 --store "$TMP/s.db"
expect2 "no such store" report --latest --store "$TMP/none.db"
[ -e "$TMP/x" ] && bad "a failed report left $TMP/x" || ok

# ------------------------------------------------- the score report
# a small ledger on the test scenarios (as_of relative to the ledger's
# folder): report.html, the calibration chart, the per-question table
L=$D/ledger-small.csv
"$E" score "$L" --runs 40 --seed 3 --threads 1 --fit-until 2022 --format json \
  --report "$TMP/sc1" >"$TMP/sc1.json" 2>"$TMP/err" && ok \
  || bad "score --report: $(cat "$TMP/err")"
"$E" score "$L" --runs 40 --seed 3 --threads 2 --fit-until 2022 --format json \
  >"$TMP/sc0.json" 2>/dev/null
cmp -s "$TMP/sc0.json" "$TMP/sc1.json" && ok || bad "--report changed the JSON output"
"$E" score "$L" --runs 40 --seed 3 --threads 2 --fit-until 2022 \
  --report "$TMP/sc2" >"$TMP/sc2.txt" 2>/dev/null && ok || bad "score --report (2 threads)"
same=1
for f in "$TMP"/sc1/*; do cmp -s "$f" "$TMP/sc2/$(basename "$f")" || same=0; done
[ "$same" = 1 ] && ok || bad "score report differs between 1 and 2 threads"
python3 - "$TMP/sc1" "$TMP/sc1.json" "$L" "$TMP/sc2.txt" <<'PY' && ok || bad "score report files"
import csv, glob, os, re, sys, xml.etree.ElementTree as ET
d, js, ledger, txt = sys.argv[1:5]
import json
doc = json.load(open(js))
rows = list(csv.DictReader(open(ledger, newline="")))
assert sorted(os.listdir(d)) == ["calibration.png", "calibration.svg", "report.html"], os.listdir(d)
assert open(os.path.join(d, "calibration.png"), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(os.path.join(d, "calibration.svg")).getroot()
assert root.tag == ns + "svg"
desc = root.find(ns + "desc").text
assert "Reliability diagram of %d questions" % len(rows) in desc, desc
# the desc lists every bin of the JSON's reliability, in order
bins = re.findall(r"(\d+)%-(\d+)%: (\d+) questions?(?:, mean probability "
                  r"([0-9]+\.[0-9]+), observed ([0-9]+\.[0-9]+))?", desc)
rel = doc["reliability"]
assert len(bins) == len(rel) == 10, (len(bins), desc)
for b, r in zip(bins, rel):
    assert int(b[0]) == round(100 * r["from"]) and int(b[1]) == round(100 * r["to"]), (b, r)
    assert int(b[2]) == r["n"], (b, r)
    if r["n"]:
        assert abs(float(b[3]) - r["mean_probability"]) < 5e-4, (b, r)
        assert abs(float(b[4]) - r["observed"]) < 5e-4, (b, r)
assert sum(r["n"] for r in rel) == len(rows)
html = open(os.path.join(d, "report.html"), encoding="utf-8").read()
assert html.count('<figure class="chart"') == 1
assert 'data-chart="calibration"' in html and "data:image/svg+xml;base64," in html
assert "http://" not in html.replace("http://www.w3.org", "")
for s in ('id="scores-all"', 'id="scores-fitted"', 'id="scores-later"',
          'id="calibration-bins"', "resolving by 2022 (the fit)",
          "40 runs per scenario", "seed 3"):
    assert s in html, s
# the verdicts in the words of the text output
text = open(txt).read()
for m in re.findall(r"the model (LOSES to \w+|TIES \w+)", text):
    assert "the model " + m in html, m
# one row a question, in the ledger's order, with its outcome and set
body = html.split('id="questions-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
trs = re.findall(r"<tr>(.*?)</tr>", body)
assert len(trs) == len(rows), (len(trs), len(rows))
for tr, r, q in zip(trs, rows, doc["questions"]):
    assert "<code>%s</code>" % r["id"] in tr, (tr, r)
    tds = re.findall(r"<td[^>]*>(.*?)</td>", tr)
    assert tds[-2] == r["outcome"] and tds[-1] == ("fitted" if int(r["year"]) <= 2022 else "later"), tds
    want = "%.0f%%" % (100 * q["probability"])
    assert tds[5] in (want, "&lt;1%", "&gt;99%"), (tds[5], want)
assert "between 70 and 90" in html
PY
# the same report from the JSON document (entente report --json)
"$E" report --json "$TMP/sc1.json" --backtest none --out "$TMP/sc3" >/dev/null \
  2>"$TMP/err" && ok || bad "report --json of a score document: $(cat "$TMP/err")"
cmp -s "$TMP/sc1/calibration.svg" "$TMP/sc3/calibration.svg" && ok \
  || bad "the calibration chart from the JSON differs"
sed -e "s|$TMP/sc1.json|NAME|g" -e "s|$L|NAME|g" "$TMP/sc3/report.html" >"$TMP/h3"
sed -e "s|$TMP/sc1.json|NAME|g" -e "s|$L|NAME|g" "$TMP/sc1/report.html" >"$TMP/h1"
cmp -s "$TMP/h1" "$TMP/h3" && ok || bad "the score report from the JSON differs"
python3 - "$TMP/sc1.json" "$TMP/bad-score.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["questions"][1]["probability"] = 1.5
open(sys.argv[2], "w").write(json.dumps(d, indent=1))
PY
expect2 "a score document with a probability of 1.5" report --json "$TMP/bad-score.json" \
  --backtest none --out "$TMP/scy"
grep -q "error: question 'w26': 'probability' is not in \[0, 1\]" "$TMP/err" && ok \
  || bad "bad score document: $(head -n 1 "$TMP/err")"
[ -e "$TMP/scy" ] && bad "a bad score document left $TMP/scy" || ok
# a bad ledger with --report: exit 2, file:line:col, no report written
printf 'id,as_of,question,variable,entity,year,op,threshold,threshold2,outcome,source\nx,%s,q,issue_forecast,war-support,2026,>=,30,,7,t\n' \
  "$SRC/tests/data/dyn/small-uncertain.yaml" >"$TMP/bad-ledger.csv"
expect2 "bad ledger with --report" score "$TMP/bad-ledger.csv" --runs 4 --report "$TMP/scx"
[ -e "$TMP/scx" ] && bad "a bad ledger left $TMP/scx" || ok

# A directory in the way of report.html: exit 1, no temporary files left.
mkdir -p "$TMP/y/report.html"
"$E" report --json "$TMP/r.json" --out "$TMP/y" >/dev/null 2>"$TMP/err"
[ $? -eq 1 ] && ok || bad "unwritable report.html must exit 1"
ls -A "$TMP/y" | grep -q '^\.' && bad "temporary files left after a failed write" || ok

echo "report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
