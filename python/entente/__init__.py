"""entente from Python: scenarios, runs, forecasts, comparisons and scores
of the entente engine (libentente.so, include/entente.h) as pandas tables.

    import entente
    f = entente.forecast(runs=200, seed=1)
    f.series.query("variable == 'alignment' and entity == 'RUS-CHN'")

Tables are pandas DataFrames when pandas can be imported, else lists of
dicts with the same columns.  The rows and numbers are those of the
command line's ``--format csv`` for the same inputs and seed.  docs/
python.md is the reference.
"""
import csv
import ctypes
import io
import json
import math
import os
import threading
from collections import namedtuple

from . import _capi
from ._capi import lib

__all__ = [
    "scenarios", "load", "check", "run", "forecast", "compare", "score",
    "Scenario", "Run", "Forecast", "Scorecard", "Problem", "ScenarioError",
    "EntenteError", "format_number", "version",
]

version = "0.1.0"

try:  # pandas is optional: without it tables are lists of dicts
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised by a test in a subprocess
    _pd = None


# ------------------------------------------------------------ errors

Problem = namedtuple("Problem", "file line col severity message")
Problem.__doc__ = ("One problem in an input: file, line and col (1-based, "
                   "as the command line prints them), severity ('error', 'warning', 'note') and the "
                   "message.")


class EntenteError(RuntimeError):
    """The library failed for a reason other than bad input (no trade
    equilibrium, a failed member, out of memory, ...)."""

    def __init__(self, message, status=None, problems=()):
        super().__init__(message)
        self.status = status
        self.problems = list(problems)


class ScenarioError(EntenteError):
    """A scenario, table or ledger has problems.  ``file``, ``line``,
    ``col`` and ``message`` are those of the first error; ``problems``
    lists every one; ``text`` is what the command line prints
    (``file:line:col: error: message`` with the offending line)."""

    def __init__(self, problems, text, status=None):
        first = next((p for p in problems if p.severity == "error"),
                     problems[0] if problems else
                     Problem("", 0, 0, "error", "invalid input"))
        super().__init__("%s:%d:%d: %s: %s" % (first.file, first.line,
                                                first.col, first.severity,
                                                first.message),
                         status, problems)
        self.file = first.file
        self.line = first.line
        self.col = first.col
        self.message = first.message
        self.text = text


_SEV = {_capi.SEV_ERROR: "error", _capi.SEV_WARNING: "warning",
        _capi.SEV_NOTE: "note"}


class _Diag:
    """An ent_diag for one call."""

    def __init__(self):
        self.ptr = lib.ent_diag_create()
        if not self.ptr:
            raise MemoryError("entente: out of memory")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        lib.ent_diag_destroy(self.ptr)
        self.ptr = None

    def problems(self):
        out = []
        for i in range(lib.ent_diag_count(self.ptr)):
            it = lib.ent_diag_get(self.ptr, i).contents
            # positions as the CLI prints them (unknown -> 1)
            out.append(Problem((it.file or b"entente").decode("utf-8",
                                                              "replace"),
                               it.line if it.line > 0 else 1,
                               it.col if it.col > 0 else 1,
                               _SEV.get(it.severity, "error"),
                               it.msg.decode("utf-8", "replace")))
        return out

    def text(self):
        buf, n = ctypes.c_void_p(), ctypes.c_size_t()
        if lib.ent_diag_print_mem(self.ptr, ctypes.byref(buf),
                                  ctypes.byref(n)) != _capi.OK:
            return ""
        return _capi.take_buffer(buf, n)

    def fail(self, st):
        """Raise the exception that fits status st and the problems."""
        if st == _capi.ENOMEM:
            raise MemoryError("entente: out of memory")
        if st == _capi.ECANCELED:
            raise KeyboardInterrupt
        problems = self.problems()
        if st in (_capi.EINPUT, _capi.EIO, _capi.ENOTFOUND) and problems:
            raise ScenarioError(problems, self.text(), st)
        msg = self.text().strip() or ("entente: " + _capi.status_str(st))
        raise EntenteError(msg, st, problems)


def _check(st, d):
    if st not in (_capi.OK, _capi.CONTINUE):
        d.fail(st)
    return st


# ------------------------------------------------------------ Ctrl-C

