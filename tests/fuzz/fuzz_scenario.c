/*
 * fuzz_scenario.c -- libFuzzer target for the YAML scenario loader.  Any
 * input must either load into a valid model (which is then run for a few
 * rounds) or be refused with at least one diagnostic; never crash, leak or
 * hang.
 */
#include <stdint.h>
#include <stdlib.h>

#include "entente.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  ent_status st = ent_scenario_load_buffer("fuzz.yaml", (const char *)data,
                                           size, &m, d);
  if (st == ENT_OK) {
    ent_run_opts *o = ent_run_opts_create();
    ent_run_opts_set(o, "rounds=3", "fuzz", d);
    ent_run *r = NULL;
    if (ent_run_create(m, o, &r, d) == ENT_OK) {
      FILE *null = fopen("/dev/null", "w");
      ent_run_write(r, ENT_FORMAT_JSON, null);
      ent_run_write(r, ENT_FORMAT_TEXT, null);
      fclose(null);
    }
    ent_run_destroy(r);
    ent_run_opts_destroy(o);
  } else if (st == ENT_EINPUT && ent_diag_errors(d) == 0) {
    abort(); /* refused without saying why */
  }
  ent_model_destroy(m);
  ent_diag_destroy(d);
  return 0;
}
