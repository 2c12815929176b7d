#!/bin/sh
# Hostile input (issue 14): bounds on every input, no terminal control from
# input in any text output, honest messages for paths that are not what
# they should be, the run store's latest run and size.  Usage:
# reliability.sh ENTENTE SOURCE_DIR
set -u
E=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
D=$SRC/tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
S=$D/ensemble/mini-uncertain.yaml
M=$D/struct/mini.yaml

# refused: exit 2, first line file:line:col: error: containing $1, nothing
# on stdout; the command is "$@" after $1
expect2() {
  want=$1
  shift
  timeout 60 "$E" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  if [ $rc -eq 2 ] && head -1 "$TMP/err" | grep -Eq '^[^ ]+:[0-9]+:[0-9]+: error: ' \
     && grep -qF -- "$want" "$TMP/err" && [ ! -s "$TMP/out" ]; then ok
  else bad "'$*': status $rc, wanted '$want', got: $(head -1 "$TMP/err")"; fi
}

# A scenario with $1 as a title (a YAML double-quoted text) and n actors on
# one issue of model $2 with A0's capability $3.
scenario() {
  python3 - "$@" <<'PY'
import sys
title, model, n, cap = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
print('scenario: {id: t, title: "%s"}' % title)
print("actors:")
for i in range(n):
    print("  - {id: A%d, name: Actor %d, capability: %s}" % (i, i, cap if i == 0 else "10"))
print("issues:")
print("  - id: q\n    question: Q?\n    scale: {min: 0, max: 100}\n    model: %s\n    positions:" % model)
for i in range(n):
    print("      A%d: {position: %d, salience: 50}" % (i, (i * 37) % 101))
PY
}

# ---------------------------------------------------------------- input bounds (1, 8, 11)
python3 -c "n=16000;print('scenario: {id: t, title: T}');print('actors: '+'['*n+']'*n)" >"$TMP/deep.yaml"
expect2 "nested more than 64 deep" check "$TMP/deep.yaml"
printf 'scenario: {id: t, title: T}\nactors: !!str 10\n' >"$TMP/tag.yaml"
expect2 "YAML tags" check "$TMP/tag.yaml"
printf 'scenario: {id: t, title: T}\nextends: /etc/passwd\n' >"$TMP/ext.yaml"
expect2 "does not end in .yaml" check "$TMP/ext.yaml"
scenario T smp 251 10 >"$TMP/smp251.yaml"
expect2 "takes at most 250 actors, not 251" check "$TMP/smp251.yaml"
expect2 "takes at most 250 actors, not 251" run "$TMP/smp251.yaml"
scenario T smp 5 1e9 >"$TMP/cap.yaml"
expect2 "capability 1e+09 of actor 'A0' is above its limit" check "$TMP/cap.yaml"
expect2 "capability 1e+09 of actor 'A0' is above its limit" run "$TMP/cap.yaml"
scenario T eum 501 10 >"$TMP/eum501.yaml"
expect2 "at most 500 are allowed" check "$TMP/eum501.yaml"
python3 -c "
print('actor,capability,position,salience')
for i in range(501): print('A%d,10,%d,50' % (i, i % 100))" >"$TMP/eum501.csv"
expect2 "at most 500 are allowed" eum "$TMP/eum501.csv"
scenario T smp 5 10 >"$TMP/smp5.yaml"
"$E" check "$TMP/smp5.yaml" >/dev/null 2>&1 && ok || bad "a 5-actor smp issue must pass check"

