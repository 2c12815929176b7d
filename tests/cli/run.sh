#!/bin/sh
# Command-line tests of the entente binary: bad inputs (tests/cli/bad-inputs.txt),
# help texts, exit codes, determinism and the published numbers through the
# JSON interface.  Usage: run.sh ENTENTE SOURCE_DIR
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

# ---------------------------------------------------------------- bad inputs
[ -r "$SRC/tests/cli/bad-inputs.txt" ] || { echo "FAIL: no bad-inputs.txt"; exit 1; }
while IFS='|' read -r cmd want; do
  case "$cmd" in ''|'#'*) continue ;; esac
  cmd=$(echo "$cmd" | sed "s|\$D|$D|g; s/ *$//")
  want=$(echo "$want" | sed 's/^ *//')
  # shellcheck disable=SC2086
  timeout 20 "$E" $cmd >"$TMP/out" 2>"$TMP/err"
  rc=$?
  first=$(head -n 1 "$TMP/err")
  if [ "$rc" -ne 2 ]; then bad "'$cmd' exited $rc, expected 2"; continue; fi
  if ! echo "$first" | grep -Eq '^[^ ]+:[0-9]+:[0-9]+: error: '; then
    bad "'$cmd': first message is not file:line:col: error: ... ($first)"; continue
  fi
  if ! grep -qF -- "$want" "$TMP/err"; then
    bad "'$cmd': message lacks '$want' (got: $first)"; continue
  fi
  if [ -s "$TMP/out" ]; then bad "'$cmd' wrote to stdout"; continue; fi
  if grep -Eq 'Sanitizer|runtime error' "$TMP/err"; then
    bad "'$cmd' reported a sanitizer error"; continue
  fi
  ok
done < "$SRC/tests/cli/bad-inputs.txt"

# ---------------------------------------------------------------- help texts
for c in run eum check scenarios gravity backtest smp; do
  if "$E" $c --help >"$TMP/out" 2>&1 && grep -q "^usage: entente $c" "$TMP/out"; then ok
  else bad "$c --help"; fi
done
if "$E" --help | grep -q "^commands:"; then ok; else bad "entente --help"; fi
"$E" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "entente without command must exit 2"

# ---------------------------------------------------------------- good runs
if "$E" run >"$TMP/run.txt" 2>"$TMP/err" && grep -q "Russia-China" "$TMP/run.txt" \
   && grep -q "relationships in the final round" "$TMP/run.txt"; then ok
else bad "entente run (built-in)"; fi
"$E" run --format json >"$TMP/a.json" && "$E" run --format json >"$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" && ok || bad "run --format json is not deterministic"
"$E" scenarios | grep -q "^russia-china" && ok || bad "scenarios lists russia-china"
"$E" run russia-china --dump >"$TMP/rc.yaml" && "$E" check "$TMP/rc.yaml" >/dev/null \
  && ok || bad "the dumped built-in scenario must pass check"
"$E" check "$D/valid-bom-crlf.yaml" >/dev/null && ok || bad "valid BOM+CRLF yaml"
"$E" eum "$D/valid-bom-crlf.csv" >/dev/null && ok || bad "valid BOM+CRLF csv"

# The published numbers through the JSON interface (expected.md, eum.md s9).
"$E" eum "$D/eum/emissions_bdm1994.csv" --format json >"$TMP/eum.json" || bad "eum json"
python3 - "$TMP/eum.json" "$TMP/a.json" <<'PY' && ok || bad "eum/run JSON content"
import json, sys, math
e = json.load(open(sys.argv[1]))
assert e["actors"][0] == "Netherlands" and len(e["actors"]) == 10
r = {x["round"]: x for x in e["rounds"]}
assert abs(r[1]["median"] - 8.4159323154) < 1e-9, r[1]["median"]
assert abs(r[1]["mean"] - 7.4613143783) < 1e-9
assert abs(r[10]["mean"] - 7.2421309585) < 1e-9
assert abs(r[4]["positions"][1] - 4.8008811406) < 1e-9
assert e["forecast"]["median"] == r[10]["median"]
assert e["forecast"]["converged"] is False
run = json.load(open(sys.argv[2]))
assert run["scenario"]["id"] == "russia-china"
ids = [i["id"] for i in run["issues"]]
assert len(ids) >= 9
for i in run["issues"]:
    f = i["forecast"]
    assert 0 <= f["median"] <= 100 and 0 <= f["mean"] <= 100
    n = len(i["actors"])
    assert len(i["dyads"]) == n * (n - 1)
    assert all(d["relation"] in ("conflict", "compromise", "capitulation",
               "stalemate", "agreement", "none") for d in i["dyads"])
    for rd in i["rounds"]:
        assert all(math.isfinite(p) for p in rd["positions"])
