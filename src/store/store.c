/*
 * store.c -- the SQLite run store (docs/store.md): every `entente run` and
 * `entente forecast` can be kept with its scenario, options and outputs,
 * and an interrupted forecast can be completed (`forecast --resume`).
 *
 * Schema (version 1; PRAGMA application_id = 0x456E7465 "Ente",
 * PRAGMA user_version = 1):
 *
 *   meta(key TEXT PRIMARY KEY, value TEXT)
 *       format = "entente run store", schema = "1", created, created_by
 *   runs(id INTEGER PRIMARY KEY, kind TEXT 'run'|'forecast',
 *        status TEXT 'running'|'interrupted'|'complete',
 *        scenario_id, scenario_title, scenario_source TEXT,
 *        scenario_text TEXT, base_text TEXT (texts it extends, or NULL),
 *        scenario_hash TEXT (SHA-256 of scenario_text then base_text),
 *        options TEXT (JSON: runs, seed, design, memory_mb, threads, ranks,
 *        model_options), seed INTEGER, runs INTEGER, done INTEGER (members
 *        done), failed INTEGER, version TEXT, started TEXT, finished TEXT
 *        (UTC, ISO 8601), output TEXT (the --format json document))
 *   params(run_id, idx, name, dist, nominal)      the uncertain inputs
 *   members(run_id, idx, status, inputs BLOB, headline BLOB, record BLOB)
 *        one row per model evaluation (idx; with Sobol' indices d + 2 per
 *        member); inputs: d doubles, headline: the headline outputs (h
 *        doubles), record: the whole record (ensemble.h) that --resume
 *        needs, set to NULL when the forecast completes unless kept;
 *        doubles in the machine's byte order
 *   series(run_id, variable, entity, year, unit, n, mean, sd, q05, q25,
 *        q50, q75, q95)       a run: n 1, mean = q50 = the value
 *   outcomes(run_id, issue, n, mean, sd, q05, q25, q50, q75, q95)
 *   ranges(run_id, issue, label, at, lo, hi, probability)
 *   sensitivity(run_id, output, input, method, value, total, rank)
 *
 * Invariants: a file that is not a store of this schema is never written
 * (checked before anything else touches it: SQLite header, application
 * id, schema version, meta.format, quick_check); journal mode WAL; every
 * batch of members is one transaction together with runs.done, so an
 * interrupted forecast leaves rows for whole batches only.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ensemble/ensemble.h"
#include "input/scenario.h"
#include "output/render.h"
#include "sim/run_result.h"
#include "store/store.h"
#include "ensemble/uncertain.h"

#define STORE_APP_ID 0x456E7465
#define STORE_SCHEMA 1

struct ent_store {
  sqlite3 *db;
  char *path;
};

/* ------------------------------------------------------------ SHA-256 */

typedef struct sha256 {
  uint32_t h[8];
  uint64_t len;
  unsigned char buf[64];
  size_t n;
} sha256;

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(sha256 *s, const unsigned char *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4],
           f = s->h[5], g = s->h[6], h = s->h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                  ((e & f) ^ (~e & g)) + K256[i] + w[i];
    uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s->h[0] += a;
  s->h[1] += b;
  s->h[2] += c;
  s->h[3] += d;
  s->h[4] += e;
  s->h[5] += f;
  s->h[6] += g;
  s->h[7] += h;
}

static void sha_init(sha256 *s) {
  static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                 0xa54ff53a, 0x510e527f, 0x9b05688c,
                                 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, h0, sizeof h0);
  s->len = 0;
  s->n = 0;
}

static void sha_add(sha256 *s, const void *data, size_t len) {
  const unsigned char *p = data;
  s->len += len;
  while (len) {
    size_t take = 64 - s->n < len ? 64 - s->n : len;
    memcpy(s->buf + s->n, p, take);
    s->n += take;
    p += take;
    len -= take;
    if (s->n == 64) {
      sha_block(s, s->buf);
      s->n = 0;
    }
  }
}

static void sha_hex(sha256 *s, char out[65]) {
  uint64_t bits = s->len * 8;
  unsigned char pad = 0x80, zero = 0;
  sha_add(s, &pad, 1);
  while (s->n != 56) sha_add(s, &zero, 1);
  unsigned char lb[8];
  for (int i = 0; i < 8; i++) lb[i] = (unsigned char)(bits >> (56 - 8 * i));
  sha_add(s, lb, 8);
  for (int i = 0; i < 8; i++) snprintf(out + 8 * i, 9, "%08" PRIx32, s->h[i]);
}

void ent_sha256_hex(const void *data, size_t len, char out[65]) {
  sha256 s;
  sha_init(&s);
  sha_add(&s, data, len);
  sha_hex(&s, out);
}

/* SHA-256 (hex) of a model's scenario text and the texts it extends. */
static void model_hash(const ent_model *m, char out[65]) {
  sha256 s;
  sha_init(&s);
  if (m->text) sha_add(&s, m->text, m->text_len);
  if (m->base_text) sha_add(&s, m->base_text, m->base_len);
  sha_hex(&s, out);
}

/* ------------------------------------------------------------ helpers */

static void now_iso(char *buf, size_t size) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static ent_status db_fail(ent_store *s, ent_diag *d, const char *what) {
  ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, s->path, 1, 1, "run store: %s: %s",
               what, sqlite3_errmsg(s->db));
  return ENT_EIO;
}

