#!/bin/sh
# Command-line tests of forecasts, comparisons and the run store:
# output keys and names, determinism across --threads, resume after
# --stop-after and after Ctrl-C, stores that must be refused and left
# unchanged.  Usage: forecast.sh ENTENTE SOURCE_DIR
set -u
E=$1
SRC=$2
D=$SRC/tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
S=$D/ensemble/mini-uncertain.yaml

for c in forecast compare runs; do
  if "$E" $c --help >"$TMP/out" 2>&1 && grep -q "^usage: entente $c" "$TMP/out"; then ok
  else bad "$c --help"; fi
done
"$E" --help | grep -q "^  forecast" && ok || bad "forecast in entente --help"

# ---------------------------------------------------------------- outputs
"$E" forecast --runs 6 --threads 2 >"$TMP/f.txt" 2>"$TMP/f.err" || bad "forecast (built-in)"
grep -q "russia-china-uncertain" "$TMP/f.txt" && grep -q "issue outcomes in 2035" "$TMP/f.txt" \
  && grep -q "what drives the forecast" "$TMP/f.txt" && ok || bad "forecast text"
[ -s "$TMP/f.err" ] && bad "forecast wrote to stderr: $(head -1 "$TMP/f.err")" || ok
"$E" forecast "$S" --runs 40 --seed 9 --threads 1 --format json >"$TMP/a.json" || bad "json"
"$E" forecast "$S" --runs 40 --seed 9 --threads 2 --format json >"$TMP/b.json" || bad "json 2"
cmp -s "$TMP/a.json" "$TMP/b.json" && ok || bad "--threads 1 and 2 differ (JSON)"
"$E" forecast "$S" --runs 40 --seed 9 --threads 1 --format csv >"$TMP/a.csv"
"$E" forecast "$S" --runs 40 --seed 9 --threads 2 --format csv >"$TMP/b.csv"
cmp -s "$TMP/a.csv" "$TMP/b.csv" && ok || bad "--threads 1 and 2 differ (CSV)"
head -1 "$TMP/a.csv" | grep -qx "section,variable,entity,year,statistic,value" && ok \
  || bad "csv header"
"$E" run "$D/struct/mini.yaml" --format json >"$TMP/run.json"
python3 - "$TMP/a.json" "$TMP/run.json" <<'PY' && ok || bad "forecast JSON keys and names"
import json, sys, math
f = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
assert f["runs"] == 40 and f["seed"] == 9 and f["complete"] is True
keys = {"variable", "entity", "year", "mean", "sd", "q05", "q25", "q50", "q75", "q95"}
for s in f["series"]:
    assert keys <= set(s), s
    assert s["q05"] <= s["q25"] <= s["q50"] <= s["q75"] <= s["q95"]
    assert s["sd"] >= 0 and math.isfinite(s["mean"])
# the same variable x entity x year as `entente run`
fk = {(s["variable"], s["entity"], s["year"]) for s in f["series"]}
rk = {(s["variable"], s["entity"], s["year"]) for s in r["series"]}
assert fk == rk, (len(fk), len(rk))
for i in f["issues"]:
    assert {"id", "outcome", "ranges"} <= set(i)
    assert keys - {"variable", "entity", "year"} <= set(i["outcome"])
    if i["ranges"]:
        assert abs(sum(x["probability"] for x in i["ranges"]) - 1) < 1e-12
assert len(f["uncertain"]) == 17
assert f["sensitivity"]["method"] == "src"
PY

# ---------------------------------------------------------------- compare
"$E" compare russia-china-uncertain sanctions-relief-2027 --runs 4 --threads 2 \
  >"$TMP/c.txt" || bad "compare"
grep -q "B - A" "$TMP/c.txt" && grep -q "differ by more than their noise" "$TMP/c.txt" \
  && ok || bad "compare text"
