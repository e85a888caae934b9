"""Stacks: two products bought together (a CRM and a help desk, say) when together they do better.

A stack is a unit of the optimiser with two members. Each requirement is served by whichever
member serves it best, so its level is the higher of the two; must-haves need level 1 from one
of them; costs add up, and the budget and department floors apply to the stack as a whole. The
products must be able to exchange data: one lists the other in `integrates_with`, or both chosen
bundles give `api-access` in full. A stack ranks beside single products only when it scores
higher than each of its members does alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import date

from vendormatch.files.demand import strategy_demand
from vendormatch.files.models import Product, Strategy
from vendormatch.solve.blocks import Block, Group, screen_product
from vendormatch.solve.optimise import Choice, Unit, UnitChoice
from vendormatch.solve.results import CostItem, Ranking, StackMember
from vendormatch.solve.scoring import (
    ScoredRequirement,
    bundle_cost,
    bundle_feature_levels,
    cents,
    conversion_rate,
    department_scores,
    requirement_level,
    weighted_score,
)
from vendormatch.solve.trace import BundleTracer

INTEGRATION_FEATURE = "api-access"
#: Above this many candidate pairs only the most promising are modelled (see `stack_units`).
MAX_PAIRS = 2000


def _full_features(block: Block) -> set[str]:
    return {f for option in (*block.editions, *block.add_ons) for f, level in option.levels.items() if level >= 1.0}


def _any_features(block: Block) -> set[str]:
    return {f for option in (*block.editions, *block.add_ons) for f, level in option.levels.items() if level > 0}


def stack_units(
    products: Mapping[str, Product], strategy: Strategy, groups: Sequence[Group], *, start: date,
    priced_only: bool = False,
    integration_feature: str = INTEGRATION_FEATURE, max_pairs: int = MAX_PAIRS,
) -> list[Unit]:
    """Every pair of products that could qualify together and exchange data, as optimiser units.

    A pair qualifies on paper when each must-have feature is offered in full by one of the two and
    they can integrate; stacks are built from confirmed facts only, and under a budget (`priced_only`)
    from known prices only, so that every stack that ranks is verified. Past `max_pairs`, the pairs whose
    requirements could be covered the most (by weight, from what the two offer at any level) are kept, ties by product ids.
    """
    blocks: dict[str, Block] = {}
    for product_id in sorted(products):
        block = screen_product(products[product_id], strategy, groups, start=start, require_musts=False,
                               priced_only=priced_only,
                               extra_features=frozenset({integration_feature}))
        if isinstance(block, Block):
            blocks[product_id] = block
    must_features = {f for g in groups if g.must for f in g.features}
    full = {p: _full_features(b) for p, b in blocks.items()}
    candidates: list[tuple[float, Unit]] = []
    for first, second in itertools.combinations(sorted(blocks), 2):
        if not must_features <= full[first] | full[second]:
            continue
        listed = second in products[first].integrates_with or first in products[second].integrates_with
        if not listed and not (integration_feature in full[first] and integration_feature in full[second]):
            continue
        offered = _any_features(blocks[first]) | _any_features(blocks[second])
        bound = sum(g.weight for g in groups if set(g.features) <= offered)
        unit = Unit((blocks[first], blocks[second]), integrate=not listed, integration_feature=integration_feature)
        candidates.append((bound, unit))
    if len(candidates) > max_pairs:
        candidates.sort(key=lambda item: (-item[0], item[1].id))
        candidates = sorted(candidates[:max_pairs], key=lambda item: item[1].id)
    return [unit for _, unit in candidates]


def _member_levels(product: Product, choice: Choice, requirements: Sequence[ScoredRequirement]) -> dict[str, float]:
    assert choice.edition is not None
    levels = bundle_feature_levels(product, choice.edition, choice.add_ons)
    return {r.id: requirement_level(r.features, levels) for r in requirements}


def stack_score(products: Mapping[str, Product], choice: UnitChoice,
                requirements: Sequence[ScoredRequirement]) -> tuple[float, dict[str, float], list[int]]:
    """The stack's score, each requirement's level, and which member (index) serves each requirement."""
    per_member = [_member_levels(products[c.product], c, requirements) for c in choice]
    levels: dict[str, float] = {}
    server: list[int] = []
    for req in requirements:
        best = max(range(len(per_member)), key=lambda m: (per_member[m][req.id], -m))
        levels[req.id] = per_member[best][req.id]
        server.append(best)
    return weighted_score(levels, requirements), levels, server


def stack_ranking(products: Mapping[str, Product], choice: UnitChoice, strategy: Strategy,
                  requirements: Sequence[ScoredRequirement], budget: float | None) -> Ranking:
    """The Ranking of a stack: members' bundles side by side, ids written `product:id`."""
    score, levels, server = stack_score(products, choice, requirements)
    members: list[StackMember] = []
    lines: list[CostItem] = []
    known, unknown = 0.0, []
    for c in choice:
        product = products[c.product]
        assert c.edition is not None
        rate = conversion_rate(product, strategy)
        assert rate is not None
        cost = bundle_cost(product, c.edition, c.add_ons, users=strategy_demand(strategy), months=strategy.months,
                           rate=rate, currency=strategy.currency)
        assert cost is not None
        known += cost.known_total
        unknown += [f"{c.product}:{item}" for item in cost.unknown_items]
        names = {c.edition: product.editions[c.edition].name, **{a: product.add_ons[a].name for a in c.add_ons}}
        lines += [
            CostItem(item=f"{c.product}:{line.item}", kind=line.kind, name=names[line.item],  # type: ignore[arg-type]
                     monthly=cents(line.monthly), one_time=cents(line.one_time), total=cents(line.total))
            for line in cost.lines
        ]
        members.append(StackMember(
            product=c.product, vendor=product.vendor, product_name=product.product, edition=c.edition,
            edition_name=product.editions[c.edition].name, add_ons=c.add_ons, cost_total=cents(cost.total),
        ))
    priorities = {r.id: r.priority for r in strategy.requirements}
    tracers = [BundleTracer(products[c.product], c, prefix=f"{c.product}:") for c in choice]
    outcomes = [tracers[member].outcome(req, priorities[req.id]) for req, member in zip(requirements, server, strict=True)]
    gaps = tuple(r.id for r in sorted(requirements, key=lambda r: (-r.weight * (1 - levels[r.id]), r.id))
                 if levels[r.id] < 1)
    total = None if unknown else known
    return Ranking(
        rank=1, product="+".join(c.product for c in choice), vendor=" + ".join(m.vendor for m in members),
        product_name=" + ".join(m.product_name for m in members), edition=" + ".join(m.edition for m in members),
        edition_name=" + ".join(m.edition_name for m in members),
        add_ons=tuple(sorted(f"{c.product}:{a}" for c in choice for a in c.add_ons)),
        score=round(min(1.0, max(0.0, score)), 6), cost_total=cents(total), cost_known=round(known, 2),
        price_unknown=tuple(unknown), within_budget=None if budget is None or total is None else total <= budget + 1e-6,
        currency=strategy.currency,
        departments={d: round(v, 6) for d, v in department_scores(levels, requirements).items()},
        requirements=tuple(outcomes), gaps=gaps, cost_lines=tuple(lines), members=tuple(members),
    )