static int exec(ent_store *s, const char *sql) {
  return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static const char *const schema_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE runs(id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK(kind IN ('run','forecast')),"
    " status TEXT NOT NULL CHECK(status IN ('running','interrupted','complete')),"
    " scenario_id TEXT, scenario_title TEXT, scenario_source TEXT NOT NULL,"
    " scenario_text TEXT NOT NULL, base_text TEXT, scenario_hash TEXT NOT NULL,"
    " options TEXT NOT NULL, seed INTEGER, runs INTEGER,"
    " done INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,"
    " version TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, output TEXT);"
    "CREATE TABLE params(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " idx INTEGER NOT NULL, name TEXT NOT NULL, dist TEXT NOT NULL,"
    " nominal REAL, PRIMARY KEY(run_id, idx));"
    "CREATE TABLE members(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " idx INTEGER NOT NULL, status INTEGER NOT NULL, inputs BLOB,"
    " headline BLOB, record BLOB, PRIMARY KEY(run_id, idx));"
    "CREATE TABLE series(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " variable TEXT NOT NULL, entity TEXT NOT NULL, year INTEGER, unit TEXT,"
    " n INTEGER, mean REAL, sd REAL, q05 REAL, q25 REAL, q50 REAL, q75 REAL,"
    " q95 REAL);"
    "CREATE INDEX series_run ON series(run_id, variable, entity, year);"
    "CREATE TABLE outcomes(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " issue TEXT NOT NULL, n INTEGER, mean REAL, sd REAL, q05 REAL, q25 REAL,"
    " q50 REAL, q75 REAL, q95 REAL);"
    "CREATE TABLE ranges(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " issue TEXT NOT NULL, label TEXT NOT NULL, at REAL, lo REAL, hi REAL,"
    " probability REAL);"
    "CREATE TABLE sensitivity(run_id INTEGER NOT NULL REFERENCES runs(id),"
    " output TEXT NOT NULL, input TEXT NOT NULL, method TEXT NOT NULL,"
    " value REAL, total REAL, rank INTEGER);";

static ent_status refuse(ent_diag *d, const char *path, const char *why) {
  ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, path, 1, 1,
               "'%s' is not an entente run store: %s; refusing to use it (the "
               "file was not changed)", path, why);
  return ENT_EINPUT;
}

/* Integer result of a one-value query, or -1 after an error. */
static long long query_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *q;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
  if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

void ent_store_close(ent_store *s) {
  if (!s) return;
  sqlite3_close(s->db);
  ent_free(s->path);
  ent_free(s);
}

ent_status ent_store_open(const char *path, int create, ent_store **out,
                          ent_diag *d) {
  *out = NULL;
  struct stat sb;
  int exists = stat(path, &sb) == 0;
  if (!exists && !create) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, path, 0, 0,
                 "no run store '%s' (a forecast or run with --store makes "
                 "one)", path);
    return ENT_EIO;
  }
  int fresh = !exists || sb.st_size == 0;
  if (exists && !S_ISREG(sb.st_mode))
    return refuse(d, path, "not a regular file");
  if (exists && sb.st_size > 0) {
    /* the SQLite header, read before SQLite is let near the file */
    char head[16] = {0};
    FILE *fp = fopen(path, "rb");
    if (!fp) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, path, 0, 0,
                   "cannot open run store '%s': %s", path, strerror(errno));
      return ENT_EIO;
    }
    size_t got = fread(head, 1, sizeof head, fp);
    fclose(fp);
    if (got < sizeof head || memcmp(head, "SQLite format 3", 16))
      return refuse(d, path, "not an SQLite database");
  }
  ent_store *s = ent_calloc(1, sizeof *s);
  if (!s || !(s->path = ent_strdup(path))) {
    ent_free(s);
    return ENT_ENOMEM;
  }
  int flags = SQLITE_OPEN_READWRITE | (fresh ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
    ent_status st = db_fail(s, d, "cannot open");
    ent_store_close(s);
    return st;
  }
  sqlite3_busy_timeout(s->db, 10000);
  if (!fresh) {
    long long app = query_int(s->db, "PRAGMA application_id");
    long long ver = query_int(s->db, "PRAGMA user_version");
    long long tables = query_int(s->db, "SELECT count(*) FROM sqlite_master");
    char why[160];
    ent_status st = ENT_OK;
    if (app < 0 || ver < 0 || tables < 0) {
      snprintf(why, sizeof why, "the database is corrupt (%s)",
               sqlite3_errmsg(s->db));
      st = refuse(d, path, why);
    } else if (app != STORE_APP_ID && !(app == 0 && tables == 0)) {
      snprintf(why, sizeof why, "an SQLite database of another application "
                                "(application_id %lld)", app);
      st = refuse(d, path, why);
    } else if (ver > STORE_SCHEMA) {
      snprintf(why, sizeof why, "made by a newer entente (schema %lld, this "
                                "one reads %d)", ver, STORE_SCHEMA);
      st = refuse(d, path, why);
    } else if (app == STORE_APP_ID) {
      sqlite3_stmt *q;
      const char *res = NULL;
      if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &q, NULL) ==
              SQLITE_OK &&
          sqlite3_step(q) == SQLITE_ROW)
        res = (const char *)sqlite3_column_text(q, 0);
      if (!res || strcmp(res, "ok")) {
        snprintf(why, sizeof why, "the database is corrupt (%.100s)",
                 res ? res : sqlite3_errmsg(s->db));
        st = refuse(d, path, why);
      }
      sqlite3_finalize(q);
      if (st == ENT_OK &&
          query_int(s->db, "SELECT count(*) FROM meta WHERE key = 'format' "
                           "AND value = 'entente run store'") != 1)
        st = refuse(d, path, "its meta table does not say 'entente run store'");
    } else {
      fresh = 1; /* an empty SQLite database: ours to set up */
    }
    if (st != ENT_OK) {
      ent_store_close(s);
      return st;
    }
  }
  if (exec(s, "PRAGMA journal_mode=WAL") || exec(s, "PRAGMA synchronous=NORMAL")) {
    ent_status st = db_fail(s, d, "cannot set WAL mode");
    ent_store_close(s);
    return st;
  }
  if (fresh) {
    char when[40], sql[512];
    now_iso(when, sizeof when);
    snprintf(sql, sizeof sql,
             "PRAGMA application_id=%d; PRAGMA user_version=%d;"
             "INSERT INTO meta VALUES('format','entente run store'),"
             "('schema','%d'),('created','%s'),('created_by','entente %s');",
             STORE_APP_ID, STORE_SCHEMA, STORE_SCHEMA, when, ENT_VERSION);
    if (exec(s, "BEGIN") || exec(s, schema_sql) || exec(s, sql) ||
        exec(s, "COMMIT")) {
      ent_status st = db_fail(s, d, "cannot create the tables");
      exec(s, "ROLLBACK");
      ent_store_close(s);
      return st;
    }
  }
  *out = s;
  return ENT_OK;
}

