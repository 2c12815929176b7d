"""Installs the entente module: python3 -m pip install --no-deps ./python

Pure Python over libentente.so.  The library is found at run time (see
entente/_capi.py): installed by `meson install`, or -- when this tree has
been built (`make build`) -- the copy of build/src/libentente.so (or of
$ENTENTE_LIB) that this script puts inside the package;
ENTENTE_NO_BUNDLE=1 leaves it out.  No dependency is downloaded: pandas and
matplotlib are optional (Debian's python3-pandas, python3-matplotlib).
"""
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class BuildWithLibrary(build_py):
    """Also copy the built library into the package, if there is one."""

    def run(self):
        super().run()
        built = os.environ.get("ENTENTE_LIB") or os.path.join(
            HERE, "..", "build", "src", "libentente.so.0")
        if os.path.exists(built) and not os.environ.get("ENTENTE_NO_BUNDLE"):
            dest = os.path.join(self.build_lib, "entente")
            os.makedirs(dest, exist_ok=True)
            shutil.copy2(os.path.realpath(built),
                         os.path.join(dest, "libentente.so.0"))


setup(
    name="entente",
    version="0.1.0",
    description="entente from Python: Russia-China forecasts as pandas tables",
    packages=["entente"],
    python_requires=">=3.9",
    cmdclass={"build_py": BuildWithLibrary},
    zip_safe=False,
)
