"""A real client: OpenSpiel's JPSRO with our meta-solvers, registered at run time."""

import numpy as np
import pyspiel
import pytest
from open_spiel.python.algorithms import jpsro

import equilibria.jpsro as ours


def test_register_adds_the_solvers_without_touching_openspiel():
    table = ours.register()
    assert table is jpsro.FLAG_TO_FUNC
    for name in ("mece", "mecce", "min_epsilon_mece", "approx_mecce", "mwmece", "mwmecce"):
        assert table[name] is ours.SOLVERS[name]
    assert "mgce" in table      # OpenSpiel's own are still there


@pytest.mark.parametrize("game,concept,solver", [
    ("kuhn_poker(players=3)", "ce", "mece"),
    ("kuhn_poker(players=3)", "cce", "mecce"),
    ("sheriff(num_rounds=1,max_bribe=2)", "cce", "min_epsilon_mecce"),
    ("sheriff(num_rounds=1,max_bribe=2)", "ce", "mwmece"),
    ("leduc_poker", "ce", "approx_mece"),
])
def test_every_meta_distribution_our_solver_returns_is_an_equilibrium_of_its_meta_game(game, concept, solver):
    ours.register()
    checked = []

    def checking(meta_game, per_player_repeats, ignore_repeats=False):
        # What our meta-solver returns to JPSRO (JPSRO then zeroes entries below its DIST_TOL).
        dist, info = ours.SOLVERS[solver](meta_game, per_player_repeats, ignore_repeats=ignore_repeats)
        assert dist.shape == meta_game.shape[1:]
        assert np.all(dist >= 0) and abs(dist.sum() - 1) < 1e-12
        allowed = 1e-9 * max(1.0, float(np.abs(meta_game).max())) + max(0.0, info["eps_hat"])
        gain = ours.equilibrium_gap(meta_game, dist, concept)
        assert gain <= allowed, (gain, allowed, info["status"])
        checked.append(meta_game.shape)
        return dist, info

    jpsro.FLAG_TO_FUNC["checking"] = checking
    try:
        jpsro.run_loop(pyspiel.load_game(game), game, iterations=3, target_equilibrium=concept,
                       train_meta_solver="checking", eval_meta_solver="checking")
    finally:
        del jpsro.FLAG_TO_FUNC["checking"]
    # run_loop runs iterations 1 … 3 and initialises with one solve each for train and eval.
    assert len(checked) >= 8
    assert max(np.prod(s[1:]) for s in checked) > 1