/* ------------------------------------------------------------ writing */

/* The output document (the JSON of `entente run` / `entente forecast`)
 * of a run or a forecast, from its result tree (ent_free'd by the
 * caller); NULL when out of memory. */
static char *render_run(const ent_run *r) {
  ent_result *res;
  if (ent_run_result(r, &res) != ENT_OK) return NULL;
  char *doc = ent_json_document(res);
  ent_result_destroy(res);
  return doc;
}

static char *render_forecast(const ent_ensemble *e) {
  ent_result *res;
  if (ent_ensemble_result(e, &res) != ENT_OK) return NULL;
  char *doc = ent_json_document(res);
  ent_result_destroy(res);
  return doc;
}

static char *options_json(const ent_run_opts *ro, const ent_ensemble_opts *o) {
  cJSON *j = cJSON_CreateObject();
  if (!j) return NULL;
  if (o) {
    cJSON_AddNumberToObject(j, "runs", (double)o->runs);
    cJSON_AddNumberToObject(j, "seed", (double)o->seed);
    cJSON_AddStringToObject(j, "design", o->sobol ? "saltelli" : "monte-carlo");
    cJSON_AddNumberToObject(j, "memory_mb", o->memory_mb);
    cJSON_AddNumberToObject(j, "threads", o->threads);
    cJSON_AddNumberToObject(j, "ranks", ent_ensemble_mpi_size(o->mpi));
  }
  cJSON *kv = cJSON_AddArrayToObject(j, "model_options");
  for (size_t k = 0; ro && k < ro->n_kv; k++)
    cJSON_AddItemToArray(kv, cJSON_CreateString(ro->kv[k]));
  if (ro && !ro->robustness) cJSON_AddFalseToObject(j, "robustness");
  char *s = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  return s;
}

static int bind_text(sqlite3_stmt *q, int i, const char *s) {
  return s ? sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT)
           : sqlite3_bind_null(q, i);
}

/* Insert the runs row; *id on success. */
static ent_status insert_run(ent_store *s, const ent_model *m, const char *kind,
                             const char *status, const char *options,
                             long long seed, long long runs, long long *id,
                             ent_diag *d) {
  char hash[65], when[40];
  model_hash(m, hash);
  now_iso(when, sizeof when);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db,
                         "INSERT INTO runs(kind, status, scenario_id, "
                         "scenario_title, scenario_source, scenario_text, "
                         "base_text, scenario_hash, options, seed, runs, "
                         "version, started) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot record the run");
  bind_text(q, 1, kind);
  bind_text(q, 2, status);
  bind_text(q, 3, m->id);
  bind_text(q, 4, m->title);
  bind_text(q, 5, m->source ? m->source : "?");
  sqlite3_bind_text(q, 6, m->text ? m->text : "", m->text ? (int)m->text_len : 0,
                    SQLITE_TRANSIENT);
  if (m->base_text)
    sqlite3_bind_text(q, 7, m->base_text, (int)m->base_len, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(q, 7);
  bind_text(q, 8, hash);
  bind_text(q, 9, options);
  if (seed >= 0) sqlite3_bind_int64(q, 10, seed);
  else sqlite3_bind_null(q, 10);
  sqlite3_bind_int64(q, 11, runs);
  bind_text(q, 12, ENT_VERSION);
  bind_text(q, 13, when);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return db_fail(s, d, "cannot record the run");
  *id = sqlite3_last_insert_rowid(s->db);
  return ENT_OK;
}

