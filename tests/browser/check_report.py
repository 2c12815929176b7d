#!/usr/bin/env python3
"""Browser test of the HTML report (docs/report.md, "The browser test").

Makes a small forecast (tests/data/report/small.yaml, 40 runs), writes its
report with `entente report --json`, opens report.html from disk in
headless Chromium through chromedriver's WebDriver HTTP API, and checks:

  - the page loads from file:// with no console error or warning of level
    SEVERE in the browser log (goog:loggingPrefs), and fetches nothing but
    data: URIs (Resource Timing);
  - every chart is there: one <figure class="chart"> per SVG file the
    report wrote, each <img> decoded (complete, naturalWidth > 0),
    displayed (not display:none / visibility:hidden), with a non-zero box;
  - the sections (headline, issues, relations, sensitivity, year by year,
    back-test, assumptions, method) exist, and nothing is wider than the
    window;
  - printing gives a PDF of more than one page.

It saves a screenshot of the top of the report to
OUTDIR/report-screenshot.png (build/tests/report-screenshot.png in the
normal build) and the printed PDF to OUTDIR/report-print.pdf.

Usage: check_report.py ENTENTE SOURCE_DIR OUTDIR.  Uses only the Python
standard library; chromium and chromium-driver come from
scripts/install-deps.  A missing browser is a failure, not a skip.
"""
import base64
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,1600",
]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def find(*names):
    for n in names:
        p = shutil.which(n)
        if p:
            return p
        if os.path.exists(n):
            return n
    return None


