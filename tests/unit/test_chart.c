/*
 * test_chart.c -- the cairo charts (chart.h) and the report builder
 * (html.h, ent_report_*): SVG structure and labels, PNG size, byte-for-
 * byte determinism, invalid specs, base64 and HTML escaping, and the
 * positions of errors in a bad result document.
 */
#include <math.h>
#include <stdint.h>

#include "output/chart.h"
#include "output/html.h"
#include "model/result.h"
#include "testutil.h"

static const int YEARS[6] = {2024, 2025, 2026, 2027, 2028, 2029};
static const double Q05[6] = {100, 101, 102, 103, 104, 105};
static const double Q25[6] = {110, 112, 114, 116, 118, 120};
static const double Q50[6] = {120, 123.5, 127, 130.5, 134, 137.5};
static const double Q75[6] = {130, 134, 138, 142, 146, 150};
static const double Q95[6] = {140, 146, 152, 158, 164, 170};
static const int OBS_Y[4] = {2021, 2022, 2023, 2024};
static const double OBS_V[4] = {79.6, 114.15, 129.09, 120};

static ent_chart_fan_line fan_line(void) {
  ent_chart_fan_line l;
  memset(&l, 0, sizeof l);
  l.label = "RUS->CHN";
  l.q[0] = Q05;
  l.q[1] = Q25;
  l.q[2] = Q50;
  l.q[3] = Q75;
  l.q[4] = Q95;
  l.obs_years = OBS_Y;
  l.obs_values = OBS_V;
  l.n_obs = 4;
  return l;
}

static ent_chart_fan_spec fan_spec(const ent_chart_fan_line *lines, size_t n) {
  ent_chart_fan_spec s;
  memset(&s, 0, sizeof s);
  s.title = "Exports R&D <test>";
  s.y_label = "exports, US$ bn";
  s.years = YEARS;
  s.n_years = 6;
  s.lines = lines;
  s.n_lines = n;
  s.band_note = "bands from 200 runs";
  return s;
}

/* Width and height from a PNG's IHDR chunk. */
static void png_size(const ent_strbuf *b, uint32_t *w, uint32_t *h) {
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  assert_true(b->len > 24);
  assert_memory_equal(b->data, sig, 8);
  assert_memory_equal(b->data + 12, "IHDR", 4);
  const unsigned char *p = (const unsigned char *)b->data + 16;
  *w = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
  *h = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
}

/* Text between <tag> and </tag> of an SVG (static buffer). */
static const char *svg_element(const ent_strbuf *b, const char *tag) {
  static char out[4096];
  char open[32], close[32];
  snprintf(open, sizeof open, "<%s>", tag);
  snprintf(close, sizeof close, "</%s>", tag);
  const char *a = strstr(b->data, open), *e = a ? strstr(a, close) : NULL;
  if (!a || !e) fail_msg("no <%s> in the SVG", tag);
  a += strlen(open);
  snprintf(out, sizeof out, "%.*s", (int)(e - a), a);
  return out;
}

static void test_fan_svg(void **state) {
  (void)state;
  ent_chart_fan_line l = fan_line();
  ent_chart_fan_spec s = fan_spec(&l, 1);
  ent_strbuf b;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_fan(&s, ENT_CHART_SVG, &b), ENT_OK);
  assert_non_null(strstr(b.data, "<?xml"));
  assert_non_null(strstr(b.data, "width=\"720\" height=\"400\""));
  assert_non_null(strstr(b.data, "</svg>"));
  assert_non_null(strstr(b.data, "<path"));
  /* title escaped; axis labels and legend named in <desc> */
  assert_string_equal(svg_element(&b, "title"), "Exports R&amp;D &lt;test&gt;");
  const char *desc = svg_element(&b, "desc");
  assert_non_null(strstr(desc, "x axis: year"));
  assert_non_null(strstr(desc, "y axis: exports, US$ bn"));
  assert_non_null(strstr(desc, "RUS-&gt;CHN: median"));
  assert_non_null(strstr(desc, "RUS-&gt;CHN: observed"));
  assert_non_null(strstr(desc, "50% of runs"));
  assert_non_null(strstr(desc, "90% of runs"));
  assert_non_null(strstr(desc, "2021 to 2029")); /* history widens the axis */
  /* one <svg> element, closed at the end */
  assert_null(strstr(strstr(b.data, "<svg") + 4, "<svg"));
  assert_int_equal(strcmp(b.data + b.len - 7, "</svg>\n"), 0);
  ent_strbuf_free(&b);
}

