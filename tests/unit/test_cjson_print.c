/*
 * test_cjson_print.c -- src/base/cjson_print.c against libcjson's own
 * printer (the installed cJSON 1.7.15 is the oracle): ent_cjson_text must
 * give the bytes of cJSON_Print and cJSON_PrintUnformatted, and fail
 * exactly where they return NULL, on hand-made edge cases and on seeded
 * random trees (numbers of every binade: integers, multiples of 0.1,
 * random bits, extremes, values one unit from 15-digit decimals; strings
 * of random bytes with control characters, quotes, backslashes, UTF-8;
 * NULL strings and keys; raw items; empty and deep containers); and the
 * stream writer (ent_cjson_w_*) against cJSON_Print of the tree the same
 * calls build.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "base/cjson_print.h"
#include "testutil.h"

static uint64_t mix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static long n_compared, n_failed;

/* Both layouts of root against libcjson's. */
static void check(const cJSON *root) {
  for (int fmt = 0; fmt < 2; fmt++) {
    char *want = fmt ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
    char *got = ent_cjson_text(root, fmt);
    if (!want != !got || (want && strcmp(want, got) != 0))
      fail_msg("%s print differs:\ncJSON: %s\nours:  %s",
               fmt ? "formatted" : "unformatted", want ? want : "(NULL)",
               got ? got : "(NULL)");
    n_compared++;
    n_failed += !want;
    cJSON_free(want);
    ent_free(got);
  }
}

/* A double of one of many kinds. */
static double random_number(uint64_t *s) {
  uint64_t u = mix(s);
  double x;
  switch (u % 12) {
  case 0: { /* random bits: any finite double (or NaN/inf now and then) */
    uint64_t b = mix(s);
    memcpy(&x, &b, sizeof x);
    return x;
  }
  case 1: /* small integers */
    return (double)((int64_t)(mix(s) % 2001) - 1000);
  case 2: /* integers of any size up to 2^64, either sign */
    x = (double)(mix(s) >> (mix(s) % 64));
    return (mix(s) & 1) ? -x : x;
  case 3: /* multiples of 0.1 .. 1e-8 */
    return (double)((int64_t)(mix(s) % 2000001) - 1000000) *
           pow(10.0, -(double)(1 + mix(s) % 8));
  case 4: /* magnitudes 1e-30 .. 1e30 */
    return ldexp((double)(mix(s) >> 11), -53) *
           pow(10.0, (double)((int)(mix(s) % 61) - 30));
  case 5: { /* around the int range's ends */
    static const double ends[] = {INT_MAX, INT_MIN, (double)INT_MAX + 1,
                                  (double)INT_MIN - 1, 2147483647.5,
                                  -2147483648.5, 4294967296.0};
    x = ends[mix(s) % (sizeof ends / sizeof ends[0])];
    int k = (int)(mix(s) % 3);
    return k == 0 ? x : nextafter(x, k == 1 ? INFINITY : -INFINITY);
  }
  case 6: { /* extremes and specials */
    static const double sp[] = {0.0,      -0.0,     DBL_MAX,  -DBL_MAX,
                                DBL_MIN,  -DBL_MIN, 4.9e-324, -4.9e-324,
                                1e21,     1e22,     1e300,    -1e-300,
                                2.2250738585072009e-308,      9007199254740993.0,
                                9007199254740992.0, 1e15, 1e16, 1e17,
                                123456789012345678.0, 0.1, 1.0 / 3.0};
    return sp[mix(s) % (sizeof sp / sizeof sp[0])];
  }
  case 7: /* subnormals */
    return ldexp((double)(mix(s) >> 12), -1074) * ((mix(s) & 1) ? 1 : -1);
  case 8: { /* a 15-digit decimal, nudged a few units in the last place:
             * where cJSON's tolerance decides */
    char t[32];
    snprintf(t, sizeof t, "%.14e", ldexp((double)(mix(s) >> 11), -53) *
                                       pow(10.0, (double)((int)(mix(s) % 41) - 20)));
    x = strtod(t, NULL);
    for (int k = (int)(mix(s) % 7) - 3; k != 0; k += k > 0 ? -1 : 1)
      x = nextafter(x, k > 0 ? INFINITY : -INFINITY);
    return x;
  }
  case 9: /* near powers of ten and of two */
    x = (mix(s) & 1) ? pow(10.0, (double)((int)(mix(s) % 60) - 30))
                     : ldexp(1.0, (int)(mix(s) % 200) - 100);
    return (mix(s) & 1) ? nextafter(x, 0.0) : nextafter(x, INFINITY);
  case 10: /* probabilities, shares */
    return (double)(mix(s) >> 11) * 0x1p-53;
  default: /* NaN and infinities now and then */
    return (mix(s) % 3 == 0) ? NAN : ((mix(s) & 1) ? INFINITY : -INFINITY);
  }
}