def wd(base, method, path, body=None, timeout=60, tries=3):
    """One WebDriver call.  A renderer time-out (chromedriver gives the
    renderer 10 s, which a loaded shared machine can exceed) is retried
    up to `tries` times; any other error fails the test."""
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(tries):
        req = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read().decode())["value"]
        except urllib.error.HTTPError as e:
            text = e.read().decode()
            if '"error":"timeout"' in text.replace(" ", "") and attempt + 1 < tries:
                time.sleep(2)
                continue
            fail("WebDriver %s %s: %s" % (method, path, text[:500]))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_report(entente, src, out):
    scenario = os.path.join(src, "tests", "data", "report", "small.yaml")
    fc = os.path.join(out, "report-forecast.json")
    with open(fc, "w") as f:
        r = subprocess.run([entente, "forecast", scenario, "--runs", "40",
                            "--seed", "7", "--threads", "1", "--no-progress",
                            "--format", "json"], stdout=f,
                           stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0:
        fail("entente forecast: " + r.stderr.decode()[-800:])
    rdir = os.path.join(out, "report-browser")
    shutil.rmtree(rdir, ignore_errors=True)
    r = subprocess.run([entente, "report", "--json", fc, "--scenario", scenario,
                        "--out", rdir], capture_output=True, timeout=120)
    if r.returncode != 0:
        fail("entente report: " + r.stderr.decode()[-800:])
    return rdir


CHECK_JS = r"""
const figs = Array.from(document.querySelectorAll('figure.chart'));
const charts = figs.map(f => {
  const img = f.querySelector('img');
  const r = img ? img.getBoundingClientRect() : {width: 0, height: 0};
  const cs = img ? getComputedStyle(img) : null;
  let hidden = !img;
  for (let e = img; e && e !== document; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') hidden = true;
  }
  return {id: f.dataset.chart, has_img: !!img,
          complete: img ? img.complete : false,
          natural: img ? img.naturalWidth : 0,
          w: r.width, h: r.height, hidden: hidden,
          svg: img ? img.src.startsWith('data:image/svg+xml;base64,') : false,
          alt: img ? img.alt : ''};
});
const sections = Array.from(document.querySelectorAll('main > section')).map(s => s.id);
const res = performance.getEntriesByType('resource').map(e => e.name)
  .filter(n => !n.startsWith('data:'));
const de = document.documentElement;
return {title: document.title, charts: charts, sections: sections,
        external: res, scroll_w: de.scrollWidth, client_w: de.clientWidth,
        wide: Array.from(document.querySelectorAll('body *'))
          .filter(e => e.getBoundingClientRect().right > de.clientWidth + 1)
          .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id),
        ready: document.readyState};
"""


def main():
    if len(sys.argv) != 4:
        fail("usage: check_report.py ENTENTE SOURCE_DIR OUTDIR")
    entente, src, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    chrome = find("chromium", "chromium-browser", "/usr/bin/chromium")
    driver = find("chromedriver", "/usr/bin/chromedriver")
    if not chrome or not driver:
        fail("chromium and chromedriver are needed (Debian packages chromium, "
             "chromium-driver; scripts/install-deps installs them)")
    t0 = time.time()
    rdir = make_report(entente, src, out)
    html = os.path.join(rdir, "report.html")
    svgs = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(rdir, "*.svg")))
    if not svgs:
        fail("the report wrote no chart")

    port = free_port()
    base = "http://127.0.0.1:%d" % port
    profile = tempfile.mkdtemp(prefix="entente-chrome-")
    log = open(os.path.join(out, "chromedriver.log"), "w")
    drv = subprocess.Popen([driver, "--port=%d" % port], stdout=log,
                           stderr=subprocess.STDOUT)
    sid = None
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/status", timeout=2) as r:
                    if json.loads(r.read().decode())["value"].get("ready"):
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        else:
            fail("chromedriver did not start")
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome,
                "args": CHROME_FLAGS + ["--user-data-dir=" + profile]},
            "goog:loggingPrefs": {"browser": "ALL"}}}}
        sess = wd(base, "POST", "/session", caps, timeout=90)
        sid = sess["sessionId"]
        s = "/session/" + sid
        wd(base, "POST", s + "/timeouts", {"pageLoad": 60000, "script": 30000})
        wd(base, "POST", s + "/url", {"url": "file://" + os.path.abspath(html)})
        info = wd(base, "POST", s + "/execute/sync", {"script": CHECK_JS, "args": []})
        logs = wd(base, "POST", s + "/se/log", {"type": "browser"}) or []
        shot = wd(base, "GET", s + "/screenshot")
        png = os.path.join(out, "report-screenshot.png")
        with open(png, "wb") as f:
            f.write(base64.b64decode(shot))
        pdf = wd(base, "POST", s + "/print", {"background": True,
                                              "page": {"width": 21.0, "height": 29.7}})
        pdf = base64.b64decode(pdf)
        with open(os.path.join(out, "report-print.pdf"), "wb") as f:
            f.write(pdf)
    finally:
        if sid:
            try:
                wd(base, "DELETE", "/session/" + sid, timeout=20)
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
    bad_logs = [l for l in logs if l.get("level") in ("SEVERE", "WARNING")]
    for l in bad_logs:
        problems.append("console %s: %s" % (l.get("level"), l.get("message")))
    if info["ready"] != "complete":
        problems.append("document not loaded: " + info["ready"])
    if "entente report" not in info["title"]:
        problems.append("title is %r" % info["title"])
    if info["external"]:
        problems.append("the page fetched %s" % info["external"][:3])
    got = sorted(c["id"] for c in info["charts"])
    if got != svgs:
        problems.append("charts on the page %s differ from the SVG files %s"
                        % (got, svgs))
    for c in info["charts"]:
        if not (c["has_img"] and c["svg"] and c["complete"] and c["natural"] > 0):
            problems.append("chart %s did not load (%s)" % (c["id"], c))
        elif c["hidden"] or c["w"] < 100 or c["h"] < 50:
            problems.append("chart %s is not visible (%s)" % (c["id"], c))
        elif not c["alt"]:
            problems.append("chart %s has no alt text" % c["id"])
    for sec in ("headline", "issues", "relations", "sensitivity", "series",
                "issues-over-time", "backtest", "assumptions", "method"):
        if sec not in info["sections"]:
            problems.append("no section #%s (sections: %s)" % (sec, info["sections"]))
    if info["scroll_w"] > info["client_w"] + 1:
        problems.append("the page is wider than the window (%d > %d): %s"
                        % (info["scroll_w"], info["client_w"], info["wide"]))
    if not pdf.startswith(b"%PDF") or pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") < 2:
        problems.append("printing did not give a PDF of several pages")
    for p in problems:
        print("FAIL: " + p)
    print("browser test: %d charts checked, %d console messages, screenshot %s, "
          "%.1f s" % (len(info["charts"]), len(logs), png, time.time() - t0))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
