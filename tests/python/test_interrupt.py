"""Ctrl-C: a long forecast (or score) raises KeyboardInterrupt within one
member's time, frees what it held (test_leaks.py checks that under ASan)
and leaves the module usable; with a store the members done are kept."""
import _thread
import os
import signal
import subprocess
import sys
import threading

import pytest

from conftest import DATA, ROOT, cli, python_env

LONG = dict(runs=10_000_000, seed=1, threads=1)


def interrupt_soon(delay=0.5):
    t = threading.Timer(delay, _thread.interrupt_main)
    t.start()
    return t


def test_forecast_interrupted(entente):
    ref = entente.forecast("tests/data/ensemble/mini-uncertain.yaml", runs=20,
                           seed=5, threads=1).csv
    t = interrupt_soon()
    with pytest.raises(KeyboardInterrupt):
        entente.forecast("russia-china-uncertain", **LONG)
    t.join()
    # still usable, and the same numbers as before
    again = entente.forecast("tests/data/ensemble/mini-uncertain.yaml",
                             runs=20, seed=5, threads=1).csv
    assert again == ref


def test_compare_and_score_interrupted(entente):
    t = interrupt_soon()
    with pytest.raises(KeyboardInterrupt):
        entente.compare("russia-china-uncertain", "sanctions-relief-2027",
                        **LONG)
    t.join()
    t = interrupt_soon()
    with pytest.raises(KeyboardInterrupt):
        entente.score(DATA + "/ledger.csv", **LONG)
    t.join()


def test_interrupted_forecast_kept_in_store(entente, tmp_path):
    store = str(tmp_path / "runs.db")
    t = interrupt_soon(1.0)
    with pytest.raises(KeyboardInterrupt):
        entente.forecast("tests/data/ensemble/mini-uncertain.yaml",
                         runs=10_000_000, seed=1, threads=1, store=store)
    t.join()
    rc, out, err = cli("runs", "--store", store)
    assert rc == 0, err
    assert "interrupted" in out


def test_sigint_in_a_child_process():
    """A real SIGINT (Ctrl-C in a terminal) to a Python running a
    forecast."""
    code = ("import sys, entente\n"
            "print('started', flush=True)\n"
            "try:\n"
            "    entente.forecast('russia-china-uncertain', runs=10**7, "
            "threads=1)\n"
            "except KeyboardInterrupt:\n"
            "    print('interrupted', flush=True)\n"
            "    sys.exit(3)\n")
    p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT,
                         env=python_env(), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    threading.Event().wait(1.0)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 3, err
    assert out.strip() == "interrupted"
