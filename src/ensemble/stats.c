/*
 * stats.c -- see stats.h.
 *
 * Prefixes: ent_welford_ (running mean and sd, also a block of rows in
 * vector lanes), ent_qacc_ (quantile
 * accumulators: exact, or a sketch past the memory budget), ent_select_
 * (order statistics by selection).
 */
#include "ensemble/stats.h"
#include "ensemble/stats_sort.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>


enum { ENT_QACC_MAX_P = 16 }; /* quantiles per call read by selection */

double ent_welford_sd(const ent_welford *w) {
  if (w->n < 2) return 0.0;
  double v = w->m2 / (double)(w->n - 1);
  return v > 0.0 ? sqrt(v) : 0.0;
}

enum { ENT_WELFORD_CHUNK = 512 }; /* cells a pass over the rows */

#if defined(__GNUC__)
#define WW 2
#define WK welford_w2
#define WK_TARGET
#include "ensemble/stats_welford_kernel.h"
#undef WW
#undef WK
#undef WK_TARGET
#if defined(__x86_64__) || defined(__i386__)
#define WELFORD_X86 1
#define WW 4
#define WK welford_w4
#define WK_TARGET __attribute__((target("avx2")))
#include "ensemble/stats_welford_kernel.h"
#undef WW
#undef WK
#undef WK_TARGET
#define WW 8
#define WK welford_w8
#define WK_TARGET __attribute__((target("avx512f")))
#include "ensemble/stats_welford_kernel.h"
#undef WW
#undef WK
#undef WK_TARGET
#endif
#endif

void ent_welford_add_block(ent_welford *w, size_t c0, size_t c1,
                           const double *const *rows, size_t n) {
  ent_welford_add_block_lanes(w, c0, c1, rows, n, ent_qacc_sort_lanes());
}

void ent_welford_add_block_lanes(ent_welford *w, size_t c0, size_t c1,
                                 const double *const *rows, size_t n,
                                 int lanes) {
  /* row by row over a few hundred cells at a time: the updates of one
   * cell depend on each other (a division each), those of neighbouring
   * cells do not, and the cells' sums stay in the first-level cache; the
   * cells in vector lanes (stats_welford_kernel.h), as many as `lanes`
   * (8: AVX-512F, 4: AVX2, else 2), the rest one by one */
  int most = ent_qacc_sort_lanes();
  lanes = lanes < most ? lanes : most;
  for (size_t a = c0; a < c1; a += ENT_WELFORD_CHUNK) {
    size_t b = a + ENT_WELFORD_CHUNK < c1 ? a + ENT_WELFORD_CHUNK : c1, c = a;
#if defined(WELFORD_X86)
    if (lanes >= 8)
      c += welford_w8(w, a, b, rows, n);
    else if (lanes >= 4)
      c += welford_w4(w, a, b, rows, n);
    else
      c += welford_w2(w, a, b, rows, n);
#elif defined(__GNUC__)
    (void)lanes;
    c += welford_w2(w, a, b, rows, n);
#else
    (void)lanes;
#endif
    for (size_t r = 0; r < n && c < b; r++) {
      const double *x = rows[r];
      for (size_t j = c; j < b; j++)
        if (!isnan(x[j])) ent_welford_add(&w[j], x[j]);
    }
  }
}

struct ent_qacc {
  size_t cells, n_max;
  int exact;
  size_t k, H;          /* sketch: values per level, levels */
  size_t stride;        /* sketch: doubles per cell (sketch_stride) */
  /* a cell's values are kept in a slot of val, taken when the cell first
   * holds two values of different bits (cell_store); until then they are
   * `count` copies of cx[c] and the cell has no slot (QC_STORED clear) */
  double *val;          /* exact: [slots][n_max]; sketch: [slots][stride] */
  size_t per;           /* doubles per slot: n_max or stride */
  uint32_t *slot;       /* [cells] the cell's slot (QC_STORED) */
  atomic_uint slots;    /* slots taken */
  double *cx;           /* [cells] the value of a constant cell */
  uint8_t *cst;         /* [cells] QC_VARIED | QC_STORED */
  uint32_t *len;        /* exact: [cells]; sketch: [cells][H] */
  uint32_t *base;       /* sketch: [cells] where level 0 starts */
  uint8_t *parity;      /* sketch: [cells][H] next offset of a compaction */
  size_t *count;        /* [cells] values added */
  /* exact: rows added by ent_qacc_add_row, not yet moved to their cells
   * ([nb][cells], NaN = none): a row is written in one sweep and moved to
   * the cells QACC_ROWS at a time, so a cell's stream gets whole cache
   * lines instead of one value per row */
  double *rows;
  size_t nb;
  uint64_t *tmp;        /* sketch: [3 k] sorting scratch */
  int lanes;            /* sketch: vector lanes of the sorts (stats_sort.h) */
};

enum { QACC_ROWS = 16 };

/* A cell's state (cst): QC_VARIED once two of its values differ in their
 * bits (or one came past n_max), QC_STORED once its values are in its
 * slot.  Neither: every value it was given (count[c]; for the exact store
 * with pending rows, len[c] moved to the cell) is cx[c], and nothing is
 * written.  The exact store marks a cell QC_VARIED as a row is added and
 * stores it when the rows are moved (flush_rows); elsewhere both are set
 * at once. */
enum { QC_VARIED = 1, QC_STORED = 2 };


