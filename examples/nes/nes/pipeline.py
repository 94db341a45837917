"""The whole workflow in one command, at a laptop-sized default:

1. ``equilibria batch`` + ``merge``: held-out games with their ground truth (the MWMRE problem
   of the preset, solved by the library's Newton method);
2. training on games sampled in process from the same distribution, evaluated on the held-out
   games as it goes (gap, KL to σ*, certified gap, TV, equivariance);
3. duals predicted for the held-out games, and for permuted copies of them
   (``equilibria verify permute``);
4. ``equilibria verify``, with the permuted copies: metrics and the HTML report;
5. a summary (``summary.json``, ``summary.md``) and a checkpoint (``checkpoint/``).

    python3 -m nes.pipeline --out runs/nes                      # 2-player 3×3, CE, ME
    python3 -m nes.pipeline --out runs/nes --resume             # train further from the checkpoint
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

import equilibria as eq

from . import loss, problem, train

ROOT = Path(__file__).resolve().parents[3]


def cli() -> str:
    """The ``equilibria`` command: $EQUILIBRIA_CLI, else on PATH, else the checkout's build."""
    explicit = os.environ.get("EQUILIBRIA_CLI")
    if explicit:
        return explicit
    found = shutil.which("equilibria")
    if found:
        return found
    for configuration in ("release", "debug"):
        candidate = ROOT / ".build" / configuration / "equilibria"
        if candidate.is_file():
            return str(candidate)
    raise SystemExit("the equilibria command is not found: build it (swift build -c release) or set EQUILIBRIA_CLI")


def run(*args, log=print) -> subprocess.CompletedProcess:
    log("$ equilibria " + " ".join(map(str, args)))
    result = subprocess.run([cli(), *map(str, args)], capture_output=True, text=True)
    if result.returncode not in (0, 2):  # verify exits 2 when a threshold fails; none is set here
        raise SystemExit(f"equilibria {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr}")
    return result


def held_out(out: Path, config: train.Config, count: int, seed: int, log=print) -> Path:
    """Held-out games with their ground truth, written by the CLI (once; reused when present)."""
    archive = out / "heldout.npz"
    if archive.is_file():
        return archive
    chunks = out / "heldout-chunks"
    players, n = len(config.actions), config.actions[0]
    run("batch", "--family", "l2", "--players", players, "--actions", n, "--count", count, "--seed", seed,
        "--concept", config.concept, "--objective", "mwmre", "--preset", config.preset, "--chunk-size", count,
        "--out", chunks, log=log)
    run("merge", chunks, "--out", archive, log=log)
    return archive


def load_batch(path: Path, constants: problem.PresetConstants) -> tuple[dict, problem.Batch]:
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    return arrays, problem.batch_from_archive(arrays, constants)


def evaluator(arrays: dict, batch: problem.Batch, config: train.Config, seed: int = 0):
    """Metrics on the held-out games against their reference (in process, as ``verify`` computes
    them), and the equivariance TV under a random relabelling of players and actions."""
    payoffs = arrays["payoffs"]
    k = payoffs.shape[0]
    rng = np.random.default_rng(seed)
    players, n = payoffs.shape[1], payoffs.shape[2]
    player_perm = rng.permutation(players)
    action_perm = np.stack([rng.permutation(n) for _ in range(players)])
    permuted = problem.Batch(*(jnp.asarray(permute(np.asarray(getattr(batch, f)), f, player_perm, action_perm))
                               for f in ("payoffs", "eps_hat", "target", "welfare")), constants=batch.constants)

    def evaluate(state: train.State) -> dict:
        duals = train.predict(state, batch)
        metrics = eq.verify(payoffs, duals=duals, concept=config.concept, preset=config.preset, normalized=True,
                            collection_seed=int(arrays["seed"]) if "seed" in arrays else 0,
                            reference_joint=arrays["me_joint"], reference_dual_objective=arrays["me_dual_objective"])
        sigma = recovered(batch, duals, config)
        sigma_permuted = recovered(permuted, train.predict(state, permuted), config)
        expected = permute(sigma, "joint", player_perm, action_perm)
        tv = 0.5 * np.abs(sigma_permuted - expected).reshape(k, -1).sum(axis=1)
        return {"gap": float(np.mean(metrics.gap)), "kl_to_reference": float(np.mean(metrics.kl_pred_ref)),
                "certified_gap": float(np.mean(metrics.certified_gap)), "tv": float(np.mean(metrics.tv)),
                "dual_suboptimality": float(np.mean(metrics.dual_suboptimality)),
                "equivariance_tv": float(np.max(tv))}

    return evaluate


