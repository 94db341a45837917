"""Every bad input or option is an exception carrying the library's message, never a crash.

The hostile calls also run in a child interpreter, so that an abort would fail this test rather
than end the test run."""

import math
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import equilibria as eq

G = np.array([[[0, 7], [2, 6]], [[0, 2], [7, 6]]], dtype=float)
G3 = np.random.default_rng(0).standard_normal((3, 2, 2, 2))
K2 = np.stack([G, G])

BAD = [
    # (call, exception, words the message must contain)
    (lambda: eq.max_welfare(np.full((2, 2, 2), np.nan)), eq.InputError, "not finite"),
    (lambda: eq.max_welfare(np.full((2, 2, 2), np.inf)), eq.InputError, "not finite"),
    (lambda: eq.max_welfare(np.zeros((2, 2))), eq.InputError, "shape"),
    (lambda: eq.max_welfare(np.zeros((3, 2, 2))), eq.InputError, "players"),
    (lambda: eq.max_welfare(np.zeros((2, 0, 2))), eq.InputError, "actions"),
    (lambda: eq.max_welfare(np.array([["a", "b"], ["c", "d"]])), eq.InputError, "dtype"),
    (lambda: eq.max_welfare(np.zeros((2, 2, 2), dtype=complex)), eq.InputError, "dtype"),
    (lambda: eq.max_welfare(object()), eq.InputError, ""),
    (lambda: eq.max_welfare(np.array([[1e308, -1e308]])), eq.InputError, "range"),
    (lambda: eq.max_welfare(G, concept="nash"), eq.OptionError, "concept"),
    (lambda: eq.max_welfare(G, epsilon=[0, 0, 0]), eq.OptionError, "one per player"),
    (lambda: eq.max_welfare(G, epsilon="abc"), eq.OptionError, "exact number"),
    (lambda: eq.max_welfare(G, epsilon=float("nan")), eq.OptionError, "finite"),
    (lambda: eq.max_welfare(G, exact_time_limit=5), eq.OptionError, "exact or certify only"),
    (lambda: eq.max_welfare(G, exact=True, exact_time_limit=-1), eq.OptionError, "positive"),
    (lambda: eq.max_welfare(G, welfare=np.zeros(3)), eq.InputError, "welfare"),
    (lambda: eq.max_welfare(G, welfare=np.full((2, 2), np.nan)), eq.InputError, "not finite"),
    (lambda: eq.min_welfare(G, welfare=np.zeros((2, 2))), eq.OptionError, "max-welfare only"),
    (lambda: eq.lp(G, "min-epsilon", epsilon=0.1), eq.OptionError, "compute ε"),
    (lambda: eq.lp(G, "max-linear"), eq.OptionError, "coefficients"),
    (lambda: eq.lp(G, "max-welfare", coefficients=np.ones(4)), eq.OptionError, "coefficients"),
    (lambda: eq.max_linear(G, np.ones(3)), eq.OptionError, "joint actions"),
    (lambda: eq.max_linear(G, [1, 2, np.inf, 0]), eq.OptionError, "finite"),
    (lambda: eq.max_probability(G, [0, 2]), eq.OptionError, "player 2"),
    (lambda: eq.max_probability(G, [0]), eq.OptionError, "joint_action"),
    (lambda: eq.lp(G, "max-welfare", joint_action=[0, 0]), eq.OptionError, "max-probability"),
    (lambda: eq.lp(G, "maximum"), eq.OptionError, "objective"),
    (lambda: eq.mwmre(G, preset="XX"), eq.OptionError, "preset"),
    (lambda: eq.mwmre(G, seed=3), eq.OptionError, "seed"),
    (lambda: eq.mwmre(G, preset="MRE", seed=-1), eq.OptionError, "seed"),
    (lambda: eq.mwmre(G, rho=-1), eq.OptionError, "ρ"),
    (lambda: eq.mwmre(G, rho=0), eq.OptionError, "ρ"),
    (lambda: eq.mwmre(G, mu=float("nan")), eq.OptionError, "NaN"),
    (lambda: eq.mwmre(G, mu=1e300), eq.OptionError, "μ"),
    (lambda: eq.mwmre(G, eps_hat=[0, 0, 0]), eq.OptionError, "ε̂"),
    (lambda: eq.mwmre(G, eps_hat=np.inf), eq.OptionError, "ε̂"),
    (lambda: eq.mwmre(G, eps_plus=1, rho=np.inf), eq.OptionError, "ε⁺"),
    (lambda: eq.mwmre(G, mu=np.inf, rho=5), eq.OptionError, "ρ"),
    (lambda: eq.mwmre(G, welfare=np.ones((2, 2))), eq.OptionError, "W"),
    (lambda: eq.mwmre(G, preset="MT"), eq.OptionError, "target"),
    (lambda: eq.mwmre(G, target=np.ones(3) / 3), eq.OptionError, "σ̂"),
    (lambda: eq.mwmre(G, target=np.array([[0.5, 0.5], [0.5, -0.5]])), eq.OptionError, "σ̂"),
    (lambda: eq.mwmre(G, target=np.full((2, 2), 0.5)), eq.OptionError, "sums to 2"),
    (lambda: eq.mwmre(G, target="flat"), eq.OptionError, "uniform"),
    (lambda: eq.mwmre(G, method="sgd"), eq.OptionError, "method"),
    (lambda: eq.mwmre(G, tolerance=0), eq.OptionError, "tolerance"),
    (lambda: eq.mwmre(G, tolerance=-1), eq.OptionError, "tolerance"),
    (lambda: eq.mwmre_batch(K2, raw_units=True, normalized=True), eq.OptionError, "raw_units"),
    (lambda: eq.mwmre_batch(K2, game_indices=[0]), eq.InputError, "game_indices"),
    (lambda: eq.mwmre_batch(K2, game_indices=[0, -1]), eq.InputError, "0 or more"),
    (lambda: eq.mwmre_batch(np.zeros((0, 2, 2, 2))), eq.InputError, "no games"),
    (lambda: eq.mwmre(G, preset="MWME"), eq.OptionError, "needs a welfare"),
    (lambda: eq.lp_batch(K2, jobs=-1), eq.OptionError, "jobs"),
    (lambda: eq.verify(K2), eq.InputError, "exactly one"),
    (lambda: eq.verify(K2, duals=np.zeros((2, 4)), joint=np.zeros((2, 4))), eq.InputError, "exactly one"),
    (lambda: eq.verify(K2, duals=np.zeros((2, 3))), eq.InputError, "duals"),
    (lambda: eq.verify(K2, duals=np.full((2, 4), np.nan)), eq.InputError, "must be finite"),
    (lambda: eq.verify(K2, joint=np.zeros((3, 2, 2))), eq.InputError, "joint"),
    (lambda: eq.verify(K2, joint=np.full((2, 4), 0.25), reference_epsilon=np.zeros((2, 2))), eq.InputError,
     "reference_joint"),
    (lambda: eq.verify(K2, joint=np.full((2, 4), 0.25), concept="cce", preset="ME", rho=-2), eq.OptionError, "ρ"),
    (lambda: eq.generate("nope", 3, 2, players=2), eq.OptionError, "unknown family"),
    (lambda: eq.generate("l2", 3, 0, players=2), eq.OptionError, "count"),
    (lambda: eq.generate("l2", 3, 2), eq.OptionError, "players"),
    (lambda: eq.generate("l2", [3, 0], 2), eq.OptionError, "action"),
    (lambda: eq.generate("l2", 1, 2, players=1), eq.OptionError, "two joint actions"),
    (lambda: eq.generate("l2", 3, 2, players=2, normalize="l3"), eq.OptionError, "normalize"),
    (lambda: eq.generate("l2", 3, 2, players=2, gamut_normalize=(1, 0)), eq.OptionError, "min < max"),
    (lambda: eq.generate("l2", 3, 2, players=2, seed=2 ** 64), eq.OptionError, "seed"),
    (lambda: eq.generate("l2", 3, 2, players=2, first=2 ** 60), eq.OptionError, "2^53"),
    (lambda: eq.generate("l2", 4096, 2 ** 20, players=2), eq.OptionError, "2^27"),
    (lambda: eq.gain_rows([2, -1]), eq.InputError, "actions"),
    (lambda: eq.gain_rows([2 ** 40, 2 ** 40]), eq.InputError, "too large"),
    # Hostile values of every kind: each one an error of this package, never a plain exception.
    (lambda: eq.max_welfare(G, epsilon="0\x001"), eq.OptionError, "NUL"),
    (lambda: eq.generate("l1\x00x", [2, 2]), eq.OptionError, "NUL"),
    (lambda: eq.generate("l1", [2, 2], normalize="l2\x00"), eq.OptionError, "NUL"),
    (lambda: eq.max_welfare(G, epsilon="\udc80"), eq.OptionError, "Unicode"),
    (lambda: eq.max_welfare(G, epsilon="0.1,0.2"), eq.OptionError, "one number per string"),
    (lambda: eq.max_welfare(G, epsilon=10 ** 5000), eq.OptionError, "digits"),
    (lambda: eq.mwmre_batch(np.float64(1)), eq.InputError, "shape"),
    (lambda: eq.verify(np.float64(1), joint=[1]), eq.InputError, "shape"),
    (lambda: eq.mwmre_batch(_RaisingArray()), eq.InputError, "not an array"),
    (lambda: eq.mwmre_batch(K2, jobs=2 ** 64), eq.OptionError, "jobs"),
    (lambda: eq.gain_rows([2 ** 63]), eq.OptionError, "actions"),
    (lambda: eq.gain_rows("ab"), eq.OptionError, "sequence of integers"),
    (lambda: eq.generate("l1", [2, 2], first=2 ** 64), eq.OptionError, "first"),
    (lambda: eq.generate("l1", [2, 2], first=2 ** 63 - 1, count=2), eq.OptionError, "first + count"),
    (lambda: eq.generate("l1", [2, 2], normalize=2), eq.OptionError, "not a string"),
    (lambda: eq.generate("D1", [2, 2], gamut_normalize=("a", "b")), eq.OptionError, "two numbers"),
    (lambda: eq.generate("D1", [2, 2], gamut_normalize=(-1e308, 1e308)), eq.OptionError, "difference is finite"),
    (lambda: eq.generate(b"l1", [2, 2]), eq.OptionError, "not a string"),
    (lambda: eq.generate("l1", "22"), eq.OptionError, "sequence of integers"),
    (lambda: eq.generate("l1", [2.9, 2]), eq.OptionError, "integer"),
    (lambda: eq.max_welfare(np.ones((2, 2, 2), dtype="m8[s]")), eq.InputError, "not numeric"),
    (lambda: eq.mwmre(G, preset=["ME"]), eq.OptionError, "preset"),
    (lambda: eq.mwmre_batch(K2, game_indices=np.array([2 ** 64 - 1, 0], dtype=np.uint64)), eq.InputError,
     "largest game index"),
    (lambda: eq.verify(K2, joint=np.array([[1.5, -0.5, 0, 0]] * 2)), eq.InputError, "≥ 0"),
    (lambda: eq.verify(K2, joint=np.array([[0.5, 0, 0, 0]] * 2)), eq.InputError, "sums to 0.5"),
    (lambda: eq.verify(K2, joint=np.zeros((2, 4))), eq.InputError, "sums to 0"),
    (lambda: eq.verify(K2, joint=np.full((2, 4), 0.25), reference_joint=np.zeros((2, 4))), eq.InputError,
     "reference_joint[0] sums to 0"),
    (lambda: eq.mwmre(G, "cce", rho=math.inf, tolerance=1e300), eq.OptionError, "looser"),
    (lambda: eq.mwmre(G, "ce", tolerance=1.0), eq.OptionError, "looser"),
    (lambda: __import__("equilibria.jpsro").jpsro.meta_solver("ce", epsilon="1/0"), eq.OptionError, "epsilon"),
    (lambda: __import__("equilibria.jpsro").jpsro.meta_solver("ce", epsilon=math.nan), eq.OptionError, "epsilon"),
]


