/*
 * cjson_lazy.c -- the cJSON functions the library calls, resolved from
 * libcjson on the first call (dlopen) instead of at start-up, so that the
 * commands that write no JSON (`entente --help`, `run` as text or CSV,
 * `check`, ...) do not pay for mapping and relocating it.  Part of the
 * `entente` binary only: libentente.so, the tests and the benchmarks link
 * libcjson directly.  Same scheme as cairo_lazy.c.
 *
 * CJSON_FUNCTIONS lists each function once -- return type, name without
 * "cJSON_", parameters, arguments; V for those returning void -- and yields the table of pointers,
 * the wrappers (cJSON.h's prototypes) and the lookups.  A function the
 * library starts to use and this list lacks fails the link (the binary is
 * linked with --no-undefined and without libcjson).  The table is filled
 * once (pthread_once: forecasts write JSON from several threads); if the
 * library cannot be loaded the command stops with a message (exit status
 * 1) before it writes anything.  Global state is allowed here: this is the
 * command-line layer.
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdlib.h>

#include "cli.h"

#ifndef ENT_CJSON_SONAME
#define ENT_CJSON_SONAME "libcjson.so.1"
#endif

#define CJSON_FUNCTIONS(X, V)                                                  \
  X(cJSON *, Parse, (const char *value), (value))                              \
  X(cJSON *, ParseWithLengthOpts,                                              \
    (const char *value, size_t length, const char **end, cJSON_bool nul),      \
    (value, length, end, nul))                                                 \
  X(char *, Print, (const cJSON *item), (item))                                \
  X(char *, PrintUnformatted, (const cJSON *item), (item))                     \
  V(void, Delete, (cJSON *item), (item))                                       \
  V(void, free, (void *object), (object))                                      \
  X(int, GetArraySize, (const cJSON *array), (array))                          \
  X(cJSON *, GetObjectItemCaseSensitive,                                       \
    (const cJSON *const object, const char *const string), (object, string))   \
  X(cJSON_bool, IsFalse, (const cJSON *const item), (item))                    \
  X(cJSON_bool, IsTrue, (const cJSON *const item), (item))                     \
  X(cJSON_bool, IsBool, (const cJSON *const item), (item))                     \
  X(cJSON_bool, IsNull, (const cJSON *const item), (item))                     \
  X(cJSON_bool, IsNumber, (const cJSON *const item), (item))                   \
  X(cJSON_bool, IsString, (const cJSON *const item), (item))                   \
  X(cJSON_bool, IsArray, (const cJSON *const item), (item))                    \
  X(cJSON_bool, IsObject, (const cJSON *const item), (item))                   \
  X(cJSON *, CreateNumber, (double num), (num))                                \
  X(cJSON *, CreateString, (const char *string), (string))                     \
  X(cJSON *, CreateRaw, (const char *raw), (raw))                              \
  X(cJSON *, CreateArray, (void), ())                                          \
  X(cJSON *, CreateObject, (void), ())                                         \
  X(cJSON_bool, AddItemToArray, (cJSON *array, cJSON *item), (array, item))    \
  X(cJSON_bool, AddItemToObject,                                               \
    (cJSON *object, const char *string, cJSON *item), (object, string, item))  \
  X(cJSON *, AddNullToObject, (cJSON *const object, const char *const name),   \
    (object, name))                                                            \
  X(cJSON *, AddFalseToObject, (cJSON *const object, const char *const name),  \
    (object, name))                                                            \
  X(cJSON *, AddBoolToObject,                                                  \
    (cJSON *const object, const char *const name, const cJSON_bool boolean),   \
    (object, name, boolean))                                                   \
  X(cJSON *, AddNumberToObject,                                                \
    (cJSON *const object, const char *const name, const double number),        \
    (object, name, number))                                                    \
  X(cJSON *, AddStringToObject,                                                \
    (cJSON *const object, const char *const name, const char *const string),   \
    (object, name, string))                                                    \
  X(cJSON *, AddRawToObject,                                                   \
    (cJSON *const object, const char *const name, const char *const raw),      \
    (object, name, raw))                                                       \
  X(cJSON *, AddObjectToObject, (cJSON *const object, const char *const name), \
    (object, name))                                                            \
  X(cJSON *, AddArrayToObject, (cJSON *const object, const char *const name),  \
    (object, name))

#define FIELD(ret, name, params, args) ret(*name) params;
static struct cjson_fns {
  CJSON_FUNCTIONS(FIELD, FIELD)
} fn;
#undef FIELD

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *h = cli_dl_open(ENT_CJSON_SONAME, "JSON needs");
#define RESOLVE(ret, name, params, args)                                       \
  cli_dl_resolve(h, ENT_CJSON_SONAME, "cJSON_" #name,                          \
                 "JSON cannot be written", &fn.name);
  CJSON_FUNCTIONS(RESOLVE, RESOLVE)
#undef RESOLVE
#ifdef ENT_CLI_STATIC
  /* A static binary (meson.build): libcjson.so.1 comes with a second copy
   * of libc.so.6, its own malloc among it.  cJSON's allocations are routed
   * to the program's malloc and free, so that the program has one heap and
   * a string from cJSON_Print is freed by the allocator that made it
   * whichever side frees it.  (The rest of that libc copy cJSON uses --
   * snprintf, sscanf, strtod, localeconv -- keeps no state across calls;
   * neither copy's locale is ever changed from "C".) */
  void (*init_hooks)(cJSON_Hooks *hooks);
  cli_dl_resolve(h, ENT_CJSON_SONAME, "cJSON_InitHooks",
                 "JSON cannot be written", &init_hooks);
  cJSON_Hooks hooks = {malloc, free};
  init_hooks(&hooks);
#endif
}

#define WRAPPER(ret, name, params, args)                                       \
  ret cJSON_##name params {                                                    \
    pthread_once(&once, load);                                                 \
    return fn.name args;                                                       \
  }
#define VOID_WRAPPER(ret, name, params, args)                                  \
  ret cJSON_##name params {                                                    \
    pthread_once(&once, load);                                                 \
    fn.name args;                                                              \
  }
CJSON_FUNCTIONS(WRAPPER, VOID_WRAPPER)
#undef WRAPPER
#undef VOID_WRAPPER
