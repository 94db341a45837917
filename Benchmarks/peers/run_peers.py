"""The peers' half of the side-by-side benchmark (issue 7).

    python3 peers/run_peers.py DIR [--caps PEER=N,...] [--manifest FILE] [--peers P,...] [--game-limit S] [--out FILE]

DIR is what `.build/release/bench --out DIR` wrote: manifest.json, the game sets (games-*.npz:
payoffs [K, N, n_1..n_N], row-major, player N fastest) and our results (ours-*.npz: time, status,
joint, epsilon, objective, duals, kkt, gap, and for MWMRE the exact parameters solved: target,
eps_hat, eps_cap, welfare, mu, rho). Every peer solves the very same games with the same
objective and parameters, and every answer (ours included) is checked here by the same numpy code:

  max-welfare (C)CE (LP):  highspy (HiGHS called directly), scipy.optimize.linprog (HiGHS),
                           OpenSpiel JPSRO `_mwce` / `_mwcce` (cvxpy + ECOS), and for reference the
                           max-Gini `_mgce` / `_mgcce` (cvxpy + OSQP; another objective: time only)
  MWMRE (ME, MRE, eps-MWME, MS, eps-ME): Clarabel called directly on the primal (exponential
                           cones, tolerances 1e-12) and scipy L-BFGS-B on the dual of docs/reference.md §3
                           (CSR gains, vectorised loss and gradient, from α = 0 like ours), with scipy's
                           default tolerances and with tight ones.
  highspy runs the fastest of its configurations (simplex with and without presolve, IPM),
  calibrated on each workload's first games.

With --peers and --manifest, peers/sweep.py runs one peer on one workload per process and
reads the process's peak resident set (maxrss_kb) from the output.

Times are thread CPU time (time.thread_time) of the peer's own work: model construction in the
peer's API plus the solve; a solve that fails counts at the time it took. The (C)CE gain matrix is built in numpy outside the timed region (a
gift to the peers; our own times include building it), except for OpenSpiel, whose meta-solvers
take the payoff tensor and build their constraints themselves. One untimed warm-up solve per peer
and workload comes first, then one garbage collection and gc.freeze().
"""
import argparse
import gc
import json
import math
import os
import platform
import sys
import time
import traceback
import warnings

import numpy as np

warnings.filterwarnings("ignore")

TOL_VIOLATION = 1e-6   # a peer answer violating its constraints by more is "inaccurate"
TOL_SIGMA = 1e-6       # ... and so is one whose sigma is farther than this from ours (max-abs)
MG_TIME_LIMIT = 2.0    # seconds: OSQP in OpenSpiel's max-Gini solvers (max_iter 1e9) can run for minutes


# ----------------------------------------------------------------------------------------------
# Games and gains (docs/reference.md §1: canonical row order)

def gain_matrix(payoffs, concept):
    """Gain matrix [R, |A|] in canonical order, as a scipy CSR matrix (each row has only the
    |A|/n_p joint actions of its recommendation for a CE, |A| for a CCE), and the owner (player)
    of each row. Built without a dense [R, |A|] array, which at 64×64 would be 260 MB."""
    from scipy.sparse import csr_matrix
    n_players = payoffs.shape[0]
    shape = payoffs.shape[1:]
    joint = int(np.prod(shape))
    data, cols, counts, owners = [], [], [], []
    for p in range(n_players):
        n = shape[p]
        g = np.moveaxis(payoffs[p], p, 0).reshape(n, -1)                       # [n_p, |A|/n_p]
        idx = np.moveaxis(np.arange(joint).reshape(shape), p, 0).reshape(n, -1)
        if concept == "ce":
            r_idx, k_idx = np.nonzero(~np.eye(n, dtype=bool))                   # r ascending, then k
            order = np.argsort(idx[r_idx], axis=1, kind="stable")               # columns ascending per row
            cols.append(np.take_along_axis(idx[r_idx], order, axis=1).ravel())
            data.append(np.take_along_axis(g[k_idx] - g[r_idx], order, axis=1).ravel())
            counts += [idx.shape[1]] * len(r_idx)
        else:
            # row k: G_p(k, a_-p) - G_p(a) at every a (own action r = any)
            diff = np.empty((n, joint))
            diff[:, idx.ravel()] = (g[:, None, :] - g[None, :, :]).reshape(n, -1)
            cols.append(np.tile(np.arange(joint), n))
            data.append(diff.ravel())
            counts += [joint] * n
        owners += [p] * (len(counts) - len(owners))
    indptr = np.concatenate([[0], np.cumsum(counts)])
    A = csr_matrix((np.concatenate(data), np.concatenate(cols), indptr), shape=(len(counts), joint))
    return A, np.array(owners)