def recovered(batch: problem.Batch, duals: np.ndarray, config: train.Config) -> np.ndarray:
    c = batch.constants
    n = batch.payoffs.shape[2]
    alpha = loss.tensor_duals(jnp.asarray(duals), config.concept, batch.payoffs.shape[1], n)
    with jax.enable_x64(True):
        sigma = jax.vmap(lambda g, a, e, t, w: loss.recover(g, a, e, t, w, concept=c.concept, mu=c.mu, rho=c.rho,
                                                            eps_plus=c.eps_plus)[0])(
            jnp.asarray(np.asarray(batch.payoffs), jnp.float64), jnp.asarray(alpha, jnp.float64),
            jnp.asarray(np.asarray(batch.eps_hat), jnp.float64), jnp.asarray(np.asarray(batch.target), jnp.float64),
            jnp.asarray(np.asarray(batch.welfare), jnp.float64))
    return np.asarray(sigma)


def permute(values: np.ndarray, kind: str, player_perm: np.ndarray, action_perm: np.ndarray) -> np.ndarray:
    """Relabels a batch: new player i is old player player_perm[i]; new action j of new player i
    is its old action action_perm[i, j]. `kind`: payoffs [K, N, n…], eps_hat [K, N], or a table
    over joint actions [K, n…] (joint, target, welfare)."""
    players = len(player_perm)
    if kind == "eps_hat":
        return values[:, player_perm]
    if kind == "payoffs":
        values = values[:, player_perm]
        offset = 2
    else:
        offset = 1
    values = np.moveaxis(values, [offset + int(p) for p in player_perm], list(range(offset, offset + players)))
    for i in range(players):
        values = np.take(values, action_perm[i], axis=offset + i)
    return values


