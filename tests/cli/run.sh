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

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
