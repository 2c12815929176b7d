/*
 * bench_json.c -- time the printing of a cJSON tree: libcjson's
 * cJSON_Print and cJSON_PrintUnformatted (sprintf "%1.15g", sscanf, then
 * "%1.17g" for every number) beside ent_cjson_text (src/base/
 * cjson_print.c: the same bytes, numbers through num.c), on a synthetic
 * document shaped like a forecast's JSON (issue 15): series objects
 * {variable, entity, unit, years[] {year, n, mean, sd, q05 .. q95,
 * p_up}} with statistics of 15 to 17 significant digits, integers and
 * probabilities that are multiples of 1/1000, seeded (splitmix64).  Each
 * printer repeats for at least 0.3 s of CPU; wall and CPU time per print
 * and the CPU ratio; the bytes are compared and any difference reported.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cjson_print.h"
#include "benchutil.h"

static cJSON *make_doc(size_t series, uint64_t seed) {
  static const char *q[] = {"q05", "q10", "q25", "q50", "q75", "q90", "q95"};
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "scenario", "synthetic \"forecast\"\tdoc");
  cJSON_AddNumberToObject(root, "runs", 1000);
  cJSON *arr = cJSON_AddArrayToObject(root, "series");
  for (size_t s = 0; s < series; s++) {
    cJSON *o = cJSON_CreateObject();
    char name[64];
    snprintf(name, sizeof name, "variable-%zu", s % 37);
    cJSON_AddStringToObject(o, "variable", name);
    snprintf(name, sizeof name, "RUS-CHN/%zu", s);
    cJSON_AddStringToObject(o, "entity", name);
    cJSON_AddStringToObject(o, "unit", s % 3 ? "USD bn" : "index");
    cJSON *years = cJSON_AddArrayToObject(o, "years");
    double level = 10.0 + 990.0 * uniform(&seed);
    for (int y = 2025; y <= 2035; y++) {
      cJSON *p = cJSON_CreateObject();
      cJSON_AddNumberToObject(p, "year", y);
      cJSON_AddNumberToObject(p, "n", 1000);
      level *= 1.0 + 0.05 * (uniform(&seed) - 0.4);
      cJSON_AddNumberToObject(p, "mean", level);
      cJSON_AddNumberToObject(p, "sd", level * 0.1 * uniform(&seed));
      for (int k = 0; k < 7; k++)
        cJSON_AddNumberToObject(p, q[k],
                                level * (0.8 + 0.4 * (k + uniform(&seed)) / 8));
      cJSON_AddNumberToObject(p, "p_up",
                              (double)(splitmix64(&seed) % 1001) / 1000.0);
      cJSON_AddItemToArray(years, p);
    }
    cJSON_AddItemToArray(arr, o);
  }
  return root;
}

/* Seconds of CPU and wall per call of one printer (0: ours). */
static void time_one(const cJSON *doc, int fmt, int lib, double *cpu,
                     double *wall, size_t *bytes) {
  long reps = 0;
  double c0 = cpu_now(), w0 = now();
  do {
    char *t = lib ? (fmt ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc))
                  : ent_cjson_text(doc, fmt);
    if (!t) {
      fprintf(stderr, "bench_json: print failed\n");
      exit(1);
    }
    *bytes = strlen(t);
    if (lib)
      cJSON_free(t);
    else
      ent_free(t);
    reps++;
  } while (cpu_now() - c0 < 0.3);
  *cpu = (cpu_now() - c0) / (double)reps;
  *wall = (now() - w0) / (double)reps;
}

int main(void) {
  print_load("before");
  printf("%8s  %-11s  %10s  %12s  %12s  %12s  %12s  %7s  %s\n", "series",
         "layout", "bytes", "cJSON wall", "cJSON CPU", "ours wall",
         "ours CPU", "ratio", "bytes equal");
  static const size_t sizes[] = {30, 300, 3000};
  int bad = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    cJSON *doc = make_doc(sizes[i], 20261205 + i);
    for (int fmt = 1; fmt >= 0; fmt--) {
      char *a = fmt ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
      char *b = ent_cjson_text(doc, fmt);
      int same = a && b && strcmp(a, b) == 0;
      bad |= !same;
      cJSON_free(a);
      ent_free(b);
      double lc, lw, oc, ow;
      size_t n = 0;
      time_one(doc, fmt, 1, &lc, &lw, &n);
      time_one(doc, fmt, 0, &oc, &ow, &n);
      printf("%8zu  %-11s  %10zu  %9.3f ms  %9.3f ms  %9.3f ms  %9.3f ms  "
             "%7.2f  %s\n",
             sizes[i], fmt ? "formatted" : "unformatted", n, 1e3 * lw,
             1e3 * lc, 1e3 * ow, 1e3 * oc, lc / oc, same ? "yes" : "NO");
    }
    cJSON_Delete(doc);
  }
  print_load("after");
  return bad;
}
