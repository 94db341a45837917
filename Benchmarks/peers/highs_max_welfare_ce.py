"""Peer timing: max-welfare CE (or CCE) by LP with HiGHS (highspy), on the games the Swift benchmark wrote.

    cd Benchmarks && swift run -c release lp-benchmark 1000 --json /tmp/games.jsonl
    python3 peers/highs_max_welfare_ce.py /tmp/games.jsonl

Each line holds {"shape": [n_1, ..., n_N], "concept": "ce" or "cce" (default ce), "payoffs": [...]} with payoffs flat in the layout
[N, n_1, ..., n_N], row-major (player N fastest). The LP is the same as ours: sigma >= 0,
sum sigma = 1, one CE row per (player, recommended, deviation) <= 0, maximise total payoff.
Timed per game: building the model in HiGHS plus solving it (thread CPU time), like ours.
"""
import json
import sys
import time

import highspy
import numpy as np


def ce_rows(payoffs, shape, concept="ce"):
    """Sparse CE (or CCE) constraint rows (list of (indices, values)) in canonical order."""
    n_players = len(shape)
    joint = int(np.prod(shape))
    g = payoffs.reshape([n_players] + list(shape))
    rows = []
    if concept == "cce":
        # Player p deviating to k unconditionally: sum_a (G_p(k, a_-p) - G_p(a)) sigma(a) <= 0.
        for p in range(n_players):
            gp = np.moveaxis(g[p], p, 0)                       # [own, rest...]
            idx = np.moveaxis(np.arange(joint).reshape(shape), p, 0).reshape(-1)
            for k in range(shape[p]):
                rows.append((idx, (gp[k][None, ...] - gp).reshape(-1)))
        return rows
    for p in range(n_players):
        gp = np.moveaxis(g[p], p, 0).reshape(shape[p], -1)  # own action first
        idx = np.moveaxis(np.arange(joint).reshape(shape), p, 0).reshape(shape[p], -1)
        for r in range(shape[p]):
            for k in range(shape[p]):
                if k != r:
                    rows.append((idx[r], gp[k] - gp[r]))
    return rows


def solve(payoffs, shape, concept="ce"):
    joint = int(np.prod(shape))
    welfare = payoffs.reshape(len(shape), joint).sum(axis=0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = joint
    lp.col_cost_ = -welfare
    lp.col_lower_ = np.zeros(joint)
    lp.col_upper_ = np.full(joint, inf)
    rows = ce_rows(payoffs, shape, concept)
    starts, index, value = [0], [], []
    for cols, vals in rows:
        index.extend(cols.tolist())
        value.extend(vals.tolist())
        starts.append(len(index))
    index.extend(range(joint))
    value.extend([1.0] * joint)
    starts.append(len(index))
    lp.num_row_ = len(rows) + 1
    lp.row_lower_ = np.array([-inf] * len(rows) + [1.0])
    lp.row_upper_ = np.array([0.0] * len(rows) + [1.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts)
    lp.a_matrix_.index_ = np.array(index)
    lp.a_matrix_.value_ = np.array(value)
    h.passModel(lp)
    h.run()
    return -h.getInfo().objective_function_value


def main(path):
    by_shape = {}
    with open(path) as f:
        for line in f:
            d = json.loads(line)
            key = (tuple(d["shape"]), d.get("concept", "ce"))
            by_shape.setdefault(key, []).append(np.array(d["payoffs"], dtype=float))
    print("shape        LP   median CPU   p90 CPU   (highspy %s)" % highspy.Highs().version())
    for (shape, concept), games in by_shape.items():
        times = []
        for payoffs in games:
            t0 = time.thread_time()
            solve(payoffs, list(shape), concept)
            times.append(time.thread_time() - t0)
        times.sort()
        median = times[len(times) // 2]
        p90 = times[int(0.9 * (len(times) - 1))]
        print("%-12s %-4s %8.1f µs %8.1f µs" % ("x".join(map(str, shape)), concept, median * 1e6, p90 * 1e6))


if __name__ == "__main__":
    main(sys.argv[1])
