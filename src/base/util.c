/*
 * util.c -- allocation hook, strings, strict number parsing, file reading.
 *
 * Prefixes: the primitives every layer uses and that name no module --
 * ent_malloc/calloc/realloc/free/mallocarray and ent_fault_ (the
 * allocation hook), ent_strdup/strndup, ent_strbuf_, ent_is_, ent_parse_,
 * ent_read_, ent_fmt_, ent_arena_, ent_text_ and ent_fputs_ (terminal-safe
 * text), and ent_advise_huge (a memory hint).
 */
/* madvise(MADV_HUGEPAGE) is a BSD/Linux extension beside POSIX */
#define _DEFAULT_SOURCE 1

#include "base/util.h"

#include "base/num.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef __linux__
#include <sys/mman.h>
#endif

#ifdef ENT_FAULT_INJECTION
/* Test-only: allocations left before failure (< 0: unlimited).  Thread-local,
 * so it is not shared state between threads. */
static _Thread_local long fault_left = -1;

void ent_fault_fail_after(long n) { fault_left = n; }

static int fault_now(void) {
  if (fault_left < 0) return 0;
  if (fault_left == 0) return 1;
  fault_left--;
  return 0;
}
#else
static int fault_now(void) { return 0; }
#endif

void *ent_malloc(size_t n) {
  if (fault_now()) return NULL;
  return malloc(n ? n : 1);
}

void *ent_calloc(size_t count, size_t size) {
  if (fault_now()) return NULL;
  if (count == 0 || size == 0) return calloc(1, 1);
  return calloc(count, size);
}

void *ent_realloc(void *p, size_t n) {
  if (fault_now()) return NULL;
  return realloc(p, n ? n : 1);
}

void ent_free(void *p) { free(p); }

/* Transparent huge pages, asked for with madvise, not forced: a region
 * of a few megabytes that is written through once (the forecast's
 * sketch or exact store, its records buffer) then faults once per 2 MiB
 * instead of once per 4 KiB page, which on a virtual machine costs more
 * than the writes themselves (docs/performance.md, "Seventh round: the
 * forecast's statistics", "Eleventh round").  Only a hint: the contents
 * and every result are the same without it. */
