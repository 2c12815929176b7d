#!/bin/sh
# The libraries the entente binary loads, and when (docs/performance.md,
# "Start-up" and "Seventh round").  Counts page faults or time nowhere:
# only which libraries.
#
# A static binary (the default build): no program interpreter, not a PIE,
# no dynamic section; `--help`, `--version`, a small `run` and a forecast
# on 2 threads (the same numbers as on 1) open no shared object (strace),
# and `run --format json` libcjson only (with the libc copy it brings);
# cairo is not linked in.  Its dynamically linked sibling entente-dynamic
# is built beside it: the JSON and a 130-actor EUM problem on 1 and 3
# threads (OpenMP entry points: omp_threads.c against libgomp) are the
# same bytes as the sibling's, and so are EUM problems of 2 to 9 actors
# under every profile and the options whose rounds take other paths (the
# static binary's vector lanes against the sibling's one value at a time);
# `report` and `score --report` (charts) and
# any command under mpirun/srun (their environment variables) exec the
# sibling from the binary's own directory, and without one there it stops
# with a message.
#
# A dynamic binary (sanitizer builds, -Dcli_static=false): it names none
# of libm, libgomp, cairo, cJSON and MPI as needed, and at run time
# `--help` and `--version` load no shared library but libc, a small `run`
# loads libm (on its first mathematical function) and neither libgomp,
# cairo, cJSON nor MPI, `run --format json` loads cJSON and not cairo, a
# forecast on 2 threads loads the OpenMP runtime and gives the same
# numbers as on 1.
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

if ! readelf -lh "$E" >"$TMP/phdr" 2>/dev/null; then
  echo "SKIP: no readelf"
  exit 77
fi