# ---------------------------------------------------------------- terminal controls (10)
# Every text output of every command, fed a title, a name, a CSV field, a
# file name or an argument with a terminal escape or a bidi override: no
# ESC, BEL, C1 or U+202E byte may come out, and the input is refused.
has_controls() {
  python3 - "$@" <<'PY'
import sys
bad = [b"\x1b", b"\x07", b"\xc2\x9b", b"\xe2\x80\xae", b"\xe2\x81\xa6"]
for f in sys.argv[1:]:
    data = open(f, "rb").read()
    if any(b in data for b in bad):
        print(f); sys.exit(0)
sys.exit(1)
PY
}
scenario '\e]0;pwned\a\e[2J' eum 3 10 >"$TMP/esc.yaml"
scenario 'abc \u202E evil' eum 3 10 >"$TMP/bidi.yaml"
scenario 'fine' eum 3 10 | sed 's/name: Actor 1/name: "Actor \\e[31m1"/' >"$TMP/name.yaml"
printf 'actor,capability,position,salience\nA\033[2J,1,2,3\nB,2,3,4\nC,3,4,5\n' >"$TMP/esc.csv"
printf 'actor,capability,position,salience\nA\342\200\256,1,2,3\nB,2,3,4\nC,3,4,5\n' >"$TMP/bidi.csv"
cp "$M" "$TMP/$(printf 'x\033]0;p\007.yaml')"
n=0
for f in esc bidi name; do
  for cmd in check run forecast; do
    n=$((n + 1))
    if [ $cmd = forecast ]; then
      "$E" $cmd "$TMP/$f.yaml" --runs 3 >"$TMP/o$n" 2>"$TMP/e$n"
    else
      "$E" $cmd "$TMP/$f.yaml" >"$TMP/o$n" 2>"$TMP/e$n"
    fi
    [ $? -eq 2 ] && ok || bad "$cmd $f.yaml: not refused"
  done
  n=$((n + 1))
  "$E" compare "$TMP/$f.yaml" "$M" --runs 3 >"$TMP/o$n" 2>"$TMP/e$n"
done
for f in esc bidi; do
  n=$((n + 1))
  "$E" eum "$TMP/$f.csv" >"$TMP/o$n" 2>"$TMP/e$n"
  n=$((n + 1))
  "$E" smp "$TMP/$f.csv" >"$TMP/o$n" 2>"$TMP/e$n"
done
for cmd in check run; do
  n=$((n + 1))
  "$E" $cmd "$TMP"/x*.yaml >"$TMP/o$n" 2>"$TMP/e$n"
done
n=$((n + 1))
"$E" run "$M" --store "$(printf '%s/s\342\200\256.db' "$TMP")" >"$TMP/o$n" 2>"$TMP/e$n"
n=$((n + 1))
"$E" report --json "$TMP/$(printf 'r\033[2J.json')" >"$TMP/o$n" 2>"$TMP/e$n"
# a hostile store: a scenario source with an escape, listed by `runs`
"$E" run "$M" --store "$TMP/h.db" >/dev/null 2>&1
python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute(\"update runs set scenario_id = 'x\x1b]0;p\x07', scenario_source = 'y\u202e'\")
db.commit()" "$TMP/h.db"
n=$((n + 1))
"$E" runs --store "$TMP/h.db" >"$TMP/o$n" 2>"$TMP/e$n"
grep -q 'x\\x1b\]0;p\\x07' "$TMP/o$n" && ok || bad "runs: the escape is not shown escaped"
leak=$(has_controls "$TMP"/o[0-9]* "$TMP"/e[0-9]*) && bad "terminal control in $leak: $(head -c 200 "$leak" | od -c | head -3)" || ok
for k in 1 2 3; do
  grep -Eq "^[^ ]+:[0-9]+:[0-9]+: error: .*(control character \\\\x1b|bidirectional control \\\\u202e)" "$TMP/e$k" \
    && ok || bad "scenario with a terminal control not refused ($k): $(head -1 "$TMP/e$k")"
done
# HTML and SVG stay escaped: a result document whose texts hold markup
"$E" run "$M" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
d["scenario"]["title"] = "<script>alert(1)</script> \u001b[2J"
json.dump(d, sys.stdout)' >"$TMP/hostile.json"
"$E" report --json "$TMP/hostile.json" --backtest none --out "$TMP/hrep" >/dev/null 2>"$TMP/herr" \
  && ! grep -q "<script>alert" "$TMP/hrep/report.html" && ok \
  || bad "report of a document with markup in a title: $(head -1 "$TMP/herr")"

# ---------------------------------------------------------------- honest messages (7, 11)
mkdir "$TMP/dir"
expect2 "Is a directory" check "$TMP/dir"
expect2 "Is a directory" eum "$TMP/dir"
expect2 "is a directory" run "$M" --store "$TMP/dir"
expect2 "needs a value FILE, not an empty text" run "$M" --store ''
expect2 "needs a value FILE, not an empty text" forecast --runs 2 --store=
[ -e "$TMP/dir/entente.db" ] && bad "a store appeared" || ok
start=$(date +%s)
expect2 "is larger than 64 MiB: not a result document" report --json /dev/zero
[ $(( $(date +%s) - start )) -lt 30 ] && ok || bad "report --json /dev/zero took too long"

# ---------------------------------------------------------------- the store: latest, size (5, 11)
"$E" forecast "$S" --runs 300 --threads 1 --store "$TMP/l.db" >/dev/null 2>&1 \
  || bad "forecast --store"
"$E" forecast "$S" --runs 100000 --threads 1 --no-progress --store "$TMP/l.db" \
  >/dev/null 2>&1 &
K=$!
i=0
while [ $i -lt 600 ]; do
  n2=$("$E" runs --store "$TMP/l.db" --format json 2>/dev/null | python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["id"] == 2 and r["done"] > 0))')
  [ "$n2" = 1 ] && break
  sleep 0.2
  i=$((i + 1))
