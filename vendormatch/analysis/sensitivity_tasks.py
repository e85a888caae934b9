"""The work of sensitivity shared out: robustness scenarios, the tasks sent to worker processes, and
how many workers pay for themselves."""

from __future__ import annotations

import itertools
import math
import os
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vendormatch.analysis.sensitivity_engine import WEIGHT_LIMITS, Engine, weight_change
from vendormatch.analysis.sensitivity_results import (
    Direction,
    Robustness,
    Win,
)
from vendormatch.analysis.weight_bounds import Array, Bounds
from vendormatch.analysis.work_pool import Pending
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.models import Strategy

#: Worker processes are started only for work expected to take at least this long in one process:
#: each costs about a second to start (imports, and the catalogue sent to it).
POOL_MIN_SECONDS = 2.0


# -- robustness ------------------------------------------------------------------------------


def draw_scenarios(strategy: Strategy, scenarios: int, perturbation: float, seed: int) -> list[dict[str, float]]:
    """Each scenario's weight multipliers: one uniform draw in [1-p, 1+p] per objective, in id order."""
    rng = random.Random(seed)
    names = sorted(strategy.objectives)
    return [{o: rng.uniform(1 - perturbation, 1 + perturbation) for o in names} for _ in range(scenarios)]


@dataclass(frozen=True)
class Box:
    """The corners of the perturbation box, as anchors: a scenario's point is their multilinear mean."""

    objectives: tuple[str, ...]
    perturbation: float

    def _bits(self) -> list[tuple[int, ...]]:
        return list(itertools.product((0, 1), repeat=len(self.objectives)))

    def corners(self) -> list[dict[str, float]]:
        """Every corner's multipliers, in a fixed order."""
        p = self.perturbation
        return [dict(zip(self.objectives, (1 + p if bit else 1 - p for bit in bits), strict=True)) for bits in self._bits()]

    def weights(self, multipliers: Mapping[str, float]) -> Array:
        """The corners' convex weights whose mean is the scenario's point."""
        p = self.perturbation
        share = np.array([(multipliers[o] - (1 - p)) / (2 * p) for o in self.objectives])
        bits = np.array(self._bits(), dtype=bool).reshape(-1, len(self.objectives))
        weights: Array = np.prod(np.where(bits, share, 1 - share), axis=1)
        return weights


def use_box(engine: Engine, scenarios: int) -> bool:
    """Corner solves pay off when there are far fewer corners than scenarios."""
    return engine.use_bounds and bool(engine.universe) and 4 * 2 ** len(engine.model.objectives) <= scenarios


def scenario_winners(engine: Engine, bounds: Bounds | None, box: Box | None,
                      chunk: Sequence[dict[str, float]]) -> list[str | None]:
    if bounds is None or box is None:
        return [engine.winner_at(multipliers) for multipliers in chunk]
    return [engine.winner_at(multipliers, bounds, box.weights(multipliers)) for multipliers in chunk]


def summarise(winners: Sequence[str | None], winner: str | None, perturbation: float, seed: int) -> Robustness:
    counts = Counter(winners)
    total = len(winners)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return Robustness(
        scenarios=total, perturbation=perturbation, seed=seed, winner=winner,
        winner_share=round(counts.get(winner, 0) / total, 6) if total else 1.0,
        wins=tuple(Win(product=p, scenarios=n, share=round(n / total, 6)) for p, n in ordered),
    )


# -- tasks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightTask:
    objective: str
    direction: Direction


@dataclass(frozen=True)
class AnchorTask:
    multipliers: dict[str, float]
    products: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioTask:
    bounds: Bounds | None
    box: Box | None
    chunk: tuple[dict[str, float], ...]


Task = WeightTask | AnchorTask | ScenarioTask
Submit = Callable[[Task], Pending[object]]