void ent_advise_huge(void *p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (!p || bytes < ((size_t)4 << 20)) return;
  uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
  uintptr_t e = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
  if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

void *ent_mallocarray(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return NULL;
  return ent_malloc(count * size);
}

char *ent_strndup(const char *s, size_t n) {
  char *p = ent_malloc(n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *ent_strdup(const char *s) { return s ? ent_strndup(s, strlen(s)) : NULL; }

/* ------------------------------------------------------------ strbuf */

void ent_strbuf_init(ent_strbuf *b) { memset(b, 0, sizeof *b); }

void ent_strbuf_free(ent_strbuf *b) {
  ent_free(b->data);
  ent_strbuf_init(b);
}

static int strbuf_reserve(ent_strbuf *b, size_t extra) {
  if (b->failed) return -1;
  if (b->len + extra + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) {
    if (cap > SIZE_MAX / 2) {
      b->failed = 1;
      return -1;
    }
    cap *= 2;
  }
  char *p = ent_realloc(b->data, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

int ent_strbuf_reserve(ent_strbuf *b, size_t n) {
  return strbuf_reserve(b, n);
}

void ent_strbuf_append(ent_strbuf *b, const char *s, size_t n) {
  if (strbuf_reserve(b, n)) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void ent_strbuf_puts(ent_strbuf *b, const char *s) {
  ent_strbuf_append(b, s, strlen(s));
}

void ent_strbuf_vprintf(ent_strbuf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (strbuf_reserve(b, (size_t)n)) return;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void ent_strbuf_printf(ent_strbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ent_strbuf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *ent_strbuf_take(ent_strbuf *b) {
  char *p = b->failed ? NULL : b->data;
  if (b->failed) ent_free(b->data);
  if (!b->failed && !p) p = ent_strdup("");
  ent_strbuf_init(b);
  return p;
}

/* ----------------------------------------------------------- numbers */

int ent_is_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return 0;
  return 1;
}

static void trim(const char **s, size_t *n) {
  while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\r' ||
                (*s)[0] == '\n')) {
    (*s)++;
    (*n)--;
  }
  while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
                (*s)[*n - 1] == '\r' || (*s)[*n - 1] == '\n'))
    (*n)--;
}

/* ent_parse_double and its reference (fast = 0: strtod for every number,
 * the previous implementation, kept for the tests and bench_trade). */
static int parse_double(const char *s, size_t n, double *out,
                        const char **why, int fast) {
  char buf[128];
  trim(&s, &n);
  if (n == 0) {
    *why = "empty value where a number is expected";
    return -1;
  }
  if (n >= sizeof buf) {
    *why = "number is too long";
    return -1;
  }
  /* Only plain decimal syntax: sign, digits, point, exponent.  This keeps
   * out nan, inf, hex floats and locale surprises. */
  size_t i = 0;
  int digits = 0;
  if (s[i] == '+' || s[i] == '-') i++;
  while (i < n && isdigit((unsigned char)s[i])) i++, digits++;
  if (i < n && s[i] == '.') {
    i++;
    while (i < n && isdigit((unsigned char)s[i])) i++, digits++;
  }
  if (digits && i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < n && (s[j] == '+' || s[j] == '-')) j++;
    int ed = 0;
    while (j < n && isdigit((unsigned char)s[j])) j++, ed++;
    if (ed) i = j;
  }
  if (!digits || i != n) {
    *why = "not a number";
    return -1;
  }
  /* Exact without strtod in the common case (num.c); then *out is what
   * strtod gives: a normal double, no ERANGE. */
  if (fast && ent_num_parse(s, n, out) == 0) return 0;
  memcpy(buf, s, n);
  buf[n] = '\0';
  errno = 0;
  double v = strtod(buf, NULL);
  if (errno == ERANGE && fabs(v) > 1.0) {
    *why = "number is too large";
    return -1;
  }
  if (!isfinite(v)) {
    *why = "number is not finite";
    return -1;
  }
  if (errno == ERANGE) v = 0.0; /* underflow: a denormal or 0 is fine */
  *out = v;
  return 0;
}

int ent_parse_double(const char *s, size_t n, double *out, const char **why) {
  return parse_double(s, n, out, why, 1);
}

int ent_parse_double_ref(const char *s, size_t n, double *out,
                         const char **why) {
  return parse_double(s, n, out, why, 0);
}

int ent_parse_uint(const char *s, size_t n, unsigned long max,
                   unsigned long *out, const char **why) {
  trim(&s, &n);
  if (n == 0) {
    *why = "empty value where a whole number is expected";
    return -1;
  }
  unsigned long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i])) {
      *why = "not a whole number";
      return -1;
    }
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (max - d) / 10) {
      *why = "number is too large";
      return -1;
    }
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

/* ---------------------------------------------------------- files */

ent_status ent_read_file(const char *path, size_t max_bytes, char **text,
                         size_t *len, const char **why) {
  *text = NULL;
  *len = 0;
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    *why = strerror(errno);
    return ENT_EIO;
  }
  ent_strbuf b;
  ent_strbuf_init(&b);
  /* Read straight into the buffer, sized once from the file's size when
   * it has one (a 1 MB table grown by doubling cost copies and page
   * faults). */
  enum { CHUNK = 65536 };
  struct stat sb;
  if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
      (uintmax_t)sb.st_size <= max_bytes)
    strbuf_reserve(&b, (size_t)sb.st_size + CHUNK);
  size_t n;
  errno = 0;
  while (!strbuf_reserve(&b, CHUNK) &&
         (n = fread(b.data + b.len, 1, CHUNK, fp)) > 0) {
    if (b.len + n > max_bytes) {
      fclose(fp);
      ent_strbuf_free(&b);
      *why = "file is too large";
      return ENT_EIO;
    }
    b.len += n;
  }
  if (b.data) b.data[b.len] = '\0';
  int err = ferror(fp), no = errno;
  fclose(fp);
  if (err) {
    ent_strbuf_free(&b);
    /* say what really happened: "Is a directory", "Input/output error" */
    *why = no ? strerror(no) : "read error";
    return ENT_EIO;
  }
  if (b.failed) {
    ent_strbuf_free(&b);
    *why = "out of memory";
    return ENT_ENOMEM;
  }
  *len = b.len;
  *text = ent_strbuf_take(&b);
  if (!*text) {
    *why = "out of memory";
    return ENT_ENOMEM;
  }
  return ENT_OK;
}

void ent_fmt_double(char *buf, size_t size, double x) {
  /* The same bytes without snprintf/strtod when num.c can (every output
   * is at most 24 bytes; num.c may write up to ENT_NUM_BUF). */
  if (size >= ENT_NUM_BUF) {
    if (ent_num_shortest(buf, x) >= 0) return;
  } else if (size >= 32) {
    char tmp[ENT_NUM_BUF];
    int n = ent_num_shortest(tmp, x);
    if (n >= 0) {
      memcpy(buf, tmp, (size_t)n + 1);
      return;
    }
  }
  ent_fmt_double_ref(buf, size, x);
}