/* A cell's levels lie one after the other from the top level down, each
 * taking only the values it holds, level 0 (values in arrival order) last:
 * level h starts after the levels above it, level 0 at base.  A level
 * between the bottom and the top holds none or k / 2 values (one
 * compaction of the level below: a second one fills it, and it is
 * compacted at once, merged with the incoming run in scratch), and a
 * compaction that ends in level j empties the levels below it, so the
 * levels above a level never move while it holds values: the layout is a
 * stack.  A cell then needs room only for the most its levels hold at once
 * for n_max values (sketch_stride), not for every level full: less memory
 * to touch first (the kernel zeroes each page) and to walk. */

/* Levels so that the top level never overflows: k 2^(H-1) >= n (below). */
static size_t levels_for(size_t k, size_t n);

/* The most values a cell's H levels of k hold at once for n values: after
 * c compactions (one per k values) level h, 0 < h < H - 1, holds k / 2
 * when bit h - 1 of c is set (a binary counter carrying into the next
 * level), the top level k / 2 per 2^(H-2) compactions, and level 0 up to
 * k before the next compaction (after the last, the rest of the n). */
static size_t sketch_stride(size_t k, size_t H, size_t n) {
  if (H < 2) return k;
  size_t half = k / 2, C = n / k, most = 0;
  for (size_t c = 0; c <= C; c++) {
    size_t held = (c >> (H - 2)) * half;
    for (size_t h = 1; h + 1 < H; h++) held += ((c >> (h - 1)) & 1) * half;
    held += c < C ? k : n - C * k;
    most = held > most ? held : most;
  }
  return most;
}

static size_t levels_for(size_t k, size_t n) {
  size_t H = 1;
  while ((double)k * ldexp(1.0, (int)H - 1) < (double)n) H++;
  return H;
}

ent_qacc *ent_qacc_create(size_t cells, size_t n_max, size_t budget) {
  ent_qacc *q = ent_calloc(1, sizeof *q);
  if (!q) return NULL;
  q->cells = cells;
  q->n_max = n_max ? n_max : 1;
  size_t nc = cells ? cells : 1;
  double need = (double)nc * (double)q->n_max * sizeof(double);
  if (need <= (double)budget) {
    q->exact = 1;
    q->val = ent_mallocarray(nc * q->n_max, sizeof(double));
    ent_advise_huge(q->val, nc * q->n_max * sizeof(double));
    q->len = ent_calloc(nc, sizeof *q->len);
    q->rows = ent_mallocarray(nc * QACC_ROWS, sizeof(double));
  } else {
    size_t k = 64;
    for (size_t cand = 1u << 20; cand >= 64; cand >>= 1) {
      size_t H = levels_for(cand, q->n_max);
      if ((double)nc * (double)cand * (double)H * sizeof(double) <= (double)budget) {
        k = cand;
        break;
      }
    }
    q->k = k;
    q->H = levels_for(k, q->n_max);
    q->stride = sketch_stride(k, q->H, q->n_max);
    q->val = ent_mallocarray(nc, q->stride * sizeof(double));
    ent_advise_huge(q->val, nc * q->stride * sizeof(double));
    q->len = ent_calloc(nc * q->H, sizeof *q->len);
    q->parity = ent_calloc(nc * q->H, 1);
    q->base = ent_calloc(nc, sizeof *q->base);
    q->tmp = ent_mallocarray(3 * k, sizeof *q->tmp);
    q->lanes = ent_qacc_sort_lanes();
  }
  q->per = q->exact ? q->n_max : q->stride;
  atomic_init(&q->slots, 0u);
  q->count = ent_calloc(nc, sizeof *q->count);
  q->slot = ent_calloc(nc, sizeof *q->slot);
  q->cx = ent_calloc(nc, sizeof *q->cx);
  q->cst = ent_calloc(nc, sizeof *q->cst);
  if (!q->val || !q->len || !q->count || !q->slot || !q->cx || !q->cst ||
      (!q->exact && (!q->parity || !q->base)) ||
      (q->exact && !q->rows) || (!q->exact && !q->tmp)) {
    ent_qacc_destroy(q);
    return NULL;
  }
  return q;
}

void ent_qacc_destroy(ent_qacc *q) {
  if (!q) return;
  ent_free(q->val);
  ent_free(q->len);
  ent_free(q->parity);
  ent_free(q->base);
  ent_free(q->count);
  ent_free(q->slot);
  ent_free(q->cx);
  ent_free(q->cst);
  ent_free(q->rows);
  ent_free(q->tmp);
  ent_free(q);
}

int ent_qacc_exact(const ent_qacc *q) { return q->exact; }
size_t ent_qacc_k(const ent_qacc *q) { return q->k; }
size_t ent_qacc_levels(const ent_qacc *q) { return q->H; }

double ent_qacc_rank_error(const ent_qacc *q) {
  return q->exact ? 0.0 : (double)(q->H - 1) / (double)q->k;
}

