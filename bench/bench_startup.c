/*
 * bench_startup.c -- start-up cost of the `entente` binary: `entente
 * --help` and `entente run` of the built-in scenario, run again and again
 * as child processes, beside `entente-eager` (bench/meson.build): the same
 * code with cairo and MPI loaded at start, as every command did before
 * they were loaded on first use (cairo by `report`, MPI under mpirun).
 * Prints, per command and binary, wall and CPU milliseconds per process
 * (CPU: user + system of the children), the shared libraries each loads
 * and the ratio eager CPU / current CPU, with the load average.
 *
 * Usage: bench_startup [N]   (processes per --help row, default 200; the
 * run rows use N / 10).
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "benchutil.h"

extern char **environ;

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
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
  double t0 = now(), c0 = child_cpu();
  for (int k = 0; k < n; k++) {
    pid_t pid;
    int status;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) return -1;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
      return -1;
  }
  *wall = 1e3 * (now() - t0) / n;
  *cpu = 1e3 * (child_cpu() - c0) / n;
  posix_spawn_file_actions_destroy(&fa);
  return 0;
}

/* Shared libraries the binary loads (ldd lines). */
static int libraries(const char *exe) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "ldd '%s' 2>/dev/null | wc -l", exe);
  FILE *p = popen(cmd, "r");
  int n = -1;
  if (p) {
    if (fscanf(p, "%d", &n) != 1) n = -1;
    pclose(p);
  }
  return n;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  if (n < 10) n = 10;
  static const char cur[] = ENT_ENTENTE_EXE, eager[] = ENT_EAGER_EXE;
  printf("start-up: processes run one after the other, ms per process\n");
  print_load("at start");
  printf("%-28s %5s | %9s %9s %5s | %9s %9s %5s | %6s\n", "command", "procs",
         "wall", "CPU", "libs", "eager wall", "CPU", "libs", "ratio");
  struct {
    const char *name;
    const char *args[4];
    int reps;
  } rows[] = {{"entente --help", {"--help", NULL}, n},
              {"entente run (built-in)", {"run", "--format", "csv", NULL},
               n / 10}};
  int lc = libraries(cur), le = libraries(eager);
  for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
    char *a1[6] = {(char *)cur}, *a2[6] = {(char *)eager};
    for (int k = 0; k < 4 && rows[r].args[k]; k++)
      a1[k + 1] = a2[k + 1] = (char *)rows[r].args[k];
    double w1, c1, w2, c2;
    /* alternate, so that both see the same load */
    if (time_runs(a2, 2, &w2, &c2) || time_runs(a1, rows[r].reps, &w1, &c1) ||
        time_runs(a2, rows[r].reps, &w2, &c2)) {
      printf("%-28s failed to run\n", rows[r].name);
      continue;
    }
    printf("%-28s %5d | %9.2f %9.2f %5d | %9.2f %9.2f %5d | %5.2fx\n",
           rows[r].name, rows[r].reps, w1, c1, lc, w2, c2, le, c2 / c1);
    fflush(stdout);
  }
  print_load("at end");
  return 0;
}