static double jnum(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void bind_num(sqlite3_stmt *q, int i, double v) {
  if (isfinite(v)) sqlite3_bind_double(q, i, v);
  else sqlite3_bind_null(q, i);
}

/* The summary tables from an output document (JSON of run or forecast). */
static int insert_summary(ent_store *s, long long id, const char *json,
                          int forecast) {
  cJSON *root = cJSON_Parse(json);
  if (!root) return -1;
  const char *const *qn = ent_names_quantile;
  sqlite3_stmt *qs = NULL, *qo = NULL, *qr = NULL, *qz = NULL;
  int bad = sqlite3_prepare_v2(s->db, "INSERT INTO series VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                               -1, &qs, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(s->db, "INSERT INTO outcomes VALUES(?,?,?,?,?,?,?,?,?,?)",
                               -1, &qo, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(s->db, "INSERT INTO ranges VALUES(?,?,?,?,?,?,?)",
                               -1, &qr, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(s->db, "INSERT INTO sensitivity VALUES(?,?,?,?,?,?,?)",
                               -1, &qz, NULL) != SQLITE_OK;
  const cJSON *it;
  const cJSON *series = cJSON_GetObjectItemCaseSensitive(root, "series");
  cJSON_ArrayForEach(it, series) {
    if (bad) break;
    sqlite3_reset(qs);
    sqlite3_bind_int64(qs, 1, id);
    bind_text(qs, 2, jstr(it, "variable"));
    bind_text(qs, 3, jstr(it, "entity"));
    bind_num(qs, 4, jnum(it, "year"));
    bind_text(qs, 5, jstr(it, "unit"));
    if (forecast) {
      bind_num(qs, 6, jnum(it, "n"));
      bind_num(qs, 7, jnum(it, "mean"));
      bind_num(qs, 8, jnum(it, "sd"));
      for (int k = 0; k < 5; k++) bind_num(qs, 9 + k, jnum(it, qn[k]));
    } else {
      double v = jnum(it, "value");
      sqlite3_bind_int(qs, 6, 1);
      bind_num(qs, 7, v);
      for (int k = 8; k <= 13; k++) sqlite3_bind_null(qs, k);
      bind_num(qs, 11, v);
    }
    bad = sqlite3_step(qs) != SQLITE_DONE;
  }
  const cJSON *issues = cJSON_GetObjectItemCaseSensitive(root, "issues");
  cJSON_ArrayForEach(it, issues) {
    if (bad) break;
    const char *iid = jstr(it, "id");
    sqlite3_reset(qo);
    sqlite3_bind_int64(qo, 1, id);
    bind_text(qo, 2, iid);
    const cJSON *oc = cJSON_GetObjectItemCaseSensitive(it, forecast ? "outcome" : "forecast");
    if (forecast) {
      bind_num(qo, 3, jnum(oc, "n"));
      bind_num(qo, 4, jnum(oc, "mean"));
      bind_num(qo, 5, jnum(oc, "sd"));
      for (int k = 0; k < 5; k++) bind_num(qo, 6 + k, jnum(oc, qn[k]));
    } else {
      sqlite3_bind_int(qo, 3, 1);
      bind_num(qo, 4, jnum(oc, "median"));
      for (int k = 5; k <= 10; k++) sqlite3_bind_null(qo, k);
      bind_num(qo, 8, jnum(oc, "median"));
    }
    bad = sqlite3_step(qo) != SQLITE_DONE;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(it, "ranges")) {
      if (bad) break;
      sqlite3_reset(qr);
      sqlite3_bind_int64(qr, 1, id);
      bind_text(qr, 2, iid);
      bind_text(qr, 3, jstr(r, "label"));
      bind_num(qr, 4, jnum(r, "at"));
      bind_num(qr, 5, jnum(r, "from"));
      bind_num(qr, 6, jnum(r, "to"));
      bind_num(qr, 7, jnum(r, "probability"));
      bad = sqlite3_step(qr) != SQLITE_DONE;
    }
  }
  const cJSON *sens = cJSON_GetObjectItemCaseSensitive(root, "sensitivity");
  const char *method = jstr(sens, "method");
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(sens, "outputs")) {
    char out[256];
    double yr = jnum(it, "year");
    snprintf(out, sizeof out, "%s %s", jstr(it, "variable") ? jstr(it, "variable") : "",
             jstr(it, "entity") ? jstr(it, "entity") : "");
    if (isfinite(yr))
      snprintf(out + strlen(out), sizeof out - strlen(out), " %d", (int)yr);
    const cJSON *in;
    cJSON_ArrayForEach(in, cJSON_GetObjectItemCaseSensitive(it, "inputs")) {
      if (bad) break;
      sqlite3_reset(qz);
      sqlite3_bind_int64(qz, 1, id);
      bind_text(qz, 2, out);
      bind_text(qz, 3, jstr(in, "input"));
      bind_text(qz, 4, method);
      int sob = method && !strcmp(method, "sobol");
      bind_num(qz, 5, jnum(in, sob ? "first_order" : "src"));
      bind_num(qz, 6, sob ? jnum(in, "total") : NAN);
      bind_num(qz, 7, jnum(in, "rank"));
      bad = sqlite3_step(qz) != SQLITE_DONE;
    }
  }
  sqlite3_finalize(qs);
  sqlite3_finalize(qo);
  sqlite3_finalize(qr);
  sqlite3_finalize(qz);
  cJSON_Delete(root);
  return bad ? -1 : 0;
}

ent_status ent_store_add_run(ent_store *s, const ent_run *r,
                             const ent_run_opts *o, long long *id,
                             ent_diag *d) {
  if (!s || !r) return ENT_EINVAL;
  char *json = render_run(r);
  char *opts = options_json(o, NULL);
  ent_status st = json && opts ? ENT_OK : ENT_ENOMEM;
  if (st == ENT_OK && exec(s, "BEGIN")) st = db_fail(s, d, "cannot begin");
  int began = st == ENT_OK;
  if (st == ENT_OK)
    st = insert_run(s, r->m, "run", "complete", opts, -1, 1, id, d);
  if (st == ENT_OK) {
    sqlite3_stmt *q;
    char when[40];
    now_iso(when, sizeof when);
    if (sqlite3_prepare_v2(s->db, "UPDATE runs SET output = ?, done = 1, "
                                  "finished = ? WHERE id = ?", -1, &q, NULL) ==
        SQLITE_OK) {
      bind_text(q, 1, json);
      bind_text(q, 2, when);
      sqlite3_bind_int64(q, 3, *id);
      if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(s, d, "cannot save");
      sqlite3_finalize(q);
    } else {
      st = db_fail(s, d, "cannot save");
    }
  }
  if (st == ENT_OK && insert_summary(s, *id, json, 0))
    st = db_fail(s, d, "cannot save the series");
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK && began) exec(s, "ROLLBACK");
  ent_free(json);
  cJSON_free(opts);
  return st;
}

