"""The ε̂-MWMRE problems a network is trained on, sampled in JAX.

Games come from the L2-invariant distribution that ``equilibria generate --family l2`` writes
(docs/reference.md §4). Per player: draw i.i.d. N(0, 1) over all joint actions, subtract the
mean, and scale to L2 norm Z = √|A|. The random streams differ from the library's (JAX's
generator, not SplitMix64), but the distribution is the same. ``tests/test_problem.py`` checks
this statistically against the library's generator.

The parameters of each preset (the paper's Table 3) are the library's.
- The constants μ, ρ, ε⁺ and the fixed ε̂ are read from the library once, by solving one dummy
  game with the preset (:func:`preset_constants`). No copy of the table lives here.
- Only the sampled parts are drawn here, from the distributions the library documents: MRE's
  target is Dirichlet(1), the eps- presets' ε̂ is U(−Z, Z), and MWME's welfare is sampled like a
  payoff table. The tests compare them with the library's draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import jax
import jax.numpy as jnp
import numpy as np

import equilibria as eq

# The library's presets, but MT: its target is given, never sampled.
PRESETS = tuple(name for name in eq.PRESETS if name != "MT")


@dataclass(frozen=True)
class PresetConstants:
    """What a preset fixes, as the library poses it for one shape (normalised units)."""

    preset: str
    concept: str
    actions: tuple
    mu: float
    rho: float
    eps_plus: float          # ε⁺_p, the same for every player (Z)
    eps_hat: float | None    # the fixed ε̂_p, or None when it is sampled (eps- presets)
    target: str              # "uniform" or "dirichlet"
    welfare: str             # "none", "utilitarian" (Σ_p G_p) or "sampled"


def preset_constants(preset: str, concept: str, actions: Sequence[int]) -> PresetConstants:
    """The preset's constants, read from the library (``equilibria.mwmre`` on one L2 game)."""
    if preset not in PRESETS:
        raise ValueError(f"preset: {preset!r}; one of {', '.join(PRESETS)} (MT needs a given target)")
    actions = tuple(int(a) for a in actions)
    game = eq.generate("l2", list(actions), 1, seed=0).payoffs
    sampled_welfare = preset in ("MWME", "eps-MWME")
    kwargs = {}
    if sampled_welfare:
        kwargs["welfare"] = eq.generate("l2", list(actions), 2, seed=0).payoffs[1, 0]
    result = eq.mwmre_batch(game, concept, preset=preset, normalized=True, **kwargs)
    problem = result.problem
    eps_plus = float(problem["eps_plus"][0, 0])
    eps_hat = None if preset.startswith("eps-") else float(problem["eps_hat"][0, 0])
    target = "dirichlet" if preset in ("MRE", "eps-MRE") else "uniform"
    welfare = "sampled" if sampled_welfare else ("utilitarian" if preset == "MU" else "none")
    return PresetConstants(preset=preset, concept=concept, actions=actions, mu=float(problem["mu"][0]),
                           rho=float(problem["rho"][0]), eps_plus=eps_plus, eps_hat=eps_hat,
                           target=target, welfare=welfare)


def normalise_table(table: jnp.ndarray, joint: int) -> jnp.ndarray:
    """Appendix B unit-variance scaling of tables over the joint actions (the trailing axes, |A| =
    `joint` entries): mean removed, L2 norm √|A|. A constant table maps to zeros."""
    lead = table.shape[: table.ndim - _action_rank(table, joint)]
    flat = table.reshape(lead + (joint,))
    centred = flat - flat.mean(axis=-1, keepdims=True)
    norm = jnp.sqrt((centred ** 2).sum(axis=-1, keepdims=True))
    scaled = jnp.where(norm > 0, centred / jnp.where(norm > 0, norm, 1.0) * math.sqrt(joint), 0.0)
    return scaled.reshape(table.shape)


def _action_rank(table: jnp.ndarray, joint: int) -> int:
    """How many trailing axes of `table` make up the joint actions."""
    size, rank = 1, 0
    for extent in reversed(table.shape):
        if size == joint:
            break
        size *= extent
        rank += 1
    if size != joint:
        raise ValueError(f"shape {table.shape} does not end in {joint} joint actions")
    return rank


