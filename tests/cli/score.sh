#!/bin/sh
# `entente score` through the command line (docs/score.md): the project's
# ledger resolves, question by question, to series of its scenarios;
# probabilities are shares of members; scores are byte-identical for any
# thread count.  Usage: score.sh ENTENTE SOURCE_DIR
set -u
E=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
cd "$SRC" || exit 1

# 1. every question of data/ledger.csv names a series of its scenario
#    (an unknown one is exit 2 with its place) and gets a probability
if "$E" score data/ledger.csv --runs 8 --threads 2 --format json \
     >"$TMP/l.json" 2>"$TMP/err"; then ok
else bad "score data/ledger.csv: $(head -3 "$TMP/err")"; fi
python3 - "$TMP/l.json" data/ledger.csv <<'PY' && ok || bad "ledger scores"
import csv, json, sys
d = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(rows) >= 40, len(rows)
qs = d["questions"]
assert [q["id"] for q in qs] == [r["id"] for r in rows]
for q, r in zip(qs, rows):
    assert 0 <= q["probability"] <= 1, q
    # 8 members: a probability is a share of them
    assert abs(q["probability"] * 8 - round(q["probability"] * 8)) < 1e-9, q
    assert q["outcome"] == int(r["outcome"])
fitted = [r for r in rows if int(r["year"]) <= 2019]
assert d["fitted"]["n"] == len(fitted), (d["fitted"]["n"], len(fitted))
assert d["later"]["n"] == len(rows) - len(fitted)
assert d["scores"]["n"] == len(rows)
# hand check of the Brier score from the questions
b = sum((q["probability"] - q["outcome"]) ** 2 for q in qs) / len(qs)
assert abs(b - d["scores"]["brier"]) < 1e-12, (b, d["scores"]["brier"])
PY

# 2. a small ledger on a test scenario: same bytes for 1 and 2 threads
cat >"$TMP/small.csv" <<CSV
id,as_of,question,variable,entity,year,op,threshold,threshold2,outcome,source
w1,$SRC/tests/data/dyn/small-uncertain.yaml,War support above 30 in 2026?,issue_forecast,war-support,2026,>=,30,,0,test
w2,$SRC/tests/data/dyn/small-uncertain.yaml,Trade RUS->CHN between 70 and 90 in 2026?,trade_flow,RUS->CHN,2026,between,70,90,1,test
w3,$SRC/tests/data/dyn/small-relief.yaml,War support above 30 in 2026 after relief?,issue_forecast,war-support,2026,>=,30,,1,test
CSV
"$E" score "$TMP/small.csv" --runs 40 --threads 1 --format json >"$TMP/s1.json" && ok || bad "score threads 1"
"$E" score "$TMP/small.csv" --runs 40 --threads 2 --format json >"$TMP/s2.json" && ok || bad "score threads 2"
cmp -s "$TMP/s1.json" "$TMP/s2.json" && ok || bad "scores differ between 1 and 2 threads"
"$E" score "$TMP/small.csv" --runs 40 --threads 2 >"$TMP/s.txt" && ok || bad "score text"
grep -q 'resolving after 2019 (held out): 3 questions' "$TMP/s.txt" && ok || bad "no held-out summary"

echo "score: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
