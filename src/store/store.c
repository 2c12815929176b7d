/*
 * store.c -- the SQLite run store (docs/store.md): every `entente run` and
 * `entente forecast` can be kept with its scenario, options and outputs,
 * and an interrupted forecast can be completed (`forecast --resume`).
 * This file saves and loads plain data only (store.h): the callers render
 * the output documents and feed the ensemble (store_forecast.c,
 * output/store_write.c).
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
 *   leases(run_id, pid, host, since, heartbeat)   forecasts being computed
 *        (a row from begin or resume to finish; made on first use, so
 *        stores made before it get it without a schema change)
 *   leases(run_id, pid, host, since, heartbeat)   forecasts being computed
 *        (a row from begin or resume to finish; made on first use, so
 *        stores made before it get it without a schema change)
 *
 * Invariants: a file that is not a store of this schema is never written
 * (checked before anything else touches it: SQLite header, application
 * id, schema version, meta.format, quick_check); journal mode WAL; every
 * batch of members is one transaction together with runs.done, so an
 * interrupted forecast leaves rows for whole batches only.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/cjson_print.h"
#include "base/diag.h"
#include "model/names.h"
#include "sim/sim.h"
#include "store/store.h"

#define STORE_APP_ID 0x456E7465
#define STORE_SCHEMA 1
/* how long a process waits for another one's transaction */
#define STORE_BUSY_MS 30000
/* a lease on another host with no progress for this long is stale */
#define LEASE_STALE_S 600

struct ent_store {
  sqlite3 *db;
  char *path;
};

/* ------------------------------------------------------------ helpers */

static void now_iso(char *buf, size_t size) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int exec(ent_store *s, const char *sql) {
  return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* exec for a statement that needs an exclusive lock outside a
 * transaction (PRAGMA journal_mode, auto_vacuum on a new store): when
 * another process holds a lock SQLite may return SQLITE_BUSY at once,
 * without the busy handler, where waiting could deadlock -- seen when
 * several processes create one store together.  Retried with short
 * sleeps for up to STORE_BUSY_MS. */
static int exec_wait(ent_store *s, const char *sql) {
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long nap = 1;; nap = nap < 32 ? 2 * nap : 32) {
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK) return 0;
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) return -1;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double ms = (double)(t.tv_sec - t0.tv_sec) * 1e3 +
                (double)(t.tv_nsec - t0.tv_nsec) / 1e6;
    if (ms >= STORE_BUSY_MS) return -1;
    struct timespec d = {0, nap * 1000000L};
    nanosleep(&d, NULL);
  }
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

/* Live forecasts: one row per forecast a process is computing (added to
 * schema 1 stores on first use; docs/store.md "Several processes"). */
static const char *const lease_sql =
    "CREATE TABLE IF NOT EXISTS leases(run_id INTEGER PRIMARY KEY"
    " REFERENCES runs(id), pid INTEGER NOT NULL, host TEXT NOT NULL,"
    " since INTEGER NOT NULL, heartbeat INTEGER NOT NULL);";

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

/* What went wrong in the last SQLite call, in words a user can act on:
 * the disk being full, a read-only file or directory, a corrupt file. */
static const char *why_failed(ent_store *s, char *buf, size_t size) {
  int rc = sqlite3_extended_errcode(s->db), prim = rc & 0xff;
  int err = sqlite3_system_errno(s->db);
  if (prim == SQLITE_FULL || err == ENOSPC || err == EDQUOT)
    snprintf(buf, size, "the disk is full (%s); what was kept before is "
             "intact: free some space and try again", strerror(ENOSPC));
  else if (prim == SQLITE_READONLY || err == EROFS || err == EACCES ||
           err == EPERM)
    snprintf(buf, size, "cannot write to the store or its directory (%s)",
             strerror(err ? err : EACCES));
  else if (prim == SQLITE_CANTOPEN)
    snprintf(buf, size, "cannot open the store or the journal files beside "
             "it (%s)", err ? strerror(err) : sqlite3_errmsg(s->db));
  else if (prim == SQLITE_IOERR)
    snprintf(buf, size, "%s (%s)", sqlite3_errmsg(s->db),
             err ? strerror(err) : "input/output error");
  else if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
    snprintf(buf, size, "another process kept the store locked for more than "
             "%d s", STORE_BUSY_MS / 1000);
  else
    snprintf(buf, size, "%s", sqlite3_errmsg(s->db));
  return buf;
}

