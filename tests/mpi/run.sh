#!/bin/sh
# MPI tests of `entente forecast`: the same forecast on 1, 2 and 3 ranks
# (and with threads inside ranks) must be byte-identical to one process;
# an interrupted stored forecast resumed on another rank count must equal
# an uninterrupted one.  Usage: run.sh ENTENTE SOURCE_DIR HAVE_MPI MPIRUN
#
# CI runs as root on a 2-core machine: Open MPI's documented settings for
# that (OMPI_ALLOW_RUN_AS_ROOT*, --oversubscribe) are set here only.
set -u
E=$1
SRC=$2
HAVE=$3
MPIRUN=${4:-}
if [ "$HAVE" != yes ] || [ -z "$MPIRUN" ] || ! [ -x "$MPIRUN" ]; then
  echo "NOTE: SKIPPED -- this build has no MPI (Open MPI not found or meson"
  echo "      -Dmpi=disabled), so the 1/2/3-rank determinism tests do not run."
  exit 77
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# no network in CI: shared memory and loopback only
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
# ASan build: Open MPI's own allocations that live until exit are not
# ours; they are suppressed in LeakSanitizer's report by library name, for
# which the stacks must be complete (slow unwinding, deep contexts) and the
# components must stay loaded until the check
export LSAN_OPTIONS="suppressions=$SRC/tests/mpi/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0:malloc_context_size=40"
export OMPI_MCA_mca_component_disable_dlclose=1
D=$SRC/tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
mpi() { n=$1; shift; "$MPIRUN" -n "$n" --oversubscribe "$E" "$@"; }

S=$D/ensemble/mini-uncertain.yaml
"$E" forecast "$S" --runs 60 --seed 3 --threads 1 --format json >"$TMP/ref.json" \
  || bad "one process"
"$E" forecast "$S" --runs 60 --seed 3 --threads 1 --format csv >"$TMP/ref.csv"
for n in 1 2 3; do
  if mpi $n forecast "$S" --runs 60 --seed 3 --threads 1 --format json \
       >"$TMP/r$n.json" 2>"$TMP/r$n.err"; then
    cmp -s "$TMP/ref.json" "$TMP/r$n.json" && ok \
      || bad "$n ranks: JSON differs from one process"
  else
    bad "$n ranks: exit status $?"; cat "$TMP/r$n.err"
  fi
done
mpi 2 forecast "$S" --runs 60 --seed 3 --threads 2 --format csv >"$TMP/t.csv" 2>/dev/null \
  && cmp -s "$TMP/ref.csv" "$TMP/t.csv" && ok || bad "2 ranks x 2 threads: CSV differs"
# the built-in scenario, few runs
"$E" forecast --runs 9 --threads 1 --format json >"$TMP/b1.json"
mpi 3 forecast --runs 9 --threads 1 --format json >"$TMP/b3.json" 2>/dev/null \
  && cmp -s "$TMP/b1.json" "$TMP/b3.json" && ok || bad "built-in: 3 ranks differ"
# stored on 2 ranks, stopped, resumed on 3: the uninterrupted result
mpi 2 forecast "$S" --runs 60 --seed 3 --threads 1 --store "$TMP/s.db" \
  --stop-after 20 --format json >/dev/null 2>&1 || bad "stored forecast on 2 ranks"
mpi 3 forecast --resume --store "$TMP/s.db" --threads 1 --format json \
  >"$TMP/res.json" 2>"$TMP/res.err" || { bad "resume on 3 ranks"; cat "$TMP/res.err"; }
cmp -s "$TMP/ref.json" "$TMP/res.json" && ok || bad "resumed on 3 ranks differs"
# bad input under MPI: every rank stops with status 2, no hang
mpi 2 forecast "$D/ensemble/bad/neg-sd.yaml" --runs 4 >/dev/null 2>"$TMP/e.err"
[ $? -eq 2 ] && grep -q "sd -3 of a normal distribution must be positive" "$TMP/e.err" \
  && ok || bad "bad input on 2 ranks: status or message"
echo "mpi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
