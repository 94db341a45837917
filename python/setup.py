"""Builds the Swift library's C ABI (libEquilibriaABI.so) and ships it inside the package.

`pip install ./python` (from the repository) runs `swift build -c release --product
EquilibriaABI` in the repository and copies the library and its header (equilibria.h) into
equilibria/_lib/. The library links the Swift runtime of the toolchain that built it and the
Debian libraries GLPK, L-BFGS-B and LAPACK/OpenBLAS, which must stay installed.
"""

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


class BuildWithSwift(build_py):
    def run(self):
        if not (ROOT / "Package.swift").is_file():
            raise SystemExit(f"{ROOT}: not the equilibria repository (no Package.swift); install from a checkout")
        subprocess.run(["swift", "build", "-c", "release", "--product", "EquilibriaABI"], cwd=ROOT, check=True)
        library = ROOT / ".build" / "release" / "libEquilibriaABI.so"
        header = ROOT / "Sources" / "CEquilibria" / "include" / "equilibria.h"
        target = HERE / "equilibria" / "_lib"
        target.mkdir(exist_ok=True)
        shutil.copy2(library, target / library.name)
        shutil.copy2(header, target / header.name)
        super().run()


setup(cmdclass={"build_py": BuildWithSwift})