static ent_status db_fail(ent_store *s, ent_diag *d, const char *what) {
  char why[256];
  ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, s->path, 1, 1, "run store: %s: %s",
               what, why_failed(s, why, sizeof why));
  return ENT_EIO;
}

/* The checks of an existing database before anything is written to it;
 * *empty set for an SQLite database with no tables (ours to set up). */
static ent_status check_store_in(ent_store *s, ent_diag *d, int *empty) {
  const char *path = s->path;
  long long app = query_int(s->db, "PRAGMA application_id");
  long long ver = query_int(s->db, "PRAGMA user_version");
  long long tables = query_int(s->db, "SELECT count(*) FROM sqlite_master");
  char why[300];
  *empty = 0;
  if (app < 0 || ver < 0 || tables < 0) {
    int prim = sqlite3_errcode(s->db) & 0xff;
    if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB) {
      snprintf(why, sizeof why, "the database is corrupt (%s)",
               sqlite3_errmsg(s->db));
      return refuse(d, path, why);
    }
    char how[256];
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, path, 1, 1,
                 "cannot read run store '%s': %s", path,
                 why_failed(s, how, sizeof how));
    return ENT_EIO;
  }
  if (app != STORE_APP_ID && !(app == 0 && tables == 0)) {
    snprintf(why, sizeof why, "an SQLite database of another application "
                              "(application_id %lld)", app);
    return refuse(d, path, why);
  }
  if (ver > STORE_SCHEMA) {
    snprintf(why, sizeof why, "made by a newer entente (schema %lld, this "
                              "one reads %d)", ver, STORE_SCHEMA);
    return refuse(d, path, why);
  }
  if (app != STORE_APP_ID) {
    *empty = 1;
    return ENT_OK;
  }
  sqlite3_stmt *q;
  const char *res = NULL;
  ent_status st = ENT_OK;
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
  return st;
}

/* check_store_in inside one read transaction: another process may be
 * making the tables meanwhile, and reads outside a transaction could see
 * the application id from before its commit and the tables from after
 * (a fresh store refused as "another application"). */
static ent_status check_store(ent_store *s, ent_diag *d, int *empty) {
  if (exec(s, "BEGIN")) return db_fail(s, d, "cannot read the store");
  ent_status st = check_store_in(s, d, empty);
  exec(s, st == ENT_OK ? "COMMIT" : "ROLLBACK");
  return st;
}

/* Make the tables of an empty database.  Several processes may try at
 * once: the first to take the write lock (BEGIN IMMEDIATE) makes them, the
 * others find them made and check them as any existing store.  *made: 1
 * if this process made them. */
static ent_status set_up(ent_store *s, ent_diag *d, int *made) {
  char when[40], sql[512];
  *made = 0;
  now_iso(when, sizeof when);
  snprintf(sql, sizeof sql,
           "PRAGMA application_id=%d; PRAGMA user_version=%d;"
           "INSERT INTO meta VALUES('format','entente run store'),"
           "('schema','%d'),('created','%s'),('created_by','entente %s');",
           STORE_APP_ID, STORE_SCHEMA, STORE_SCHEMA, when, ENT_VERSION);
  if (exec(s, "BEGIN IMMEDIATE")) return db_fail(s, d, "cannot create the tables");
  long long tables = query_int(s->db, "SELECT count(*) FROM sqlite_master");
  if (tables != 0) {
    exec(s, "ROLLBACK");
    return tables < 0 ? db_fail(s, d, "cannot create the tables") : ENT_OK;
  }
  if (exec(s, schema_sql) || exec(s, lease_sql) || exec(s, sql) ||
      exec(s, "COMMIT")) {
    ent_status st = db_fail(s, d, "cannot create the tables");
    exec(s, "ROLLBACK");
    return st;
  }
  *made = 1;
  return ENT_OK;
}

