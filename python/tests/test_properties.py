"""Properties that must hold, checked independently of the solver (numpy only), over seeded
random games of many shapes, scales from 1e-300 to 1e300 and offsets; float32 input; threads."""

import math
import threading
from fractions import Fraction

import numpy as np
import pytest

import equilibria as eq
from equilibria.jpsro import equilibrium_gap, repeat_target


class ArrayLike:
    """Any object numpy can convert (JAX arrays are such objects)."""

    def __init__(self, array):
        self._array = np.asarray(array)

    def __array__(self, dtype=None, copy=None):
        return self._array if dtype is None else self._array.astype(dtype)


def cases(count, seed=11):
    rng = np.random.default_rng(seed)
    shapes = [(2, 2), (2, 3), (3, 3), (4, 4), (2, 2, 2), (3, 2, 2), (2, 2, 2, 2), (5,), (1, 3)]
    for i in range(count):
        shape = shapes[i % len(shapes)]
        exponent = rng.uniform(-300, 300) if i % 3 == 0 else rng.uniform(-6, 6)
        g = rng.standard_normal((len(shape),) + shape) * 10.0 ** exponent
        if i % 4 == 1:
            g = g + rng.uniform(-100, 100, (len(shape),) + (1,) * len(shape)) * 10.0 ** exponent
        if i % 5 == 2:
            g = np.round(g / 10.0 ** exponent) * 10.0 ** exponent   # ties
        yield i, g


@pytest.mark.parametrize("i,g", list(cases(36)))
def test_every_selection_is_an_equilibrium_and_scales_with_the_game(i, g):
    concept = ["ce", "cce"][i % 2]
    scale = float(np.abs(g).max())
    r = eq.max_welfare(g, concept=concept, face=(i % 3 != 0))
    assert r.status == "optimal"
    assert np.all(r.joint >= -1e-12) and abs(r.joint.sum() - 1) < 1e-9
    assert equilibrium_gap(g, r.joint, concept) <= 1e-9 * scale
    # Welfare is maximal against a uniform mixture's welfare check: W·σ ≥ W·(any CE); the LP's
    # value is σ's welfare.
    assert math.isclose(r.objective, float((g.sum(axis=0) * r.joint).sum()), rel_tol=1e-9, abs_tol=1e-12 * scale)
    # σ of G·c + offsets is σ of G.
    c = 2.0 ** 40 if scale < 1e250 else 2.0 ** -40
    shifted = g * c + np.arange(g.shape[0]).reshape((-1,) + (1,) * (g.ndim - 1)) * c
    s = eq.max_welfare(shifted, concept=concept, face=False)
    if r.unique:
        np.testing.assert_allclose(s.joint, r.joint, atol=1e-9)
    m = eq.mwmre(g, concept)
    assert m.status == "optimal" and m.certified
    assert np.all(np.isfinite(m.joint)) and abs(m.joint.sum() - 1) < 1e-9
    # The recovered ε bounds σ's gains (in normalised units; ε_raw in the game's).
    gains = equilibrium_gap(g, m.joint, concept)
    assert gains <= float(np.max(m.epsilon_raw[np.isfinite(m.epsilon_raw)], initial=0)) * (1 + 1e-6) + 1e-9 * scale


@pytest.mark.parametrize("i,g", list(cases(12, seed=5)))
def test_exact_answers_are_exact_certificates(i, g):
    r = eq.max_welfare(g, concept="ce", exact=True, face=False)
    assert r.status == "optimal"
    if not r.certified:
        pytest.fail(f"case {i}: not certified: {r.note}")
    joint = r.exact["joint"]
    assert sum(joint.ravel()) == 1 and all(x >= 0 for x in joint.ravel())
    # Every CE constraint holds exactly on the exact payoffs (the doubles' binary values).
    exact = np.vectorize(Fraction, otypes=[object])(g)
    n = g.shape[0]
    for p in range(n):
        payoff = np.moveaxis(exact[p], p, 0)
        mass = np.moveaxis(joint, p, 0)
        for rec in range(payoff.shape[0]):
            base = np.sum(payoff[rec] * mass[rec])
            for dev in range(payoff.shape[0]):
                assert np.sum(payoff[dev] * mass[rec]) - base <= 0


