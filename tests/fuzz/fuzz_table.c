/*
 * fuzz_table.c -- libFuzzer target for the CSV actor-table loader; valid
 * tables are bargained for a few rounds and written out.
 */
#include <stdint.h>
#include <stdlib.h>

#include "entente.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  ent_status st = ent_table_load_buffer("fuzz.csv", (const char *)data, size,
                                        &m, d);
  if (st == ENT_OK) {
    ent_run_opts *o = ent_run_opts_create();
    ent_run_opts_set(o, "rounds=3", "fuzz", d);
    ent_run_opts_set(o, "robustness=off", "fuzz", d);
    ent_run *r = NULL;
    if (ent_run_create(m, o, &r, d) == ENT_OK) {
      FILE *null = fopen("/dev/null", "w");
      ent_run_write_eum(r, ENT_FORMAT_JSON, null);
      fclose(null);
    }
    ent_run_destroy(r);
    ent_run_opts_destroy(o);
  } else if (st == ENT_EINPUT && ent_diag_errors(d) == 0) {
    abort();
  }
  ent_model_destroy(m);
  ent_diag_destroy(d);
  return 0;
}
