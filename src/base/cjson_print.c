/*
 * cjson_print.c -- see cjson_print.h.  The tree is walked as cJSON lays it
 * out (child, next, type, valuedouble, valueint, valuestring, string),
 * writing into an ent_strbuf: room is reserved before each piece, then the
 * bytes go straight in.
 *
 * Prefixes: ent_cjson_.
 */
#include "base/cjson_print.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

/* Room for n more bytes at b->data + b->len (and the NUL); NULL when out
 * of memory.  The text is NUL-terminated once, at the end. */
static inline char *room(ent_strbuf *b, size_t n) {
  if (b->len + n < b->cap) return b->data + b->len;
  return ent_strbuf_reserve(b, n) ? NULL : b->data + b->len;
}

/* Advances the text to end, inside the room reserved. */
static inline void advance(ent_strbuf *b, char *end) {
  b->len = (size_t)(end - b->data);
}

static int put(ent_strbuf *b, const char *s, size_t n) {
  char *o = room(b, n);
  if (!o) return -1;
  memcpy(o, s, n);
  advance(b, o + n);
  return 0;
}

static inline int put1(ent_strbuf *b, char c) {
  char *o = room(b, 1);
  if (!o) return -1;
  *o = c;
  advance(b, o + 1);
  return 0;
}

/* Two bytes, or the first alone (the unformatted layout). */
static inline int put2(ent_strbuf *b, char c, char d, int both) {
  char *o = room(b, 2);
  if (!o) return -1;
  o[0] = c;
  o[1] = d;
  advance(b, o + 1 + both);
  return 0;
}

/* s (n bytes) quoted and escaped at o (room for 6 n + 2 bytes); the end. */
static char *escape(char *o, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  *o++ = '"';
  size_t i = 0;
  /* eight bytes at a time while none of them needs escaping (a byte below
   * 0x20, '"' or '\\'; the test may flag a clean word, never miss one) */
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, s + i, 8);
    uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');
    if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((bs - ones) & ~bs)) &
        highs)
      break;
    memcpy(o, &x, 8);
    o += 8;
  }
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      *o++ = (char)c;
      continue;
    }
    *o++ = '\\';
    switch (c) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\b': *o++ = 'b'; break;
    case '\f': *o++ = 'f'; break;
    case '\n': *o++ = 'n'; break;
    case '\r': *o++ = 'r'; break;
    case '\t': *o++ = 't'; break;
    default:
      memcpy(o, "u00", 3);
      o[3] = hex[c >> 4];
      o[4] = hex[c & 15];
      o += 5;
      break;
    }
  }
  *o++ = '"';
  return o;
}

/* An object member's start: depth tabs (formatted), the key quoted and
 * escaped (NULL as ""), ':' and a tab (formatted). */
static int put_key(ent_strbuf *b, const char *key, size_t depth, int fmt) {
  size_t n = key ? strlen(key) : 0;
  if (n > (SIZE_MAX - 12 - depth) / 6) return -1;
  /* every byte could be \u00xx; the tabs are stored eight at a time */
  char *o = room(b, depth + 8 + 6 * n + 4);
  if (!o) return -1;
  if (fmt)
    for (size_t i = 0; i < depth; i += 8) memcpy(o + i, "\t\t\t\t\t\t\t\t", 8);
  if (fmt) o += depth;
  o = escape(o, key ? key : "", n);
  *o++ = ':';
  if (fmt) *o++ = '\t';
  advance(b, o);
  return 0;
}

/* s quoted and escaped (NULL as ""). */
static int put_string(ent_strbuf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n > (SIZE_MAX - 2) / 6) return -1;
  char *o = room(b, 6 * n + 2);
  if (!o) return -1;
  advance(b, escape(o, s ? s : "", n));
  return 0;
}

/* The integer v (|v| < 10^15: "%.15g" prints all its digits) at o, with
 * a '-' when neg (-0 too); the end. */
