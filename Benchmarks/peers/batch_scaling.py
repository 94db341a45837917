"""Batch throughput on two cores against one, and batch memory against the number of games.

    python3 peers/batch_scaling.py --cli .build/release/equilibria --out DIR [--count N] [--rounds R]
                                   [--memory-counts 1000,10000,100000]

Throughput: `equilibria batch` (8×8 L2 games, both objectives, default chunks) on --count games with
--jobs 1 and with --jobs 2, and, as the machine's own ceiling, two independent processes each solving
one shard of the same batch with --jobs 1 at the same time. The three run in alternating rounds
(the order rotates each round), each in a fresh output directory, so that the machine's drifting
speed falls on all of them; the ratios are of medians of wall time. Each child's user + system CPU
time and peak resident set come from os.wait4 for that child.

Memory: peak resident set of one `--jobs 2` run for each of --memory-counts games.

Writes DIR/batch.json.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import time


def spawn(command):
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def reap(child):
    """Waits for `child`; returns (exit code, user + system CPU s, peak RSS KiB) of that child alone."""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def batch_command(cli, out, count, jobs, shard=None):
    command = [cli, "batch", "--family", "l2", "--players", "2", "--actions", "8", "--count", str(count),
               "--seed", "1", "--jobs", str(jobs), "--out", out]
    if shard is not None:
        command += ["--shard-index", str(shard), "--shard-count", "2"]
    return command


def run(cli, scratch, count, mode):
    shutil.rmtree(scratch, ignore_errors=True)
    t0 = time.time()
    if mode == "shards":
        children = [spawn(batch_command(cli, scratch, count, 1, shard)) for shard in (0, 1)]
    else:
        children = [spawn(batch_command(cli, scratch, count, 1 if mode == "jobs1" else 2))]
    reaped = [reap(c) for c in children]
    wall = time.time() - t0
    for child, (code, _, _) in zip(children, reaped):
        if code not in (0, 3):      # 3: some games failed (recorded in the archive), still a full run
            raise SystemExit(f"{mode}: exit code {code}: {child.stderr.read().decode()[-500:]}")
    shutil.rmtree(scratch, ignore_errors=True)
    return dict(wall=wall, cpu=sum(r[1] for r in reaped), maxrss_kb=max(r[2] for r in reaped))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--memory-counts", default="1000,10000,100000")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    scratch = os.path.join(args.out, "batch-scratch")
    load_start = open("/proc/loadavg").read().split()[:3]
    modes = ["jobs1", "jobs2", "shards"]
    runs = {m: [] for m in modes}
    for r in range(args.rounds):
        for m in modes[r % 3:] + modes[:r % 3]:
            runs[m].append(run(args.cli, scratch, args.count, m))
            print(f"round {r + 1}: {m:6} wall {runs[m][-1]['wall']:.2f} s  cpu {runs[m][-1]['cpu']:.2f} s", flush=True)
    median = {m: statistics.median(x["wall"] for x in runs[m]) for m in modes}
    memory = []
    for count in [int(c) for c in args.memory_counts.split(",") if c]:
        result = run(args.cli, scratch, count, "jobs2")
        memory.append(dict(count=count, **result))
        print(f"memory: {count} games  peak {result['maxrss_kb'] / 1024:.1f} MiB  wall {result['wall']:.1f} s", flush=True)
    out = dict(count=args.count, rounds=args.rounds, runs=runs, median_wall=median,
               speedup_threads=median["jobs1"] / median["jobs2"], speedup_processes=median["jobs1"] / median["shards"],
               per_round_threads=[a["wall"] / b["wall"] for a, b in zip(runs["jobs1"], runs["jobs2"])],
               per_round_processes=[a["wall"] / b["wall"] for a, b in zip(runs["jobs1"], runs["shards"])],
               memory=memory, command=batch_command("equilibria", "DIR", args.count, 2),
               loadavg=[load_start, open("/proc/loadavg").read().split()[:3]])
    json.dump(out, open(os.path.join(args.out, "batch.json"), "w"), indent=1)
    print(f"2 threads / 1: {out['speedup_threads']:.2f}×; 2 processes / 1: {out['speedup_processes']:.2f}×")


if __name__ == "__main__":
    main()
