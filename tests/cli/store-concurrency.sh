#!/bin/sh
# Several processes on one run store at once (docs/store.md, "Several
# processes"): creating it together, writing runs and forecasts together,
# resuming a forecast that another process is computing, reporting and
# listing meanwhile, SIGTERM and kill -9.  Every run must end complete or
# be refused with a clear message, and nothing kept may be lost: every
# forecast's members are exactly 0..done-1.  Prints the figures
# (processes, runs, lost).  Usage: store-concurrency.sh ENTENTE SOURCE_DIR
set -u
E=$1
SRC=$2
D=$SRC/tests/data
TMP=$(mktemp -d)
LONG=
K9=
trap 'kill $LONG $K9 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
S=$D/ensemble/mini-uncertain.yaml
M=$D/struct/mini.yaml
DB=$TMP/s.db
procs=0

# the done count of run $1
done_of() {
  "$E" runs --store "$DB" --format json 2>/dev/null | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["id"] == int(sys.argv[1]): print(r["done"]); break
else: print(0)' "$1"
}

# No sanitizer report, no SQLite constraint message in any error output.
clean_errs() {
  if grep -l -E 'Sanitizer|runtime error|UNIQUE|constraint|already exists' "$TMP"/*.err \
       >/dev/null 2>&1; then
    bad "$1: $(grep -h -E 'Sanitizer|runtime error|UNIQUE|constraint|already exists' "$TMP"/*.err | head -2)"
  else ok; fi
}

# ---------------------------------------------------------------- create at once, many times
# Four processes create a new store together, 30 times over: none may see
# the half-made store of another (a store refused as "another
# application" was a race between reading the application id and the
# tables outside one transaction).
refused=0
for t in $(seq 1 30); do
  rm -f "$TMP/c.db" "$TMP/c.db-wal" "$TMP/c.db-shm"
  pids=""
  for k in 1 2 3 4; do
    "$E" run "$M" --store "$TMP/c.db" --format json >/dev/null 2>>"$TMP/c$k.log" &
    pids="$pids $!"
  done
  for p in $pids; do wait "$p" || refused=$((refused + 1)); done
done
procs=$((procs + 120))
[ $refused -eq 0 ] && ok \
  || bad "creating one store at once: $refused of 120 refused: $(grep -h error "$TMP"/c*.log | head -1)"

# ---------------------------------------------------------------- create and write at once
pids=""
for k in 1 2 3; do
  "$E" run "$M" --store "$DB" --format json >"$TMP/run$k.out" 2>"$TMP/run$k.err" &
  pids="$pids $!"
  "$E" forecast "$S" --runs 30 --seed $k --threads 1 --no-progress --store "$DB" \
    --format json >"$TMP/fc$k.out" 2>"$TMP/fc$k.err" &
  pids="$pids $!"
done
procs=$((procs + 6))
for p in $pids; do
  wait "$p" || bad "a process creating and writing the store failed: $(cat "$TMP"/*.err | grep error | head -2)"
done
clean_errs "creating and writing at once"
"$E" forecast "$S" --runs 30 --seed 2 --threads 1 --format json >"$TMP/ref2.json"
id2=$(sed -n 's/.*kept as run \([0-9]*\) .*/\1/p' "$TMP/fc2.err")
"$E" runs --store "$DB" --show "$id2" | cmp -s - "$TMP/ref2.json" && ok \
  || bad "the stored forecast differs from the same forecast without a store"

# ---------------------------------------------------------------- resume what another process computes
# the id of the long forecast below: one more than the largest so far
# (6 when every process above kept its run)
lid=$(( $("$E" runs --store "$DB" --format json | python3 -c '
import json, sys
print(max([r["id"] for r in json.load(sys.stdin)] or [0]))') + 1 ))
"$E" forecast "$S" --runs 100000 --threads 1 --no-progress --store "$DB" \
  --format json >"$TMP/long.out" 2>"$TMP/long.err" &
LONG=$!
procs=$((procs + 1))
i=0
while [ "$(done_of $lid)" -eq 0 ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i + 1)); done
if [ "$(done_of $lid)" -eq 0 ]; then
  # everything below resumes this forecast: stop here rather than wait
  bad "the long forecast stored no batch"
  echo "store-concurrency: $pass passed, $fail failed (stopped early)"
  exit 1
fi
pids=""
for k in 1 2 3; do
  "$E" forecast --resume --store "$DB" --no-progress >"$TMP/res$k.out" 2>"$TMP/res$k.err" &
  pids="$pids $!"
done
"$E" report --latest --store "$DB" --backtest none --out "$TMP/rep" >"$TMP/rep.out" 2>"$TMP/rep.err" &
pids="$pids $!"
"$E" runs --store "$DB" >"$TMP/runs.out" 2>"$TMP/runs.err" &
pids="$pids $!"
procs=$((procs + 5))
k=0
for p in $pids; do
  k=$((k + 1))
  wait "$p"
  rc=$?
  if [ $k -le 3 ]; then
    if [ $rc -eq 2 ] && grep -q "is being computed by process $LONG on host" "$TMP/res$k.err" \
       && [ ! -s "$TMP/res$k.out" ]; then ok
    else bad "resume of a live forecast: status $rc, $(head -1 "$TMP/res$k.err")"; fi
  elif [ $rc -ne 0 ]; then
    bad "report/runs while a forecast runs: status $rc $(cat "$TMP/rep.err" "$TMP/runs.err" | head -2)"
  else ok; fi
done
grep -q "report.html" "$TMP/rep.out" && ok || bad "report --latest while a forecast runs"
kill -TERM $LONG
wait $LONG
rc=$?
[ $rc -eq 1 ] && ok || bad "SIGTERM: status $rc, expected 1"
"$E" runs --store "$DB" --format json | python3 -c '
import json, sys
r = [x for x in json.load(sys.stdin) if x["id"] == int(sys.argv[1])][0]
assert r["status"] == "interrupted", r' $lid && ok || bad "SIGTERM did not mark the forecast interrupted"
clean_errs "resume of a live forecast"

# ---------------------------------------------------------------- three resumes at once
d0=$(done_of $lid)
pids=""
for k in 1 2 3; do
  "$E" forecast --resume --store "$DB" --threads 1 --no-progress --stop-after $((d0 + 40)) \
    --format json >"$TMP/r3$k.out" 2>"$TMP/r3$k.err" &
  pids="$pids $!"
done
procs=$((procs + 3))
k=0
ran=0
for p in $pids; do
  k=$((k + 1))
  wait "$p"
  rc=$?
  if [ $rc -eq 0 ]; then ran=$((ran + 1)); ok
  elif [ $rc -eq 2 ] && grep -q "is being computed by process" "$TMP/r3$k.err"; then ok
  else bad "concurrent resume: status $rc, $(head -1 "$TMP/r3$k.err")"; fi
done
[ $ran -ge 1 ] && ok || bad "no concurrent resume went ahead"
clean_errs "three resumes at once"

# ---------------------------------------------------------------- kill -9: the lease of a dead process is taken over
"$E" forecast --resume --store "$DB" --threads 1 --no-progress --format json \
  >/dev/null 2>"$TMP/k9.err" &
K9=$!
procs=$((procs + 1))
d1=$(done_of $lid)
i=0
while [ "$(done_of $lid)" -le "$d1" ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i + 1)); done
kill -9 $K9
wait $K9 2>/dev/null
d2=$(done_of $lid)
"$E" forecast --resume --store "$DB" --threads 1 --no-progress --stop-after $((d2 + 10)) \
  --format json >/dev/null 2>"$TMP/after9.err" && ok \
  || bad "resume after kill -9 refused: $(head -1 "$TMP/after9.err")"
procs=$((procs + 1))

# ---------------------------------------------------------------- nothing lost
python3 - "$DB" <<'PY' >"$TMP/figures" && ok || bad "store consistency: $(cat "$TMP/figures")"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
runs = db.execute("select id, kind, status, done, runs, output is not null from runs").fetchall()
lost = 0
for rid, kind, status, done, total, has_out in runs:
    idx = [r[0] for r in db.execute("select idx from members where run_id = ? order by idx", (rid,))]
    if kind == "forecast" and idx != list(range(done)): lost += 1; print("run", rid, "members", len(idx), "done", done)
    if status == "complete" and (not has_out or (kind == "forecast" and done != total)): lost += 1; print("run", rid, "incomplete")
    if status == "running": lost += 1; print("run", rid, "left running")
live = db.execute("select count(*) from leases").fetchone()[0]
if live: lost += 1; print("leases left:", live)
print(len(runs), lost)
sys.exit(1 if lost else 0)
PY
set -- $(tail -1 "$TMP/figures")
echo "store concurrency: $procs processes, $1 runs, lost $2"

echo "store-concurrency: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
