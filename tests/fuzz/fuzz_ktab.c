/*
 * fuzz_ktab.c -- libFuzzer target for KTAB's CSV layout (entente smp):
 * any input loads or is refused with a diagnostic; loaded problems run a
 * few turns.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "entente.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ent_diag *d = ent_diag_create();
  ent_smp_problem *p = NULL;
  ent_status st = ent_smp_load_buffer("fuzz.csv", (const char *)data, size, &p, d);
  if (st == ENT_OK) {
    ent_smp_opts *o = ent_smp_opts_create();
    char why[256];
    if (o && ent_smp_opts_parse(o, "max_turns=4", why, sizeof why) == ENT_OK) {
      ent_smp_run *r = NULL;
      if (ent_smp_run_create(p, o, &r, d) == ENT_OK) {
        FILE *null = fopen("/dev/null", "w");
        ent_smp_run_write(r, ENT_FORMAT_JSON, null);
        fclose(null);
      }
      ent_smp_run_destroy(r);
    }
    ent_smp_opts_destroy(o);
  } else if (st == ENT_EINPUT && ent_diag_errors(d) == 0) {
    abort();
  }
  ent_smp_problem_destroy(p);
  ent_diag_destroy(d);
  return 0;
}
