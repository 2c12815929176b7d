/*
 * bench_startup.c -- start-up cost of the `entente` binary, run again and
 * again as child processes: `entente --help`, `entente run` of a small
 * scenario (tests/data/dyn/small.yaml: 4 actors, 2 issues, 7 years) and of
 * the built-in one, beside (bench/meson.build)
 *   - entente-dynamic: the same code linked as before the seventh round
 *     (dynamic: libc mapped by the loader, libm, libgomp, cJSON and cairo
 *     loaded on first use; the link that the static binary's sibling
 *     of that name and the sanitizer builds keep),
 *   - entente-libm: the same code linked as before the second round of
 *     start-up work (libm.so.6 loaded and libgomp's constructor run at
 *     start, ELF headers, code and constants in separate mappings, the
 *     CLI's strings merged into the linker's string table); this column
 *     was added with that round,
 *   - entente-shared: the same code linked as before the start-up work
 *     (PIE, every library shared; cairo and MPI already loaded on first use),
 *   - entente-eager: that link with cairo and MPI loaded at start as well,
 *   - the floors: a hello-world linked like entente (dynamic; the least a
 *     dynamically linked process costs on this machine) and the same
 *     linked statically (the cost of exec itself).
 * The binaries take turns, round after round, so that all see the same
 * load; each cell is the median over the rounds of the CPU (user + system
 * of the children) and wall milliseconds per process, with the smallest
 * round's CPU in brackets.  "libs": shared libraries the loader maps
 * besides itself (ldd lines with "=>").  Ratios: the other link's median
 * CPU over entente's.
 *
 * Usage: bench_startup [ROUNDS]   (default 15; --help is run 20 times a
 * round, the small run 4 times, the built-in run twice).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "benchutil.h"

extern char **environ;

enum { NBIN = 7, NCMD = 3, MAXROUNDS = 200 };

static const struct {
  const char *name;
  const char *path;
  int hello; /* a floor: runs --help only */
} bins[NBIN] = {
    {"entente", ENT_ENTENTE_EXE, 0},
    {"entente-dynamic (previous link)", ENT_DYNAMIC_EXE, 0},
    {"entente-libm (libm at start)", ENT_LIBM_EXE, 0},
    {"entente-shared (previous link)", ENT_SHARED_EXE, 0},
    {"entente-eager (cairo, MPI at start)", ENT_EAGER_EXE, 0},
    {"hello, linked like entente", ENT_HELLO_EXE, 1},
    {"hello, static (exec alone)", ENT_HELLO_STATIC_EXE, 1},
};

static const struct {
  const char *name;
  const char *args[5];
  int reps; /* processes per binary and round */
} cmds[NCMD] = {
    {"--help", {"--help", NULL}, 20},
    {"run small", {"run", ENT_SMALL_SCENARIO, "--format", "csv", NULL}, 4},
    {"run built-in", {"run", "--format", "csv", NULL}, 2},
};

static double child_cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
         (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* Run argv n times, output to /dev/null; ms per process into wall, cpu. */
static int time_runs(char *const argv[], int n, double *wall, double *cpu) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = 0;
  double t0 = now(), c0 = child_cpu();
  for (int k = 0; k < n && !rc; k++) {
    pid_t pid;
    int status;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0 ||
        waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
      rc = -1;
  }
  *wall = 1e3 * (now() - t0) / n;
  *cpu = 1e3 * (child_cpu() - c0) / n;
  posix_spawn_file_actions_destroy(&fa);
  return rc;
}

/* Shared libraries the loader maps for exe, besides itself and the vDSO;
 * -1 if ldd cannot tell. */
static int libraries(const char *exe) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "ldd '%s' 2>/dev/null | grep -c '=>'", exe);
  FILE *p = popen(cmd, "r");
  int n = -1;
  if (p) {
    if (fscanf(p, "%d", &n) != 1) n = -1;
    pclose(p);
  }
  return n;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double cpu[NBIN][NCMD][MAXROUNDS], wall[NBIN][NCMD][MAXROUNDS];
static int failed[NBIN][NCMD];

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 15;
  if (rounds < 3) rounds = 3;
  if (rounds > MAXROUNDS) rounds = MAXROUNDS;
  printf("start-up: processes run one after the other, binaries taking turns;\n"
         "ms per process: median of %d rounds (smallest round's CPU)\n",
         rounds);
  print_load("at start");
  for (int r = 0; r < rounds; r++)
    for (int c = 0; c < NCMD; c++)
      for (int b = 0; b < NBIN; b++) {
        if (!bins[b].path[0] || (bins[b].hello && c > 0) || failed[b][c])
          continue;
        char *av[7] = {(char *)bins[b].path};
        for (int k = 0; cmds[c].args[k]; k++) av[k + 1] = (char *)cmds[c].args[k];
        if (time_runs(av, cmds[c].reps, &wall[b][c][r], &cpu[b][c][r]))
          failed[b][c] = 1;
      }

  double med[NBIN][NCMD] = {{0}};
  printf("%-41s", "");
  for (int c = 0; c < NCMD; c++) printf(" | %-21s", cmds[c].name);
  printf("\n%-36s %4s", "binary", "libs");
  for (int c = 0; c < NCMD; c++) printf(" | %7s %7s %5s", "CPU", "(min)", "wall");
  printf("\n");
  for (int b = 0; b < NBIN; b++) {
    printf("%-36s", bins[b].name);
    if (!bins[b].path[0]) {
      printf(" not built (sanitizer or fuzz build)\n");
      continue;
    }
    printf(" %4d", libraries(bins[b].path));
    for (int c = 0; c < NCMD; c++) {
      if (bins[b].hello && c > 0) {
        printf(" | %21s", "");
        continue;
      }
      if (failed[b][c]) {
        printf(" | %21s", "failed to run");
        continue;
      }
      double least = cpu[b][c][0];
      for (int r = 1; r < rounds; r++)
        if (cpu[b][c][r] < least) least = cpu[b][c][r];
      med[b][c] = median(cpu[b][c], rounds);
      printf(" | %7.2f (%5.2f) %5.1f", med[b][c], least,
             median(wall[b][c], rounds));
    }
    printf("\n");
  }
  for (int b = 1; b < NBIN && !bins[b].hello; b++) {
    printf("ratio %s / entente, CPU:", bins[b].name);
    for (int c = 0; c < NCMD; c++)
      if (med[0][c] > 0 && med[b][c] > 0)
        printf("  %s %.2fx", cmds[c].name, med[b][c] / med[0][c]);
    printf("\n");
  }
  print_load("at end");
  return 0;
}
