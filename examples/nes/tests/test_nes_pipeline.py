"""The reference NES end to end: the pipeline command, equivariance by `equilibria verify
--permuted` (untrained and trained, float32), training that lowers the gap, checkpoints."""

import json
import shutil
import subprocess
import sys

import numpy as np

from nes import pipeline, problem, train

# What a 150-step run of the tiny network (seed 7) must achieve on the held-out games, relative
# to the untrained network: KL(σ‖σ*) and L(α) − L(α*) at most half, and a lower mean gap.
KL_FACTOR = 0.5


def _verify_equivariance(cli, out, state, tmp_path) -> dict:
    """Predictions of `state` on the held-out games and their permuted copies, checked by the CLI."""
    constants = problem.preset_constants(state.config.preset, state.config.concept, state.config.actions)
    _, batch = pipeline.load_batch(out / "heldout.npz", constants)
    _, permuted = pipeline.load_batch(out / "permuted.npz", constants)
    np.savez(tmp_path / "p.npz", duals=train.predict(state, batch))
    np.savez(tmp_path / "pp.npz", duals=train.predict(state, permuted))
    result = subprocess.run([str(cli), "verify", "--games", str(out / "heldout.npz"), "--predictions",
                             str(tmp_path / "p.npz"), "--permuted", str(out / "permuted.npz"),
                             "--permuted-predictions", str(tmp_path / "pp.npz"), "--max-equivariance", "1e-5",
                             "--out", str(tmp_path / "verify")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads((tmp_path / "verify" / "summary.json").read_text())["equivariance"]["statistics"]


def test_the_pipeline_writes_its_report_summary_and_checkpoint(pipeline_run):
    for name in ("heldout.npz", "predictions.npz", "permuted.npz", "permuted-predictions.npz", "summary.json",
                 "summary.md", "verify/report.html", "verify/metrics.npz", "checkpoint/state.msgpack"):
        assert (pipeline_run / name).is_file(), name
    summary = json.loads((pipeline_run / "summary.json").read_text())
    steps = [h["step"] for h in summary["history"]]
    assert steps == [0, 50, 100, 150]
    statistics = summary["verify"]["equivariance"]["statistics"]
    assert statistics["equivariance_tv"]["worst"] <= 1e-5
    assert statistics["equivariance_tv"]["games"] == 48  # 24 games × 2 copies


def test_untrained_and_trained_networks_are_equivariant_by_verify(cli, pipeline_run, tmp_path):
    trained = train.load(pipeline_run / "checkpoint")
    untrained = train.initial_state(trained.config)
    for name, state in (("untrained", untrained), ("trained", trained)):
        folder = tmp_path / name
        folder.mkdir()
        statistics = _verify_equivariance(cli, pipeline_run, state, folder)
        assert statistics["equivariance_tv"]["worst"] <= 1e-5, (name, statistics["equivariance_tv"])
        assert statistics["equivariance_duals_max_abs"]["worst"] <= 1e-5, (name, statistics)


def test_short_training_lowers_the_gap_by_the_stated_factor(pipeline_run):
    history = json.loads((pipeline_run / "summary.json").read_text())["history"]
    first, last = history[0], history[-1]
    assert last["kl_to_reference"] <= KL_FACTOR * first["kl_to_reference"], (first, last)
    assert last["dual_suboptimality"] <= KL_FACTOR * first["dual_suboptimality"], (first, last)
    assert last["gap"] < first["gap"], (first, last)


def test_a_checkpoint_reloads_to_the_same_predictions_and_training_resumes(cli, pipeline_run, tmp_path):
    state = train.load(pipeline_run / "checkpoint")
    assert state.step == 150
    constants = problem.preset_constants(state.config.preset, state.config.concept, state.config.actions)
    _, batch = pipeline.load_batch(pipeline_run / "heldout.npz", constants)
    with np.load(pipeline_run / "predictions.npz") as saved:
        np.testing.assert_array_equal(train.predict(state, batch), saved["duals"])
    copy = tmp_path / "run"
    shutil.copytree(pipeline_run, copy)
    result = subprocess.run([sys.executable, "-m", "nes.pipeline", "--out", str(copy), "--resume", "--steps", "10",
                             "--evaluations", "1"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    resumed = json.loads((copy / "summary.json").read_text())["history"]
    assert [h["step"] for h in resumed][-2:] == [150, 160]
    assert train.load(copy / "checkpoint").step == 160


def _pipeline(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "nes.pipeline", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def test_the_device_flag_is_honoured_or_refused(tmp_path):
    import jax
    has_gpu = any(d.platform == "gpu" for d in jax.devices())
    if has_gpu:
        assert any(d.platform == "gpu" for d in jax.devices("gpu"))
    else:
        result = _pipeline("--out", tmp_path / "gpu", "--device", "gpu")
        assert result.returncode != 0 and "sees no GPU" in result.stderr, result.stderr


def test_bad_pipeline_options_are_refused_with_their_name(tmp_path):
    for args, words in ((["--steps", "0"], "--steps"), (["--actions", "1"], "--actions"),
                        (["--players", "1"], "--players"), (["--held-out", "0"], "--held-out"),
                        (["--concept", "nash"], "--concept"), (["--preset", "MT"], "--preset")):
        result = _pipeline("--out", tmp_path / "bad", *args)
        assert result.returncode != 0 and words in result.stderr, (args, result.stderr[-500:])
