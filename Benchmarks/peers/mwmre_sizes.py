"""scipy's L-BFGS-B on the very problems `mwmre-benchmark --out FILE.npz` solved, side by side.

    python3 peers/mwmre_sizes.py FILE.npz [--passes 3] [--skip-tight]

The peer at its best: the gain matrix in CSR (built outside the timed region), a vectorised loss and
gradient of the same dual (docs/reference.md §3), the same start α = 0, bounds α ≥ 0; once with
scipy's default tolerances and once with tight ones (ftol 1e-15, gtol 1e-12). Times are thread CPU
time of `minimize` (median over the passes per game); the ratio is the peer's median over ours.
"""
import argparse
import math
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix


def gain_matrix(payoffs, concept):
    """Sparse gain rows in canonical order (docs/reference.md §1) and each row's player."""
    shape = payoffs.shape[1:]
    joint = int(np.prod(shape))
    index = np.arange(joint).reshape(shape)
    rows, cols, vals, owner = [], [], [], []
    r0 = 0
    for p, n in enumerate(shape):
        g = np.moveaxis(payoffs[p], p, 0).reshape(n, -1)
        idx = np.moveaxis(index, p, 0).reshape(n, -1)
        if concept == "ce":
            for r in range(n):
                for k in range(n):
                    if k == r:
                        continue
                    rows.append(np.full(idx.shape[1], r0))
                    cols.append(idx[r])
                    vals.append(g[k] - g[r])
                    owner.append(p)
                    r0 += 1
        else:
            for k in range(n):
                mask = np.arange(n) != k
                rows.append(np.full(idx[mask].size, r0))
                cols.append(idx[mask].ravel())
                vals.append((g[k][None, :] - g[mask]).ravel())
                owner.append(p)
                r0 += 1
    A = csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r0, joint))
    return A, np.array(owner)


class Dual:
    def __init__(self, A, owner, target, eps_hat, eps_cap, welfare, mu, rho):
        self.A, self.At, self.owner = A, A.T.tocsr(), owner
        self.eps_hat, self.eps_cap, self.rho = eps_hat, eps_cap, rho
        self.uhat = eps_cap - eps_hat
        self.n = len(eps_hat)
        self.offset = np.log(target) + mu * welfare

    def parts(self, alpha):
        S = np.bincount(self.owner, weights=alpha, minlength=self.n)
        logits = self.offset - self.At @ alpha
        m = logits.max()
        z = np.exp(logits - m)
        total = z.sum()
        m1 = np.expm1(-S / self.rho)
        return z / total, self.eps_hat - self.uhat * m1, m + math.log(total), S, m1

    def loss_grad(self, alpha):
        sigma, e, lse, S, m1 = self.parts(alpha)
        loss = lse + float(np.sum(self.eps_cap * S + self.rho * self.uhat * m1))
        return loss, e[self.owner] - self.A @ sigma

    def kkt(self, alpha):
        sigma, e, _, _, _ = self.parts(alpha)
        g = e[self.owner] - self.A @ sigma
        return float(max(np.max(np.maximum(-g, 0)), np.max(np.maximum(alpha, 0) * np.abs(g))))


def solve(dual, tight):
    m = dual.A.shape[0]
    options = dict(maxiter=100000, maxfun=200000, ftol=1e-15, gtol=1e-12) if tight else {}
    t0 = time.thread_time()
    res = minimize(dual.loss_grad, np.zeros(m), jac=True, method="L-BFGS-B", bounds=[(0, None)] * m, options=options)
    return time.thread_time() - t0, res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--concept", default=None, help="ce or cce (default: from the file name)")
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--skip-tight", action="store_true")
    a = ap.parse_args()
    data = np.load(a.file)
    concept = a.concept or ("cce" if "-cce-" in a.file else "ce")
    ours = np.median(data["time"])
    line = [f"{a.file}: ours median {ours * 1e3:.3f} ms, {data['iterations'].mean():.1f} it, "
            f"max KKT {data['kkt'].max():.1e}"]
    for tight in ([False] if a.skip_tight else [False, True]):
        times, its, kkts, objs = [], [], [], []
        for i in range(data["payoffs"].shape[0]):
            A, owner = gain_matrix(data["payoffs"][i], concept)
            dual = Dual(A, owner, data["target"][i], data["eps_hat"][i], data["eps_cap"][i], data["welfare"][i],
                        float(data["mu"][i]), float(data["rho"][i]))
            samples = []
            for _ in range(a.passes):
                t, res = solve(dual, tight)
                samples.append(t)
            times.append(float(np.median(samples)))
            its.append(res.nit)
            kkts.append(dual.kkt(res.x))
        med = float(np.median(times))
        line.append(f"scipy-{'tight' if tight else 'default'} median {med * 1e3:.3f} ms "
                    f"(ratio {med / ours:.2f}), {np.mean(its):.0f} it, median KKT {np.median(kkts):.1e}, "
                    f"max KKT {np.max(kkts):.1e}")
    print("\n    ".join(line))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