ent_status ent_store_open(const char *path, int create, ent_store **out,
                          ent_diag *d) {
  *out = NULL;
  if (!path || !*path) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, "<command-line>", 1, 1,
                 "the run store needs a file name (an empty name would be a "
                 "temporary database that is lost at exit)");
    return ENT_EINPUT;
  }
  struct stat sb;
  int exists = stat(path, &sb) == 0;
  if (!exists && !create) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, path, 0, 0,
                 "no run store '%s' (a forecast or run with --store makes "
                 "one)", path);
    return ENT_EIO;
  }
  if (exists && S_ISDIR(sb.st_mode))
    return refuse(d, path, "it is a directory (give a file name inside it, "
                           "e.g. DIR/" "entente.db)");
  if (exists && !S_ISREG(sb.st_mode))
    return refuse(d, path, "not a regular file");
  int fresh = !exists || sb.st_size == 0;
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
  /* SQLite keeps its journal files (NAME-wal, NAME-shm) beside the store:
   * say so plainly when the directory cannot take them */
  {
    char *dir = ent_strdup(path);
    if (!dir) return ENT_ENOMEM;
    char *slash = strrchr(dir, '/');
    if (!slash) strcpy(dir, ".");
    else if (slash == dir) dir[1] = '\0';
    else *slash = '\0';
    int bad = access(dir, W_OK | X_OK) != 0;
    int err = errno;
    if (bad && (err == EACCES || err == EROFS || err == EPERM))
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, path, 1, 1,
                   "cannot use run store '%s': its directory '%s' is not "
                   "writable (%s), and SQLite keeps its journal files beside "
                   "the store", path, dir, strerror(err));
    else if (!bad && exists && access(path, R_OK | W_OK) != 0) {
      err = errno;
      bad = 1;
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, path, 1, 1,
                   "cannot use run store '%s': %s", path, strerror(err));
    } else if (bad) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, path, 1, 1,
                   "cannot use run store '%s': directory '%s': %s", path, dir,
                   strerror(err));
    }
    ent_free(dir);
    if (bad) return ENT_EIO;
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
  sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
  ent_status st = ENT_OK;
  if (!fresh) st = check_store(s, d, &fresh);
  /* a new store reclaims the pages of the records it drops once a
   * forecast is complete (PRAGMA incremental_vacuum); set before any
   * table exists */
  if (st == ENT_OK && fresh && exec_wait(s, "PRAGMA auto_vacuum=INCREMENTAL"))
    st = db_fail(s, d, "cannot set up the store");
  if (st == ENT_OK && (exec_wait(s, "PRAGMA journal_mode=WAL") ||
                       exec(s, "PRAGMA synchronous=NORMAL")))
    st = db_fail(s, d, "cannot set WAL mode");
  if (st == ENT_OK && fresh) {
    int made = 0, empty = 0;
    st = set_up(s, d, &made);
    /* another process made it first: check it as any store */
    if (st == ENT_OK && !made) st = check_store(s, d, &empty);
    if (st == ENT_OK && !made && empty)
      st = refuse(d, path, "its tables could not be made");
  }
  if (st != ENT_OK) {
    ent_store_close(s);
    return st;
  }
  *out = s;
  return ENT_OK;
}

/* ------------------------------------------------------------ writing */

const char *ent_store_path(const ent_store *s) { return s->path; }

/* The options column: the forecast options (o NULL for a single run) and
 * the model options as ent_run_opts_set reads them back. */
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
  for (size_t k = 0; k < ent_run_opts_count(ro); k++) {
    char one[128];
    ent_run_opts_describe(ro, k, one, sizeof one);
    cJSON_AddItemToArray(kv, cJSON_CreateString(one));
  }
  if (ro && !ro->robustness) cJSON_AddFalseToObject(j, "robustness");
  char *s = ent_cjson_text(j, 0);
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
  ent_model_hash(m, hash);
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

/* ------------------------------------------------------------ leases */

static void host_name(char *buf, size_t size) {
  if (gethostname(buf, size) != 0) snprintf(buf, size, "?");
  buf[size - 1] = '\0';
}

