"""Training without labels: minimise the mean dual loss E[L(α_θ(G))] over games sampled in
process (nes.problem), with Adam, adaptive gradient clipping and the appendix D.2 schedule.

The paper's schedule is given as (iteration, factor) pairs over 1e8 iterations of batches of
4096: the factor is 1.0 from 1e5, 0.6 from 1e6, 0.3 from 4e6, 0.1 from 7e6, 0.06 from 1e7 and
0.03 from 1e8. Scaled down for a CPU, a run of `steps` maps iteration 1e7 to `steps`: the
factors change at 1%, 10%, 40%, 70% and 100% of the run. The base learning rate is the paper's
4e-4 × `learning_rate_scale`. Adaptive gradient clipping is 1e-3 and weight decay 1e-7, as in
the paper.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import flax.serialization
import jax
import jax.numpy as jnp
import numpy as np
import optax

from . import loss, model, problem

PAPER_SCHEDULE = ((1e5, 1.0), (1e6, 0.6), (4e6, 0.3), (7e6, 0.1), (1e7, 0.06), (1e8, 0.03))


@dataclass(frozen=True)
class Config:
    """Everything a run depends on (saved with each checkpoint)."""

    concept: str = "ce"
    preset: str = "ME"
    actions: tuple = (3, 3)
    steps: int = 2000
    batch_size: int = 128
    seed: int = 0
    learning_rate_scale: float = 1.0
    clipping: float = 1e-3
    weight_decay: float = 1e-7
    payoff_features: tuple = model.DEFAULT_SIZE[0]
    dual_features: int = model.DEFAULT_SIZE[1]
    dual_layer_features: tuple = model.DEFAULT_SIZE[2]

    def network(self) -> model.NES:
        return model.NES(self.concept, tuple(self.payoff_features), self.dual_features, tuple(self.dual_layer_features))

    @staticmethod
    def from_json(text: str) -> "Config":
        values = json.loads(text)
        for key in ("actions", "payoff_features", "dual_layer_features"):
            values[key] = tuple(values[key])
        return Config(**values)


def schedule(config: Config) -> optax.Schedule:
    """The appendix D.2 schedule scaled to `config.steps` (see the module text)."""
    base = 4e-4 * config.learning_rate_scale
    boundaries, previous = {}, 1.0
    for iteration, factor in PAPER_SCHEDULE:
        step = int(round(iteration / 1e7 * config.steps))
        if 0 < step <= config.steps and factor != previous:
            boundaries[step] = factor / previous
        previous = factor
    return optax.piecewise_constant_schedule(base, boundaries)


def optimiser(config: Config) -> optax.GradientTransformation:
    return optax.chain(optax.adaptive_grad_clip(config.clipping), optax.add_decayed_weights(config.weight_decay),
                       optax.adam(schedule(config)))


@dataclass
class State:
    config: Config
    params: Any
    batch_stats: Any
    opt_state: Any
    step: int = 0
    history: list = field(default_factory=list)

    @property
    def variables(self) -> dict:
        return {"params": self.params, "batch_stats": self.batch_stats}


def initial_state(config: Config) -> State:
    constants = problem.preset_constants(config.preset, config.concept, config.actions)
    key = jax.random.PRNGKey(config.seed)
    k_init, k_batch = jax.random.split(key)
    dummy = problem.input_channels(problem.sample_batch(k_batch, max(config.batch_size, 256), constants))
    variables = model.initialise(config.network(), k_init, dummy)
    return State(config=config, params=variables["params"], batch_stats=variables["batch_stats"],
                 opt_state=optimiser(config).init(variables["params"]))


def make_step(config: Config) -> Callable:
    """One jitted training step: sample a batch for `step`, descend on its mean dual loss."""
    constants = problem.preset_constants(config.preset, config.concept, config.actions)
    net, tx = config.network(), optimiser(config)
    base = jax.random.fold_in(jax.random.PRNGKey(config.seed), 1)

    def objective(params, batch_stats, batch):
        alpha, updates = net.apply({"params": params, "batch_stats": batch_stats}, problem.input_channels(batch),
                                   train=True, mutable=["batch_stats"])
        return loss.batch_loss(batch, alpha).mean(), updates["batch_stats"]

    @jax.jit
    def step(params, batch_stats, opt_state, index):
        batch = problem.sample_batch(jax.random.fold_in(base, index), config.batch_size, constants)
        (value, batch_stats), grads = jax.value_and_grad(objective, has_aux=True)(params, batch_stats, batch)
        updates, opt_state = tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), batch_stats, opt_state, value

    return step


def train(state: State, steps: int, *, evaluate: Callable[[State], dict] | None = None, every: int = 0,
          log: Callable[[str], None] | None = None) -> State:
    """Runs `steps` more steps; `evaluate(state)` every `every` steps (and at the end) is recorded
    in `state.history` with the step and the elapsed training time."""
    step = make_step(state.config)
    first = state.step
    trained = state.history[-1].get("train_seconds", 0.0) if state.history else 0.0  # evaluations excluded
    start = time.perf_counter()
    values = []
    for i in range(steps):
        state.params, state.batch_stats, state.opt_state, value = step(
            state.params, state.batch_stats, state.opt_state, first + i)
        values.append(value)
        state.step = first + i + 1
        if evaluate is not None and ((every and (i + 1) % every == 0) or i + 1 == steps):
            jax.block_until_ready(state.params)
            trained += time.perf_counter() - start
            entry = {"step": state.step, "train_seconds": trained,
                     "train_loss": float(np.mean(values[-every or -1:]))}
            entry.update(evaluate(state))
            state.history.append(entry)
            if log:
                log(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in entry.items()))
            start = time.perf_counter()
    return state


def predict(state: State, batch: problem.Batch, chunk: int = 1024) -> np.ndarray:
    """Duals α of every game of `batch`, in canonical row order [B, R] (float64 arrays)."""
    net = state.config.network()
    apply = jax.jit(lambda v, x: net.apply(v, x, train=False))
    out = []
    for start in range(0, batch.payoffs.shape[0], chunk):
        part = problem.Batch(*(jnp.asarray(np.asarray(getattr(batch, f)[start:start + chunk]), dtype=jnp.float32)
                               for f in ("payoffs", "eps_hat", "target", "welfare")), constants=batch.constants)
        alpha = apply(state.variables, problem.input_channels(part))
        out.append(np.asarray(loss.flat_duals(alpha, state.config.concept), dtype=np.float64))
    return np.concatenate(out)


def save(state: State, path: Path) -> None:
    """A checkpoint: the configuration and history (JSON) and the variables and optimiser state."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.json").write_text(json.dumps(asdict(state.config), indent=1))
    (path / "history.json").write_text(json.dumps({"step": state.step, "history": state.history}, indent=1))
    blob = {"params": state.params, "batch_stats": state.batch_stats, "opt_state": state.opt_state}
    (path / "state.msgpack").write_bytes(flax.serialization.to_bytes(blob))


def load(path: Path) -> State:
    """The state :func:`save` wrote; training can go on from it."""
    path = Path(path)
    config = Config.from_json((path / "config.json").read_text())
    template = initial_state(config)
    blob = flax.serialization.from_bytes(
        {"params": template.params, "batch_stats": template.batch_stats, "opt_state": template.opt_state},
        (path / "state.msgpack").read_bytes())
    meta = json.loads((path / "history.json").read_text())
    return State(config=config, params=blob["params"], batch_stats=blob["batch_stats"], opt_state=blob["opt_state"],
                 step=meta["step"], history=meta["history"])
