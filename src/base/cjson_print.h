/*
 * cjson_print.h -- a printer of cJSON trees that gives exactly the bytes of
 * cJSON 1.7.15's cJSON_Print (formatted) and cJSON_PrintUnformatted, with
 * the numbers through num.c's exact formatters instead of sprintf and
 * sscanf (at 100 forecast members cJSON_Print was 41 % of all the work).
 *
 * The text of a tree, as cJSON prints it:
 *   - null, false, true; a raw item's text as is; a string quoted with
 *     \" \\ \b \f \n \r \t escaped, every other byte below 0x20 as \u00xx
 *     (lower-case hex), every other byte as is ('/' and UTF-8 too); a NULL
 *     string or key as "";
 *   - a number (valuedouble; 1.7.15 does not look at valueint): null when
 *     it is NaN or infinite, else "%1.15g" (-0 as "-0"), unless the double
 *     read back from it differs from valuedouble by more than
 *     max(|a|, |b|) DBL_EPSILON (cJSON's tolerance: a 15-digit text
 *     one or two units in the last place off is kept), then "%1.17g";
 *   - an array: [a, b] formatted ("[]" when empty), [a,b] unformatted;
 *   - an object formatted: "{\n", each member on its own line indented by
 *     one tab a level ("key":<TAB>value, "," before the line end but the
 *     last), then the closing brace indented one tab less ("{\n}" when
 *     empty at the top); unformatted {"key":value,...}.
 * An item of no known type, or a raw item without text, makes the whole
 * print fail (cJSON_Print returns NULL then).
 *
 * tests/unit/test_cjson_print.c compares the bytes with libcjson's own
 * printer on thousands of seeded random trees.
 *
 * A file-format header (docs/hacking.md): not for the computation layers.
 */
#ifndef ENT_CJSON_PRINT_H
#define ENT_CJSON_PRINT_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "base/util.h"

/* Appends the text of item (formatted as cJSON_Print when formatted != 0,
 * else as cJSON_PrintUnformatted) to b.  0, or -1 when the tree cannot be
 * printed or memory ran out (b->failed); b then holds a partial text. */
ENT_LOCAL int ent_cjson_print(ent_strbuf *b, const cJSON *item, int formatted);

/* The text alone, NUL-terminated (ent_free); NULL on failure. */
ENT_LOCAL char *ent_cjson_text(const cJSON *item, int formatted);

/* A document written straight into an ent_strbuf, without a tree: the
 * bytes ent_cjson_print gives for the tree that the same calls, in the same
 * order, would build with cJSON_Add*ToObject and cJSON_AddItemToArray (a
 * number's text depends on its double alone, as above).  key names the
 * member in an object and is ignored in an array and at the top (NULL
 * there).  Calls after a failure do nothing; ent_cjson_w_finish says
 * whether the document is whole.  A number that repeats the previous long number's
 * bits is copied from its text (a statistic's quantiles are often equal).
 * At most ENT_CJSON_W_MAX_DEPTH containers are open at once. */
#define ENT_CJSON_W_MAX_DEPTH 32
typedef struct ent_cjson_w {
  ent_strbuf *b;
  int fmt;          /* cJSON_Print's layout (else cJSON_PrintUnformatted's) */
  int bad;          /* misuse or out of memory */
  int top;          /* the top value is written */
  size_t depth;     /* containers open */
  unsigned char obj[ENT_CJSON_W_MAX_DEPTH];   /* container d is an object */
  unsigned char empty[ENT_CJSON_W_MAX_DEPTH]; /* d has no member yet */
  uint64_t memo_bits; /* the last number remembered, and its text */
  size_t memo_len;
  char memo[48];
} ent_cjson_w;

ENT_LOCAL void ent_cjson_w_init(ent_cjson_w *w, ent_strbuf *b, int formatted);
/* Open an object or an array (closed by ent_cjson_w_end). */
ENT_LOCAL void ent_cjson_w_object(ent_cjson_w *w, const char *key);
ENT_LOCAL void ent_cjson_w_array(ent_cjson_w *w, const char *key);
ENT_LOCAL void ent_cjson_w_end(ent_cjson_w *w);
/* Values: a number (cJSON_CreateNumber's: null when not finite, -0 as
 * "-0"), a string (NULL as ""), true/false, null. */
ENT_LOCAL void ent_cjson_w_number(ent_cjson_w *w, const char *key, double v);
ENT_LOCAL void ent_cjson_w_string(ent_cjson_w *w, const char *key,
                                  const char *s);
ENT_LOCAL void ent_cjson_w_bool(ent_cjson_w *w, const char *key, int v);
ENT_LOCAL void ent_cjson_w_null(ent_cjson_w *w, const char *key);
/* 0 when one whole value was written (every container closed) and memory
 * did not run out; -1 else.  The text is NUL-terminated either way. */
ENT_LOCAL int ent_cjson_w_finish(ent_cjson_w *w);

#endif /* ENT_CJSON_PRINT_H */
