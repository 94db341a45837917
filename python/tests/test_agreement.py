"""The Python answer is the CLI's answer: on the fixtures, on random games, and bit for bit on
the archives of `equilibria batch`."""

import json

import numpy as np
import pytest

import equilibria as eq
from conftest import game_payoffs, random_game, run, solve_json, write_game

FIXTURES = ["battle-of-the-sexes.json", "chicken.json", "gibson.json", "matching-pennies.json",
            "prisoners-dilemma.json", "shapley.json", "table5-ce.json", "table5-cce.json", "three-player.json"]


def close(a, b, tol=1e-12):
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=0, atol=tol * max(1.0, np.abs(b).max(initial=0)))


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("concept", ["ce", "cce"])
def test_fixture_lp_and_mwmre_agree_with_the_cli(cli, fixtures, tmp_path, name, concept):
    path = fixtures / name
    g = game_payoffs(cli, path, tmp_path)
    # Game JSON from the CLI's own reading: the same doubles, without exact decimals.
    plain = write_game(tmp_path / "plain.json", g)
    for objective, function in (("max-welfare", eq.max_welfare), ("min-epsilon", eq.min_epsilon)):
        ours = function(g, concept=concept)
        theirs = solve_json(cli, plain, "--concept", concept, "--objective", objective)
        assert ours.status == theirs["status"]
        close(ours.joint, theirs["joint"])
        close(ours.objective, theirs["objective"])
        close(ours.duals, theirs["duals"])
        close(ours.epsilon, theirs["epsilon"])
        assert ours.unique == theirs.get("unique")
        if ours.range_min is not None:
            close(ours.range_min, theirs["range_min"])
            close(ours.range_max, theirs["range_max"])
    ours = eq.mwmre(g, concept)
    theirs = solve_json(cli, plain, "--concept", concept, "--objective", "mwmre")
    assert ours.status == theirs["status"]
    for key in ("joint", "epsilon", "duals"):
        close(getattr(ours, key), theirs[key])
    close(ours.dual_objective, theirs["dual_objective"])
    assert ours.certified == theirs["certified"]


@pytest.mark.parametrize("name", ["chicken.json", "table5-ce.json", "shapley.json"])
def test_exact_lp_matches_the_cli_exactly(cli, fixtures, tmp_path, name):
    g = game_payoffs(cli, fixtures / name, tmp_path)
    plain = write_game(tmp_path / "plain.json", g)
    ours = eq.max_welfare(g, exact=True)
    theirs = solve_json(cli, plain, "--exact")
    assert ours.certified and theirs["certified"]
    from fractions import Fraction
    assert ours.exact["objective"] == Fraction(theirs["objective_exact"])
    assert [str(x) if x.denominator != 1 else str(x.numerator) for x in ours.exact["joint"].ravel()] == \
        [str(Fraction(x)) for x in theirs["joint_exact"]]


SHAPES = [(2, 2), (3, 3), (2, 4), (4, 3), (2, 2, 2), (3, 2, 2)]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("shape", SHAPES)
def test_random_games_agree_with_the_cli(cli, tmp_path, seed, shape):
    rng = np.random.default_rng(1000 * seed + sum(shape))
    scale = 10.0 ** rng.uniform(-6, 6)
    g = random_game(rng, shape, scale) + rng.uniform(-5, 5, (len(shape),) + (1,) * len(shape)) * scale
    path = write_game(tmp_path / "g.json", g)
    concept = ["ce", "cce"][seed % 2]
    ours = eq.max_welfare(g, concept=concept)
    theirs = solve_json(cli, path, "--concept", concept)
    close(ours.joint, theirs["joint"])
    close(ours.objective, theirs["objective"])
    preset = ["ME", "MRE", "MS", "eps-ME"][seed]
    extra = ["--seed", "7"] if preset in ("MRE", "eps-ME") else []
    ours = eq.mwmre(g, concept, preset=preset, seed=7 if extra else None)
    theirs = solve_json(cli, path, "--concept", concept, "--objective", "mwmre", "--preset", preset, *extra)
    assert ours.status == theirs["status"]
    close(ours.joint, theirs["joint"])
    close(ours.epsilon, theirs["epsilon"])
    close(ours.epsilon_raw, theirs["epsilon_raw"])
    ours = eq.mwmre(g, concept, rho=float("inf"), raw_units=True)
    theirs = solve_json(cli, path, "--concept", concept, "--objective", "mwmre", "--rho", "inf", "--raw-units")
    assert ours.status == theirs["status"]
    close(ours.joint, theirs["joint"], 1e-9)