/* Record that this process computes forecast id (inside a transaction). */
static ent_status lease_take(ent_store *s, long long id, ent_diag *d) {
  char host[256];
  host_name(host, sizeof host);
  sqlite3_stmt *q;
  if (exec(s, lease_sql) ||
      sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO leases VALUES(?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot record the forecast as running");
  long long now = (long long)time(NULL);
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int64(q, 2, (long long)getpid());
  bind_text(q, 3, host);
  sqlite3_bind_int64(q, 4, now);
  sqlite3_bind_int64(q, 5, now);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? ENT_OK
                           : db_fail(s, d, "cannot record the forecast as running");
}

/* Inside a transaction: ENT_OK if nobody else computes forecast id (no
 * lease, or a stale one: its process is gone, or on another host it made
 * no progress for LEASE_STALE_S); else ENT_EINPUT with the reason in d.
 * mine: 1 if the lease is this process's. */
static ent_status lease_check(ent_store *s, long long id, int *mine,
                              ent_diag *d) {
  *mine = 0;
  if (exec(s, lease_sql)) return db_fail(s, d, "cannot read the leases");
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db, "SELECT pid, host, heartbeat FROM leases "
                                "WHERE run_id = ?", -1, &q, NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot read the leases");
  sqlite3_bind_int64(q, 1, id);
  ent_status st = ENT_OK;
  if (sqlite3_step(q) == SQLITE_ROW) {
    long long pid = sqlite3_column_int64(q, 0);
    const char *h = (const char *)sqlite3_column_text(q, 1);
    long long beat = sqlite3_column_int64(q, 2);
    long long ago = (long long)time(NULL) - beat;
    char host[256];
    host_name(host, sizeof host);
    int here = h && !strcmp(h, host);
    int live;
    if (here && pid == (long long)getpid()) {
      *mine = 1;
      live = 0;
    } else if (here) {
      live = pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
    } else {
      live = ago < LEASE_STALE_S;
    }
    if (live) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 1, 1,
                   "forecast %lld is being computed by process %lld on host "
                   "'%.100s' (last progress %lld s ago): wait until it ends, "
                   "or stop it (Ctrl-C or kill %lld) and resume it then",
                   id, pid, h ? h : "?", ago < 0 ? 0 : ago, pid);
      st = ENT_EINPUT;
    }
  }
  sqlite3_finalize(q);
  return st;
}

static ent_status lease_drop(ent_store *s, long long id, ent_diag *d) {
  char sql[160];
  snprintf(sql, sizeof sql, "DELETE FROM leases WHERE run_id = %lld", id);
  return exec(s, lease_sql) || exec(s, sql)
             ? db_fail(s, d, "cannot record the forecast as stopped")
             : ENT_OK;
}

ent_status ent_store_claim(ent_store *s, long long id, long long *id_out,
                           ent_diag *d) {
  *id_out = 0;
  if (exec(s, "BEGIN IMMEDIATE")) return db_fail(s, d, "cannot begin");
  ent_status st = ENT_OK;
  if (!id) {
    id = query_int(s->db, "SELECT id FROM runs WHERE kind = 'forecast' AND "
                          "status != 'complete' ORDER BY id DESC LIMIT 1");
    if (id < 0) id = 0; /* none: ent_store_load_forecast says so */
  }
  int mine = 0;
  if (id) st = lease_check(s, id, &mine, d);
  if (st == ENT_OK && id) {
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM runs WHERE id = %lld AND "
                              "kind = 'forecast' AND status != 'complete'", id);
    if (query_int(s->db, sql) == 1) st = lease_take(s, id, d);
  }
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK) exec(s, "ROLLBACK");
  if (st == ENT_OK) *id_out = id;
  return st;
}

ent_status ent_store_abandon(ent_store *s, long long id, ent_diag *d) {
  if (!s || !id) return ENT_EINVAL;
  char sql[200];
  snprintf(sql, sizeof sql, "UPDATE runs SET status = 'interrupted' WHERE "
                            "id = %lld AND status = 'running'", id);
  char mine[300];
  ent_status st = ENT_OK;
  if (exec(s, "BEGIN IMMEDIATE")) return db_fail(s, d, "cannot begin");
  /* only a forecast this process computes */
  snprintf(mine, sizeof mine, "SELECT count(*) FROM leases WHERE run_id = "
                              "%lld AND pid = %lld", id, (long long)getpid());
  if (exec(s, lease_sql) || query_int(s->db, mine) != 1) {
    exec(s, "ROLLBACK");
    return ENT_ENOTFOUND;
  }
  if (exec(s, sql)) st = db_fail(s, d, "cannot mark the forecast interrupted");
  if (st == ENT_OK) st = lease_drop(s, id, d);
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK) exec(s, "ROLLBACK");
  return st;
}

