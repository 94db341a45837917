"""Loading of libEquilibriaABI, the Swift library's C ABI, through cffi.

The declarations come from the library's own header (``equilibria.h``, the part between its
CDEF markers), so the layout of every struct is defined in that one file. The library is found
in this order:

1. ``$EQUILIBRIA_LIBRARY`` (a path to ``libEquilibriaABI.so``), with the header beside it or in
   the source tree;
2. used from a checkout: the checkout's release build, then its debug build
   (``.build/{release,debug}/``), then a copy in ``equilibria/_lib/``;
3. installed: the copy installed with the package (``equilibria/_lib/``, written by ``pip install``).
"""

from __future__ import annotations

import os
from pathlib import Path

import cffi

ABI_VERSION = 2

_HERE = Path(__file__).resolve().parent
_SOURCE_ROOT = _HERE.parent.parent
_SOURCE_HEADER = _SOURCE_ROOT / "Sources" / "CEquilibria" / "include" / "equilibria.h"
_LIBRARY_NAME = "libEquilibriaABI.so"


def _declarations(header: Path) -> str:
    text = header.read_text(encoding="utf-8")
    begin, end = "/* BEGIN CDEF */", "/* END CDEF */"
    if begin not in text or end not in text:
        raise ImportError(f"{header}: no CDEF markers; not the equilibria header")
    return text.split(begin, 1)[1].split(end, 1)[0]


def _locate() -> tuple[Path, Path]:
    candidates: list[tuple[Path, list[Path]]] = []
    explicit = os.environ.get("EQUILIBRIA_LIBRARY")
    if explicit:
        library = Path(explicit)
        if not library.is_file():
            raise ImportError(f"EQUILIBRIA_LIBRARY={explicit}: no such file")
        # Beside the library first, then the checkout's own header; a copy an earlier install left
        # in _lib may be older than both.
        candidates.append((library, [library.parent / "equilibria.h", _SOURCE_HEADER, _HERE / "_lib" / "equilibria.h"]))
    else:
        installed = (_HERE / "_lib" / _LIBRARY_NAME, [_HERE / "_lib" / "equilibria.h"])
        builds = [(_SOURCE_ROOT / ".build" / configuration / _LIBRARY_NAME, [_SOURCE_HEADER])
                  for configuration in ("release", "debug")]
        # Used from a checkout, the checkout's builds come first: a copy left in the source tree
        # by an earlier install may be older than them.
        candidates += builds + [installed] if _SOURCE_HEADER.is_file() else [installed]
    for library, headers in candidates:
        if library.is_file():
            for header in headers:
                if header.is_file():
                    return library, header
            raise ImportError(f"{library}: found, but not its header equilibria.h")
    raise ImportError(
        "libEquilibriaABI.so not found: install the package with `pip install ./python` from the "
        "repository, or build it (`swift build -c release --product EquilibriaABI`), or set EQUILIBRIA_LIBRARY")


LIBRARY_PATH, HEADER_PATH = _locate()
ffi = cffi.FFI()
ffi.cdef(_declarations(HEADER_PATH))


def _open(path: Path):
    """dlopen with the Fortran runtime's unit 6 routed to standard error.

    L-BFGS-B (Fortran) writes some warnings to unit 6, standard output, where they would mix with
    the host's output. The Fortran runtime reads GFORTRAN_STDOUT_UNIT and GFORTRAN_STDERR_UNIT
    when it loads, so they are set for the load (as the ``equilibria`` command sets them for
    itself) and restored after. A Fortran runtime the process loaded earlier keeps its units.
    """
    saved = {name: os.environ.get(name) for name in ("GFORTRAN_STDOUT_UNIT", "GFORTRAN_STDERR_UNIT")}
    if all(value is None for value in saved.values()):
        os.environ["GFORTRAN_STDOUT_UNIT"] = "77"
        os.environ["GFORTRAN_STDERR_UNIT"] = "6"
    try:
        return ffi.dlopen(str(path))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


lib = _open(LIBRARY_PATH)
if lib.eq_abi_version() != ABI_VERSION:
    raise ImportError(
        f"{LIBRARY_PATH} implements ABI version {lib.eq_abi_version()}; this package needs {ABI_VERSION}: "
        "reinstall the package from the same checkout as the library")
