/*
 * cmd_smp.c -- `entente smp FILE.csv`: KTAB's Spatial Model of Politics on
 * a scenario in KTAB's CSV layout (docs/models/smp.md).
 */
#include <string.h>

#include "cli.h"

static const cli_opt smp_opts[] = {
    {"option", "K=V", "model option, repeatable (see below)", 1},
    {"turns", "N", "turn limit (default 100, KTAB's)", 0},
    {"seed", "S", "seed for StateTransitions=Stochastic", 0},
    {"format", "F", "text (default), json or csv", 0},
    {NULL, NULL, NULL, 0},
};

/* Apply one "key=value"; problems are reported against argument argi. */
static void apply(cli_args *a, ent_smp_opts *o, const char *kv, int argi) {
  char why[300];
  if (ent_smp_opts_parse(o, kv, why, sizeof why) != ENT_OK)
    cli_error(a, argi, "%s", why);
}

/* --option in the order given, then --turns and --seed (they win). */
static void smp_options(cli_args *a, ent_smp_opts *o) {
  for (int k = 0; k < a->n_val; k++)
    if (!strcmp(a->cmd->opts[a->val[k].opt].name, "option"))
      apply(a, o, a->val[k].value, a->val[k].argi);
  char kv[128];
  int argi = 0;
  const char *v;
  if ((v = cli_get(a, "turns", &argi))) {
    snprintf(kv, sizeof kv, "max_turns=%.100s", v);
    apply(a, o, kv, argi);
  }
  if ((v = cli_get(a, "seed", &argi))) {
    snprintf(kv, sizeof kv, "seed=%.100s", v);
    apply(a, o, kv, argi);
  }
}

static int smp_run(cli_ctx *c, ent_smp_opts *o) {
  smp_options(&c->a, o);
  if (cli_usage_errors(&c->a)) return EXIT_USAGE;
  ent_smp_problem *p = NULL;
  ent_smp_run *run = NULL;
  ent_status st = ent_smp_load_file(c->a.pos[0], &p, c->d);
  cli_ticker_start("smp");
  if (st == ENT_OK) st = ent_smp_run_create(p, o, &run, c->d);
  cli_ticker_stop();
  int rc;
  if (st == ENT_OK) {
    ent_diag_print(c->d, stderr); /* warnings (degenerate states, ...) */
    st = ent_smp_run_write(run, c->fmt, stdout);
    if (st == ENT_OK && fflush(stdout) != 0) st = ENT_EIO;
    rc = cli_written(st);
  } else {
    rc = cli_fail(c->d, st);
  }
  ent_smp_run_destroy(run);
  ent_smp_problem_destroy(p);
  return rc;
}

static int smp_main(cli_ctx *c) {
  ent_smp_opts *o = ent_smp_opts_create();
  if (!o) {
    fprintf(stderr, "entente: error: out of memory\n");
    return EXIT_FAIL;
  }
  int rc = smp_run(c, o);
  ent_smp_opts_destroy(o);
  return rc;
}

const cli_cmd cmd_smp = {
    "smp",
    "entente smp FILE.csv [--option K=V ...] [--turns N] [--seed S] "
    "[--format text|json|csv]",
    "Run KTAB's Spatial Model of Politics (SMP, as KTAB's smpc computes it)\n"
    "on a scenario in KTAB's CSV layout and print the position history, the\n"
    "winning probabilities of every turn and the final positions.",
    "FILE.csv is KTAB's layout: a scenario line (name,description,actors,\n"
    "dimensions), a header line (3 labels, then name,salience label per\n"
    "dimension), then one line per actor: name,description,capability and\n"
    "position,salience per dimension, both on 0-100.\n\n"
    "options (KTAB's names and values; defaults first):\n"
    "  VictoryProbModel=Linear|Square|Quartic|Octic|Binary\n"
    "  PCEModel=Conditional|MarkovIncentive|MarkovUniform\n"
    "  StateTransitions=Deterministic|Stochastic\n"
    "  VotingRule=Prop|Binary|PropBin|PropCbc|Cubic|ASymProsp\n"
    "  BigRAdjust=OneThird|None|Half|TwoThirds|Full\n"
    "  BigRRange=Mid|Min|Max\n"
    "  ThirdPartyCommit=SemiCommit|NoCommit|FullCommit\n"
    "  InterVecBrgn=S2P2|S1P1|S2PMax\n"
    "  BargnModel=InitOnlyInterp|InitRcvrInterp|PWCompInterp\n"
    "  max_turns=100  min_turns=2  stop_ratio=0.02\n"
    "  seed=15455440707583219804 (KTAB's default)\n"
    "  accommodation=A[i][j]=v;...   ideal adjustment (identity otherwise)\n"
    "  strict=on|off                 KTAB's runtime aborts as errors\n"
    "  degenerate=hold|error         equal winning probabilities in risk\n"
    "                                inference: everyone holds, or fail\n\n"
    "JSON: {actors, dimensions, turns: [{turn, positions: [[...]...]}],\n"
    "probabilities: [per turn, per actor], converged, ...}; positions on the\n"
    "0-100 scale with full precision.\n\n"
    "example: entente smp SOE-Pol-Comp.csv --option VotingRule=Cubic "
    "--format json",
    smp_opts,
    1,
    1,
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON | 1u << ENT_FORMAT_CSV,
    .run = smp_main,
};
