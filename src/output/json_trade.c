/*
 * json_trade.c -- the JSON document of a trade counterfactual (`entente
 * gravity --format json`) written directly, without a cJSON tree: at
 * N = 200 the tree of 40 000 flow objects cost twenty times the solve.
 * The bytes are those cJSON_Print gives for the tree json_misc.c builds
 * (ent_json_trade_ref, kept for the tests and bench_trade, which compare
 * the two): tab indentation, "key":<TAB>value, array elements separated
 * by ", ", strings escaped as cJSON escapes them, numbers raw from
 * ent_fmt_double, the integer "iterations" as %d, and a final newline.
 */
#include "output/render.h"

/* s as a JSON string, escaped as cJSON's printer does: \" \\ \b \f \n
 * \r \t, other bytes below 0x20 as \u00xx, everything else as is. */
static void jstr(ent_strbuf *b, const char *s) {
  ent_strbuf_append(b, "\"", 1);
  const char *run = s;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    ent_strbuf_append(b, run, (size_t)(s - run));
    run = s + 1;
    char esc[8] = {'\\', 0};
    switch (c) {
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    default: snprintf(esc + 1, sizeof esc - 1, "u%04x", c); break;
    }
    ent_strbuf_puts(b, esc);
  }
  ent_strbuf_append(b, run, (size_t)(s - run));
  ent_strbuf_append(b, "\"", 1);
}

/* One member at depth 3 ("\t\t\t\"key\":\t"), its value a number. */
static void jnum(ent_strbuf *b, const char *key, double x, int last) {
  char buf[40];
  ent_fmt_double(buf, sizeof buf, x);
  ent_strbuf_append(b, "\t\t\t\"", 4);
  ent_strbuf_puts(b, key);
  ent_strbuf_append(b, "\":\t", 3);
  ent_strbuf_puts(b, buf);
  ent_strbuf_puts(b, last ? "\n" : ",\n");
}

static void jname(ent_strbuf *b, const char *key, const char *s) {
  ent_strbuf_append(b, "\t\t\t\"", 4);
  ent_strbuf_puts(b, key);
  ent_strbuf_append(b, "\":\t", 3);
  jstr(b, s);
  ent_strbuf_append(b, ",\n", 2);
}

/* Writes the text so far when it is long (pieces of about 64 kB). */
static void jdrain(ent_strbuf *b, FILE *fp, int *bad) {
  if (b->len < 65536 || b->failed) return;
  if (fwrite(b->data, 1, b->len, fp) != b->len) *bad = 1;
  b->len = 0;
  b->data[0] = '\0';
}

/* Long: one document, member by member, in cJSON_Print's layout. */
ent_status ent_json_trade(const ent_trade_result *r, FILE *fp) {
  size_t n = r->n;
  ent_strbuf b;
  ent_strbuf_init(&b);
  int bad = 0;
  ent_strbuf_puts(&b, "{\n\t\"countries\":\t[");
  for (size_t i = 0; i < n; i++) {
    ent_strbuf_puts(&b, i ? ", {\n" : "{\n");
    jname(&b, "country", r->names[i]);
    jnum(&b, "Y_base", r->Y[i], 0);
    jnum(&b, "E_base", r->E[i], 0);
    jnum(&b, "D_base", r->D[i], 0);
    for (int f = 0; f < ENT_TRADE_FIELDS; f++)
      jnum(&b, ent_names_trade_field[f], r->v[f][i], f == ENT_TRADE_FIELDS - 1);
    ent_strbuf_puts(&b, "\t\t}");
  }
  ent_strbuf_puts(&b, "],\n\t\"flows\":\t[");
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      size_t k = i * n + j;
      ent_strbuf_puts(&b, k ? ", {\n" : "{\n");
      jname(&b, "exporter", r->names[i]);
      jname(&b, "importer", r->names[j]);
      jnum(&b, "flow_base", r->X[k], 0);
      jnum(&b, "b", r->b[k], 0);
      jnum(&b, "flow_new", r->X_new[k], 0);
      if (r->X[k] > 0.0)
        jnum(&b, "flow_hat", r->X_new[k] / r->X[k], 1);
      else
        ent_strbuf_puts(&b, "\t\t\t\"flow_hat\":\tnull\n");
      ent_strbuf_puts(&b, "\t\t}");
      jdrain(&b, fp, &bad);
    }
  char res[40];
  ent_fmt_double(res, sizeof res, r->info.residual);
  ent_strbuf_printf(&b,
                    "],\n\t\"converged\":\ttrue,\n\t\"iterations\":\t%d,\n"
                    "\t\"residual\":\t%s\n}\n",
                    r->info.iterations, res);
  ent_status st = ent_render_flush(&b, fp);
  return bad && st == ENT_OK ? ENT_EIO : st;
}
