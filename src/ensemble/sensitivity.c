/*
 * sensitivity.c -- see sensitivity.h.
 *
 * Prefixes: ent_src_ (standardised regression coefficients), ent_sobol_
 * (Sobol' indices from Saltelli's design).
 *
 * SRC: co-moments by the multivariate Welford update, in sample order:
 *   dx = x - mx; mx += dx / n; Cxx += dx (x - mx)'; Cxy += dx (y - my)'
 * then the correlation matrix R of the inputs with variance and the
 * correlations r of each with the output give src = R^-1 r (an SVD solve:
 * collinear or constant inputs do not break it) and R^2 = src . r.
 */
#include "ensemble/sensitivity.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "ensemble/stats.h"

struct ent_src {
  size_t d, h, n;
  double *mx, *my;   /* [d], [h] means */
  double *cxx;       /* [d*d] */
  double *cxy;       /* [d*h] */
  double *cyy;       /* [h] */
  double *dx;        /* [d] scratch */
};

ent_src *ent_src_create(size_t d, size_t h) {
  ent_src *s = ent_calloc(1, sizeof *s);
  if (!s) return NULL;
  s->d = d;
  s->h = h;
  size_t dd = d ? d : 1, hh = h ? h : 1;
  s->mx = ent_calloc(dd, sizeof(double));
  s->my = ent_calloc(hh, sizeof(double));
  s->cxx = ent_calloc(dd * dd, sizeof(double));
  s->cxy = ent_calloc(dd * hh, sizeof(double));
  s->cyy = ent_calloc(hh, sizeof(double));
  s->dx = ent_calloc(dd, sizeof(double));
  if (!s->mx || !s->my || !s->cxx || !s->cxy || !s->cyy || !s->dx) {
    ent_src_destroy(s);
    return NULL;
  }
  return s;
}

void ent_src_destroy(ent_src *s) {
  if (!s) return;
  ent_free(s->mx);
  ent_free(s->my);
  ent_free(s->cxx);
  ent_free(s->cxy);
  ent_free(s->cyy);
  ent_free(s->dx);
  ent_free(s);
}

size_t ent_src_count(const ent_src *s) { return s->n; }

void ent_src_add(ent_src *s, const double *x, const double *y) {
  size_t d = s->d, h = s->h;
  s->n++;
  double inv = 1.0 / (double)s->n;
  for (size_t i = 0; i < d; i++) {
    s->dx[i] = x[i] - s->mx[i];
    s->mx[i] += s->dx[i] * inv;
  }
  for (size_t i = 0; i < d; i++) {
    double xi = x[i] - s->mx[i];
    for (size_t j = 0; j < d; j++) s->cxx[i * d + j] += s->dx[j] * xi;
  }
  for (size_t o = 0; o < h; o++) {
    double dy = y[o] - s->my[o];
    s->my[o] += dy * inv;
    double yn = y[o] - s->my[o];
    s->cyy[o] += dy * yn;
    for (size_t i = 0; i < d; i++) s->cxy[i * h + o] += s->dx[i] * yn;
  }
}

