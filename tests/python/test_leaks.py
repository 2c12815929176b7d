"""No leak over 1,000 runs of a small scenario (and forecasts, errors,
interrupts), checked by LeakSanitizer in the ASan build.

The interpreter is not built with ASan: the runtime is preloaded and LSan
is asked for a report at a chosen point (__lsan_do_recoverable_leak_check),
not at exit, where CPython deliberately leaves memory behind.  Leaks whose
stack passes through neither libentente nor entente's sources are the
interpreter's and are not counted; a canary (an ent_diag leaked on
purpose) shows that the check sees a leak of the library."""
import os
import re
import subprocess
import sys

import pytest

from conftest import ASAN, ROOT, python_env

pytestmark = pytest.mark.skipif(
    not ASAN, reason="leak check only in the ASan build (build-asan)")

CHILD = os.path.join(ROOT, "tests", "python", "leak_child.py")


def library_leaks(report):
    """The leak blocks of an LSan report whose stack is the library's."""
    blocks = re.split(r"\n(?=(?:Direct|Indirect) leak of )", report)
    ours = []
    for b in blocks:
        if not re.match(r"(Direct|Indirect) leak of ", b):
            continue
        frames = [ln for ln in b.splitlines() if re.match(r"\s+#\d+ ", ln)]
        if any("libentente" in f or ROOT + "/src/" in f or " ent_" in f
               for f in frames):
            ours.append(b)
    return ours


def run_child(*args):
    env = python_env(ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:"
                     "malloc_context_size=40",
                     LSAN_OPTIONS="report_objects=0")
    env["LD_PRELOAD"] = os.environ.get("ENTENTE_LIBASAN", env.get("LD_PRELOAD", ""))
    p = subprocess.run([sys.executable, CHILD, *args], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=1700)
    assert p.returncode == 0, p.stderr[-4000:]
    return p.stdout, p.stderr


def test_canary_leak_is_seen():
    out, err = run_child("canary")
    assert "lsan 1" in out
    ours = library_leaks(err)
    assert len(ours) == 1 and "ent_diag_create" in ours[0]


def test_no_leak_over_1000_runs():
    out, err = run_child()
    assert "runs 1000" in out
    ours = library_leaks(err)
    assert ours == [], "\n\n".join(ours)[:6000]