/* Inside a batch's transaction: the lease must still be this process's
 * (nobody took the forecast over), and it made progress now. */
static ent_status lease_beat(ent_store *s, long long id, ent_diag *d) {
  char sql[200], host[256];
  host_name(host, sizeof host);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM leases WHERE run_id = %lld "
                            "AND pid = %lld", id, (long long)getpid());
  long long n = query_int(s->db, sql);
  if (n < 0) return db_fail(s, d, "cannot read the leases");
  if (n == 0) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EIO, s->path, 1, 1,
                 "forecast %lld was taken over by another process; this one "
                 "stops (what it kept before stays in the store)", id);
    return ENT_EIO;
  }
  snprintf(sql, sizeof sql, "UPDATE leases SET heartbeat = %lld WHERE run_id "
                            "= %lld", (long long)time(NULL), id);
  return exec(s, sql) ? db_fail(s, d, "cannot save progress") : ENT_OK;
}

ent_status ent_store_save_run(ent_store *s, const ent_model *m,
                              const ent_run_opts *ro, const char *doc,
                              long long *id, ent_diag *d) {
  char *opts = options_json(ro, NULL);
  ent_status st = opts ? ENT_OK : ENT_ENOMEM;
  if (st == ENT_OK && exec(s, "BEGIN IMMEDIATE")) st = db_fail(s, d, "cannot begin");
  int began = st == ENT_OK;
  if (st == ENT_OK)
    st = insert_run(s, m, "run", "complete", opts, -1, 1, id, d);
  if (st == ENT_OK) {
    sqlite3_stmt *q;
    char when[40];
    now_iso(when, sizeof when);
    if (sqlite3_prepare_v2(s->db, "UPDATE runs SET output = ?, done = 1, "
                                  "finished = ? WHERE id = ?", -1, &q, NULL) ==
        SQLITE_OK) {
      bind_text(q, 1, doc);
      bind_text(q, 2, when);
      sqlite3_bind_int64(q, 3, *id);
      if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(s, d, "cannot save");
      sqlite3_finalize(q);
    } else {
      st = db_fail(s, d, "cannot save");
    }
  }
  if (st == ENT_OK && insert_summary(s, *id, doc, 0))
    st = db_fail(s, d, "cannot save the series");
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK && began) exec(s, "ROLLBACK");
  ent_free(opts);
  return st;
}

ent_status ent_store_save_forecast(ent_store *s, const ent_model *m,
                                   const ent_run_opts *ro,
                                   const ent_ensemble_opts *eo,
                                   const ent_store_param *params,
                                   size_t n_params, long long *id,
                                   ent_diag *d) {
  char *opts = options_json(ro, eo);
  if (!opts) return ENT_ENOMEM;
  ent_status st = ENT_OK;
  if (exec(s, "BEGIN IMMEDIATE")) st = db_fail(s, d, "cannot begin");
  int began = st == ENT_OK;
  if (st == ENT_OK)
    st = insert_run(s, m, "forecast", "running", opts, (long long)eo->seed,
                    (long long)eo->runs, id, d);
  if (st == ENT_OK) st = lease_take(s, *id, d);
  sqlite3_stmt *q = NULL;
  if (st == ENT_OK &&
      sqlite3_prepare_v2(s->db, "INSERT INTO params VALUES(?,?,?,?,?)", -1, &q,
                         NULL) != SQLITE_OK)
    st = db_fail(s, d, "cannot record the inputs");
  for (size_t u = 0; st == ENT_OK && u < n_params; u++) {
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, *id);
    sqlite3_bind_int64(q, 2, (long long)u);
    bind_text(q, 3, params[u].name);
    bind_text(q, 4, params[u].dist);
    sqlite3_bind_double(q, 5, params[u].nominal);
    if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(s, d, "cannot record the inputs");
  }
  sqlite3_finalize(q);
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK && began) exec(s, "ROLLBACK");
  ent_free(opts);
  return st;
}

