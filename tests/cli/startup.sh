#!/bin/sh
# The libraries the entente binary loads, and when (docs/performance.md,
# "Start-up"): it names none of libm, libgomp, cairo, cJSON and MPI as
# needed, and at run time `--help` and `--version` load no shared library
# but libc, a small `run` loads libm (on its first mathematical function)
# and neither libgomp, cairo, cJSON nor MPI, `run --format json` loads
# cJSON and not cairo, a forecast on 2 threads loads the OpenMP runtime
# and gives the same numbers as on 1.  Counts page faults or time
# nowhere: only which libraries.
# Usage: startup.sh ENTENTE SOURCE_DIR
set -u
E=$1
SRC=$2
SMALL=$SRC/tests/data/dyn/small.yaml
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# ------------------------------------------------- what the binary names
if ! readelf -d "$E" >"$TMP/dyn" 2>/dev/null; then
  echo "SKIP: no readelf"
  exit 77
fi
sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' "$TMP/dyn" >"$TMP/needed"
[ -s "$TMP/needed" ] && ok || bad "readelf lists no NEEDED library"
for lib in libm.so libgomp libcairo libcjson libmpi; do
  grep -q "^$lib" "$TMP/needed" && bad "the binary needs $lib at start: $(tr '\n' ' ' <"$TMP/needed")" || ok
done

# ----------------------------------------- what a command loads, in order
# A sanitizer runtime brings libm and more with it: the run-time checks
# are for the plain build.
if grep -Eq '^lib(a|ub|t)san' "$TMP/needed"; then
  echo "startup: $pass passed, $fail failed (run-time checks skipped: sanitizer build)"
  [ "$fail" -eq 0 ]
  exit
fi

# loaded NAME... : the shared objects the loader loaded for the command
# (LD_DEBUG=files), one per line, the loader and the vDSO left out
loaded() {
  LD_DEBUG=files LD_DEBUG_OUTPUT="$TMP/ld" "$E" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  cat "$TMP"/ld.* 2>/dev/null |
    sed -n 's/.*file=\([^ ]*\) \[0\];  \(needed\|dynamically loaded\) by.*/\1/p' |
    sort -u
  rm -f "$TMP"/ld.*
  return $rc
}

for args in "--help" "--version"; do
  # shellcheck disable=SC2086
  libs=$(loaded $args | tr '\n' ' ')
  [ "$libs" = "libc.so.6 " ] && ok || bad "entente $args loads: $libs"
done

libs=$(loaded run "$SMALL" --format csv) || bad "run --format csv failed: $(head -n 1 "$TMP/err")"
[ -s "$TMP/out" ] && ok || bad "run --format csv printed nothing"
echo "$libs" | grep -qx 'libm.so.6' && ok || bad "run --format csv did not load libm: $libs"
for lib in libgomp libcairo libcjson libmpi; do
  echo "$libs" | grep -q "^$lib" && bad "run --format csv loaded $lib" || ok
done

libs=$(loaded run "$SMALL" --format json) || bad "run --format json failed: $(head -n 1 "$TMP/err")"
echo "$libs" | grep -q '^libcjson' && ok || bad "run --format json did not load libcjson: $libs"
echo "$libs" | grep -q '^libcairo' && bad "run --format json loaded cairo" || ok

libs=$(loaded forecast "$SMALL" --runs 8 --threads 2 --no-progress --format csv) ||
  bad "forecast --threads 2 failed: $(head -n 1 "$TMP/err")"
cp "$TMP/out" "$TMP/f2"
echo "$libs" | grep -Eq '^lib(g|)omp' ||
  grep -Eq '^lib(g|)omp' "$TMP/needed" && ok ||
  bad "forecast --threads 2 loaded no OpenMP runtime: $libs"
"$E" forecast "$SMALL" --runs 8 --threads 1 --no-progress --format csv >"$TMP/f1" 2>"$TMP/err" ||
  bad "forecast --threads 1 failed: $(head -n 1 "$TMP/err")"
[ -s "$TMP/f1" ] && cmp -s "$TMP/f1" "$TMP/f2" && ok ||
  bad "forecast: 1 and 2 threads differ"

echo "startup: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