/* A number item; sometimes valueint is set apart from valuedouble (the
 * printer must read both as cJSON does). */
static cJSON *random_number_item(uint64_t *s) {
  double x = random_number(s);
  cJSON *it = cJSON_CreateNumber(isnan(x) ? 0.0 : x);
  if (isnan(x)) it->valuedouble = x; /* (int)NaN is undefined behaviour */
  switch (mix(s) % 8) {
  case 0: /* cJSON_SetNumberValue on an existing item */
    x = random_number(s);
    if (!isnan(x)) cJSON_SetNumberValue(it, x);
    break;
  case 1: /* a stale valueint */
    it->valueint = (int)(mix(s) % 7) - 3;
    break;
  default: break;
  }
  return it;
}

/* A string of random bytes (none NUL): printable text, controls, quotes,
 * backslashes, slashes, UTF-8, bytes >= 0x80 alone. */
static char *random_text(uint64_t *s, char *buf, size_t size) {
  static const char *pieces[] = {"\"", "\\", "/", "\b", "\f", "\n", "\r",
                                 "\t", "\x01", "\x1f", "\x7f", "\xc3\xa9",
                                 "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xff",
                                 "\\u0041", "key", " ", ""};
  size_t n = 0, len = mix(s) % 24;
  for (size_t i = 0; i < len && n + 8 < size; i++) {
    uint64_t u = mix(s);
    if (u % 3 == 0) {
      const char *p = pieces[(u >> 8) % (sizeof pieces / sizeof pieces[0])];
      size_t k = strlen(p);
      memcpy(buf + n, p, k);
      n += k;
    } else if (u % 3 == 1) {
      buf[n++] = (char)(1 + (u >> 8) % 255);
    } else {
      buf[n++] = (char)('a' + (u >> 8) % 26);
    }
  }
  buf[n] = '\0';
  return buf;
}

static cJSON *random_leaf(uint64_t *s) {
  char t[256];
  switch (mix(s) % 10) {
  case 0: return cJSON_CreateNull();
  case 1: return cJSON_CreateBool((int)(mix(s) & 1));
  case 2: {
    cJSON *it = cJSON_CreateString(random_text(s, t, sizeof t));
    if (mix(s) % 16 == 0) { /* a string item without its string */
      cJSON_free(it->valuestring);
      it->valuestring = NULL;
    }
    return it;
  }
  case 3: return cJSON_CreateRaw(random_text(s, t, sizeof t));
  default: return random_number_item(s);
  }
}

/* A random tree below depth; containers of 0..6 items. */
static cJSON *random_tree(uint64_t *s, int depth) {
  uint64_t u = mix(s);
  if (depth <= 0 || u % 3 == 0) return random_leaf(s);
  int obj = (int)(u >> 8) & 1;
  cJSON *c = obj ? cJSON_CreateObject() : cJSON_CreateArray();
  int n = (int)((u >> 16) % 7);
  char key[256];
  for (int i = 0; i < n; i++) {
    cJSON *v = random_tree(s, depth - 1 - (int)(mix(s) % 2));
    if (!obj)
      cJSON_AddItemToArray(c, v);
    else if (mix(s) % 20 == 0)
      cJSON_AddItemToArray(c, v); /* a member without a key */
    else
      cJSON_AddItemToObject(c, random_text(s, key, sizeof key), v);
  }
  return c;
}