static void test_png_size_and_determinism(void **state) {
  (void)state;
  ent_chart_fan_line l = fan_line();
  ent_chart_fan_spec s = fan_spec(&l, 1);
  for (int f = 0; f < 2; f++) {
    ent_strbuf a, b;
    ent_strbuf_init(&a);
    ent_strbuf_init(&b);
    assert_int_equal(ent_chart_fan(&s, (ent_chart_format)f, &a), ENT_OK);
    assert_int_equal(ent_chart_fan(&s, (ent_chart_format)f, &b), ENT_OK);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    if (f == ENT_CHART_PNG) {
      uint32_t w, h;
      png_size(&a, &w, &h);
      assert_int_equal(w, 720 * ENT_CHART_PNG_SCALE);
      assert_int_equal(h, 400 * ENT_CHART_PNG_SCALE);
    }
    ent_strbuf_free(&a);
    ent_strbuf_free(&b);
  }
}

static void test_fan_single_run_and_range(void **state) {
  (void)state;
  ent_chart_fan_line l[2];
  memset(l, 0, sizeof l);
  l[0].label = "RUS";
  l[0].q[2] = Q50;
  l[1].label = "CHN";
  l[1].q[2] = Q95;
  double yr[2] = {0.0, 200.0};
  ent_chart_fan_spec s = fan_spec(l, 2);
  s.y_range = yr;
  ent_strbuf b;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_fan(&s, ENT_CHART_SVG, &b), ENT_OK);
  const char *desc = svg_element(&b, "desc");
  assert_non_null(strstr(desc, "legend: RUS; CHN;")); /* no bands, no "median" */
  assert_null(strstr(desc, "of runs"));
  ent_strbuf_free(&b);
  /* one year only */
  s.n_years = 1;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_fan(&s, ENT_CHART_PNG, &b), ENT_OK);
  ent_strbuf_free(&b);
}

