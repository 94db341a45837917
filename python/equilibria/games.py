"""The game distributions of ``equilibria generate``: game i of a request is the same everywhere."""

from __future__ import annotations

import json
from typing import Sequence

import numpy as np

from ._core import GeneratedGames, InputError, OptionError, _check, _integer, _integers, _seed, _take_text, _text
from ._native import ffi, lib
from .solvers import gain_rows

__all__ = ["generate", "families"]


def families() -> list[tuple[str, str]]:
    """Every distribution: (name, summary), in ``equilibria generate --list`` order."""
    out = ffi.new("char **")
    lib.eq_families(out)
    return [(entry["name"], entry["summary"]) for entry in json.loads(_take_text(out[0]))]


def generate(family: str, actions: Sequence[int] | int, count: int = 1, *, players: int | None = None, seed: int = 0,
             first: int = 0, normalize: str | None = None, gamut_normalize: tuple[float, float] | None = None
             ) -> GeneratedGames:
    """Games ``first`` … ``first + count − 1`` of a distribution, as ``equilibria generate`` writes them.

    Args:
        family: ``l1``, ``l2``, ``linf`` or a GAMUT preset (``D1`` … ``D22``, or its name); see :func:`families`.
        actions: the action counts, one per player; or one count for every player with ``players``.
        seed: the request's seed (``generate --seed``).
        normalize: ``l1``, ``l2`` or ``linf`` (``generate --normalize``); ``None`` for none.
        gamut_normalize: (min, max), GAMUT's affine ``-normalize`` (``generate --gamut-normalize``).
    """
    family_text = _text(family, "family")
    if isinstance(actions, (int, np.integer)) and not isinstance(actions, (bool, np.bool_)):
        if players is None:
            raise OptionError("players: give the number of players with a single action count")
        counts = [_integer(actions, "actions", -2**63)] * _integer(players, "players", 1, 1 << 20)
    else:
        counts = _integers(actions, "actions", -2**63)
        if players is not None and _integer(players, "players", 1, 1 << 20) != len(counts):
            raise OptionError(f"players: {players}, but {len(counts)} action counts")
    count = _integer(count, "count", 1)
    first = _integer(first, "first")
    if first + count > 2**63 - 1:
        raise OptionError(f"first + count: {first} + {count} exceeds the largest game index, 2^63 − 1")
    n = len(counts)
    if n == 0:
        raise OptionError("actions: no players; give one action count per player")
    normalize_text = ffi.NULL if normalize is None else _text(normalize, "normalize")
    try:
        gain_rows(counts)  # the library's check of the shape, before anything is allocated for it
    except InputError as error:  # here the shape is an option, not an input
        raise OptionError(str(error)) from None
    shape = (int(count), n) + tuple(counts)
    entries = int(np.prod(shape, dtype=object))
    if entries > 1 << 27:
        raise OptionError(f"{count} games of shape {tuple(counts)}: more than 2^27 payoff entries in one call; ask in parts (first=...)")
    counts_array = np.ascontiguousarray(counts, dtype=np.int64)
    payoffs = np.zeros(shape, dtype=np.float64)
    scales = np.zeros((count, n), dtype=np.float64)
    offsets = np.zeros((count, n), dtype=np.float64)
    redraws = np.zeros(count, dtype=np.int64)
    keep = []
    gamut = ffi.NULL
    if gamut_normalize is not None:
        try:
            pair = np.ascontiguousarray(gamut_normalize, dtype=np.float64)
        except (TypeError, ValueError):
            raise OptionError(f"gamut_normalize: {gamut_normalize!r}; give (min, max) as two numbers") from None
        if pair.shape != (2,) or np.asarray(gamut_normalize).dtype.kind not in "biuf":
            raise OptionError(f"gamut_normalize: {gamut_normalize!r}; give (min, max) as two numbers")
        keep.append(pair)
        gamut = ffi.from_buffer("double[]", pair)
    message = ffi.new("char **")
    _check(lib.eq_generate(family_text, n,
                           ffi.from_buffer("int64_t[]", counts_array), _seed(seed, "seed"), first, count,
                           normalize_text, gamut,
                           ffi.from_buffer("double[]", payoffs), ffi.from_buffer("double[]", scales),
                           ffi.from_buffer("double[]", offsets), ffi.from_buffer("int64_t[]", redraws), message), message)
    return GeneratedGames(payoffs=payoffs, scales=scales, offsets=offsets, redraws=redraws,
                          game_index=np.arange(first, first + count, dtype=np.int64), family=family, seed=int(seed))
