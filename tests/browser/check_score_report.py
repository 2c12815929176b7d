#!/usr/bin/env python3
"""Browser test of the score report (docs/report.md, "The score report").

Scores the small ledger tests/data/report/ledger-small.csv (as_of paths
relative to its folder: the test scenarios tests/data/dyn/small-uncertain
.yaml and small-relief.yaml; 40 runs, seed 3) with `entente score --format
json --report DIR`, opens DIR/report.html from disk in headless Chromium
through chromedriver's WebDriver HTTP API (the helpers of check_report.py)
and checks:

  - the page loads from file:// with no console error or warning, and
    fetches nothing but data: URIs;
  - the calibration chart is rendered: its <img> decoded (complete,
    naturalWidth > 0), visible, with a non-zero box; the SVG it shows
    (decoded from the data: URI in the page) has a <desc> listing the ten
    bins with the counts, mean probabilities and observed shares of the
    JSON's `reliability`;
  - the per-question table has one row per question of the ledger, and
    the score tables of all, fitted and later questions are there;
  - nothing is wider than the window.

It saves a screenshot to OUTDIR/score-report-screenshot.png.
Usage: check_score_report.py ENTENTE SOURCE_DIR OUTDIR.
"""
import base64
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_report as cr  # noqa: E402  (the WebDriver helpers)

CHECK_JS = r"""
const figs = Array.from(document.querySelectorAll('figure.chart'));
const charts = figs.map(f => {
  const img = f.querySelector('img');
  const r = img ? img.getBoundingClientRect() : {width: 0, height: 0};
  let hidden = !img;
  for (let e = img; e && e !== document; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') hidden = true;
  }
  return {id: f.dataset.chart, has_img: !!img,
          complete: img ? img.complete : false,
          natural: img ? img.naturalWidth : 0,
          w: r.width, h: r.height, hidden: hidden,
          src: img ? img.src : '', alt: img ? img.alt : ''};
});
const qt = document.querySelector('#questions-table tbody');
const rows = qt ? Array.from(qt.querySelectorAll('tr')).map(
  tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent)) : null;
const tables = Array.from(document.querySelectorAll('table[id]')).map(t => t.id);
const sections = Array.from(document.querySelectorAll('main > section')).map(s => s.id);
const res = performance.getEntriesByType('resource').map(e => e.name)
  .filter(n => !n.startsWith('data:'));
const de = document.documentElement;
return {title: document.title, charts: charts, rows: rows, tables: tables,
        sections: sections, external: res,
        scroll_w: de.scrollWidth, client_w: de.clientWidth,
        ready: document.readyState};
"""


def make_report(entente, src, out):
    ledger = os.path.join(src, "tests", "data", "report", "ledger-small.csv")
    rdir = os.path.join(out, "score-report-browser")
    shutil.rmtree(rdir, ignore_errors=True)
    r = subprocess.run([entente, "score", ledger, "--runs", "40", "--seed", "3",
                        "--threads", "1", "--fit-until", "2022", "--format",
                        "json", "--report", rdir], capture_output=True,
                       timeout=300)
    if r.returncode != 0:
        cr.fail("entente score --report: " + r.stderr.decode()[-800:])
    with open(ledger, newline="") as f:
        rows = list(csv.DictReader(f))
    return rdir, json.loads(r.stdout.decode()), rows


