/*
 * util.h -- small helpers shared by every module: allocation through one
 * hook, owned strings, a growable string buffer and strict number parsing.
 *
 * Allocation: every allocation of the library goes through ent_malloc /
 * ent_calloc / ent_realloc / ent_free so that a test build can make it fail
 * on demand (see ENT_FAULT_INJECTION below).
 */
#ifndef ENT_UTIL_H
#define ENT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "entente.h"

#if defined(__GNUC__)
#define ENT_LOCAL __attribute__((visibility("hidden")))
#define ENT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ENT_LOCAL
#define ENT_PRINTF(a, b)
#endif

ENT_LOCAL void *ent_malloc(size_t n);
ENT_LOCAL void *ent_calloc(size_t count, size_t size);
ENT_LOCAL void *ent_realloc(void *p, size_t n);
ENT_LOCAL void ent_free(void *p);
/* Allocates count*size bytes or returns NULL when the product overflows. */
ENT_LOCAL void *ent_mallocarray(size_t count, size_t size);
/* Asks the kernel for transparent huge pages on the whole pages of
 * [p, p + bytes) when that is at least 4 MiB (Linux; a hint, else
 * nothing). */
ENT_LOCAL void ent_advise_huge(void *p, size_t bytes);

/* Test hook: after `n` more successful allocations every allocation fails
 * (n < 0: never).  Only in builds with ENT_FAULT_INJECTION; the counter is
 * thread-local so parallel tests do not disturb each other. */
#ifdef ENT_FAULT_INJECTION
ENT_API void ent_fault_fail_after(long n);
#endif

/* Copy of s (or of its first n bytes); NULL on allocation failure. */
ENT_LOCAL char *ent_strdup(const char *s);
ENT_LOCAL char *ent_strndup(const char *s, size_t n);

/* Growable, always NUL-terminated string.  `failed` is sticky: once an
 * allocation failed every later append is a no-op, so callers check once. */
typedef struct ent_strbuf {
  char *data;
  size_t len, cap;
  int failed;
} ent_strbuf;

ENT_LOCAL void ent_strbuf_init(ent_strbuf *b);
ENT_LOCAL void ent_strbuf_free(ent_strbuf *b);
ENT_LOCAL void ent_strbuf_append(ent_strbuf *b, const char *s, size_t n);
/* Room for n more bytes (and the NUL) at data + len, for a caller that
 * writes there and then advances len (keeping the NUL); -1 when out of
 * memory (failed is then set). */
ENT_LOCAL int ent_strbuf_reserve(ent_strbuf *b, size_t n);
ENT_LOCAL void ent_strbuf_puts(ent_strbuf *b, const char *s);
ENT_LOCAL void ent_strbuf_printf(ent_strbuf *b, const char *fmt, ...)
    ENT_PRINTF(2, 3);
ENT_LOCAL void ent_strbuf_vprintf(ent_strbuf *b, const char *fmt, va_list ap);
/* Hand the buffer over (caller frees with ent_free); the buffer is reset. */
ENT_LOCAL char *ent_strbuf_take(ent_strbuf *b);

/* Parse a complete decimal floating-point number (leading/trailing blanks
 * allowed).  Rejects empty text, trailing garbage, nan, inf and values that
 * overflow a double.  Returns 0 on success, else -1 with a reason in *why
 * (a static string). */
ENT_LOCAL int ent_parse_double(const char *s, size_t n, double *out,
                               const char **why);
/* The same with strtod for every number (the implementation before the
 * exact fast path of num.c; for tests and benchmarks). */
ENT_LOCAL int ent_parse_double_ref(const char *s, size_t n, double *out,
                                   const char **why);
/* Parse a complete non-negative integer no larger than max. */
ENT_LOCAL int ent_parse_uint(const char *s, size_t n, unsigned long max,
                             unsigned long *out, const char **why);

/* True if every byte of s[0..n) is a blank (space, tab, CR, LF). */
ENT_LOCAL int ent_is_blank(const char *s, size_t n);

/* Characters that may take over a terminal and are never accepted in
 * input texts or printed raw (docs/scenario-format.md, "Limits"): C0
 * controls other than tab, LF and CR, DEL, C1 controls (U+0080..U+009F)
 * and the bidirectional controls U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069.  ent_text_unsafe: the byte length of such a character
 * at s[0..n) (0: none there), its code point in *cp. */
ENT_LOCAL size_t ent_text_unsafe(const char *s, size_t n, unsigned *cp);
/* Offset of the first such character in s[0..n), or n. */
ENT_LOCAL size_t ent_text_find_unsafe(const char *s, size_t n, unsigned *cp);
/* fputs with each such character written as \xHH or \uHHHH. */
ENT_LOCAL void ent_fputs_safe(const char *s, FILE *fp);

/* Read a whole file into memory (NUL-terminated; *len excludes the NUL).
 * Returns ENT_EIO with errno text in *why on failure.  Refuses files larger
 * than max_bytes. */
ENT_LOCAL ent_status ent_read_file(const char *path, size_t max_bytes,
                                   char **text, size_t *len, const char **why);

/* Shortest decimal that reads back to exactly x ("%.17g" at worst), with
 * -0 printed as 0.  Non-finite values print as "null".  buf >= 32 bytes. */
ENT_LOCAL void ent_fmt_double(char *buf, size_t size, double x);
/* The same with snprintf "%.15g".."%.17g" and strtod (the implementation
 * before num.c; for tests and benchmarks). */
ENT_LOCAL void ent_fmt_double_ref(char *buf, size_t size, double x);




/* Arena: many small allocations released at once (a loaded model's
 * strings and arrays).  Blocks are linked; nothing is freed individually. */
typedef struct ent_arena_block ent_arena_block;
typedef struct ent_arena {
  ent_arena_block *head;
  int failed; /* sticky: an allocation failed */
} ent_arena;

ENT_LOCAL void ent_arena_init(ent_arena *a);
ENT_LOCAL void ent_arena_free(ent_arena *a);
/* Zeroed, 16-byte aligned memory; NULL (and a->failed set) on failure. */
ENT_LOCAL void *ent_arena_alloc(ent_arena *a, size_t n);
ENT_LOCAL void *ent_arena_array(ent_arena *a, size_t count, size_t size);
ENT_LOCAL char *ent_arena_strndup(ent_arena *a, const char *s, size_t n);
ENT_LOCAL char *ent_arena_strdup(ent_arena *a, const char *s);
#endif /* ENT_UTIL_H */
