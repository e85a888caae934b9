"""Stacks: two or three products bought together (a CRM, a help desk, an accounting system) when
together they do better than any part of them.

Each member is licensed only for the departments that use it (`vendormatch.solve.licensing`): a
requirement of a department is served by the best member licensed for that department, every
department uses at least one member, and must-haves need level 1 from one of its members. Costs add
up member by member, each for its own departments' users; the budget and the department floors apply
to the stack as a whole. Every pair of members must exchange data: one lists the other in
`integrates_with`, or both bundles give `api-access` in full. A stack ranks beside single products
only when it scores higher than each of its sub-stacks (each member alone, each pair inside a three).
The search (`stack_search`) bounds every pair and three (`stack_bounds`) and solves the stacks that
could rank, each as one PuLP model of its members (`stack_model`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from vendormatch.files.demand import strategy_demand
from vendormatch.files.models import Product, Strategy
from vendormatch.solve.blocks import Block, Group, screen_product
from vendormatch.solve.estimates import cost_notes, estimate_items, estimate_lines
from vendormatch.solve.licensing import licensable, option_costs, patterns, smallest_demand
from vendormatch.solve.results import CostItem, Ranking, StackMember
from vendormatch.solve.scoring import (
    ScoredRequirement,
    bundle_cost,
    bundle_feature_levels,
    cents,
    conversion_rate,
    department_scores,
    money,
    requirement_level,
    weighted_score,
)
from vendormatch.solve.stack_model import Candidate, Member, StackChoice, StackSpec
from vendormatch.solve.trace import BundleTracer
from vendormatch.solve.units import Choice, member_best

INTEGRATION_FEATURE = "api-access"


def _full(block: Block) -> set[str]:
    return {f for option in (*block.editions, *block.add_ons) for f, level in option.levels.items() if level >= 1.0}


def stack_candidates(products: Mapping[str, Product], strategy: Strategy, groups: Sequence[Group], *, start: date,
                     priced_only: bool = False, integration_feature: str = INTEGRATION_FEATURE) -> list[Candidate]:
    """The products that could be part of a stack, with each option's cost per licence pattern.

    A product must seat at least its smallest department and be able to integrate with some other
    candidate (one that serves no requirement may still hold the licences of a department that needs
    none). Stacks are built from confirmed facts only, and under a
    budget (`priced_only`) from known prices only, so that every stack that ranks is verified.
    """
    if not licensable(strategy):
        return []
    smallest = smallest_demand(strategy)
    pattern_list = patterns(strategy)
    blocks: dict[str, Block] = {}
    for product_id in sorted(products):
        block = screen_product(products[product_id], strategy, groups, start=start, require_musts=False,
                               priced_only=priced_only, extra_features=frozenset({integration_feature}),
                               demand=smallest)
        if isinstance(block, Block):
            blocks[product_id] = block

    def linked(a: str, b: str) -> bool:
        return b in products[a].integrates_with or a in products[b].integrates_with

    api = {p for p, b in blocks.items() if integration_feature in _full(b)}
    candidates = []
    for product_id, block in blocks.items():
        if product_id not in api and not any(linked(product_id, other) for other in blocks if other != product_id):
            continue
        product = products[product_id]
        candidates.append(Candidate(
            block,
            tuple(option_costs(product, strategy, e.id, edition=True, pattern_list=pattern_list) for e in block.editions),
            tuple(option_costs(product, strategy, a.id, edition=False, pattern_list=pattern_list) for a in block.add_ons),
        ))
    return candidates


def stack_spec(products: Mapping[str, Product], strategy: Strategy, groups: Sequence[Group], *, size: int,
               budget: float | None, alone: Mapping[str, float],
               integration_feature: str = INTEGRATION_FEATURE) -> StackSpec:
    """The stack model's settings for this strategy: departments, patterns, assignments, links, limits."""
    links = frozenset(frozenset({a, b}) for a, product in products.items() for b in product.integrates_with
                      if b in products and b != a)
    uses = {d: used for d, used in sorted(strategy.uses.items()) if used != "none"}
    seats = {}
    for d in licensable(strategy):
        demand = strategy_demand(strategy, [d])
        seats[d] = tuple(f + (demand.light[i] if i < len(demand.light) else 0) for i, f in enumerate(demand.full))
    return StackSpec(groups=tuple(groups), patterns=patterns(strategy), departments=licensable(strategy), uses=uses,
                     links=links, integration_feature=integration_feature, size=size, budget=budget,
                     floor=strategy.min_department_coverage, alone=dict(alone), seats=seats)


def alone_score(block: Block, choice: Choice, groups: Sequence[Group]) -> float:
    """The weighted score (not divided by the total weight) of a single product's chosen bundle."""
    best, _ = member_best(block, choice)
    return sum(g.weight * min(best.get(f, 0.0) for f in g.features) for g in groups)