ent_status ent_store_save_members(ent_store *s, long long id, size_t count,
                                  ent_store_member_fn fill, void *ctx,
                                  unsigned long done, ent_diag *d) {
  ent_status st = ENT_OK;
  sqlite3_stmt *q = NULL;
  if (exec(s, "BEGIN IMMEDIATE")) st = db_fail(s, d, "cannot begin");
  int began = st == ENT_OK;
  if (st == ENT_OK) st = lease_beat(s, id, d);
  if (st == ENT_OK &&
      sqlite3_prepare_v2(s->db, "INSERT INTO members VALUES(?,?,?,?,?,?)", -1,
                         &q, NULL) != SQLITE_OK)
    st = db_fail(s, d, "cannot save members");
  for (size_t k = 0; st == ENT_OK && k < count; k++) {
    ent_store_member mb;
    st = fill(ctx, k, &mb);
    if (st != ENT_OK) break;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, mb.idx);
    sqlite3_bind_int(q, 3, mb.status);
    sqlite3_bind_blob(q, 4, mb.x, (int)(mb.nx * sizeof *mb.x), SQLITE_TRANSIENT);
    sqlite3_bind_blob(q, 5, mb.y, (int)(mb.ny * sizeof *mb.y), SQLITE_TRANSIENT);
    sqlite3_bind_blob(q, 6, mb.rec, (int)mb.rec_len, SQLITE_TRANSIENT);
    if (sqlite3_step(q) != SQLITE_DONE) st = db_fail(s, d, "cannot save members");
  }
  sqlite3_finalize(q);
  if (st == ENT_OK) {
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE runs SET done = %lu WHERE id = %lld",
             done, id);
    if (exec(s, sql)) st = db_fail(s, d, "cannot save progress");
  }
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK && began) exec(s, "ROLLBACK");
  return st;
}

ent_status ent_store_save_output(ent_store *s, long long id, const char *doc,
                                 int complete, unsigned long done,
                                 int keep_members, ent_diag *d) {
  cJSON *root = cJSON_Parse(doc);
  double failed = root ? jnum(root, "failed") : 0.0;
  cJSON_Delete(root);
  ent_status st = ENT_OK;
  if (exec(s, "BEGIN IMMEDIATE")) st = db_fail(s, d, "cannot begin");
  int began = st == ENT_OK;
  if (st == ENT_OK) st = lease_drop(s, id, d);
  sqlite3_stmt *q;
  char when[40];
  now_iso(when, sizeof when);
  if (st == ENT_OK &&
      sqlite3_prepare_v2(s->db, "UPDATE runs SET status = ?, done = ?, "
                                "failed = ?, output = ?, finished = ? WHERE "
                                "id = ?", -1, &q, NULL) == SQLITE_OK) {
    bind_text(q, 1, complete ? "complete" : "interrupted");
    sqlite3_bind_int64(q, 2, (long long)done);
    sqlite3_bind_int64(q, 3, isfinite(failed) ? (long long)failed : 0);
    bind_text(q, 4, doc);
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
    if (st == ENT_OK && insert_summary(s, id, doc, 1))
      st = db_fail(s, d, "cannot save the statistics");
    snprintf(sql, sizeof sql, "UPDATE members SET record = NULL WHERE run_id = "
                              "%lld", id);
    if (st == ENT_OK && !keep_members && exec(s, sql))
      st = db_fail(s, d, "cannot save");
  }
  if (st == ENT_OK && exec(s, "COMMIT")) st = db_fail(s, d, "cannot commit");
  if (st != ENT_OK && began) exec(s, "ROLLBACK");
  /* the dropped records leave free pages: give them back (best effort;
   * stores made before auto_vacuum was set are vacuumed when mostly free) */
  if (st == ENT_OK && complete && !keep_members) {
    long long av = query_int(s->db, "PRAGMA auto_vacuum");
    long long fl = query_int(s->db, "PRAGMA freelist_count");
    long long pc = query_int(s->db, "PRAGMA page_count");
    if (av == 2) exec(s, "PRAGMA incremental_vacuum");
    else if (fl > 0 && pc > 0 && 2 * fl > pc) exec(s, "VACUUM");
    exec(s, "PRAGMA wal_checkpoint(TRUNCATE)");
  }
  return st;
}

/* ------------------------------------------------------------ loading */

/* Copy of column c (NULL stays NULL) into A. */
static const char *col_text(sqlite3_stmt *q, int c, ent_arena *A) {
  const char *t = (const char *)sqlite3_column_text(q, c);
  return t ? ent_arena_strndup(A, t, (size_t)sqlite3_column_bytes(q, c)) : NULL;
}