@pytest.mark.parametrize("preset", ["ME", "MRE", "eps-MWME"])
def test_batch_forms_reproduce_an_archive_of_batch_bit_for_bit(cli, tmp_path, preset):
    out = tmp_path / "batch"
    run(cli, "batch", "--family", "l2", "--players", "2", "--actions", "3", "--count", "12", "--seed", "5",
        "--concept", "ce", "--objective", "max-welfare,mwmre", "--preset", preset, "--chunk-size", "5",
        "--jobs", "2", "--out", out)
    run(cli, "merge", out, "--out", tmp_path / "all.npz")
    archive = np.load(tmp_path / "all.npz")
    payoffs = archive["payoffs"]
    generated = eq.generate("l2", 3, 12, players=2, seed=5, normalize="l2")
    assert np.array_equal(generated.payoffs, payoffs)
    lp = eq.max_welfare_batch(payoffs, jobs=2)
    assert np.array_equal(lp.joint.reshape(12, -1), archive["mw_joint"].reshape(12, -1))
    assert np.array_equal(lp.duals, archive["mw_duals"])
    assert np.array_equal(lp.objective, archive["mw_objective"])
    me = eq.mwmre_batch(payoffs, "ce", preset=preset, normalized=True, collection_seed=5, jobs=2)
    assert list(me.status) == list(archive["me_status"])
    for ours, key in ((me.joint, "me_joint"), (me.epsilon, "me_epsilon"), (me.duals, "me_duals"),
                      (me.dual_objective, "me_dual_objective"), (me.primal_objective, "me_primal_objective"),
                      (me.gap, "me_duality_gap"), (me.kkt_residual, "me_kkt_residual"),
                      (me.problem["target"], "me_target"), (me.problem["eps_hat"], "me_eps_hat")):
        assert np.array_equal(np.asarray(ours).reshape(12, -1), archive[key].reshape(12, -1)), key


def test_verify_matches_the_cli_metrics(cli, tmp_path):
    out = tmp_path / "batch"
    run(cli, "batch", "--family", "l2", "--players", "2", "--actions", "3", "--count", "10", "--seed", "3",
        "--concept", "ce", "--objective", "mwmre", "--preset", "ME", "--out", out)
    run(cli, "merge", out, "--out", tmp_path / "gt.npz")
    archive = np.load(tmp_path / "gt.npz")
    rng = np.random.default_rng(0)
    duals = np.maximum(archive["me_duals"] + rng.normal(0, 0.05, archive["me_duals"].shape), 0)
    np.savez(tmp_path / "pred.npz", duals=duals)
    run(cli, "verify", "--games", tmp_path / "gt.npz", "--predictions", tmp_path / "pred.npz", "--out", tmp_path / "rep")
    theirs = np.load(tmp_path / "rep" / "metrics.npz")
    ours = eq.verify(archive["payoffs"], duals=duals, concept="ce", normalized=True, collection_seed=3,
                     reference_joint=archive["me_joint"], reference_epsilon=archive["me_epsilon"],
                     reference_dual_objective=archive["me_dual_objective"])
    for key in ("gap", "gap_eps", "gap_eps_hat", "certified_gap", "kl_pred_ref", "kl_ref_pred", "tv",
                "max_abs_diff", "max_ce_gain", "max_cce_gain", "eps_diff", "welfare", "welfare_ref",
                "welfare_diff", "dual_objective", "dual_suboptimality", "epsilon", "corr_dist_ce"):
        close(getattr(ours, key), theirs[key])