ent_status ent_store_begin_forecast(ent_store *s, const ent_ensemble *e,
                                    long long *id, ent_diag *d) {
  if (!s || !e) return ENT_EINVAL;
  const ent_model *m = ent_ens_model(e);
  const ent_ensemble_opts *o = ent_ens_opts(e);
  char *opts = options_json(ent_ens_run_opts(e), o);
  if (!opts) return ENT_ENOMEM;
  ent_status st = ENT_OK;
  if (exec(s, "BEGIN")) st = db_fail(s, d, "cannot begin");
  int began = st == ENT_OK;
  if (st == ENT_OK)
    st = insert_run(s, m, "forecast", "running", opts, (long long)o->seed,
                    (long long)o->runs, id, d);
  sqlite3_stmt *q = NULL;
  if (st == ENT_OK &&
      sqlite3_prepare_v2(s->db, "INSERT INTO params VALUES(?,?,?,?,?)", -1, &q,
                         NULL) != SQLITE_OK)
    st = db_fail(s, d, "cannot record the inputs");
  for (size_t u = 0; st == ENT_OK && u < m->n_uparams; u++) {
    char desc[256];
    ent_dist_describe(&m->uparams[u].dist, desc, sizeof desc);
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, *id);
    sqlite3_bind_int64(q, 2, (long long)u);
    bind_text(q, 3, m->uparams[u].name);
    bind_text(q, 4, desc);
    sqlite3_bind_double(q, 5, m->uparams[u].nominal);
    if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(s, d, "cannot record the inputs");
  }
  sqlite3_finalize(q);
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK && began) exec(s, "ROLLBACK");
  cJSON_free(opts);
  return st;
}

ent_status ent_store_save_batch(ent_store *s, long long id,
                                const ent_ensemble *e, ent_diag *d) {
  unsigned long first, count;
  const unsigned char *recs = ent_ens_batch(e, &first, &count);
  if (!s) return ENT_EINVAL;
  if (!recs) return ENT_OK;
  size_t rb = ent_ens_record_bytes(e), dim = ent_ens_dim(e),
         h = ent_ens_headline_count(e);
  double *x = ent_calloc(dim + 1, sizeof *x), *y = ent_calloc(h + 1, sizeof *y);
  if (!x || !y) {
    ent_free(x);
    ent_free(y);
    return ENT_ENOMEM;
  }
  ent_status st = ENT_OK;
  sqlite3_stmt *q = NULL;
  if (exec(s, "BEGIN")) st = db_fail(s, d, "cannot begin");
  int began = st == ENT_OK;
  if (st == ENT_OK &&
      sqlite3_prepare_v2(s->db, "INSERT INTO members VALUES(?,?,?,?,?,?)", -1,
                         &q, NULL) != SQLITE_OK)
    st = db_fail(s, d, "cannot save members");
  for (unsigned long k = 0; st == ENT_OK && k < count; k++) {
    const unsigned char *rec = recs + k * rb;
    ent_ens_record_inputs(e, rec, x);
    ent_ens_record_headline(e, rec, y);
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, (long long)(first + k));
    sqlite3_bind_int(q, 3, ent_ens_record_status(rec));
    sqlite3_bind_blob(q, 4, x, (int)(dim * sizeof *x), SQLITE_TRANSIENT);
    sqlite3_bind_blob(q, 5, y, (int)(h * sizeof *y), SQLITE_TRANSIENT);
    sqlite3_bind_blob(q, 6, rec, (int)rb, SQLITE_TRANSIENT);
    if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(s, d, "cannot save members");
  }
  sqlite3_finalize(q);
  if (st == ENT_OK) {
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE runs SET done = %lu WHERE id = %lld",
             ent_ensemble_done(e), id);
    if (exec(s, sql)) st = db_fail(s, d, "cannot save progress");
  }
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK && began) exec(s, "ROLLBACK");
  ent_free(x);
  ent_free(y);
  return st;
}

