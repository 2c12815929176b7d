"""Two forecasts at once from two Python threads give the numbers each
gives alone; library calls release the GIL."""
import ctypes
import threading


MINI_U = "tests/data/ensemble/mini-uncertain.yaml"


def test_calls_release_the_gil(entente):
    # ctypes.CDLL (not PyDLL) drops the GIL around every call
    assert type(entente._capi.lib) is ctypes.CDLL


def test_two_forecasts_at_once(entente):
    jobs = {"a": (MINI_U, dict(runs=150, seed=3)),
            "b": ("russia-china-uncertain", dict(runs=8, seed=9))}
    alone = {k: entente.forecast(s, threads=1, **kw).csv
             for k, (s, kw) in jobs.items()}
    got, errors = {}, []
    barrier = threading.Barrier(2)

    def work(k):
        try:
            s, kw = jobs[k]
            barrier.wait()
            got[k] = entente.forecast(s, threads=2, **kw).csv
        except BaseException as exc:  # reported below
            errors.append(exc)

    ts = [threading.Thread(target=work, args=(k,)) for k in jobs]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    assert got == alone


def test_one_scenario_shared_by_two_threads(entente):
    s = entente.load(MINI_U)
    alone = entente.run(s).csv
    out = [None, None]

    def work(i):
        out[i] = [entente.run(s).csv for _ in range(5)]

    ts = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out[0] == out[1] == [alone] * 5
