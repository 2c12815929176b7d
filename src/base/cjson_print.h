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

#include "base/util.h"

/* Appends the text of item (formatted as cJSON_Print when formatted != 0,
 * else as cJSON_PrintUnformatted) to b.  0, or -1 when the tree cannot be
 * printed or memory ran out (b->failed); b then holds a partial text. */
ENT_LOCAL int ent_cjson_print(ent_strbuf *b, const cJSON *item, int formatted);

/* The text alone, NUL-terminated (ent_free); NULL on failure. */
ENT_LOCAL char *ent_cjson_text(const cJSON *item, int formatted);

#endif /* ENT_CJSON_PRINT_H */
