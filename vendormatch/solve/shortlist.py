"""`shortlist()`: from a strategy and a catalogue to ranked products with costs, gaps and traces."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from vendormatch.files.catalog import Catalog
from vendormatch.files.demand import strategy_demand
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.lifecycle import horizon_start
from vendormatch.files.models import Feature, Product, Strategy, feature_keys, requirement_weight
from vendormatch.match.matcher import MatchResult, RequirementMatch
from vendormatch.match.resolution import unsettled_must
from vendormatch.solve.blocks import Block, Group, screen
from vendormatch.solve.capture import bundle_capture
from vendormatch.solve.estimates import cost_notes, estimate_items, estimate_lines
from vendormatch.solve.exclusions import budget_exclusion, floor_shortfalls
from vendormatch.solve.optimise import Choice, cheapest_compliant, solve_blocks
from vendormatch.solve.results import (
    ClosestFit,
    CostItem,
    Exclusion,
    Ranking,
    Shortlist,
    Unscored,
    rank_key,
)
from vendormatch.solve.run_info import run_date, run_info
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
from vendormatch.solve.stack_search import MAX_STACKS, search_stacks
from vendormatch.solve.stacks import alone_score, seats_of, stack_candidates, stack_ranking, stack_spec
from vendormatch.solve.stance_fields import stance_fields
from vendormatch.solve.summary import strategy_summary
from vendormatch.solve.trace import BundleTracer

Location = tuple[str, int, int]
#: Called as `progress(stage, done, total)` at each stage of a run; the library itself never prints.
Progress = Callable[[str, int, int], None]

#: How many closest fits a shortlist shows when too few products qualify.
CLOSEST_FITS = 3


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: report nothing."""


def pinned_decisions(strategy: Strategy) -> MatchResult:
    """Decisions from pinned features only (no matching): requirements without pins stay unmatched."""
    return MatchResult(tuple(
        RequirementMatch(req.id, "pinned", feature_keys(req.features), ()) if req.features
        else RequirementMatch(req.id, "unmatched", (), (), "no pinned features and no matching")
        for req in strategy.requirements
    ))


def scored_requirements(
    strategy: Strategy, decisions: MatchResult, locations: Mapping[str, Location] | None = None
) -> tuple[list[ScoredRequirement], list[Unscored]]:
    """The requirements that count (with settled features), and those left out with why.

    A `must` whose features are not settled is an error: the shortlist would silently ignore it.
    """
    counted: list[ScoredRequirement] = []
    unscored: list[Unscored] = []
    errors: list[Diagnostic] = []
    by_id = decisions.by_id()
    for req in strategy.requirements:
        if req.priority == "wont":
            continue
        decision = by_id.get(req.id) or RequirementMatch(req.id, "unmatched", (), ())
        if decision.features:
            counted.append(ScoredRequirement(
                req.id, req.department or "", req.objective or "", requirement_weight(req, strategy),
                tuple(dict.fromkeys(decision.features)), req.priority == "must",
            ))
            continue
        proposals = ", ".join(c.feature for c in decision.candidates[:3])
        message = (
            f"requirement '{req.id}' is {decision.status}"
            + (f" (candidates: {proposals})" if proposals else "")
            + ": it counts in no score; pin `features:` or review it with `vendormatch match --lock`"
        )
        unscored.append(Unscored(id=req.id, status=decision.status, priority=req.priority, message=message))
        if req.priority == "must":
            errors.append(unsettled_must(req.id, decision.status, (locations or {}).get(req.id, ("<strategy>", 0, 0))))
    if errors:
        raise VendormatchError(errors)
    return counted, unscored


#: Rankings past this many carry no per-requirement trace (`requirements` is empty): a 1,000-product
#: shortlist of 500 requirements would otherwise hold half a million traces (200 MB of JSON) that no
#: report shows. `vendormatch explain` gives any product's trace.
TRACED_RANKINGS = 25


def _with_trace(ranking: Ranking, product: Product, choice: Choice, strategy: Strategy,
                requirements: Sequence[ScoredRequirement], *, features: Mapping[str, Feature]) -> Ranking:
    """The ranking with each requirement's trace through its bundle, and how it captures the KPIs' data."""
    priorities = {r.id: r.priority for r in strategy.requirements}
    tracer = BundleTracer(product, choice)
    outcomes = tuple(tracer.outcome(r, priorities[r.id]) for r in requirements)
    assert choice.edition is not None
    levels = bundle_feature_levels(product, choice.edition, choice.add_ons)
    return ranking.model_copy(update={"requirements": outcomes,
                                      "capture": bundle_capture(strategy, outcomes, levels, features)})


