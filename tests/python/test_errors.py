"""Bad input raises ScenarioError with the CLI's file, line, col and
message; usage errors raise ValueError; no bad input crashes."""
import glob
import re

import pytest

from conftest import DATA, cli

LINE = re.compile(r"^(.*?):(\d+):(\d+): error: (.*)$")

BAD = ["tests/data/bad/unknown-key.yaml", "tests/data/bad/nan-position.yaml",
       "tests/data/bad/duplicate-actor.yaml", "tests/data/bad/truncated.yaml",
       "tests/data/bad/empty.yaml", "tests/data/bad/binary.yaml",
       "tests/data/ensemble/bad/neg-sd.yaml",
       "tests/data/ensemble/bad/variant-error.yaml",
       "tests/data/bad/no-such-file.yaml"]


@pytest.mark.parametrize("path", BAD)
def test_bad_scenario_fields(entente, path):
    rc, _, err = cli("run", path)
    assert rc == 2
    first = LINE.match(err.splitlines()[0])
    assert first, err
    with pytest.raises(entente.ScenarioError) as ei:
        entente.load(path)
    e = ei.value
    assert (e.file, e.line, e.col, e.message) == (
        first.group(1), int(first.group(2)), int(first.group(3)),
        first.group(4))
    assert e.text == err                      # the same text as the CLI
    assert str(e) == err.splitlines()[0]
    # the same through run() and forecast(), and check() lists them all
    with pytest.raises(entente.ScenarioError):
        entente.run(path)
    with pytest.raises(entente.ScenarioError):
        entente.forecast(path, runs=2)
    problems = entente.check(path)
    assert problems and problems[0][:4] == (e.file, e.line, e.col, "error")
    assert len([p for p in problems if p.severity == "error"]) == \
        len([ln for ln in err.splitlines() if LINE.match(ln)])


@pytest.mark.parametrize("path", ["tests/data/bad/duplicate-actor.csv",
                                  "tests/data/bad/nan.csv"])
def test_bad_table_fields(entente, path):
    rc, _, err = cli("check", "--table", path)
    assert rc == 2
    first = LINE.match(err.splitlines()[0])
    with pytest.raises(entente.ScenarioError) as ei:
        entente.load(path, table=True)
    assert (ei.value.file, ei.value.line, ei.value.col, ei.value.message) == (
        first.group(1), int(first.group(2)), int(first.group(3)),
        first.group(4))


def test_bad_ledger_fields(entente):
    path = DATA + "/bad-ledger.csv"
    rc, _, err = cli("score", path, "--runs", "2")
    assert rc == 2
    first = LINE.match(err.splitlines()[0])
    with pytest.raises(entente.ScenarioError) as ei:
        entente.score(path, runs=2)
    assert (ei.value.file, ei.value.line, ei.value.col) == (
        path, int(first.group(2)), int(first.group(3)))
    assert ei.value.message == first.group(4)


def test_every_bad_file_is_an_error_not_a_crash(entente):
    files = sorted(glob.glob("tests/data/bad/*") +
                   glob.glob("tests/data/ensemble/bad/*.yaml"))
    assert len(files) > 40
    for path in files:
        table = path.endswith(".csv")
        try:
            entente.load(path, table=table)
        except entente.ScenarioError as e:
            assert e.file and e.line >= 0 and e.message
        else:  # a few are valid apart from warnings (e.g. BOM, CRLF)
            assert all(p.severity != "error"
                       for p in entente.check(path, table=table))


def test_usage_errors(entente):
    with pytest.raises(ValueError, match="unknown option 'foo'"):
        entente.run(foo=1)
    with pytest.raises(ValueError):
        entente.run(rounds="many")
    with pytest.raises(ValueError, match="runs"):
        entente.forecast(runs=0)
    with pytest.raises(ValueError, match="threads"):
        entente.forecast(runs=2, threads=0)
    with pytest.raises(ValueError, match="seed"):
        entente.forecast(runs=2, seed=-1)
    with pytest.raises(ValueError, match="no built-in scenario 'atlantis'"):
        entente.load("atlantis")
    with pytest.raises(ValueError):
        entente.load(42)
    with pytest.raises(ValueError):
        entente.score(None)
    s = entente.load("russia-china")
    s.close()
    with pytest.raises(ValueError, match="closed"):
        entente.run(s)
