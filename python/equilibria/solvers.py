"""Equilibrium selection: the linear programs and the ε̂-MWMRE (C)CE.

Every function takes payoffs of shape [N, n_1, ..., n_N] (player first, then each player's
action, C order: what ``equilibria`` and ``numpy.load`` of its archives use), as anything
``numpy.asarray`` accepts (float32, float64, integers, JAX arrays), and returns a frozen
dataclass of numpy arrays. The ``*_batch`` forms take [K, N, n_1, ..., n_N] and solve the K
games on ``jobs`` threads with the GIL released; their answers do not depend on ``jobs``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from ._core import (CONCEPTS, METHODS, OBJECTIVES, PRESETS, LPCertificate, LPResult, MWMREResult, OptionError, _check,
                    _epsilon_text,
                    _float64, _fraction, _Games, _integers, _jobs, _json_list, _lookup, _Outputs, _seed, _single, _STATUS)
from ._native import ffi, lib

__all__ = [
    "lp", "lp_batch", "max_welfare", "max_welfare_batch", "min_welfare", "max_linear", "min_linear",
    "max_probability", "min_epsilon", "mwmre", "mwmre_batch", "tie_break", "tie_break_batch", "gain_rows",
]


def gain_rows(actions: Sequence[int], concept: str = "ce") -> int:
    """R, the number of gain rows (the length of a dual vector) of a concept for a shape."""
    counts = np.ascontiguousarray(_integers(actions, "actions", -2**63), dtype=np.int64)
    out = ffi.new("int64_t *")
    message = ffi.new("char **")
    _check(lib.eq_gain_rows(len(counts), ffi.from_buffer("int64_t[]", counts), _lookup(CONCEPTS, concept, "concept"),
                            out, message), message)
    return int(out[0])


# ---------------------------------------------------------------------------------------------
# Linear programs

def lp(payoffs: Any, objective: str = "max-welfare", *, concept: str = "ce", epsilon: Any = None,
       coefficients: Any = None, joint_action: Sequence[int] | None = None, welfare: Any = None,
       exact: bool = False, face: bool | str = True, exact_time_limit: float | None = None,
       certify: bool = False) -> LPResult:
    """A linear selection among the (coarse) correlated equilibria of one game.

    Args:
        payoffs: [N, n_1, ..., n_N].
        objective: ``max-welfare`` (the given ``welfare``, else Σ_p G_p), ``min-welfare``,
            ``max-linear`` / ``min-linear`` (``coefficients`` over joint actions, [n_1, ..., n_N]),
            ``max-probability`` (of ``joint_action``, 0-based), ``min-epsilon`` (the smallest shared ε),
            ``min-epsilon-per-player`` (the smallest Σ_p ε_p).
        concept: ``ce`` or ``cce``.
        epsilon: ε_p: one value or one per player (floats at their exact binary value, or
            :class:`~fractions.Fraction`, or exact decimal strings such as ``"0.1"`` or ``"-1/2"``);
            negative asks for strictness. Not with the min-epsilon objectives.
        exact: solve and certify in exact rational arithmetic (the payoffs are the doubles' exact values).
        face: decide uniqueness and the range of each σ(a) over the optimal face: ``True`` (the
            ranges that fit in about the LP's own simplex work; the others not computed, see
            ``note``), ``"all"`` (every range), ``"unique"`` (uniqueness only) or ``False``.
        exact_time_limit: seconds for the exact path (default 10), then the double answer, uncertified;
            with ``certify``, the budget of the certificate's exact fallback.
        certify: prove the double-precision answer rigorously (floating-point enclosures with every
            rounding bounded; exact rational arithmetic only where they cannot decide). The result's
            ``certificate`` then holds the proof's verdict and bounds. Not with ``exact``.

    Raises:
        InputError: malformed payoffs or arrays.
        OptionError: an option that is malformed or does not apply (``epsilon`` with a min-epsilon
            objective, ``coefficients`` without a linear objective, …).
    """
    return _single(_lp(payoffs, objective, concept, epsilon, coefficients, joint_action, welfare, exact, face,
                       exact_time_limit, certify, batched=False, jobs=1), batched=False)


def lp_batch(payoffs: Any, objective: str = "max-welfare", *, concept: str = "ce", epsilon: Any = None,
             coefficients: Any = None, joint_action: Sequence[int] | None = None, welfare: Any = None,
             exact: bool = False, face: bool | str = True, exact_time_limit: float | None = None,
             certify: bool = False, jobs: int | None = 0) -> LPResult:
    """:func:`lp` for K games of one shape, [K, N, n_1, ..., n_N], on ``jobs`` threads (0: one per core).

    ``welfare`` is [K, n_1, ..., n_N]; ``coefficients`` and ``epsilon`` apply to every game. A game the
    solver fails on has status ``failed`` and its reason in ``note``; it is never dropped.
    """
    return _lp(payoffs, objective, concept, epsilon, coefficients, joint_action, welfare, exact, face,
               exact_time_limit, certify, batched=True, jobs=jobs)


def max_welfare(payoffs: Any, *, concept: str = "ce", epsilon: Any = None, welfare: Any = None, exact: bool = False,
                face: bool | str = True, exact_time_limit: float | None = None, certify: bool = False) -> LPResult:
    """The maximum-welfare (C)CE (welfare: the given one, else Σ_p G_p), with uniqueness and face ranges."""
    return lp(payoffs, "max-welfare", concept=concept, epsilon=epsilon, welfare=welfare, exact=exact, face=face,
              exact_time_limit=exact_time_limit, certify=certify)


def max_welfare_batch(payoffs: Any, *, concept: str = "ce", epsilon: Any = None, welfare: Any = None,
                      exact: bool = False, face: bool | str = False, exact_time_limit: float | None = None,
                      certify: bool = False, jobs: int | None = 0) -> LPResult:
    """The maximum-welfare (C)CE of K games: the LP ``equilibria batch`` records as ``mw_*`` (there
    without the face analysis, hence ``face=False`` by default here; ``certify=True`` gives the
    certificates ``batch --certify`` records as ``mw_certified`` and the other ``mw_`` keys)."""
    return lp_batch(payoffs, "max-welfare", concept=concept, epsilon=epsilon, welfare=welfare, exact=exact, face=face,
                    exact_time_limit=exact_time_limit, certify=certify, jobs=jobs)


def min_welfare(payoffs: Any, **options) -> LPResult:
    """The minimum-welfare (C)CE; options as :func:`lp`."""
    return lp(payoffs, "min-welfare", **options)


def max_linear(payoffs: Any, coefficients: Any, **options) -> LPResult:
    """The (C)CE maximising c·σ; options as :func:`lp`."""
    return lp(payoffs, "max-linear", coefficients=coefficients, **options)


def min_linear(payoffs: Any, coefficients: Any, **options) -> LPResult:
    """The (C)CE minimising c·σ; options as :func:`lp`."""
    return lp(payoffs, "min-linear", coefficients=coefficients, **options)


def max_probability(payoffs: Any, joint_action: Sequence[int], **options) -> LPResult:
    """The (C)CE with the largest probability of one joint action (0-based); options as :func:`lp`."""
    return lp(payoffs, "max-probability", joint_action=joint_action, **options)


def min_epsilon(payoffs: Any, *, per_player: bool = False, concept: str = "ce", exact: bool = False,
                face: bool | str = True, exact_time_limit: float | None = None, certify: bool = False) -> LPResult:
    """The strictest (C)CE: the smallest shared ε (or the smallest Σ_p ε_p with ``per_player``)."""
    return lp(payoffs, "min-epsilon-per-player" if per_player else "min-epsilon", concept=concept, exact=exact,
              face=face, exact_time_limit=exact_time_limit, certify=certify)


def _lp(payoffs, objective, concept, epsilon, coefficients, joint_action, welfare, exact, face, exact_time_limit,
        certify, *, batched: bool, jobs) -> LPResult:
    if objective in ("min-welfare", "max-linear", "min-linear", "max-probability", "min-epsilon",
                     "min-epsilon-per-player") and welfare is not None:
        raise OptionError(f"welfare applies to max-welfare only (the objective is {objective})")
    games = _Games(payoffs, batched=batched, welfare=welfare)
    concept_code = _lookup(CONCEPTS, concept, "concept")
    options = ffi.new("eq_lp_options *")
    options.concept = concept_code
    options.objective = _lookup(OBJECTIVES, objective, "objective")
    eps = _epsilon_text(epsilon)
    options.epsilon = eps
    keep = []
    if coefficients is not None:
        c = _float64(coefficients, "coefficients").ravel()
        if c.size != games.joint:
            raise OptionError(f"coefficients: {c.size} values; the game has {games.joint} joint actions")
        keep.append(c)
        options.coefficients = ffi.from_buffer("double[]", c)
    if joint_action is not None:
        a = np.asarray(joint_action)
        if a.shape != (games.players,) or not np.issubdtype(a.dtype, np.integer):
            raise OptionError(f"joint_action: expected {games.players} integer actions (0-based), got {joint_action!r}")
        a = np.ascontiguousarray(a, dtype=np.int64)
        keep.append(a)
        options.joint_action = ffi.from_buffer("int64_t[]", a)
    if certify and exact:
        raise OptionError("certify applies to the double-precision solve, and exact is certified already: "
                          "give one of certify and exact")
    options.exact = 1 if exact else 0
    options.certify = 1 if certify else 0
    face_codes = {True: 1, False: 0, "all": 2, "unique": 3}
    if not (isinstance(face, (bool, np.bool_)) or face in ("all", "unique")):
        raise OptionError(f"face: expected True, False, 'all' or 'unique', got {face!r}")
    options.face = face_codes[bool(face) if isinstance(face, (bool, np.bool_)) else face]
    options.exact_time_limit = float("nan") if exact_time_limit is None else _number(exact_time_limit, "exact_time_limit")
    k, a_shape, n = games.count, games.actions, games.players
    rows = games.rows(concept_code)
    result = ffi.new("eq_lp_result *")
    out = _Outputs()
    for name, shape, dtype in [
        ("status", (k,), np.int32), ("certified", (k,), np.int32), ("unique", (k,), np.int32),
        ("objective", (k,), np.float64), ("joint", (k,) + a_shape, np.float64), ("epsilon", (k, n), np.float64),
        ("duals", (k, rows), np.float64), ("range_min", (k,) + a_shape, np.float64),
        ("range_max", (k,) + a_shape, np.float64), ("ranges_defined", (k,), np.int32),
        ("expected_payoffs", (k, n), np.float64), ("max_gains", (k, n), np.float64), ("welfare", (k,), np.float64),
        ("max_violation", (k,), np.float64), ("iterations", (k,), np.int64),
    ]:
        out.bind(result, name, shape, dtype)
    if certify:
        out.bind(result, "certificate_bounds", (k, 2), np.float64)
        out.bind(result, "certificate_joint_error", (k,), np.float64)
    message = ffi.new("char **")
    _check(lib.eq_lp_solve(games.struct, options, _jobs(jobs), result, message), message)
    notes = _json_list(result, "notes")
    exact_values = _json_list(result, "exact")
    certificates = _json_list(result, "certificates")
    x = out.arrays
    defined = x["ranges_defined"].astype(bool)
    unique = [None if u < 0 else bool(u) for u in x["unique"]]
    # One game: the ranges, or None when they were not computed. A batch: [K, ...] arrays that
    # hold σ itself where ranges_defined is false.
    ranges = (x["range_min"], x["range_max"]) if batched or defined[0] else (None, None)
    return LPResult(
        status=np.array([_STATUS[s] for s in x["status"]]), objective=x["objective"], joint=x["joint"],
        epsilon=x["epsilon"], duals=x["duals"], certified=x["certified"].astype(bool), unique=unique,
        range_min=ranges[0], range_max=ranges[1], ranges_defined=defined,
        expected_payoffs=x["expected_payoffs"], max_gains=x["max_gains"], welfare=x["welfare"],
        max_violation=x["max_violation"], iterations=x["iterations"], note=notes,
        exact=[None if e is None else _fractions(e, a_shape) for e in exact_values] if exact else None,
        certificate=[_certificate(c, x["certificate_bounds"][g], x["certificate_joint_error"][g], a_shape)
                     for g, c in enumerate(certificates)] if certify else None)


def _certificate(record: dict, bounds, joint_error, actions: tuple) -> LPCertificate:
    ranges = record.get("range_bounds")
    if ranges is not None:
        ranges = np.array([(np.nan, np.nan) if r is None else (float(r[0]), float(r[1])) for r in ranges],
                          dtype=np.float64).reshape(tuple(actions) + (2,))
    return LPCertificate(
        certified=bool(record["certified"]), method=record["method"], reason=record["reason"],
        objective_bounds=(float(bounds[0]), float(bounds[1])) if record["bounded"] else None,
        joint_error=float(joint_error) if record["joint_bounded"] else None,
        proves_unique=bool(record["proves_unique"]), range_bounds=ranges, range_note=record.get("range_note"))


def _fractions(values: dict, actions: tuple) -> dict:
    """Exact values as Fractions; the joint and its ranges in the game's shape."""
    def convert(key, v):
        if v is None:
            return None
        if isinstance(v, list):
            array = np.array([_fraction(x) for x in v], dtype=object)
            return array.reshape(actions) if key in ("joint", "range_min", "range_max") else array
        return _fraction(v)
    return {key: convert(key, v) for key, v in values.items()}


def _number(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise OptionError(f"{name}: {value!r} is not a number")
    return float(value)


# ---------------------------------------------------------------------------------------------
# MWMRE

def mwmre(payoffs: Any, concept: str = "ce", *, preset: str = "ME", mu: float | None = None, rho: float | None = None,
          eps_hat: Any = None, eps_plus: Any = None, target: Any = None, welfare: Any = None, seed: int | None = None,
          raw_units: bool = False, method: str = "newton", tolerance: float | None = None) -> MWMREResult:
    """The ε̂-MWMRE (C)CE of one game: what a Neural Equilibrium Solver is trained to output.

    The problem is the one ``equilibria solve --objective mwmre`` poses (one definition, in the
    library): the preset of the paper's Table 3, with every explicit value overriding it.

    Args:
        payoffs: [N, n_1, ..., n_N].
        concept: ``ce`` or ``cce``.
        preset: ``ME`` (default), ``MT``, ``MU``, ``MWME``, ``MRE``, ``MS``, ``eps-ME``, ``eps-MWME``, ``eps-MRE``.
        mu: welfare weight μ (``inf``: max welfare, then max entropy on that face).
        rho: ε-penalty weight ρ > 0 (``inf``: ε pinned to ε̂, by facial reduction where needed).
        eps_hat, eps_plus: ε̂ and the cap ε⁺: one value or one per player, in the units solved in.
        target: σ̂, [n_1, ..., n_N] summing to 1, or ``"uniform"``.
        welfare: W over joint actions, in the payoffs' units (normalised with them).
        seed: seed of the sampled parts (MRE's target, the eps- presets' ε̂); refused when nothing is sampled.
        raw_units: solve the payoffs as given instead of the L2-normalised game (the presets' units).
        method: ``newton`` (default), ``lbfgsb`` or ``lbfgsb-newton``.
        tolerance: KKT tolerance (default 1e-10 relative to the game's scale; at most 1e-2 × the largest
            deviation gain, since a looser one stops short of a solution).

    Raises:
        InputError, OptionError: with the library's message, naming the parameter by its symbol.
    """
    return _single(_mwmre(payoffs, concept, preset, mu, rho, eps_hat, eps_plus, target, welfare, seed, raw_units,
                          method, tolerance, batched=False, normalized=False, game_indices=None, collection_seed=0,
                          jobs=1), batched=False)


def mwmre_batch(payoffs: Any, concept: str = "ce", *, preset: str = "ME", mu: float | None = None,
                rho: float | None = None, eps_hat: Any = None, eps_plus: Any = None, target: Any = None,
                welfare: Any = None, seed: int | None = None, raw_units: bool = False, method: str = "newton",
                tolerance: float | None = None, normalized: bool = False, game_indices: Any = None,
                collection_seed: int = 0, jobs: int | None = 0) -> MWMREResult:
    """:func:`mwmre` for K games of one shape, [K, N, n_1, ..., n_N], on ``jobs`` threads.

    The games are a generated collection, as in ``equilibria batch``: game k's sampled parts
    (MRE's target, the eps- presets' ε̂, MWME's welfare when none is given) come from
    ``collection_seed`` (or ``seed``) and its index ``game_indices[k]`` (default ``k``).
    ``normalized=True`` says the payoffs are already L2-normalised (a ``batch`` archive's ``payoffs``):
    with it, an archive's games give its ``me_*`` arrays bit for bit. ``target`` and ``welfare``
    may be shared ([n_1, ..., n_N]) or per game ([K, n_1, ..., n_N]).
    """
    return _mwmre(payoffs, concept, preset, mu, rho, eps_hat, eps_plus, target, welfare, seed, raw_units, method,
                  tolerance, batched=True, normalized=normalized,
                  game_indices="default" if game_indices is None else game_indices,
                  collection_seed=collection_seed, jobs=jobs)


def _mwmre_options(games: _Games, concept, preset, mu, rho, eps_hat, eps_plus, target, welfare, seed, raw_units,
                   method, tolerance, keep: list):
    o = ffi.new("eq_mwmre_options *")
    o.concept = _lookup(CONCEPTS, concept, "concept")
    if not isinstance(preset, str) or preset not in _PRESET_TEXT:
        raise OptionError(f"preset: {preset!r} is not one of {', '.join(_PRESET_TEXT)}")
    o.preset = _PRESET_TEXT[preset]
    o.raw_units = 1 if raw_units else 0
    o.mu = float("nan") if mu is None else _number(mu, "μ (mu)")
    o.rho = float("nan") if rho is None else _number(rho, "ρ (rho)")
    if o.mu != o.mu and mu is not None or o.rho != o.rho and rho is not None:
        raise OptionError("μ and ρ must be numbers, not NaN")
    for name, value, symbol in (("eps_hat", eps_hat, "ε̂ (eps_hat)"), ("eps_plus", eps_plus, "ε⁺ (eps_plus)")):
        if value is None:
            setattr(o, name, ffi.NULL)
            setattr(o, name + "_count", 0)
        else:
            v = _float64(value, symbol).ravel()
            if v.size == 0:
                raise OptionError(f"{symbol}: no values")
            keep.append(v)
            setattr(o, name, ffi.from_buffer("double[]", v))
            setattr(o, name + "_count", v.size)
    o.target_uniform = 0
    if isinstance(target, str):
        if target != "uniform":
            raise OptionError(f"σ̂ (target): {target!r}; give an array or 'uniform'")
        o.target_uniform = 1
    elif target is not None:
        t = _per_game(target, games, "σ̂ (target)")
        keep.append(t)
        o.target = ffi.from_buffer("double[]", t)
        o.target_per_game = 1 if t.size != games.joint else 0
    if welfare is not None:
        w = _per_game(welfare, games, "W (welfare)")
        keep.append(w)
        o.welfare = ffi.from_buffer("double[]", w)
        o.welfare_per_game = 1 if w.size != games.joint else 0
    if seed is not None:
        o.has_seed = 1
        o.seed = _seed(seed, "seed")
    o.method = _lookup(METHODS, method, "method")
    o.tolerance = float("nan") if tolerance is None else _number(tolerance, "tolerance")
    return o


_PRESET_TEXT = {name: ffi.new("char[]", name.encode()) for name in PRESETS}


def _per_game(value: Any, games: _Games, name: str) -> np.ndarray:
    v = _float64(value, name)
    if v.size == games.joint:
        return v.ravel()
    if v.size == games.count * games.joint and games.count > 1:
        return v.reshape(-1)
    raise OptionError(f"{name}: shape {v.shape}; expected {games.actions} (shared) "
                      + (f"or {(games.count,) + games.actions} (per game)" if games.count > 1 else ""))


def _mwmre_outputs(result, games: _Games, rows: int) -> _Outputs:
    k, a, n = games.count, games.actions, games.players
    out = _Outputs()
    for name, shape, dtype in [
        ("status", (k,), np.int32), ("certified", (k,), np.int32), ("duals_attained", (k,), np.int32),
        ("joint", (k,) + a, np.float64), ("epsilon", (k, n), np.float64), ("payoff_scale", (k, n), np.float64),
        ("duals", (k, rows), np.float64), ("dual_objective", (k,), np.float64),
        ("primal_objective", (k,), np.float64), ("gap", (k,), np.float64), ("kkt_residual", (k,), np.float64),
        ("max_violation", (k,), np.float64), ("iterations", (k,), np.int64), ("minimum_epsilon", (k,), np.float64),
        ("minimum_epsilon_defined", (k,), np.int32), ("maximum_welfare", (k,), np.float64),
        ("maximum_welfare_defined", (k,), np.int32), ("zero_joint_actions", (k,), np.int64),
        ("equality_rows", (k,), np.int64), ("target", (k,) + a, np.float64), ("problem_welfare", (k,) + a, np.float64),
        ("welfare_defined", (k,), np.int32), ("eps_hat", (k, n), np.float64), ("eps_plus", (k, n), np.float64),
        ("mu", (k,), np.float64), ("rho", (k,), np.float64),
    ]:
        out.bind(result, name, shape, dtype)
    return out


def _mwmre_result(result, out: _Outputs, batched: bool) -> MWMREResult:
    x = out.arrays
    messages = _json_list(result, "messages")
    notes = _json_list(result, "certificate_notes")
    scale = x["payoff_scale"]
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(scale != 0, x["epsilon"] / np.where(scale != 0, scale, 1), np.inf)
    min_eps = [float(v) if d else None for v, d in zip(x["minimum_epsilon"], x["minimum_epsilon_defined"])]
    max_w = [float(v) if d else None for v, d in zip(x["maximum_welfare"], x["maximum_welfare_defined"])]
    welfare_defined = x["welfare_defined"].astype(bool)
    problem = {
        "target": x["target"], "eps_hat": x["eps_hat"], "eps_plus": x["eps_plus"], "mu": x["mu"], "rho": x["rho"],
        "payoff_scale": scale,
        "welfare": (x["problem_welfare"] if welfare_defined.all() else None) if not batched
        else (x["problem_welfare"] if welfare_defined.any() else None),
    }
    return MWMREResult(
        status=np.array([_STATUS[s] for s in x["status"]]), joint=x["joint"], epsilon=x["epsilon"], epsilon_raw=raw,
        duals=x["duals"], duals_attained=x["duals_attained"].astype(bool), dual_objective=x["dual_objective"],
        primal_objective=x["primal_objective"], gap=x["gap"], certified=x["certified"].astype(bool),
        certificate_note=notes, kkt_residual=x["kkt_residual"], max_violation=x["max_violation"],
        iterations=x["iterations"], minimum_epsilon=min_eps, maximum_welfare=max_w,
        zero_joint_actions=x["zero_joint_actions"], equality_rows=x["equality_rows"], problem=problem,
        message=messages)


def _mwmre(payoffs, concept, preset, mu, rho, eps_hat, eps_plus, target, welfare, seed, raw_units, method, tolerance,
           *, batched, normalized, game_indices, collection_seed, jobs) -> MWMREResult:
    games = _Games(payoffs, batched=batched, game_indices=game_indices, collection_seed=collection_seed,
                   normalized=normalized)
    keep: list = []
    options = _mwmre_options(games, concept, preset, mu, rho, eps_hat, eps_plus, target, welfare, seed, raw_units,
                             method, tolerance, keep)
    result = ffi.new("eq_mwmre_result *")
    out = _mwmre_outputs(result, games, games.rows(options.concept))
    message = ffi.new("char **")
    _check(lib.eq_mwmre_solve(games.struct, options, _jobs(jobs), result, message), message)
    return _mwmre_result(result, out, batched)


def tie_break(payoffs: Any, concept: str = "ce", *, epsilon: Any = None) -> MWMREResult:
    """The maximum-welfare (C)CE of maximum entropy (``solve --tie-break max-entropy``, the μ = ∞ limit)."""
    return _single(_tie_break(payoffs, concept, epsilon, batched=False, jobs=1), batched=False)


def tie_break_batch(payoffs: Any, concept: str = "ce", *, epsilon: Any = None, jobs: int | None = 0) -> MWMREResult:
    """:func:`tie_break` for K games of one shape."""
    return _tie_break(payoffs, concept, epsilon, batched=True, jobs=jobs)


def _tie_break(payoffs, concept, epsilon, *, batched, jobs) -> MWMREResult:
    games = _Games(payoffs, batched=batched)
    concept_code = _lookup(CONCEPTS, concept, "concept")
    eps = _epsilon_text(epsilon)
    result = ffi.new("eq_mwmre_result *")
    out = _mwmre_outputs(result, games, games.rows(concept_code))
    message = ffi.new("char **")
    _check(lib.eq_tie_break(games.struct, concept_code, eps, _jobs(jobs), result, message), message)
    return _mwmre_result(result, out, batched)