/* The same, "" for NULL. */
static const char *col_text0(sqlite3_stmt *q, int c, ent_arena *A) {
  const char *t = col_text(q, c, A);
  return t ? t : "";
}

/* *q: columns `cols` of run id, or with id 0 of the latest run that
 * satisfies `latest` (an SQL condition). */
static ent_status select_run(ent_store *s, const char *cols, long long id,
                             const char *latest, sqlite3_stmt **q,
                             ent_diag *d) {
  char sql[512];
  if (id)
    snprintf(sql, sizeof sql, "SELECT %s FROM runs WHERE id = ?", cols);
  else
    snprintf(sql, sizeof sql, "SELECT %s FROM runs WHERE %s ORDER BY id DESC "
                              "LIMIT 1", cols, latest);
  if (sqlite3_prepare_v2(s->db, sql, -1, q, NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot read");
  if (id) sqlite3_bind_int64(*q, 1, id);
  return ENT_OK;
}

/* The typed options of f from the options column. */
static ent_status read_options(ent_store *s, ent_store_forecast *f,
                               const char *text, ent_diag *d) {
  cJSON *oj = cJSON_Parse(text);
  f->ro = ent_run_opts_create();
  ent_status st = ENT_OK;
  if (!oj || !f->ro) {
    st = oj ? ENT_ENOMEM : ENT_EINPUT;
    if (!oj)
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                   "the stored options of forecast %lld cannot be read", f->id);
  } else {
    f->opts.runs = (unsigned long)jnum(oj, "runs");
    f->opts.seed = (unsigned long long)jnum(oj, "seed");
    f->opts.memory_mb = jnum(oj, "memory_mb");
    const char *design = jstr(oj, "design");
    f->opts.sobol = design && !strcmp(design, "saltelli");
    const cJSON *kv;
    cJSON_ArrayForEach(kv, cJSON_GetObjectItemCaseSensitive(oj, "model_options"))
      if (cJSON_IsString(kv) && st == ENT_OK)
        st = ent_run_opts_set(f->ro, kv->valuestring, "<stored options>", d);
  }
  cJSON_Delete(oj);
  return st;
}

ent_status ent_store_load_forecast(ent_store *s, long long id, ent_arena *A,
                                   ent_store_forecast *f, ent_diag *d) {
  memset(f, 0, sizeof *f);
  sqlite3_stmt *q;
  ent_status st = select_run(s, "id, status, kind, scenario_source, "
                                "scenario_text, options, done, scenario_hash, "
                                "base_text",
                             id, "kind = 'forecast' AND status != 'complete'",
                             &q, d);
  if (st != ENT_OK) return st;
  const char *options = NULL;
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
    f->id = sqlite3_column_int64(q, 0);
    f->done = sqlite3_column_int64(q, 6);
    if (!kind || strcmp(kind, "forecast")) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                   "run %lld is a single run, not a forecast", f->id);
      st = ENT_EINPUT;
    } else if (status && !strcmp(status, "complete")) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                   "forecast %lld is already complete", f->id);
      st = ENT_EINPUT;
    } else {
      f->source = col_text0(q, 3, A);
      f->text = col_text0(q, 4, A);
      options = col_text0(q, 5, A);
      f->hash = col_text(q, 7, A);
      f->base_text = col_text(q, 8, A);
      if (A->failed) st = ENT_ENOMEM;
    }
  }
  sqlite3_finalize(q);
  if (st == ENT_OK) st = read_options(s, f, options, d);
  return st;
}

struct ent_store_members {
  sqlite3_stmt *q;
};

ent_status ent_store_members_open(ent_store *s, long long id,
                                  ent_store_members **out, ent_diag *d) {
  *out = NULL;
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db, "SELECT idx, record FROM members WHERE run_id "
                                "= ? ORDER BY idx", -1, &q, NULL) != SQLITE_OK)
    return db_fail(s, d, "cannot read members");
  sqlite3_bind_int64(q, 1, id);
  ent_store_members *it = ent_malloc(sizeof *it);
  if (!it) {
    sqlite3_finalize(q);
    return ENT_ENOMEM;
  }
  it->q = q;
  *out = it;
  return ENT_OK;
}