# ----------------------------------------------------------------------------------------------
# Max-welfare LP peers

LAST = {}


HIGHS_CONFIGS = {
    "simplex": dict(solver="simplex", presolve="on"),
    "simplex-nopresolve": dict(solver="simplex", presolve="off"),
    "ipm": dict(solver="ipm", presolve="on"),
}
HIGHS = {}


def lp_highspy(A, welfare, config="simplex"):
    """HiGHS through highspy: one Highs object (threads=1, no output) reused across solves, the
    model passed row-wise from the CSR gain matrix plus the Σσ = 1 row; `config` picks the solver
    and presolve (run_lp calibrates the fastest of HIGHS_CONFIGS on the first games)."""
    import highspy
    h = HIGHS.get("h")
    if h is None:
        h = HIGHS["h"] = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
    for key, value in HIGHS_CONFIGS[config].items():
        h.setOptionValue(key, value)
    joint = A.shape[1]
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = joint
    lp.num_row_ = A.shape[0] + 1
    lp.col_cost_ = -welfare
    lp.col_lower_ = np.zeros(joint)
    lp.col_upper_ = np.full(joint, inf)
    lp.row_lower_ = np.concatenate([np.full(A.shape[0], -inf), [1.0]])
    lp.row_upper_ = np.concatenate([np.zeros(A.shape[0]), [1.0]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.concatenate([A.indptr, [A.nnz + joint]]).astype(np.int32)
    lp.a_matrix_.index_ = np.concatenate([A.indices, np.arange(joint)]).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate([A.data, np.ones(joint)])
    h.clearSolver()
    h.passModel(lp)
    t0 = time.thread_time()
    h.run()
    LAST["solver_time"] = time.thread_time() - t0   # HiGHS's own solve, without the Python model building
    ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return np.array(h.getSolution().col_value), ok


def lp_linprog(A, welfare):
    from scipy.optimize import linprog
    joint = A.shape[1]
    res = linprog(-welfare, A_ub=A, b_ub=np.zeros(A.shape[0]), A_eq=np.ones((1, joint)), b_eq=[1.0],
                  bounds=(0, None), method="highs")
    return (res.x if res.x is not None else np.full(joint, np.nan)), res.status == 0


def lp_openspiel(payoffs, concept, gini=False):
    from open_spiel.python.algorithms import jpsro
    # OpenSpiel's own OSQP settings, plus a time limit (the only change): without it some 8x8 games
    # take minutes. A solve that reaches the limit is counted as failed, at the time it took.
    jpsro.DEFAULT_OSQP_SOLVER_KWARGS["time_limit"] = MG_TIME_LIMIT
    repeats = [np.ones(n, dtype=np.int64) for n in payoffs.shape[1:]]
    f = {("ce", False): jpsro._mwce, ("cce", False): jpsro._mwcce,
         ("ce", True): jpsro._mgce, ("cce", True): jpsro._mgcce}[(concept, gini)]
    dist, _ = f(payoffs, repeats)
    x = np.asarray(dist, dtype=float).ravel()
    return x, bool(np.all(np.isfinite(x)))


# ----------------------------------------------------------------------------------------------
# MWMRE (docs/reference.md §3)

class MWMRE:
    """One problem: gains A [R, J] (CSR), owners, target, eps_hat, eps_cap, welfare, mu, rho.

    The dual of docs/reference.md §3 as a competent scipy user writes it: A and Aᵀ kept as CSR
    matrices (a CE row touches |A|/n_p joint actions), the per-player sums Pᵀα by np.bincount
    over the owners, log-sum-exp shifted by its maximum, and expm1 for the penalty — every step
    vectorised, nothing dense of size R × |A|."""

    def __init__(self, A, owner, target, eps_hat, eps_cap, welfare, mu, rho):
        self.A, self.owner = A, owner
        self.AT = A.T.tocsr()
        self.target, self.eps_hat, self.eps_cap = target, eps_hat, eps_cap
        self.welfare, self.mu, self.rho = welfare, mu, rho
        self.uhat = eps_cap - eps_hat
        self.n = len(eps_hat)
        with np.errstate(divide="ignore"):
            self.offset = np.log(target) + mu * welfare

    def player_sums(self, alpha):
        return np.bincount(self.owner, weights=alpha, minlength=self.n)

    # dual
    def sigma_eps(self, alpha):
        S = self.player_sums(alpha)
        logits = self.offset - self.AT @ alpha
        m = logits.max()
        z = np.exp(logits - m)
        total = z.sum()
        e = self.eps_hat - self.uhat * np.expm1(-S / self.rho)
        return z / total, e, m + math.log(total), S

    def loss_grad(self, alpha):
        sigma, e, lse, S = self.sigma_eps(alpha)
        loss = lse + float(np.dot(self.eps_cap, S) + self.rho * np.dot(self.uhat, np.expm1(-S / self.rho)))
        return loss, e[self.owner] - self.A @ sigma

    def kkt(self, alpha):
        sigma, e, _, _ = self.sigma_eps(alpha)
        g = e[self.owner] - self.A @ sigma
        return float(max(np.max(np.maximum(-g, 0.0), initial=0.0), np.max(np.maximum(alpha, 0) * np.abs(g), initial=0.0)))

    # primal
    def primal(self, sigma, e):
        s = np.maximum(sigma, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = float(np.sum(np.where(s > 0, s * (np.log(s) - np.log(self.target)), 0.0)))
        u = self.eps_cap - e
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(u > 0, u * np.log(u / self.uhat) - u + self.uhat, np.where(u == 0, self.uhat, np.inf))
        return float(self.mu * self.welfare @ s - kl - self.rho * np.sum(d))

    def violation(self, sigma, e):
        return float(max(np.max(self.A @ sigma - e[self.owner], initial=0.0), np.max(-sigma, initial=0.0),
                         abs(sigma.sum() - 1.0)))


CLARABEL_TIME_LIMIT = 600.0   # seconds per solve; the sweep skips sizes where Clarabel cannot finish


def mwmre_clarabel(prob, tolerance=1e-12):
    """The MWMRE primal straight into Clarabel (no modelling layer), exponential cones:
    variables z = (σ [J], ε [n], t [J], r [n]); maximise Σ t + (log σ̂ + μW)·σ − ρ Σ_p (r_p − u_p)
    (+ a constant) with u = ε⁺ − ε, s.t. Σσ = 1 (zero cone), Aσ − Pε ≤ 0 (non-negative cone),
    (t_j, σ_j, 1) ∈ K_exp (t_j ≤ −σ_j log σ_j) and (−r_p, u_p, û_p) ∈ K_exp (r_p ≥ u_p log(u_p/û_p)).
    Tolerances 1e-12 (gap, feasibility), KKT ratio 1e-10, at most 500 iterations, one thread."""
    import clarabel
    from scipy import sparse
    A, n = prob.A, prob.n
    R, J = A.shape
    if not np.isfinite(prob.rho):
        raise ValueError("rho = inf is not formulated for Clarabel here")
    nv = 2 * J + 2 * n                                    # σ, ε, t, r
    ix, ie, it, ir = 0, J, J + n, 2 * J + n
    with np.errstate(divide="ignore"):
        c = np.log(prob.target) + prob.mu * prob.welfare
    if not np.all(np.isfinite(c)):
        raise ValueError("a zero target entry (log 0) is not formulated for Clarabel here")
    q = np.zeros(nv)
    q[ix:ix + J] = -c
    q[ie:ie + n] = prob.rho          # −ρ(−u_p) = ρ(ε_p − ε⁺_p): ε part
    q[it:it + J] = -1.0
    q[ir:ir + n] = prob.rho
    P = sparse.csc_matrix((nv, nv))
    owner_matrix = sparse.csr_matrix((np.ones(R), (np.arange(R), prob.owner)), shape=(R, n))
    # exponential cone rows: s = b − A z, three rows per cone
    jr = np.arange(J)
    exp_sigma_rows = sparse.csr_matrix((-np.ones(2 * J), (np.concatenate([3 * jr, 3 * jr + 1]),
                                                          np.concatenate([it + jr, ix + jr]))), shape=(3 * J, nv))
    b_sigma = np.zeros(3 * J)
    b_sigma[2::3] = 1.0
    pr = np.arange(n)
    exp_eps_rows = sparse.csr_matrix((np.ones(2 * n), (np.concatenate([3 * pr, 3 * pr + 1]),
                                                       np.concatenate([ir + pr, ie + pr]))), shape=(3 * n, nv))
    b_eps = np.zeros(3 * n)
    b_eps[1::3] = prob.eps_cap
    b_eps[2::3] = prob.uhat
    Amat = sparse.vstack([
        sparse.hstack([sparse.csr_matrix(np.ones((1, J))), sparse.csr_matrix((1, nv - J))]),
        sparse.hstack([A, -owner_matrix, sparse.csr_matrix((R, J + n))]),
        exp_sigma_rows, exp_eps_rows]).tocsc()
    b = np.concatenate([[1.0], np.zeros(R), b_sigma, b_eps])
    cones = [clarabel.ZeroConeT(1), clarabel.NonnegativeConeT(R)] + [clarabel.ExponentialConeT()] * (J + n)
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    settings.max_threads = 1
    settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = tolerance
    settings.tol_ktratio = min(1e-6, tolerance * 100)
    settings.max_iter = 500
    settings.time_limit = CLARABEL_TIME_LIMIT
    solution = clarabel.DefaultSolver(P, q, Amat, b, cones, settings).solve()
    status = str(solution.status)
    x = np.asarray(solution.x)
    if not np.all(np.isfinite(x)) or len(x) != nv:
        return None, None, None, "failed:" + status, solution.iterations
    alpha = np.asarray(solution.z)[1:1 + R]
    return x[ix:ix + J].copy(), x[ie:ie + n].copy(), alpha, ("optimal" if status == "Solved" else status), \
        solution.iterations


def mwmre_lbfgsb(prob, tight):
    """scipy's L-BFGS-B on the dual from α = 0 (our own start), loss and gradient in one call."""
    from scipy.optimize import Bounds, minimize
    m = prob.A.shape[0]
    options = dict(maxiter=100000, maxfun=200000, ftol=1e-15, gtol=1e-12) if tight else {}
    res = minimize(prob.loss_grad, np.zeros(m), jac=True, method="L-BFGS-B", bounds=Bounds(np.zeros(m), np.inf),
                   options=options)
    sigma, e, _, _ = prob.sigma_eps(res.x)
    return sigma, e, res.x, ("optimal" if res.success else "stopped: " + str(res.message)), int(res.nit)


# ----------------------------------------------------------------------------------------------
# Running

def stats(times):
    t = np.sort(np.asarray(times))
    if len(t) == 0:
        return None, None
    return float(np.percentile(t, 50)), float(np.percentile(t, 90))


def settle():
    """After a warm-up: collect once and freeze what survives, so that the garbage collector's full
    passes over the long-lived heap (cvxpy's caches, our arrays) do not land inside a timed solve."""
    gc.collect()
    gc.freeze()


def nanmax(values):
    v = [x for x in values if x is not None and np.isfinite(x)]
    return float(max(v)) if v else None


def run_lp(work, games, ours, caps, log):
    concept = work["concept"]
    payoffs_all = games["payoffs"]
    count = work["count"]
    results = {}
    n_players = payoffs_all.shape[1]
    prepared = []
    for i in range(count):
        payoffs = payoffs_all[i]
        A, owner = gain_matrix(payoffs, concept)
        welfare = payoffs.reshape(n_players, -1).sum(axis=0)
        prepared.append((payoffs, A, welfare))
    highs_config, calibration = calibrate_highs(prepared, caps.get("highspy", count))

    def check(sigma, i):
        payoffs, A, welfare = prepared[i]
        viol = float(max(np.max(A @ sigma, initial=0.0), np.max(-sigma), abs(sigma.sum() - 1)))
        return float(welfare @ sigma), viol

    # ours, checked by the same code
    rows = []
    for i in range(count):
        obj, viol = check(ours["joint"][i], i)
        rows.append(dict(obj=obj, viol=viol, ok=int(ours["status"][i]) == 0))
    results["ours"] = ours_summary(ours, count, rows)
    results["ours"]["kkt_median"] = None

    peers = [
        ("highspy", lambda i: lp_highspy(prepared[i][1], prepared[i][2], highs_config)),
        ("scipy-linprog", lambda i: lp_linprog(prepared[i][1], prepared[i][2])),
        ("openspiel-mw", lambda i: lp_openspiel(prepared[i][0], concept)),
        ("openspiel-mg", lambda i: lp_openspiel(prepared[i][0], concept, gini=True)),
    ]
    for name, solve in peers:
        k = min(count, caps.get(name, count))
        if k <= 0 or (PEERS and name not in PEERS):
            continue
        if prepared[0][1].shape[1] <= 1024:   # the warm-up rule of bench
            try:
                solve(0)  # warm-up
            except Exception:
                pass
        settle()
        times, rows = [], []
        wall0 = time.time()
        rss_start = resident_kb()
        for i in range(k):
            if i > 0 and GAME_LIMIT and max(times) > GAME_LIMIT:
                break
            t0 = time.thread_time()
            try:
                sigma, ok = solve(i)
            except Exception as exc:  # a failure is counted, never dropped, at the time it took
                times.append(time.thread_time() - t0)
                rows.append(dict(failed=True, error=repr(exc)[:200]))
                continue
            t = time.thread_time() - t0
            times.append(t)
            obj, viol = check(sigma, i)
            row = dict(obj=obj, viol=viol, ok=ok, failed=not ok or not np.all(np.isfinite(sigma)))
            if "solver_time" in LAST:
                row["solver_time"] = LAST.pop("solver_time")
            if name == "openspiel-mg" and t >= 0.95 * MG_TIME_LIMIT:
                row.update(failed=True, error=f"OSQP time limit ({MG_TIME_LIMIT:g} s) reached")
            if name != "openspiel-mg":
                row["dobj"] = abs(obj - float(ours["objective"][i]))
                row["dsigma"] = float(np.max(np.abs(sigma - ours["joint"][i])))
            rows.append(row)
        stopped = len(times) < k
        k = len(times)
        pooled = more_passes(times, wall0, k, solve) if not stopped else list(times)
        results[name] = summarise(pooled, rows, None, compare=(name != "openspiel-mg"))
        results[name]["passes"] = len(pooled) // max(k, 1)
        results[name]["games"] = k
        memory(results[name], rss_start, stopped)
        if name == "highspy":
            results[name].update(config=highs_config, calibration=calibration)
        log(f"  {work['name']:<28} {name:<20} {k:4d} games  median {results[name]['median'] * 1e6:10.1f} µs  "
            f"total {sum(times):6.1f} s  failed {results[name]['failed']}")
    return results


def run_mwmre(work, games, ours, caps, log):
    concept = work["concept"]
    payoffs_all = games["payoffs"]
    count = work["count"]
    problems = []
    for i in range(count):
        A, owner = gain_matrix(payoffs_all[i], concept)
        problems.append(MWMRE(A, owner, ours["target"][i], ours["eps_hat"][i], ours["eps_cap"][i],
                              ours["welfare"][i], float(ours["mu"][i]), float(ours["rho"][i])))
    results = {}
    ours_p = []
    rows = []
    for i, prob in enumerate(problems):
        sigma, e, alpha = ours["joint"][i], ours["epsilon"][i], ours["duals"][i]
        p = prob.primal(sigma, e)
        ours_p.append(p)
        check_l = abs(prob.loss_grad(alpha)[0] - float(ours["dual_objective"][i])) if np.all(np.isfinite(alpha)) else None
        rows.append(dict(obj=p, viol=prob.violation(sigma, e), kkt=prob.kkt(alpha), ok=int(ours["status"][i]) == 0,
                         check_p=abs(p - float(ours["objective"][i])), check_l=check_l,
                         iterations=int(ours["iterations"][i]),
                         kkt_own=float(ours["kkt"][i]), gap=float(ours["gap"][i])))
    results["ours"] = ours_summary(ours, count, rows)

    peers = [
        ("clarabel", lambda prob: mwmre_clarabel(prob)),
        ("scipy-lbfgsb", lambda prob: mwmre_lbfgsb(prob, tight=False)),
        ("scipy-lbfgsb-tight", lambda prob: mwmre_lbfgsb(prob, tight=True)),
    ]
    for name, solve in peers:
        k = min(count, caps.get(name, count))
        if k <= 0 or (PEERS and name not in PEERS):
            continue
        if problems[0].A.shape[1] <= 1024:   # the warm-up rule of bench
            try:
                solve(problems[0])
            except Exception:
                pass
        settle()
        times, rows = [], []
        wall0 = time.time()
        rss_start = resident_kb()
        for i in range(k):
            if i > 0 and GAME_LIMIT and max(times) > GAME_LIMIT:
                break
            prob = problems[i]
            t0 = time.thread_time()
            try:
                sigma, e, alpha, status, iterations = solve(prob)
            except Exception as exc:
                times.append(time.thread_time() - t0)
                rows.append(dict(failed=True, error=repr(exc)[:200]))
                continue
            t = time.thread_time() - t0
            times.append(t)
            if sigma is None:
                rows.append(dict(failed=True, error=status))
                continue
            p = prob.primal(sigma, e)
            row = dict(obj=p, viol=prob.violation(sigma, e), ok=(status == "optimal"), failed=False, iterations=iterations,
                       status=status, dobj=abs(p - ours_p[i]), dsigma=float(np.max(np.abs(sigma - ours["joint"][i]))),
                       kkt=(prob.kkt(alpha) if alpha is not None else None))
            rows.append(row)
        stopped = len(times) < k
        k = len(times)
        pooled = more_passes(times, wall0, k, lambda i: solve(problems[i])) if not stopped else list(times)
        results[name] = summarise(pooled, rows, None, compare=True)
        results[name]["passes"] = len(pooled) // max(k, 1)
        results[name]["games"] = k
        memory(results[name], rss_start, stopped)
        log(f"  {work['name']:<28} {name:<20} {k:4d} games  median {results[name]['median'] * 1e6:10.1f} µs  "
            f"total {sum(times):6.1f} s  failed {results[name]['failed']}")
    return results


PEER_SECONDS = 1.0
MAX_PASSES = 200
PEERS = set()        # --peers: only these peers (all when empty)
GAME_LIMIT = 0.0     # --game-limit: stop a peer's games once one took longer than this (s); 0: never


def resident_kb():
    """The resident set now, in KiB (/proc/self/statm)."""
    try:
        return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return None


def memory(result, rss_start, stopped):
    """The process's resident set before the peer's first timed game and its peak so far (KiB): the
    sweep runs each peer in a process of its own, so the peak is that peer's on that workload (with
    the interpreter, numpy and the games, which rss_start_kb shows)."""
    import resource
    result["rss_start_kb"] = rss_start
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if stopped:
        result["stopped"] = (f"stopped after {result['games']} game(s): one took "
                             f"{max(result['times']):.1f} s (--game-limit {GAME_LIMIT:g} s)")


def run_forked(work, games, ours, caps, log, timeout):
    """Each peer of PEERS on `work` in a child forked from this process (numpy, scipy and the peers'
    modules imported once, here, before the fork), so that each child's peak resident set is its
    peer's: the interpreter, the libraries and the games, which every child shares, plus what the
    peer itself needs. A child that fails or outlives `timeout` is recorded with the reason."""
    import signal
    import tempfile
    import scipy.optimize  # noqa: F401  (imported before the fork, shared by every child)
    import scipy.sparse  # noqa: F401
    if work["problem"] == "mw":
        import highspy  # noqa: F401
    else:
        import clarabel  # noqa: F401
    results = {}
    for peer in sorted(PEERS) or ["ours-only"]:
        handle, path = tempfile.mkstemp(suffix=".json")
        os.close(handle)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.alarm(max(1, int(timeout)))
                PEERS.clear()
                PEERS.add(peer)
                run = run_lp if work["problem"] == "mw" else run_mwmre
                json.dump(run(work, games, ours, caps, log), open(path, "w"))
            except BaseException:  # the parent records the failure; a child never returns
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        child = {}
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            child = json.load(open(path))
        os.unlink(path)
        if "ours" in child and "ours" not in results:
            results["ours"] = child["ours"]
        if peer in child:
            results[peer] = child[peer]
        elif peer != "ours-only":
            why = ("timed out" if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM
                   else f"failed (status {status})")
            results.setdefault("skipped", {})[peer] = f"{why} after at most {timeout:g} s"
    return results


def calibrate_highs(prepared, k):
    """highspy at its best: each of HIGHS_CONFIGS solves the first (up to) three games once, and
    the fastest total (thread CPU time) is the configuration timed. Returns it and the totals."""
    if k <= 0 or (PEERS and "highspy" not in PEERS):
        return "simplex", {}
    games = prepared[:min(3, k)]
    totals = {}
    for config in HIGHS_CONFIGS:
        lp_highspy(games[0][1], games[0][2], config)   # warm-up of this configuration
        t0 = time.thread_time()
        for _, A, welfare in games:
            lp_highspy(A, welfare, config)
        totals[config] = time.thread_time() - t0
    LAST.pop("solver_time", None)
    return min(totals, key=totals.get), totals


def more_passes(times, wall0, k, solve):
    """The same treatment as ours (bench --seconds): a peer whose pass over the games took less than
    PEER_SECONDS of wall time solves them again, pass after pass, until it has been timed that long;
    all passes are pooled. Slow peers do one pass."""
    pooled = list(times)
    passes = 1
    while time.time() - wall0 < PEER_SECONDS and passes < MAX_PASSES and k > 0:
        for i in range(k):
            t0 = time.thread_time()
            try:
                solve(i)
            except Exception:
                pass
            pooled.append(time.thread_time() - t0)
        passes += 1
    return pooled


def ours_summary(ours, count, rows):
    """Ours: every pass over the games pooled (see bench's --seconds), so that our median and p90
    sample the machine's changing speed the way the peers' longer runs do."""
    pooled = ours["time_passes"][:, :count].ravel() if "time_passes" in ours else ours["time"][:count]
    out = summarise(list(pooled), rows, None)
    out["games"] = count
    out["passes"] = int(ours["time_passes"].shape[0]) if "time_passes" in ours else 1
    out["times"] = [float(t) for t in ours["time"][:count]]
    out["median_first_pass"], out["p90_first_pass"] = stats(ours["time"][:count])
    return out


def summarise(times, rows, _unused, compare=False):
    finite = [t for t in times if np.isfinite(t)]
    med, p90 = stats(finite)
    out = dict(games=len(times), median=med, p90=p90, times=[float(t) for t in times])
    out["failed"] = sum(1 for r in rows if r.get("failed"))
    out["not_ok"] = sum(1 for r in rows if not r.get("failed") and not r.get("ok", True))
    out["max_violation"] = nanmax(r.get("viol") for r in rows)
    inner = [r["solver_time"] for r in rows if r.get("solver_time") is not None]
    if inner:
        out["solver_time_median"] = float(np.median(inner))
    its = [r["iterations"] for r in rows if r.get("iterations") is not None]
    out["iterations_median"] = float(np.median(its)) if its else None
    out["iterations_mean"] = float(np.mean(its)) if its else None
    statuses = {}
    for r in rows:
        if "status" in r:
            statuses[r["status"][:60]] = statuses.get(r["status"][:60], 0) + 1
    if statuses:
        out["statuses"] = statuses
    kkts = [r["kkt"] for r in rows if r.get("kkt") is not None and np.isfinite(r["kkt"])]
    out["kkt_median"] = float(np.median(kkts)) if kkts else None
    out["kkt_max"] = float(np.max(kkts)) if kkts else None
    if any("check_p" in r for r in rows):
        out["check_p_max"] = nanmax(r.get("check_p") for r in rows)
        out["check_l_max"] = nanmax(r.get("check_l") for r in rows)
    if any("gap" in r for r in rows):
        gaps = [r["gap"] for r in rows if np.isfinite(r.get("gap", np.nan))]
        out["gap_max"] = float(max(gaps)) if gaps else None
        out["gap_median"] = float(np.median(gaps)) if gaps else None
        owns = [r["kkt_own"] for r in rows if np.isfinite(r.get("kkt_own", np.nan))]
        out["kkt_own_max"] = float(max(owns)) if owns else None
        out["kkt_own_median"] = float(np.median(owns)) if owns else None
    if compare:
        out["max_dobj"] = nanmax(r.get("dobj") for r in rows)
        out["max_dsigma"] = nanmax(r.get("dsigma") for r in rows)
        ds = [r["dsigma"] for r in rows if r.get("dsigma") is not None and np.isfinite(r["dsigma"])]
        out["median_dsigma"] = float(np.median(ds)) if ds else None
        out["inaccurate"] = sum(1 for r in rows if not r.get("failed") and (
            (r.get("viol") or 0) > TOL_VIOLATION or (r.get("dsigma") or 0) > TOL_SIGMA or not r.get("ok", True)))
        out["errors"] = sorted({r["error"] for r in rows if "error" in r})[:3]
    return out


def environment():
    info = dict(python=sys.version.split()[0], platform=platform.platform())
    for mod in ["numpy", "scipy", "highspy", "cvxpy", "clarabel", "ecos", "osqp", "open_spiel"]:
        try:
            m = __import__(mod)
            info[mod] = getattr(m, "__version__", None)
        except Exception as exc:
            info[mod] = "missing"
    try:
        from importlib.metadata import version
        info["open_spiel"] = version("open_spiel")
        info["highspy"] = version("highspy")
    except Exception:
        pass
    try:
        import threadpoolctl
        import scipy.linalg  # noqa: F401  (loads scipy's own OpenBLAS, so that it is listed too)
        info["blas"] = [dict({k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads")},
                             library=os.path.basename(os.path.dirname(d.get("filepath", ""))) + "/"
                             + os.path.basename(d.get("filepath", "")))
                        for d in threadpoolctl.threadpool_info()]
    except Exception:
        info["blas"] = "threadpoolctl missing"
    info["env"] = {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE",
                                                   "OPENBLAS_L2_SIZE")}
    return info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--caps", default="", help="peer=count for 8x8 and 4x4x4 workloads, e.g. clarabel=50")
    ap.add_argument("--caps-large", default="", help="the same for 16x16 workloads")
    ap.add_argument("--manifest", default="manifest.json", help="the manifest's file name in DIR")
    ap.add_argument("--fork-each-peer", action="store_true",
                    help="run each peer (of --peers) in a forked child, for its own peak resident set")
    ap.add_argument("--peer-timeout", type=float, default=900.0, help="with --fork-each-peer: seconds per peer")
    ap.add_argument("--no-environment", action="store_true",
                    help="do not record the peers' versions (which imports every peer: seconds and 150 MB)")
    ap.add_argument("--peers", default="", help="only these peers, comma-separated (all by default)")
    ap.add_argument("--game-limit", type=float, default=0.0,
                    help="stop a peer's games once one took longer than this many seconds (0: never)")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--seconds", type=float, default=1.0,
                    help="time each peer on each workload for at least this long (repeated passes, pooled)")
    ap.add_argument("--sweep-seconds", type=float, default=0.3, help="the same for the sweep")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    def parse(text):
        return {k: int(v) for k, v in (item.split("=") for item in text.split(",") if item)}

    caps, caps_large = parse(args.caps), parse(args.caps_large)
    global PEER_SECONDS, GAME_LIMIT
    PEERS.update(p for p in args.peers.split(",") if p)
    GAME_LIMIT = args.game_limit
    manifest = json.load(open(os.path.join(args.dir, args.manifest)))
    out = dict(environment={} if args.no_environment else environment(), workloads={})
    loads = [open("/proc/loadavg").read().split()[:3]]

    def log(msg):
        print(msg, flush=True)

    start = time.time()
    for work in manifest:
        name = work["name"]
        if args.only and not any(name.startswith(s) for s in args.only):
            continue
        games = np.load(os.path.join(args.dir, work["games"]))
        ours = np.load(os.path.join(args.dir, work["ours"]))
        PEER_SECONDS = args.sweep_seconds if name.startswith("sweep-") else args.seconds
        large = int(np.prod(work["shape"])) > 100
        c = {} if name.startswith("sweep-") else caps_large if large else caps
        if work["method"] == "lbfgsb" or name.endswith("-1e-6"):
            # our L-BFGS-B: reference row only, the peers ran on the Newton workload
            res = run_mwmre(work, games, ours, {"clarabel": 0, "scipy-lbfgsb": 0, "scipy-lbfgsb-tight": 0}, log)
        elif args.fork_each_peer:
            res = run_forked(work, games, ours, c, log, args.peer_timeout)
        elif work["problem"] == "mw":
            res = run_lp(work, games, ours, c, log)
        else:
            res = run_mwmre(work, games, ours, c, log)
        out["workloads"][name] = dict(work=work, results=res)
        loads.append(open("/proc/loadavg").read().split()[:3])
    out["loadavg"] = loads
    out["elapsed"] = time.time() - start
    path = args.out or os.path.join(args.dir, "peers.json")
    json.dump(out, open(path, "w"), indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
