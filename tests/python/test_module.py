"""The library and the module as packages: only ent_* symbols exported,
the module works without pandas (lists of dicts)."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT, python_env


def test_only_ent_symbols_exported():
    lib = os.environ.get("ENTENTE_LIB") or os.path.join(
        ROOT, "build", "src", "libentente.so")
    out = subprocess.run(["nm", "-D", "--defined-only", lib],
                         capture_output=True, text=True, check=True).stdout
    names = [ln.split()[-1] for ln in out.splitlines() if ln.strip()]
    assert "ent_run_create" in names and "ent_ensemble_set_cancel" in names
    assert [n for n in names if not n.startswith("ent_")] == []
    # internal helpers of the library stay hidden
    assert "ent_fmt_double" not in names


def test_without_pandas(tmp_path):
    block = tmp_path / "block"
    block.mkdir()
    (block / "pandas.py").write_text("raise ImportError('no pandas here')\n")
    code = ("import entente\n"
            "assert entente._pd is None\n"
            "r = entente.run('tests/data/struct/mini.yaml')\n"
            "assert isinstance(r.series, list) and isinstance(r.series[0], dict)\n"
            "assert list(r.series[0]) == ['variable', 'entity', 'year', 'value', 'unit']\n"
            "f = entente.forecast('tests/data/ensemble/mini-uncertain.yaml', runs=5, threads=1)\n"
            "assert isinstance(f.series, list) and 'q95' in f.series[0]\n"
            "assert isinstance(entente.scenarios(), list)\n"
            "print('ok', len(r.series), len(f.table))\n")
    env = python_env(PYTHONPATH=str(block) + os.pathsep +
                     os.path.join(ROOT, "python"))
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("ok 763 ")


def test_tables_are_dataframes_with_pandas(entente):
    pd = pytest.importorskip("pandas")
    r = entente.run("tests/data/struct/mini.yaml")
    assert isinstance(r.series, pd.DataFrame)
    assert list(r.series.columns) == ["variable", "entity", "year", "value",
                                      "unit"]
    assert len(r.series) == 763
    assert set(r.issues["id"]) == {"pipeline", "compliance"}
    assert {"issue", "from", "to", "relation"} <= set(r.pairs.columns)


def test_pip_install(tmp_path):
    """python3 -m pip install --no-deps ./python: no index needed; the
    installed module finds the library copied into it."""
    import shutil
    src = tmp_path / "src"
    shutil.copytree(os.path.join(ROOT, "python"), src,
                    ignore=shutil.ignore_patterns("build", "*.egg-info",
                                                  "__pycache__"))
    target = tmp_path / "site"
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    # the library under test is the one to bundle (setup.py runs elsewhere)
    env["ENTENTE_LIB"] = os.path.abspath(os.environ.get("ENTENTE_LIB") or
                                         "build/src/libentente.so")
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps",
                        "--no-index", "--no-build-isolation", "--target",
                        str(target), str(src)], env=env, capture_output=True,
                       text=True)
    if p.returncode != 0 and "No module named pip" in p.stderr:
        pytest.skip("no pip for " + sys.executable)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (target / "entente" / "libentente.so.0").exists()
    env.pop("ENTENTE_LIB", None)
    env["PYTHONPATH"] = str(target)
    code = ("import entente\n"
            "print(entente._capi.lib._name)\n"
            "print(entente.run('tests/data/struct/mini.yaml').series.shape[0]"
            " if entente._pd else len(entente.run('tests/data/struct/mini.yaml').series))\n")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    lib, rows = p.stdout.split()
    assert lib == str(target / "entente" / "libentente.so.0")
    assert rows == "763"


def test_meson_install_and_pkg_config(tmp_path):
    """meson install puts libentente.so, entente.h and entente.pc in place,
    and a C program builds against them with pkg-config."""
    import shutil
    lib = os.path.abspath(os.environ.get("ENTENTE_LIB") or
                          "build/src/libentente.so")
    builddir = os.path.dirname(os.path.dirname(lib))
    if not (shutil.which("meson") and shutil.which("pkg-config") and
            shutil.which("cc")):
        pytest.skip("meson, pkg-config or cc missing")
    dest = tmp_path / "inst"
    p = subprocess.run(["meson", "install", "-C", builddir, "--destdir",
                        str(dest), "--no-rebuild", "--quiet"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    pcs = list(dest.rglob("entente.pc"))
    assert len(pcs) == 1
    prefix = None
    for line in pcs[0].read_text().splitlines():
        if line.startswith("prefix="):
            prefix = line.split("=", 1)[1]
    env = dict(os.environ, PKG_CONFIG_PATH=str(pcs[0].parent))
    flags = subprocess.run(["pkg-config", "--define-variable=prefix=" +
                            str(dest) + prefix, "--cflags", "--libs",
                            "entente"], env=env, capture_output=True,
                           text=True, check=True).stdout.split()
    prog = tmp_path / "prog.c"
    prog.write_text(
        '#include <entente.h>\n#include <stdio.h>\n'
        'int main(void) {\n'
        '  ent_model *m = NULL;\n'
        '  if (ent_builtin_load(NULL, &m, NULL) != ENT_OK) return 1;\n'
        '  printf("%s %zu\\n", ent_model_id(m), ent_model_issue_count(m));\n'
        '  ent_model_destroy(m);\n  return 0;\n}\n')
    exe = tmp_path / "prog"
    subprocess.run(["cc", "-std=c11", str(prog), "-o", str(exe), *flags],
                   check=True)
    libdir = [f[2:] for f in flags if f.startswith("-L")][0]
    out = subprocess.run([str(exe)], env=dict(env, LD_LIBRARY_PATH=libdir),
                         capture_output=True, text=True, check=True).stdout
    assert out == "russia-china 9\n"
