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

# A directory in the way of report.html: exit 1, no temporary files left.
mkdir -p "$TMP/y/report.html"
"$E" report --json "$TMP/r.json" --out "$TMP/y" >/dev/null 2>"$TMP/err"
[ $? -eq 1 ] && ok || bad "unwritable report.html must exit 1"
ls -A "$TMP/y" | grep -q '^\.' && bad "temporary files left after a failed write" || ok

echo "report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
