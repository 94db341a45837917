"""The game distributions of ``equilibria generate``: game i of a request is the same everywhere."""

from __future__ import annotations

import json
from typing import Sequence

import numpy as np

from ._core import GeneratedGames, OptionError, _check, _seed, _take_text
from ._native import ffi, lib

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
    if isinstance(actions, (int, np.integer)):
        if players is None:
            raise OptionError("players: give the number of players with a single action count")
        counts = [int(actions)] * int(players)
    else:
        counts = [int(a) for a in actions]
        if players is not None and players != len(counts):
            raise OptionError(f"players: {players}, but {len(counts)} action counts")
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
        raise OptionError(f"count: {count!r}; give 1 or more")
    if isinstance(first, bool) or not isinstance(first, (int, np.integer)) or first < 0:
        raise OptionError(f"first: {first!r}; give 0 or more")
    n = len(counts)
    if n == 0 or min(counts) < 1:
        raise OptionError(f"actions: {counts}; every player needs at least one action")
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
        pair = np.ascontiguousarray(gamut_normalize, dtype=np.float64)
        if pair.shape != (2,):
            raise OptionError("gamut_normalize: give (min, max)")
        keep.append(pair)
        gamut = ffi.from_buffer("double[]", pair)
    message = ffi.new("char **")
    _check(lib.eq_generate(family.encode() if isinstance(family, str) else ffi.NULL, n,
                           ffi.from_buffer("int64_t[]", counts_array), _seed(seed, "seed"), int(first), int(count),
                           ffi.NULL if normalize is None else normalize.encode(), gamut,
                           ffi.from_buffer("double[]", payoffs), ffi.from_buffer("double[]", scales),
                           ffi.from_buffer("double[]", offsets), ffi.from_buffer("int64_t[]", redraws), message), message)
    return GeneratedGames(payoffs=payoffs, scales=scales, offsets=offsets, redraws=redraws,
                          game_index=np.arange(first, first + count, dtype=np.int64), family=family, seed=int(seed))
