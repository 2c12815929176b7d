/*
 * json.h -- helpers of the JSON renderers (json_*.c; cJSON).  Only the
 * output layer includes this header: JSON is written in one place.
 */
#ifndef ENT_JSON_H
#define ENT_JSON_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "model/result.h"

/* Print root (cJSON_Print's bytes, tab-indented, through
 * base/cjson_print.h) and a newline to fp, then delete root.  ENT_ENOMEM when root is NULL or printing failed, ENT_EIO when
 * writing or flushing failed. */
ENT_LOCAL ent_status ent_json_emit(cJSON *root, FILE *fp);
/* Write the whole text of b to fp (in one piece: nothing is written when
 * the text could not be made), then free b; ENT_EIO when writing or
 * flushing failed. */
ENT_LOCAL ent_status ent_json_emit_text(ent_strbuf *b, FILE *fp);
/* The same into memory (caller frees with ent_free); NULL on failure. */
ENT_LOCAL char *ent_json_text(cJSON *root);
/* A number, or null when v is not finite (-0 as 0). */
ENT_LOCAL void ent_json_num(cJSON *o, const char *key, double v);
/* A string, or null for NULL. */
ENT_LOCAL void ent_json_str(cJSON *o, const char *key, const char *s);
/* An array of numbers. */
ENT_LOCAL cJSON *ent_json_numbers(const double *v, size_t n);
/* An issue's scale: {min, max, anchors[] {at, label}} (the same object
 * in every document that describes an issue): the object with no anchors,
 * then each anchor in increasing order. */
ENT_LOCAL cJSON *ent_json_scale(double lo, double hi);
ENT_LOCAL void ent_json_anchor(cJSON *scale, double at, const char *label);
/* {n, mean, sd, q05 .. q95} members of o. */
ENT_LOCAL void ent_json_stats(cJSON *o, const ent_result_stats *s);
/* A number in the shortest form that reads back to the same double
 * (ent_fmt_double; cJSON's own printer may lose the last digit). */
ENT_LOCAL cJSON *ent_json_exact(double v);

/* The forecast document as text (json_forecast.c; ent_free). */
ENT_LOCAL char *ent_json_forecast_text(const ent_result *r);

#endif /* ENT_JSON_H */
