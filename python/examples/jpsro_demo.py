"""JPSRO on real OpenSpiel games with our maximum-entropy (C)CE meta-solvers, beside OpenSpiel's
own maximum-Gini ones: the (C)CE gap per iteration, and the time of every meta-solver call.

    python3 python/examples/jpsro_demo.py --iterations 8 --out docs/jpsro

writes DIR.json (every figure) and DIR.png (the gap per iteration), and prints a Markdown table.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pyspiel
from open_spiel.python.algorithms import jpsro

import equilibria.jpsro as ours

GAMES = ["kuhn_poker(players=3)", "sheriff(num_rounds=1,max_bribe=2)"]
PAIRS = {"ce": ("mece", "mgce"), "cce": ("mecce", "mgcce")}


def timed(name, calls):
    solver = jpsro.FLAG_TO_FUNC[name]

    def wrapper(meta_game, per_player_repeats, ignore_repeats=False):
        start = time.perf_counter()
        dist, info = solver(meta_game, per_player_repeats, ignore_repeats=ignore_repeats)
        calls.append({"seconds": time.perf_counter() - start, "shape": list(meta_game.shape[1:]),
                      "gain": ours.equilibrium_gap(meta_game, dist, concept_of(name))})
        return dist, info
    return wrapper


def concept_of(name):
    return "cce" if name.endswith("cce") else "ce"


def run(game_name, solver, iterations):
    calls, gaps = [], []
    jpsro.FLAG_TO_FUNC["timed"] = timed(solver, calls)

    def callback(iteration, per_player_repeats, per_player_policies, joint_policies, joint_returns, meta_games,
                 train_meta_dists, eval_meta_dists, train_meta_values, eval_meta_values, train_meta_gaps,
                 eval_meta_gaps, kwargs, checkpoint):
        gaps.append(float(sum(train_meta_gaps[-1])))
        return checkpoint

    start = time.perf_counter()
    jpsro.run_loop(pyspiel.load_game(game_name), game_name, iterations=iterations,
                   target_equilibrium=concept_of(solver), train_meta_solver="timed", eval_meta_solver="timed",
                   callback=callback)
    del jpsro.FLAG_TO_FUNC["timed"]
    return {"game": game_name, "solver": solver, "gaps": gaps, "calls": calls,
            "total_seconds": time.perf_counter() - start}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=8)
    parser.add_argument("--out", default="jpsro")
    args = parser.parse_args()
    ours.register()
    runs = [run(g, s, args.iterations) for g in GAMES for concept in ("ce", "cce") for s in PAIRS[concept]]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(runs, indent=1))
    print("| game | concept | meta-solver | gap after 1 / last iteration | meta-solver calls | median call | "
          "largest meta-game | largest gain returned |")
    print("|---|---|---|---|---|---|---|---|")
    for r in runs:
        seconds = [c["seconds"] for c in r["calls"]]
        largest = max(r["calls"], key=lambda c: np.prod(c["shape"]))["shape"]
        print(f"| {r['game']} | {concept_of(r['solver']).upper()} | {r['solver']} | {r['gaps'][0]:.3g} / "
              f"{r['gaps'][-1]:.3g} | {len(seconds)} | {1e3 * np.median(seconds):.2f} ms | "
              f"{'x'.join(map(str, largest))} | {max(c['gain'] for c in r['calls']):.1e} |")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(1, 4, figsize=(16, 3.6))
    for column, (game, concept) in enumerate([(g, c) for g in GAMES for c in ("ce", "cce")]):
        axis = axes[column]
        for r in runs:
            if r["game"] == game and concept_of(r["solver"]) == concept:
                axis.plot(range(1, len(r["gaps"]) + 1), r["gaps"], marker="o", label=r["solver"])
        axis.set_title(f"{game.split('(')[0]} {concept.upper()}", fontsize=10)
        axis.set_xlabel("JPSRO iteration")
        axis.set_yscale("symlog", linthresh=1e-3)
        axis.legend(fontsize=8)
    axes[0].set_ylabel(f"(C)CE gap of the meta-distribution")
    figure.tight_layout()
    figure.savefig(out.with_suffix(".png"), dpi=110)
    print(f"\nwrote {out.with_suffix('.json')} and {out.with_suffix('.png')}")


if __name__ == "__main__":
    main()