class _RaisingArray:
    """An object whose conversion to an array fails."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("refused")


@pytest.mark.parametrize("index", range(len(BAD)))
def test_bad_requests_raise_with_the_library_message(index):
    call, error, words = BAD[index]
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value), str(raised.value)
    assert str(raised.value).strip()


def test_hostile_calls_never_end_the_interpreter():
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parent)!r})
        import test_errors
        for call, error, words in test_errors.BAD:
            try:
                call()
            except Exception:
                pass
        import numpy as np, equilibria as eq
        rng = np.random.default_rng(1)
        for shape in [(1, 1), (1, 2), (2, 1, 1), (2, 1, 3), (3, 1, 1, 1), (4, 1, 2, 1, 2)]:
            g = rng.standard_normal(shape)
            for concept in ("ce", "cce"):
                eq.max_welfare(g, concept=concept); eq.min_epsilon(g, concept=concept)
                eq.mwmre(g, concept); eq.mwmre(g, concept, rho=float("inf")); eq.mwmre(g, concept, mu=float("inf"))
                eq.tie_break(g, concept)
        print("survived")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "survived" in result.stdout


def test_exact_min_epsilon_on_payoffs_spanning_hundreds_of_binary_orders_answers_without_aborting():
    # GLPK's rational simplex aborts the process on such data (it converts to doubles to pivot):
    # the exact path must not reach it, and must say why the answer is not certified.
    script = textwrap.dedent("""
        import numpy as np, equilibria as eq
        g = np.array([[[-1, -0.9], [0.8, 0.9]], [[-1, 0], [-8e299, 0]]])
        for scale in (1.0, 1e-299):
            for concept in ("ce", "cce"):
                for face in (True, False):
                    r = eq.min_epsilon(g * scale, concept=concept, exact=True, face=face)
                    assert r.status == "optimal" and not r.certified, (r.status, r.certified)
                    assert "2^±256" in r.note, r.note
        r = eq.min_epsilon(g)
        assert not r.certified and "below 2^-50 of the largest" in r.note, r.note
        print("survived")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "survived" in result.stdout


