"""The example of docs/python.md runs as written and prints what the page
says it prints; the page names every public function."""
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, python_env

DOC = os.path.join(ROOT, "docs", "python.md")


def blocks():
    text = open(DOC, encoding="utf-8").read()
    code = re.search(r"<!-- example:[^>]*-->\n```python\n(.*?)```", text, re.S)
    out = re.search(r"<!-- example-output -->\n```\n(.*?)```", text, re.S)
    return text, code.group(1), out.group(1)


def test_example_runs_as_written(tmp_path):
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    _, code, expected = blocks()
    lines = [ln for ln in code.splitlines() if ln.strip()]
    assert len(lines) <= 12  # "a ten-line example" (+ two imports)
    script = tmp_path / "example.py"
    script.write_text(code)
    p = subprocess.run([sys.executable, str(script)], cwd=tmp_path,
                       env=python_env(MPLBACKEND="Agg"), capture_output=True,
                       text=True, timeout=1700)
    assert p.returncode == 0, p.stderr
    assert p.stdout == expected
    png = (tmp_path / "alignment.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_reference_names_every_function(entente):
    text, _, _ = blocks()
    for name in ("scenarios", "load", "check", "run", "forecast", "compare",
                 "score", "ScenarioError", "EntenteError", "format_number"):
        assert "entente." + name in text, name
