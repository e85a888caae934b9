"""Why a product that passed screening did not qualify, and by how much: the budget its cheapest
compliant bundle overruns, or the departments where no bundle reaches the department floor."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from vendormatch.files.demand import strategy_demand
from vendormatch.files.models import Product, Strategy
from vendormatch.solve.blocks import Block, Group
from vendormatch.solve.estimates import estimates_total
from vendormatch.solve.optimise import Choice, solve_blocks
from vendormatch.solve.results import Exclusion
from vendormatch.solve.scoring import (
    ScoredRequirement,
    bundle_cost,
    conversion_rate,
    department_scores,
    requirement_level,
)

# A department's reach this close to the floor counts as reaching it (scores are reported to a millionth).
_REACH_TOLERANCE = 1e-9


def _block_levels(block: Block, choice: Choice, requirements: Sequence[ScoredRequirement]) -> dict[str, float]:
    """Each requirement's level under a bundle, read from the block's options: the levels the solver saw,
    so that a product screened as if its vendor confirmed its unknowns is measured the same way."""
    edition = next(e for e in block.editions if e.id == choice.edition)
    levels = dict(edition.levels)
    for add_on in block.add_ons:
        if add_on.id in choice.add_ons:
            for feature, level in add_on.levels.items():
                levels[feature] = max(levels.get(feature, 0.0), level)
    return {r.id: requirement_level(r.features, levels) for r in requirements}


def floor_shortfalls(
    blocks: Sequence[Block], groups: Sequence[Group], requirements: Sequence[ScoredRequirement],
    floor: float, *, solver: str,
) -> dict[str, str]:
    """For products with no bundle meeting every must-have and the floor together: which departments
    miss the floor, and the best coverage any of the product's bundles reaches in each.

    One solve per department over all the products: its requirements alone are weighed, so the solver
    finds each product's best bundle for that department (must-haves still hold; budget and floor do not).
    """
    departments = sorted({d for g in groups for d in g.department_weights})
    reach: dict[str, dict[str, float]] = {b.product: {} for b in blocks}
    for department in departments:
        weighed = [dataclasses.replace(g, weight=g.department_weights.get(department, 0.0)) for g in groups]
        choices = solve_blocks(blocks, weighed, budget=None, floor=None, solver=solver)
        for block in blocks:
            choice = choices[block.product]
            if choice.edition is None:
                continue  # its must-haves cannot be met together: said as such
            levels = _block_levels(block, choice, requirements)
            reach[block.product][department] = department_scores(levels, requirements).get(department, 1.0)
    reasons: dict[str, str] = {}
    for product, best in reach.items():
        if not best:
            continue
        short = [(d, r) for d, r in sorted(best.items()) if r < floor - _REACH_TOLERANCE]
        if short:
            where = ", ".join(f"{d} (its best bundle there reaches {r:.0%})" for d, r in short)
            reasons[product] = f"no bundle reaches the department floor min_department_coverage={floor:g} in {where}"
        else:
            reasons[product] = (f"each department reaches the floor min_department_coverage={floor:g} with some "
                                "bundle, but no single bundle reaches it in all of them at once")
    return reasons


def budget_exclusion(product: Product, choice: Choice, strategy: Strategy, *, budget: float | None,
                     floor: float | None, conditional: bool = False, floor_reason: str | None = None) -> Exclusion:
    """Why a product that passed screening did not qualify: the floor (with `floor_reason`, which names the
    departments), the must-haves together, or the budget, with what its cheapest compliant bundle costs."""
    hedge = " even if the vendor confirms what the catalogue does not know" if conditional else ""
    if choice.edition is None:
        if floor and floor_reason is not None:
            reason = floor_reason + hedge
        else:
            reason = (f"no bundle reaches the department floor min_department_coverage={floor:g} in every "
                      f"department{hedge}" if floor else f"no bundle meets every must-have together{hedge}")
        return Exclusion(product=product.id, vendor=product.vendor, reasons=(reason,))
    rate = conversion_rate(product, strategy)
    assert rate is not None, "screening excludes products without an exchange rate"
    cost = bundle_cost(product, choice.edition, choice.add_ons, users=strategy_demand(strategy),
                       months=strategy.months, rate=rate, currency=strategy.currency)
    known = (cost.known_total if cost else 0.0) + estimates_total(product, strategy)
    bundle = " + ".join((choice.edition, *choice.add_ons))
    what = "every must-have" + (" and the department floor" if floor else "")
    over = f", {known - budget:,.0f} over the budget of {budget:,.0f}" if budget is not None else ""
    if conditional:
        what += " (if the vendor confirms its unknowns)"
    reason = f"the cheapest bundle meeting {what} ({bundle}) costs {strategy.currency} {known:,.0f}{over}"
    return Exclusion(product=product.id, vendor=product.vendor, reasons=(reason,), cheapest_compliant_cost=known)
