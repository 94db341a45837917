"""The paper's headline comparison, measured: NES inference against the library's Newton method
on the same held-out games, each at the accuracy it reaches.

    python3 -m nes.benchmark --run runs/nes --doc docs/benchmarks-nes.md [--device gpu]

`--run` is a pipeline output directory (its checkpoint and held-out archive). It is made with
the default pipeline first when it has no checkpoint. Timings are medians of repeated runs,
taken after JIT compilation. Accuracy is measured by the library's own metrics (equilibria.verify):
- the certified gap, a rigorous bound on KL(σ‖σ*);
- KL(σ‖σ*) against the archive's reference σ*;
- the equilibrium gap Σ_p [max gain_p]⁺.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import jax
import numpy as np

import equilibria as eq
from equilibria import _native

from . import pipeline, problem, train


def _median_seconds(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _accuracy(arrays: dict, config: train.Config, **prediction) -> dict:
    m = eq.verify(arrays["payoffs"], concept=config.concept, preset=config.preset, normalized=True,
                  reference_joint=arrays["me_joint"], reference_dual_objective=arrays["me_dual_objective"],
                  **prediction)
    def stats(values):
        values = np.asarray(values)
        return {"mean": float(values.mean()), "median": float(np.median(values)), "p90": float(np.quantile(values, 0.9))}
    return {"certified_gap": stats(m.certified_gap), "kl_to_reference": stats(m.kl_pred_ref), "gap": stats(m.gap)}


def measure(run: Path, repeats: int = 5) -> dict:
    state = train.load(run / "checkpoint")
    config = state.config
    constants = problem.preset_constants(config.preset, config.concept, config.actions)
    arrays, batch = pipeline.load_batch(run / "heldout.npz", constants)
    k = arrays["payoffs"].shape[0]
    net = config.network()
    apply = jax.jit(lambda v, x: net.apply(v, x, train=False))
    inputs = problem.input_channels(problem.Batch(*(jax.numpy.asarray(np.asarray(getattr(batch, f)), jax.numpy.float32)
                                                    for f in ("payoffs", "eps_hat", "target", "welfare")),
                                                  constants=constants))
    jax.block_until_ready(apply(state.variables, inputs))                         # compile
    batched = _median_seconds(lambda: jax.block_until_ready(apply(state.variables, inputs)), repeats)
    one = inputs[:1]
    jax.block_until_ready(apply(state.variables, one))
    single = _median_seconds(lambda: jax.block_until_ready(apply(state.variables, one)), max(repeats, 20))
    duals = train.predict(state, batch)
    payoffs = arrays["payoffs"]
    newton = lambda **kw: eq.mwmre_batch(payoffs, config.concept, preset=config.preset, normalized=True, jobs=1, **kw)
    newton()  # warm
    exact_seconds = _median_seconds(newton, repeats)
    reference = newton()
    both = lambda: eq.mwmre_batch(payoffs, config.concept, preset=config.preset, normalized=True, jobs=0)
    both()
    both_seconds = _median_seconds(both, repeats)
    # The loosest tolerance the library accepts is 1e-2 × the largest deviation gain; 1e-3 × a
    # bound on it (twice the largest payoff) is a fast solve well inside that limit.
    gains = np.abs(payoffs).max() * 2
    loose = lambda: eq.mwmre_batch(payoffs, config.concept, preset=config.preset, normalized=True, jobs=1,
                                   tolerance=1e-3 * float(gains))
    loose_result = loose()
    loose_seconds = _median_seconds(loose, repeats)
    return {
        "games": int(k), "shape": list(config.actions), "concept": config.concept, "preset": config.preset,
        "network": {"payoff_features": list(config.payoff_features), "dual_features": config.dual_features,
                    "dual_layer_features": list(config.dual_layer_features), "steps": state.step,
                    "parameters": int(sum(np.prod(p.shape) for p in jax.tree_util.tree_leaves(state.params)))},
        "device": str(jax.devices()[0]), "machine": platform.processor() or platform.machine(),
        "library": str(_native.LIBRARY_PATH),
        "nes": {"seconds_per_game_batched": batched / k, "seconds_per_game_single": single,
                "accuracy": _accuracy(arrays, config, duals=duals)},
        "newton": {"seconds_per_game": exact_seconds / k, "tolerance": "default (KKT 1e-10)",
                   "accuracy": _accuracy(arrays, config, duals=reference.duals)},
        "newton_all_cores": {"seconds_per_game": both_seconds / k, "threads": os.cpu_count()},
        "newton_loose": {"seconds_per_game": loose_seconds / k, "tolerance": f"{1e-3 * float(gains):.3g}",
                         "accuracy": _accuracy(arrays, config, duals=loose_result.duals)},
    }


def markdown(r: dict, command: str) -> str:
    nes, newton, loose = r["nes"], r["newton"], r["newton_loose"]
    def row(name, seconds, a):
        return (f"| {name} | {seconds * 1e6:.1f} | {a['certified_gap']['median']:.3g} | {a['certified_gap']['p90']:.3g} | "
                f"{a['kl_to_reference']['median']:.3g} | {a['gap']['median']:.3g} |")
    lines = [
        "# NES inference against Newton",
        "",
        f"Produced by `{command}` on {r['machine']} ({r['device']}); library `{r['library']}`.",
        f"{r['games']} held-out {'×'.join(map(str, r['shape']))} games (L2-invariant), {r['concept'].upper()}, preset "
        f"{r['preset']}; network {r['network']['parameters']:,} parameters, trained {r['network']['steps']} steps "
        "(the pipeline's default). Times per game are medians after compilation; accuracy is measured by "
        "`equilibria.verify` against the archive's reference σ*.",
        "",
        "| solver | µs per game | certified gap (median) | certified gap (p90) | KL(σ‖σ*) (median) | gap (median) |",
        "|---|---|---|---|---|---|",
        row(f"NES, batch of {r['games']}", nes["seconds_per_game_batched"], nes["accuracy"]),
        row("NES, one game per call", nes["seconds_per_game_single"], nes["accuracy"]),
        row("Newton, KKT 1e-10 (one thread)", newton["seconds_per_game"], newton["accuracy"]),
        row(f"Newton, KKT 1e-10 ({r['newton_all_cores']['threads']} threads, one batch)",
            r["newton_all_cores"]["seconds_per_game"], newton["accuracy"]),
        row(f"Newton, tolerance {loose['tolerance']} (one thread)", loose["seconds_per_game"], loose["accuracy"]),
        "",
        f"Time of Newton (1e-10) over NES batched: {newton['seconds_per_game'] / nes['seconds_per_game_batched']:.2f}× "
        f"on one thread, {r['newton_all_cores']['seconds_per_game'] / nes['seconds_per_game_batched']:.2f}× on all "
        f"cores (JAX uses every core for the batched inference); at the loose tolerance, "
        f"{loose['seconds_per_game'] / nes['seconds_per_game_batched']:.2f}× (Newton converges quadratically, so the "
        "tolerance barely changes its time).",
        "",
        "The network's answer is an approximation whose quality the certified gap bounds; Newton's is the",
        "solution to 1e-10. On a GPU (`--device gpu`) the batched inference is the paper's setting.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m nes.benchmark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="a pipeline output directory (made when absent)")
    parser.add_argument("--doc", type=Path, help="write the report here (markdown), and the figures beside it (.json)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    args = parser.parse_args(argv)
    pipeline.select_device(args.device)
    if not (args.run / "checkpoint" / "state.msgpack").is_file():
        pipeline.main(["--out", str(args.run), "--device", args.device])
    result = measure(args.run, args.repeats)
    command = f"python3 -m nes.benchmark --run {args.run}" + (f" --doc {args.doc}" if args.doc else "")
    text = markdown(result, command)
    print(text)
    if args.doc:
        args.doc.write_text(text)
        args.doc.with_suffix(".json").write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