def test_float32_and_array_likes_are_accepted():
    rng = np.random.default_rng(3)
    g64 = rng.standard_normal((2, 4, 4)).astype(np.float32).astype(np.float64)
    g32 = g64.astype(np.float32)
    for payoffs in (g32, ArrayLike(g32), ArrayLike(g64), g64.tolist()):
        a = eq.mwmre(payoffs, "ce")
        b = eq.mwmre(g64, "ce")
        assert np.array_equal(a.joint, b.joint)
        assert np.array_equal(eq.max_welfare(payoffs).joint, eq.max_welfare(g64).joint)
    duals = eq.mwmre(g64, "ce").duals
    m32 = eq.verify(g32[None], duals=duals[None].astype(np.float32), concept="ce")
    m64 = eq.verify(g64[None], duals=duals[None].astype(np.float32).astype(np.float64), concept="ce")
    assert np.array_equal(m32.gap, m64.gap)
    integers = np.array([[[0, 7], [2, 6]], [[0, 2], [7, 6]]])
    assert eq.max_welfare(integers).objective == 10.5


def test_concurrent_calls_from_python_threads_give_the_sequential_answers():
    rng = np.random.default_rng(8)
    games = rng.standard_normal((40, 2, 4, 4))
    sequential = [eq.mwmre(g, "ce").joint for g in games]
    sequential_lp = [eq.max_welfare(g).joint for g in games]
    results = [None] * len(games)
    errors = []

    def work(indices):
        try:
            for k in indices:
                results[k] = (eq.mwmre(games[k], "ce").joint, eq.max_welfare(games[k]).joint)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(range(t, len(games), 4),)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k in range(len(games)):
        assert np.array_equal(results[k][0], sequential[k])
        assert np.array_equal(results[k][1], sequential_lp[k])


def test_batches_do_not_depend_on_the_number_of_threads():
    games = eq.generate("l2", 4, 16, players=2, seed=2, normalize="l2").payoffs
    for jobs in (1, 2, 3):
        a = eq.mwmre_batch(games, "cce", preset="MRE", normalized=True, collection_seed=2, jobs=jobs)
        b = eq.mwmre_batch(games, "cce", preset="MRE", normalized=True, collection_seed=2, jobs=1)
        assert np.array_equal(a.joint, b.joint) and np.array_equal(a.duals, b.duals)
        c = eq.lp_batch(games, "min-epsilon", jobs=jobs)
        assert np.array_equal(c.epsilon, eq.lp_batch(games, "min-epsilon", jobs=1).epsilon)
    # Game k's problem depends on k alone, not on the other games of the call.
    full = eq.mwmre_batch(games, "cce", preset="MRE", normalized=True, collection_seed=2)
    one = eq.mwmre_batch(games[3:4], "cce", preset="MRE", normalized=True, collection_seed=2, game_indices=[3])
    assert np.array_equal(one.joint[0], full.joint[3])
    assert np.array_equal(one.problem["target"][0], full.problem["target"][3])


def test_repeated_policies_are_the_full_meta_game_summed_over_copies():
    rng = np.random.default_rng(4)
    g = rng.standard_normal((2, 3, 2))
    repeats = [np.array([1, 3, 2]), np.array([2, 1])]
    full = np.repeat(np.repeat(g, repeats[0], axis=1), repeats[1], axis=2)
    from equilibria.jpsro import SOLVERS
    for name in ("mece", "mecce"):
        reduced, _ = SOLVERS[name](g, repeats)
        expanded, _ = SOLVERS[name](full, [np.ones(6, int), np.ones(3, int)])
        summed = np.add.reduceat(np.add.reduceat(expanded, [0, 1, 4], axis=0), [0, 2], axis=1)
        np.testing.assert_allclose(reduced, summed, atol=1e-8)
    assert np.isclose(repeat_target(repeats).sum(), 1)