ent_status ent_store_finish_forecast(ent_store *s, long long id,
                                     const ent_ensemble *e, int keep_members,
                                     ent_diag *d) {
  if (!s || !e) return ENT_EINVAL;
  char *json = render_forecast(e);
  if (!json) return ENT_ENOMEM;
  int complete = ent_ens_complete(e);
  cJSON *root = cJSON_Parse(json);
  double failed = root ? jnum(root, "failed") : 0.0;
  cJSON_Delete(root);
  ent_status st = ENT_OK;
  if (exec(s, "BEGIN")) st = db_fail(s, d, "cannot begin");
  int began = st == ENT_OK;
  sqlite3_stmt *q;
  char when[40];
  now_iso(when, sizeof when);
  if (st == ENT_OK &&
      sqlite3_prepare_v2(s->db, "UPDATE runs SET status = ?, done = ?, "
                                "failed = ?, output = ?, finished = ? WHERE "
                                "id = ?", -1, &q, NULL) == SQLITE_OK) {
    bind_text(q, 1, complete ? "complete" : "interrupted");
    sqlite3_bind_int64(q, 2, (long long)ent_ensemble_done(e));
    sqlite3_bind_int64(q, 3, isfinite(failed) ? (long long)failed : 0);
    bind_text(q, 4, json);
    bind_text(q, 5, when);
    sqlite3_bind_int64(q, 6, id);
    if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(s, d, "cannot save");
    sqlite3_finalize(q);
  } else if (st == ENT_OK) {
    st = db_fail(s, d, "cannot save");
  }
  if (st == ENT_OK && complete) {
    char sql[200];
    snprintf(sql, sizeof sql, "DELETE FROM series WHERE run_id = %lld; DELETE "
                              "FROM outcomes WHERE run_id = %lld;", id, id);
    if (exec(s, sql)) st = db_fail(s, d, "cannot save");
    snprintf(sql, sizeof sql, "DELETE FROM ranges WHERE run_id = %lld; DELETE "
                              "FROM sensitivity WHERE run_id = %lld;", id, id);
    if (st == ENT_OK && exec(s, sql)) st = db_fail(s, d, "cannot save");
    if (st == ENT_OK && insert_summary(s, id, json, 1))
      st = db_fail(s, d, "cannot save the statistics");
    snprintf(sql, sizeof sql, "UPDATE members SET record = NULL WHERE run_id = "
                              "%lld", id);
    if (st == ENT_OK && !keep_members && exec(s, sql))
      st = db_fail(s, d, "cannot save");
  }
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK && began) exec(s, "ROLLBACK");
  ent_free(json);
  return st;
}

/* ------------------------------------------------------------ resume */

/* The stored scenario and options of forecast `id` (0: latest unfinished)
 * as one buffer "source\0text\0options\0base" for the broadcast. */
static ent_status load_run_info(ent_store *s, long long id, char **buf,
                                size_t *len, long long *id_out,
                                long long *done, ent_diag *d) {
  sqlite3_stmt *q;
  const char *sql =
      id ? "SELECT id, status, kind, scenario_source, scenario_text, options, "
           "done FROM runs WHERE id = ?"
         : "SELECT id, status, kind, scenario_source, scenario_text, options, "
           "done FROM runs WHERE kind = 'forecast' AND status != 'complete' "
           "ORDER BY id DESC LIMIT 1";
  if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot read");
  if (id) sqlite3_bind_int64(q, 1, id);
  ent_status st = ENT_OK;
  if (sqlite3_step(q) != SQLITE_ROW) {
    if (id)
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                   "run store '%s' has no run %lld", s->path, id);
    else
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                   "run store '%s' has no unfinished forecast to resume",
                   s->path);
    st = ENT_EINPUT;
  } else {
    const char *status = (const char *)sqlite3_column_text(q, 1);
    const char *kind = (const char *)sqlite3_column_text(q, 2);
    *id_out = sqlite3_column_int64(q, 0);
    *done = sqlite3_column_int64(q, 6);
    if (!kind || strcmp(kind, "forecast")) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                   "run %lld is a single run, not a forecast", *id_out);
      st = ENT_EINPUT;
    } else if (status && !strcmp(status, "complete")) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                   "forecast %lld is already complete", *id_out);
      st = ENT_EINPUT;
    } else {
      ent_strbuf b;
      ent_strbuf_init(&b);
      for (int c = 3; c <= 5; c++) {
        const char *t = (const char *)sqlite3_column_text(q, c);
        ent_strbuf_append(&b, t ? t : "", t ? (size_t)sqlite3_column_bytes(q, c) : 0);
        ent_strbuf_append(&b, "", 1);
      }
      if (b.failed) {
        ent_strbuf_free(&b);
        st = ENT_ENOMEM;
      } else {
        *len = b.len;
        *buf = ent_strbuf_take(&b);
      }
    }
  }
  sqlite3_finalize(q);
  return st;
}

static ent_status feed_members(ent_store *s, long long id, ent_ensemble *e,
                               ent_diag *d) {
  size_t per = ent_ens_per_unit(e), rb = ent_ens_record_bytes(e);
  long long rows = 0;
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db, "SELECT idx, record FROM members WHERE run_id "
                                "= ? ORDER BY idx", -1, &q, NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot read members");
  sqlite3_bind_int64(q, 1, id);
  unsigned char *units = ent_mallocarray(per, rb);
  ent_status st = units ? ENT_OK : ENT_ENOMEM;
  size_t in_unit = 0;
  while (st == ENT_OK && sqlite3_step(q) == SQLITE_ROW) {
    long long idx = sqlite3_column_int64(q, 0);
    const void *rec = sqlite3_column_blob(q, 1);
    int n = sqlite3_column_bytes(q, 1);
    if (idx != rows || !rec || (size_t)n != rb) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                   "forecast %lld cannot be resumed: stored member %lld is "
                   "missing or does not fit this version", id, rows);
      st = ENT_EINPUT;
      break;
    }
    memcpy(units + in_unit * rb, rec, rb);
    rows++;
    if (++in_unit == per) {
      for (size_t k = 0; st == ENT_OK && k < per; k++)
        st = ent_ens_feed(e, units + k * rb, rb);
      in_unit = 0;
    }
  }
  sqlite3_finalize(q);
  ent_free(units);
  if (st == ENT_OK && rows % (long long)per) {
    /* a partial unit cannot exist (whole batches are committed) */
    char sql[160];
    snprintf(sql, sizeof sql, "DELETE FROM members WHERE run_id = %lld AND idx "
                              ">= %lld", id, rows - rows % (long long)per);
    if (exec(s, sql)) st = db_fail(s, d, "cannot tidy members");
  }
  return st;
}

