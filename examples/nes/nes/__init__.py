"""A reference Neural Equilibrium Solver (NES) in JAX: an equivariant network mapping a game to
the duals α of its ε̂-MWMRE problem, trained without labels on the dual loss (Theorem 1 for CE,
Theorem 2 for CCE), and checked end to end by ``equilibria``. See README.md beside this package."""

from . import loss, model, problem, train

__all__ = ["loss", "model", "problem", "train"]