def main():
    if len(sys.argv) != 4:
        cr.fail("usage: check_score_report.py ENTENTE SOURCE_DIR OUTDIR")
    entente, src, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    chrome = cr.find("chromium", "chromium-browser", "/usr/bin/chromium")
    driver = cr.find("chromedriver", "/usr/bin/chromedriver")
    if not chrome or not driver:
        cr.fail("chromium and chromedriver are needed (Debian packages "
                "chromium, chromium-driver; scripts/install-deps installs them)")
    t0 = time.time()
    rdir, doc, ledger = make_report(entente, src, out)
    html = os.path.join(rdir, "report.html")

    port = cr.free_port()
    base = "http://127.0.0.1:%d" % port
    profile = tempfile.mkdtemp(prefix="entente-chrome-")
    log = open(os.path.join(out, "chromedriver-score.log"), "w")
    drv = subprocess.Popen([driver, "--port=%d" % port], stdout=log,
                           stderr=subprocess.STDOUT)
    sid = None
    png = os.path.join(out, "score-report-screenshot.png")
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/status", timeout=2) as r:
                    if json.loads(r.read().decode())["value"].get("ready"):
                        break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            cr.fail("chromedriver did not start")
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome,
                "args": cr.CHROME_FLAGS + ["--user-data-dir=" + profile]},
            "goog:loggingPrefs": {"browser": "ALL"}}}}
        sess = cr.wd(base, "POST", "/session", caps, timeout=90)
        sid = sess["sessionId"]
        s = "/session/" + sid
        cr.wd(base, "POST", s + "/timeouts", {"pageLoad": 60000, "script": 30000})
        cr.wd(base, "POST", s + "/url", {"url": "file://" + os.path.abspath(html)})
        info = cr.wd(base, "POST", s + "/execute/sync", {"script": CHECK_JS, "args": []})
        logs = cr.wd(base, "POST", s + "/se/log", {"type": "browser"}) or []
        shot = cr.wd(base, "GET", s + "/screenshot")
        with open(png, "wb") as f:
            f.write(base64.b64decode(shot))
    finally:
        if sid:
            try:
                cr.wd(base, "DELETE", "/session/" + sid, timeout=20)
            except SystemExit:
                pass
        drv.terminate()
        try:
            drv.wait(timeout=10)
        except subprocess.TimeoutExpired:
            drv.kill()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)

    problems = []
    for entry in logs:
        if entry.get("level") in ("SEVERE", "WARNING"):
            problems.append("console %s: %s" % (entry.get("level"), entry.get("message")))
    if info["ready"] != "complete":
        problems.append("document not loaded: " + info["ready"])
    if "entente score report" not in info["title"]:
        problems.append("title is %r" % info["title"])
    if info["external"]:
        problems.append("the page fetched %s" % info["external"][:3])
    for sec in ("summary", "calibration", "questions", "method"):
        if sec not in info["sections"]:
            problems.append("no section #%s (sections: %s)" % (sec, info["sections"]))
    for t in ("scores-all", "scores-fitted", "scores-later", "calibration-bins",
              "questions-table"):
        if t not in info["tables"]:
            problems.append("no table #%s (tables: %s)" % (t, info["tables"]))
    # the calibration chart, rendered
    cal = [c for c in info["charts"] if c["id"] == "calibration"]
    if len(cal) != 1:
        problems.append("calibration chart: %d on the page (charts: %s)"
                        % (len(cal), [c["id"] for c in info["charts"]]))
    else:
        c = cal[0]
        if not (c["has_img"] and c["complete"] and c["natural"] > 0):
            problems.append("the calibration chart did not load")
        elif c["hidden"] or c["w"] < 100 or c["h"] < 100:
            problems.append("the calibration chart is not visible (%.0f x %.0f)"
                            % (c["w"], c["h"]))
        if not c["alt"]:
            problems.append("the calibration chart has no alt text")
        prefix = "data:image/svg+xml;base64,"
        if not c["src"].startswith(prefix):
            problems.append("the calibration chart is not an embedded SVG")
        else:
            svg = base64.b64decode(c["src"][len(prefix):]).decode()
            with open(os.path.join(rdir, "calibration.svg"), encoding="utf-8") as f:
                if f.read() != svg:
                    problems.append("the embedded SVG differs from calibration.svg")
            m = re.search(r"<desc>(.*?)</desc>", svg, re.S)
            desc = m.group(1) if m else ""
            bins = re.findall(r"(\d+)%-(\d+)%: (\d+) questions?(?:, mean probability "
                              r"([0-9]+\.[0-9]+), observed ([0-9]+\.[0-9]+))?", desc)
            rel = doc["reliability"]
            if len(bins) != len(rel):
                problems.append("the chart's desc lists %d bins, the scores %d: %r"
                                % (len(bins), len(rel), desc[:300]))
            for b, r in zip(bins, rel):
                if (int(b[0]), int(b[1]), int(b[2])) != (round(100 * r["from"]),
                                                         round(100 * r["to"]), r["n"]):
                    problems.append("bin %s in the desc, %s in the scores" % (b, r))
                elif r["n"] and (abs(float(b[3]) - r["mean_probability"]) > 5e-4 or
                                 abs(float(b[4]) - r["observed"]) > 5e-4):
                    problems.append("bin %s in the desc, %s in the scores" % (b, r))
    # the per-question table
    rows = info["rows"] or []
    if len(rows) != len(ledger):
        problems.append("the questions table has %d rows, the ledger %d questions"
                        % (len(rows), len(ledger)))
    for tr, q in zip(rows, ledger):
        if not tr or tr[0] != q["id"] or tr[-2] != q["outcome"]:
            problems.append("row %s for question %s" % (tr, q["id"]))
    if info["scroll_w"] > info["client_w"] + 1:
        problems.append("the page is wider than the window (%d > %d)"
                        % (info["scroll_w"], info["client_w"]))
    for p in problems:
        print("FAIL: " + p)
    print("score browser test: %d questions, %d bins, %d console messages, "
          "screenshot %s, %.1f s" % (len(rows), len(doc["reliability"]), len(logs),
                                     png, time.time() - t0))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