static void test_edges(void **state) {
  (void)state;
  cJSON *t = cJSON_CreateObject();
  check(t); /* {} */
  cJSON *a = cJSON_AddArrayToObject(t, "a");
  check(t);
  cJSON_AddItemToArray(a, cJSON_CreateObject());
  cJSON_AddItemToArray(a, cJSON_CreateArray());
  cJSON_AddItemToArray(a, cJSON_CreateNumber(-0.0));
  cJSON_AddItemToArray(a, cJSON_CreateNumber(0.1));
  cJSON_AddItemToArray(a, cJSON_CreateNumber(1e21));
  cJSON_AddItemToArray(a, cJSON_CreateNumber(5e-324));
  cJSON_AddItemToArray(a, cJSON_CreateNumber(9007199254740993.0));
  cJSON_AddItemToArray(a, cJSON_CreateNumber(INFINITY));
  cJSON_AddItemToArray(a, cJSON_CreateString("a\"b\\c/d\x01\x1f\b\f\n\r\t\xc3\xa9"));
  cJSON_AddObjectToObject(t, "o");
  cJSON_AddRawToObject(t, "r", "[1,2]");
  check(t);
  check(a);
  check(cJSON_GetObjectItemCaseSensitive(t, "o"));
  cJSON_Delete(t);
  /* top-level leaves */
  for (int k = 0; k < 6; k++) {
    cJSON *l = k == 0 ? cJSON_CreateNull()
               : k == 1 ? cJSON_CreateTrue()
               : k == 2 ? cJSON_CreateString("")
               : k == 3 ? cJSON_CreateRaw("")
               : k == 4 ? cJSON_CreateNumber(2147483647.0)
                        : cJSON_CreateNumber(-2147483648.0);
    check(l);
    cJSON_Delete(l);
  }
  /* what cJSON cannot print: an invalid item, a raw item without text */
  cJSON *bad = cJSON_CreateArray();
  cJSON *r = cJSON_CreateRaw("1");
  cJSON_AddItemToArray(bad, r);
  cJSON_free(r->valuestring);
  r->valuestring = NULL;
  check(bad);
  r->type = cJSON_Invalid;
  check(bad);
  r->type = cJSON_Number | cJSON_String;
  check(bad);
  r->type = cJSON_Number | cJSON_IsReference; /* flags above 0xFF ignored */
  r->valuedouble = 2.5;
  check(bad);
  cJSON_Delete(bad);
  /* a deep chain of objects and arrays */
  cJSON *deep = cJSON_CreateObject(), *at = deep;
  for (int d = 0; d < 300; d++) {
    cJSON *c = (d % 3) ? cJSON_CreateObject() : cJSON_CreateArray();
    if (cJSON_IsArray(at))
      cJSON_AddItemToArray(at, c);
    else
      cJSON_AddItemToObject(at, "k", c);
    if (d % 7 == 0) cJSON_AddItemToObject(c, "x", cJSON_CreateNumber(d / 7.0));
    at = c;
  }
  check(deep);
  cJSON_Delete(deep);
}

static void test_numbers_many(void **state) {
  (void)state;
  uint64_t s = 20261205;
  cJSON *arr = cJSON_CreateArray();
  for (int i = 0; i < 200000; i++) {
    cJSON *one = random_number_item(&s);
    check(one);
    cJSON_Delete(one);
    if (i % 50 == 0) {
      check(arr);
      cJSON_Delete(arr);
      arr = cJSON_CreateArray();
    }
    cJSON_AddItemToArray(arr, random_number_item(&s));
  }
  cJSON_Delete(arr);
}

static void test_trees_many(void **state) {
  (void)state;
  uint64_t s = 15;
  n_compared = n_failed = 0;
  for (int i = 0; i < 20000; i++) {
    cJSON *t = random_tree(&s, 1 + (int)(mix(&s) % 8));
    check(t);
    cJSON_Delete(t);
  }
  /* a real comparison, not NULL against NULL */
  assert_true(n_compared == 40000 && n_failed * 100 < n_compared);
}

/* Into a buffer that already holds text, and the failure leaves it
 * failed only when memory ran out. */
static void test_append(void **state) {
  (void)state;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_puts(&b, "x=");
  cJSON *t = cJSON_CreateArray();
  cJSON_AddItemToArray(t, cJSON_CreateNumber(1.5));
  assert_int_equal(ent_cjson_print(&b, t, 1), 0);
  assert_string_equal(b.data, "x=[1.5]");
  assert_int_equal(b.len, 7);
  cJSON_Delete(t);
  ent_strbuf_free(&b);
}

/* ---- the stream writer: the same random documents written through
 * ent_cjson_w_* and built as cJSON trees, against libcjson's printer ---- */

/* Puts v in parent (under key in an object; the top when parent is NULL). */
static cJSON *attach(cJSON *parent, const char *key, cJSON *v) {
  if (!parent) return v;
  if (cJSON_IsArray(parent)) cJSON_AddItemToArray(parent, v);
  else cJSON_AddItemToObject(parent, key, v);
  return v;
}

/* One random value written both ways; *last is the previous number (a
 * number repeats it now and then, as a statistic's quantiles do). */