def _ranking(product: Product, choice: Choice, strategy: Strategy, requirements: Sequence[ScoredRequirement],
             budget: float | None, *, conditional: bool = False) -> Ranking:
    assert choice.edition is not None
    rate = conversion_rate(product, strategy)
    assert rate is not None
    cost = bundle_cost(product, choice.edition, choice.add_ons, users=strategy_demand(strategy),
                       months=strategy.months, rate=rate, currency=strategy.currency)
    assert cost is not None
    feature_levels = bundle_feature_levels(product, choice.edition, choice.add_ons)
    levels = {req.id: requirement_level(req.features, feature_levels) for req in requirements}
    gaps = tuple(
        req.id for req in sorted(requirements, key=lambda r: (-r.weight * (1 - levels[r.id]), r.id)) if levels[req.id] < 1
    )
    names = {choice.edition: product.editions[choice.edition].name}
    names.update({a: product.add_ons[a].name for a in choice.add_ons})
    extras = estimate_lines(product, strategy)
    extra = sum(line.total for line in extras)
    total = None if cost.total is None else cost.total + extra
    return Ranking(
        rank=1, product=product.id, vendor=product.vendor, product_name=product.product,
        edition=choice.edition, edition_name=product.editions[choice.edition].name, add_ons=choice.add_ons,
        score=round(min(1.0, max(0.0, weighted_score(levels, requirements))), 6),
        cost_total=cents(total), cost_known=money(cost.known_total + extra), price_unknown=cost.unknown_items,
        within_budget=None if budget is None or total is None else total <= budget + 1e-6,
        currency=strategy.currency,
        departments={d: round(v, 6) for d, v in department_scores(levels, requirements).items()},
        requirements=(), gaps=gaps,
        cost_lines=tuple(
            CostItem(item=line.item, kind=line.kind, name=names[line.item], monthly=cents(line.monthly),  # type: ignore[arg-type]
                     one_time=cents(line.one_time), total=cents(line.total),
                     seats=seats_of(strategy, strategy.licensed_departments))
            for line in cost.lines
        ) + estimate_items(extras),
        cost_notes=cost_notes(product, strategy),
        **stance_fields(product, choice, requirements, feature_levels, conditional=conditional,
                         unpriced=cost.unknown_items if budget is not None else ()),
    )


def shortlist(
    strategy: Strategy,
    catalog: Catalog,
    decisions: MatchResult | None = None,
    *,
    budget: float | None = None,
    top: int | None = None,
    solver: str = "highs",
    locations: Mapping[str, Location] | None = None,
    progress: Progress | None = None,
    stack: int = 1,
    today: date | None = None,
    settings: Sequence[str] = (),
    closest: int = CLOSEST_FITS,
) -> Shortlist:
    """Rank every product of the catalogue for the strategy: best bundle, score, total cost, gaps.

    `decisions` gives each requirement's features (`vendormatch.match.matcher.match_requirements`, maybe
    with a lock applied); without it only pinned features count. `budget` overrides the strategy's. Raises
    VendormatchError when a must-have has no settled feature or the solver fails. `progress`, when given,
    is called at the start of each stage with the stage's name and how many products it covers.
    With `stack=2` or `3`, stacks of up to that many products bought together, each licensed for the
    departments that use it, rank beside single products when they score higher than each of their
    sub-stacks (see `vendormatch.solve.stacks`); at most `max(top, 5)` of them.

    Scores count confirmed features only. A product whose must-haves are unknown (not known absent)
    ranks in the "if-confirmed" band below every verified product, its bundle chosen as if the vendor
    confirmed them. `today` stands for the run's date, against which end-of-sale and end-of-life dates
    are read when the strategy gives no `start`. `settings`, the --set changes already applied to
    `strategy`, are recorded in the result's `run`. When no product qualifies, or fewer than `top`, up
    to `closest` excluded products that come closest are ranked again with every must-have, the
    department floor and the budget lifted (`Shortlist.closest`); 0 skips that.
    """
    if stack not in (1, 2, 3):
        raise VendormatchError([Diagnostic("--stack", 0, 0, "error", "bad-stack",
                                           f"stacks of {stack} products are not supported; use 1, 2 or 3")])
    report = progress or _no_progress
    decisions = decisions if decisions is not None else pinned_decisions(strategy)
    cap = budget if budget is not None else strategy.budget
    requirements, unscored = scored_requirements(strategy, decisions, locations)
    report("screening products", 0, len(catalog.products))
    start = horizon_start(strategy, today or run_date())
    screened = screen(catalog.products, strategy, requirements, start=start, priced_only=cap is not None)
    floor = strategy.min_department_coverage
    report("solving", 0, len(screened.blocks))
    choices = dict(solve_blocks(screened.blocks, screened.groups, budget=cap, floor=floor, solver=solver))
    conditional = set(screened.conditional)
    # A product whose confirmed facts and known prices meet no bundle within the budget and floor is
    # tried again as if the vendor confirmed its unknowns: it may qualify "if confirmed".
    stuck = {b.product for b in screened.blocks if choices[b.product].edition is None and b.product not in conditional}
    if stuck:
        retry = screen({p: catalog.products[p] for p in sorted(stuck)}, strategy, requirements, start=start,
                       optimistic_only=True)
        again = solve_blocks(retry.blocks, retry.groups, budget=cap, floor=floor, solver=solver)
        for product_id, choice in again.items():
            if choice.edition is not None:
                choices[product_id] = choice
                conditional.add(product_id)
    rankings = [
        _ranking(catalog.products[c.product], c, strategy, requirements, cap, conditional=c.product in conditional)
        for c in choices.values() if c.edition
    ]
    if stack > 1:
        verified = {b.product: (b, choices[b.product]) for b in screened.blocks
                    if choices[b.product].edition is not None and b.product not in conditional}
        rankings += _stacks(catalog, strategy, requirements, screened.groups, singles=verified, size=stack,
                            limit=max(top or 0, MAX_STACKS), budget=cap, solver=solver, report=report, start=start)
    rankings.sort(key=rank_key)
    qualified = len(rankings) if top is not None and len(rankings) > top else None
    if top is not None:
        rankings = rankings[:top]
    choices_by_id = {c.product: c for c in choices.values()}
    rankings = [
        (_with_trace(r, catalog.products[r.product], choices_by_id[r.product], strategy, requirements,
                     features=catalog.features)
         if i <= TRACED_RANKINGS and not r.members else r).model_copy(update={"rank": i})
        for i, r in enumerate(rankings, start=1)
    ]
    excluded = [
        Exclusion(product=p, vendor=catalog.products[p].vendor, reasons=reasons)
        for p, reasons in screened.excluded.items()
    ]
    failed = [b for b in screened.blocks if choices[b.product].edition is None]
    if failed:
        report("pricing the products over budget", 0, len(failed))
    cheapest = cheapest_compliant(failed, screened.groups, floor=floor, solver=solver)
    unfloored = [b for b in failed if cheapest[b.product].edition is None]
    floor_reasons = floor_shortfalls(unfloored, screened.groups, requirements, floor,
                                     solver=solver) if floor and unfloored else {}
    for block in failed:
        excluded.append(budget_exclusion(catalog.products[block.product], cheapest[block.product], strategy,
                                         budget=cap, floor=floor, conditional=block.product in screened.conditional,
                                         floor_reason=floor_reasons.get(block.product)))
    excluded.sort(key=lambda e: e.product)
    shown = qualified if qualified is not None else len(rankings)
    fits = _closest(strategy, catalog, decisions, excluded, solver=solver, today=today, count=closest) \
        if excluded and closest and (shown == 0 or (top is not None and shown < top)) else ()
    report("done", len(catalog.products), len(catalog.products))
    return Shortlist(strategy=strategy_summary(strategy, cap, len(requirements)), solver=solver,
                     rankings=tuple(rankings), excluded=tuple(excluded), unscored=tuple(unscored), qualified=qualified,
                     run=run_info(catalog, settings), closest=fits)


