#!/bin/sh
# The run store when the disk fills up or the directory is read-only: a
# stored forecast on a small tmpfs must stop with "the disk is full", leave
# the store consistent (members exactly 0..done-1) and resumable, and once
# there is room, resume to the same output as the forecast made in one go.
# Needs root and permission to mount a tmpfs (skipped otherwise, exit 77).
# Prints the figures.  Usage: store-faults.sh ENTENTE SOURCE_DIR
set -u
E=$1
SRC=$2
D=$SRC/tests/data
TMP=$(mktemp -d)
MNT=$TMP/mnt
mkdir "$MNT"
trap 'umount "$MNT" 2>/dev/null; rm -rf "$TMP"' EXIT
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=400k tmpfs "$MNT" 2>/dev/null; then
  echo "store-faults: skipped (needs root and permission to mount a tmpfs)"
  exit 77
fi
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
S=$D/ensemble/mini-uncertain.yaml
N=600

"$E" forecast "$S" --runs $N --seed 5 --threads 1 --format json >"$TMP/ref.json" \
  || bad "reference forecast"

# ---------------------------------------------------------------- the disk fills up
"$E" forecast "$S" --runs $N --seed 5 --threads 1 --no-progress --store "$MNT/s.db" \
  --format json >"$TMP/full.out" 2>"$TMP/full.err"
rc=$?
[ $rc -eq 2 ] && ok || bad "disk full: status $rc, expected 2"
grep -q "the disk is full (No space left on device)" "$TMP/full.err" && ok \
  || bad "disk full: message $(head -1 "$TMP/full.err")"
grep -q -i "input/output error" "$TMP/full.err" && bad "disk full told as an I/O error" || ok
[ -s "$TMP/full.out" ] && bad "disk full: partial output on stdout" || ok
grep -q -E 'Sanitizer|runtime error' "$TMP/full.err" && bad "sanitizer: $(cat "$TMP/full.err")" || ok
"$E" runs --store "$MNT/s.db" >"$TMP/runs.out" 2>"$TMP/runs.err" && ok \
  || bad "runs on a full disk: $(head -1 "$TMP/runs.err")"

check_store() {
  python3 - "$MNT/s.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
(rid, status, done), = db.execute("select id, status, done from runs").fetchall()
idx = [r[0] for r in db.execute("select idx from members where run_id = ? order by idx", (rid,))]
assert idx == list(range(done)), (len(idx), done)
print(status, done)
PY
}
before=$(check_store) && ok || bad "store inconsistent after the disk filled up: $before"
set -- $before
done_full=${2:-0}
[ "${done_full:-0}" -gt 0 ] && [ "$done_full" -lt $N ] && ok \
  || bad "the disk should fill up part way (done $done_full of $N)"
"$E" forecast --resume --store "$MNT/s.db" --no-progress >/dev/null 2>"$TMP/again.err"
[ $? -eq 2 ] && grep -q "the disk is full" "$TMP/again.err" && ok \
  || bad "resume on a full disk: $(head -1 "$TMP/again.err")"

# ---------------------------------------------------------------- room again: resume
mount -o remount,size=64m "$MNT" || bad "remount"
"$E" forecast --resume --store "$MNT/s.db" --threads 1 --no-progress --format json \
  >"$TMP/resumed.json" 2>"$TMP/resumed.err" && ok \
  || bad "resume once there is room: $(head -1 "$TMP/resumed.err")"
cmp -s "$TMP/resumed.json" "$TMP/ref.json" && ok \
  || bad "the resumed forecast differs from the one made in one go"
after=$(check_store) && ok || bad "store inconsistent after resume: $after"
set -- $after
[ "$1" = complete ] && [ "$2" -eq $N ] && ok || bad "not complete after resume: $after"
lost=$((N - ${2:-0}))
echo "store disk full: 1 forecast of $N runs, disk full after $done_full, resumed to ${2:-0}, lost $lost"

# ---------------------------------------------------------------- read-only directory
mount -o remount,ro "$MNT" || bad "remount read-only"
"$E" forecast "$S" --runs 5 --store "$MNT/s.db" >"$TMP/ro.out" 2>"$TMP/ro.err"
rc=$?
[ $rc -eq 2 ] && grep -q "is not writable (Read-only file system)" "$TMP/ro.err" \
  && ! grep -q corrupt "$TMP/ro.err" && ok \
  || bad "read-only directory: status $rc, $(head -1 "$TMP/ro.err")"
"$E" forecast "$S" --runs 5 --store "$MNT/new.db" >/dev/null 2>"$TMP/ro2.err"
grep -q "is not writable (Read-only file system)" "$TMP/ro2.err" && ok \
  || bad "new store in a read-only directory: $(head -1 "$TMP/ro2.err")"

echo "store-faults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
