/*
 * status.c -- the text of each ent_status (entente.h's ENT_STATUS_LIST).
 */
#include "entente.h"

const char *ent_status_str(ent_status s) {
  switch (s) {
#define ENT_X_CASE(name, value, text) \
  case name:                          \
    return text;
    ENT_STATUS_LIST(ENT_X_CASE)
#undef ENT_X_CASE
  }
  return "unknown status";
}
