"""The Python package's costs, measured side by side in one run:

1. per-call overhead of the in-process API against the CLI (one process per game) on 8×8 games;
2. batched throughput (``mwmre_batch``, ``max_welfare_batch``) against a loop of single calls;
3. our JPSRO meta-solvers against OpenSpiel's ``_mgce`` / ``_mgcce`` (maximum Gini, cvxpy/OSQP)
   and ``_mwce`` / ``_mwcce`` (maximum welfare, cvxpy LP) on the meta-games JPSRO itself builds.

    python3 Benchmarks/peers/python_api.py --doc docs/benchmarks-python.md [--quick]

Times are wall-clock medians on this machine; ratios are of the same games in the same run.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import equilibria as eq
import equilibria.jpsro as ours

ROOT = Path(__file__).resolve().parents[2]


def median_seconds(function, items, repeat=1):
    times = []
    for item in items:
        best = []
        for _ in range(repeat):
            start = time.perf_counter()
            function(item)
            best.append(time.perf_counter() - start)
        times.append(min(best))
    return statistics.median(times)


def overhead(cli, games, tmp):
    paths = []
    for k, g in enumerate(games):
        p = Path(tmp) / f"g{k}.json"
        p.write_text(json.dumps({"payoffs": g.tolist()}))
        paths.append(p)
    rows = []
    for label, api, args in [
        ("max-welfare CE (no face)", lambda g: eq.max_welfare(g, face=False), ["--no-face"]),
        ("ME CE (Newton)", lambda g: eq.mwmre(g, "ce"), ["--objective", "mwmre"]),
    ]:
        t_api = median_seconds(api, games, repeat=3)
        t_cli = median_seconds(lambda p: subprocess.run([str(cli), "solve", str(p), *args, "--format", "json"],
                                                        check=True, capture_output=True), paths)
        rows.append((label, t_api, t_cli))
    t_abi = median_seconds(lambda _: eq.gain_rows([8, 8]), range(2000))
    return rows, t_abi


def throughput(games):
    rows = []
    k = len(games)
    for label, single, batch in [
        ("ME CE", lambda g: eq.mwmre(g, "ce"), lambda jobs: eq.mwmre_batch(games, "ce", jobs=jobs)),
        ("max-welfare CE", lambda g: eq.max_welfare(g, face=False), lambda jobs: eq.max_welfare_batch(games, jobs=jobs)),
    ]:
        start = time.perf_counter()
        for g in games:
            single(g)
        loop = time.perf_counter() - start
        timings = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            batch(jobs)
            timings[jobs] = time.perf_counter() - start
        rows.append((label, k / loop, k / timings[1], k / timings[2]))
    return rows


def meta_games(iterations):
    """The meta-games JPSRO builds on two games (recorded by a pass-through meta-solver)."""
    import pyspiel
    from open_spiel.python.algorithms import jpsro
    collected = []
    for name, concept in (("kuhn_poker(players=3)", "ce"), ("sheriff(num_rounds=1,max_bribe=2)", "cce")):
        solver = ours.SOLVERS["mece" if concept == "ce" else "mecce"]

        def recording(meta_game, repeats, ignore_repeats=False, solver=solver):
            collected.append((name, np.array(meta_game), [np.array(r) for r in repeats]))
            return solver(meta_game, repeats, ignore_repeats=ignore_repeats)
        jpsro.FLAG_TO_FUNC["recording"] = recording
        jpsro.run_loop(pyspiel.load_game(name), name, iterations=iterations, target_equilibrium=concept,
                       train_meta_solver="recording", eval_meta_solver="uni")
        del jpsro.FLAG_TO_FUNC["recording"]
    return collected


def meta_solvers(collected):
    from open_spiel.python.algorithms import jpsro
    rows = []
    for concept in ("ce", "cce"):
        suffix = "ce" if concept == "ce" else "cce"
        entries = [
            (f"ours me{suffix}", ours.SOLVERS[f"me{suffix}"]),
            (f"ours mwme{suffix}", ours.SOLVERS[f"mwme{suffix}"]),
            (f"OpenSpiel mg{suffix}", getattr(jpsro, f"_mg{suffix}")),
            (f"OpenSpiel mw{suffix}", getattr(jpsro, f"_mw{suffix}")),
        ]
        for label, solver in entries:
            times, gains = [], []
            for _, meta_game, repeats in collected:
                start = time.perf_counter()
                dist, _ = solver(meta_game, repeats)
                times.append(time.perf_counter() - start)
                gains.append(ours.equilibrium_gap(meta_game, np.asarray(dist, dtype=float), concept))
            rows.append((concept.upper(), label, sum(times), max(times), max(gains)))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--doc", default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cli", default=str(ROOT / ".build" / "release" / "equilibria"))
    args = parser.parse_args()
    n_overhead, n_batch, iterations = (20, 100, 3) if args.quick else (100, 1000, 6)
    games = eq.generate("l2", 8, max(n_overhead, n_batch), players=2, seed=0, normalize="l2").payoffs
    with tempfile.TemporaryDirectory() as tmp:
        calls, abi = overhead(args.cli, games[:n_overhead], tmp)
    batch = throughput(games[:n_batch])
    collected = meta_games(iterations)
    solvers = meta_solvers(collected)
    shapes = sorted({"x".join(map(str, m.shape[1:])) for _, m, _ in collected}, key=lambda s: eval(s.replace("x", "*")))
    lines = [
        "# Benchmarks: the Python package",
        "",
        f"`python3 Benchmarks/peers/python_api.py --doc docs/benchmarks-python.md{' --quick' if args.quick else ''}` "
        f"(also run by `bash Benchmarks/run.sh`). {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; wall-clock medians, one run, the same games "
        "for every column.",
        "",
        f"## Per call: in-process against the CLI ({n_overhead} L2 8×8 games)",
        "",
        "| workload | Python API | CLI (a process per game) | CLI / API |",
        "|---|---|---|---|",
    ]
    for label, t_api, t_cli in calls:
        lines.append(f"| {label} | {1e3 * t_api:.3f} ms | {1e3 * t_cli:.1f} ms | {t_cli / t_api:.0f}× |")
    lines += ["", f"The boundary itself (a call that computes nothing, `gain_rows`): {1e6 * abi:.1f} µs.", "",
              f"## Batched against a loop of single calls ({n_batch} L2 8×8 games)", "",
              "| workload | loop of single calls | batch, 1 thread | batch, 2 threads | batch (2) / loop |",
              "|---|---|---|---|---|"]
    for label, loop, one, two in batch:
        lines.append(f"| {label} | {loop:.0f} games/s | {one:.0f} games/s | {two:.0f} games/s | {two / loop:.2f}× |")
    lines += ["", f"## JPSRO meta-solvers on JPSRO's own meta-games ({len(collected)} meta-games from 3-player Kuhn "
              f"poker (CE) and sheriff (CCE), {iterations} iterations; sizes {', '.join(shapes)})", "",
              "Each solver on every recorded meta-game, with its repeats. The gain is the largest expected "
              "deviation gain of the distribution returned, on the meta-game (≤ 0 is an exact equilibrium).", "",
              "| concept | meta-solver | all calls | slowest call | largest gain |", "|---|---|---|---|---|"]
    reference = {}
    for concept, label, med, worst, gain in solvers:
        reference.setdefault(concept, med)
        lines.append(f"| {concept} | {label} | {1e3 * med:.2f} ms | {1e3 * worst:.1f} ms | {gain:.1e} |")
    lines += ["", "Ratios (all calls, OpenSpiel's / ours): " + "; ".join(
        f"{c}: max-Gini / ME {next(m for cc, l, m, *_ in solvers if cc == c and 'mg' in l) / next(m for cc, l, m, *_ in solvers if cc == c and ' me' in l):.0f}×, "
        f"max-welfare / MWME {next(m for cc, l, m, *_ in solvers if cc == c and ' mw' in l and 'OpenSpiel' in l) / next(m for cc, l, m, *_ in solvers if cc == c and 'mwme' in l):.1f}×"
        for c in ("CE", "CCE")) + "."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.doc:
        Path(args.doc).write_text(text)


if __name__ == "__main__":
    main()
