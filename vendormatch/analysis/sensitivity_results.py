"""The result of `sensitivity()`: frozen models that check their own invariants and define the JSON shape."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from vendormatch.solve.results import Result, RunInfo, StrategySummary

Direction = Literal["down", "up"]


class Leader(Result):
    """One of the leading products at the strategy's own weights and budget."""

    rank: int = Field(ge=1)
    product: str
    vendor: str
    edition: str
    add_ons: tuple[str, ...]
    score: float
    cost_total: float | None
    cost_known: float


class WeightChange(Result):
    """The smallest scaling of one objective's weight, in one direction, found to change the winner.

    When `changed`, the winner is still the same at `weight` less (or more) than 1% of the original
    weight closer to it, and `new_winner` (None: no product qualifies) ranks first at `weight`.
    """

    direction: Direction
    changed: bool
    #: The factor searched to (0.05 down, 20 up).
    limit: float
    factor: float | None = None
    weight: float | None = None
    relative_change: float | None = None
    new_winner: str | None = None
    #: Set when no product qualifies at `weight` only because of the department floor: department
    #: coverage is weighed with the objectives' weights, so a weight change moves the floor's test too.
    #: Without the floor some product would still rank.
    floor: float | None = None

    @model_validator(mode="after")
    def _complete(self) -> WeightChange:
        if self.changed != (self.factor is not None and self.weight is not None and self.relative_change is not None):
            raise ValueError("a change has a factor, a weight and a relative change; no change has none")
        return self


class ObjectiveSensitivity(Result):
    """How far one objective's weight can move, down and up, before the winner changes."""

    objective: str
    weight: float
    #: False when no counted requirement takes its weight from this objective: it cannot change anything.
    counted: bool
    #: The precision of `weight` in the changes, in weight units (1% of the weight).
    precision: float
    down: WeightChange
    up: WeightChange


class BudgetChange(Result):
    """The smallest move of the budget, in one direction, that changes the winner (exact, to the cent).

    `down`: from `budget` up to the budget in force the winner stays first; a cent below `budget`
    `new_winner` does (None: no product qualifies). `up`: from the budget in force to a cent below
    `budget` the winner stays first; at `budget` `new_winner` does. `budget` is a bundle's cost.
    """

    direction: Direction
    changed: bool
    budget: float | None = None
    #: The change as a share of the budget in force (None when the strategy has no budget).
    relative_change: float | None = None
    new_winner: str | None = None
    #: `down` from no budget: setting any budget at all changes the winner, because the winner's price
    #: is unknown and so cannot be shown to fit one (`budget` is then None).
    any_budget: bool = False

    @model_validator(mode="after")
    def _complete(self) -> BudgetChange:
        if self.changed != (self.budget is not None or self.any_budget):
            raise ValueError("a change has a budget; no change has none")
        if self.any_budget and (self.budget is not None or self.direction != "down"):
            raise ValueError("only a walk down from no budget can find that any budget changes the winner")
        return self


class BudgetSensitivity(Result):
    """How far the budget can move before the winner changes."""

    #: The budget in force (None: no budget).
    budget: float | None
    #: The known cost of the winner's bundle.
    winner_cost: float | None
    precision: float
    down: BudgetChange
    #: None when there is no budget to raise.
    up: BudgetChange | None


class Win(Result):
    """How often one product (None: no product qualifies) ranks first over the scenarios."""

    product: str | None
    scenarios: int = Field(ge=1)
    share: float = Field(ge=0, le=1)


class Robustness(Result):
    """Random perturbations of every objective weight: how often the winner stays first."""

    scenarios: int = Field(ge=0)
    perturbation: float
    seed: int
    winner: str | None
    #: The share of scenarios in which `winner` ranks first.
    winner_share: float = Field(ge=0, le=1)
    #: Every product that ranks first in some scenario, most often first, then by id (None last).
    wins: tuple[Win, ...]

    @model_validator(mode="after")
    def _counted(self) -> Robustness:
        if sum(w.scenarios for w in self.wins) != self.scenarios:
            raise ValueError("the wins must add up to the scenarios")
        return self


class Sensitivity(Result):
    """The winner, the leading products, and how the winner depends on the weights and the budget."""

    version: Literal[1] = 1
    strategy: StrategySummary
    solver: str
    winner: str | None
    leaders: tuple[Leader, ...]
    objectives: tuple[ObjectiveSensitivity, ...]
    budget: BudgetSensitivity
    robustness: Robustness
    run: RunInfo | None = None