ent_status ent_store_resume(ent_store *s, long long id,
                            const ent_ensemble_opts *o, ent_ensemble **out,
                            ent_model **model, long long *id_out,
                            ent_diag *d) {
  *out = NULL;
  *model = NULL;
  const ent_mpi *mpi = o->mpi;
  int rank = ent_ensemble_mpi_rank(mpi);
  char *buf = NULL;
  size_t len = 0;
  long long done = 0;
  ent_status st = ENT_OK;
  if (rank == 0) st = s ? load_run_info(s, id, &buf, &len, id_out, &done, d)
                        : ENT_EINVAL;
  /* every rank learns whether rank 0 could read the run */
  char stc[16];
  snprintf(stc, sizeof stc, "%d", (int)st);
  char *pst = stc;
  size_t lst = strlen(stc);
  if (ent_ens_bcast(mpi, &pst, &lst) != ENT_OK) return ENT_ENOMEM;
  st = (ent_status)atoi(pst);
  if (pst != stc) ent_free(pst);
  if (st != ENT_OK) {
    ent_free(buf);
    return st;
  }
  st = ent_ens_bcast(mpi, &buf, &len);
  if (st != ENT_OK) {
    ent_free(buf);
    return st;
  }
  const char *source = buf;
  const char *text = source + strlen(source) + 1;
  const char *opts = text + strlen(text) + 1;
  cJSON *oj = cJSON_Parse(opts);
  ent_ensemble_opts eo = *o;
  ent_run_opts *ro = ent_run_opts_create();
  if (!oj || !ro) {
    st = oj ? ENT_ENOMEM : ENT_EINPUT;
    if (!oj)
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s ? s->path : "?", 0, 0,
                   "the stored options of forecast %lld cannot be read", *id_out);
  } else {
    eo.runs = (unsigned long)jnum(oj, "runs");
    eo.seed = (unsigned long long)jnum(oj, "seed");
    eo.memory_mb = jnum(oj, "memory_mb");
    const char *design = jstr(oj, "design");
    eo.sobol = design && !strcmp(design, "saltelli");
    const cJSON *kv;
    cJSON_ArrayForEach(kv, cJSON_GetObjectItemCaseSensitive(oj, "model_options"))
      if (cJSON_IsString(kv) && st == ENT_OK)
        st = ent_run_opts_set(ro, kv->valuestring, "<stored options>", d);
  }
  cJSON_Delete(oj);
  if (st == ENT_OK) st = ent_scenario_load_buffer(source, text, strlen(text), model, d);
  if (st == ENT_OK && rank == 0) {
    /* the scenario (and what it extends) must be the one stored */
    char now[65];
    model_hash(*model, now);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT scenario_hash FROM runs WHERE id = ?",
                           -1, &q, NULL) == SQLITE_OK) {
      sqlite3_bind_int64(q, 1, *id_out);
      if (sqlite3_step(q) == SQLITE_ROW &&
          strcmp((const char *)sqlite3_column_text(q, 0), now)) {
        ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                     "forecast %lld cannot be resumed: the scenario it extends "
                     "has changed since it was stored", *id_out);
        st = ENT_EINPUT;
      }
      sqlite3_finalize(q);
    }
  }
  if (st == ENT_OK) st = ent_ensemble_create(*model, ro, &eo, out, d);
  ent_run_opts_destroy(ro);
  if (st == ENT_OK && rank == 0) st = feed_members(s, *id_out, *out, d);
  if (st == ENT_OK && rank == 0) {
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE runs SET status = 'running', done = %lu "
                              "WHERE id = %lld", ent_ensemble_done(*out), *id_out);
    if (exec(s, sql)) st = db_fail(s, d, "cannot mark the forecast running");
  }
  (void)done;
  /* agree on the outcome, then on where to continue */
  snprintf(stc, sizeof stc, "%d", (int)st);
  pst = stc;
  lst = strlen(stc);
  if (ent_ens_bcast(mpi, &pst, &lst) != ENT_OK) st = ENT_ENOMEM;
  else {
    ent_status st0 = (ent_status)atoi(pst);
    if (pst != stc) ent_free(pst);
    /* rank 0's verdict, unless this rank failed on its own */
    if (st == ENT_OK || st0 != ENT_OK) st = st0;
  }
  if (st == ENT_OK && !*out) st = ENT_ENOMEM;
  if (st == ENT_OK) st = ent_ens_sync(*out);
  ent_free(buf);
  if (st != ENT_OK) {
    ent_ensemble_destroy(*out);
    *out = NULL;
    ent_model_destroy(*model);
    *model = NULL;
  }
  return st;
}

/* ------------------------------------------------------------ reading */

