"""Shared set-up: the CLI to compare with, and helpers to write games for it.

The library under test is the one the package loads (``$EQUILIBRIA_LIBRARY`` when set, as the
test command sets it to the fresh debug build); the CLI is ``$EQUILIBRIA_CLI``, else the
checkout's debug build.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
# The package under test is the checkout's, never a copy installed earlier.
sys.path.insert(0, str(ROOT / "python"))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "python"), os.environ.get("PYTHONPATH")]))
import equilibria  # noqa: E402

if Path(equilibria.__file__).resolve().parent != ROOT / "python" / "equilibria":
    raise ImportError(f"the tests must import the checkout's package, not {equilibria.__file__}")


@pytest.fixture(scope="session")
def cli() -> Path:
    path = Path(os.environ.get("EQUILIBRIA_CLI", ROOT / ".build" / "debug" / "equilibria"))
    if not path.is_file():
        pytest.fail(f"{path}: the equilibria CLI is not built (swift build), or set EQUILIBRIA_CLI")
    return path


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return ROOT / "Fixtures"


def run(cli: Path, *args, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(cli), *map(str, args)], capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"equilibria {' '.join(map(str, args))}: exit {result.returncode}\n{result.stderr}")
    return result


def solve_json(cli: Path, *args) -> dict:
    return json.loads(run(cli, "solve", *args, "--format", "json").stdout)


def write_game(path: Path, payoffs: np.ndarray) -> Path:
    """Game JSON with every double written exactly (repr round-trips)."""
    path.write_text(json.dumps({"payoffs": np.asarray(payoffs, dtype=np.float64).tolist()}))
    return path


def game_payoffs(cli: Path, path: Path, tmp: Path) -> np.ndarray:
    """The payoffs of any game file the CLI reads, as doubles (via `convert` to game JSON, whose
    entries are numbers or exact decimal / p/q strings)."""
    from fractions import Fraction
    out = tmp / (path.stem + "-converted.json")
    run(cli, "convert", path, out)
    nested = json.loads(out.read_text())["payoffs"]
    shape = []
    probe = nested
    while isinstance(probe, list):
        shape.append(len(probe))
        probe = probe[0]
    flat = []

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        else:
            flat.append(float(Fraction(node)) if isinstance(node, str) else float(node))
    walk(nested)
    return np.array(flat).reshape(shape)


def random_game(rng: np.random.Generator, actions: tuple, scale: float = 1.0) -> np.ndarray:
    return rng.standard_normal((len(actions),) + actions) * scale