"$E" compare "$S" "$D/struct/mini.yaml" --runs 20 --format json >"$TMP/c.json" || bad "compare json"
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
assert c["a"]["id"] == "mini-uncertain" and c["b"]["id"] == "mini"
assert c["headline"] and all("marked" in h for h in c["headline"])
assert c["compared"] > 0
' "$TMP/c.json" && ok || bad "compare JSON"

# ---------------------------------------------------------------- store
"$E" forecast "$S" --runs 40 --seed 9 --threads 2 --store "$TMP/s.db" --stop-after 10 \
  --format json >/dev/null 2>"$TMP/s.err" && ok || bad "stored forecast with --stop-after"
grep -q "resume" "$TMP/s.err" && ok || bad "stop message"
"$E" runs --store "$TMP/s.db" | grep -q "interrupted" && ok || bad "runs lists the interrupted forecast"
"$E" forecast --resume --store "$TMP/s.db" --threads 1 --format json >"$TMP/r.json" \
  2>/dev/null && ok || bad "resume"
cmp -s "$TMP/a.json" "$TMP/r.json" && ok || bad "resumed forecast differs from an uninterrupted one"
"$E" runs --store "$TMP/s.db" --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert len(r) == 1 and r[0]["status"] == "complete" and r[0]["done"] == 40
' && ok || bad "runs --format json"
"$E" runs --store "$TMP/s.db" --show 1 | cmp -s - "$TMP/a.json" && ok || bad "runs --show"
"$E" forecast --resume --store "$TMP/s.db" >/dev/null 2>"$TMP/e" ; [ $? -eq 2 ] \
  && grep -q "no unfinished forecast" "$TMP/e" && ok || bad "nothing to resume"
(cd "$TMP" && "$E" run "$D/struct/mini.yaml" --store entente.db >/dev/null 2>&1 \
  && "$E" runs | grep -q " run ") && ok || bad "run --store, runs in the working directory"
# Ctrl-C: stops cleanly, keeps the runs done, exit status 1
"$E" forecast --runs 100000 --threads 2 --store "$TMP/c.db" >"$TMP/int.txt" 2>"$TMP/int.err" &
P=$!
# SIGINT only once the handler is in place: after the first batch is kept
# (a fixed sleep lost the signal on a loaded machine: a background job
# starts with SIGINT ignored, and the forecast then ran all its runs)
i=0
until [ $i -ge 600 ] || "$E" runs --store "$TMP/c.db" --format json 2>/dev/null \
  | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)[0]["done"] > 0 else 1)' 2>/dev/null; do
  sleep 0.5
  i=$((i + 1))
done
kill -INT $P
wait $P
rc=$?
[ $rc -eq 1 ] && grep -q "^INTERRUPTED" "$TMP/int.txt" && grep -q "interrupted after" "$TMP/int.err" \
  && ok || bad "Ctrl-C: status $rc"
"$E" runs --store "$TMP/c.db" | grep -q "interrupted" && ok || bad "Ctrl-C: store not interrupted"
done1=$("$E" runs --store "$TMP/c.db" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["done"])')
"$E" forecast --resume --store "$TMP/c.db" --stop-after $((done1 + 1)) >/dev/null 2>&1 || bad "resume after Ctrl-C"
done2=$("$E" runs --store "$TMP/c.db" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["done"])')
[ "$done2" -gt "$done1" ] && ok || bad "resume after Ctrl-C made no progress ($done1 -> $done2)"
# files that are not stores: refused, exit 2, unchanged
for f in not-a-store.txt foreign.sqlite corrupt-store.sqlite; do
  cp "$D/ensemble/bad/$f" "$TMP/$f"
  "$E" forecast "$S" --runs 3 --store "$TMP/$f" >/dev/null 2>"$TMP/e"
  rc=$?
  if [ $rc -eq 2 ] && cmp -s "$D/ensemble/bad/$f" "$TMP/$f" && ! [ -e "$TMP/$f-wal" ] \
     && grep -q "is not an entente run store" "$TMP/e"; then ok
  else bad "store $f: status $rc, changed or wrong message"; fi
done

echo "cli-forecast: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