def select_device(device: str) -> None:
    """`--device`: the CPU (default), or a GPU, refused when JAX sees none."""
    if device == "gpu":
        if not any(d.platform == "gpu" for d in jax.devices()):
            raise SystemExit("--device gpu: JAX sees no GPU here (install jax[cuda12])")
    else:
        jax.config.update("jax_platforms", "cpu")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m nes.pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="output directory (created)")
    parser.add_argument("--concept", choices=("ce", "cce"), default="ce")
    parser.add_argument("--preset", choices=problem.PRESETS, default="ME")
    parser.add_argument("--players", type=int, default=2)
    parser.add_argument("--actions", type=int, default=3, help="actions per player (equal for every player)")
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate-scale", type=float, default=5.0,
                        help="multiplies the paper's 4e-4 (default 5: short CPU runs)")
    parser.add_argument("--size", choices=("paper", "small", "tiny"), default="paper",
                        help="network size: the paper's [(32×5), 64, (32, 32)], small [(16×3), 32, (16)], "
                             "or tiny [(8), 8, ()] for tests")
    parser.add_argument("--held-out", type=int, default=256, help="held-out games (ground truth by equilibria batch)")
    parser.add_argument("--held-out-seed", type=int, default=1_000_003)
    parser.add_argument("--evaluations", type=int, default=6, help="evaluations over the run (plus one before it)")
    parser.add_argument("--copies", type=int, default=2, help="permuted copies per held-out game for verify")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint for --steps more steps")
    parser.add_argument("--device", choices=("cpu", "gpu"), default="cpu", help="where JAX runs (gpu when present)")
    args = parser.parse_args(argv)
    select_device(args.device)
    for name in ("steps", "batch_size", "held_out", "evaluations", "copies", "players", "actions"):
        if getattr(args, name) < (0 if name == "evaluations" else 1):
            raise SystemExit(f"--{name.replace('_', '-')}: {getattr(args, name)} is too small")
    if args.players < 2 or args.actions < 2:
        raise SystemExit("--players and --actions: at least 2 each")
    sizes = {"paper": ((32,) * 5, 64, (32, 32)), "small": ((16,) * 3, 32, (16,)), "tiny": ((8,), 8, ())}[args.size]
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    log_file = (out / "log.txt").open("a")

    def log(text: str) -> None:
        print(text, flush=True)
        log_file.write(text + "\n")
        log_file.flush()

    checkpoint = out / "checkpoint"
    if args.resume:
        state = train.load(checkpoint)
        config = state.config
        log(f"resumed at step {state.step}")
    else:
        config = train.Config(concept=args.concept, preset=args.preset, actions=(args.actions,) * args.players,
                              steps=args.steps, batch_size=args.batch_size, seed=args.seed,
                              learning_rate_scale=args.learning_rate_scale, payoff_features=sizes[0],
                              dual_features=sizes[1], dual_layer_features=sizes[2])
        state = train.initial_state(config)
    constants = problem.preset_constants(config.preset, config.concept, config.actions)
    archive = held_out(out, config, args.held_out, args.held_out_seed, log=log)
    arrays, batch = load_batch(archive, constants)
    evaluate = evaluator(arrays, batch, config)
    if not state.history:
        entry = {"step": 0, "train_seconds": 0.0, "train_loss": float("nan")}
        entry.update(evaluate(state))
        state.history.append(entry)
        log("untrained: " + json.dumps(entry))
    every = max(1, args.steps // max(1, args.evaluations)) if args.evaluations else 0
    state = train.train(state, args.steps, evaluate=evaluate, every=every, log=log)
    train.save(state, checkpoint)
    log(f"checkpoint: {checkpoint}")

    # Predictions on the held-out games and on permuted copies; verify with the CLI.
    np.savez(out / "predictions.npz", duals=train.predict(state, batch))
    permuted_path = out / "permuted.npz"
    run("verify", "permute", "--games", archive, "--copies", args.copies, "--seed", 1, "--out", permuted_path, log=log)
    _, permuted_batch = load_batch(permuted_path, constants)
    np.savez(out / "permuted-predictions.npz", duals=train.predict(state, permuted_batch))
    report = out / "verify"
    if report.exists():
        shutil.rmtree(report)
    run("verify", "--games", archive, "--predictions", out / "predictions.npz", "--permuted", permuted_path,
        "--permuted-predictions", out / "permuted-predictions.npz", "--out", report, log=log)
    verified = json.loads((report / "summary.json").read_text())
    summary = {"config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in config.__dict__.items()},
               "held_out": {"archive": str(archive), "games": int(arrays["payoffs"].shape[0])},
               "history": state.history, "verify": verified, "report": str(report / "report.html")}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    (out / "summary.md").write_text(markdown(summary))
    log(f"report: {report / 'report.html'}")
    log((out / "summary.md").read_text())
    return 0


def markdown(summary: dict) -> str:
    rows = ["| step | training time (s) | gap | KL(σ‖σ*) | certified gap | TV to σ* | equivariance TV |",
            "|---|---|---|---|---|---|---|"]
    for h in summary["history"]:
        rows.append(f"| {h['step']} | {h['train_seconds']:.0f} | {h['gap']:.4f} | {h['kl_to_reference']:.4f} | "
                    f"{h['certified_gap']:.4f} | {h['tv']:.4f} | {h['equivariance_tv']:.1e} |")
    return "Means over the held-out games (the equivariance column: the largest over games).\n\n" + "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.exit(main())
