/*
 * builtin.h -- the table of built-in scenarios generated at build time by
 * src/tools/embed.c from the YAML files in src/scenarios/.
 */
#ifndef ENT_BUILTIN_H
#define ENT_BUILTIN_H

#include <stddef.h>

typedef struct ent_builtin_entry {
  const char *name;  /* file base name, e.g. "russia-china" */
  const char *title; /* the scenario's title line */
  const char *text;  /* YAML text, NUL-terminated */
  size_t len;
} ent_builtin_entry;

extern const ent_builtin_entry ent_builtin_table[];
extern const size_t ent_builtin_table_size;

#define ENT_BUILTIN_DEFAULT "russia-china"

#endif /* ENT_BUILTIN_H */