def perform(engine: Engine, task: Task) -> object:
    """Run one task (in a worker process, or in this one)."""
    match task:
        case WeightTask(objective, direction):
            return weight_change(engine, objective, direction)
        case AnchorTask(multipliers, products):
            return engine.anchor(multipliers, products)
        case ScenarioTask(bounds, box, chunk):
            return scenario_winners(engine, bounds, box, chunk)
    raise TypeError(f"unknown task {task!r}")


def split_chunks(items: Sequence[dict[str, float]], workers: int) -> list[tuple[dict[str, float], ...]]:
    size = max(1, math.ceil(len(items) / (4 * workers)))
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)]


def submit_robustness(engine: Engine, submit: Submit, scenarios: Sequence[dict[str, float]], perturbation: float,
                       workers: int) -> Callable[[], list[str | None]]:
    """Submit the robustness work; return a function that waits for the winners, in scenario order."""
    if perturbation == 0 or not engine.model.objectives or not engine.universe:
        return lambda: [engine.winner] * len(scenarios)  # nothing that matters moves
    box = Box(engine.model.objectives, perturbation) if use_box(engine, len(scenarios)) else None
    corners = box.corners() if box is not None else []
    running = engine.running([engine.model.point(corner) for corner in corners])
    anchors = [(corner, submit(AnchorTask(corner, running))) for corner in corners]

    def winners() -> list[str | None]:
        bounds = None
        if box is not None:
            solved = [(engine.model.point(corner), value_of(pending, tuple)) for corner, pending in anchors]
            bounds = Bounds.build(engine.model, engine.ceilings, solved, engine.known)
        chunks = [submit(ScenarioTask(bounds, box, chunk)) for chunk in split_chunks(scenarios, workers)]
        return [winner for chunk in chunks for winner in value_of(chunk, list)]

    return winners


def value_of(pending: Pending[object], kind: type[object]) -> Any:
    value = pending.result()
    assert isinstance(value, kind), value
    return value


def expected_seconds(engine: Engine, seconds: float, scenarios: int, perturbation: float, sweeps: bool) -> float:
    """A rough estimate of the solving the worker processes would share, from one solve's time.

    Solves take time in proportion to their products, and the bounds tell in advance which
    products the anchor solves need; solves of single scenarios that the bounds leave open are not
    counted (when the bounds are on, they are few).
    """
    per_product = seconds / max(1, len(engine.universe))
    products = 0
    if perturbation > 0 and engine.model.objectives and engine.universe:
        if use_box(engine, scenarios):
            corners = Box(engine.model.objectives, perturbation).corners()
            products += len(corners) * len(engine.running([engine.model.point(c) for c in corners]))
        else:
            products += scenarios * len(engine.universe)
    if sweeps and engine.use_bounds:
        one = engine.model.point({})
        products += sum(len(engine.running([one, engine.model.point({o: limit})]))
                        for o in engine.model.objectives for limit in WEIGHT_LIMITS)
    elif sweeps:
        products += 2 * len(engine.model.objectives) * 20 * len(engine.universe)
    return products * per_product


def worker_count(requested: int | None, expected_seconds: float) -> int:
    count = requested if requested is not None else (os.cpu_count() or 1)
    return count if count > 1 and expected_seconds >= POOL_MIN_SECONDS else 1


def check_options(perturbation: float, scenarios: int, workers: int | None, leaders: int = 0) -> None:
    problems = []
    if not 0 <= perturbation < 1:
        problems.append(f"the perturbation must be at least 0 and below 1 (weights stay positive), got {perturbation}")
    if scenarios < 0:
        problems.append(f"the number of scenarios cannot be negative, got {scenarios}")
    if workers is not None and workers < 1:
        problems.append(f"workers must be at least 1, got {workers}")
    if leaders < 0:
        problems.append(f"the number of leaders cannot be negative, got {leaders}")
    if problems:
        raise VendormatchError([Diagnostic("<options>", 0, 0, "error", "bad-option", p) for p in problems])
