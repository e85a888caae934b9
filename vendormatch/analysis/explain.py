"""`explain()`: for one product, why it ranks where it does, what would close each gap, or what would bring it back.

The product's place comes from the same `shortlist()` run as `vendormatch shortlist`. The what-ifs are
found on that one product alone: gap closers by enumerating its editions x add-on sets with the pure
functions of scoring.py (a product is small), and the changes that bring an excluded product back by
re-running the shortlist on that product with the change made (a larger budget, a must-have demoted
to a should with its weight kept, a lower department floor).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vendormatch.analysis.explain_results import BundleChange, Explanation, GapFix, LevelChange, Remedy
from vendormatch.files.alternatives import describe, level_of, real_features
from vendormatch.files.catalog import Catalog
from vendormatch.files.demand import strategy_demand
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.models import Product, Strategy
from vendormatch.files.offers import (
    add_on_allowed,
    add_on_levels,
    edition_charge,
    edition_levels,
    priced_in,
    seat_limit,
    seats_allowed,
    seats_fail,
)
from vendormatch.files.schema_errors import did_you_mean
from vendormatch.files.stances import stances_of
from vendormatch.match.matcher import MatchResult
from vendormatch.solve.blocks import missing_feature_reason
from vendormatch.solve.results import ClosestFit, Exclusion, Ranking
from vendormatch.solve.scoring import (
    ScoredRequirement,
    bundle_cost,
    bundle_levels,
    cents,
    conversion_rate,
    department_scores,
    money,
    weighted_score,
)
from vendormatch.solve.shortlist import Progress, demoted, pinned_decisions, scored_requirements, shortlist

__all__ = ["BundleChange", "Explanation", "GapFix", "LevelChange", "Remedy", "describe_change", "explain"]

#: Most add-ons (that can raise a score) one edition may take for an exhaustive enumeration: 2**14 sets.
MAX_ADD_ONS = 14
_EPS = 1e-9


@dataclass(frozen=True)
class _Bundle:
    """One way to buy the product, evaluated: requirement levels, department scores and cost."""

    edition: str
    add_ons: tuple[str, ...]
    levels: Mapping[str, float]
    departments: Mapping[str, float]
    score: float
    cost_total: float | None
    cost_known: float
    unknown: int
    order: int  # enumeration order: edition id, then fewer add-ons, then add-on ids

    def key(self) -> tuple[int, float, int]:
        """Cheapest first: fewer unknown prices, lower known cost, then the enumeration order."""
        return (self.unknown, round(self.cost_known, 6), self.order)


def _bundles(product: Product, strategy: Strategy, requirements: Sequence[ScoredRequirement]) -> list[_Bundle]:
    """Every bundle of the product that can seat the users, with add-ons only where they can raise a level."""
    rate = conversion_rate(product, strategy)
    if rate is None:
        return []
    users, months = strategy_demand(strategy), strategy.months
    relevant = real_features(f for r in requirements for f in r.features)
    useful = [a for a in sorted(product.add_ons)
              if relevant & set(add_on_levels(product.add_ons[a]))
              and seats_allowed(priced_in(product.add_ons[a], strategy.currency, rate)[0], users)]
    found: list[_Bundle] = []
    for edition_id in sorted(product.editions):
        price, _ = priced_in(product.editions[edition_id], strategy.currency, rate)
        if price is not None and edition_charge(price, users) is None and seats_fail(price, users):
            continue
        allowed = [a for a in useful if add_on_allowed(product.add_ons[a], edition_id)]
        if len(allowed) > MAX_ADD_ONS:
            raise VendormatchError([Diagnostic(
                "<explain>", 0, 0, "error", "too-many-add-ons",
                f"edition '{edition_id}' of '{product.id}' takes {len(allowed)} add-ons that matter; explain "
                f"enumerates bundles of at most {MAX_ADD_ONS}",
            )])
        for size in range(len(allowed) + 1):
            for add_ons in itertools.combinations(allowed, size):
                cost = bundle_cost(product, edition_id, add_ons, users=users, months=months, rate=rate,
                                   currency=strategy.currency)
                if cost is None:
                    continue
                levels = bundle_levels(product, edition_id, add_ons, requirements)
                found.append(_Bundle(
                    edition_id, add_ons, levels, department_scores(levels, requirements),
                    weighted_score(levels, requirements), cost.total, cost.known_total, len(cost.unknown_items),
                    len(found),
                ))
    return found


def _compliant(bundle: _Bundle, requirements: Sequence[ScoredRequirement], floor: float | None) -> bool:
    """Every must-have in full and, when the strategy sets one, every department at the floor."""
    if any(r.must and bundle.levels[r.id] < 1 - _EPS for r in requirements):
        return False
    return not floor or all(v >= floor - _EPS for v in bundle.departments.values())


def _change(bundle: _Bundle, current: Ranking, levels: Mapping[str, float], budget: float | None) -> BundleChange:
    """The bundle as a change from the chosen one."""
    raises = [LevelChange(requirement=r, before=levels[r], after=v) for r, v in bundle.levels.items() if v > levels[r] + _EPS]
    lowers = [LevelChange(requirement=r, before=levels[r], after=v) for r, v in bundle.levels.items() if v < levels[r] - _EPS]
    extra = None if bundle.cost_total is None or current.cost_total is None else bundle.cost_total - current.cost_total
    return BundleChange(
        edition=bundle.edition, add_ons=bundle.add_ons,
        edition_before=current.edition if bundle.edition != current.edition else None,
        add_ons_added=tuple(a for a in bundle.add_ons if a not in current.add_ons),
        add_ons_removed=tuple(a for a in current.add_ons if a not in bundle.add_ons),
        raises=tuple(raises), lowers=tuple(lowers), score=round(bundle.score, 6),
        cost_total=cents(bundle.cost_total), cost_known=money(bundle.cost_known), extra_cost=cents(extra),
        within_budget=None if budget is None or bundle.cost_total is None else bundle.cost_total <= budget + 1e-6,
    )


def _offered(product: Product, feature: str) -> float:
    """The best level at which any edition or add-on of the product offers a feature (or an alternative)."""
    best = max((level_of(edition_levels(product, e), feature) for e in product.editions), default=0.0)
    return max([best, *(level_of(add_on_levels(a), feature) for a in product.add_ons.values())])


def _fix_gap(gap: str, ranking: Ranking, product: Product, *, bundles: Sequence[_Bundle],
             requirements: Sequence[ScoredRequirement], floor: float | None, budget: float | None) -> GapFix:
    by_id = {r.id: r for r in requirements}
    outcome = next(o for o in ranking.requirements if o.id == gap)
    levels = {o.id: o.level for o in ranking.requirements}
    missing = tuple(t.feature for t in outcome.features if t.level < 1)
    fix_info = GapFix(requirement=gap, department=outcome.department, priority=outcome.priority, weight=outcome.weight,
                      level=outcome.level, missing=missing, fix=None, note="")
    usable = [b for b in bundles if _compliant(b, requirements, floor)]
    target = max((b.levels[gap] for b in usable), default=0.0)
    if target <= outcome.level + _EPS:
        absent = [f for f in missing if _offered(product, f) == 0]
        partial = [f"{describe(f)} (at most {_offered(product, f):.0%})" for f in missing if 0 < _offered(product, f) < 1]
        if absent or partial:
            stances = stances_of(product)
            unknown = [describe(f) for f in absent if stances.best_stance(f).kind == "unknown"]
            known = [f for f in absent if describe(f) not in unknown]
            notes = [f"{product.id} lacks " + ", ".join(
                missing_feature_reason(stances, f, tuple(sorted(product.editions))) for f in known
            )] if known else []
            notes += [f"the catalogue does not know whether {product.id} offers {', '.join(unknown)}: ask the vendor"
                      ] if unknown else []
            notes += [f"{product.id} offers {', '.join(partial)} only in part"] if partial else []
            note = "; ".join(notes)
        else:
            note = f"{product.id} offers these features only in bundles that break a must-have or the department floor"
        return fix_info.model_copy(update={"note": note})
    reaching = [b for b in usable if b.levels[gap] >= target - _EPS]
    keeping = [b for b in reaching if all(b.levels[r] >= levels[r] - _EPS for r in by_id)]
    best = min(keeping or reaching, key=_Bundle.key)
    change = _change(best, ranking, levels, budget)
    return fix_info.model_copy(update={"fix": change, "note": describe_change(change, target)})


def describe_change(change: BundleChange, target: float = 1.0) -> str:
    """The change in words, like 'upgrade starter -> professional; add voice closes it'."""
    steps: list[str] = []
    if change.edition_before is not None:
        steps.append(f"upgrade {change.edition_before} -> {change.edition}")
    if change.add_ons_added:
        steps.append("add " + ", ".join(change.add_ons_added))
    if change.add_ons_removed:
        steps.append("drop " + ", ".join(change.add_ons_removed))
    outcome = "closes it" if target >= 1 - _EPS else f"raises it to {target:.0%}"
    return f"{'; '.join(steps) or 'no change of bundle'} {outcome}"


def _alone(catalog: Catalog, product: Product) -> Catalog:
    return dataclasses.replace(catalog, products={product.id: product})


def _after(strategy: Strategy, catalog: Catalog, product: Product, decisions: MatchResult, *,
           budget: float | None, solver: str) -> tuple[Ranking | None, str, ClosestFit | None]:
    """The product's ranking alone under a changed strategy or budget, and the change's outcome in words;
    when it stays excluded, its best bundle with every constraint lifted instead."""
    result = shortlist(strategy, _alone(catalog, product), decisions, budget=budget, solver=solver)
    if not result.rankings:
        reasons = "; ".join(e for x in result.excluded for e in x.reasons)
        lifted = result.closest[0] if result.closest else None
        best = ""
        if lifted is not None:
            cost = (f"{strategy.currency} {lifted.cost_total:,.0f}" if lifted.cost_total is not None
                    else "a partly unknown cost")
            best = (f"; with every must-have, the floor and the budget lifted, its best bundle would be "
                    f"{' + '.join((lifted.edition, *lifted.add_ons))}: score {lifted.score:.0%}, {cost}")
        return None, f"; even then it stays excluded: {reasons}{best}", lifted
    ranking = result.rankings[0]
    cost = f"{ranking.currency} {ranking.cost_total:,.0f}" if ranking.cost_total is not None else "a partly unknown cost"
    bundle = " + ".join((ranking.edition, *ranking.add_ons))
    return ranking, f"; it would then rank with {bundle}: score {ranking.score:.0%}, {cost}", None


def _demotable(product: Product, strategy: Strategy, requirements: Sequence[ScoredRequirement]) -> tuple[str, ...]:
    """The fewest must-haves (then the lightest) that, demoted, let one edition with its add-ons give all the rest."""
    users = strategy_demand(strategy)
    rate = conversion_rate(product, strategy) or 1.0
    musts = [r for r in requirements if r.must]
    best: tuple[int, float, tuple[str, ...]] | None = None
    for edition_id in sorted(product.editions):
        price, _ = priced_in(product.editions[edition_id], strategy.currency, rate)
        if price is not None and edition_charge(price, users) is None and seats_fail(price, users):
            continue
        levels = edition_levels(product, edition_id)
        for add_on in product.add_ons.values():
            if add_on_allowed(add_on, edition_id) and seats_allowed(priced_in(add_on, strategy.currency, rate)[0], users):
                for feature, level in add_on_levels(add_on).items():
                    levels[feature] = max(levels.get(feature, 0.0), level)
        lacking = tuple(sorted(r.id for r in musts if any(level_of(levels, f) < 1 for f in r.features)))
        candidate = (len(lacking), sum(r.weight for r in musts if r.id in lacking), lacking)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else ()


def _remedy(exclusion: Exclusion, product: Product, strategy: Strategy, *, catalog: Catalog, decisions: MatchResult,
            requirements: Sequence[ScoredRequirement], budget: float | None, solver: str) -> Remedy:
    currency = strategy.currency
    if exclusion.reasons and any(r.startswith(("no longer sold", "reaches end of life")) for r in exclusion.reasons):
        # Nothing in the strategy brings back a product that cannot be bought or kept for the horizon.
        return Remedy(kind="lifecycle", message="none: " + "; ".join(exclusion.reasons)
                      + "; only the horizon (`start`, `horizon_years`) decides what falls inside it")
    if conversion_rate(product, strategy) is None:
        return Remedy(kind="exchange-rate", message=f"add a rate for {product.currency} to the strategy's "
                      f"exchange_rates ({currency} per {product.currency})")
    if exclusion.cheapest_compliant_cost is not None:
        # Rounded up to the cent, so that the budget the solver is given surely admits the bundle.
        needed = math.ceil(round(exclusion.cheapest_compliant_cost * 100, 6)) / 100
        ranking, outcome, lifted = _after(strategy, catalog, product, decisions, budget=needed, solver=solver)
        more = f" ({needed - budget:,.0f} more than {budget:,.0f})" if budget is not None else ""
        return Remedy(kind="budget", budget_needed=needed, ranking=ranking, lifted=lifted,
                      message=f"a budget of {currency} {needed:,.0f}{more}" + outcome)
    bundles = _bundles(product, strategy, requirements)
    if not bundles:
        largest = max((seat_limit(p) for e in product.editions.values() if (p := e.price) is not None), default=0)
        return Remedy(kind="users", max_users=largest,
                      message=f"at most {largest} users (the strategy has {strategy.peak_users}): "
                              f"no edition of {product.id} takes more")
    floor = strategy.min_department_coverage
    meeting = [b for b in bundles if _compliant(b, requirements, None)]
    if meeting and floor:
        reach = max(min(b.departments.values(), default=1.0) for b in meeting)
        # Rounded down, so that the floor the solver is given is surely reached despite floating point.
        lowered = math.floor(reach * 1e6) / 1e6
        after = strategy.model_copy(update={"min_department_coverage": lowered})
        ranking, outcome, lifted = _after(after, catalog, product, decisions, budget=budget, solver=solver)
        return Remedy(kind="department-floor", floor_reachable=lowered, ranking=ranking, lifted=lifted,
                      message=f"min_department_coverage lowered from {floor:g} to {lowered:.4g} (what its best "
                              f"bundle gives its weakest department)" + outcome)
    lacking = _demotable(product, strategy, requirements)
    ranking, outcome, lifted = _after(demoted(strategy, lacking), catalog, product, decisions, budget=budget,
                                      solver=solver)
    noun = "must-have" if len(lacking) == 1 else "must-haves"
    return Remedy(kind="must-have", must_haves=lacking, ranking=ranking, lifted=lifted,
                  message=f"{noun} {', '.join(lacking)} demoted to should (weight kept)" + outcome)


def explain(
    strategy: Strategy,
    catalog: Catalog,
    product_id: str,
    decisions: MatchResult | None = None,
    *,
    budget: float | None = None,
    solver: str = "highs",
    progress: Progress | None = None,
    settings: Sequence[str] = (),
) -> Explanation:
    """Explain one product's place in the shortlist: its bundle, every requirement's level and provider, the gaps
    with the cheapest change that closes each; or, when excluded, why and the cheapest change that brings it back.

    `decisions`, `budget` and `settings` (the --set changes already applied to `strategy`, recorded in
    the result) mean what they mean for `shortlist()`. Raises VendormatchError for an unknown product.
    """
    if product_id not in catalog.products:
        raise VendormatchError([Diagnostic(
            "<explain>", 0, 0, "error", "unknown-product",
            f"no product '{product_id}' in the catalogue{did_you_mean(product_id, catalog.products)}",
        )])
    product = catalog.products[product_id]
    decisions = decisions if decisions is not None else pinned_decisions(strategy)
    result = shortlist(strategy, catalog, decisions, budget=budget, solver=solver, progress=progress,
                       settings=settings, closest=0)
    cap = result.strategy.budget
    requirements, _ = scored_requirements(strategy, decisions)
    ranking = next((r for r in result.rankings if r.product == product_id), None)
    exclusion = next((e for e in result.excluded if e.product == product_id), None)
    gaps: tuple[GapFix, ...] = ()
    remedy: Remedy | None = None
    if ranking is not None:
        bundles = _bundles(product, strategy, requirements)
        gaps = tuple(_fix_gap(g, ranking, product, bundles=bundles, requirements=requirements,
                              floor=strategy.min_department_coverage, budget=cap) for g in ranking.gaps)
    elif exclusion is not None:
        remedy = _remedy(exclusion, product, strategy, catalog=catalog, decisions=decisions, requirements=requirements,
                         budget=cap, solver=solver)
    return Explanation(
        product=product.id, vendor=product.vendor, product_name=product.product, strategy=result.strategy,
        status="ranked" if ranking is not None else "excluded", ranked=len(result.rankings), ranking=ranking,
        gaps=gaps, exclusion=exclusion, remedy=remedy, unscored=result.unscored, run=result.run,
    )
