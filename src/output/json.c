/*
 * json.c -- helpers shared by the JSON renderers (json.h).
 */
#include "output/json.h"

#include <math.h>
#include <string.h>

ent_status ent_json_emit(cJSON *root, FILE *fp) {
  if (!root) return ENT_ENOMEM;
  char *s = cJSON_Print(root);
  cJSON_Delete(root);
  if (!s) return ENT_ENOMEM;
  int bad = fputs(s, fp) < 0 || fputc('\n', fp) == EOF;
  cJSON_free(s);
  return bad || fflush(fp) ? ENT_EIO : ENT_OK;
}

char *ent_json_text(cJSON *root) {
  if (!root) return NULL;
  char *s = cJSON_Print(root);
  cJSON_Delete(root);
  if (!s) return NULL;
  size_t n = strlen(s);
  char *out = ent_malloc(n + 2);
  if (out) {
    memcpy(out, s, n);
    out[n] = '\n';
    out[n + 1] = '\0';
  }
  cJSON_free(s);
  return out;
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