def _interruptible(work, cancel):
    """Run work() -- calls into the library, which release the GIL -- so
    that Ctrl-C stays responsive: in the main thread the work runs in a
    helper thread while this one waits; Ctrl-C sets the cancel flag (the
    library stops before its next ensemble member), waits until the work
    has freed what it held, and raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        return work()
    box = {}
    finished = threading.Lock()
    finished.acquire()  # released by the helper thread when work() is done

    def target():
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
        finally:
            finished.release()

    t = threading.Thread(target=target, name="entente-work", daemon=True)
    t.start()
    interrupted = False
    # A plain lock, not Thread.join: an interrupted join may report the
    # thread finished too early, and the caller would free what it uses.
    while True:
        try:
            if finished.acquire(timeout=0.05):
                break
        except KeyboardInterrupt:
            interrupted = True
            cancel.value = 1
    if interrupted:
        raise KeyboardInterrupt
    if "error" in box:
        raise box["error"]
    return box["value"]


# ------------------------------------------------------------ tables

def _table(rows, columns):
    """A DataFrame of rows (dicts) when pandas is there, else the rows."""
    if _pd is None:
        return rows
    df = _pd.DataFrame(rows, columns=columns)
    if "year" in columns:  # whole numbers; pandas' nullable Int64 if some
        df["year"] = df["year"].astype(  # rows have none (strategic runs)
            "Int64" if df["year"].isna().any() else "int64")
    return df


def _num(s):
    if s == "" or s == "null":
        return math.nan
    return float(s)


def _year(s):
    return int(s) if s != "" else None


def _parse_csv(text, types):
    """Rows of a CSV text as dicts, typed by `types` (column -> function)."""
    r = csv.reader(io.StringIO(text))
    header = next(r)
    rows = []
    for rec in r:
        rows.append({k: types.get(k, str)(v) for k, v in zip(header, rec)})
    return header, rows


def format_number(x, missing=""):
    """A number as the command line prints it in CSV: the shortest of
    %.15g, %.16g and %.17g that reads back to the same double (`missing`
    for NaN and infinities)."""
    x = float(x)
    if not math.isfinite(x):
        return missing
    if x == 0.0:
        x = 0.0
    for prec in (15, 16, 17):
        s = "%.*g" % (prec, x)
        if float(s) == x:
            return s
    return s


def _bool_kv(v):
    if v is True:
        return "on"
    if v is False:
        return "off"
    return str(v)


class _RunOpts:
    """ent_run_opts from keyword options (model options of docs/models/
    eum.md section 7, plus rounds and profile)."""

    def __init__(self, options):
        self.ptr = lib.ent_run_opts_create()
        if not self.ptr:
            raise MemoryError("entente: out of memory")
        try:
            for k, v in options.items():
                kv = ("%s=%s" % (k, _bool_kv(v))).encode()
                with _Diag() as d:
                    if lib.ent_run_opts_set(self.ptr, kv, b"<python>",
                                            d.ptr) != _capi.OK:
                        p = d.problems()
                        raise ValueError(p[0].message if p else
                                         "bad option %r" % k)
        except BaseException:
            self.close()
            raise

    def close(self):
        lib.ent_run_opts_destroy(self.ptr)
        self.ptr = None


def _threads(threads):
    if threads is None:
        return max(1, min(256, os.cpu_count() or 1))
    if isinstance(threads, bool) or not isinstance(threads, int) or \
            not 1 <= threads <= 256:
        raise ValueError("threads must be a whole number in [1, 256], not %r"
                         % (threads,))
    return threads


def _whole(name, v, lo, hi):
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise ValueError("%s must be a whole number in [%d, %d], not %r"
                         % (name, lo, hi, v))
    return v


# ------------------------------------------------------------ scenarios

def scenarios():
    """The built-in scenarios: a table of name and title."""
    rows = [{"name": lib.ent_builtin_name(i).decode(),
             "title": lib.ent_builtin_title(i).decode()}
            for i in range(lib.ent_builtin_count())]
    return _table(rows, ["name", "title"])


def _is_builtin(arg):
    return (lib.ent_builtin_text(arg.encode()) is not None and "/" not in arg
            and ".yaml" not in arg and ".yml" not in arg)


class Scenario:
    """A loaded, validated scenario (immutable).  ``id``, ``title``,
    ``source`` (file or built-in name), ``actors`` and ``issues`` (tables
    of id and name / question), ``uncertain`` (number of uncertain inputs)
    and ``yaml`` (the text of a built-in, else None).  Pass it to run(),
    forecast() and compare(); close() (or a with block) frees it at once,
    else the garbage collector does."""

    def __init__(self, ptr, source, yaml_text=None):
        self._ptr = ptr
        self.source = source
        self.yaml = yaml_text
        self.id = lib.ent_model_id(ptr).decode()
        self.title = (lib.ent_model_title(ptr) or b"").decode()
        self.actors = _table([
            {"id": lib.ent_model_actor_id(ptr, i).decode(),
             "name": (lib.ent_model_actor_name(ptr, i) or b"").decode()}
            for i in range(lib.ent_model_actor_count(ptr))], ["id", "name"])
        self.issues = _table([
            {"id": lib.ent_model_issue_id(ptr, i).decode(),
             "question": (lib.ent_model_issue_question(ptr, i) or b"").decode()}
            for i in range(lib.ent_model_issue_count(ptr))], ["id", "question"])
        self.uncertain = lib.ent_model_uncertain_count(ptr)

    def summary(self):
        """The text `entente check` prints for a valid scenario."""
        buf, n = ctypes.c_void_p(), ctypes.c_size_t()
        st = lib.ent_model_write_summary_mem(self._handle(), ctypes.byref(buf),
                                             ctypes.byref(n))
        if st != _capi.OK:
            raise EntenteError("entente: " + _capi.status_str(st), st)
        return _capi.take_buffer(buf, n)

    def _handle(self):
        if not self._ptr:
            raise ValueError("the scenario was closed")
        return self._ptr

    def close(self):
        ptr, self._ptr = self._ptr, None
        if ptr:
            lib.ent_model_destroy(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutting down
            pass

    def __repr__(self):
        return "<entente.Scenario %s: %s>" % (self.id, self.title)


def _load_raw(arg, table=False, text=None, d=None):
    """ent_model of arg (built-in name or path) -- or of YAML `text` -- as
    (ptr, status); problems go to d."""
    out = ctypes.c_void_p()
    if text is not None:
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        name = (arg or "<string>").encode()
        st = lib.ent_scenario_load_buffer(name, data, len(data),
                                          ctypes.byref(out), d.ptr)
    elif table:
        st = lib.ent_table_load_file(os.fsencode(arg), ctypes.byref(out), d.ptr)
    elif _is_builtin(arg):
        st = lib.ent_builtin_load(arg.encode(), ctypes.byref(out), d.ptr)
    else:
        st = lib.ent_scenario_load_file(os.fsencode(arg), ctypes.byref(out),
                                        d.ptr)
    return out.value, st


def load(path_or_name=None, *, text=None, table=False):
    """Load a scenario: a built-in name (see scenarios()), a YAML file, a
    CSV actor table (table=True), or YAML given as `text` (then
    path_or_name, if given, names it in messages).  None: the default
    built-in, russia-china.  Raises ScenarioError with the first problem's
    file, line, col and message."""
    if text is None:
        if path_or_name is None:
            path_or_name = lib.ent_builtin_name(0).decode()
        if not isinstance(path_or_name, (str, os.PathLike)):
            raise ValueError("load() takes a scenario name or a path, not %r"
                             % (path_or_name,))
        path_or_name = os.fspath(path_or_name)
        if not path_or_name:
            raise ValueError("empty scenario name")
        if (not table and not _is_builtin(path_or_name) and "/" not in
                path_or_name and not path_or_name.endswith((".yaml", ".yml"))
                and not os.path.exists(path_or_name)):
            names = [lib.ent_builtin_name(i).decode()
                     for i in range(lib.ent_builtin_count())]
            raise ValueError("no built-in scenario %r and no such file "
                             "(built-ins: %s)" % (path_or_name,
                                                  ", ".join(names)))
    elif not isinstance(text, (str, bytes)):
        raise ValueError("text must be a str or bytes")
    with _Diag() as d:
        ptr, st = _load_raw(path_or_name, table, text, d)
        if st != _capi.OK:
            d.fail(st)
    yaml_text = None
    if text is None and not table and _is_builtin(path_or_name):
        yaml_text = lib.ent_builtin_text(path_or_name.encode()).decode()
    return Scenario(ptr, path_or_name if text is None else
                    (path_or_name or "<string>"), yaml_text)


def check(path, table=False):
    """Validate a scenario file (or a CSV actor table with table=True, or a
    built-in name): the list of problems (Problem tuples: file, line, col,
    severity, message), empty when the file is valid."""
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError("check() takes a path, not %r" % (path,))
    path = os.fspath(path)
    with _Diag() as d:
        ptr, st = _load_raw(path, table, None, d)
        problems = d.problems()
        if ptr:
            lib.ent_model_destroy(ptr)
        if st not in (_capi.OK, _capi.EINPUT, _capi.EIO, _capi.ENOTFOUND):
            d.fail(st)
        if st != _capi.OK and not problems:
            problems = [Problem(path, 1, 1, "error",
                                _capi.status_str(st))]
    return problems


class _Model:
    """The model of a scenario argument for one call: a Scenario as given,
    or a name/path loaded (and freed) here."""

    def __init__(self, scenario, default):
        self.owned = None
        if isinstance(scenario, Scenario):
            self.scenario = scenario
        else:
            self.owned = load(default if scenario is None else scenario)
            self.scenario = self.owned
        self.ptr = self.scenario._handle()

    def close(self):
        if self.owned:
            self.owned.close()


def _write(fn, handles, fmt):
    buf, n = ctypes.c_void_p(), ctypes.c_size_t()
    st = fn(*handles, fmt, ctypes.byref(buf), ctypes.byref(n))
    if st != _capi.OK:
        raise EntenteError("entente: writing the output: " +
                           _capi.status_str(st), st)
    return _capi.take_buffer(buf, n)


class _Store:
    def __init__(self, path):
        self.ptr = None
        if path is None:
            return
        out = ctypes.c_void_p()
        with _Diag() as d:
            st = lib.ent_store_open(os.fsencode(path), 1, ctypes.byref(out),
                                    d.ptr)
            if st != _capi.OK:
                d.fail(st)
        self.ptr = out.value

    def close(self):
        lib.ent_store_close(self.ptr)
        self.ptr = None


# ------------------------------------------------------------ run

_RUN_TYPES = {"year": _year, "value": _num}


class Run:
    """One simulation of a scenario.

    series  tidy table: variable, entity, year, value, unit -- the rows of
            `entente run --format csv`
    issues  one row per question: id, question, model, initial_median,
            initial_mean, forecast_median, forecast_mean, label, converged,
            eum, smp
    pairs   the relation of every ordered pair of actors on every issue
            after the last round: issue, from, to, relation, region, a, b
    document  the run's JSON document (`entente run --format json`)
    csv     the CSV text itself
    store_id  the run's id in the run store (store=...), else None
    """

    def __init__(self, csv_text, json_text, store_id=None):
        self.csv = csv_text
        self.store_id = store_id
        self.document = json.loads(json_text)
        cols, rows = _parse_csv(csv_text, _RUN_TYPES)
        self.series = _table(rows, cols)
        issues, pairs = [], []
        for i in self.document.get("issues", []):
            fc = i.get("forecast") or {}
            ini = i.get("initial") or {}
            models = i.get("models") or {}
            issues.append({
                "id": i.get("id"), "question": i.get("question"),
                "model": i.get("model"),
                "initial_median": ini.get("median"),
                "initial_mean": ini.get("mean"),
                "forecast_median": fc.get("median"),
                "forecast_mean": fc.get("mean"),
                "label": fc.get("label"), "converged": fc.get("converged"),
                "eum": models.get("eum"), "smp": models.get("smp")})
            for p in i.get("dyads") or []:
                pairs.append({"issue": i.get("id"), "from": p.get("from"),
                              "to": p.get("to"),
                              "relation": p.get("relation"),
                              "region": p.get("region"), "a": p.get("a"),
                              "b": p.get("b")})
        self.issues = _table(issues, ["id", "question", "model",
                                      "initial_median", "initial_mean",
                                      "forecast_median", "forecast_mean",
                                      "label", "converged", "eum", "smp"])
        self.pairs = _table(pairs, ["issue", "from", "to", "relation",
                                    "region", "a", "b"])

    def __repr__(self):
        sc = self.document.get("scenario", {})
        return "<entente.Run %s: %d values>" % (sc.get("id"),
                                                len(self.series))


def run(scenario=None, *, store=None, **options):
    """Simulate a scenario once (`entente run`).  scenario: a Scenario, a
    built-in name or a YAML file (None: russia-china).  options: model
    options as keywords (rounds=5, profile='scholz2011',
    compromise_select='least_move', ...).  store: an SQLite run store to
    keep the run in."""
    cancel = ctypes.c_int(0)
    ro = _RunOpts(options)
    try:
        m = _Model(scenario, None)
    except BaseException:
        ro.close()
        raise

    def work():
        st_ = _Store(store)
        r = ctypes.c_void_p()
        try:
            with _Diag() as d:
                _check(lib.ent_run_create(m.ptr, ro.ptr, ctypes.byref(r),
                                          d.ptr), d)
                sid = None
                if st_.ptr:
                    got = ctypes.c_longlong()
                    _check(lib.ent_store_add_run(st_.ptr, r, ro.ptr,
                                                 ctypes.byref(got), d.ptr), d)
                    sid = got.value
            csv_text = _write(lib.ent_run_write_mem, (r,), _capi.FORMAT_CSV)
            json_text = _write(lib.ent_run_write_mem, (r,), _capi.FORMAT_JSON)
            return Run(csv_text, json_text, sid)
        finally:
            lib.ent_run_destroy(r)
            st_.close()

    try:
        return _interruptible(work, cancel)
    finally:
        m.close()
        ro.close()


# ------------------------------------------------------------ forecast

_FC_TYPES = {"year": _year, "value": _num}
_STATS = ["n", "mean", "sd", "q05", "q25", "q50", "q75", "q95"]


def _wide(rows, section):
    """Rows of one section of the tidy forecast table, one column per
    statistic (variable, entity, year, n, mean, sd, q05 ... q95)."""
    out, at = [], {}
    for r in rows:
        if r["section"] != section:
            continue
        key = (r["variable"], r["entity"], r["year"])
        row = at.get(key)
        if row is None:
            row = {"variable": key[0], "entity": key[1], "year": key[2]}
            row.update({s: math.nan for s in _STATS})
            at[key] = row
            out.append(row)
        row[r["statistic"]] = r["value"]
    return out


def _tidy(rows, section, names):
    return [{names[0]: r["variable"], names[1]: r["entity"],
             "year": r["year"], "statistic": r["statistic"],
             "value": r["value"]}
            for r in rows if r["section"] == section]


class Forecast:
    """A Monte Carlo forecast (`entente forecast`).

    table       the tidy table of `entente forecast --format csv`:
                section, variable, entity, year, statistic, value
    series      one row per output and year: variable, entity, year, n,
                mean, sd, q05, q25, q50, q75, q95 (the band: q05..q95)
    outcomes    the same for each issue's outcome (entity = issue id)
    ranges      probability of each labelled range: label, issue, year,
                statistic ('probability'), value
    thresholds  probability of reaching each label by a year (label,
                issue, year, statistic 'p_reached_by' or 'p_reached', value)
    relations   share of each relationship class per ordered pair
                (relation, pair 'A->B@issue', year, statistic, value)
    sensitivity which inputs drive the headline outputs (input, output,
                year, statistic 'src'/'r2' or 'first_order'/'total', value)
    runs, seed  as asked; done: members computed
    store_id    the forecast's id in the run store (store=...), else None
    csv         the CSV text itself; document(): the JSON document
    """

    def __init__(self, csv_text, json_text, runs, seed, done, store_id=None):
        self.csv = csv_text
        self._json = json_text
        self.runs, self.seed, self.done = runs, seed, done
        self.store_id = store_id
        cols, rows = _parse_csv(csv_text, _FC_TYPES)
        self.table = _table(rows, cols)
        wide_cols = ["variable", "entity", "year"] + _STATS
        self.series = _table(_wide(rows, "series"), wide_cols)
        self.outcomes = _table(_wide(rows, "outcome"), wide_cols)
        tcols = ["year", "statistic", "value"]
        self.ranges = _table(_tidy(rows, "range", ("label", "issue")),
                             ["label", "issue"] + tcols)
        self.thresholds = _table(_tidy(rows, "threshold", ("label", "issue")),
                                 ["label", "issue"] + tcols)
        self.relations = _table(_tidy(rows, "relation", ("relation", "pair")),
                                ["relation", "pair"] + tcols)
        self.sensitivity = _table(_tidy(rows, "sensitivity",
                                        ("input", "output")),
                                  ["input", "output"] + tcols)

    def document(self):
        """The JSON document of `entente forecast --format json`."""
        return json.loads(self._json)

    def __repr__(self):
        return "<entente.Forecast %d of %d runs, seed %d>" % (
            self.done, self.runs, self.seed)


def _ens_opts(runs, seed, threads, sobol=False, memory=256):
    o = _capi.EnsembleOpts()
    lib.ent_ensemble_opts_init(ctypes.byref(o))
    o.runs = _whole("runs", runs, 1, 100000000)
    o.seed = _whole("seed", seed, 0, 9007199254740991)
    o.threads = _threads(threads)
    o.sobol = 1 if sobol else 0
    o.memory_mb = float(_whole("memory", memory, 16, 1 << 20))
    return o


def _drive(e, cancel, d, store=None, sid=0):
    """Every step of ensemble e, one store transaction per step."""
    while True:
        if cancel.value:
            raise KeyboardInterrupt
        st = lib.ent_ensemble_step(e, d.ptr)
        _check(st, d)
        if store is not None and store.ptr:
            _check(lib.ent_store_save_batch(store.ptr, sid, e, d.ptr), d)
        if st == _capi.OK:
            return


def forecast(scenario=None, runs=1000, seed=1, threads=None, store=None, *,
             sobol=False, memory=256, keep_members=False, **options):
    """Forecast a scenario with its uncertainty (`entente forecast`): runs
    members from master seed `seed`, on `threads` threads (None: every
    core; the numbers are the same for any count).  scenario: a Scenario,
    built-in name or YAML file (None: russia-china-uncertain).  store: an
    SQLite run store to keep it in (keep_members: every member's outputs
    too).  sobol, memory: as --sobol and --memory.  options: model options
    as keywords.  Ctrl-C raises KeyboardInterrupt within one member's
    time; with a store, the members done are kept ('entente forecast
    --resume' completes them)."""
    eo = _ens_opts(runs, seed, threads, sobol, memory)
    cancel = ctypes.c_int(0)
    ro = _RunOpts(options)
    try:
        m = _Model(scenario, "russia-china-uncertain")
    except BaseException:
        ro.close()
        raise

    def work():
        st_ = _Store(store)
        e = ctypes.c_void_p()
        try:
            with _Diag() as d:
                _check(lib.ent_ensemble_create(m.ptr, ro.ptr, ctypes.byref(eo),
                                               ctypes.byref(e), d.ptr), d)
                lib.ent_ensemble_set_cancel(e, ctypes.byref(cancel))
                sid = ctypes.c_longlong(0)
                if st_.ptr:
                    _check(lib.ent_store_begin_forecast(st_.ptr, e,
                                                        ctypes.byref(sid),
                                                        d.ptr), d)
                try:
                    _drive(e, cancel, d, st_, sid.value)
                finally:
                    if st_.ptr:  # keep what was done, also after Ctrl-C
                        lib.ent_store_finish_forecast(st_.ptr, sid.value, e,
                                                      1 if keep_members else 0,
                                                      d.ptr)
            csv_text = _write(lib.ent_ensemble_write_mem, (e,),
                              _capi.FORMAT_CSV)
            json_text = _write(lib.ent_ensemble_write_mem, (e,),
                               _capi.FORMAT_JSON)
            return Forecast(csv_text, json_text, runs, seed,
                            lib.ent_ensemble_done(e),
                            sid.value if st_.ptr else None)
        finally:
            lib.ent_ensemble_destroy(e)
            st_.close()

    try:
        return _interruptible(work, cancel)
    finally:
        m.close()
        ro.close()


# ------------------------------------------------------------ compare

_CMP_TYPES = {"year": _year, "mean_a": _num, "mean_b": _num, "diff": _num,
              "se": _num, "marked": lambda s: s == "1"}


def compare(a, b, runs=1000, seed=1, threads=None, **options):
    """Two forecasts with the same runs and seed side by side (`entente
    compare A B --format csv`): variable, entity, year, mean_a, mean_b,
    diff, se, marked (True where the difference is larger than twice its
    Monte Carlo standard error)."""
    eo = _ens_opts(runs, seed, threads)
    cancel = ctypes.c_int(0)
    ro = _RunOpts(options)
    ms = []
    try:
        ms.append(_Model(a, "russia-china-uncertain"))
        ms.append(_Model(b, "russia-china-uncertain"))
    except BaseException:
        for m in ms:
            m.close()
        ro.close()
        raise

    def work():
        es = [ctypes.c_void_p(), ctypes.c_void_p()]
        try:
            with _Diag() as d:
                for m, e in zip(ms, es):
                    _check(lib.ent_ensemble_create(m.ptr, ro.ptr,
                                                   ctypes.byref(eo),
                                                   ctypes.byref(e), d.ptr), d)
                    lib.ent_ensemble_set_cancel(e, ctypes.byref(cancel))
                for e in es:
                    _drive(e, cancel, d)
            text = _write(lib.ent_ensemble_compare_write_mem, (es[0], es[1]),
                          _capi.FORMAT_CSV)
            cols, rows = _parse_csv(text, _CMP_TYPES)
            return _table(rows, cols)
        finally:
            for e in es:
                lib.ent_ensemble_destroy(e)

    try:
        return _interruptible(work, cancel)
    finally:
        for m in ms:
            m.close()
        ro.close()


# ------------------------------------------------------------ score

class Scorecard:
    """Forecasts scored on resolved questions (`entente score`).

    questions  the rows of `entente score --format csv`, one per question
    scores     the score table: set ('all', 'fitted', 'later'), forecaster
               ('model', 'uniform', 'persistence', 'starting_mean'), n,
               brier, log, skill (of the model against that baseline)
    document   the JSON document of `entente score --format json`
    text       the text report
    """

    def __init__(self, csv_text, json_text, text):
        self.csv = csv_text
        self.text = text
        self.document = json.loads(json_text)
        cols, rows = _parse_csv(csv_text, {})
        for r in rows:
            for k, v in r.items():
                try:
                    r[k] = int(v) if k in ("year", "outcome", "fitted",
                                           "members") else _num(v)
                except ValueError:
                    pass
        self.questions = _table(rows, cols)
        scores = []
        for name, key in (("all", "scores"), ("fitted", "fitted"),
                          ("later", "later")):
            block = self.document.get(key)
            if not isinstance(block, dict):
                continue
            scores.append({"set": name, "forecaster": "model",
                           "n": block.get("n"), "brier": block.get("brier"),
                           "log": block.get("log"), "skill": None})
            for who, v in (block.get("baselines") or {}).items():
                scores.append({"set": name, "forecaster": who,
                               "n": v.get("n"), "brier": v.get("brier"),
                               "log": v.get("log"), "skill": v.get("skill")})
        cols2 = ["set", "forecaster", "n", "brier", "log", "skill"]
        self.scores = _table(scores, cols2)


def score(ledger, runs=1000, seed=1, threads=None, fit_until=2019,
          ex_ante=True):
    """Score the forecasts of a ledger of resolved questions (CSV; docs/
    score.md): one forecast of `runs` members per as_of scenario.
    Problems with the ledger raise ScenarioError (file, line, col)."""
    if not isinstance(ledger, (str, os.PathLike)):
        raise ValueError("score() takes the path of a ledger, not %r"
                         % (ledger,))
    o = _capi.ScoreOpts()
    lib.ent_score_opts_init(ctypes.byref(o))
    o.runs = _whole("runs", runs, 1, 100000000)
    o.seed = _whole("seed", seed, 0, 9007199254740991)
    o.threads = _threads(threads)
    o.fit_until = _whole("fit_until", fit_until, 1000, 9999)
    o.ex_ante = 1 if ex_ante else 0
    cancel = ctypes.c_int(0)
    o.cancel = ctypes.pointer(cancel)
    path = os.fsencode(ledger)

    def work():
        sc = ctypes.c_void_p()
        try:
            with _Diag() as d:
                _check(lib.ent_scorecard_create(path, ctypes.byref(o),
                                                ctypes.byref(sc), d.ptr), d)
            return Scorecard(
                _write(lib.ent_scorecard_write_mem, (sc,), _capi.FORMAT_CSV),
                _write(lib.ent_scorecard_write_mem, (sc,), _capi.FORMAT_JSON),
                _write(lib.ent_scorecard_write_mem, (sc,), _capi.FORMAT_TEXT))
        finally:
            lib.ent_scorecard_destroy(sc)

    return _interruptible(work, cancel)
