/*
 * json.c -- helpers shared by the JSON renderers (json.h).
 */
#include "output/json.h"

#include "base/cjson_print.h"

#include <math.h>
#include <string.h>

/* root's text (cJSON_Print's bytes) and a newline into b, then root
 * deleted; -1 when root is NULL or printing failed. */
static int json_print(cJSON *root, ent_strbuf *b) {
  if (!root) return -1;
  int bad = ent_cjson_print(b, root, 1);
  cJSON_Delete(root);
  ent_strbuf_append(b, "\n", 1);
  return bad || b->failed ? -1 : 0;
}

ent_status ent_json_emit(cJSON *root, FILE *fp) {
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (json_print(root, &b)) {
    ent_strbuf_free(&b);
    return ENT_ENOMEM;
  }
  return ent_json_emit_text(&b, fp);
}

ent_status ent_json_emit_text(ent_strbuf *b, FILE *fp) {
  int bad = fwrite(b->data, 1, b->len, fp) != b->len;
  ent_strbuf_free(b);
  return bad || fflush(fp) ? ENT_EIO : ENT_OK;
}

char *ent_json_text(cJSON *root) {
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (json_print(root, &b)) {
    ent_strbuf_free(&b);
    return NULL;
  }
  return ent_strbuf_take(&b);
}

void ent_json_num(cJSON *o, const char *k, double v) {
  if (isfinite(v)) cJSON_AddNumberToObject(o, k, v == 0.0 ? 0.0 : v);
  else cJSON_AddNullToObject(o, k);
}

void ent_json_str(cJSON *o, const char *k, const char *s) {
  if (s) cJSON_AddStringToObject(o, k, s);
  else cJSON_AddNullToObject(o, k);
}

cJSON *ent_json_numbers(const double *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < n; i++)
    cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
  return a;
}

cJSON *ent_json_scale(double lo, double hi) {
  cJSON *scale = cJSON_CreateObject();
  cJSON_AddNumberToObject(scale, "min", lo);
  cJSON_AddNumberToObject(scale, "max", hi);
  cJSON_AddArrayToObject(scale, "anchors");
  return scale;
}

void ent_json_anchor(cJSON *scale, double at, const char *label) {
  cJSON *a = cJSON_CreateObject();
  cJSON_AddNumberToObject(a, "at", at);
  cJSON_AddStringToObject(a, "label", label);
  cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(scale, "anchors"), a);
}

void ent_json_stats(cJSON *o, const ent_result_stats *s) {
  cJSON_AddNumberToObject(o, "n", (double)s->n);
  ent_json_num(o, "mean", s->mean);
  ent_json_num(o, "sd", s->sd);
  for (int k = 0; k < ENT_NQ; k++) ent_json_num(o, ent_names_quantile[k], s->q[k]);
}

cJSON *ent_json_exact(double v) {
  char buf[40];
  ent_fmt_double(buf, sizeof buf, v);
  return cJSON_CreateRaw(buf);
}