PY
"$E" eum "$D/eum/emissions_bdm1994.csv" --rounds 8 --option capitulation=off \
  --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["rounds"])==9' \
  && ok || bad "--rounds 8 gives rounds 0..8"

# Back-test (docs/backtest.md): persistence from the 2013 data, the
# ex-ante run beside the realised one, bands and coverage, the built-in
# forecast's 2025 error (GACC 2025: 228.105), the same bytes for any
# thread count.
"$E" backtest --format json >"$TMP/bt.json" || bad "backtest json"
"$E" backtest russia-china-2013-uncertain --runs 30 --threads 1 --format json \
  >"$TMP/bt1.json" || bad "backtest --runs"
"$E" backtest russia-china-2013-uncertain --runs 30 --threads 2 --format json \
  >"$TMP/bt2.json" || bad "backtest --runs --threads 2"
cmp -s "$TMP/bt1.json" "$TMP/bt2.json" && ok || bad "backtest bands differ by thread count"
"$E" backtest russia-china-2024 --format json >"$TMP/bt3.json" || bad "backtest russia-china-2024"
python3 - "$TMP/bt.json" "$TMP/bt1.json" "$TMP/bt3.json" <<'PY' && ok || bad "backtest JSON content"
import json, sys
b, u, c = (json.load(open(f)) for f in sys.argv[1:4])
assert b["scenario"] == "russia-china-2013" and b["entity"] == "RUS<->CHN"
assert [y["year"] for y in b["years"]] == list(range(2014, 2025))
s = {x["entity"]: x for x in b["series"]}
assert s["RUS->CHN"]["persistence_start"] == {"year": 2013, "value": 39.66, "from": "base-year data"}
assert b["persistence_start"]["value"] == 89.21
assert b["trend_fit"] == {"from": 2000, "to": 2013} and b["drift_fit"]["from"] == 2000
for k in ("model", "persistence", "drift", "trend"):
    assert k in b["mape"] and k in b["bias"]
assert b["best"] in ("model", "persistence", "drift", "trend", "tie")
assert b["runs"] is None and b["coverage"] is None
assert b["ex_ante"]["inputs"] == "ex-ante" and len(b["ex_ante"]["years"]) == 11
assert any(r.startswith("shock west-2022-export-controls") for r in b["realised_inputs"])
assert u["runs"] == 30 and u["coverage"]["members"] == 30
for y in u["years"] + u["ex_ante"]["years"]:
    assert y["q05"] <= y["q10"] <= y["q50"] <= y["q90"] <= y["q95"]
cov = u["coverage"]["band80"]
assert cov["n"] == 11 and cov["in"] == sum(y["q10"] <= y["actual"] <= y["q90"] for y in u["years"])
assert c["years"][0]["year"] == 2025 and c["years"][0]["actual"] == 228.105
assert len(c["years"]) == 1 and c["years"][0]["persistence"] == 244.81
PY

# eum --threads: a 130-actor table (past the 96 from which a round uses
# more threads) gives the same bytes on 1 and 2 threads; 0 is refused
python3 -c '
import random
r = random.Random(7)
print("actor,capability,position,salience")
for i in range(130):
    print("A%d,%.3f,%.2f,%.1f" % (i, r.uniform(1, 100), r.uniform(0, 100), r.uniform(10, 100)))
' >"$TMP/eum130.csv"
"$E" eum "$TMP/eum130.csv" --rounds 3 --format json >"$TMP/eum130-1.json" \
  && "$E" eum "$TMP/eum130.csv" --rounds 3 --threads 2 --format json >"$TMP/eum130-2.json" \
  && cmp -s "$TMP/eum130-1.json" "$TMP/eum130-2.json" && ok \
  || bad "eum --threads 2 differs from one thread"
"$E" eum "$TMP/eum130.csv" --threads 0 >/dev/null 2>"$TMP/thr.err"
[ $? -eq 2 ] && grep -q "error: --threads must be a whole number in \[1, 64\]" "$TMP/thr.err" \
  && ok || bad "eum --threads 0: $(cat "$TMP/thr.err")"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