static char *put_integer(char *o, int neg, uint64_t v) {
  if (neg) *o++ = '-';
  char tmp[20];
  int k = 0;
  do {
    tmp[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (k) *o++ = tmp[--k];
  return o;
}

/* strtod of the n bytes at s (a "%g" text). */
static double read_back(const char *s, int n) {
  double v;
  return ent_num_parse(s, (size_t)n, &v) == 0 ? v : strtod(s, NULL);
}

/* cJSON's test of a 15-digit text that read back as t for x: equal
 * within the larger magnitude times DBL_EPSILON. */
static int close_enough(double t, double x) {
  double big = fabs(t) > fabs(x) ? fabs(t) : fabs(x);
  return fabs(t - x) <= big * DBL_EPSILON;
}

/* Whether cJSON prints x (not an integer below 10^15, finite) with 17
 * digits, decided from s, x's "%.17g" text (n bytes), without printing
 * and reading back the 15-digit text: 1 when its 15-digit text fails
 * cJSON's test (the common case: most of a forecast's statistics need 16
 * or 17 digits), 0 when that text passes it, -1 when undecided.
 *
 * The 15-digit decimal is the 17-digit one rounded at its last two digits
 * -- the same as rounding x itself unless those digits are "50", where x
 * may lie on either side of the half (undecided).  The double that decimal
 * reads back as is q * 10^k or q / 10^-k in double arithmetic, exactly
 * (q < 10^15 < 2^53 and 10^|k| with |k| <= 22 are exact doubles, and one
 * operation rounds correctly: Clinger's fast path); other exponents are
 * undecided.  The 15-digit decimal is q15 10^k15 when decided. */
static int seventeen_stands(const char *s, int n, double x, uint64_t *q15,
                            int *k15) {
  static const double p10[23] = {
      1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  /* s is printf's: [-]digits[.digits][e(+|-)digits], at most 17
   * significant digits (leading zeros add nothing to d) */
  const char *p = s + (*s == '-'), *end = s + n;
  uint64_t d = 0;
  int scale = 0, dot = 0;
  for (; p < end; p++) {
    unsigned c = (unsigned char)*p;
    if (c == '.') {
      dot = 1;
      continue;
    }
    if (c == 'e') break;
    d = d * 10 + (c - '0');
    scale -= dot; /* each digit after the point */
  }
  if (p < end) { /* e(+|-)digits */
    int e = 0, neg = p[1] == '-';
    for (p += 2; p < end; p++) e = e * 10 + (*p - '0');
    scale += neg ? -e : e;
  }
  if (!d) return -1;
  while (d < UINT64_C(10000000000000000)) { /* trailing zeros left out */
    d *= 10;
    scale--;
  }
  uint64_t q = d / 100, r = d % 100;
  int k = scale + 2;
  if (r == 50) return -1;
  if (r > 50 && ++q == UINT64_C(1000000000000000)) {
    q /= 10;
    k++;
  }
  if (k > 22 || k < -22) return -1;
  double t = k >= 0 ? (double)q * p10[k] : (double)q / p10[-k];
  if (signbit(x)) t = -t;
  *q15 = q;
  *k15 = k;
  return !(t == x || close_enough(t, x));
}

/* "%.15g" of the decimal q 10^k (q of 15 digits) at o, with a '-' when
 * neg; the end.  printf's rules: exponent X = k + 14; "%e" style when
 * X < -4 or X >= 15, else "%f"; trailing zeros of the fraction and a
 * point left alone are dropped; at least two exponent digits. */
static char *put_g15(char *o, int neg, uint64_t q, int k) {
  char dg[15];
  for (int i = 14; i >= 0; i--, q /= 10) dg[i] = (char)('0' + q % 10);
  int last = 14; /* the last digit kept */
  while (last > 0 && dg[last] == '0') last--;
  int X = k + 14;
  if (neg) *o++ = '-';
  if (X < -4 || X >= 15) {
    *o++ = dg[0];
    if (last > 0) {
      *o++ = '.';
      memcpy(o, dg + 1, (size_t)last);
      o += last;
    }
    *o++ = 'e';
    *o++ = X < 0 ? '-' : '+';
    int e = X < 0 ? -X : X;
    if (e >= 100) *o++ = (char)('0' + e / 100);
    *o++ = (char)('0' + e / 10 % 10);
    *o++ = (char)('0' + e % 10);
  } else if (X >= 0) {
    memcpy(o, dg, (size_t)X + 1);
    o += X + 1;
    if (last > X) {
      *o++ = '.';
      memcpy(o, dg + X + 1, (size_t)(last - X));
      o += last - X;
    }
  } else {
    *o++ = '0';
    *o++ = '.';
    for (int i = -1; i > X; i--) *o++ = '0';
    memcpy(o, dg, (size_t)last + 1);
    o += last + 1;
  }
  return o;
}

/* "%1.*g" of x at o (room for ENT_NUM_BUF bytes); the length; *rt as in
 * ent_num_g when rt != NULL. */
static int put_g(char *o, double x, int p, int *rt) {
  int n = ent_num_g(o, x, p, rt);
  if (n >= 0) return n;
  n = snprintf(o, ENT_NUM_BUF, "%1.*g", p, x);
  if (rt) *rt = strtod(o, NULL) == x;
  return n;
}

/* cJSON's text of the number x at o (room for ENT_NUM_BUF bytes); the
 * end. */
static char *number_text(char *o, double x) {
  if (isnan(x) || isinf(x)) {
    memcpy(o, "null", 4);
    return o + 4;
  }
  if (fabs(x) < 1e15 && fabs(x) == (double)(uint64_t)fabs(x))
    return put_integer(o, signbit(x) != 0, (uint64_t)fabs(x));
  int n = put_g(o, x, 17, NULL);
  uint64_t q;
  int k;
  int keep17 = seventeen_stands(o, n, x, &q, &k);
  if (keep17 > 0) return o + n;
  if (keep17 == 0) return put_g15(o, signbit(x) != 0, q, k);
  int rt; /* undecided: cJSON's own steps */
  n = put_g(o, x, 15, &rt);
  if (!rt && !close_enough(read_back(o, n), x)) n = put_g(o, x, 17, NULL);
  return o + n;
}

static int put_number(ent_strbuf *b, const cJSON *item) {
  char *o = room(b, ENT_NUM_BUF);
  if (!o) return -1;
  advance(b, number_text(o, item->valuedouble));
  return 0;
}

static int put_value(ent_strbuf *b, const cJSON *item, size_t depth, int fmt);

/* Depth counts the containers open around a member, this one included. */
static int put_array(ent_strbuf *b, const cJSON *a, size_t depth, int fmt) {
  if (put1(b, '[')) return -1;
  for (const cJSON *c = a->child; c; c = c->next) {
    if (put_value(b, c, depth + 1, fmt)) return -1;
    if (c->next && put2(b, ',', ' ', fmt)) return -1;
  }
  return put1(b, ']');
}

static int put_object(ent_strbuf *b, const cJSON *obj, size_t depth,
                      int fmt) {
  depth++;
  if (put2(b, '{', '\n', fmt)) return -1;
  for (const cJSON *c = obj->child; c; c = c->next) {
    if (put_key(b, c->string, depth, fmt) || put_value(b, c, depth, fmt))
      return -1;
    if (c->next ? put2(b, ',', '\n', fmt) : fmt && put1(b, '\n')) return -1;
  }
  char *o = room(b, depth);
  if (!o) return -1;
  if (fmt)
    for (size_t i = 1; i < depth; i++) *o++ = '\t';
  *o++ = '}';
  advance(b, o);
  return 0;
}

static int put_value(ent_strbuf *b, const cJSON *item, size_t depth, int fmt) {
  if (!item) return -1;
  switch (item->type & 0xFF) {
  case cJSON_NULL: return put(b, "null", 4);
  case cJSON_False: return put(b, "false", 5);
  case cJSON_True: return put(b, "true", 4);
  case cJSON_Number: return put_number(b, item);
  case cJSON_Raw:
    return item->valuestring
               ? put(b, item->valuestring, strlen(item->valuestring))
               : -1;
  case cJSON_String: return put_string(b, item->valuestring);
  case cJSON_Array: return put_array(b, item, depth, fmt);
  case cJSON_Object: return put_object(b, item, depth, fmt);
  default: return -1;
  }
}

int ent_cjson_print(ent_strbuf *b, const cJSON *item, int formatted) {
  if (b->failed) return -1;
  int bad = put_value(b, item, 0, formatted != 0) || b->failed;
  if (b->data) b->data[b->len] = '\0';
  return bad ? -1 : 0;
}

char *ent_cjson_text(const cJSON *item, int formatted) {
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (ent_cjson_print(&b, item, formatted)) {
    ent_strbuf_free(&b);
    return NULL;
  }
  return ent_strbuf_take(&b);
}

/* ---- the stream writer (ent_cjson_w) ---- */

void ent_cjson_w_init(ent_cjson_w *w, ent_strbuf *b, int formatted) {
  memset(w, 0, sizeof *w);
  w->b = b;
  w->fmt = formatted != 0;
}

/* Before a value: the separator after the previous member of the open
 * container, then (in an object) the member's tabs, key and ':'.  -1 when
 * the writer already failed or the value has no place. */
static int member(ent_cjson_w *w, const char *key) {
  if (w->bad || w->b->failed) return -1;
  if (!w->depth) {
    if (w->top) return w->bad = 1, -1; /* one value at the top */
    w->top = 1;
    return 0;
  }
  size_t d = w->depth - 1;
  int obj = w->obj[d];
  if (!w->empty[d] &&
      put2(w->b, ',', obj ? '\n' : ' ', w->fmt))
    return -1;
  w->empty[d] = 0;
  return obj ? put_key(w->b, key, w->depth, w->fmt) : 0;
}

static void jw_open(ent_cjson_w *w, const char *key, int obj) {
  if (member(w, key)) return;
  if (w->depth >= ENT_CJSON_W_MAX_DEPTH) {
    w->bad = 1;
    return;
  }
  w->obj[w->depth] = (unsigned char)obj;
  w->empty[w->depth] = 1;
  w->depth++;
  if (obj ? put2(w->b, '{', '\n', w->fmt) : put1(w->b, '[')) w->bad = 1;
}

void ent_cjson_w_object(ent_cjson_w *w, const char *key) { jw_open(w, key, 1); }

void ent_cjson_w_array(ent_cjson_w *w, const char *key) { jw_open(w, key, 0); }

void ent_cjson_w_end(ent_cjson_w *w) {
  if (w->bad || w->b->failed) return;
  if (!w->depth) {
    w->bad = 1;
    return;
  }
  size_t d = --w->depth;
  if (!w->obj[d]) {
    if (put1(w->b, ']')) w->bad = 1;
    return;
  }
  char *o = room(w->b, d + 2);
  if (!o) {
    w->bad = 1;
    return;
  }
  if (w->fmt) {
    if (!w->empty[d]) *o++ = '\n';
    for (size_t i = 0; i < d; i++) *o++ = '\t';
  }
  *o++ = '}';
  advance(w->b, o);
}

void ent_cjson_w_number(ent_cjson_w *w, const char *key, double v) {
  if (member(w, key)) return;
  char *o = room(w->b, ENT_NUM_BUF);
  if (!o) return;
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  if (w->memo_len && bits == w->memo_bits) { /* the same number again */
    memcpy(o, w->memo, w->memo_len);
    advance(w->b, o + w->memo_len);
    return;
  }
  char *end = number_text(o, v);
  size_t n = (size_t)(end - o);
  if (n > 4) { /* worth remembering: not null, not a small integer */
    memcpy(w->memo, o, n);
    w->memo_bits = bits;
    w->memo_len = n;
  }
  advance(w->b, end);
}

void ent_cjson_w_string(ent_cjson_w *w, const char *key, const char *s) {
  if (!member(w, key) && put_string(w->b, s)) w->bad = 1;
}

void ent_cjson_w_bool(ent_cjson_w *w, const char *key, int v) {
  if (!member(w, key) && (v ? put(w->b, "true", 4) : put(w->b, "false", 5)))
    w->bad = 1;
}

void ent_cjson_w_null(ent_cjson_w *w, const char *key) {
  if (!member(w, key) && put(w->b, "null", 4)) w->bad = 1;
}

int ent_cjson_w_finish(ent_cjson_w *w) {
  int bad = w->bad || w->b->failed || w->depth || !w->top;
  if (w->b->data) w->b->data[w->b->len] = '\0';
  return bad ? -1 : 0;
}
