"""Verification of a network's output: the metrics of ``equilibria verify``, as arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import CONCEPTS, InputError, Metrics, _check, _float64, _Games, _jobs, _json_list, _lookup, _Outputs
from ._native import ffi, lib
from .solvers import _mwmre_options

__all__ = ["verify"]

_OPTIONAL = ("gap_eps", "gap_eps_hat", "dual_objective", "certified_gap", "kl_pred_ref", "kl_ref_pred", "tv",
             "max_abs_diff", "welfare_ref", "welfare_diff", "dual_suboptimality")


def verify(payoffs: Any, *, duals: Any = None, joint: Any = None, concept: str = "ce", preset: str = "ME",
           mu: float | None = None, rho: float | None = None, eps_hat: Any = None, eps_plus: Any = None,
           target: Any = None, welfare: Any = None, seed: int | None = None, raw_units: bool = False,
           reference_joint: Any = None, reference_epsilon: Any = None, reference_dual_objective: Any = None,
           normalized: bool = False, game_indices: Any = None, collection_seed: int = 0,
           jobs: int | None = 0) -> Metrics:
    """Measures K predictions against equilibrium and, when given, a reference σ*.

    Args:
        payoffs: [K, N, n_1, ..., n_N].
        duals: [K, R] (α ≥ 0 in canonical row order), recovered to σ and ε with the MWMRE problem
            of ``preset`` and the overrides (as :func:`equilibria.mwmre_batch` poses it); or
        joint: [K, n_1, ..., n_N] (or [K, |A|]) distributions. Exactly one of the two.
        reference_joint, reference_epsilon, reference_dual_objective: σ* [K, ...], ε* [K, N], L(α*) [K].
        normalized, game_indices, collection_seed: as :func:`equilibria.mwmre_batch`.

    Metrics are in the units the problem is solved in: the L2-normalised game unless ``raw_units``
    (the units of the duals).
    """
    games = _Games(payoffs, batched=True, game_indices="default" if game_indices is None else game_indices,
                   collection_seed=collection_seed, normalized=normalized)
    keep: list = []
    problem = _mwmre_options(games, concept, preset, mu, rho, eps_hat, eps_plus, target, welfare, seed, raw_units,
                             "newton", None, keep)
    k, a, n = games.count, games.actions, games.players
    rows = games.rows(problem.concept)
    inputs = ffi.new("eq_verify_inputs *")
    inputs.concept = _lookup(CONCEPTS, concept, "concept")
    if (duals is None) == (joint is None):
        raise InputError("give exactly one of duals and joint")
    if duals is not None:
        d = _rows(duals, (k, rows), "duals")
        keep.append(d)
        inputs.duals = ffi.from_buffer("double[]", d)
    else:
        j = _rows(joint, (k,) + a, "joint")
        keep.append(j)
        inputs.joint = ffi.from_buffer("double[]", j)
    for name, value, shape in (("reference_joint", reference_joint, (k,) + a),
                               ("reference_epsilon", reference_epsilon, (k, n)),
                               ("reference_dual_objective", reference_dual_objective, (k,))):
        if value is not None:
            v = _rows(value, shape, name)
            keep.append(v)
            setattr(inputs, name, ffi.from_buffer("double[]", v))
    metrics = ffi.new("eq_metrics *")
    out = _Outputs()
    out.bind(metrics, "joint", (k,) + a, np.float64)
    for name in ("epsilon", "max_ce_gain", "max_cce_gain", "eps_diff"):
        out.bind(metrics, name, (k, n), np.float64)
    for name in ("corr_dist_ce", "gap", "welfare") + _OPTIONAL:
        out.bind(metrics, name, (k,), np.float64)
    for name in ("epsilon", "eps_diff") + _OPTIONAL:
        out.bind(metrics, name + "_defined", (k,), np.int32)
    message = ffi.new("char **")
    _check(lib.eq_verify(games.struct, inputs, problem, _jobs(jobs), metrics, message), message)
    x = out.arrays
    defined = {name: x[name + "_defined"].astype(bool) for name in ("epsilon", "eps_diff") + _OPTIONAL}
    values = {}
    for name in ("epsilon", "eps_diff") + _OPTIONAL:
        mask = defined[name].reshape((-1,) + (1,) * (x[name].ndim - 1))
        values[name] = np.where(mask, x[name], np.inf)
    return Metrics(joint=x["joint"], max_ce_gain=x["max_ce_gain"], max_cce_gain=x["max_cce_gain"],
                   corr_dist_ce=x["corr_dist_ce"], gap=x["gap"], welfare=x["welfare"], defined=defined,
                   certificate_note=_json_list(metrics, "certificate_notes"), **values)


def _rows(value: Any, shape: tuple, name: str) -> np.ndarray:
    v = _float64(value, name)
    if v.shape != shape:
        if v.size == int(np.prod(shape)) and v.shape[:1] == shape[:1]:
            v = v.reshape(shape)
        else:
            raise InputError(f"{name}: shape {v.shape}; expected {shape}")
    return np.ascontiguousarray(v)