# ------------------------------------------------------ the static binary
if ! grep -q 'INTERP' "$TMP/phdr"; then
  grep -q 'Type: *EXEC' "$TMP/phdr" && ok || bad "static binary is not a plain executable (a PIE?)"
  readelf -d "$E" 2>&1 | grep -q 'no dynamic section' && ok ||
    bad "static binary has a dynamic section: $(readelf -d "$E" | grep NEEDED)"
  "$E" --help >"$TMP/out" 2>&1 && grep -q '^usage: entente' "$TMP/out" && ok ||
    bad "--help: $(head -n 1 "$TMP/out")"
  SIB=$(dirname "$E")/entente-dynamic
  # opened NAME... : the shared objects (*.so*) the command opened, one per
  # line (strace: a static binary has no loader to ask)
  opened() {
    strace -f -qq -e trace=open,openat -o "$TMP/trace" "$E" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    sed -n 's/.*"\([^"]*\.so[.0-9]*\)".*= [0-9][0-9]*$/\1/p' "$TMP/trace" |
      sed 's,.*/,,' | sort -u
    return $rc
  }
  if ! command -v strace >/dev/null 2>&1 ||
     ! strace -qq -o /dev/null true 2>/dev/null; then
    echo "NOTE: strace missing or not permitted: which libraries load is not checked"
    opened() { "$E" "$@" >"$TMP/out" 2>"$TMP/err"; }
    nostrace=1
  else
    nostrace=0
  fi
  none() { # none WHAT LIBS
    [ "$nostrace" = 1 ] || [ -z "$2" ] && ok || bad "$1 opened: $(echo $2)"
  }
  for args in "--help" "--version"; do
    # shellcheck disable=SC2086
    libs=$(opened $args) || bad "entente $args failed"
    none "entente $args" "$libs"
  done
  libs=$(opened run "$SMALL" --format csv) || bad "run --format csv failed: $(head -n 1 "$TMP/err")"
  [ -s "$TMP/out" ] && ok || bad "run --format csv printed nothing"
  none "run --format csv" "$libs"
  libs=$(opened run "$SMALL" --format json) || bad "run --format json failed: $(head -n 1 "$TMP/err")"
  cp "$TMP/out" "$TMP/run.json"
  # libcjson and what it brings: the loader and a copy of libc
  cj=$(echo "$libs" | grep -v '^ld-linux\|^libc\.so')
  [ "$nostrace" = 1 ] || [ "$cj" = "libcjson.so.1" ] && ok ||
    bad "run --format json opened: $(echo $libs) (expected libcjson.so.1 and the libc it brings)"
  grep -q '"scenario"' "$TMP/run.json" && ok || bad "run --format json: no document"
  if [ -x "$SIB" ]; then
    "$SIB" run "$SMALL" --format json >"$TMP/sib.json" 2>/dev/null
    cmp -s "$TMP/run.json" "$TMP/sib.json" && ok || bad "run --format json differs from entente-dynamic's"
  fi
  libs=$(opened forecast "$SMALL" --runs 8 --threads 2 --no-progress --format json) ||
    bad "forecast --threads 2 failed: $(head -n 1 "$TMP/err")"
  cp "$TMP/out" "$TMP/f2"
  echo "$libs" | grep -q 'omp\|libm\.' && bad "forecast --threads 2 opened: $(echo $libs)" || ok
  "$E" forecast "$SMALL" --runs 8 --threads 1 --no-progress --format json >"$TMP/f1" 2>"$TMP/err" ||
    bad "forecast --threads 1 failed: $(head -n 1 "$TMP/err")"
  [ -s "$TMP/f1" ] && cmp -s "$TMP/f1" "$TMP/f2" && ok || bad "forecast: 1 and 2 threads differ"
  # cairo is not in the binary: charts are drawn by the sibling
  if command -v nm >/dev/null 2>&1; then
    nm "$E" 2>/dev/null | grep -q ' [TtWw] pixman_image_composite32$\| [TtWw] FcInit$\| [TtWw] cairo_version$' &&
      bad "the static binary links cairo" || ok
  fi
  "$E" report --json "$TMP/f1" --out "$TMP/rep" >/dev/null 2>"$TMP/err" ||
    bad "report failed: $(head -n 1 "$TMP/err")"
  ls "$TMP/rep"/*.png >/dev/null 2>&1 && ls "$TMP/rep"/*.svg >/dev/null 2>&1 && ok ||
    bad "report wrote no PNG or SVG chart"
  # the OpenMP entry points of the static binary (omp_threads.c) against
  # libgomp's (entente-dynamic): a 130-actor EUM problem, past the 96 actors
  # from which a round runs its dynamic loops and sections on threads; 12
  # rounds, regions of 2 and of T threads one after the other on the kept
  # workers (tests/unit/test_omp_threads.c: nested regions and more)
  python3 -c '
import random
r = random.Random(11)
print("actor,capability,position,salience")
for i in range(130):
    print("A%d,%.3f,%.2f,%.1f" % (i, r.uniform(1, 100), r.uniform(0, 100), r.uniform(10, 100)))
' >"$TMP/eum130.csv" 2>/dev/null || echo "NOTE: no python3: the EUM thread check is skipped"
  if [ -s "$TMP/eum130.csv" ] && [ -x "$SIB" ]; then
    "$SIB" eum "$TMP/eum130.csv" --rounds 12 --format json >"$TMP/eum-ref.json"
    for opt in prob=global prob=pair; do
      for t in 1 3 4; do
        "$E" eum "$TMP/eum130.csv" --rounds 12 --threads $t --option $opt --format json >"$TMP/eum.json" 2>&1
        "$SIB" eum "$TMP/eum130.csv" --rounds 12 --threads $t --option $opt --format json >"$TMP/eum-sib.json" 2>&1
        [ -s "$TMP/eum.json" ] && cmp -s "$TMP/eum.json" "$TMP/eum-sib.json" && ok ||
          bad "eum of 130 actors, $opt, $t threads: differs from entente-dynamic's"
      done
    done
    # the workers are kept: 3 threads created for all the regions of 4
    if [ "$nostrace" = 0 ]; then
      strace -f -qq -e trace=clone,clone3 -o "$TMP/clone" "$E" eum "$TMP/eum130.csv" \
        --rounds 12 --threads 4 --format json >/dev/null 2>&1
      nc=$(grep -c 'clone' "$TMP/clone")
      [ "$nc" = 3 ] && ok || bad "eum on 4 threads, 12 rounds: $nc threads created (expected 3)"
    fi
  fi
  # the expected-utility round's vector lanes (src/strategic/eum_vpow.c,
  # eum_rows.c: the static binary on an AVX-512 CPU, up to 8 actors)
  # against the sibling's one value at a time (dynamic: no lanes): tables
  # of 2 to 9 actors, some sharing positions, under the profiles and
  # options whose rounds take other paths
  python3 -c '
import random
r = random.Random(5)
for n in range(2, 10):
    with open("'"$TMP"'/eums%d.csv" % n, "w") as f:
        f.write("actor,capability,position,salience\n")
        pos = [round(r.uniform(0, 100), 1) for _ in range(n)]
        for i in range(n):
            p = pos[r.randrange(i)] if i > 1 and r.random() < 0.3 else pos[i]
            f.write("A%d,%.3f,%.1f,%.1f\n" % (i, r.uniform(1, 100), p, r.uniform(10, 100)))
' 2>/dev/null || echo "NOTE: no python3: the EUM lanes check is skipped"
  if [ -s "$TMP/eums9.csv" ] && [ -x "$SIB" ]; then
    for n in 2 3 4 5 6 7 8 9; do
      for opt in "--profile scholz2011" "--profile paper" "--profile mckibben-sanders" \
                 "--option b_exponent=own" "--option Q=0.7" "--option prob=pair" \
                 "--option risk_norm=own_positions" "--option votes=linear" \
                 "--option capitulation=off --option compromise_select=least_move"; do
        "$E" eum "$TMP/eums$n.csv" --rounds 12 $opt --format json >"$TMP/eum.json" 2>&1
        "$SIB" eum "$TMP/eums$n.csv" --rounds 12 $opt --format json >"$TMP/eum-sib.json" 2>&1
        [ -s "$TMP/eum.json" ] && cmp -s "$TMP/eum.json" "$TMP/eum-sib.json" && ok ||
          bad "eum of $n actors, $opt: differs from entente-dynamic's"
      done
    done
  fi
  if [ -x "$SIB" ]; then
    "$SIB" report --json "$TMP/f1" --out "$TMP/rep-sib" >/dev/null 2>&1
    diff -r "$TMP/rep" "$TMP/rep-sib" >/dev/null && ok || bad "report: charts differ from entente-dynamic's"
    # charts, and anything under mpirun/srun (their variables): the
    # sibling, with the same arguments
    if [ "$nostrace" = 0 ]; then
      strace -f -qq -e trace=execve -o "$TMP/exec" "$E" report --help >"$TMP/out" 2>&1
      grep -q 'execve("[^"]*/entente-dynamic", \[[^]]*"report", "--help"\]' "$TMP/exec" && ok ||
        bad "report: the static binary did not exec entente-dynamic: $(cat "$TMP/exec")"
      strace -f -qq -e trace=execve -o "$TMP/exec" "$E" score --help >"$TMP/out" 2>&1
      grep -q 'execve("[^"]*/entente-dynamic"' "$TMP/exec" && bad "score without --report exec'd the sibling" || ok
      strace -f -qq -e trace=execve -o "$TMP/exec" "$E" score x.csv --report "$TMP/r2" >"$TMP/out" 2>&1
      grep -q 'execve("[^"]*/entente-dynamic", \[[^]]*"--report"' "$TMP/exec" && ok ||
        bad "score --report: the static binary did not exec entente-dynamic: $(cat "$TMP/exec")"
      OMPI_COMM_WORLD_SIZE=1 strace -f -qq -e trace=execve -o "$TMP/exec" "$E" --version >"$TMP/out" 2>&1
      grep -q 'execve("[^"]*/entente-dynamic", \[[^]]*"--version"\]' "$TMP/exec" && ok ||
        bad "under mpirun the static binary did not exec entente-dynamic: $(cat "$TMP/exec")"
      grep -q '^entente ' "$TMP/out" && ok || bad "entente-dynamic --version: $(cat "$TMP/out")"
    fi
    # without its sibling: a message and status 1, nothing else
    mkdir "$TMP/alone" && cp "$E" "$TMP/alone/entente"
    PMI_RANK=0 "$TMP/alone/entente" forecast "$SMALL" --runs 8 >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ $rc -eq 1 ] && [ ! -s "$TMP/out" ] && grep -q 'entente-dynamic' "$TMP/err" && ok ||
      bad "no entente-dynamic beside it (mpirun): status $rc, $(head -n 1 "$TMP/err")"
    "$TMP/alone/entente" report --json "$TMP/f1" --out "$TMP/rep-alone" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    [ $rc -eq 1 ] && [ ! -e "$TMP/rep-alone" ] && grep -q 'entente-dynamic' "$TMP/err" && ok ||
      bad "no entente-dynamic beside it (report): status $rc, $(head -n 1 "$TMP/err")"
  else
    bad "no entente-dynamic beside the static binary"
  fi
  echo "startup (static binary): $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
fi

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