ent_status ent_store_list(ent_store *s, ent_format f, FILE *fp) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db, "SELECT id, kind, status, scenario_id, done, "
                                "runs, seed, started, version, scenario_hash, "
                                "scenario_source FROM runs ORDER BY id", -1,
                         &q, NULL) != SQLITE_OK)
    return ENT_EIO;
  cJSON *arr = f == ENT_FORMAT_JSON ? cJSON_CreateArray() : NULL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (f == ENT_FORMAT_TEXT)
    ent_strbuf_printf(&b, "%5s  %-8s  %-11s  %-28s  %13s  %6s  %-20s  %s\n", "id",
                      "kind", "status", "scenario", "runs", "seed", "started",
                      "hash");
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *kind = (const char *)sqlite3_column_text(q, 1);
    const char *status = (const char *)sqlite3_column_text(q, 2);
    const char *sid = (const char *)sqlite3_column_text(q, 3);
    const char *started = (const char *)sqlite3_column_text(q, 7);
    const char *hash = (const char *)sqlite3_column_text(q, 9);
    const char *source = (const char *)sqlite3_column_text(q, 10);
    long long id = sqlite3_column_int64(q, 0), done = sqlite3_column_int64(q, 4),
              runs = sqlite3_column_int64(q, 5);
    if (arr) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddNumberToObject(o, "id", (double)id);
      cJSON_AddStringToObject(o, "kind", kind ? kind : "");
      cJSON_AddStringToObject(o, "status", status ? status : "");
      cJSON_AddStringToObject(o, "scenario", sid ? sid : "");
      cJSON_AddStringToObject(o, "source", source ? source : "");
      cJSON_AddNumberToObject(o, "done", (double)done);
      cJSON_AddNumberToObject(o, "runs", (double)runs);
      if (sqlite3_column_type(q, 6) != SQLITE_NULL)
        cJSON_AddNumberToObject(o, "seed", (double)sqlite3_column_int64(q, 6));
      cJSON_AddStringToObject(o, "started", started ? started : "");
      cJSON_AddStringToObject(o, "version",
                              (const char *)sqlite3_column_text(q, 8)
                                  ? (const char *)sqlite3_column_text(q, 8)
                                  : "");
      cJSON_AddStringToObject(o, "scenario_hash", hash ? hash : "");
      cJSON_AddItemToArray(arr, o);
    } else {
      char rs[32], seed[24] = "-";
      snprintf(rs, sizeof rs, "%lld/%lld", done, runs);
      if (sqlite3_column_type(q, 6) != SQLITE_NULL)
        snprintf(seed, sizeof seed, "%lld", sqlite3_column_int64(q, 6));
      ent_strbuf_printf(&b, "%5lld  %-8s  %-11s  %-28.28s  %13s  %6s  %-20s  %.12s\n",
                        id, kind ? kind : "", status ? status : "",
                        sid ? sid : "", rs, seed, started ? started : "",
                        hash ? hash : "");
    }
  }
  sqlite3_finalize(q);
  ent_status st = ENT_OK;
  if (arr) {
    char *t = cJSON_Print(arr);
    cJSON_Delete(arr);
    if (!t) st = ENT_ENOMEM;
    else {
      if (fputs(t, fp) < 0 || fputc('\n', fp) == EOF) st = ENT_EIO;
      cJSON_free(t);
    }
  } else if (b.failed) {
    st = ENT_ENOMEM;
  } else if (b.len && fwrite(b.data, 1, b.len, fp) != b.len) {
    st = ENT_EIO;
  }
  ent_strbuf_free(&b);
  return st == ENT_OK && fflush(fp) ? ENT_EIO : st;
}

ent_status ent_store_show(ent_store *s, long long id, FILE *fp, ent_diag *d) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db, "SELECT output FROM runs WHERE id = ?", -1, &q,
                         NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot read");
  sqlite3_bind_int64(q, 1, id);
  ent_status st = ENT_OK;
  if (sqlite3_step(q) != SQLITE_ROW) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                 "run store '%s' has no run %lld", s->path, id);
    st = ENT_EINPUT;
  } else if (sqlite3_column_type(q, 0) == SQLITE_NULL) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                 "run %lld has no output yet (still running, or stopped "
                 "before its first batch)", id);
    st = ENT_EINPUT;
  } else {
    const char *t = (const char *)sqlite3_column_text(q, 0);
    if (fputs(t, fp) < 0 || fflush(fp)) st = ENT_EIO;
  }
  sqlite3_finalize(q);
  return st;
}

ent_status ent_store_fetch(ent_store *s, long long id, ent_store_entry *e,
                           ent_diag *d) {
  memset(e, 0, sizeof *e);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db, "SELECT id, kind, status, started, done "
                                "FROM runs ORDER BY id", -1,
                         &q, NULL) != SQLITE_OK)
    return ENT_EIO;
  int found = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    long long rid = sqlite3_column_int64(q, 0);
    const char *kind = (const char *)sqlite3_column_text(q, 1);
    if (id ? rid != id
           : !(kind && !strcmp(kind, "run")) && sqlite3_column_int64(q, 4) <= 0)
      continue;
    const char *status = (const char *)sqlite3_column_text(q, 2);
    const char *started = (const char *)sqlite3_column_text(q, 3);
    e->id = rid;
    snprintf(e->kind, sizeof e->kind, "%s", kind ? kind : "");
    snprintf(e->status, sizeof e->status, "%s", status ? status : "");
    snprintf(e->started, sizeof e->started, "%s", started ? started : "");
    found = 1;
  }
  sqlite3_finalize(q);
  if (!found) return ENT_ENOTFOUND;
  if (sqlite3_prepare_v2(s->db, "SELECT output FROM runs WHERE id = ?", -1, &q,
                         NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot read");
  sqlite3_bind_int64(q, 1, e->id);
  ent_status st = ENT_OK;
  if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_type(q, 0) == SQLITE_NULL) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                 "run %lld has no output yet (still running, or stopped "
                 "before its first batch)", e->id);
    st = ENT_EINPUT;
  } else {
    const char *t = (const char *)sqlite3_column_text(q, 0);
    e->len = (size_t)sqlite3_column_bytes(q, 0);
    e->output = ent_malloc(e->len + 1);
    if (!e->output) st = ENT_ENOMEM;
    else {
      memcpy(e->output, t, e->len);
      e->output[e->len] = '\0';
    }
  }
  sqlite3_finalize(q);
  return st;
}
