/*
 * render.c -- helpers shared by the renderers (render.h).
 */
#include "output/render.h"

#include <string.h>

ent_status ent_render_flush(ent_strbuf *b, FILE *fp) {
  if (b->failed) {
    ent_strbuf_free(b);
    return ENT_ENOMEM;
  }
  int bad = b->len && fwrite(b->data, 1, b->len, fp) != b->len;
  ent_strbuf_free(b);
  return bad || fflush(fp) ? ENT_EIO : ENT_OK;
}

void ent_render_short(char *buf, size_t size, double v) {
  if (v == 0.0) v = 0.0;
  snprintf(buf, size, "%.4f", v);
  char *dot = strchr(buf, '.');
  if (dot) {
    char *e = buf + strlen(buf) - 1;
    while (e > dot && *e == '0') *e-- = '\0';
    if (e == dot) *e = '\0';
  }
  if (!strcmp(buf, "-0")) strcpy(buf, "0");
}
