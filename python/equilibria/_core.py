"""The calls into the library: arrays in, dataclasses of arrays out.

Every function here packs numpy arrays into the structs of ``equilibria.h``, calls the library
(the GIL is released for the whole call), and unpacks the result. Validation is the library's:
it checks every value before computing anything and answers with an error code and a message,
which become :class:`InputError` or :class:`OptionError`.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from ._native import ffi, lib

__all__ = [
    "EquilibriaError", "InputError", "OptionError", "LPResult", "LPCertificate", "MWMREResult", "Metrics", "GeneratedGames",
    "PRESETS", "CONCEPTS", "OBJECTIVES", "METHODS",
]

CONCEPTS = {"ce": lib.EQ_CE, "cce": lib.EQ_CCE}
OBJECTIVES = {
    "max-welfare": lib.EQ_MAX_WELFARE, "min-welfare": lib.EQ_MIN_WELFARE, "max-linear": lib.EQ_MAX_LINEAR,
    "min-linear": lib.EQ_MIN_LINEAR, "max-probability": lib.EQ_MAX_PROBABILITY,
    "min-epsilon": lib.EQ_MIN_EPSILON, "min-epsilon-per-player": lib.EQ_MIN_EPSILON_PER_PLAYER,
}
METHODS = {"newton": lib.EQ_NEWTON, "lbfgsb": lib.EQ_LBFGSB, "lbfgsb-newton": lib.EQ_LBFGSB_NEWTON}
PRESETS = ("ME", "MT", "MU", "MWME", "MRE", "MS", "eps-ME", "eps-MWME", "eps-MRE")
_STATUS = {lib.EQ_OPTIMAL: "optimal", lib.EQ_INFEASIBLE: "infeasible", lib.EQ_NOT_CONVERGED: "not-converged",
           lib.EQ_FAILED: "failed"}


class EquilibriaError(ValueError):
    """A request the library refused, with its message."""


class InputError(EquilibriaError):
    """A game, an array or a shape is malformed."""


class OptionError(EquilibriaError):
    """An option is malformed, out of range, or does not apply."""


class InternalError(RuntimeError):
    """A failure outside the statuses; it is a defect of the library, reported instead of a crash."""


def _take_text(pointer) -> str:
    if pointer == ffi.NULL:
        return ""
    try:
        return ffi.string(pointer).decode("utf-8")
    finally:
        lib.eq_free(pointer)


def _check(code: int, message) -> None:
    text = _take_text(message[0])
    if code == lib.EQ_OK:
        return
    if code == lib.EQ_BAD_INPUT:
        raise InputError(text)
    if code == lib.EQ_BAD_OPTION:
        raise OptionError(text)
    raise InternalError(text or f"library error code {code}")


def _lookup(table: dict, value: str, what: str) -> int:
    try:
        return table[value]
    except (KeyError, TypeError):
        raise OptionError(f"{what}: {value!r} is not one of {', '.join(table)}") from None


# ---------------------------------------------------------------------------------------------
# Games

class _Games:
    """K games of one shape, packed for the library (the arrays stay alive with this object)."""

    def __init__(self, payoffs: Any, *, batched: bool, welfare: Any = None, game_indices: Any = None,
                 collection_seed: int = 0, normalized: bool = False):
        array = _float64(payoffs, "payoffs")
        if not batched:
            array = array[np.newaxis]
        if array.ndim < 3:
            raise InputError(f"payoffs: shape {array.shape[1:] if not batched else array.shape} is not "
                             + ("[K, N, n_1, ..., n_N]" if batched else "[N, n_1, ..., n_N]"))
        k, n = array.shape[0], array.shape[1]
        if array.ndim != n + 2:
            shape = array.shape if batched else array.shape[1:]
            raise InputError(f"payoffs: shape {tuple(shape)} has {n} players but {array.ndim - 2} action axes; "
                             "the shape is " + ("[K, N, n_1, ..., n_N]" if batched else "[N, n_1, ..., n_N]"))
        if k == 0:
            raise InputError("payoffs: no games (K = 0)")
        self.count = k
        self.actions = tuple(int(a) for a in array.shape[2:])
        self.players = n
        self.joint = int(np.prod(self.actions, dtype=np.int64)) if self.actions else 1
        self._payoffs = np.ascontiguousarray(array)
        self._counts = np.ascontiguousarray(self.actions, dtype=np.int64)
        self._welfare = None
        if welfare is not None:
            w = _float64(welfare, "welfare")
            expected = (k,) + self.actions if batched else self.actions
            if w.shape != expected and w.size == k * self.joint:
                w = w.reshape(expected)
            if w.shape != expected:
                raise InputError(f"welfare: shape {w.shape}; expected {expected}")
            self._welfare = np.ascontiguousarray(w)
        self._indices = None
        if game_indices is not None:
            idx = np.arange(k) if isinstance(game_indices, str) and game_indices == "default" else np.asarray(game_indices)
            if idx.shape != (k,) or idx.dtype.kind not in "iu":
                raise InputError(f"game_indices: expected {k} integers, got shape {idx.shape} of {idx.dtype}")
            if idx.dtype.kind == "u" and k and idx.max() > 2**63 - 1:  # would wrap to negative in int64
                raise InputError(f"game_indices: {idx.max()} is beyond the largest game index, 2^63 − 1")
            self._indices = np.ascontiguousarray(idx, dtype=np.int64)
        self.struct = ffi.new("eq_games *")
        self.struct.players = n
        self.struct.action_counts = ffi.from_buffer("int64_t[]", self._counts)
        self.struct.count = k
        self.struct.payoffs = ffi.from_buffer("double[]", self._payoffs)
        self.struct.welfare = ffi.NULL if self._welfare is None else ffi.from_buffer("double[]", self._welfare)
        self.struct.game_indices = ffi.NULL if self._indices is None else ffi.from_buffer("int64_t[]", self._indices)
        self.struct.collection_seed = _seed(collection_seed, "collection_seed")
        self.struct.normalized = 1 if normalized else 0

    def rows(self, concept: int) -> int:
        out = ffi.new("int64_t *")
        message = ffi.new("char **")
        _check(lib.eq_gain_rows(self.players, self.struct.action_counts, concept, out, message), message)
        return int(out[0])


def _float64(value: Any, name: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except Exception as error:  # anything np.asarray refuses, or an __array__ that raises
        raise InputError(f"{name}: not an array ({type(error).__name__}: {error})") from None
    # Booleans, integers and floats only: not objects, strings, datetimes or timedeltas (numpy
    # counts timedelta64 as an integer type).
    if array.dtype.kind not in "biuf":
        raise InputError(f"{name}: dtype {array.dtype} is not numeric")
    if np.issubdtype(array.dtype, np.floating) and array.dtype.itemsize > 8:
        raise InputError(f"{name}: dtype {array.dtype} has more precision than float64; convert it explicitly")
    return np.ascontiguousarray(array, dtype=np.float64)


def _text(value: Any, name: str) -> bytes:
    """A string option as UTF-8 for the library: refuses non-strings, NUL characters (C would end
    the string there) and text that is not valid Unicode (lone surrogates)."""
    if not isinstance(value, str):
        raise OptionError(f"{name}: {value!r} is not a string")
    if "\x00" in value:
        raise OptionError(f"{name}: {value!r} contains a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise OptionError(f"{name}: {value!r} is not valid Unicode text") from None


def _integer(value: Any, name: str, low: int = 0, high: int = 2**63 - 1) -> int:
    """An integer option in [low, high] (Python or numpy integers; not bools, floats or strings)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not low <= int(value) <= high:
        raise OptionError(f"{name}: {value!r} is not an integer in [{low}, {high}]")
    return int(value)