ent_status ent_src_compute(const ent_src *s, size_t o, double *src,
                           double *r2) {
  size_t d = s->d, h = s->h;
  for (size_t i = 0; i < d; i++) src[i] = 0.0;
  *r2 = NAN;
  if (s->n < 2) return ENT_EINVAL;
  if (!(s->cyy[o] > 0.0)) return ENT_OK;
  /* inputs with variance */
  size_t *use = ent_mallocarray(d ? d : 1, sizeof *use), m = 0;
  if (!use) return ENT_ENOMEM;
  for (size_t i = 0; i < d; i++)
    if (s->cxx[i * d + i] > 0.0) use[m++] = i;
  if (m == 0) {
    ent_free(use);
    *r2 = 0.0;
    return ENT_OK;
  }
  /* R, V (m*m), S, w, r, b (m): views on one block of ours */
  double *blk = ent_mallocarray(2 * m * m + 4 * m, sizeof(double));
  if (!blk) {
    ent_free(use);
    return ENT_ENOMEM;
  }
  gsl_matrix_view Rv = gsl_matrix_view_array(blk, m, m);
  gsl_matrix_view Vv = gsl_matrix_view_array(blk + m * m, m, m);
  gsl_vector_view Sv = gsl_vector_view_array(blk + 2 * m * m, m);
  gsl_vector_view wv = gsl_vector_view_array(blk + 2 * m * m + m, m);
  gsl_vector_view rv = gsl_vector_view_array(blk + 2 * m * m + 2 * m, m);
  gsl_vector_view bv = gsl_vector_view_array(blk + 2 * m * m + 3 * m, m);
  gsl_matrix *R = &Rv.matrix, *V = &Vv.matrix;
  gsl_vector *S = &Sv.vector, *w = &wv.vector, *r = &rv.vector, *b = &bv.vector;
  for (size_t a = 0; a < m; a++) {
    size_t i = use[a];
    double si = sqrt(s->cxx[i * d + i]);
    gsl_vector_set(r, a, s->cxy[i * h + o] / (si * sqrt(s->cyy[o])));
    for (size_t c = 0; c < m; c++) {
      size_t j = use[c];
      gsl_matrix_set(R, a, c, s->cxx[i * d + j] / (si * sqrt(s->cxx[j * d + j])));
    }
  }
  ent_status st = ENT_ENOCONV;
  if (gsl_linalg_SV_decomp(R, V, S, w) == 0) {
    double smax = gsl_vector_get(S, 0);
    for (size_t a = 0; a < m; a++)
      if (gsl_vector_get(S, a) < 1e-10 * smax) gsl_vector_set(S, a, 0.0);
    if (gsl_linalg_SV_solve(R, V, S, r, b) == 0) {
      double acc = 0.0;
      for (size_t a = 0; a < m; a++) {
        src[use[a]] = gsl_vector_get(b, a);
        acc += gsl_vector_get(b, a) * gsl_vector_get(r, a);
      }
      *r2 = acc;
      st = ENT_OK;
    }
  }
  ent_free(blk);
  ent_free(use);
  return st;
}

/* ------------------------------------------------------------ Sobol' */

struct ent_sobol {
  size_t d, h, n;
  ent_welford *v;  /* [h] variance over A and B */
  double *s1, *st; /* [d*h] sums of the estimators' terms */
};

ent_sobol *ent_sobol_create(size_t d, size_t h) {
  ent_sobol *s = ent_calloc(1, sizeof *s);
  if (!s) return NULL;
  s->d = d;
  s->h = h;
  size_t dd = d ? d : 1, hh = h ? h : 1;
  s->v = ent_calloc(hh, sizeof *s->v);
  s->s1 = ent_calloc(dd * hh, sizeof(double));
  s->st = ent_calloc(dd * hh, sizeof(double));
  if (!s->v || !s->s1 || !s->st) {
    ent_sobol_destroy(s);
    return NULL;
  }
  return s;
}

void ent_sobol_destroy(ent_sobol *s) {
  if (!s) return;
  ent_free(s->v);
  ent_free(s->s1);
  ent_free(s->st);
  ent_free(s);
}

size_t ent_sobol_count(const ent_sobol *s) { return s->n; }

void ent_sobol_add(ent_sobol *s, const double *fA, const double *fB,
                   const double *fAB) {
  size_t d = s->d, h = s->h;
  s->n++;
  for (size_t o = 0; o < h; o++) {
    ent_welford_add(&s->v[o], fA[o]);
    ent_welford_add(&s->v[o], fB[o]);
    for (size_t i = 0; i < d; i++) {
      double ab = fAB[i * h + o];
      s->s1[i * h + o] += fB[o] * (ab - fA[o]);
      s->st[i * h + o] += (fA[o] - ab) * (fA[o] - ab);
    }
  }
}

void ent_sobol_compute(const ent_sobol *s, size_t o, double *S1, double *ST) {
  size_t d = s->d, h = s->h;
  const ent_welford *w = &s->v[o];
  double var = w->n > 1 ? w->m2 / (double)(w->n - 1) : 0.0;
  for (size_t i = 0; i < d; i++) {
    if (!(var > 0.0) || s->n == 0) {
      S1[i] = ST[i] = NAN;
      continue;
    }
    S1[i] = s->s1[i * h + o] / (double)s->n / var;
    ST[i] = s->st[i * h + o] / (2.0 * (double)s->n) / var;
  }
}
