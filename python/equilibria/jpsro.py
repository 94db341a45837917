"""Meta-solvers for OpenSpiel's JPSRO (``open_spiel.python.algorithms.jpsro``).

JPSRO (Marris et al., 2021) proposes the maximum-entropy (C)CE as its meta-solver; OpenSpiel
ships maximum-Gini and maximum-welfare ones. This module supplies the maximum-entropy family,
solved by this library (ε̂-MWMRE with ρ = ∞: ε pinned exactly, by facial reduction where the
equilibria have no interior), with JPSRO's meta-solver signature::

    solver(meta_game, per_player_repeats, ignore_repeats=False) -> (joint distribution, info dict)

where ``meta_game`` has shape [N, A_1, ..., A_N]. :func:`register` adds them to JPSRO's
``FLAG_TO_FUNC`` table at run time (OpenSpiel's files are not modified), under these names:

==========================  ==================================================================
``mece``, ``mecce``         maximum-entropy CE / CCE (ε = 0)
``min_epsilon_mece``, …cce  maximum entropy among the strictest equilibria: ε̂ = the minimum
                            permissible shared ε (an exact LP), as ``min_epsilon_mgce``
``approx_mece``, …cce       maximum entropy at ε̂ = 0.01 × the meta-game's payoff range
``mwmece``, ``mwmecce``     maximum welfare (Σ_p G_p), ties broken by maximum entropy (μ = ∞)
==========================  ==================================================================

:func:`meta_solver` builds any other (preset, target, ε̂, μ), e.g. minimum relative entropy to a
target of your own (``target=lambda meta_game, repeats: ...``).

**Repeated policies.** JPSRO passes the meta-game of the distinct policies with
``per_player_repeats[p][i]``, the number of copies of player p's policy i. As OpenSpiel's
maximum-Gini solvers do, the distribution returned is the one the solver selects on the *full*
meta-game (every copy a strategy of its own), summed over copies. For entropy this has a closed
form: copies split their mass equally at the optimum, so the entropy of the full distribution is
H(σ) + Σ_a σ(a) ln r(a), r(a) = Π_p repeats_p(a_p), and the maximum-entropy equilibrium of the
full game is the minimum-relative-entropy equilibrium of the distinct game to the target
σ̂ ∝ r. The equilibrium constraints are unchanged by copies. With ``ignore_repeats=True`` the
target is uniform over distinct joint policies.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np

from ._core import OptionError
from .solvers import min_epsilon, mwmre

__all__ = ["meta_solver", "register", "SOLVERS", "repeat_target", "equilibrium_gap"]


def repeat_target(per_player_repeats: Sequence[Sequence[int]]) -> np.ndarray:
    """σ̂ ∝ Π_p repeats_p(a_p): the uniform distribution over the full meta-game's joint policies,
    summed over copies."""
    target = np.ones(())
    for repeats in per_player_repeats:
        r = np.asarray(repeats, dtype=np.float64)
        target = np.multiply.outer(target, r / r.sum())
    return target


def equilibrium_gap(meta_game: Any, joint: Any, concept: str) -> float:
    """The largest expected deviation gain of any player under ``joint`` (≤ 0 for an equilibrium):
    for CE the best deviation per recommendation, for CCE the best unconditional one."""
    g = np.asarray(meta_game, dtype=np.float64)
    sigma = np.asarray(joint, dtype=np.float64)
    worst = -math.inf
    for p in range(g.shape[0]):
        payoff = np.moveaxis(g[p], p, 0)                  # [A_p, others...]
        mass = np.moveaxis(sigma, p, 0)
        if concept == "ce":
            # value[r, d]: payoff of playing d when r is recommended, weighted by σ(r, others).
            value = np.tensordot(mass, payoff, axes=(tuple(range(1, mass.ndim)), tuple(range(1, payoff.ndim))))
            gains = value - np.diag(value)[:, None]
            worst = max(worst, float(gains.max()))
        else:
            others = mass.sum(axis=0)
            value = np.tensordot(payoff, others, axes=(tuple(range(1, payoff.ndim)), tuple(range(others.ndim))))
            worst = max(worst, float(value.max() - (payoff * mass).sum()))
    return worst


def _round_up(value: Fraction) -> float:
    x = float(value)
    return math.nextafter(x, math.inf) if Fraction(x) < value else x


def meta_solver(concept: str, *, preset: str = "ME", epsilon: str | float = 0.0, mu: float | None = None,
                target: Callable[[np.ndarray, Sequence[Sequence[int]]], Any] | None = None,
                welfare: Callable[[np.ndarray], Any] | None = None) -> Callable:
    """A JPSRO meta-solver selecting by the ε̂-MWMRE problem at ρ = ∞ (ε pinned to ε̂ exactly).

    Args:
        concept: ``ce`` or ``cce``.
        preset: the Table 3 preset the rest of the problem comes from (``ME`` by default).
        epsilon: ε̂ in the meta-game's payoff units; ``"min"`` for the minimum permissible shared ε
            (an exact LP, rounded up to the next double), ``"approx"`` for 0.01 × the payoff range.
        mu: welfare weight (``inf``: maximum welfare first, then maximum entropy).
        target: σ̂ as a function of (meta_game, per_player_repeats); default: :func:`repeat_target`
            (uniform with ``ignore_repeats``). Giving one makes the solver minimum relative entropy.
        welfare: W as a function of the meta-game; default Σ_p G_p when μ ≠ 0.
    """
    if concept not in ("ce", "cce"):
        raise OptionError(f"concept: {concept!r} is neither 'ce' nor 'cce'")
    if isinstance(epsilon, str):
        if epsilon not in ("min", "approx"):
            raise OptionError(f"epsilon: {epsilon!r}; give a number, 'min' or 'approx'")
    elif isinstance(epsilon, (bool, np.bool_)) or not isinstance(epsilon, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(epsilon)):
        raise OptionError(f"epsilon: {epsilon!r}; give a finite number, 'min' or 'approx'")

    def solve(meta_game: Any, per_player_repeats: Sequence[Sequence[int]], ignore_repeats: bool = False):
        g = np.asarray(meta_game, dtype=np.float64)
        shape = g.shape[1:]
        if target is not None:
            sigma_hat = np.asarray(target(g, per_player_repeats), dtype=np.float64).reshape(shape)
        elif ignore_repeats:
            sigma_hat = "uniform"
        else:
            sigma_hat = repeat_target(per_player_repeats).reshape(shape)
        if epsilon == "min":
            e = min_epsilon(g, concept=concept, exact=True, face=False)
            eps_hat = _round_up(e.exact["epsilon"][0]) if e.exact is not None and e.certified else float(e.epsilon[0])
        elif epsilon == "approx":
            eps_hat = 0.01 * float(g.max() - g.min())
        else:
            eps_hat = float(epsilon)
        result = mwmre(g, concept, preset=preset, mu=mu, rho=math.inf, eps_hat=eps_hat, target=sigma_hat,
                       welfare=None if welfare is None else welfare(g), raw_units=True)
        if result.status not in ("optimal", "not-converged"):
            raise RuntimeError(f"equilibria meta-solver ({concept}, ε̂ = {eps_hat}): {result.status}: {result.message}")
        joint = np.clip(result.joint, 0.0, None)
        joint = joint / joint.sum()
        info = dict(status=result.status, epsilon=result.epsilon, gap=result.gap, certified=result.certified,
                    kkt_residual=result.kkt_residual, duals=result.duals, eps_hat=eps_hat,
                    zero_joint_actions=result.zero_joint_actions, equality_rows=result.equality_rows)
        return joint, info

    solve.__name__ = f"equilibria_{preset}_{concept}"
    solve.__doc__ = f"Maximum-entropy-family {concept.upper()} meta-solver (preset {preset}, ε̂ {epsilon}, μ {mu})."
    return solve


SOLVERS: dict[str, Callable] = {
    "mece": meta_solver("ce"),
    "mecce": meta_solver("cce"),
    "min_epsilon_mece": meta_solver("ce", epsilon="min"),
    "min_epsilon_mecce": meta_solver("cce", epsilon="min"),
    "approx_mece": meta_solver("ce", epsilon="approx"),
    "approx_mecce": meta_solver("cce", epsilon="approx"),
    "mwmece": meta_solver("ce", preset="MU", mu=math.inf),
    "mwmecce": meta_solver("cce", preset="MU", mu=math.inf),
}


def register(table: dict | None = None) -> dict:
    """Adds :data:`SOLVERS` to JPSRO's ``FLAG_TO_FUNC`` (or to ``table``) and returns that table.

    Importing ``open_spiel.python.algorithms.jpsro`` needs cvxpy (OpenSpiel's own meta-solvers use it).
    """
    if table is None:
        from open_spiel.python.algorithms import jpsro
        table = jpsro.FLAG_TO_FUNC
    table.update(SOLVERS)
    return table
