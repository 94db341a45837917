"""The equivariant network (appendix C of the paper), in Flax.

Tensors are channels-last. Payoff features are [B, N, n_1, …, n_N, C], dual features are
[B, N, n, C] (CCE) or [B, N, n, n, C] (CE). Every layer is built the same way: pooled copies of
its input (mean and max over subsets of the player and action dimensions) are broadcast back and
concatenated with it, then mapped by a Dense layer over channels (shared by every player and
action), BatchNorm and ReLU. Since every operation is either pointwise, or a reduction over a
whole player or action dimension, the network is equivariant by construction to a relabelling of
each player's actions. When the players have equal action counts (required here), it is also
equivariant to permutations of the players.

The pooling sets are the reading of the paper's equations 18, 19 and 20 this project chose
(their text is lost), listed in the package README:
- payoffs → payoffs: identity, and mean and max over
  - {all joint actions},
  - {players},
  - {players, all joint actions},
  - {the table's own player's action},
  - {the other players' actions};
- payoffs → duals: per player p and own action r, the mean and max of its table over a_−p
  (f(r)). CCE: f(k). CE: f(r), f(k), and the mean and max over a_−p of G_p(k, a_−p) − G_p(r, a_−p);
- duals → duals: identity, and mean and max over
  - {deviation},
  - {recommendation} (CE),
  - {both} (CE),
  - {players and actions} (a pool over players alone would mix unrelated labels: player p's
    action k and player q's action k have nothing in common);
  with the CE transpose (r, k) → (k, r) as one more channel. CE reductions skip the diagonal;
- output: Dense(1) and softplus, α ≥ 0 (the CE diagonal set to 0).
"""

from __future__ import annotations

from typing import Sequence

import math
from functools import partial

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

DEFAULT_SIZE = ((32, 32, 32, 32, 32), 64, (32, 32))  # the paper's [(32 × 5), 64, (32, 32)]


def _mean(x: jnp.ndarray, axes: tuple, keepdims: bool = False) -> jnp.ndarray:
    """The mean over `axes`, independent of the order of the pooled entries to the last bit.

    A floating-point sum depends on the order of its terms, and BatchNorm amplifies such
    differences in near-constant channels (a normalised table's mean is 0 up to round-off): a
    plain mean made a relabelled game's α differ by 0.15. Here every entry is rounded to a
    fixed-point integer on a grid set by the largest magnitude of its set (itself
    order-independent), and the integers are summed exactly. The grid is 2^−(30 − ⌈log2 m⌉) of
    that magnitude for m entries (2^−26 for 9 entries, finer than float32 itself). The gradient
    is the plain mean's. Summing sorted values would do the same at 3.6× the cost."""
    axes = tuple(a % x.ndim for a in axes)
    return _exact_mean(x, axes, keepdims)


@partial(jax.custom_jvp, nondiff_argnums=(1, 2))
def _exact_mean(x, axes, keepdims):
    m = int(np.prod([x.shape[a] for a in axes]))
    top = jnp.max(jnp.abs(x), axis=axes, keepdims=True)
    _, exponent = jnp.frexp(top)                       # top < 2^exponent
    shift = 30 - exponent - int(math.ceil(math.log2(max(m, 1))))
    # Multiplications by powers of two (exact), in two halves: 2^shift may exceed float32's range.
    half = shift // 2
    up_a, up_b = jnp.exp2(half.astype(x.dtype)), jnp.exp2((shift - half).astype(x.dtype))
    total = jnp.round(x * up_a * up_b).astype(jnp.int32).sum(axis=axes, keepdims=True)
    result = total.astype(x.dtype) / m / up_a / up_b
    return result if keepdims else jnp.squeeze(result, axes)


@_exact_mean.defjvp
def _exact_mean_jvp(axes, keepdims, primals, tangents):
    (x,), (dx,) = primals, tangents
    return _exact_mean(x, axes, keepdims), dx.mean(axis=axes, keepdims=keepdims)


def _pool(x: jnp.ndarray, axes: tuple) -> list:
    """Mean and max over `axes`, broadcast back to x's shape."""
    return [jnp.broadcast_to(_mean(x, axes, keepdims=True), x.shape),
            jnp.broadcast_to(x.max(axis=axes, keepdims=True), x.shape)]


def _own_action_pools(x: jnp.ndarray, players: int) -> list:
    """Per player p, its table pooled over its own action axis, and over the other players'."""
    own, others = [], []
    action_axes = tuple(range(1, players + 1))  # within one player's slice [B, a_1…a_N, C]
    for p in range(players):
        s = x[:, p]
        own.append(_pool(s, (1 + p,)))
        rest = tuple(a for a in action_axes if a != 1 + p)
        others.append(_pool(s, rest) if rest else [s, s])
    stacked = []
    for group in (own, others):
        for k in range(2):
            stacked.append(jnp.stack([group[p][k] for p in range(players)], axis=1))
    return stacked


def _mix(features: jnp.ndarray, out: int, momentum: float, train: bool) -> jnp.ndarray:
    """Every layer's last step: Dense over channels, BatchNorm and ReLU (submodules of the
    calling layer)."""
    h = nn.Dense(out)(features)
    h = nn.BatchNorm(use_running_average=not train, momentum=momentum)(h)
    return nn.relu(h)


class PayoffLayer(nn.Module):
    features: int
    momentum: float = 0.9

    @nn.compact
    def __call__(self, x, train: bool):
        players = x.shape[1]
        actions = tuple(range(2, players + 2))
        parts = [x]
        parts += _pool(x, actions)
        parts += _pool(x, (1,))
        parts += _pool(x, (1,) + actions)
        parts += _own_action_pools(x, players)
        return _mix(jnp.concatenate(parts, axis=-1), self.features, self.momentum, train)


