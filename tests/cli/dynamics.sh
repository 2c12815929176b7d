#!/bin/sh
# The dynamic strategic layer through the command line (docs/dynamics.md):
# lifting the sanctions moves the war question beyond the ensemble's
# noise; a cycle is reported as unsettled, never as a settled forecast;
# same seed -> same bytes for any thread count; no NaN.
# Usage: dynamics.sh ENTENTE SOURCE_DIR
set -u
E=$1
D=$2/tests/data/dyn
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# 1. sanctions relief on a small scenario: war-support moves, marked
if "$E" compare "$D/small-uncertain.yaml" "$D/small-relief.yaml" --runs 200 \
     --seed 7 --format json >"$TMP/cmp.json" 2>"$TMP/err"; then ok
else bad "compare failed: $(cat "$TMP/err")"; fi
python3 - "$TMP/cmp.json" <<'PY' && ok || bad "relief does not move war-support"
import json, sys
d = json.load(open(sys.argv[1]))
h = [x for x in d["headline"] if x["variable"] == "issue_forecast"
     and x["entity"] == "war-support"]
assert h, "no war-support headline"
a, b = h[0]["a"], h[0]["b"]
se = (a["sd"] ** 2 / a["n"] + b["sd"] ** 2 / b["n"]) ** 0.5
diff = b["mean"] - a["mean"]
print("war-support 2026: A %.2f B %.2f diff %.2f se %.3f" % (a["mean"], b["mean"], diff, se))
# lifted sanctions: no pressure pulls Russia toward China's stance, so
# Russia's demand stays high and the forecast is higher
assert diff > 5 and abs(diff) > 4 * se, (diff, se)
cells = [c for c in d["series"] if c["variable"] == "issue_forecast"
         and c["entity"] == "war-support" and c["year"] == 2021]
assert cells and not cells[0]["marked"], "a 2023 relief moved 2021"
PY

# 2. a cycle is reported as such
"$E" run "$D/cycle.yaml" >"$TMP/cycle.txt" 2>"$TMP/err" && ok || bad "run cycle.yaml"
grep -q 'UNSETTLED: over the last' "$TMP/cycle.txt" && ok || bad "no UNSETTLED line"
grep -q 'did not settle in 2026' "$TMP/cycle.txt" && ok || bad "no headline on the cycle"
if grep -q -- '-- stable$' "$TMP/cycle.txt" && \
   ! grep -q 'NOT stable' "$TMP/cycle.txt"; then bad "robustness says stable"; else ok; fi
"$E" run "$D/cycle.yaml" --format json >"$TMP/cycle.json" && ok || bad "run json"
python3 - "$TMP/cycle.json" <<'PY' && ok || bad "cycle JSON"
import json, sys
d = json.load(open(sys.argv[1]))
iss = {i["id"]: i for i in d["issues"]}
w = iss["war-support"]["forecast"]
assert w["settle"]["settled"] is False, w["settle"]
assert w["settle"]["max"] - w["settle"]["min"] > 50
assert iss["war-support"]["robustness"]["stable"] is False
assert iss["pipeline"]["forecast"]["settle"]["settled"] is True
PY

# 3. same seed, any thread count, same bytes; no NaN
"$E" forecast "$D/small-uncertain.yaml" --runs 64 --seed 3 --threads 1 \
  --format json >"$TMP/t1.json" && ok || bad "forecast threads 1"
"$E" forecast "$D/small-uncertain.yaml" --runs 64 --seed 3 --threads 2 \
  --format json >"$TMP/t2.json" && ok || bad "forecast threads 2"
cmp -s "$TMP/t1.json" "$TMP/t2.json" && ok || bad "threads 1 and 2 differ"
if grep -qwiE 'nan|inf|infinity' "$TMP/t1.json" "$TMP/cycle.json" "$TMP/cmp.json"; then
  bad "NaN or Inf in an output"; else ok; fi

echo "dynamics: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
