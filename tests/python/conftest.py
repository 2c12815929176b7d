"""Shared helpers of the Python module's tests (tests/meson.build runs them
with ENTENTE_LIB and ENTENTE_CLI pointing into the build tree and the
repository root as the working directory)."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.environ.get("ENTENTE_CLI") or os.path.join(ROOT, "build", "entente")
ASAN = os.environ.get("ENTENTE_ASAN") == "1"
DATA = os.path.join("tests", "python", "data")

if ROOT + "/python" not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "python"))
os.chdir(ROOT)  # the paths in messages are relative, as on the command line


def cli(*args):
    """Run the entente command; (returncode, stdout, stderr)."""
    p = subprocess.run([CLI, *args], capture_output=True, text=True, cwd=ROOT)
    return p.returncode, p.stdout, p.stderr


def python_env(**extra):
    """Environment for a child Python that imports entente."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(ROOT, "python")
    env.update(extra)
    return env


@pytest.fixture
def entente():
    import entente as mod
    return mod