static cJSON *twin(uint64_t *s, int depth, cJSON *parent, const char *key,
                   ent_cjson_w *w, double *last) {
  char t[256];
  uint64_t u = mix(s);
  if (depth <= 0 || u % 3 == 0) {
    switch (mix(s) % 8) {
    case 0:
      ent_cjson_w_null(w, key);
      return attach(parent, key, cJSON_CreateNull());
    case 1: {
      int b = (int)(mix(s) & 1);
      ent_cjson_w_bool(w, key, b);
      return attach(parent, key, cJSON_CreateBool(b));
    }
    case 2:
      random_text(s, t, sizeof t);
      ent_cjson_w_string(w, key, t);
      return attach(parent, key, cJSON_CreateString(t));
    default: {
      double x = (mix(s) % 3 == 0) ? *last : random_number(s);
      *last = x;
      ent_cjson_w_number(w, key, x);
      cJSON *it = cJSON_CreateNumber(isnan(x) ? 0.0 : x);
      it->valuedouble = x;
      return attach(parent, key, it);
    }
    }
  }
  int obj = (int)(u >> 8) & 1;
  cJSON *c =
      attach(parent, key, obj ? cJSON_CreateObject() : cJSON_CreateArray());
  if (obj) ent_cjson_w_object(w, key);
  else ent_cjson_w_array(w, key);
  int n = (int)((u >> 16) % 7);
  char k[256];
  for (int i = 0; i < n; i++)
    twin(s, depth - 1 - (int)(mix(s) % 2), c,
         obj ? random_text(s, k, sizeof k) : NULL, w, last);
  ent_cjson_w_end(w);
  return c;
}

static void test_writer_many(void **state) {
  (void)state;
  uint64_t s = 1205;
  double last = 0.5;
  for (int i = 0; i < 20000; i++) {
    for (int fmt = 0; fmt < 2; fmt++) {
      uint64_t s0 = s;
      ent_strbuf b;
      ent_strbuf_init(&b);
      ent_strbuf_puts(&b, "x"); /* appended after what the buffer holds */
      ent_cjson_w w;
      ent_cjson_w_init(&w, &b, fmt);
      cJSON *t = twin(&s, 1 + (int)(mix(&s) % 8), NULL, NULL, &w, &last);
      assert_int_equal(ent_cjson_w_finish(&w), 0);
      char *want = fmt ? cJSON_Print(t) : cJSON_PrintUnformatted(t);
      assert_non_null(want);
      if (strcmp(b.data + 1, want) || b.data[0] != 'x')
        fail_msg("%s writer differs:\ncJSON: %s\nours:  %s",
                 fmt ? "formatted" : "unformatted", want, b.data + 1);
      cJSON_free(want);
      cJSON_Delete(t);
      ent_strbuf_free(&b);
      if (!fmt) s = s0; /* the same document in both layouts */
    }
  }
}

/* Misuse makes the document fail, never a crash: a second top value, an
 * end too many, a container left open, nesting too deep. */
static void test_writer_misuse(void **state) {
  (void)state;
  for (int k = 0; k < 4; k++) {
    ent_strbuf b;
    ent_strbuf_init(&b);
    ent_cjson_w w;
    ent_cjson_w_init(&w, &b, 1);
    if (k == 0) {
      ent_cjson_w_number(&w, NULL, 1.0);
      ent_cjson_w_number(&w, NULL, 2.0);
    } else if (k == 1) {
      ent_cjson_w_array(&w, NULL);
      ent_cjson_w_end(&w);
      ent_cjson_w_end(&w);
    } else if (k == 2) {
      ent_cjson_w_object(&w, NULL);
      ent_cjson_w_string(&w, "a", "b");
    } else {
      for (int d = 0; d <= ENT_CJSON_W_MAX_DEPTH; d++)
        ent_cjson_w_array(&w, NULL);
      for (int d = 0; d <= ENT_CJSON_W_MAX_DEPTH; d++) ent_cjson_w_end(&w);
    }
    assert_int_equal(ent_cjson_w_finish(&w), -1);
    ent_strbuf_free(&b);
  }
  /* nothing written at all */
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_cjson_w w;
  ent_cjson_w_init(&w, &b, 0);
  assert_int_equal(ent_cjson_w_finish(&w), -1);
  ent_strbuf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_edges),
      cmocka_unit_test(test_numbers_many),
      cmocka_unit_test(test_trees_many),
      cmocka_unit_test(test_append),
      cmocka_unit_test(test_writer_many),
      cmocka_unit_test(test_writer_misuse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
