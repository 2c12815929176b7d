/*
 * base64.c -- Base64 encoding (base64.h).
 */
#include "base/base64.h"

static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void ent_base64_append(ent_strbuf *b, const unsigned char *p, size_t len) {
  char q[4];
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
    q[0] = B64[v >> 18 & 63];
    q[1] = B64[v >> 12 & 63];
    q[2] = B64[v >> 6 & 63];
    q[3] = B64[v & 63];
    ent_strbuf_append(b, q, 4);
  }
  if (i < len) {
    unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0u);
    q[0] = B64[v >> 18 & 63];
    q[1] = B64[v >> 12 & 63];
    q[2] = i + 1 < len ? B64[v >> 6 & 63] : '=';
    q[3] = '=';
    ent_strbuf_append(b, q, 4);
  }
}
