/*
 * builtin.c -- access to the scenarios compiled into the library.
 */
#include "input/builtin.h"

#include <stdio.h>
#include <string.h>

#include "input/scenario.h"

size_t ent_builtin_count(void) { return ent_builtin_table_size; }

const char *ent_builtin_name(size_t i) {
  return i < ent_builtin_table_size ? ent_builtin_table[i].name : NULL;
}

const char *ent_builtin_title(size_t i) {
  return i < ent_builtin_table_size ? ent_builtin_table[i].title : NULL;
}

static const ent_builtin_entry *find(const char *name) {
  if (!name) name = ENT_BUILTIN_DEFAULT;
  for (size_t i = 0; i < ent_builtin_table_size; i++)
    if (!strcmp(ent_builtin_table[i].name, name)) return &ent_builtin_table[i];
  return NULL;
}

const char *ent_builtin_text(const char *name) {
  const ent_builtin_entry *e = find(name);
  return e ? e->text : NULL;
}

ent_status ent_builtin_load(const char *name, ent_model **out, ent_diag *d) {
  *out = NULL;
  const ent_builtin_entry *e = find(name);
  if (!e) return ENT_ENOTFOUND;
  char label[128];
  snprintf(label, sizeof label, "builtin:%s", e->name);
  return ent_scenario_load_buffer(label, e->text, e->len, out, d);
}
