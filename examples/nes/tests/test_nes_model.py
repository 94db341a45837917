"""The network's building blocks: the order-independent mean, shapes, signs and refusals."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nes import model, problem


@pytest.mark.parametrize("scale", [1e-30, 1e-6, 1.0, 1e6, 1e30])
def test_the_mean_is_order_independent_to_the_bit_and_accurate(scale):
    rng = np.random.default_rng(4)
    for shape, axes in (((4, 9), (1,)), ((3, 5, 7), (1, 2)), ((2, 64, 3), (1,)), ((6, 4, 4, 4), (1, 2, 3))):
        x = jnp.asarray(rng.standard_normal(shape) * scale, jnp.float32)
        mean = model._mean(x, axes)
        m = int(np.prod([shape[a] for a in axes]))
        for _ in range(5):  # a random permutation within the pooled axes
            flat = np.moveaxis(np.asarray(x), axes, list(range(x.ndim - len(axes), x.ndim)))
            lead = flat.shape[: x.ndim - len(axes)]
            flat = flat.reshape(lead + (m,))[..., rng.permutation(m)]
            permuted = np.moveaxis(flat.reshape(lead + tuple(shape[a] for a in axes)),
                                   list(range(x.ndim - len(axes), x.ndim)), axes)
            assert np.array_equal(np.asarray(model._mean(jnp.asarray(permuted), axes)), np.asarray(mean))
        exact = np.asarray(x, np.float64).mean(axis=axes)
        top = np.abs(np.asarray(x, np.float64)).max(axis=axes)
        grid = top * 2.0 ** -(29 - math.ceil(math.log2(m)))  # within the fixed-point grid of the set
        assert np.all(np.abs(np.asarray(mean, np.float64) - exact) <= grid + 4 * np.finfo(np.float32).eps * top)


def test_the_mean_has_the_plain_gradient():
    x = jnp.arange(12.0).reshape(3, 4)
    grad = jax.grad(lambda z: (model._mean(z, (1,)) * jnp.arange(3.0)).sum())(x)
    np.testing.assert_array_equal(np.asarray(grad), np.repeat(np.arange(3.0)[:, None] / 4, 4, axis=1))


@pytest.mark.parametrize("concept", ["ce", "cce"])
@pytest.mark.parametrize("actions", [(2, 2), (3, 3), (2, 2, 2)])
def test_duals_have_the_concept_s_shape_and_are_non_negative(concept, actions):
    constants = problem.preset_constants("ME", concept, actions)
    x = problem.input_channels(problem.sample_batch(jax.random.PRNGKey(0), 16, constants))
    net = model.NES(concept, payoff_features=(8,), dual_features=8, dual_layer_features=(8,))
    variables = model.initialise(net, jax.random.PRNGKey(1), x)
    alpha = np.asarray(net.apply(variables, x))
    n, players = actions[0], len(actions)
    assert alpha.shape == ((16, players, n, n) if concept == "ce" else (16, players, n))
    assert np.all(alpha >= 0) and np.all(np.isfinite(alpha))
    if concept == "ce":
        assert np.all(alpha[:, :, np.arange(n), np.arange(n)] == 0)


def test_unequal_action_counts_are_refused():
    net = model.NES("ce", payoff_features=(4,), dual_features=4, dual_layer_features=())
    with pytest.raises(ValueError, match="same number of actions"):
        net.init(jax.random.PRNGKey(0), jnp.zeros((2, 2, 2, 3, 4)))


@pytest.mark.parametrize("preset", ["MWME", "MRE", "eps-ME"])  # each sampled part: W, σ̂, ε̂
def test_every_sampled_parameterisation_trains(preset):
    from nes import train
    config = train.Config(concept="ce", preset=preset, actions=(2, 2), steps=3, batch_size=8,
                          payoff_features=(4,), dual_features=4, dual_layer_features=())
    state = train.initial_state(config)
    before = jax.tree_util.tree_leaves(state.params)[0].copy()
    losses = []
    state = train.train(state, 3, evaluate=lambda s: {"ok": 1.0}, every=1, log=losses.append)
    assert state.step == 3 and len(state.history) == 3
    assert all(np.isfinite(h["train_loss"]) for h in state.history)
    assert not np.array_equal(np.asarray(jax.tree_util.tree_leaves(state.params)[0]), np.asarray(before))
