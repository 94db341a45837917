"""The size sweep of the side-by-side benchmark: time and peak memory per game against the size.

    python3 peers/sweep.py --bench .build/release/bench --out DIR [--shapes 8x8,4x4x4] [--workloads mw-ce,me-ce]
                           [--max-games N] [--seconds S] [--budget S] [--game-limit S] [--skip-above S]

For every shape (2 players n×n up to 64×64, 3 players up to 10×10×10, 4 players up to 6^4, 5 players
up to 4^5) and workload (max-welfare CE and CCE by LP; ME CE and CCE; the strict-ε̂ presets MS and eps-ME
on CE where |A| ≥ 256), ours and each peer run **in a process of their own**, so that the process's
peak resident set (getrusage's ru_maxrss, which each child records itself) is that solver's on that
workload. Ours: `bench --sweep-shapes S --sweep-workloads W` (which writes the games, its answers and a
manifest); the peers: one `run_peers.py --fork-each-peer` per workload on the same directory and games,
which imports numpy, scipy and the peers once and runs each peer in a child forked from it (highspy for
the LPs; scipy L-BFGS-B at its default and at tight tolerances, and Clarabel, for MWMRE) — a fresh
interpreter per peer cost seconds of start-up each, hundreds of times over.

Budget: fewer games at the large sizes (10 up to |A| = 256, 6 up to 1024, 4 up to 2304, 3 above;
never more than --max-games); a peer whose game took more than --game-limit seconds stops after that
game; a solver whose median at one size exceeded --skip-above seconds, or that failed there, is not
run at the larger sizes of the same player count and workload (the reason is recorded); once the
sweep has run --budget seconds, what is left is skipped (recorded too). Shapes run in increasing |A|
across player counts, so that a budget cut falls on the largest.

Writes DIR/sweep.json: one entry per (shape, workload) with every solver's result (run_peers's
summary: median, p90, KKT, Δσ …, plus maxrss_kb and rss_start_kb) or the reason it was skipped.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

SHAPES = ([[n, n] for n in (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)]
          + [[n] * 3 for n in (2, 3, 4, 6, 8, 10)]
          + [[n] * 4 for n in range(2, 7)]
          + [[n] * 5 for n in range(2, 5)])
WORKLOADS = ["mw-ce", "mw-cce", "me-ce", "me-cce", "ms-ce", "epsme-ce"]
STRICT = {"ms-ce", "epsme-ce"}          # run where |A| >= 256 only (the goal's sizes)
PEERS = {"mw": ["highspy"], "me": ["scipy-lbfgsb", "scipy-lbfgsb-tight", "clarabel"]}


def shape_name(shape):
    return "x".join(map(str, shape))


def joint(shape):
    j = 1
    for n in shape:
        j *= n
    return j


def games_for(shape, max_games):
    j = joint(shape)
    return min(max_games, 10 if j <= 256 else 6 if j <= 1024 else 4 if j <= 2304 else 3)


def run_child(command, timeout):
    """Runs `command`; returns (exit code or "timeout", wall seconds, the output's tail). The peak
    resident set is written by the child itself (bench's manifest, run_peers's maxrss_kb)."""
    t0 = time.time()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = child.communicate(timeout=timeout)
        code = child.returncode
    except subprocess.TimeoutExpired:
        child.kill()
        output, _ = child.communicate()
        code = "timeout"
    return code, time.time() - t0, (output or "")[-2000:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shapes", default="", help="comma-separated, e.g. 8x8,4x4x4 (default: the full sweep)")
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--max-games", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=0.3, help="time each solver on each workload this long (passes)")
    ap.add_argument("--budget", type=float, default=1500.0, help="seconds for the whole sweep")
    ap.add_argument("--game-limit", type=float, default=30.0, help="a peer stops after a game longer than this (s)")
    ap.add_argument("--skip-above", type=float, default=10.0,
                    help="a solver slower than this per game (median, s) is not run at larger sizes")
    ap.add_argument("--child-timeout", type=float, default=900.0, help="seconds per process at most")
    args = ap.parse_args()

    shapes = ([[int(x) for x in s.split("x")] for s in args.shapes.split(",") if s] or SHAPES)
    shapes = sorted(shapes, key=lambda s: (joint(s), len(s)))
    workloads = [w for w in args.workloads.split(",") if w]
    for w in workloads:
        if w not in WORKLOADS:
            sys.exit(f"unknown workload {w} (known: {', '.join(WORKLOADS)})")
    os.makedirs(args.out, exist_ok=True)
    start = time.time()
    entries = []
    too_slow = {}          # (players, workload, solver) -> reason

    def log(msg):
        print(f"[{time.time() - start:6.0f} s] {msg}", flush=True)

    for shape in shapes:
        name_s = shape_name(shape)
        directory = os.path.join(args.out, name_s)
        os.makedirs(directory, exist_ok=True)
        k = games_for(shape, args.max_games)
        for workload in workloads:
            if workload in STRICT and joint(shape) < 256:
                continue
            kind = workload.split("-")[0]
            kind = "mw" if kind == "mw" else "me"
            name = f"sweep-{workload}-{name_s}" + ("" if kind == "mw" else "-newton")
            entry = dict(shape=shape, workload=workload, name=name, games=k, results={}, skipped={}, wall={})
            entries.append(entry)
            manifest = f"manifest-{workload}.json"

            def skip_reason(solver):
                if time.time() - start > args.budget:
                    return f"the sweep's time budget ({args.budget:g} s) was spent"
                return too_slow.get((len(shape), workload, solver))

            reason = skip_reason("ours")
            if reason:
                entry["skipped"]["ours"] = reason
                log(f"{name}: ours skipped ({reason})")
                continue
            code, wall, tail = run_child([args.bench, "--out", directory, "--games", "0", "--games-large", "0",
                                          "--sweep-games", str(k), "--sweep-shapes", name_s,
                                          "--sweep-workloads", workload, "--manifest", manifest,
                                          "--sweep-seconds", str(args.seconds)], args.child_timeout)
            entry["wall"]["ours"] = wall
            if code != 0:
                entry["skipped"]["ours"] = f"bench exited with {code}: {tail.strip()[-300:]}"
                too_slow[(len(shape), workload, "ours")] = f"failed at {name_s}"
                log(f"{name}: ours failed ({code})")
                continue
            log(f"{name}: ours {tail.strip().splitlines()[-1] if tail.strip() else ''}")
            work = json.load(open(os.path.join(directory, manifest)))[0]
            peers = []
            for solver in PEERS[kind]:
                reason = skip_reason(solver)
                if reason:
                    entry["skipped"][solver] = reason
                else:
                    peers.append(solver)
            # one process for the workload, each peer in a child forked from it (run_peers --fork-each-peer)
            out_file = os.path.join(directory, f"peers-{workload}.json")
            code, wall, tail = run_child([sys.executable, os.path.join(HERE, "run_peers.py"), directory,
                                          "--manifest", manifest, "--peers", ",".join(peers) or "ours-only",
                                          "--fork-each-peer", "--peer-timeout", str(args.child_timeout),
                                          "--out", out_file, "--no-environment",
                                          "--seconds", str(args.seconds), "--sweep-seconds", str(args.seconds),
                                          "--game-limit", str(args.game_limit)], args.child_timeout * (len(peers) + 1))
            entry["wall"]["peers"] = wall
            if code != 0:
                for solver in peers:
                    entry["skipped"][solver] = f"run_peers exited with {code}: {tail.strip()[-300:]}"
                log(f"{name}: peers failed ({code}): {tail.strip()[-300:]}")
                continue
            results = json.load(open(out_file))["workloads"][name]["results"]
            ours = results.get("ours") or {}
            ours["rss_start_kb"] = work.get("rss_start_kb")
            ours["maxrss_kb"] = work.get("maxrss_kb")
            entry["results"]["ours"] = ours
            for solver, why in (results.get("skipped") or {}).items():
                entry["skipped"][solver] = why
                too_slow[(len(shape), workload, solver)] = f"at {'×'.join(map(str, shape))}: {why}"
            for solver in peers:
                r = results.get(solver)
                if r is None:
                    continue
                entry["results"][solver] = r
                log(f"{name}: {solver} median {r['median'] * 1e3 if r.get('median') else float('nan'):.2f} ms "
                    f"({r['games']} games, peak {r['maxrss_kb'] / 1024:.0f} MiB)")
                if r.get("stopped") or (r.get("median") or 0) > args.skip_above or r.get("failed", 0) == r["games"]:
                    why = r.get("stopped") or (f"{r['median']:.1f} s per game (median)" if (r.get("median") or 0)
                                               > args.skip_above else "every game failed")
                    too_slow[(len(shape), workload, solver)] = f"at {'×'.join(map(str, shape))}: {why}"
            ours = entry["results"].get("ours")
            if ours and (ours.get("median") or 0) > args.skip_above:
                too_slow[(len(shape), workload, "ours")] = f"at {name_s}: {ours['median']:.1f} s per game"
    out = dict(entries=entries, elapsed=time.time() - start,
               settings=dict(max_games=args.max_games, seconds=args.seconds, budget=args.budget,
                             game_limit=args.game_limit, skip_above=args.skip_above))
    json.dump(out, open(os.path.join(args.out, "sweep.json"), "w"), indent=1)
    log(f"wrote {os.path.join(args.out, 'sweep.json')}")


if __name__ == "__main__":
    main()