size_t ent_qacc_count(const ent_qacc *q, size_t c) { return q->count[c]; }

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static uint64_t bits_of(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

/* The values of cell c (QC_STORED). */
static double *cell_vals(const ent_qacc *q, size_t c) {
  return q->val + (size_t)q->slot[c] * q->per;
}

static void cell_store(ent_qacc *q, size_t c);

/* The pending rows into their cells, in row order: a constant cell only
 * counts them. */
static void flush_rows(ent_qacc *q) {
  size_t cells = q->cells, nb = q->nb;
  for (size_t c = 0; c < cells; c++) {
    uint32_t l = q->len[c];
    if (!(q->cst[c] & QC_VARIED)) {
      for (size_t r = 0; r < nb; r++) l += !isnan(q->rows[r * cells + c]);
      q->len[c] = l;
      continue;
    }
    if (!(q->cst[c] & QC_STORED)) cell_store(q, c);
    double *dst = cell_vals(q, c);
    for (size_t r = 0; r < nb; r++) {
      double x = q->rows[r * cells + c];
      if (!isnan(x)) dst[l++] = x;
    }
    q->len[c] = l;
  }
  q->nb = 0;
}

void ent_qacc_add_row(ent_qacc *q, const double *x) {
  size_t cells = q->cells;
  if (!q->exact) {
    for (size_t c = 0; c < cells; c++)
      if (!isnan(x[c])) ent_qacc_add(q, c, x[c]);
    return;
  }
  double *row = q->rows + q->nb * cells;
  for (size_t c = 0; c < cells; c++) {
    double v = x[c];
    size_t cnt = q->count[c];
    int take = !isnan(v) && cnt < q->n_max;
    if (!(q->cst[c] & QC_VARIED) && !isnan(v)) {
      /* the cell stays constant while v has its value's bits (a value
       * past n_max ends it too) */
      if (cnt == 0)
        q->cx[c] = v;
      else if (!take || bits_of(v) != bits_of(q->cx[c]))
        q->cst[c] |= QC_VARIED;
    }
    q->count[c] = cnt + (size_t)take;
    row[c] = take ? v : NAN;
  }
  if (++q->nb == QACC_ROWS) flush_rows(q);
}

/* Sort keys of doubles: unsigned order = numeric order (-0.0 below +0.0,
 * which is why a level holding -0.0 is sorted by comparison instead). */
static uint64_t dkey(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static int has_negzero(const double *a, size_t n) {
  int z = 0;
  for (size_t i = 0; i < n; i++) z |= a[i] == 0.0 && signbit(a[i]);
  return z;
}

/* The highest set bit of x (not 0). */
static int top_bit(uint64_t x) {
#if defined(__GNUC__)
  return 63 - __builtin_clzll(x);
#else
  int b = 0;
  while (x >>= 1) b++;
  return b;
#endif
}

enum { KS_SMALL = 24 }; /* parts of at most this many values: insertion */

static void insertion_sort(double *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    double x = a[i];
    size_t j = i;
    for (; j > 0 && a[j - 1] > x; j--) a[j] = a[j - 1];
    a[j] = x;
  }
}

/* a[0..n) (no NaN, no -0.0) sorted ascending, into a or tmp (n values; the
 * other is overwritten): returns which.  Most significant digit first, on
 * the values' sort keys (dkey): the values are distributed by their keys'
 * offset from the least key, in 2048 parts (256 for a part of at most 256
 * values) over the span of the keys; a part of more than KS_SMALL values
 * is sorted the same way, and then one insertion pass over the whole
 * sorts the small parts -- a value never moves past the start of its
 * part, every value before it being below it, so the pass costs what
 * sorting each part alone would, without a loop over the parts.  A cell's
 * values (mostly of one sign and a few exponents) are distributed once,
 * most parts then holding one to three.  Without -0.0 values equal under
 * comparison are the same bits, so this is the array qsort gives. */
static double *dsort(double *a, size_t n, double *tmp) {
  if (n <= KS_SMALL) {
    insertion_sort(a, n);
    return a;
  }
  uint64_t lo = dkey(a[0]), hi = lo;
  for (size_t i = 1; i < n; i++) {
    uint64_t x = dkey(a[i]);
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  if (lo == hi) return a; /* all the same */
  int bits = n > 256 ? 11 : 8, msb = top_bit(hi - lo);
  int shift = msb >= bits - 1 ? msb - (bits - 1) : 0;
  size_t parts = (size_t)1 << bits;
  uint32_t at[2048], sum = 0, big = 0;
  memset(at, 0, parts * sizeof *at);
  for (size_t i = 0; i < n; i++) at[(dkey(a[i]) - lo) >> shift]++;
  for (size_t v = 0; v < parts; v++) {
    uint32_t c = at[v];
    at[v] = sum;
    sum += c;
    big |= c > KS_SMALL;
  }
  for (size_t i = 0; i < n; i++) tmp[at[(dkey(a[i]) - lo) >> shift]++] = a[i];
  /* at[v]: the end of part v */
  if (shift == 0) return tmp; /* the last bits: every part is of equal values */
  if (big) {
    for (size_t v = 0, b = 0; v < parts; b = at[v++]) {
      size_t c = at[v] - b;
      if (c <= KS_SMALL) continue;
      double *s = dsort(tmp + b, c, a + b);
      if (s != tmp + b) memcpy(tmp + b, s, c * sizeof *s);
    }
  }
  insertion_sort(tmp, n);
  return tmp;
}

/* The same as dsort (a[0..n), no NaN, no -0.0, sorted into a or tmp;
 * returns which), distributing the values by their own offset from the
 * least instead of their keys': part floor((x - min) 2048 / (max - min)),
 * the last part taking x = max -- monotone in x (a rounded difference,
 * a product by a positive scale and floor never reverse an order), so
 * every value of a part is below every value of a later part, and the
 * insertion pass finishes as in dsort.  A cell's values mostly span a
 * binade or two, over which a value's offset spreads them more evenly
 * than a key's top bits (a power of two of parts, 1 024 to 2 048 of them
 * used), so fewer values meet in a part: about a fifth less time on the
 * forecast's level-0 sorts.  A part of more than KS_SMALL values is
 * sorted the same way, or by dsort when it holds more than half of them
 * (values over many orders of magnitude, where keys spread them better);
 * dsort too when the span or the scale is not finite. */
static double *vsort(double *a, size_t n, double *tmp) {
  if (n <= KS_SMALL) {
    insertion_sort(a, n);
    return a;
  }
  double lo = a[0], hi = a[0];
  for (size_t i = 1; i < n; i++) {
    double x = a[i];
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  if (lo == hi) return a; /* all the same */
  size_t parts = n > 256 ? 2048 : 256;
  double span = hi - lo, scale = (double)parts / span;
  if (!(span < INFINITY) || !(scale < INFINITY)) return dsort(a, n, tmp);
  uint32_t at[2048 + 1], sum = 0, big = 0;
  memset(at, 0, (parts + 1) * sizeof *at);
  for (size_t i = 0; i < n; i++) at[(size_t)((a[i] - lo) * scale)]++;
  at[parts - 1] += at[parts]; /* x = max: the last part */
  for (size_t v = 0; v < parts; v++) {
    uint32_t c = at[v];
    at[v] = sum;
    sum += c;
    big |= c > KS_SMALL;
  }
  for (size_t i = 0; i < n; i++) {
    size_t v = (size_t)((a[i] - lo) * scale);
    tmp[at[v - (v == parts)]++] = a[i];
  }
  /* at[v]: the end of part v */
  if (big) {
    for (size_t v = 0, b = 0; v < parts; b = at[v++]) {
      size_t c = at[v] - b;
      if (c <= KS_SMALL) continue;
      double *s = c > n / 2 ? dsort(tmp + b, c, a + b) : vsort(tmp + b, c, a + b);
      if (s != tmp + b) memcpy(tmp + b, s, c * sizeof *s);
    }
  }
  insertion_sort(tmp, n);
  return tmp;
}

/* ent_qacc_sort_level in `lanes` vector lanes (0: none): the bitonic
 * network (stats_sort.c) for a power of two of at least 64 values. */
static void sort_level(double *a, size_t n, uint64_t *tmp, int lanes) {
  int done = lanes ? ent_qacc_bitonic_sort(a, n, lanes) : 0;
  if (done > 0) return;
  if (done < 0 || has_negzero(a, n)) {
    qsort(a, n, sizeof *a, cmp_double);
    return;
  }
  double *s = vsort(a, n, (double *)(void *)tmp);
  if (s != a) memcpy(a, s, n * sizeof *a);
}

static void merge_half(const double *a, const double *b, size_t m, int par,
                       double *out, double *cat, int lanes);

void ent_qacc_sort_level(double *a, size_t n, uint64_t *tmp) {
  sort_level(a, n, tmp, ent_qacc_sort_lanes());
}

void ent_qacc_set_lanes(ent_qacc *q, int lanes) {
  int most = ent_qacc_sort_lanes();
  q->lanes = lanes < most ? lanes : most;
}

void ent_qacc_merge_half(const double *a, const double *b, size_t m, int par,
                         double *out, double *cat) {
  merge_half(a, b, m, par, out, cat, ent_qacc_sort_lanes());
}

/* ent_qacc_merge_half in `lanes` vector lanes (0: none). */
static void merge_half(const double *a, const double *b, size_t m, int par,
                       double *out, double *cat, int lanes) {
  size_t sel = (size_t)(par & 1);
  int done = lanes ? ent_qacc_bitonic_merge_half(a, b, m, par, out, cat, lanes) : 0;
  if (done > 0) return;
  if (done < 0 || has_negzero(a, m) || has_negzero(b, m)) {
    memcpy(cat, a, m * sizeof *a);
    memcpy(cat + m, b, m * sizeof *b);
    qsort(cat, 2 * m, sizeof *cat, cmp_double);
    for (size_t t = sel, w = 0; t < 2 * m; t += 2) out[w++] = cat[t];
    return;
  }
  /* from both ends at once, two chains of comparisons the processor
   * overlaps: the first m merged values from the fronts, the last m from
   * the backs.  Within its m steps neither end runs out of a run (after t
   * steps from the front, i + j = t < m), so no bound is checked; the
   * next index depends on the comparison, not a branch.  Equal values are
   * the same bits, so which run gives one does not matter. */
  size_t i = 0, j = 0, ia = m - 1, jb = m - 1;
  for (size_t t = 0; t < m; t++) {
    double x = a[i], y = b[j];
    size_t tb = y < x;
    double lo = tb ? y : x;
    j += tb;
    i += 1 - tb;
    double xa = a[ia], yb = b[jb];
    size_t ta = xa > yb;
    double hi = ta ? xa : yb;
    ia -= ta;
    jb -= 1 - ta;
    size_t back = 2 * m - 1 - t;
    if ((t & 1) == sel) out[t >> 1] = lo;
    if ((back & 1) == sel) out[back >> 1] = hi;
  }
}

/* Level 0 of cell c's sketch is full: it is sorted and every other value
 * (from the level's alternating offset) moves up; a level above that then
 * holds two runs of k / 2 is compacted the same way, up to the top level.
 * Sorted as qsort with cmp_double would (values equal under comparison
 * are the same bits once no -0.0 is among them; else qsort itself does
 * it): level 0 (arrival order) by the bitonic network in q->lanes vector
 * lanes (stats_sort.h; without lanes, a distribution sort, vsort), a
 * level above (its run, then the incoming one) by merging the two runs
 * (the network's last round, or two scalar chains), only the values that
 * move up written.  tmp holds 3 k keys. */
static void sketch_compact(ent_qacc *q, size_t c, uint64_t *tmp) {
  size_t k = q->k, H = q->H, half = k / 2;
  double *cv = cell_vals(q, c);
  uint32_t *len = q->len + c * H;
  uint8_t *par = q->parity + c * H;
  if (H < 2 || len[0] < k) return;
  double *run = (double *)(void *)tmp, *next = (double *)(void *)(tmp + k);
  double *l0 = cv + q->base[c];
  int done = q->lanes ? ent_qacc_bitonic_sort(l0, k, q->lanes) : 0;
  if (done > 0) {
    ent_qacc_take_half(l0, half, par[0], run, q->lanes);
  } else if (done < 0 || has_negzero(l0, k)) {
    qsort(l0, k, sizeof *l0, cmp_double);
    for (size_t i = 0; i < half; i++) run[i] = l0[2 * i + par[0]];
  } else {
    const double *s = vsort(l0, k, (double *)(void *)(tmp + k));
    for (size_t i = 0; i < half; i++) run[i] = s[2 * i + par[0]];
  }
  par[0] ^= 1;
  len[0] = 0;
  /* pos: where level h starts (level 1 ends where level 0 starts); the
   * levels below h are empty once the run reaches h */
  size_t pos = q->base[c];
  for (size_t h = 1;; h++) {
    pos -= len[h];
    double *lv = cv + pos;
    if (h + 1 == H || len[h] == 0) {
      memcpy(lv + len[h], run, half * sizeof *lv);
      len[h] += (uint32_t)half;
      q->base[c] = (uint32_t)(pos + len[h]);
      return;
    }
    merge_half(lv, run, half, par[h], next, (double *)(void *)(tmp + 2 * k),
               q->lanes);
    double *t = run;
    run = next;
    next = t;
    par[h] ^= 1;
    len[h] = 0;
  }
}

/* The levels of cell c's sketch after count[c] copies of one value, from
 * none: the lengths and parities sketch_compact leaves after each of its
 * count / k compactions (their values are all that value, so no sort or
 * merge changes them), and level 0 the rest.  Returns how many values
 * they hold (from the start of the cell's slot). */
static size_t sketch_const(ent_qacc *q, size_t c) {
  size_t k = q->k, H = q->H, half = k / 2, n = q->count[c];
  uint32_t *len = q->len + c * H;
  uint8_t *par = q->parity + c * H;
  size_t C = H < 2 ? 0 : n / k;
  for (size_t i = 0; i < C; i++) {
    par[0] ^= 1;
    for (size_t h = 1;; h++) {
      if (h + 1 == H || len[h] == 0) {
        len[h] += (uint32_t)half;
        break;
      }
      par[h] ^= 1;
      len[h] = 0;
    }
  }
  len[0] = (uint32_t)(n - C * k);
  size_t above = 0;
  for (size_t h = 1; h < H; h++) above += len[h];
  q->base[c] = (uint32_t)above;
  return above + len[0];
}

/* Cell c, constant so far, into a slot of its own, holding what its values
 * (that many copies of cx[c]) leave: the exact store's first len[c]
 * values, the sketch's levels (sketch_const).  Cells on different threads
 * may take slots at once. */
static void cell_store(ent_qacc *q, size_t c) {
  unsigned s = atomic_fetch_add_explicit(&q->slots, 1u, memory_order_relaxed);
  q->slot[c] = s;
  size_t held = q->exact ? q->len[c] : sketch_const(q, c);
  double *v = cell_vals(q, c), x = q->cx[c];
  for (size_t i = 0; i < held; i++) v[i] = x;
  q->cst[c] |= QC_VARIED | QC_STORED;
}

/* x (not NaN) into cell c while it is constant: 1 when it keeps it so
 * (counted), else 0 with the cell stored (then x is still to be added). */
static int const_add(ent_qacc *q, size_t c, double x) {
  size_t cnt = q->count[c];
  if (cnt == 0) q->cx[c] = x;
  if (cnt == 0 || (cnt < q->n_max && bits_of(x) == bits_of(q->cx[c]))) {
    q->count[c] = cnt + 1;
    if (q->exact) q->len[c]++;
    return 1;
  }
  cell_store(q, c);
  return 0;
}

/* x into the sketch of cell c (count checked); tmp holds 3 k keys. */
static void sketch_add(ent_qacc *q, size_t c, double x, uint64_t *tmp) {
  if (!(q->cst[c] & QC_VARIED) && const_add(q, c, x)) return;
  if (q->count[c] >= q->n_max) return;
  q->count[c]++;
  uint32_t *len = q->len + c * q->H;
  cell_vals(q, c)[q->base[c] + len[0]++] = x;
  if (len[0] == q->k) sketch_compact(q, c, tmp);
}

void ent_qacc_add(ent_qacc *q, size_t c, double x) {
  if (q->exact) {
    if (q->nb) flush_rows(q);
    if (!(q->cst[c] & QC_VARIED) && const_add(q, c, x)) return;
    if (q->count[c] >= q->n_max) return;
    q->count[c]++;
    cell_vals(q, c)[q->len[c]++] = x;
    return;
  }
  sketch_add(q, c, x, q->tmp);
}

void ent_qacc_flush(ent_qacc *q) {
  if (q->exact && q->nb) flush_rows(q);
}

size_t ent_qacc_block_scratch(const ent_qacc *q) {
  return q->exact ? 1 : 3 * q->k;
}

/* Asks for the lines that cell values will be written to a few cells
 * ahead: a cell's stream is far from the previous cell's, so the stores
 * would otherwise wait for each line in turn.  Only a hint.  The n values
 * from p are at most the `room` left in the array (no address past its
 * end is formed). */
static void prefetch_lines(const double *p, size_t n, size_t room) {
#if defined(__GNUC__)
  if (n > room) n = room;
  for (size_t i = 0; i < n; i += 8) __builtin_prefetch(p + i, 1, 3);
#else
  (void)p;
  (void)n;
  (void)room;
#endif
}

enum { QACC_AHEAD = 4, QACC_PF_MAX = 32 }; /* cells ahead; values at most */

/* Rows rows[0..n) into cell c while it is constant (not QC_VARIED): the
 * values of its value's bits counted, NaN skipped, up to the first other
 * value (or one past n_max), whose row is returned; n if none. */
static size_t const_rows(ent_qacc *q, size_t c, const double *const *rows,
                         size_t n) {
  size_t cnt = q->count[c], r = 0;
  if (cnt == 0) {
    while (r < n && isnan(rows[r][c])) r++;
    if (r == n) return n;
    q->cx[c] = rows[r++][c];
    cnt = 1;
  }
  uint64_t xb = bits_of(q->cx[c]);
  size_t room = q->n_max - cnt, m = 0;
  for (; r < n; r++) {
    double x = rows[r][c];
    if (bits_of(x) == xb && m < room) {
      m++;
    } else if (!isnan(x)) {
      break;
    }
  }
  q->count[c] = cnt + m;
  if (q->exact) q->len[c] = (uint32_t)(cnt + m);
  return r;
}

/* Rows rows[0..n) into the stored sketch cell c. */
static void sketch_rows(ent_qacc *q, size_t c, const double *const *rows,
                        size_t n, uint64_t *tmp) {
  size_t k = q->k, H = q->H, n_max = q->n_max;
  double *cv = cell_vals(q, c), *l0 = cv + q->base[c];
  uint32_t *len = q->len + c * H;
  size_t cnt = q->count[c], l = len[0];
  if (cnt + n <= n_max) {
    /* no count check; a NaN is written and not kept (l < k here) */
    size_t kept = 0;
    for (size_t r = 0; r < n; r++) {
      double x = rows[r][c];
      size_t keep = !isnan(x);
      l0[l] = x;
      l += keep;
      kept += keep;
      if (l == k) {
        len[0] = (uint32_t)l;
        sketch_compact(q, c, tmp);
        l = len[0];
        l0 = cv + q->base[c];
      }
    }
    cnt += kept;
  } else {
    for (size_t r = 0; r < n; r++) {
      double x = rows[r][c];
      if (isnan(x) || cnt >= n_max) continue;
      cnt++;
      l0[l++] = x;
      if (l == k) {
        len[0] = (uint32_t)l;
        sketch_compact(q, c, tmp);
        l = len[0];
        l0 = cv + q->base[c];
      }
    }
  }
  len[0] = (uint32_t)l;
  q->count[c] = cnt;
}

/* Rows rows[0..n) into the stored exact cell c (no rows pending). */
static void exact_rows(ent_qacc *q, size_t c, const double *const *rows,
                       size_t n) {
  size_t n_max = q->n_max, cnt = q->count[c];
  double *dst = cell_vals(q, c);
  for (size_t r = 0; r < n && cnt < n_max; r++) {
    double x = rows[r][c];
    dst[cnt] = x;
    cnt += !isnan(x);
  }
  q->count[c] = cnt;
  q->len[c] = (uint32_t)cnt;
}

void ent_qacc_add_block(ent_qacc *q, size_t c0, size_t c1,
                        const double *const *rows, size_t n, uint64_t *tmp) {
  size_t pf = n < QACC_PF_MAX ? n : QACC_PF_MAX;
  for (size_t c = c0; c < c1; c++) {
    /* the lines a stored cell's next values go to, a few cells ahead
     * (here, not in a function of its own: GCC takes a function that only
     * prefetches for one without effects and drops the call) */
    size_t a = c + QACC_AHEAD;
    if (a < c1 && (q->cst[a] & QC_STORED)) {
      size_t at = q->exact ? q->count[a] : q->base[a] + q->len[a * q->H];
      prefetch_lines(cell_vals(q, a) + at, pf, q->per - at);
    }
    size_t r = 0;
    if (!(q->cst[c] & QC_VARIED)) {
      r = const_rows(q, c, rows, n);
      if (r == n) continue;
    }
    if (!(q->cst[c] & QC_STORED)) cell_store(q, c);
    if (q->exact)
      exact_rows(q, c, rows + r, n - r);
    else
      sketch_rows(q, c, rows + r, n - r, tmp);
  }
}

/* ------------------------------------------------------------ selection */

static double median3(double x, double y, double z) {
  if (x < y) return y < z ? y : (x < z ? z : x);
  return x < z ? x : (y < z ? z : y);
}

/* Moves the values of a[lo..hi) below piv to the front (Lomuto's scheme
 * without a branch on the comparison); returns where the rest starts. */
static size_t part_lt(double *a, size_t lo, size_t hi, double piv) {
  size_t j = lo;
  for (size_t i = lo; i < hi; i++) {
    double x = a[i];
    size_t below = x < piv;
    a[i] = a[j];
    a[j] = x;
    j += below;
  }
  return j;
}

/* The same for the values not above piv. */
static size_t part_le(double *a, size_t lo, size_t hi, double piv) {
  size_t j = lo;
  for (size_t i = lo; i < hi; i++) {
    double x = a[i];
    size_t below = x <= piv;
    a[i] = a[j];
    a[j] = x;
    j += below;
  }
  return j;
}

/* Puts at every rank of r[0..nr) (ascending, within [lo, hi)) of a the
 * value sorting would put there: quickselect, recursing into the part left
 * of the pivot and looping on the part right of it.  When the pivot is the
 * range's least value, the values equal to it are split off (they are
 * final), so ties cannot stall it; past `depth` partitions the range is
 * sorted outright (heapsort), which bounds the worst case by O(n log n). */
static void select_ranks(double *a, size_t lo, size_t hi, const size_t *r,
                         size_t nr, int depth) {
  while (nr > 0) {
    size_t n = hi - lo;
    if (n <= 16) {
      insertion_sort(a + lo, n);
      return;
    }
    if (depth-- <= 0) {
      gsl_sort(a + lo, 1, n);
      return;
    }
    size_t mid = lo + n / 2;
    double piv;
    if (n >= 128) {
      size_t s = n / 8;
      piv = median3(median3(a[lo], a[lo + s], a[lo + 2 * s]),
                    median3(a[mid - s], a[mid], a[mid + s]),
                    median3(a[hi - 1 - 2 * s], a[hi - 1 - s], a[hi - 1]));
    } else {
      piv = median3(a[lo], a[mid], a[hi - 1]);
    }
    size_t lt = part_lt(a, lo, hi, piv);
    size_t nl = 0;
    while (nl < nr && r[nl] < lt) nl++;
    if (lt > lo) {
      select_ranks(a, lo, lt, r, nl, depth);
      lo = lt;
      r += nl;
      nr -= nl;
      continue;
    }
    /* nothing below the pivot: [lo, gt) all equal it */
    size_t gt = part_le(a, lo, hi, piv);
    while (nl < nr && r[nl] < gt) nl++;
    lo = gt;
    r += nl;
    nr -= nl;
  }
}

int ent_select_ranks(double *a, size_t n, size_t *ranks, size_t nr) {
  if (has_negzero(a, n)) {
    gsl_sort(a, 1, n);
    return 1;
  }
  /* ascending, without repeats */
  for (size_t i = 1; i < nr; i++) {
    size_t x = ranks[i], j = i;
    for (; j > 0 && ranks[j - 1] > x; j--) ranks[j] = ranks[j - 1];
    ranks[j] = x;
  }
  size_t m = 0;
  for (size_t i = 0; i < nr; i++)
    if (ranks[i] < n && (m == 0 || ranks[i] != ranks[m - 1])) ranks[m++] = ranks[i];
  int depth = 4;
  for (size_t k = n; k > 1; k >>= 1) depth += 2;
  select_ranks(a, 0, n, ranks, m, depth);
  return 0;
}

/* ------------------------------------------------------------ quantiles */

size_t ent_qacc_scratch(const ent_qacc *q) {
  /* sketch: two arrays of H k weighted values, then level 0's values and
   * their 2 k sort keys (ent_qacc_sort_level) */
  return q->exact ? q->n_max : 4 * q->H * q->k + 3 * q->k;
}

typedef struct wv {
  double v, w;
} wv;

static int cmp_wv(const void *a, const void *b) {
  return cmp_double(&((const wv *)a)->v, &((const wv *)b)->v);
}

/* Quantiles p[0..np) of the weighted values w[0..m) (sorted; weights
 * summing to total): the first value whose cumulative weight reaches
 * p total, the last if none does.  For ascending p the scan goes on from
 * the previous one, with the same sums. */
static void read_weighted(const wv *w, size_t m, double total, const double *p,
                          size_t np, double *out) {
  double cum = 0.0;
  size_t j = 0;
  int added = 0; /* cum includes w[j].w */
  for (size_t i = 0; i < np; i++) {
    double target = p[i] * total;
    if (i > 0 && p[i] < p[i - 1]) {
      cum = 0.0;
      j = 0;
      added = 0;
    }
    for (; j + 1 < m; j++) {
      if (!added) cum += w[j].w;
      added = 0;
      if (cum >= target) {
        added = 1;
        break;
      }
    }
    out[i] = w[j].v;
  }
}

/* The next element of the merge of the sorted runs w[*a..mid) and
 * w[*b..m) (not both empty), stable: a value of the second run goes first
 * only when below. */
static inline wv merge_take(const wv *w, size_t *a, size_t mid, size_t *b,
                            size_t m) {
  if (*a < mid && (*b >= m || !(w[*b].v < w[*a].v))) return w[(*a)++];
  return w[(*b)++];
}

/* read_weighted of the merge of the sorted runs w[0..mid) and w[mid..m)
 * (0 < mid < m), p ascending, without the merge written out: the merge
 * gives the elements one at a time (merge_take), and the scan adds the
 * same weights in the same order as read_weighted over the merged array,
 * stopping at the last quantile. */
static void merge_read_weighted(const wv *w, size_t mid, size_t m,
                                double total, const double *p, size_t np,
                                double *out) {
  size_t a = 0, b = mid, j = 0;
  wv cur = merge_take(w, &a, mid, &b, m);
  double cum = 0.0;
  int added = 0; /* cum includes cur.w */
  for (size_t i = 0; i < np; i++) {
    double target = p[i] * total;
    while (j + 1 < m) {
      if (!added) cum += cur.w;
      added = 0;
      if (cum >= target) {
        added = 1;
        break;
      }
      j++;
      cur = merge_take(w, &a, mid, &b, m);
    }
    out[i] = cur.v;
  }
}

/* Quantiles of a constant cell (not empty): every value is x, so what the
 * reads below give when every order statistic is x (the sketch reads a
 * held value, all x). */
static void const_quantiles(const ent_qacc *q, size_t c, const double *p,
                            size_t np, double *out) {
  double x = q->cx[c];
  size_t n = q->count[c];
  for (size_t i = 0; i < np; i++) {
    double h = (double)(n - 1) * p[i];
    size_t lo = (size_t)floor(h);
    double delta = h - (double)lo;
    out[i] = q->exact && lo + 1 < n && delta > 0.0 ? x + delta * (x - x) : x;
  }
}

/* The sketch's level 0, w[0..n0) (no -0.0), sorted by value, through
 * v0 (room for 3 k doubles): the bitonic network takes a power of two, so
 * the n0 values are padded with +inf up to one (at most k), whose first n0
 * sorted are the n0 sorted (a +inf among them is the same bits). */
static void sort_level0(const ent_qacc *q, wv *w, size_t n0, double *v0) {
  size_t k = q->k, p2 = 64;
  int done = 0;
  for (size_t i = 0; i < n0; i++) v0[i] = w[i].v;
  while (p2 < n0) p2 *= 2;
  if (q->lanes && n0 > 32 && p2 <= k) {
    for (size_t i = n0; i < p2; i++) v0[i] = INFINITY;
    done = ent_qacc_bitonic_sort(v0, p2, q->lanes) > 0; /* v0 kept if not */
  }
  if (!done && n0 > 1)
    sort_level(v0, n0, (uint64_t *)(void *)(v0 + k), q->lanes);
  for (size_t i = 0; i < n0; i++) w[i].v = v0[i];
}

void ent_qacc_quantiles(const ent_qacc *q, size_t c, const double *p,
                        size_t np, double *out, double *scratch) {
  if (q->count[c] == 0) {
    for (size_t i = 0; i < np; i++) out[i] = NAN;
    return;
  }
  if (!(q->cst[c] & QC_VARIED)) {
    const_quantiles(q, c, p, np, out);
    return;
  }
  if (q->exact) {
    size_t n = q->len[c];
    if (q->cst[c] & QC_STORED) {
      memcpy(scratch, cell_vals(q, c), n * sizeof(double));
    } else { /* varied in rows still pending */
      for (size_t i = 0; i < n; i++) scratch[i] = q->cx[c];
    }
    for (size_t r = 0; r < q->nb; r++) {
      double x = q->rows[r * q->cells + c];
      if (!isnan(x)) scratch[n++] = x;
    }
    /* type 7 (R's default, GSL's gsl_stats_quantile_from_sorted_data),
     * written as x_lo + delta (x_hi - x_lo) so that equal values give
     * exactly that value; only the order statistics it reads are put in
     * place (ent_select_ranks), not the whole cell sorted */
    size_t ranks[2 * ENT_QACC_MAX_P], nr = 0;
    if (np > ENT_QACC_MAX_P) {
      gsl_sort(scratch, 1, n);
    } else {
      for (size_t i = 0; i < np; i++) {
        double h = (double)(n - 1) * p[i];
        size_t lo = (size_t)floor(h);
        ranks[nr++] = lo < n ? lo : n - 1;
        if (lo + 1 < n && h - (double)lo > 0.0) ranks[nr++] = lo + 1;
      }
      ent_select_ranks(scratch, n, ranks, nr);
    }
    for (size_t i = 0; i < np; i++) {
      double h = (double)(n - 1) * p[i];
      size_t lo = (size_t)floor(h);
      double delta = h - (double)lo;
      out[i] = lo + 1 < n && delta > 0.0
                   ? scratch[lo] + delta * (scratch[lo + 1] - scratch[lo])
                   : scratch[lo < n ? lo : n - 1];
    }
    return;
  }
  /* weighted values of every level, sorted: the sketch's CDF.  A level
   * above 0 holds at most two sorted runs (the compactions of the level
   * below since it was last emptied), level 0 its values in arrival
   * order: level 0 is sorted and the runs merged, stably, into the order
   * a stable sort of the whole would give.  The quantiles read only the
   * values at cumulative weights, and equal values (the same bits without
   * -0.0) give the same answer in any order; a cell holding -0.0 is
   * sorted by comparison as a whole. */
  size_t k = q->k, H = q->H, m = 0, nrun = 0;
  wv *w = (wv *)scratch, *w2 = w + H * k;
  size_t run[2 * 64 + 2];
  double total = 0.0;
  int negzero = 0;
  size_t pos = q->base[c] + q->len[c * H];
  for (size_t h = 0; h < H; h++) {
    size_t len = q->len[c * H + h];
    pos -= len; /* level h starts after the levels above it */
    const double *a = cell_vals(q, c) + pos;
    double weight = ldexp(1.0, (int)h);
    negzero |= has_negzero(a, len);
    if (len == 0) continue;
    if (h == 0 || len <= k / 2) {
      run[nrun++] = m;
    } else {
      run[nrun++] = m;
      run[nrun++] = m + k / 2;
    }
    for (size_t i = 0; i < len; i++) {
      w[m].v = a[i];
      w[m].w = weight;
      total += weight;
      m++;
    }
  }
  if (negzero || H > 64) {
    qsort(w, m, sizeof *w, cmp_wv);
  } else {
    /* level 0, first in w, all of weight 1: its values sorted as in
     * ent_qacc_add (ent_qacc_sort_level; without -0.0 equal values are the same
     * bits, so this is the array a sort of w by value gives) */
    sort_level0(q, w, q->len[c * H], scratch + 4 * H * k);
    run[nrun] = m;
    /* bottom-up: merge neighbouring runs until one is left; the last
     * merge (two runs) is read as it goes when p ascends */
    int ascending = 1;
    for (size_t i = 1; i < np; i++)
      if (p[i] < p[i - 1]) ascending = 0;
    while (nrun > 1) {
      if (nrun == 2 && ascending) {
        merge_read_weighted(w, run[1], m, total, p, np, out);
        return;
      }
      size_t nout = 0, o = 0;
      for (size_t r = 0; r < nrun; r += 2) {
        size_t lo = run[r], mid = run[r + 1];
        size_t hi = r + 2 <= nrun ? run[r + 2] : mid;
        size_t i = lo, j = mid;
        run[nout++] = o;
        while (i < mid && j < hi) w2[o++] = w[j].v < w[i].v ? w[j++] : w[i++];
        while (i < mid) w2[o++] = w[i++];
        while (j < hi) w2[o++] = w[j++];
      }
      run[nout] = m;
      nrun = nout;
      wv *t = w;
      w = w2;
      w2 = t;
    }
  }
  read_weighted(w, m, total, p, np, out);
}
