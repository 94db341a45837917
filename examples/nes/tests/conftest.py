"""Shared set-up of the reference NES tests: the checkout's packages, the CLI, and one tiny
pipeline run that several tests read."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
for path in (ROOT / "python", ROOT / "examples" / "nes"):
    sys.path.insert(0, str(path))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "python"), str(ROOT / "examples" / "nes"),
                                                        os.environ.get("PYTHONPATH")]))


@pytest.fixture(scope="session")
def cli() -> Path:
    path = Path(os.environ.get("EQUILIBRIA_CLI", ROOT / ".build" / "debug" / "equilibria"))
    if not path.is_file():
        pytest.fail(f"{path}: the equilibria CLI is not built (swift build), or set EQUILIBRIA_CLI")
    os.environ["EQUILIBRIA_CLI"] = str(path)
    return path


# The pipeline run the tests share: 2-player 3×3 CE, ME, the tiny network, a fixed seed.
PIPELINE = ["--size", "tiny", "--steps", "150", "--batch-size", "64", "--held-out", "24", "--evaluations", "3",
            "--copies", "2", "--seed", "7"]


@pytest.fixture(scope="session")
def pipeline_run(cli, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nes") / "run"
    result = subprocess.run([sys.executable, "-m", "nes.pipeline", "--out", str(out), *PIPELINE],
                            capture_output=True, text=True, timeout=1500)
    if result.returncode != 0:
        pytest.fail(f"the pipeline failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return out
