"""The tables of the module hold the same rows and numbers as the CLI's
--format csv for the same inputs and seed: written back as CSV (numbers
in the CLI's shortest round-trip form) they equal its output byte for
byte."""
import csv
import io
import math

import pytest

from conftest import DATA, cli

MINI = "tests/data/struct/mini.yaml"
MINI_U = "tests/data/ensemble/mini-uncertain.yaml"


def fmt(x, missing):
    """The CLI's number format: shortest of %.15g/%.16g/%.17g that reads
    back to the same double (-0 as 0)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return missing
    if isinstance(x, bool):
        return "1" if x else "0"
    x = float(x)
    if x == 0.0:
        x = 0.0
    for p in (15, 16, 17):
        s = "%.*g" % (p, x)
        if float(s) == x:
            return s
    return s


def rows_of(table):
    """(columns, rows as lists) of a DataFrame or a list of dicts."""
    if isinstance(table, list):
        cols = list(table[0].keys()) if table else []
        return cols, [[r[c] for c in cols] for r in table]
    cols = list(table.columns)
    out = []
    for rec in table.itertuples(index=False):
        out.append([None if (v is not None and not isinstance(v, str) and
                             not isinstance(v, float) and str(v) == "<NA>")
                    else v for v in rec])
    return cols, out


def to_csv(table, numeric, missing):
    cols, rows = rows_of(table)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        out = []
        for c, v in zip(cols, r):
            if c == "year":
                out.append("" if v is None or (isinstance(v, float) and
                                               math.isnan(v)) else str(int(v)))
            elif c in numeric:
                out.append(fmt(v, missing))
            else:
                out.append(v)
        w.writerow(out)
    return buf.getvalue()


@pytest.mark.parametrize("scenario,options,args", [
    (None, {}, []),
    (MINI, {}, [MINI]),
    ("russia-china-2024", {"rounds": 2}, ["russia-china-2024", "--rounds", "2"]),
    (MINI, {"compromise_select": "least_move"},
     [MINI, "--option", "compromise_select=least_move"]),
])
def test_run_equals_cli(entente, scenario, options, args):
    rc, out, err = cli("run", *args, "--format", "csv")
    assert rc == 0, err
    r = entente.run(scenario, **options)
    assert to_csv(r.series, {"value"}, "null") == out
    assert r.csv == out
    # the question table holds the run's forecasts
    fc = [v for v in _col(r.series, "variable")]
    assert "issue_forecast" in fc


def _col(table, name):
    if isinstance(table, list):
        return [r[name] for r in table]
    return list(table[name])


@pytest.mark.parametrize("scenario,runs,seed,threads", [
    (MINI_U, 60, 7, 2),
    ("russia-china-uncertain", 12, 3, 1),
])
def test_forecast_equals_cli(entente, scenario, runs, seed, threads):
    rc, out, err = cli("forecast", scenario, "--runs", str(runs), "--seed",
                       str(seed), "--threads", "2", "--format", "csv",
                       "--no-progress")
    assert rc == 0, err
    f = entente.forecast(scenario, runs=runs, seed=seed, threads=threads)
    assert f.done == runs
    assert to_csv(f.table, {"value"}, "") == out
    # the wide band table carries the same numbers as the tidy rows
    tidy = {}
    for line in out.splitlines()[1:]:
        sec, var, ent, year, stat, val = next(csv.reader([line]))
        if sec == "series":
            tidy[(var, ent, int(year), stat)] = val
    cols, rows = rows_of(f.series)
    assert len(rows) * 8 == len(tidy)
    for r in rows:
        d = dict(zip(cols, r))
        for stat in ("n", "mean", "sd", "q05", "q25", "q50", "q75", "q95"):
            assert fmt(d[stat], "") == tidy[(d["variable"], d["entity"],
                                             int(d["year"]), stat)]


def test_forecast_known_values(entente):
    # a number that is not computed by the module: members of a forecast
    # of the deterministic base scenario all equal its single run
    r = entente.run("russia-china")
    f = entente.forecast("russia-china", runs=3, seed=1, threads=1)
    run_val = [v for v, var, ent, y in zip(_col(r.series, "value"),
                                           _col(r.series, "variable"),
                                           _col(r.series, "entity"),
                                           _col(r.series, "year"))
               if var == "bilateral_trade" and ent == "RUS-CHN" and y == 2025]
    # base-year data: GACC 2025, 124.796 + 103.309
    assert len(run_val) == 1 and abs(run_val[0] - (124.796 + 103.309)) < 1e-9
    cols, rows = rows_of(f.series)
    band = [dict(zip(cols, x)) for x in rows
            if x[0] == "bilateral_trade" and x[1] == "RUS-CHN" and x[2] == 2025]
    assert band[0]["q05"] == band[0]["q95"] == run_val[0]
    assert band[0]["n"] == 3


def test_compare_equals_cli(entente):
    rc, out, err = cli("compare", MINI_U, MINI, "--runs", "30", "--seed", "2",
                       "--format", "csv", "--no-progress")
    assert rc == 0, err
    t = entente.compare(MINI_U, MINI, runs=30, seed=2, threads=1)
    assert to_csv(t, {"mean_a", "mean_b", "diff", "se", "marked"}, "") == out


def test_score_equals_cli(entente):
    ledger = DATA + "/ledger.csv"
    rc, out, err = cli("score", ledger, "--runs", "10", "--seed", "4",
                       "--format", "csv")
    assert rc == 0, err
    s = entente.score(ledger, runs=10, seed=4, threads=2)
    numeric = {"threshold", "threshold2", "probability", "uniform",
               "persistence", "starting_mean"}
    assert to_csv(s.questions, numeric, "") == out
    cols, rows = rows_of(s.scores)
    uniform = [dict(zip(cols, r)) for r in rows
               if r[0] == "all" and r[1] == "uniform"][0]
    assert uniform["brier"] == 0.25 and uniform["n"] == 2  # p = 0.5 always


def test_scenarios_and_load(entente):
    rc, out, _ = cli("scenarios")
    names = [line.split()[0] for line in out.splitlines()]
    assert _col(entente.scenarios(), "name") == names
    s = entente.load("russia-china")
    assert s.id == "russia-china" and s.uncertain == 0
    assert len(s.actors) == 9 and len(s.issues) == 9
    rc, out, _ = cli("check", "russia-china")
    assert s.summary() == out
    with entente.load(text=s.yaml, path_or_name="copy.yaml") as t:
        assert t.id == "russia-china"
    assert entente.load("russia-china-uncertain").uncertain > 0
    assert entente.check("russia-china") == []