def _served_levels(products: Mapping[str, Product], stack: StackChoice,
                   requirements: Sequence[ScoredRequirement]) -> tuple[dict[str, float], list[int]]:
    """Each requirement's level and which member serves it: the best member licensed for its department."""
    per_member = []
    for member in stack:
        assert member.choice.edition is not None
        features = bundle_feature_levels(products[member.choice.product], member.choice.edition, member.choice.add_ons)
        per_member.append({r.id: requirement_level(r.features, features) for r in requirements})
    levels: dict[str, float] = {}
    server: list[int] = []
    for req in requirements:
        allowed = [m for m, member in enumerate(stack) if req.department in member.departments] or [0]
        best = max(allowed, key=lambda m: (per_member[m][req.id], -m))
        levels[req.id] = per_member[best][req.id] if req.department in stack[best].departments else 0.0
        server.append(best)
    return levels, server


def seats_of(strategy: Strategy, departments: Sequence[str]) -> dict[str, int]:
    """The first year's users of each department licensed (what a cost line shows)."""
    demand_by_department = {d: strategy_demand(strategy, [d]) for d in departments}
    return {d: demand.full[0] + (demand.light[0] if demand.light else 0) for d, demand in sorted(demand_by_department.items())}


def stack_ranking(products: Mapping[str, Product], stack: StackChoice, strategy: Strategy,
                  requirements: Sequence[ScoredRequirement], budget: float | None) -> Ranking:
    """The Ranking of a stack: members' bundles side by side, ids written `product:id`, each member's cost
    for the departments it is licensed for."""
    levels, server = _served_levels(products, stack, requirements)
    members: list[StackMember] = []
    lines: list[CostItem] = []
    notes: list[str] = []
    known, unknown = 0.0, []
    for member in stack:
        c = member.choice
        product = products[c.product]
        assert c.edition is not None
        rate = conversion_rate(product, strategy)
        assert rate is not None
        cost = bundle_cost(product, c.edition, c.add_ons, users=strategy_demand(strategy, member.departments),
                           months=strategy.months, rate=rate, currency=strategy.currency)
        assert cost is not None
        extras = estimate_lines(product, strategy)
        extra = sum(line.total for line in extras)
        known += cost.known_total + extra
        unknown += [f"{c.product}:{item}" for item in cost.unknown_items]
        names = {c.edition: product.editions[c.edition].name, **{a: product.add_ons[a].name for a in c.add_ons}}
        seats = seats_of(strategy, member.departments)
        lines += [
            CostItem(item=f"{c.product}:{line.item}", kind=line.kind, name=names[line.item],  # type: ignore[arg-type]
                     monthly=cents(line.monthly), one_time=cents(line.one_time), total=cents(line.total), seats=seats)
            for line in cost.lines
        ]
        lines += estimate_items(extras, prefix=f"{c.product}:")
        notes += cost_notes(product, strategy)
        members.append(StackMember(
            product=c.product, vendor=product.vendor, product_name=product.product, edition=c.edition,
            edition_name=product.editions[c.edition].name, add_ons=c.add_ons,
            cost_total=None if cost.total is None else cents(cost.total + extra), departments=member.departments,
        ))
    priorities = {r.id: r.priority for r in strategy.requirements}
    tracers = [BundleTracer(products[m.choice.product], m.choice, prefix=f"{m.choice.product}:") for m in stack]
    outcomes = [tracers[member].outcome(req, priorities[req.id]) for req, member in zip(requirements, server, strict=True)]
    gaps = tuple(r.id for r in sorted(requirements, key=lambda r: (-r.weight * (1 - levels[r.id]), r.id))
                 if levels[r.id] < 1)
    total = None if unknown else known
    return Ranking(
        rank=1, product="+".join(m.choice.product for m in stack), vendor=" + ".join(m.vendor for m in members),
        product_name=" + ".join(m.product_name for m in members), edition=" + ".join(m.edition for m in members),
        edition_name=" + ".join(m.edition_name for m in members),
        add_ons=tuple(sorted(f"{m.choice.product}:{a}" for m in stack for a in m.choice.add_ons)),
        score=round(min(1.0, max(0.0, weighted_score(levels, requirements))), 6), cost_total=cents(total),
        cost_known=money(known), price_unknown=tuple(unknown),
        within_budget=None if budget is None or total is None else total <= budget + 1e-6,
        currency=strategy.currency,
        departments={d: round(v, 6) for d, v in department_scores(levels, requirements).items()},
        requirements=tuple(outcomes), gaps=gaps, cost_lines=tuple(lines), cost_notes=tuple(notes), members=tuple(members),
    )


__all__ = ["INTEGRATION_FEATURE", "Member", "alone_score", "seats_of", "stack_candidates", "stack_ranking", "stack_spec"]