done
kill -9 $K
wait $K 2>/dev/null
"$E" report --latest --store "$TMP/l.db" --backtest none --out "$TMP/lrep" >"$TMP/lout" 2>"$TMP/lerr" \
  && grep -q "report.html" "$TMP/lout" && ok \
  || bad "report --latest after a complete forecast and a killed one: $(head -1 "$TMP/lerr")"
"$E" forecast "$S" --runs 1500 --threads 1 --store "$TMP/v.db" >/dev/null 2>&1 || bad "forecast 1500"
python3 - "$TMP/v.db" <<'PY' && ok || bad "completed store not vacuumed"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
free = db.execute("pragma freelist_count").fetchone()[0]
pages = db.execute("pragma page_count").fetchone()[0]
print("store: %d pages, %d free" % (pages, free))
sys.exit(0 if free * 10 <= pages else 1)
PY

# ---------------------------------------------------------------- stored texts (4, 6)
# a variant stored in one directory, resumed and reported from another:
# the stored base text is used, not the (unreachable) file
mkdir -p "$TMP/vd/sub" "$TMP/other"
cp "$M" "$TMP/vd/sub/base.yaml"
sed 's|extends: ../struct/mini.yaml|extends: base.yaml|' "$S" >"$TMP/vd/sub/var.yaml"
(cd "$TMP/vd" && "$E" forecast sub/var.yaml --runs 40 --seed 3 --threads 1 --format json \
   >"$TMP/vref.json" 2>/dev/null \
 && "$E" forecast sub/var.yaml --runs 40 --seed 3 --threads 1 --no-progress --store s.db \
   --stop-after 10 --format json >/dev/null 2>&1) || bad "variant forecast"
(cd "$TMP/other" && "$E" forecast --resume --store ../vd/s.db --threads 1 --format json \
   >"$TMP/vres.json" 2>"$TMP/verr") && cmp -s "$TMP/vres.json" "$TMP/vref.json" && ok \
  || bad "resume of a variant from another directory: $(head -1 "$TMP/verr")"
# a stored forecast of a user's scenario: its assumptions, no foreign back-test
"$E" forecast "$D/report/small.yaml" --runs 12 --no-progress --store "$TMP/other/sm.db" \
  >/dev/null 2>&1 || bad "forecast small.yaml"
(cd "$TMP/other" && "$E" report --latest --store sm.db --out rs >/dev/null 2>"$TMP/rerr") \
  && grep -q "Russia wants the deal on its terms" "$TMP/other/rs/report.html" \
  && [ -f "$TMP/other/rs/backtest-1.svg" ] && ok \
  || bad "stored report lacks the scenario's assumptions or own back-test: $(head -1 "$TMP/rerr")"
(cd "$TMP/other" && "$E" report 1 --store ../vd/s.db --out rv >/dev/null 2>"$TMP/rerr") \
  && grep -q 'id="assumptions"' "$TMP/other/rv/report.html" \
  && grep -q "No back-test in this report" "$TMP/other/rv/report.html" && ok \
  || bad "stored report of a scenario without history shows a back-test: $(head -1 "$TMP/rerr")"

echo "reliability: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
