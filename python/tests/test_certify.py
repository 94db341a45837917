"""`certify=True`: the double-precision answer proven rigorously. The exact optimum (from
`exact=True`, an independent rational solve) lies within the certified bounds, and σ within the
certified distance of it when the optimum is unique; a batch agrees with single games."""

from fractions import Fraction

import numpy as np
import pytest

import equilibria as eq
from conftest import random_game


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 3, 2), (8, 8)])
@pytest.mark.parametrize("concept", ["ce", "cce"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_certified_bounds_contain_the_exact_optimum(shape, concept, seed):
    g = random_game(np.random.default_rng(seed), shape)
    ours = eq.max_welfare(g, concept=concept, certify=True, face=False)
    c = ours.certificate
    assert isinstance(c, eq.LPCertificate)
    assert c.certified, c.reason
    exact = eq.max_welfare(g, concept=concept, exact=True)
    value = exact.exact["objective"]
    lower, upper = c.objective_bounds
    assert Fraction(lower) <= value <= Fraction(upper)
    if exact.unique:
        sigma = exact.exact["joint"].ravel()
        error = Fraction(c.joint_error)
        for ours_a, exact_a in zip(np.asarray(ours.joint).ravel(), sigma):
            assert abs(Fraction(float(ours_a)) - exact_a) <= error
    if c.proves_unique:
        assert exact.unique is not False


def test_without_certify_there_is_no_certificate_and_the_answer_is_unchanged():
    g = random_game(np.random.default_rng(7), (3, 3))
    plain = eq.max_welfare(g)
    again = eq.max_welfare(g, certify=False)
    assert plain.certificate is None and again.certificate is None
    np.testing.assert_array_equal(plain.joint, again.joint)


def test_certify_with_exact_is_refused_naming_both():
    g = random_game(np.random.default_rng(1), (2, 2))
    with pytest.raises(eq.OptionError, match="certify.*exact"):
        eq.max_welfare(g, exact=True, certify=True)


def test_an_infeasible_strictness_keeps_its_farkas_proof():
    g = np.array([[[0, 7], [2, 6]], [[0, 2], [7, 6]]], dtype=float)
    r = eq.max_welfare(g, epsilon=-3, certify=True)
    assert r.status == "infeasible"
    assert r.certificate.certified
    assert r.certificate.objective_bounds is None


def test_min_epsilon_is_certified_too():
    g = random_game(np.random.default_rng(4), (3, 3))
    r = eq.min_epsilon(g, certify=True, face=False)
    exact = eq.min_epsilon(g, exact=True, face=False)
    lower, upper = r.certificate.objective_bounds
    assert r.certificate.certified
    assert Fraction(lower) <= exact.exact["objective"] <= Fraction(upper)


def test_a_batch_agrees_game_by_game():
    games = np.stack([random_game(np.random.default_rng(s), (3, 3)) for s in range(5)])
    batch = eq.max_welfare_batch(games, certify=True, jobs=2)
    assert len(batch.certificate) == 5
    for k in range(5):
        single = eq.max_welfare(games[k], certify=True, face=False)
        assert batch.certificate[k] == single.certificate
        np.testing.assert_array_equal(batch.joint[k], single.joint)


def test_the_exact_time_limit_is_the_fallback_budget_with_certify():
    g = random_game(np.random.default_rng(3), (4, 4))
    r = eq.max_welfare(g, certify=True, exact_time_limit=5, face=False)
    assert r.certificate.certified
    with pytest.raises(eq.OptionError, match="exact_time_limit"):
        eq.max_welfare(g, certify=True, exact_time_limit=-1)


def test_range_bounds_contain_the_exact_ranges_of_a_tied_game():
    # Column player's third action strictly dominant, row player indifferent: every split of
    # (1,3) and (2,3) is optimal (by hand), so both ranges are [0, 1]; the exact solve agrees.
    g = np.array([[[1, 1, 0], [1, 1, 0]], [[0, 0, 1], [0, 0, 1]]], dtype=float)
    ours = eq.max_welfare(g, certify=True, face="all")
    c = ours.certificate
    assert c.certified and c.range_note is None
    assert c.range_bounds.shape == (2, 3, 2)
    exact = eq.max_welfare(g, exact=True, face="all")
    for a in np.ndindex(2, 3):
        lo, hi = c.range_bounds[a]
        assert Fraction(float(lo)) <= exact.exact["range_min"][a] and exact.exact["range_max"][a] <= Fraction(float(hi))
        assert exact.exact["range_max"][a] - Fraction(float(hi)) > -1e-9
    assert tuple(c.range_bounds[0, 2]) == (0.0, 1.0) and tuple(c.range_bounds[1, 2]) == (0.0, 1.0)
    assert eq.max_welfare(g, certify=True, face=False).certificate.range_bounds is None