def _integers(values: Any, name: str, low: int = 0, high: int = 2**63 - 1) -> list[int]:
    """A sequence of integer options (a list, tuple or integer array; not a string)."""
    if isinstance(values, (str, bytes)) or np.ndim(values) != 1:
        raise OptionError(f"{name}: {values!r} is not a sequence of integers")
    return [_integer(v, name, low, high) for v in (values.tolist() if isinstance(values, np.ndarray) else values)]


def _fraction(text: str) -> Fraction:
    """An exact value the library wrote ("p/q" or an integer), of any number of digits (Python
    refuses to parse more than 4300 by default)."""
    numerator, _, denominator = text.partition("/")
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    if limit and max(len(numerator), len(denominator)) > limit - 1:
        sys.set_int_max_str_digits(0)
        try:
            return Fraction(int(numerator), int(denominator or "1"))
        finally:
            sys.set_int_max_str_digits(limit)
    return Fraction(text)


def _seed(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not 0 <= int(value) < 2**64:
        raise OptionError(f"{name}: {value!r} is not an integer in [0, 2^64)")
    return int(value)


def _exact_text(value: Any, name: str) -> str:
    """An exact rational as text: a float is taken at its exact binary value; Fraction, int and
    decimal strings ("1.1" is 11/10, "-1/2") exactly."""
    if isinstance(value, (bool, np.bool_)):
        raise OptionError(f"{name}: {value!r} is not a number")
    if isinstance(value, str):
        _text(value, name)
        if "," in value:
            raise OptionError(f"{name}: {value!r}; give one number per string (a list for one per player)")
        return value
    try:
        if isinstance(value, (int, np.integer)):
            return str(int(value))
        if isinstance(value, Fraction):
            return f"{value.numerator}/{value.denominator}"
    except ValueError:  # more digits than Python converts to text
        raise OptionError(f"{name}: a number with more digits than Python converts to text ({sys.get_int_max_str_digits()}); give it as a float or a smaller fraction") from None
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            raise OptionError(f"{name}: {v} is not finite")
        p, q = v.as_integer_ratio()
        return f"{p}/{q}"
    raise OptionError(f"{name}: {value!r} is not a number")


def _epsilon_text(epsilon: Any) -> Any:
    if epsilon is None:
        return ffi.NULL
    values = [epsilon] if np.ndim(epsilon) == 0 or isinstance(epsilon, str) else list(np.asarray(epsilon, dtype=object).ravel())
    return ffi.new("char[]", _text(",".join(_exact_text(v, "epsilon") for v in values), "epsilon"))


def _jobs(jobs: int | None) -> int:
    if jobs is None:
        return 1
    if isinstance(jobs, (bool, np.bool_)) or not isinstance(jobs, (int, np.integer)) or not 0 <= jobs <= 1 << 16:
        raise OptionError(f"jobs: {jobs!r}; give a number of threads, at most 65536 (0: one per core)")
    return int(jobs)


class _Outputs:
    """Output arrays of a call, allocated here and handed to the library by pointer."""

    def __init__(self):
        self.arrays: dict[str, np.ndarray] = {}

    def bind(self, struct, name: str, shape: tuple, dtype) -> None:
        array = np.zeros(shape, dtype=dtype)
        self.arrays[name] = array
        ctype = {np.float64: "double[]", np.int32: "int32_t[]", np.int64: "int64_t[]"}[dtype]
        setattr(struct, name, ffi.from_buffer(ctype, array))


def _json_list(struct, name: str) -> list:
    return json.loads(_take_text(getattr(struct, name)) or "[]")


# ---------------------------------------------------------------------------------------------
# Results

@dataclass(frozen=True)
class LPResult:
    """A linear selection (as ``equilibria solve`` without ``--objective mwmre``).

    For a batch, every field has a leading axis of K games.

    Attributes:
        status: ``"optimal"``, ``"infeasible"`` (with a Farkas certificate) or ``"failed"`` (see ``note``).
        objective: the LP's value.
        joint: σ, shape [n_1, ..., n_N].
        epsilon: ε_p per player (the given bounds, or the minimising ε of the min-epsilon objectives).
        duals: α ≥ 0 of the gain rows in canonical order (Farkas multipliers when infeasible).
        certified: the status was proven (exact certificate, or a rigorous Farkas proof).
        unique: whether σ is the unique optimum; ``None`` when not decided or not computed.
        range_min, range_max: the range of each σ(a) over the optimal face (``None`` without ``face``;
            in a batch, σ itself where ``ranges_defined`` is false).
        ranges_defined: whether every range was computed (see ``face``).
        expected_payoffs, max_gains: per player, under σ.
        welfare: Σ_p G_p (or the given welfare) under σ.
        max_violation: the largest gain violation, relative to the payoff scale.
        iterations: simplex iterations.
        note: why something is uncertified, undecided or failed ("" when nothing is).
        exact: with ``exact=True``, the exact values as :class:`fractions.Fraction` (keys ``objective``,
            ``joint``, ``epsilon``, ``duals``, ``range_min``, ``range_max``, ``farkas_gap``); else ``None``.
    """

    status: Any
    objective: Any
    joint: np.ndarray
    epsilon: np.ndarray
    duals: np.ndarray
    certified: Any
    unique: Any
    range_min: Any
    range_max: Any
    ranges_defined: Any
    expected_payoffs: np.ndarray
    max_gains: np.ndarray
    welfare: Any
    max_violation: Any
    iterations: Any
    note: Any
    exact: Any
    certificate: Any = None


@dataclass(frozen=True)
class LPCertificate:
    """The rigorous certificate of a double-precision LP answer (``certify=True``).

    Attributes:
        certified: the answer is proven optimal (or the infeasibility proven) for the exact program.
        method: ``"floating-point enclosure"``, ``"exact basis"``, ``"exact simplex"``, ``"Farkas
            certificate"``, ``"constant player"``, or ``"none"``.
        reason: why it is not certified, or what the exact fallback did; ``None`` otherwise.
        objective_bounds: a rigorous enclosure (lower, upper) of the optimal value; ``None`` when
            there is none (an infeasible program).
        joint_error: a rigorous bound on max_a |σ(a) − σ*(a)| for the σ returned; ``None`` when none.
        proves_unique: the proof also shows the optimum unique.
        range_bounds: rigorous outer bounds on the range of each σ(a) over the exact optimal face,
            an array of the game's shape + (2,) (lower, upper), NaN where the range was not
            computed; ``None`` when no range was (``face`` not asked for, or a unique optimum
            found without ranges).
        range_note: what the range bounds do not cover, and why; ``None`` otherwise.
    """

    certified: bool
    method: str
    reason: Any
    objective_bounds: Any
    joint_error: Any
    proves_unique: bool
    range_bounds: Any = None
    range_note: Any = None


@dataclass(frozen=True)
class MWMREResult:
    """An ε̂-MWMRE (C)CE (as ``equilibria solve --objective mwmre``).

    For a batch, every field has a leading axis of K games.

    Attributes:
        status: ``"optimal"``, ``"infeasible"`` (ε̂ below the minimum permissible ε, at ρ = ∞),
            ``"not-converged"`` or ``"failed"`` (see ``message``).
        joint: σ = softmax(μW − Σ α A + ln σ̂), shape [n_1, ..., n_N].
        epsilon: ε per player, in the units solved in (normalised unless ``raw_units``).
        epsilon_raw: ε in the payoffs' own units, ε_p / c_p (``inf`` for a constant player).
        duals: α ≥ 0 in canonical row order; ``duals_attained`` is false when facial reduction
            replaced the full problem's (ρ = ∞).
        dual_objective: L(α), the dual loss (Theorem 1 for CE, Theorem 2 for CCE).
        primal_objective: P(σ, ε).
        gap: the certified gap L(α) − P(σ(α), ε̃), an upper bound on KL(σ‖σ*) when ``certified``;
            otherwise L − P at the recovered point.
        certified, certificate_note: whether the gap is a certificate, and why not.
        kkt_residual, max_violation, iterations: convergence figures.
        minimum_epsilon: the minimum permissible shared ε when infeasible, else ``None``.
        maximum_welfare: the maximum welfare of the μ = ∞ face, else ``None``.
        zero_joint_actions, equality_rows: what facial reduction found (ρ = ∞).
        problem: the problem solved: ``target`` (σ̂), ``welfare`` (W, or ``None``), ``eps_hat``,
            ``eps_plus``, ``mu``, ``rho``, ``payoff_scale`` (c_p).
        message: the solver's status message.
    """

    status: Any
    joint: np.ndarray
    epsilon: np.ndarray
    epsilon_raw: np.ndarray
    duals: np.ndarray
    duals_attained: Any
    dual_objective: Any
    primal_objective: Any
    gap: Any
    certified: Any
    certificate_note: Any
    kkt_residual: Any
    max_violation: Any
    iterations: Any
    minimum_epsilon: Any
    maximum_welfare: Any
    zero_joint_actions: Any
    equality_rows: Any
    problem: dict = field(repr=False)
    message: Any = ""


@dataclass(frozen=True)
class Metrics:
    """What ``equilibria verify`` measures, per game (leading axis K), in the units solved in.

    Every key of ``metrics.npz`` is a field: ``gap``, ``gap_eps``, ``gap_eps_hat``, ``max_ce_gain``,
    ``max_cce_gain`` ([K, N]), ``corr_dist_ce``, ``certified_gap``, ``kl_pred_ref``, ``kl_ref_pred``, ``tv``,
    ``max_abs_diff``, ``eps_diff`` ([K, N]), ``welfare``, ``welfare_ref``, ``welfare_diff``,
    ``dual_objective``, ``dual_suboptimality``, ``epsilon`` ([K, N]), and ``joint`` ([K, n_1..n_N]), the
    σ evaluated. A metric that is undefined for a game is ``inf`` there (never NaN) and
    ``defined[key]`` says where it is defined; ``certificate_note`` says why a certificate is missing.
    """

    joint: np.ndarray
    epsilon: np.ndarray
    max_ce_gain: np.ndarray
    max_cce_gain: np.ndarray
    corr_dist_ce: np.ndarray
    gap: np.ndarray
    gap_eps: np.ndarray
    gap_eps_hat: np.ndarray
    welfare: np.ndarray
    dual_objective: np.ndarray
    certified_gap: np.ndarray
    kl_pred_ref: np.ndarray
    kl_ref_pred: np.ndarray
    tv: np.ndarray
    max_abs_diff: np.ndarray
    eps_diff: np.ndarray
    welfare_ref: np.ndarray
    welfare_diff: np.ndarray
    dual_suboptimality: np.ndarray
    defined: dict
    certificate_note: list


@dataclass(frozen=True)
class GeneratedGames:
    """Games of a distribution, as ``equilibria generate`` writes them.

    Attributes:
        payoffs: [K, N, n_1, ..., n_N].
        scales, offsets: [K, N], the per-player normalisation applied (1 and 0 without one).
        redraws: [K], degenerate GAMUT draws redone.
        game_index: [K], the index of each game within the request.
        family, seed: the request.
    """

    payoffs: np.ndarray
    scales: np.ndarray
    offsets: np.ndarray
    redraws: np.ndarray
    game_index: np.ndarray
    family: str
    seed: int


def _single(result, batched: bool):
    """The result of one game: row 0 of every array field, scalars as Python numbers."""
    if batched:
        return result
    values = {}
    for name in result.__dataclass_fields__:
        value = getattr(result, name)
        if name == "problem":
            value = {k: (None if v is None else _first(v)) for k, v in value.items()}
        elif name in ("range_min", "range_max"):
            value = None if value is None else value[0]
        elif name in ("exact", "certificate"):
            value = None if value is None else value[0]
        else:
            value = _first(value)
        values[name] = value
    return type(result)(**values)


def _first(value):
    if isinstance(value, np.ndarray):
        row = value[0]
        return row.item() if row.ndim == 0 else row
    if isinstance(value, list):
        return value[0]
    return value
