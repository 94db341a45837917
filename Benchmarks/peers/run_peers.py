"""The peers' half of the side-by-side benchmark (issue 7).

    python3 peers/run_peers.py DIR [--caps small=...,large=...] [--sweep] [--out DIR/peers.json]

DIR is what `.build/release/bench --out DIR` wrote: manifest.json, the game sets (games-*.npz:
payoffs [K, N, n_1..n_N], row-major, player N fastest) and our results (ours-*.npz: time, status,
joint, epsilon, objective, duals, kkt, gap, and for MWMRE the exact parameters solved: target,
eps_hat, eps_cap, welfare, mu, rho). Every peer solves the very same games with the same
objective and parameters, and every answer (ours included) is checked here by the same numpy code:

  max-welfare (C)CE (LP):  highspy (HiGHS called directly), scipy.optimize.linprog (HiGHS),
                           OpenSpiel JPSRO `_mwce` / `_mwcce` (cvxpy + ECOS), and for reference the
                           max-Gini `_mgce` / `_mgcce` (cvxpy + OSQP; another objective: time only)
  MWMRE (ME, MRE, eps-MWME): cvxpy + Clarabel on the primal (exp cones, tolerances 1e-12) and
                           scipy L-BFGS-B on the dual of docs/reference.md §3 (numpy loss and gradient), with
                           scipy's default tolerances and with tight ones.

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
    """Dense gain matrix [R, |A|] in canonical order and the owner (player) of each row."""
    n_players = payoffs.shape[0]
    shape = payoffs.shape[1:]
    joint = int(np.prod(shape))
    blocks, owners = [], []
    for p in range(n_players):
        n = shape[p]
        g = np.moveaxis(payoffs[p], p, 0).reshape(n, -1)                       # [n_p, |A|/n_p]
        idx = np.moveaxis(np.arange(joint).reshape(shape), p, 0).reshape(n, -1)
        if concept == "ce":
            r_idx, k_idx = np.nonzero(~np.eye(n, dtype=bool))                   # r ascending, then k
            block = np.zeros((len(r_idx), joint))
            rows = np.repeat(np.arange(len(r_idx)), idx.shape[1])
            block[rows, idx[r_idx].ravel()] = (g[k_idx] - g[r_idx]).ravel()
        else:
            block = np.zeros((n, joint))
            # row k: G_p(k, a_-p) - G_p(a) at every a (own action r = any)
            diff = g[:, None, :] - g[None, :, :]                                 # [k, r, rest]
            block[:, idx.ravel()] = diff.reshape(n, -1)
        blocks.append(block)
        owners += [p] * block.shape[0]
    return np.vstack(blocks), np.array(owners)


# ----------------------------------------------------------------------------------------------
# Max-welfare LP peers

LAST = {}


def lp_highspy(A, welfare):
    import highspy
    joint = A.shape[1]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = joint
    lp.num_row_ = A.shape[0] + 1
    lp.col_cost_ = -welfare
    lp.col_lower_ = np.zeros(joint)
    lp.col_upper_ = np.full(joint, inf)
    lp.row_lower_ = np.concatenate([np.full(A.shape[0], -inf), [1.0]])
    lp.row_upper_ = np.concatenate([np.zeros(A.shape[0]), [1.0]])
    nz = A != 0
    counts = nz.sum(axis=1)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(counts), [counts.sum() + joint]]).astype(np.int32)
    lp.a_matrix_.index_ = np.concatenate([np.nonzero(nz)[1], np.arange(joint)]).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate([A[nz], np.ones(joint)])
    h.passModel(lp)
    t0 = time.thread_time()
    h.run()
    LAST["solver_time"] = time.thread_time() - t0   # HiGHS's own solve, without the Python model building
    ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return np.array(h.getSolution().col_value), ok


def lp_linprog(A, welfare):
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix
    joint = A.shape[1]
    res = linprog(-welfare, A_ub=csr_matrix(A), b_ub=np.zeros(A.shape[0]), A_eq=np.ones((1, joint)), b_eq=[1.0],
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
    """One problem: gains A [R, J], owners, target, eps_hat, eps_cap, welfare, mu, rho."""

    def __init__(self, A, owner, target, eps_hat, eps_cap, welfare, mu, rho):
        self.A, self.owner = A, owner
        self.target, self.eps_hat, self.eps_cap = target, eps_hat, eps_cap
        self.welfare, self.mu, self.rho = welfare, mu, rho
        self.uhat = eps_cap - eps_hat
        self.n = len(eps_hat)
        self.P = np.zeros((A.shape[0], self.n))
        self.P[np.arange(A.shape[0]), owner] = 1.0
        with np.errstate(divide="ignore"):
            self.offset = np.log(target) + mu * welfare

    # dual
    def sigma_eps(self, alpha):
        S = self.P.T @ alpha
        logits = self.offset - self.A.T @ alpha
        m = logits.max()
        z = np.exp(logits - m)
        total = z.sum()
        e = self.eps_hat - self.uhat * np.expm1(-S / self.rho)
        return z / total, e, m + math.log(total), S

    def loss_grad(self, alpha):
        sigma, e, lse, S = self.sigma_eps(alpha)
        loss = lse + float(np.sum(self.eps_cap * S + self.rho * self.uhat * np.expm1(-S / self.rho)))
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


def mwmre_clarabel(prob):
    import cvxpy as cp
    joint = prob.A.shape[1]
    x = cp.Variable(joint)
    e = cp.Variable(prob.n)
    u = prob.eps_cap - e
    log_target = np.log(prob.target)
    objective = cp.sum(cp.entr(x)) + (log_target + prob.mu * prob.welfare) @ x \
        - prob.rho * cp.sum(cp.rel_entr(u, prob.uhat) - u + prob.uhat)
    gains = prob.A @ x <= prob.P @ e
    problem = cp.Problem(cp.Maximize(objective), [gains, cp.sum(x) == 1])
    problem.solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, tol_ktratio=1e-10,
                  max_iter=500)
    status = problem.status
    iterations = getattr(problem.solver_stats, "num_iters", None)
    if x.value is None:
        return None, None, None, "failed:" + str(status), iterations
    alpha = np.asarray(gains.dual_value, dtype=float) if gains.dual_value is not None else None
    return np.asarray(x.value, dtype=float), np.asarray(e.value, dtype=float), alpha, status, iterations


def mwmre_lbfgsb(prob, tight):
    from scipy.optimize import minimize
    m = prob.A.shape[0]
    options = dict(maxiter=100000, maxfun=200000, ftol=1e-15, gtol=1e-12) if tight else {}
    res = minimize(prob.loss_grad, np.zeros(m), jac=True, method="L-BFGS-B", bounds=[(0, None)] * m,
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
        ("highspy", lambda i: lp_highspy(prepared[i][1], prepared[i][2])),
        ("scipy-linprog", lambda i: lp_linprog(prepared[i][1], prepared[i][2])),
        ("openspiel-mw", lambda i: lp_openspiel(prepared[i][0], concept)),
        ("openspiel-mg", lambda i: lp_openspiel(prepared[i][0], concept, gini=True)),
    ]
    for name, solve in peers:
        k = min(count, caps.get(name, count))
        if k <= 0:
            continue
        try:
            solve(0)  # warm-up
        except Exception:
            pass
        settle()
        times, rows = [], []
        wall0 = time.time()
        for i in range(k):
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
        pooled = more_passes(times, wall0, k, solve)
        results[name] = summarise(pooled, rows, None, compare=(name != "openspiel-mg"))
        results[name]["passes"] = len(pooled) // max(k, 1)
        results[name]["games"] = k
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
        ("cvxpy-clarabel", lambda prob: mwmre_clarabel(prob)),
        ("scipy-lbfgsb", lambda prob: mwmre_lbfgsb(prob, tight=False)),
        ("scipy-lbfgsb-tight", lambda prob: mwmre_lbfgsb(prob, tight=True)),
    ]
    for name, solve in peers:
        k = min(count, caps.get(name, count))
        if k <= 0:
            continue
        try:
            solve(problems[0])
        except Exception:
            pass
        settle()
        times, rows = [], []
        wall0 = time.time()
        for i in range(k):
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
        pooled = more_passes(times, wall0, k, lambda i: solve(problems[i]))
        results[name] = summarise(pooled, rows, None, compare=True)
        results[name]["passes"] = len(pooled) // max(k, 1)
        results[name]["games"] = k
        log(f"  {work['name']:<28} {name:<20} {k:4d} games  median {results[name]['median'] * 1e6:10.1f} µs  "
            f"total {sum(times):6.1f} s  failed {results[name]['failed']}")
    return results


PEER_SECONDS = 1.0
MAX_PASSES = 200


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
    ap.add_argument("--caps", default="", help="peer=count for 8x8 and 4x4x4 workloads, e.g. cvxpy-clarabel=50")
    ap.add_argument("--caps-large", default="", help="the same for 16x16 workloads")
    ap.add_argument("--caps-sweep", default="", help="highspy=N,scipy-lbfgsb=N for the sweep")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--seconds", type=float, default=1.0,
                    help="time each peer on each workload for at least this long (repeated passes, pooled)")
    ap.add_argument("--sweep-seconds", type=float, default=0.3, help="the same for the sweep")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    def parse(text):
        return {k: int(v) for k, v in (item.split("=") for item in text.split(",") if item)}

    caps, caps_large, caps_sweep = parse(args.caps), parse(args.caps_large), parse(args.caps_sweep)
    global PEER_SECONDS
    manifest = json.load(open(os.path.join(args.dir, "manifest.json")))
    out = dict(environment=environment(), workloads={}, sweep={})
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
        if name.startswith("sweep-"):
            k = work["count"]
            if work["problem"] == "mw":
                res = run_lp(work, games, ours, {"highspy": caps_sweep.get("highspy", k), "scipy-linprog": 0,
                                                 "openspiel-mw": 0, "openspiel-mg": 0}, log)
            else:
                joint = int(np.prod(work["shape"]))
                cap = caps_sweep.get("scipy-lbfgsb", k) if joint <= caps_sweep.get("lbfgsb-max-joint", 10**9) else 0
                res = run_mwmre(work, games, ours, {"cvxpy-clarabel": 0, "scipy-lbfgsb": cap,
                                                    "scipy-lbfgsb-tight": 0}, log)
            out["sweep"][name] = dict(work=work, results=res)
            continue
        large = int(np.prod(work["shape"])) > 100
        c = caps_large if large else caps
        if work["method"] == "lbfgsb" or name.endswith("-1e-6"):
            # our L-BFGS-B: reference row only, the peers ran on the Newton workload
            res = run_mwmre(work, games, ours, {"cvxpy-clarabel": 0, "scipy-lbfgsb": 0, "scipy-lbfgsb-tight": 0}, log)
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