def test_games_at_the_edges_of_the_doubles_solve_or_say_why():
    g = np.array([[[0, 7], [2, 6]], [[0, 2], [7, 6]]], dtype=float)
    reference = eq.tie_break(g, "ce")
    for scale in (1e-300, 1e300):
        scaled = eq.tie_break(g * scale, "ce")
        assert scaled.status == "optimal"
        np.testing.assert_allclose(scaled.joint, reference.joint, atol=1e-9)
        assert scaled.maximum_welfare == pytest.approx(reference.maximum_welfare * scale, rel=1e-12)
    # Subnormal payoffs: the multipliers in the game's units are beyond the doubles; a failure
    # that says so, never a wrong σ or an unrelated message.
    for call in (lambda: eq.tie_break(g * 5e-324, "ce"), lambda: eq.mwmre(g * 5e-324, "ce", rho=math.inf, raw_units=True)):
        r = call()
        assert r.status == "failed" and "range of doubles" in r.message, r.message
    # Normalised (the default), a subnormal game is an ordinary one.
    assert eq.mwmre(g * 5e-324, "ce").status == "optimal"
    with pytest.raises(eq.OptionError, match="beyond the doubles"):
        eq.verify((g * 5e-324)[None], joint=np.full((1, 2, 2), 0.25), raw_units=True)


def test_fortran_warnings_never_reach_standard_output(cli, tmp_path):
    # L-BFGS-B writes "ascent direction in projection" to Fortran's unit 6 when its line search
    # stalls (forced here by an unreachable tolerance); it must go to standard error.
    script = textwrap.dedent("""
        import numpy as np, equilibria as eq
        g = np.array([[[0, 7], [2, 6]], [[0, 2], [7, 6]]], dtype=float)
        r = eq.mwmre(g, "ce", method="lbfgsb", tolerance=1e-300)
        assert r.status == "not-converged", r.status
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == ""
    assert "ascent direction" in result.stderr  # the case does reach the Fortran warning
    game = tmp_path / "g.json"
    game.write_text('{"payoffs": [[[0, 7], [2, 6]], [[0, 2], [7, 6]]]}')
    run = subprocess.run([str(cli), "solve", str(game), "--objective", "mwmre", "--method", "lbfgsb",
                          "--tolerance", "1e-300", "--format", "json"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert __import__("json").loads(run.stdout)["status"] == "not-converged"
    assert "ascent direction" in run.stderr
