#!/usr/bin/env python3
"""The tidy CSV of a forecast loads as documented (docs/r-and-python.md).

Runs `entente forecast --format csv` and `entente run --format csv` on the
small test scenario, checks the tables with the standard csv module, then
runs the R and pandas examples of docs/r-and-python.md exactly as written
there: R where Rscript exists, pandas where some python3 has it (neither is
a dependency of entente; a skipped example is reported).
Usage: check_csv.py ENTENTE SOURCE_DIR
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)


def main():
    entente, src = sys.argv[1:3]
    scen = os.path.join(src, "tests", "data", "report", "small.yaml")
    tmp = tempfile.mkdtemp(prefix="entente-csv-")
    try:
        fc = subprocess.run([entente, "forecast", scen, "--runs", "20", "--seed", "2",
                             "--threads", "1", "--no-progress", "--format", "csv"],
                            capture_output=True, check=True).stdout.decode()
        with open(os.path.join(tmp, "forecast.csv"), "w") as f:
            f.write(fc)
        rows = list(csv.reader(io.StringIO(fc)))
        check(rows[0] == ["section", "variable", "entity", "year", "statistic", "value"],
              "forecast header is %s" % rows[0])
        bands = {}
        for r in rows[1:]:
            check(len(r) == 6, "row with %d fields: %s" % (len(r), r))
            if len(r) != 6:
                continue
            check(r[3] == "" or re.fullmatch(r"-?\d+", r[3]), "year %r" % r[3])
            if r[5] != "":
                try:
                    v = float(r[5])
                    check(v == v and abs(v) != float("inf"), "value %r" % r[5])
                except ValueError:
                    check(False, "value %r is not a number" % r[5])
            if r[0] == "series" and r[1] == "trade_flow" and r[2] == "RUS->CHN":
                bands.setdefault(int(r[3]), {})[r[4]] = float(r[5])
        check(len(bands) == 7, "trade_flow RUS->CHN years: %s" % sorted(bands))
        for y, b in bands.items():
            check(b["q05"] <= b["q50"] * (1 + 1e-9) and b["q50"] <= b["q95"] * (1 + 1e-9),
                  "quantiles of %d out of order: %s" % (y, b))
        run = subprocess.run([entente, "run", scen, "--format", "csv"],
                             capture_output=True, check=True).stdout.decode()
        rr = list(csv.reader(io.StringIO(run)))
        check(rr[0] == ["variable", "entity", "year", "value", "unit"], "run header %s" % rr[0])
        check(all(len(r) == 5 for r in rr), "run rows of 5 fields")

        doc = open(os.path.join(src, "docs", "r-and-python.md"), encoding="utf-8").read()
        r_code = re.search(r"```r\n(.*?)```", doc, re.S).group(1)
        py_code = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
        check(len(r_code.strip().split("\n")) == 5, "the R example is not five lines")
        check(len(py_code.strip().split("\n")) == 5, "the pandas example is not five lines")
        notes = []
        rscript = shutil.which("Rscript")
        if rscript:
            with open(os.path.join(tmp, "ex.R"), "w") as f:
                f.write(r_code)
            p = subprocess.run([rscript, "ex.R"], cwd=tmp, capture_output=True)
            out = p.stdout.decode()
            check(p.returncode == 0, "R example failed: " + p.stderr.decode()[-500:])
            check("value.q50" in out and "2026" in out, "R example printed: " + out[:300])
            notes.append("R example ran")
        else:
            notes.append("R example skipped (no Rscript)")
        py = None
        for cand in (sys.executable, "/usr/bin/python3"):
            if cand and os.path.exists(cand) and subprocess.run(
                    [cand, "-c", "import pandas"], capture_output=True).returncode == 0:
                py = cand
                break
        if py:
            p = subprocess.run([py, "-c", py_code], cwd=tmp, capture_output=True)
            out = p.stdout.decode()
            check(p.returncode == 0, "pandas example failed: " + p.stderr.decode()[-500:])
            check("q50" in out and "2026" in out, "pandas example printed: " + out[:300])
            notes.append("pandas example ran")
        else:
            notes.append("pandas example skipped (no pandas)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for p in problems:
        print("FAIL: " + p)
    print("csv: %d rows checked; %s" % (len(rows), "; ".join(notes)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
