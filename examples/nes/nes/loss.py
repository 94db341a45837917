"""The dual loss L(α) of the ε̂-MWMRE problem, in JAX: Theorem 1 (CE) and Theorem 2 (CCE) of
the paper's appendix A, as docs/reference.md §3 writes it:

    L(α) = ln Σ_a σ̂(a) exp(l(a)) + Σ_p [ ε⁺_p S_p + ρ û_p (exp(−S_p/ρ) − 1) ]
    l(a) = μ W(a) − Σ_{p,row} α_p(row) A_p(row, a),   S_p = Σ_row α_p(row),   û_p = ε⁺_p − ε̂_p

with the recovery σ(α) = softmax(l + ln σ̂) and ε_p(α) = ε̂_p − û_p·expm1(−S_p/ρ).

Duals are kept as tensors: CCE [N, n] (α_p(k), deviation k) and CE [N, n, n] (α_p(r→k),
recommendation r, deviation k; the diagonal is not a row and is ignored). :func:`flat_duals`
gives the canonical row order of every file (players, then r, then k ≠ r). Every player has
the same number of actions n (a decision of the network, docs in the package README).
The loss is the same function in float32 (training) and float64 (the cross-check with the
library, to 1e-10).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np


def off_diagonal(n: int) -> np.ndarray:
    """The mask of the CE rows in an [n, n] block (r ≠ k)."""
    return ~np.eye(n, dtype=bool)


def flat_duals(alpha: jnp.ndarray, concept: str) -> jnp.ndarray:
    """[..., N, n] (CCE) or [..., N, n, n] (CE) → [..., R] in canonical row order."""
    if concept == "cce":
        return alpha.reshape(alpha.shape[:-2] + (-1,))
    n = alpha.shape[-1]
    mask = off_diagonal(n)
    rows = alpha[..., mask]  # row-major over (r, k): r ascending, then k ascending, k ≠ r
    return rows.reshape(alpha.shape[:-3] + (-1,))


def tensor_duals(flat: jnp.ndarray, concept: str, players: int, n: int) -> jnp.ndarray:
    """The inverse of :func:`flat_duals` (the CE diagonal is 0)."""
    if concept == "cce":
        return flat.reshape(flat.shape[:-1] + (players, n))
    out = jnp.zeros(flat.shape[:-1] + (players, n, n), flat.dtype)
    return out.at[..., off_diagonal(n)].set(flat.reshape(flat.shape[:-1] + (players, n * (n - 1))))


def gain_term(payoffs: jnp.ndarray, alpha: jnp.ndarray, concept: str) -> tuple[jnp.ndarray, jnp.ndarray]:
    """Σ_{p,row} α_p(row) A_p(row, a) over joint actions [n_1, …, n_N], and S [N], for one game.

    CE:  A_p(r→k, a) = [a_p = r](G_p(k, a_−p) − G_p(a)), so player p's term at a is
         Σ_k α_p(a_p, k) G_p(k, a_−p) − (Σ_k α_p(a_p, k)) G_p(a).
    CCE: A_p(k, a) = G_p(k, a_−p) − G_p(a): Σ_k α_p(k) G_p(k, a_−p) − S_p G_p(a).
    """
    players = payoffs.shape[0]
    total = jnp.zeros(payoffs.shape[1:], payoffs.dtype)
    if concept == "ce":
        n = alpha.shape[-1]
        alpha = alpha * off_diagonal(n)
    for p in range(players):
        g = jnp.moveaxis(payoffs[p], p, 0)            # [n_p (own action), rest…]
        a = alpha[p]
        if concept == "ce":
            deviate = jnp.tensordot(a, g, axes=(1, 0))  # [r, rest…]: Σ_k α(r, k) G(k, rest)
            term = deviate - a.sum(axis=1).reshape((-1,) + (1,) * (g.ndim - 1)) * g
        else:
            deviate = jnp.tensordot(a, g, axes=(0, 0))  # [rest…]
            term = deviate[None] - a.sum() * g
        total = total + jnp.moveaxis(term, 0, p)
    sums = alpha.reshape(players, -1).sum(axis=1)
    return total, sums


def _log_weights(payoffs, alpha, target, welfare, concept: str, mu: float) -> tuple[jnp.ndarray, jnp.ndarray]:
    """l(a) + ln σ̂(a) over joint actions (−inf where σ̂ is 0), and S [N]."""
    term, sums = gain_term(payoffs, alpha, concept)
    log_target = jnp.where(target > 0, jnp.log(jnp.where(target > 0, target, 1.0)), -jnp.inf)
    return mu * welfare - term + log_target, sums


def dual_loss(payoffs, alpha, eps_hat, target, welfare, *, concept: str, mu: float, rho: float,
              eps_plus: float) -> jnp.ndarray:
    """L(α) of one game (Theorem 1 for CE, Theorem 2 for CCE)."""
    weights, sums = _log_weights(payoffs, alpha, target, welfare, concept, mu)
    log_z = jax.nn.logsumexp(weights.ravel())
    u_hat = eps_plus - eps_hat
    penalty = eps_plus * sums + rho * u_hat * jnp.expm1(-sums / rho)
    return log_z + penalty.sum()


def recover(payoffs, alpha, eps_hat, target, welfare, *, concept: str, mu: float, rho: float,
            eps_plus: float) -> tuple[jnp.ndarray, jnp.ndarray]:
    """σ(α) [n_1, …, n_N] and ε(α) [N] of one game."""
    weights, sums = _log_weights(payoffs, alpha, target, welfare, concept, mu)
    sigma = jax.nn.softmax(weights.ravel()).reshape(weights.shape)
    epsilon = eps_hat - (eps_plus - eps_hat) * jnp.expm1(-sums / rho)
    return sigma, epsilon


def batch_loss(batch, alpha: jnp.ndarray) -> jnp.ndarray:
    """L(α) per game of a :class:`nes.problem.Batch` [B]."""
    c = batch.constants
    return jax.vmap(lambda g, a, e, t, w: dual_loss(g, a, e, t, w, concept=c.concept, mu=c.mu, rho=c.rho,
                                                    eps_plus=c.eps_plus))(
        batch.payoffs, alpha, batch.eps_hat, batch.target, batch.welfare)