void ent_fmt_double_ref(char *buf, size_t size, double x) {
  if (!isfinite(x)) {
    snprintf(buf, size, "null");
    return;
  }
  if (x == 0.0) x = 0.0; /* -0 -> 0 */
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, size, "%.*g", prec, x);
    if (strtod(buf, NULL) == x) return;
  }
}

/* ------------------------------------------------------------ arena */

struct ent_arena_block {
  ent_arena_block *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
};

void ent_arena_init(ent_arena *a) { memset(a, 0, sizeof *a); }

void ent_arena_free(ent_arena *a) {
  ent_arena_block *b = a->head;
  while (b) {
    ent_arena_block *next = b->next;
    ent_free(b);
    b = next;
  }
  ent_arena_init(a);
}

void *ent_arena_alloc(ent_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (n == 0) n = 16;
  ent_arena_block *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t size = n > 16384 ? n : 16384;
    if (size > SIZE_MAX - sizeof *b) {
      a->failed = 1;
      return NULL;
    }
    b = ent_malloc(sizeof *b + size);
    if (!b) {
      a->failed = 1;
      return NULL;
    }
    b->used = 0;
    b->size = size;
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

void *ent_arena_array(ent_arena *a, size_t count, size_t size) {
  if (size && count > (SIZE_MAX - 16) / size) {
    a->failed = 1;
    return NULL;
  }
  return ent_arena_alloc(a, count * size);
}

char *ent_arena_strndup(ent_arena *a, const char *s, size_t n) {
  char *p = ent_arena_alloc(a, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *ent_arena_strdup(ent_arena *a, const char *s) {
  return s ? ent_arena_strndup(a, s, strlen(s)) : NULL;
}

/* ------------------------------------------------------------ terminal-safe text */

size_t ent_text_unsafe(const char *s, size_t n, unsigned *cp) {
  const unsigned char *u = (const unsigned char *)s;
  if (n == 0) return 0;
  if ((u[0] < 0x20 && u[0] != '\t' && u[0] != '\n' && u[0] != '\r') ||
      u[0] == 0x7f) {
    *cp = u[0];
    return 1;
  }
  if (n >= 2 && u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F) {
    *cp = u[1];
    return 2;
  }
  if (n >= 2 && u[0] == 0xD8 && u[1] == 0x9C) {
    *cp = 0x061C;
    return 2;
  }
  if (n >= 3 && u[0] == 0xE2 && (u[1] == 0x80 || u[1] == 0x81)) {
    unsigned c = 0x2000u + ((unsigned)(u[1] & 0x3F) << 6) + (u[2] & 0x3Fu);
    if (c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2066 && c <= 0x2069)) {
      *cp = c;
      return 3;
    }
  }
  return 0;
}

size_t ent_text_find_unsafe(const char *s, size_t n, unsigned *cp) {
  size_t i = 0;
  while (i < n) {
    if (n - i >= 8) {
      /* skip eight bytes without a control byte other than tab, line
       * feed and carriage return, DEL or a byte above 0x7f: every unsafe
       * sequence starts with one (SWAR: a high bit marks each byte) */
      uint64_t v;
      memcpy(&v, s + i, 8);
      const uint64_t ones = 0x0101010101010101ull, low7 = ones * 0x7f;
      uint64_t ctl = ~(((v & low7) + ones * 0x60) | v); /* below 0x20 */
      uint64_t del = (v & low7) + ones;                 /* 0x7f (0xff) */
      static const unsigned char safe[3] = {'\t', '\n', '\r'};
      for (int k = 0; k < 3; k++) { /* not tab, line feed, return */
        uint64_t z = v ^ (ones * safe[k]);
        ctl &= ((z & low7) + low7) | z;
      }
      if (!((ctl | del | v) & (ones * 0x80))) {
        i += 8;
        continue;
      }
    }
    if (ent_text_unsafe(s + i, n - i, cp)) return i;
    i++;
  }
  return n;
}

void ent_fputs_safe(const char *s, FILE *fp) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    unsigned cp;
    size_t k = ent_text_unsafe(s + i, n - i, &cp);
    if (k) {
      fprintf(fp, cp < 0x100 ? "\\x%02x" : "\\u%04x", cp);
      i += k;
    } else {
      fputc(s[i], fp);
      i++;
    }
  }
}
