"""Every option is honoured (it changes the answer) or refused."""

import math

import numpy as np
import pytest

import equilibria as eq

G = eq.generate("l2", 3, 1, players=2, seed=9).payoffs[0] * 3 + 1


def differs(a, b):
    return not np.array_equal(np.asarray(a), np.asarray(b))


CHICKEN = np.array([[[0, 7], [2, 6]], [[0, 2], [7, 6]]], dtype=float)


def test_lp_options_change_the_answer():
    base = eq.max_welfare(G)
    assert eq.max_welfare(G, concept="cce").duals.shape == (6,) and base.duals.shape == (12,)
    assert eq.max_welfare(CHICKEN, epsilon=0.5).objective > eq.max_welfare(CHICKEN).objective
    assert eq.max_welfare(CHICKEN, epsilon=[0, 0.5]).objective > eq.max_welfare(CHICKEN).objective
    assert eq.max_welfare(CHICKEN, epsilon="-1/2").objective < eq.max_welfare(CHICKEN).objective
    assert eq.max_welfare(G, exact=True).exact is not None and base.exact is None
    assert eq.max_welfare(G, face=False).range_min is None and base.range_min is not None
    assert eq.max_welfare(G, exact=True, exact_time_limit=30).certified
    w = np.arange(9.0).reshape(3, 3)
    assert eq.max_welfare(G, welfare=w).objective == float((w * eq.max_welfare(G, welfare=w).joint).sum())
    assert differs(eq.max_welfare(G, welfare=w).objective, base.objective)
    assert differs(eq.min_welfare(G).objective, base.objective)
    c = np.array([[0.0, 1.0], [0.0, 0.0]])
    assert eq.max_linear(CHICKEN, c).objective == 1 and eq.min_linear(CHICKEN, c).objective == 0
    assert eq.max_probability(G, [2, 2]).objective >= eq.max_welfare(G).joint[2, 2]
    shared, per = eq.min_epsilon(G), eq.min_epsilon(G, per_player=True)
    assert differs(shared.objective, per.objective)
    assert per.objective <= 2 * shared.objective + 1e-12      # Σ_p ε_p ≤ N · (the shared minimum)


def test_mwmre_options_change_the_answer():
    base = eq.mwmre(G, "ce")
    changed = {
        "concept": eq.mwmre(G, "cce").joint,
        "preset": eq.mwmre(G, "ce", preset="MS").joint,
        "mu": eq.mwmre(G, "ce", mu=5).joint,
        "rho": eq.mwmre(G, "ce", rho=3).joint,
        "eps_hat": eq.mwmre(G, "ce", eps_hat=-0.3).joint,
        "eps_plus": eq.mwmre(G, "ce", rho=0.5, eps_plus=0.5).joint,
        "target": eq.mwmre(G, "ce", target=np.arange(1.0, 10.0).reshape(3, 3) / 45).joint,
        "raw_units": eq.mwmre(G, "ce", raw_units=True).joint,
    }
    for name, joint in changed.items():
        assert differs(joint, base.joint), name
    assert differs(eq.mwmre(G, "ce", preset="MRE", seed=1).joint, eq.mwmre(G, "ce", preset="MRE", seed=2).joint)
    assert differs(eq.mwmre(G, "ce", preset="MU").joint, eq.mwmre(G, "ce", preset="MU", welfare=-G[0]).joint)
    assert eq.mwmre(G, "ce", method="lbfgsb").iterations != base.iterations
    assert eq.mwmre(G, "ce", tolerance=1e-3).kkt_residual > base.kkt_residual
    assert eq.mwmre(G, "ce", target="uniform", preset="MRE").problem["target"].std() == 0
    games = np.stack([G, G])
    a = eq.mwmre_batch(games, "ce", preset="MRE", collection_seed=1)
    b = eq.mwmre_batch(games, "ce", preset="MRE", collection_seed=2)
    assert differs(a.joint, b.joint)
    c = eq.mwmre_batch(games, "ce", preset="MRE", collection_seed=1, game_indices=[5, 6])
    assert differs(a.joint, c.joint)
    n = eq.mwmre_batch(games, "ce", normalized=True)
    assert differs(n.joint, eq.mwmre_batch(games, "ce").joint)


def test_generate_options_change_the_games():
    a = eq.generate("l2", 3, 4, players=2, seed=1)
    assert differs(a.payoffs, eq.generate("l2", 3, 4, players=2, seed=2).payoffs)
    assert np.array_equal(eq.generate("l2", 3, 2, players=2, seed=1, first=2).payoffs, a.payoffs[2:])
    assert differs(eq.generate("l2", 3, 4, players=2, seed=1, normalize="l1").payoffs, a.payoffs)
    g = eq.generate("D7", 3, 2, players=2, seed=1, gamut_normalize=(0, 1)).payoffs
    assert g.min() >= 0 and g.max() <= 1
    assert len(eq.families()) == 25


def test_face_requests_are_honoured_or_refused():
    bos = np.array([[[2, 0], [0, 1]], [[1, 0], [0, 2]]], dtype=float)   # a tie: σ(1,1) and σ(2,2) in [0, 1]
    every = eq.max_welfare(bos, face="all")
    assert every.unique is False and every.ranges_defined
    assert np.allclose(every.range_max, [[1, 0], [0, 1]]) and np.allclose(every.range_min, 0)
    only = eq.max_welfare(bos, face="unique")
    assert only.unique is False and not only.ranges_defined
    assert eq.max_welfare(bos, face=True).ranges_defined        # a 2×2 fits in the default budget
    with pytest.raises(eq.OptionError, match="face"):
        eq.max_welfare(bos, face="some")
