"""Run by test_leaks.py in a child Python under the ASan runtime
(LD_PRELOAD): many calls of every kind, then LeakSanitizer on demand.
Prints the number of runs done; LSan writes its report to stderr.
argv[1] == 'canary': leak one ent_diag on purpose (the check must see it)."""
import _thread
import ctypes
import glob
import os
import sys
import threading

import entente

canary = len(sys.argv) > 1 and sys.argv[1] == "canary"
if canary:
    entente._capi.lib.ent_diag_create()  # never destroyed
    n = 0
else:
    n = 0
    for i in range(1000):                      # 1,000 runs of a small scenario
        entente.run("tests/data/struct/mini.yaml")
        n += 1
    s = entente.load("tests/data/ensemble/mini-uncertain.yaml")
    for seed in range(3):                      # forecasts, compare, score
        entente.forecast(s, runs=40, seed=seed, threads=2)
    entente.compare(s, "tests/data/struct/mini.yaml", runs=10, threads=2)
    entente.score("tests/python/data/ledger.csv", runs=4, threads=2)
    s.close()
    for path in sorted(glob.glob("tests/data/bad/*.yaml")):   # errors
        try:
            entente.load(path)
        except entente.ScenarioError:
            pass
        entente.check(path)
    for bad in ({"foo": 1}, {"rounds": "x"}):
        try:
            entente.run("tests/data/struct/mini.yaml", **bad)
        except ValueError:
            pass
    for _ in range(3):                         # interrupted forecasts
        t = threading.Timer(0.3, _thread.interrupt_main)
        t.start()
        try:
            entente.forecast("tests/data/ensemble/mini-uncertain.yaml",
                             runs=10**7, threads=2)
        except KeyboardInterrupt:
            pass
        t.join()
print("runs", n, flush=True)
leaks = ctypes.CDLL(None).__lsan_do_recoverable_leak_check()
print("lsan", leaks, flush=True)
sys.stderr.flush()
os._exit(0)  # no exit-time check: the interpreter's own memory outlives it