def _stacks(catalog: Catalog, strategy: Strategy, requirements: Sequence[ScoredRequirement], groups: Sequence[Group],
            *, singles: Mapping[str, tuple[Block, Choice]], size: int, limit: int, budget: float | None, solver: str,
            report: Progress, start: date) -> list[Ranking]:
    """Rankings of the stacks of up to `size` products that score higher than each of their sub-stacks."""
    candidates = stack_candidates(catalog.products, strategy, groups, start=start, priced_only=budget is not None)
    report("solving stacks", 0, len(candidates))
    alone = {p: alone_score(block, choice, groups) for p, (block, choice) in singles.items()}
    spec = stack_spec(catalog.products, strategy, groups, size=size, budget=budget, alone=alone)
    return [stack_ranking(catalog.products, stack, strategy, requirements, budget)
            for stack, _ in search_stacks(candidates, spec, solver=solver, limit=limit)]


def demoted(strategy: Strategy, ids: Sequence[str]) -> Strategy:
    """The strategy with these must-haves as shoulds, each keeping the weight it had."""
    changed = tuple(
        r.model_copy(update={"priority": "should", "weight": requirement_weight(r, strategy)}) if r.id in ids else r
        for r in strategy.requirements
    )
    return strategy.model_copy(update={"requirements": changed})


def _closest(strategy: Strategy, catalog: Catalog, decisions: MatchResult, excluded: Sequence[Exclusion], *,
             solver: str, today: date | None, count: int) -> tuple[ClosestFit, ...]:
    """The excluded products that come closest: ranked again with every must-have (as a should, its weight
    kept), the department floor and the budget lifted. What cannot be lifted (lifecycle, seats, rates) stays."""
    reasons = {e.product: e.reasons for e in excluded}
    musts = [r.id for r in strategy.requirements if r.priority == "must"]
    lifted = demoted(strategy, musts).model_copy(update={"budget": None, "min_department_coverage": None})
    some = dataclasses.replace(catalog, products={p: catalog.products[p] for p in sorted(reasons)})
    result = shortlist(lifted, some, decisions, solver=solver, today=today, closest=0)
    return tuple(
        ClosestFit(product=r.product, vendor=r.vendor, misses=reasons[r.product], edition=r.edition,
                   add_ons=r.add_ons, score=r.score, cost_total=r.cost_total, cost_known=r.cost_known, band=r.band)
        for r in result.rankings[:count]
    )
