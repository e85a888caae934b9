"""The exact cost/coverage frontier: every Pareto-efficient bundle across the catalogue.

Epsilon-constraint, per product and all products in one model per round: maximise the score with
the cost capped at epsilon, take the cheapest bundle of that score, then lower epsilon just below
its cost and solve again, until nothing qualifies. Unlike a weighted sum of score and cost, this
finds the efficient points that are not on the convex hull. The products' points are then merged
into one frontier. Bundles with an unknown price cannot be placed on a cost axis and are left out
(the result names the products that have any).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from vendormatch.files.catalog import Catalog
from vendormatch.files.lifecycle import horizon_start
from vendormatch.files.models import Strategy
from vendormatch.match.matcher import MatchResult
from vendormatch.solve.blocks import Block, Group, screen
from vendormatch.solve.optimise import exact_values, solve_blocks
from vendormatch.solve.results import Frontier, FrontierPoint
from vendormatch.solve.run_info import run_date, run_info
from vendormatch.solve.scoring import money
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements

# Epsilon is set this far below the last cost: beyond what a solver's integrality tolerance lets a
# bundle slip under its cap (a millionth of its cost), so the frontier is exact to 0.001% of cost.
_STEP_RELATIVE = 1e-5
_STEP_ABSOLUTE = 1e-4


def known_price_block(block: Block) -> Block | None:
    """The block without editions or add-ons of unknown price (None when no edition is left)."""
    editions = tuple(e for e in block.editions if e.cost is not None)
    if not editions:
        return None
    kept = {e.id for e in editions}
    add_ons = tuple(
        type(a)(a.id, a.levels, a.cost, tuple(e for e in a.editions if e in kept))
        for a in block.add_ons if a.cost is not None and any(e in kept for e in a.editions)
    )
    return Block(block.product, editions, add_ons, block.fixed)


def product_frontiers(
    blocks: Sequence[Block], groups: Sequence[Group], *, floor: float | None, solver: str = "highs",
) -> list[tuple[str, str, tuple[str, ...], float, float]]:
    """Every product's efficient (product, edition, add-ons, cost, raw score) points, by epsilon-constraint."""
    points: list[tuple[str, str, tuple[str, ...], float, float]] = []
    caps: dict[str, float | None] = {b.product: None for b in blocks}
    active = list(blocks)
    while active:
        choices = solve_blocks(active, groups, budget=[caps[b.product] for b in active], floor=floor, solver=solver)
        still: list[Block] = []
        for block in active:
            choice = choices[block.product]
            if choice.edition is None:
                continue
            score, _, cost = exact_values(block, choice, groups)
            points.append((block.product, choice.edition, choice.add_ons, cost, score))
            cap = cost - _STEP_ABSOLUTE - _STEP_RELATIVE * abs(cost)
            if cap >= 0:
                caps[block.product] = cap
                still.append(block)
        active = still
    return points


RawPoint = tuple[str, str, tuple[str, ...], float, float]


def pareto(points: Sequence[RawPoint]) -> list[RawPoint]:
    """The points no other point beats on both cost and score; equal points go to the smallest ids."""
    ordered = sorted(points, key=lambda p: (round(p[3], 6), -round(p[4], 9), p[0], p[1], len(p[2]), p[2]))
    efficient: list[RawPoint] = []
    best = float("-inf")
    for point in ordered:
        if round(point[4], 9) > best:
            efficient.append(point)
            best = round(point[4], 9)
    return efficient


def frontier(
    strategy: Strategy, catalog: Catalog, decisions: MatchResult | None = None, *, solver: str = "highs",
    today: date | None = None, settings: Sequence[str] = (),
) -> Frontier:
    """Every Pareto-efficient (cost, score) bundle of the catalogue for the strategy, cheapest first.

    Must-haves and the department floor hold on every point; the budget does not cap the frontier
    (it is what the frontier helps to choose) but each point says whether it fits it. Points count
    confirmed features only: products that qualify only if the vendor confirms an unknown must-have
    are listed apart, never plotted. `today` stands for the run's date (lifecycle dates).
    """
    decisions = decisions if decisions is not None else pinned_decisions(strategy)
    requirements, unscored = scored_requirements(strategy, decisions)
    screened = screen(catalog.products, strategy, requirements,
                      start=horizon_start(strategy, today or run_date()))
    verified = [b for b in screened.blocks if b.product not in screened.conditional]
    known = [kb for b in verified if (kb := known_price_block(b)) is not None]
    unpriced = sorted(b.product for b in verified
                      if any(o.cost is None for o in (*b.editions, *b.add_ons)))
    total = sum(r.weight for r in requirements)
    raw = product_frontiers(known, screened.groups, floor=strategy.min_department_coverage, solver=solver)
    budget = strategy.budget
    points = [
        FrontierPoint(
            product=p, vendor=catalog.products[p].vendor, edition=e, add_ons=a, cost_total=money(c),
            score=round(s / total, 6) if total > 0 else 1.0,
            within_budget=None if budget is None else c <= budget + 1e-6,
        )
        for p, e, a, c, s in pareto(raw)
    ]
    return Frontier(
        organisation=strategy.organisation, currency=strategy.currency, budget=budget, points=tuple(points),
        products_with_unknown_prices=tuple(unpriced), unscored=tuple(u.id for u in unscored),
        products_if_confirmed=tuple(sorted(screened.conditional)), run=run_info(catalog, settings),
    )
