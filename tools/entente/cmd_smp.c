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

static const cli_cmd smp_cmd = {
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
};

/* Apply one "key=value"; problems are reported against argument argi. */
static void apply(cli_args *a, ent_smp_opts *o, const char *kv, int argi) {
  char why[300];
  if (ent_smp_opts_parse(o, kv, why, sizeof why) != ENT_OK)
    cli_error(a, argi, "%s", why);
}

int cmd_smp(int argc, char **argv) {
  cli_args a;
  int done;
  int rc = cli_parse(&smp_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    return rc;
  }
  ent_smp_opts *o = ent_smp_opts_create();
  if (!o) {
    fprintf(stderr, "entente: error: out of memory\n");
    cli_args_free(&a);
    return EXIT_FAIL;
  }
  ent_format fmt;
  cli_format(&a, 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON |
                     1u << ENT_FORMAT_CSV,
             &fmt);
  /* --option in the order given, then --turns and --seed (they win). */
  for (int k = 0; k < a.n_val; k++) {
    const cli_opt *opt = &smp_opts[a.val[k].opt];
    if (!strcmp(opt->name, "option")) apply(&a, o, a.val[k].value, a.val[k].argi);
  }
  char kv[128];
  int argi = 0;
  const char *v;
  if ((v = cli_get(&a, "turns", &argi))) {
    snprintf(kv, sizeof kv, "max_turns=%.100s", v);
    apply(&a, o, kv, argi);
  }
  if ((v = cli_get(&a, "seed", &argi))) {
    snprintf(kv, sizeof kv, "seed=%.100s", v);
    apply(&a, o, kv, argi);
  }
  if (ent_diag_errors(a.diag)) {
    cli_flush(&a);
    ent_smp_opts_destroy(o);
    cli_args_free(&a);
    return EXIT_USAGE;
  }
  ent_diag *d = ent_diag_create();
  ent_smp_problem *p = NULL;
  ent_smp_run *run = NULL;
  ent_status st = d ? ent_smp_load_file(a.pos[0], &p, d) : ENT_ENOMEM;
  if (st == ENT_OK) st = ent_smp_run_create(p, o, &run, d);
  if (st == ENT_OK) {
    ent_diag_print(d, stderr); /* warnings (degenerate states, ...) */
    st = ent_smp_run_write(run, fmt, stdout);
    if (st == ENT_OK && fflush(stdout) != 0) st = ENT_EIO;
    if (st != ENT_OK)
      fprintf(stderr, "entente: error: writing output: %s\n",
              ent_status_str(st));
    rc = st == ENT_OK ? EXIT_OK : EXIT_FAIL;
  } else {
    rc = cli_fail(d, st);
  }
  ent_smp_run_destroy(run);
  ent_smp_problem_destroy(p);
  ent_diag_destroy(d);
  ent_smp_opts_destroy(o);
  cli_args_free(&a);
  return rc;
}