static void test_fan_invalid(void **state) {
  (void)state;
  ent_chart_fan_line l = fan_line();
  ent_chart_fan_spec s = fan_spec(&l, 1);
  ent_strbuf b;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_fan(NULL, ENT_CHART_SVG, &b), ENT_EINVAL);
  assert_int_equal(ent_chart_fan(&s, ENT_CHART_SVG, NULL), ENT_EINVAL);
  ent_chart_fan_spec t = s;
  t.n_years = 0;
  assert_int_equal(ent_chart_fan(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  t = s;
  t.n_lines = ENT_CHART_MAX_LINES + 1;
  assert_int_equal(ent_chart_fan(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  int bad_years[6] = {2024, 2025, 2025, 2027, 2028, 2029};
  t = s;
  t.years = bad_years;
  assert_int_equal(ent_chart_fan(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  ent_chart_fan_line m = l;
  m.q[0] = NULL; /* some bands only */
  t = s;
  t.lines = &m;
  assert_int_equal(ent_chart_fan(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  m = l;
  m.q[1] = Q95; /* q25 above q50 */
  assert_int_equal(ent_chart_fan(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  double nan_q[6] = {120, NAN, 127, 130.5, 134, 137.5};
  m = l;
  m.q[0] = m.q[1] = m.q[3] = m.q[4] = NULL;
  m.q[2] = nan_q;
  assert_int_equal(ent_chart_fan(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  double yr[2] = {5.0, 5.0};
  t = s;
  t.y_range = yr;
  assert_int_equal(ent_chart_fan(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  assert_int_equal(b.len, 0); /* nothing written on failure */
  ent_strbuf_free(&b);
}

static void test_histogram(void **state) {
  (void)state;
  double lo[3] = {0, 25, 75}, hi[3] = {25, 75, 100}, sh[3] = {0.2, 0.7, 0.1};
  ent_chart_mark an[3] = {{0, "no deal"}, {50, "signed on China's terms"},
                          {100, "signed on Russia's terms"}};
  ent_chart_mark mk[2] = {{55, "median of the runs"}, {60, "baseline: weighted median"}};
  ent_chart_hist_spec s = {"Pipeline?", "outcome (0 to 100)", 0, 100, lo, hi, sh,
                           3, an, 3, mk, 2};
  ent_strbuf b;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_histogram(&s, ENT_CHART_SVG, &b), ENT_OK);
  const char *desc = svg_element(&b, "desc");
  assert_non_null(strstr(desc, "x axis: outcome (0 to 100)"));
  assert_non_null(strstr(desc, "y axis: share of runs, %"));
  assert_non_null(strstr(desc, "baseline: weighted median (60)"));
  assert_non_null(strstr(desc, "50 signed on China&#39;s terms") ||
                  strstr(desc, "50 signed on China's terms"));
  ent_strbuf_free(&b);
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_histogram(&s, ENT_CHART_PNG, &b), ENT_OK);
  uint32_t w, h;
  int ew, eh;
  png_size(&b, &w, &h);
  ent_chart_histogram_size(&s, &ew, &eh);
  assert_int_equal(w, (uint32_t)ew * ENT_CHART_PNG_SCALE);
  assert_int_equal(h, (uint32_t)eh * ENT_CHART_PNG_SCALE);
  ent_strbuf_free(&b);
  /* invalid */
  ent_strbuf_init(&b);
  ent_chart_hist_spec t = s;
  t.hi = 0;
  assert_int_equal(ent_chart_histogram(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  double big[3] = {0.2, 1.5, 0.1};
  t = s;
  t.share = big;
  assert_int_equal(ent_chart_histogram(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  double out[3] = {0, 25, 75}, outhi[3] = {25, 75, 120};
  t = s;
  t.bin_lo = out;
  t.bin_hi = outhi;
  assert_int_equal(ent_chart_histogram(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  t = s;
  t.n_markers = 5;
  assert_int_equal(ent_chart_histogram(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  assert_int_equal(b.len, 0);
  ent_strbuf_free(&b);
}

static void test_heatmap(void **state) {
  (void)state;
  const char *actors[3] = {"RUS", "CHN", "USA"};
  const char *classes[2] = {"conflict", "stalemate"};
  double share[3 * 3 * 2] = {0};
  share[(0 * 3 + 1) * 2 + 1] = 0.8;
  share[(0 * 3 + 1) * 2 + 0] = 0.2;
  share[(1 * 3 + 2) * 2 + 0] = 1.0;
  ent_chart_heat_spec s = {"Relations", actors, 3, classes, 2, share};
  ent_strbuf b;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_heatmap(&s, ENT_CHART_SVG, &b), ENT_OK);
  const char *desc = svg_element(&b, "desc");
  assert_non_null(strstr(desc, "actors: RUS, CHN, USA"));
  assert_non_null(strstr(desc, "conflict; stalemate"));
  ent_strbuf_free(&b);
  int w3, h3, w2, h2;
  ent_chart_heatmap_size(&s, &w3, &h3);
  s.n = 2;
  ent_chart_heatmap_size(&s, &w2, &h2);
  assert_true(h3 > h2);
  s.n = 3;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_heatmap(&s, ENT_CHART_PNG, &b), ENT_OK);
  uint32_t w, h;
  png_size(&b, &w, &h);
  assert_int_equal(w, (uint32_t)w3 * ENT_CHART_PNG_SCALE);
  assert_int_equal(h, (uint32_t)h3 * ENT_CHART_PNG_SCALE);
  ent_strbuf_free(&b);
  ent_strbuf_init(&b);
  share[(2 * 3 + 0) * 2 + 0] = 0.7;
  share[(2 * 3 + 0) * 2 + 1] = 0.7; /* adds up to 1.4 */
  assert_int_equal(ent_chart_heatmap(&s, ENT_CHART_SVG, &b), ENT_EINVAL);
  s.n = 1;
  assert_int_equal(ent_chart_heatmap(&s, ENT_CHART_SVG, &b), ENT_EINVAL);
  ent_strbuf_free(&b);
}

static void test_tornado(void **state) {
  (void)state;
  const char *names[25];
  double idx[25];
  char buf[25][16];
  for (int i = 0; i < 25; i++) {
    snprintf(buf[i], sizeof buf[i], "in%02d", i);
    names[i] = buf[i];
    idx[i] = (i % 2 ? -1.0 : 1.0) * (0.01 * i);
  }
  idx[3] = 0.9; /* the largest */
  idx[7] = -0.9; /* tie in |index|: input order decides */
  ent_chart_tornado_spec s = {"What moves the outcome", "SRC", names, idx, 25};
  ent_strbuf b;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_tornado(&s, ENT_CHART_SVG, &b), ENT_OK);
  const char *desc = svg_element(&b, "desc");
  assert_non_null(strstr(desc, "Tornado chart of 20 inputs"));
  assert_non_null(strstr(desc, "inputs: in03, in07, in24, in23, in22"));
  assert_null(strstr(desc, "in00")); /* beyond the 20 largest */
  ent_strbuf_free(&b);
  ent_strbuf_init(&b);
  idx[5] = INFINITY;
  assert_int_equal(ent_chart_tornado(&s, ENT_CHART_SVG, &b), ENT_EINVAL);
  s.n = 0;
  assert_int_equal(ent_chart_tornado(&s, ENT_CHART_SVG, &b), ENT_EINVAL);
  ent_strbuf_free(&b);
}

static void test_base64_escape(void **state) {
  (void)state;
  static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  static const char *const want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
                                     "Zm9vYmE=", "Zm9vYmFy"};
  for (size_t i = 0; i < 7; i++) {
    ent_strbuf b;
    ent_strbuf_init(&b);
    ent_html_base64(&b, (const unsigned char *)in[i], strlen(in[i]));
    ent_strbuf_puts(&b, "");
    assert_string_equal(b.data ? b.data : "", want[i]);
    ent_strbuf_free(&b);
  }
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_html_escape(&b, "a<b>&\"c'd");
  assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&#39;d");
  ent_strbuf_free(&b);
}

/* A small forecast document in the keys of `entente forecast`. */
static const char FORECAST[] =
    "{\"scenario\": {\"id\": \"t\", \"title\": \"T & <test>\"}, \"runs\": 50,\n"
    " \"seed\": 3, \"time\": {\"start\": 2024, \"end\": 2025},\n"
    " \"series\": [\n"
    "  {\"variable\": \"trade_flow\", \"entity\": \"A->B\", \"year\": 2024, \"unit\": \"US$ bn\","
    " \"mean\": 10, \"q05\": 10, \"q25\": 10, \"q50\": 10, \"q75\": 10, \"q95\": 10},\n"
    "  {\"variable\": \"trade_flow\", \"entity\": \"A->B\", \"year\": 2025, \"unit\": \"US$ bn\","
    " \"mean\": 11, \"q05\": 9, \"q25\": 10, \"q50\": 11, \"q75\": 12, \"q95\": 13},\n"
    "  {\"variable\": \"dependence\", \"entity\": \"A->B\", \"year\": 2024, \"unit\": \"share of GDP\","
    " \"mean\": 0.1, \"q05\": 0.1, \"q25\": 0.1, \"q50\": 0.1, \"q75\": 0.1, \"q95\": 0.1},\n"
    "  {\"variable\": \"dependence\", \"entity\": \"A->B\", \"year\": 2025, \"unit\": \"share of GDP\","
    " \"mean\": 0.1, \"q05\": 0.08, \"q25\": 0.09, \"q50\": 0.1, \"q75\": 0.11, \"q95\": 0.12}],\n"
    " \"issues\": [{\"id\": \"q\", \"question\": \"Deal?\",\n"
    "   \"scale\": {\"min\": 0, \"max\": 100, \"anchors\": [{\"at\": 0, \"label\": \"no\"},"
    " {\"at\": 100, \"label\": \"yes\"}]},\n"
    "   \"outcome\": {\"mean\": 40, \"q05\": 0, \"q25\": 20, \"q50\": 40, \"q75\": 60, \"q95\": 90},\n"
    "   \"ranges\": [{\"label\": \"no\", \"from\": 0, \"to\": 50, \"probability\": 0.6},"
    " {\"label\": \"yes\", \"from\": 50, \"to\": 100, \"probability\": 0.4}],\n"
    "   \"relations\": [{\"from\": \"A\", \"to\": \"B\", \"conflict\": 0.5, \"stalemate\": 0.5}]}],\n"
    " \"sensitivity\": {\"method\": \"src\", \"outputs\": [{\"variable\": \"issue_forecast\","
    " \"entity\": \"q\", \"year\": 2025, \"inputs\": [{\"input\": \"x\", \"src\": 0.5},"
    " {\"input\": \"y\", \"src\": -0.2}]}]}}\n";

static int has_file(const ent_report *r, const char *name) {
  for (size_t i = 0; i < ent_report_file_count(r); i++)
    if (!strcmp(ent_report_file_name(r, i), name)) return 1;
  return 0;
}

static void test_report_forecast(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_report *r = NULL, *r2 = NULL;
  assert_int_equal(ent_report_create("f.json", FORECAST, sizeof FORECAST - 1, NULL,
                                     NULL, &r, d), ENT_OK);
  assert_int_equal(ent_diag_count(d), 0);
  static const char *const want[] = {"hist-q.svg", "hist-q.png", "relations.svg",
                                     "tornado-1.svg", "fan-trade_flow.svg",
                                     "fan-dependence.png", "report.html"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    if (!has_file(r, want[i])) fail_msg("no %s in the report", want[i]);
  size_t n = ent_report_file_count(r), len;
  assert_string_equal(ent_report_file_name(r, n - 1), "report.html");
  const char *html = (const char *)ent_report_file_data(r, n - 1, &len);
  char *text = malloc(len + 1);
  memcpy(text, html, len);
  text[len] = '\0';
  assert_non_null(strstr(text, "<h1>T &amp; &lt;test&gt;</h1>"));
  assert_non_null(strstr(text, "Content-Security-Policy"));
  assert_non_null(strstr(text, "60% of runs")); /* the headline in words */
  assert_non_null(strstr(text, "50 runs"));
  assert_null(strstr(text, "http://"));
  assert_null(strstr(text, "https://"));
  /* every chart is embedded once */
  size_t figs = 0;
  for (const char *p = text; (p = strstr(p, "<figure class=\"chart\"")); p++) figs++;
  assert_int_equal(figs, (n - 1) / 2);
  free(text);
  /* same input, same bytes */
  assert_int_equal(ent_report_create("f.json", FORECAST, sizeof FORECAST - 1, NULL,
                                     NULL, &r2, d), ENT_OK);
  assert_int_equal(ent_report_file_count(r2), n);
  for (size_t i = 0; i < n; i++) {
    size_t l1, l2;
    const unsigned char *a = ent_report_file_data(r, i, &l1);
    const unsigned char *b = ent_report_file_data(r2, i, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(a, b, l1);
  }
  assert_null(ent_report_file_name(r, n));
  assert_null(ent_report_file_data(r, n, &len));
  ent_report_destroy(r);
  ent_report_destroy(r2);
  ent_diag_destroy(d);
}


/* A reliability diagram of three non-empty bins out of four. */
static const double REL_LO[4] = {0.0, 0.25, 0.5, 0.75};
static const double REL_HI[4] = {0.25, 0.5, 0.75, 1.0};
static const size_t REL_N[4] = {12, 0, 3, 7};
static const double REL_P[4] = {0.05, 0.0, 0.6, 0.9};
static const double REL_O[4] = {0.25, 0.0, 1.0 / 3.0, 6.0 / 7.0};

static ent_chart_reliability_spec rel_spec(void) {
  ent_chart_reliability_spec s = {"Calibration", REL_LO, REL_HI, REL_N,
                                  REL_P, REL_O, 4, "model"};
  return s;
}

static void test_reliability(void **state) {
  (void)state;
  ent_chart_reliability_spec s = rel_spec();
  ent_strbuf b;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_reliability(&s, ENT_CHART_SVG, &b), ENT_OK);
  assert_non_null(strstr(b.data, "<svg"));
  assert_non_null(strstr(b.data, "</svg>"));
  assert_non_null(strstr(b.data, "<title>Calibration</title>"));
  const char *desc = svg_element(&b, "desc");
  assert_non_null(strstr(desc, "Reliability diagram of 22 questions"));
  assert_non_null(strstr(desc, "x axis: forecast probability, %"));
  assert_non_null(strstr(desc, "y axis: observed frequency"));
  assert_non_null(strstr(desc, "legend: perfect calibration; model: share that "
                               "happened per bin"));
  /* every bin, the empty one too, with its count, mean and observed share */
  assert_non_null(strstr(desc, "bins: 0%-25%: 12 questions, mean probability "
                               "0.050, observed 0.250; 25%-50%: 0 questions; "
                               "50%-75%: 3 questions, mean probability 0.600, "
                               "observed 0.333; 75%-100%: 7 questions, mean "
                               "probability 0.900, observed 0.857."));
  ent_strbuf_free(&b);
  /* PNG of the declared size */
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_reliability(&s, ENT_CHART_PNG, &b), ENT_OK);
  uint32_t w, h;
  int ew, eh;
  png_size(&b, &w, &h);
  ent_chart_reliability_size(&s, &ew, &eh);
  assert_int_equal(w, (uint32_t)ew * ENT_CHART_PNG_SCALE);
  assert_int_equal(h, (uint32_t)eh * ENT_CHART_PNG_SCALE);
  ent_strbuf_free(&b);
  /* same spec -> same bytes, in both formats */
  for (int f = 0; f < 2; f++) {
    ent_strbuf x, y;
    ent_strbuf_init(&x);
    ent_strbuf_init(&y);
    assert_int_equal(ent_chart_reliability(&s, (ent_chart_format)f, &x), ENT_OK);
    assert_int_equal(ent_chart_reliability(&s, (ent_chart_format)f, &y), ENT_OK);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    ent_strbuf_free(&x);
    ent_strbuf_free(&y);
  }
}

static void test_reliability_invalid(void **state) {
  (void)state;
  ent_chart_reliability_spec s = rel_spec(), t;
  ent_strbuf b;
  ent_strbuf_init(&b);
  assert_int_equal(ent_chart_reliability(NULL, ENT_CHART_SVG, &b), ENT_EINVAL);
  assert_int_equal(ent_chart_reliability(&s, ENT_CHART_SVG, NULL), ENT_EINVAL);
  t = s;
  t.count = NULL;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  t = s;
  t.n_bins = 0;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  t = s;
  t.n_bins = ENT_CHART_MAX_BINS + 1;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  /* no question at all */
  static const size_t none[4] = {0, 0, 0, 0};
  t = s;
  t.count = none;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  /* observed share above 1, NaN mean, mean outside its bin */
  double o2[4] = {0.25, 0.0, 1.2, 0.5};
  t = s;
  t.observed = o2;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  double p2[4] = {NAN, 0.0, 0.6, 0.9};
  t = s;
  t.mean_p = p2;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  double p3[4] = {0.05, 0.0, 0.6, 0.5};
  t = s;
  t.mean_p = p3;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  /* a range beyond 1, an empty range, overlapping ranges */
  double hi2[4] = {0.25, 0.5, 0.75, 1.5};
  t = s;
  t.bin_hi = hi2;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  double lo2[4] = {0.0, 0.5, 0.5, 0.75};
  t = s;
  t.bin_lo = lo2;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  double lo3[4] = {0.0, 0.2, 0.5, 0.75};
  t = s;
  t.bin_lo = lo3;
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_EINVAL);
  /* an empty bin's numbers are not looked at */
  double p4[4] = {0.05, NAN, 0.6, 0.9};
  t = s;
  t.mean_p = p4;
  assert_int_equal(b.len, 0);
  assert_int_equal(ent_chart_reliability(&t, ENT_CHART_SVG, &b), ENT_OK);
  ent_strbuf_free(&b);
}

/* The score page from a hand-made result tree: the verdicts in the text
 * output's words, one row a question, the chart embedded and as files. */
static void test_report_score(void **state) {
  (void)state;
  ent_result *r = ent_result_create(ENT_RESULT_SCORE);
  assert_non_null(r);
  ent_result_score *sc = ent_result_alloc(r, 1, sizeof *sc);
  assert_non_null(sc);
  r->score = sc;
  sc->ledger = "tiny.csv";
  sc->fit_until = 2019;
  sc->ex_ante = 1;
  sc->clip = 0.005;
  sc->n_questions = 3;
  sc->questions = ent_result_alloc(r, 3, sizeof *sc->questions);
  assert_non_null(sc->questions);
  const char *ids[3] = {"q-a", "q-b", "q<c>"};
  double p[3] = {0.1, 0.8, 0.55};
  int o[3] = {0, 1, 0};
  for (int k = 0; k < 3; k++) {
    ent_result_question *q = &sc->questions[k];
    q->id = ids[k];
    q->as_of = "s.yaml";
    q->question = "Will it?";
    q->variable = "trade_flow";
    q->entity = "RUS->CHN";
    q->op = k == 2 ? "between" : ">=";
    q->year = 2018 + k;
    q->threshold = 100.0;
    q->threshold2 = k == 2 ? 150.0 : NAN;
    q->outcome = o[k];
    q->fitted = k < 2;
    q->p = p[k];
    q->p_uniform = 0.5;
    q->p_persistence = 1.0;
    q->p_start = NAN;
  }
  for (int k = 0; k < 3; k++) {
    ent_result_scoreset *s = &sc->sets[k];
    s->name = k == 0 ? "all" : k == 1 ? "fitted" : "later";
    s->model = (ent_result_scores){3, 0.125, 0.4};
    s->uniform = (ent_result_scores){3, 0.25, 0.693};
    s->persistence = (ent_result_scores){3, 0.125, 1.2};
    s->skill_uniform = 0.5;
    s->skill_persistence = 0.0;
    s->skill_start = NAN;
  }
  sc->sets[2].uniform.brier = 0.1;
  sc->sets[2].skill_uniform = -0.25;
  for (int k = 0; k < 10; k++)
    sc->bins[k] = (ent_result_bin){0.1 * k, 0.1 * (k + 1), 0, 0.0, 0.0};
  sc->bins[1] = (ent_result_bin){0.1, 0.2, 1, 0.1, 0.0};
  sc->bins[5] = (ent_result_bin){0.5, 0.6, 1, 0.55, 0.0};
  sc->bins[8] = (ent_result_bin){0.8, 0.9, 1, 0.8, 1.0};
  ent_report *rep = NULL;
  assert_int_equal(ent_html_render(r, NULL, NULL, "tiny.json", &rep), ENT_OK);
  assert_int_equal(ent_report_file_count(rep), 3);
  assert_string_equal(ent_report_file_name(rep, 0), "calibration.svg");
  assert_string_equal(ent_report_file_name(rep, 1), "calibration.png");
  assert_string_equal(ent_report_file_name(rep, 2), "report.html");
  size_t len;
  const char *html = (const char *)ent_report_file_data(rep, 2, &len);
  char *t = ent_malloc(len + 1);
  memcpy(t, html, len);
  t[len] = '\0';
  assert_non_null(strstr(t, "the model beats uniform (Brier skill +0.50)"));
  assert_non_null(strstr(t, "the model TIES persistence (a tie is not a win)"));
  assert_non_null(strstr(t, "the model LOSES to uniform</strong> (Brier skill -0.25)"));
  assert_non_null(strstr(t, "data:image/svg+xml;base64,"));
  assert_non_null(strstr(t, "<code>q&lt;c&gt;</code>"));
  assert_non_null(strstr(t, "between 100 and 150"));
  assert_null(strstr(t, "<c>"));
  const char *tb = strstr(t, "id=\"questions-table\"");
  assert_non_null(tb);
  tb = strstr(tb, "<tbody>");
  const char *te = strstr(tb, "</tbody>");
  int rows = 0;
  for (const char *q = tb; (q = strstr(q, "<tr>")) && q < te; q++) rows++;
  assert_int_equal(rows, 3);
  /* the embedded chart is the file */
  size_t slen;
  const unsigned char *svg = ent_report_file_data(rep, 0, &slen);
  assert_non_null(strstr((const char *)svg, "bins: 0%-10%: 0 questions; 10%-20%: "
                                            "1 question, mean probability 0.100"));
  ent_free(t);
  ent_report_destroy(rep);
  ent_result_destroy(r);
}

/* Error position of a bad document: line and column of the first item. */
static void expect_error(const char *doc, int line, int col, const char *what) {
  ent_diag *d = ent_diag_create();
  ent_report *r = (ent_report *)1;
  assert_int_equal(ent_report_create("bad.json", doc, strlen(doc), NULL, NULL, &r, d),
                   ENT_EINPUT);
  assert_null(r);
  const ent_diag_item *it = ent_diag_get(d, 0);
  assert_non_null(it);
  if (it->line != line || it->col != col || !strstr(it->msg, what))
    fail_msg("got %d:%d '%s', wanted %d:%d '%s'", it->line, it->col, it->msg, line,
             col, what);
  ent_diag_destroy(d);
}

static void test_report_errors(void **state) {
  (void)state;
  expect_error("{\n  \"series\": [1,\n  }", 3, 3, "malformed JSON");
  expect_error("[1, 2]", 1, 1, "not a JSON object");
  expect_error("{\"runs\": 3}", 1, 1, "neither 'series' nor 'issues'");
  expect_error("{\"series\": [\n {\"variable\": \"a\", \"entity\": \"b\", \"year\": 2024,"
               " \"value\": 1},\n {\"variable\": \"a\", \"entity\": \"b\", \"year\": 2025,"
               " \"q05\": 3, \"q25\": 2, \"q50\": 1, \"q75\": 4, \"q95\": 5}]}",
               3, 2, "quantiles are not in order");
  expect_error("{\"series\": [{\"variable\": \"a\", \"entity\": \"b\", \"year\": 2024.5,"
               " \"value\": 1}]}", 1, 54, "'year' is not a whole number");
  expect_error("{\"issues\": [{\"id\": \"q\", \"ranges\": [{\"from\": 0, \"to\": 10,"
               " \"probability\": 1.5}]}]}", 1, 36, "a range needs");
  expect_error("{\"series\": []} trailing", 1, 16, "unexpected text");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fan_svg),
      cmocka_unit_test(test_png_size_and_determinism),
      cmocka_unit_test(test_fan_single_run_and_range),
      cmocka_unit_test(test_fan_invalid),
      cmocka_unit_test(test_histogram),
      cmocka_unit_test(test_heatmap),
      cmocka_unit_test(test_tornado),
      cmocka_unit_test(test_reliability),
      cmocka_unit_test(test_reliability_invalid),
      cmocka_unit_test(test_report_score),
      cmocka_unit_test(test_base64_escape),
      cmocka_unit_test(test_report_forecast),
      cmocka_unit_test(test_report_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