ent_status ent_store_members_next(ent_store_members *it, long long *idx,
                                  const void **rec, size_t *len) {
  if (sqlite3_step(it->q) != SQLITE_ROW) return ENT_OK;
  *idx = sqlite3_column_int64(it->q, 0);
  *rec = sqlite3_column_blob(it->q, 1);
  *len = (size_t)sqlite3_column_bytes(it->q, 1);
  return ENT_CONTINUE;
}

void ent_store_members_close(ent_store_members *it) {
  if (!it) return;
  sqlite3_finalize(it->q);
  ent_free(it);
}

ent_status ent_store_trim_members(ent_store *s, long long id, long long keep,
                                  ent_diag *d) {
  char sql[160];
  snprintf(sql, sizeof sql, "DELETE FROM members WHERE run_id = %lld AND idx "
                            ">= %lld", id, keep);
  return exec(s, sql) ? db_fail(s, d, "cannot tidy members") : ENT_OK;
}

ent_status ent_store_mark_running(ent_store *s, long long id,
                                  unsigned long done, ent_diag *d) {
  char sql[160];
  snprintf(sql, sizeof sql, "UPDATE runs SET status = 'running', done = %lu "
                            "WHERE id = %lld", done, id);
  return exec(s, sql) ? db_fail(s, d, "cannot mark the forecast running")
                      : ENT_OK;
}

ent_status ent_store_each_run(ent_store *s, ent_store_row_fn fn, void *ctx) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db, "SELECT id, kind, status, scenario_id, done, "
                                "runs, seed, started, version, scenario_hash, "
                                "scenario_source FROM runs ORDER BY id", -1,
                         &q, NULL) != SQLITE_OK)
    return ENT_EIO;
  ent_status st = ENT_OK;
  while (st == ENT_OK && sqlite3_step(q) == SQLITE_ROW) {
    ent_store_row r;
    r.id = sqlite3_column_int64(q, 0);
    r.kind = (const char *)sqlite3_column_text(q, 1);
    r.status = (const char *)sqlite3_column_text(q, 2);
    r.scenario = (const char *)sqlite3_column_text(q, 3);
    r.done = sqlite3_column_int64(q, 4);
    r.runs = sqlite3_column_int64(q, 5);
    r.has_seed = sqlite3_column_type(q, 6) != SQLITE_NULL;
    r.seed = r.has_seed ? sqlite3_column_int64(q, 6) : 0;
    r.started = (const char *)sqlite3_column_text(q, 7);
    r.version = (const char *)sqlite3_column_text(q, 8);
    r.hash = (const char *)sqlite3_column_text(q, 9);
    r.source = (const char *)sqlite3_column_text(q, 10);
    st = fn(ctx, &r);
  }
  sqlite3_finalize(q);
  return st;
}

ent_status ent_store_load_output(ent_store *s, long long id, ent_arena *A,
                                 ent_store_output *o, ent_diag *d) {
  memset(o, 0, sizeof *o);
  sqlite3_stmt *q;
  ent_status st = select_run(s, "id, kind, status, started, finished, "
                                "scenario_source, scenario_text, base_text, "
                                "output",
                             id, "output IS NOT NULL", &q, d);
  if (st != ENT_OK) return st;
  if (sqlite3_step(q) != SQLITE_ROW) {
    st = ENT_ENOTFOUND;
  } else if (sqlite3_column_type(q, 8) == SQLITE_NULL) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, s->path, 0, 0,
                 "run %lld has no output yet (still running, or stopped "
                 "before its first batch)", sqlite3_column_int64(q, 0));
    st = ENT_EINPUT;
  } else {
    o->id = sqlite3_column_int64(q, 0);
    o->kind = col_text0(q, 1, A);
    o->status = col_text0(q, 2, A);
    o->started = col_text0(q, 3, A);
    o->finished = col_text0(q, 4, A);
    o->source = col_text0(q, 5, A);
    o->text = col_text0(q, 6, A);
    o->base_text = col_text(q, 7, A);
    o->doc = col_text0(q, 8, A);
    o->doc_len = (size_t)sqlite3_column_bytes(q, 8);
    if (A->failed) st = ENT_ENOMEM;
  }
  sqlite3_finalize(q);
  return st;
}