@dataclass(frozen=True)
class Batch:
    """A batch of problems: payoffs [B, N, n…], ε̂ [B, N], σ̂ [B, n…], W [B, n…] (zeros when the
    preset has none), and the preset's constants."""

    payoffs: jnp.ndarray
    eps_hat: jnp.ndarray
    target: jnp.ndarray
    welfare: jnp.ndarray
    constants: PresetConstants


def sample_games(key: jax.Array, batch: int, actions: Sequence[int]) -> jnp.ndarray:
    """L2-invariant games [batch, N, n_1, …, n_N] (docs/reference.md §4)."""
    actions = tuple(actions)
    n = len(actions)
    joint = int(np.prod(actions))
    draws = jax.random.normal(key, (batch, n, joint))
    return normalise_table(draws, joint).reshape((batch, n) + actions)


def sample_batch(key: jax.Array, batch: int, constants: PresetConstants) -> Batch:
    """Games and their problems for one training step."""
    actions = constants.actions
    n = len(actions)
    joint = int(np.prod(actions))
    k_games, k_target, k_eps, k_welfare = jax.random.split(key, 4)
    payoffs = sample_games(k_games, batch, actions)
    z = constants.eps_plus
    if constants.eps_hat is None:
        eps_hat = jax.random.uniform(k_eps, (batch, n), minval=-z, maxval=z)
    else:
        eps_hat = jnp.full((batch, n), constants.eps_hat)
    if constants.target == "dirichlet":
        target = jax.random.dirichlet(k_target, jnp.ones(joint), (batch,)).reshape((batch,) + actions)
    else:
        target = jnp.full((batch,) + actions, 1.0 / joint)
    if constants.welfare == "sampled":
        welfare = sample_games(k_welfare, batch, (joint,))[:, 0].reshape((batch,) + actions)
    elif constants.welfare == "utilitarian":
        welfare = utilitarian_welfare(payoffs)
    else:
        welfare = jnp.zeros((batch,) + actions)
    return Batch(payoffs=payoffs, eps_hat=eps_hat, target=target, welfare=welfare, constants=constants)


def utilitarian_welfare(payoffs: jnp.ndarray) -> jnp.ndarray:
    """Σ_p G_p of normalised payoffs [B, N, n…], normalised like a payoff table (the library's
    rule for MU in normalised units)."""
    joint = int(np.prod(payoffs.shape[2:]))
    return normalise_table(payoffs.sum(axis=1), joint)


def batch_from_archive(archive, constants: PresetConstants) -> Batch:
    """The problems of a ground-truth archive (``equilibria batch`` + ``merge``): its payoffs and
    the recorded me_* problem, exactly as the reference was solved."""
    payoffs = jnp.asarray(archive["payoffs"])
    batch = payoffs.shape[0]
    actions = tuple(payoffs.shape[2:])
    welfare = archive["me_welfare"] if "me_welfare" in archive else np.zeros((batch,) + actions)
    welfare = np.nan_to_num(np.asarray(welfare, dtype=np.float64), nan=0.0)
    return Batch(payoffs=payoffs, eps_hat=jnp.asarray(archive["me_eps_hat"]), target=jnp.asarray(archive["me_target"]),
                 welfare=jnp.asarray(welfare), constants=constants)


def input_channels(batch: Batch) -> jnp.ndarray:
    """The network's input [B, N, n_1, …, n_N, 4] (channels last): the payoffs; ε̂_p broadcast over
    player p's table; σ̂ scaled to unit variance, Z_σ(σ̂ − 1/|A|) with Z_σ = |A|√((|A|+1)/(|A|−1)),
    broadcast over players; W broadcast over players."""
    payoffs = batch.payoffs
    b, n = payoffs.shape[:2]
    actions = payoffs.shape[2:]
    joint = int(np.prod(actions))
    z_sigma = joint * math.sqrt((joint + 1) / (joint - 1))
    expand = (slice(None), slice(None)) + (None,) * len(actions)
    eps = jnp.broadcast_to(batch.eps_hat[expand], payoffs.shape)
    target = jnp.broadcast_to((z_sigma * (batch.target - 1.0 / joint))[:, None], payoffs.shape)
    welfare = jnp.broadcast_to(batch.welfare[:, None], payoffs.shape)
    return jnp.stack([payoffs, eps, target.astype(payoffs.dtype), welfare.astype(payoffs.dtype)], axis=-1)
