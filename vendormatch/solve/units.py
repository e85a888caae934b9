"""What the model chooses among and what it chose: units of products, choices, and their exact values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vendormatch.solve.blocks import Block, Group


@dataclass(frozen=True)
class Choice:
    """What the model chose for one block: the bundle, or None when the product cannot qualify."""

    product: str
    edition: str | None
    add_ons: tuple[str, ...]


@dataclass(frozen=True)
class Unit:
    """What one block of the combined model buys: one product. Stacks have a model of their own
    (`stack_model`), which borrows only the tie-break over several members.
    """

    members: tuple[Block, ...]

    @property
    def id(self) -> str:
        """The unit's id: its products' ids joined by '+'."""
        return "+".join(m.product for m in self.members)


UnitChoice = tuple[Choice, ...]


def member_best(block: Block, choice: Choice) -> tuple[dict[str, float], list[Any]]:
    options: list[Any] = [e for e in block.editions if e.id == choice.edition]
    options += [a for a in block.add_ons if a.id in choice.add_ons]
    best: dict[str, float] = {}
    for option in options:
        for feature, level in option.levels.items():
            best[feature] = max(best.get(feature, 0.0), level)
    return best, options


def exact_values(unit: Unit | Block, choice: UnitChoice | Choice | None, groups: Sequence[Group]) -> tuple[float, int, float]:
    """Score, unknown-priced items and known cost of a chosen bundle, from the data, not the solver's floats.

    Fixing a stage's optimum at the solver's value of an expression could exclude the very bundle it
    chose (a binary at 0.9999999 times a large cost); the bundle's exact values cannot.
    """
    members = unit.members if isinstance(unit, Unit) else (unit,)
    choices = (choice,) if isinstance(choice, Choice) else choice
    if not choices or any(c.edition is None for c in choices):
        return 0.0, 0, 0.0
    bests = []
    unknown, cost = 0, 0.0
    for block, member_choice in zip(members, choices, strict=True):
        best, options = member_best(block, member_choice)
        bests.append(best)
        unknown += sum(1 for o in options if o.cost is None)
        cost += sum(o.cost for o in options if o.cost is not None) + block.fixed
    present = set().union(*bests)
    score = 0.0
    for g in groups:
        # Most groups name a feature this bundle lacks: skip them before the min-max.
        if g.features[0] in present and all(f in present for f in g.features):
            score += g.weight * max(min(b.get(f, 0.0) for f in g.features) for b in bests)
    return score, unknown, cost