class DualHead(nn.Module):
    """Payoff features [B, N, n…, C] → dual features [B, N, n, C'] (CCE) or [B, N, n, n, C'] (CE)."""

    features: int
    concept: str
    momentum: float = 0.9

    @nn.compact
    def __call__(self, x, train: bool):
        players = x.shape[1]
        rows = []
        for p in range(players):
            s = jnp.moveaxis(x[:, p], 1 + p, 1)                      # [B, n (own), rest…, C]
            rest = tuple(range(2, s.ndim - 1))
            f = jnp.concatenate([_mean(s, rest), s.max(axis=rest)], axis=-1) if rest else \
                jnp.concatenate([s, s], axis=-1)                     # [B, n, 2C]
            if self.concept == "cce":
                rows.append(f)
                continue
            n = s.shape[1]
            diff = s[:, None, :] - s[:, :, None]                     # [B, r, k, rest…, C]: G(k) − G(r)
            rest_pair = tuple(range(3, diff.ndim - 1))
            d = jnp.concatenate([_mean(diff, rest_pair), diff.max(axis=rest_pair)], axis=-1) if rest_pair \
                else jnp.concatenate([diff, diff], axis=-1)          # [B, r, k, 2C]
            fr = jnp.broadcast_to(f[:, :, None], (f.shape[0], n, n, f.shape[-1]))
            fk = jnp.broadcast_to(f[:, None, :], (f.shape[0], n, n, f.shape[-1]))
            rows.append(jnp.concatenate([fr, fk, d], axis=-1))
        h = _mix(jnp.stack(rows, axis=1), self.features, self.momentum, train)
        return _masked(h, self.concept)


def _masked(h: jnp.ndarray, concept: str) -> jnp.ndarray:
    if concept == "cce":
        return h
    n = h.shape[-2]
    return h * (~np.eye(n, dtype=bool))[:, :, None]


def _masked_pool(y: jnp.ndarray, axes: tuple, concept: str) -> list:
    """Mean and max over `axes` of the dual features, skipping the CE diagonal."""
    if concept == "cce":
        return _pool(y, axes)
    n = y.shape[-2]
    mask = jnp.asarray(~np.eye(n, dtype=bool))[:, :, None]
    mask = jnp.broadcast_to(mask, y.shape[1:])[None]
    count = jnp.broadcast_to(mask, y.shape).sum(axis=axes, keepdims=True)
    size = int(np.prod([y.shape[a] for a in axes]))
    mean = _mean(jnp.where(mask, y, 0), axes, keepdims=True) * size / jnp.maximum(count, 1)
    top = jnp.where(mask, y, -jnp.inf).max(axis=axes, keepdims=True)
    top = jnp.where(jnp.isfinite(top), top, 0)
    return [jnp.broadcast_to(mean, y.shape), jnp.broadcast_to(top, y.shape)]


class DualLayer(nn.Module):
    features: int
    concept: str
    momentum: float = 0.9

    @nn.compact
    def __call__(self, y, train: bool):
        if self.concept == "cce":          # [B, N, n, C]
            sets = [(2,), (1, 2)]
            parts = [y]
        else:                              # [B, N, n, n, C]
            sets = [(3,), (2,), (2, 3), (1, 2, 3)]
            parts = [y, jnp.swapaxes(y, 2, 3)]
        for axes in sets:
            parts += _masked_pool(y, axes, self.concept)
        h = _mix(jnp.concatenate(parts, axis=-1), self.features, self.momentum, train)
        return _masked(h, self.concept)


class NES(nn.Module):
    """Game inputs [B, N, n…, 4] → duals α ≥ 0: CCE [B, N, n], CE [B, N, n, n] (zero diagonal)."""

    concept: str = "ce"
    payoff_features: Sequence[int] = DEFAULT_SIZE[0]
    dual_features: int = DEFAULT_SIZE[1]
    dual_layer_features: Sequence[int] = DEFAULT_SIZE[2]
    momentum: float = 0.9

    @nn.compact
    def __call__(self, x, train: bool = False):
        sizes = set(x.shape[2:-1])
        if len(sizes) != 1:
            raise ValueError(f"every player needs the same number of actions (got {x.shape[2:-1]})")
        for features in self.payoff_features:
            x = PayoffLayer(features, self.momentum)(x, train)
        y = DualHead(self.dual_features, self.concept, self.momentum)(x, train)
        for features in self.dual_layer_features:
            y = DualLayer(features, self.concept, self.momentum)(y, train)
        alpha = nn.softplus(nn.Dense(1)(y)[..., 0])
        if self.concept == "ce":
            n = alpha.shape[-1]
            alpha = alpha * (~np.eye(n, dtype=bool))
        return alpha


def initialise(net: NES, key, x: jnp.ndarray):
    """Parameters, and BatchNorm statistics measured on the batch `x` (the paper initialises so
    that every layer's activations have unit variance on a dummy batch): one pass in training
    mode with momentum 0 sets each layer's running mean and variance to its batch's, so that the
    untrained network in inference mode is normalised as in training."""
    variables = net.init(key, x, train=False)
    _, stats = net.clone(momentum=0.0).apply(variables, x, train=True, mutable=["batch_stats"])
    return {"params": variables["params"], "batch_stats": stats["batch_stats"]}


def parameter_count(params) -> int:
    import jax
    return int(sum(np.prod(p.shape) for p in jax.tree_util.tree_leaves(params)))
