"""`sensitivity()`: how far the objective weights and the budget can move before the winner changes,
and how often the winner stays first when every weight is a little off.

Every answer comes from re-solving `shortlist()`, never from a formula that would ignore must-haves,
budgets or department floors. The winner is the best verified product (one that qualifies on
confirmed facts and, under a budget, known prices): products that qualify only "if confirmed" never win.

- weights: each objective's weight is scaled along a geometric grid (ratio sqrt 2) down to x0.05
  and up to x20; between the last grid point with the same winner and the first with another, a
  bisection narrows the change to 1% of the weight (`WEIGHT_PRECISION`);
- budget: an exact walk from bundle cost to bundle cost (see `budget_walk`), to a cent;
- robustness: `scenarios` draws of a uniform factor in [1-p, 1+p] for every objective weight, from
  `random.Random(seed)`: the share in which the winner stays first, and every product's wins.

Weights never change which products can qualify (must-haves, users and budget do not depend on
them), so weight solves only look at the products that rank without the department floor, and
`weight_bounds` skips the solves it can prove unnecessary. Independent searches and chunks of
scenarios run in worker processes; each result depends only on its own inputs, so any number of
workers gives the same answer. A small problem runs in this process: starting workers would cost
more than it saves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vendormatch.analysis.budget_walk import BUDGET_PRECISION, budget_change
from vendormatch.analysis.sensitivity_engine import (
    GRID_RATIO,
    WEIGHT_LIMITS,
    WEIGHT_PRECISION,
    build_engine,
    weight_engine,
)
from vendormatch.analysis.sensitivity_results import (
    BudgetChange,
    BudgetSensitivity,
    Leader,
    ObjectiveSensitivity,
    Robustness,
    Sensitivity,
    WeightChange,
    Win,
)
from vendormatch.analysis.sensitivity_tasks import (
    WeightTask,
    check_options,
    draw_scenarios,
    expected_seconds,
    perform,
    submit_robustness,
    summarise,
    value_of,
    worker_count,
)
from vendormatch.analysis.work_pool import task_runner
from vendormatch.files.catalog import Catalog
from vendormatch.files.models import Strategy
from vendormatch.match.matcher import MatchResult
from vendormatch.solve.run_info import run_info
from vendormatch.solve.shortlist import Location

__all__ = [
    "BUDGET_PRECISION",
    "GRID_RATIO",
    "WEIGHT_LIMITS",
    "WEIGHT_PRECISION",
    "BudgetChange",
    "BudgetSensitivity",
    "Leader",
    "ObjectiveSensitivity",
    "Robustness",
    "Sensitivity",
    "WeightChange",
    "Win",
    "draw_scenarios",
    "robustness",
    "sensitivity",
]


# -- the public functions --------------------------------------------------------------------


def robustness(
    strategy: Strategy,
    catalog: Catalog,
    decisions: MatchResult | None = None,
    *,
    budget: float | None = None,
    solver: str = "highs",
    perturbation: float = 0.2,
    scenarios: int = 1000,
    seed: int = 0,
    workers: int | None = None,
    bounds: bool = True,
) -> Robustness:
    """How often the winner stays first when every objective weight is scaled by a random factor in [1-p, 1+p].

    Reproducible for a seed, and the same for any number of `workers` (default: every core).
    `bounds=False` solves every scenario instead of skipping those it can prove (same result, slower).
    """
    check_options(perturbation, scenarios, workers)
    engine, _, _, seconds = build_engine(strategy, catalog, decisions, budget=budget, solver=solver, bounds=bounds)
    engine = weight_engine(engine)
    drawn = draw_scenarios(engine.strategy, scenarios, perturbation, seed)
    count = worker_count(workers, expected_seconds(engine, seconds, scenarios, perturbation, sweeps=False))
    with task_runner(engine, perform, count) as submit:
        winners = submit_robustness(engine, submit, drawn, perturbation, count)()
    return summarise(winners, engine.winner, perturbation, seed)


def sensitivity(
    strategy: Strategy,
    catalog: Catalog,
    decisions: MatchResult | None = None,
    *,
    budget: float | None = None,
    solver: str = "highs",
    leaders: int = 3,
    perturbation: float = 0.2,
    scenarios: int = 1000,
    seed: int = 0,
    workers: int | None = None,
    bounds: bool = True,
    locations: Mapping[str, Location] | None = None,
    settings: Sequence[str] = (),
) -> Sensitivity:
    """The winner, the `leaders` best products, and the changes of weights and budget that change the winner.

    `decisions` settle each requirement's features and `locations` place errors as for `shortlist()`;
    `budget` overrides the strategy's. The searches and their precision are described in this module's documentation.
    Raises VendormatchError as `shortlist()` does, or for a perturbation outside [0, 1).
    """
    check_options(perturbation, scenarios, workers, leaders)
    engine, baseline, summary, seconds = build_engine(strategy, catalog, decisions, budget=budget, solver=solver,
                                                       bounds=bounds, locations=locations)
    weights = weight_engine(engine)
    drawn = draw_scenarios(engine.strategy, scenarios, perturbation, seed)
    names = sorted(engine.strategy.objectives)
    count = worker_count(workers, expected_seconds(engine, seconds, scenarios, perturbation, sweeps=True))
    with task_runner(weights, perform, count) as submit:
        robust = submit_robustness(weights, submit, drawn, perturbation, count)
        pending = {(o, d): submit(WeightTask(o, d)) for o in names for d in ("down", "up")}
        # Budgets change which products qualify, so these solves need the whole catalogue: they run
        # here while the workers get on with the rest.
        verified = tuple(r for r in baseline if r.band == "verified")
        down = budget_change(engine.at_budget, verified, engine.strategy.budget, "down")
        up = budget_change(engine.at_budget, verified, engine.strategy.budget, "up")
        winners = robust()
        changes = {key: value_of(p, WeightChange) for key, p in pending.items()}
    assert down is not None
    objectives = tuple(
        ObjectiveSensitivity(
            objective=o, weight=engine.strategy.objectives[o].weight, counted=o in engine.model.objectives,
            precision=round(WEIGHT_PRECISION * engine.strategy.objectives[o].weight, 6),
            down=changes[(o, "down")], up=changes[(o, "up")],
        )
        for o in names
    )
    return Sensitivity(
        strategy=summary, solver=solver, winner=engine.winner,
        leaders=tuple(
            Leader(rank=r.rank, product=r.product, vendor=r.vendor, edition=r.edition, add_ons=r.add_ons,
                   score=r.score, cost_total=r.cost_total, cost_known=r.cost_known)
            for r in baseline[:leaders]
        ),
        objectives=objectives,
        budget=BudgetSensitivity(budget=engine.strategy.budget, winner_cost=engine.winner_cost,
                                 precision=BUDGET_PRECISION, down=down, up=up),
        robustness=summarise(winners, engine.winner, perturbation, seed),
        run=run_info(catalog, settings),
    )
