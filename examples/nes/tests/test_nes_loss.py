"""L(α) in JAX against the library's (the Swift solver's DualProblem, through equilibria.verify),
and the sampled problems against the library's generator and presets."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import equilibria as eq
from nes import loss, problem


@pytest.mark.parametrize("concept", ["ce", "cce"])
@pytest.mark.parametrize("preset", problem.PRESETS)
@pytest.mark.parametrize("actions", [(2, 2), (3, 3), (4, 4), (2, 2, 2)])
def test_dual_loss_equals_the_library_to_1e_10(concept, preset, actions):
    k = 6
    games = eq.generate("l2", list(actions), k, seed=11).payoffs
    reference = eq.mwmre_batch(games, concept, preset=preset, normalized=True, collection_seed=11)
    posed = reference.problem
    rows = eq.gain_rows(list(actions), concept)
    rng = np.random.default_rng(3)
    # Duals of every magnitude, with exact zeros, and the solver's own optimum.
    flat = np.concatenate([rng.exponential(0.5, (k, rows)) * (rng.random((k, rows)) < 0.7),
                           rng.exponential(20.0, (k, rows)), reference.duals])
    payoffs = np.concatenate([games] * 3)
    tile = lambda a: np.concatenate([a] * 3)
    welfare = posed["welfare"] if posed["welfare"] is not None else np.zeros((k,) + actions)
    with jax.enable_x64(True):
        constants = problem.preset_constants(preset, concept, actions)
        batch = problem.Batch(jnp.asarray(payoffs), jnp.asarray(tile(posed["eps_hat"])), jnp.asarray(tile(posed["target"])),
                              jnp.asarray(tile(welfare)), constants)
        alpha = loss.tensor_duals(jnp.asarray(flat), concept, len(actions), actions[0])
        ours = np.asarray(loss.batch_loss(batch, alpha))
        assert np.array_equal(np.asarray(loss.flat_duals(alpha, concept)), flat)
    theirs = eq.verify(payoffs, duals=flat, concept=concept, preset=preset, normalized=True, collection_seed=11,
                       game_indices=np.tile(np.arange(k), 3)).dual_objective
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)
    # At the solver's optimum, L is the reported dual objective.
    np.testing.assert_allclose(ours[2 * k:], reference.dual_objective, rtol=0, atol=1e-10)


def _ks(a: np.ndarray, b: np.ndarray) -> float:
    """The two-sample Kolmogorov–Smirnov statistic."""
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    return float(np.max(np.abs(np.searchsorted(a, grid, side="right") / a.size
                               - np.searchsorted(b, grid, side="right") / b.size)))


@pytest.mark.parametrize("actions", [(3, 3), (2, 4), (2, 2, 2)])
def test_sampled_games_follow_the_library_distribution(actions):
    count = 3000
    with jax.enable_x64(True):
        ours = np.asarray(problem.sample_games(jax.random.PRNGKey(5), count, actions))
    theirs = eq.generate("l2", list(actions), count, seed=5).payoffs
    joint = int(np.prod(actions))
    for games in (ours, theirs):
        flat = games.reshape(count, len(actions), joint)
        np.testing.assert_allclose(flat.mean(axis=2), 0, atol=1e-12)                   # mean 0 per player
        np.testing.assert_allclose((flat ** 2).sum(axis=2), joint, rtol=1e-12)          # L2 norm √|A|
    # Same distribution of an entry, of the largest entry, and of products of two entries:
    # two-sample KS at 3000 + 3000 draws (critical value at 0.1%: 1.95·√(2/3000) = 0.050).
    for stat in (lambda g: g.reshape(count, -1)[:, 0], lambda g: g.reshape(count, -1).max(axis=1),
                 lambda g: g.reshape(count, -1)[:, 0] * g.reshape(count, -1)[:, -1]):
        assert _ks(stat(ours), stat(theirs)) < 0.05


def test_sampled_preset_parts_follow_the_library():
    actions, count = (3, 3), 2000
    games = eq.generate("l2", list(actions), count, seed=2).payoffs
    for preset in ("MRE", "eps-ME", "MWME", "MU"):
        constants = problem.preset_constants(preset, "ce", actions)
        ours = problem.sample_batch(jax.random.PRNGKey(9), count, constants)
        # The library's sampled parts for `count` games (the problem posed, without solving all).
        posed = _posed(games, preset)
        if preset == "MRE":
            assert _ks(np.asarray(ours.target).reshape(count, -1)[:, 0], posed["target"].reshape(count, -1)[:, 0]) < 0.06
        if preset == "eps-ME":
            assert _ks(np.asarray(ours.eps_hat)[:, 0], posed["eps_hat"][:, 0]) < 0.06
        if preset == "MWME":
            assert _ks(np.asarray(ours.welfare).reshape(count, -1)[:, 0], posed["welfare"].reshape(count, -1)[:, 0]) < 0.06
        if preset == "MU":  # a rule, not a draw: equal on the same games
            with jax.enable_x64(True):
                welfare = np.asarray(problem.utilitarian_welfare(jnp.asarray(games)))
            np.testing.assert_allclose(welfare, posed["welfare"], rtol=0, atol=1e-12)


def _posed(games: np.ndarray, preset: str) -> dict:
    """The problems the library poses for a collection (read from a CCE solve of it)."""
    result = eq.mwmre_batch(games, "cce", preset=preset, normalized=True, collection_seed=2)
    return result.problem
