"""Checks on a strategy: every requirement traces to an objective and a department with users,
and, against a catalogue, its features and currencies resolve."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from vendormatch.files.alternatives import describe, members, real_features
from vendormatch.files.cost_rules import cost_problem, licensing_problems
from vendormatch.files.currencies import (
    ISO_4217,
    REFERENCE_AS_OF,
    REFERENCE_SOURCE,
    currency_suggestion,
    reference_rate,
)
from vendormatch.files.diagnostics import Diagnostic
from vendormatch.files.loader import DataPath, Document
from vendormatch.files.models import (
    AddOn,
    AnyOf,
    Edition,
    Feature,
    Product,
    Requirement,
    Strategy,
    feature_keys,
    yearly,
)
from vendormatch.files.offers import (
    add_on_allowed,
    add_on_levels,
    edition_levels,
)
from vendormatch.files.schema_errors import did_you_mean
from vendormatch.files.stances import stances_of


@dataclass(frozen=True)
class RequirementSource:
    """A requirement with the document and path it was read from."""

    requirement: Requirement
    doc: Document
    path: DataPath


@dataclass(frozen=True)
class StrategySources:
    """Everything a strategy rule may look at; the catalogue parts are empty when none is given."""

    strategy: Strategy
    doc: Document
    requirements: tuple[RequirementSource, ...]
    features: Mapping[str, Feature] | None = None
    products: Mapping[str, Product] | None = None
    #: The features each requirement needs, by requirement id, as a matcher found them; a
    #: requirement missing here (or every one, when this is None) needs its pinned `features`.
    requirement_features: Mapping[str, tuple[str, ...]] | None = None


Rule = Callable[[StrategySources], Iterator[Diagnostic]]


def objectives(sources: StrategySources) -> Iterator[Diagnostic]:
    """Every requirement names an objective of the strategy; every objective has a requirement."""
    known = sources.strategy.objectives
    used: set[str] = set()
    named = {src.requirement.objective for src in sources.requirements if src.requirement.objective}
    for src in sources.requirements:
        req = src.requirement
        if req.objective is None:
            yield src.doc.diagnostic(
                src.path, "missing-objective",
                f"requirement '{req.id}' names no objective; add `objective:` with one of: "
                f"{', '.join(sorted(known))} (every requirement must trace to an objective)",
            )
        elif req.objective not in known:
            # A close objective that no requirement names: the typo may be in the objective's own key.
            hint = did_you_mean(req.objective, {o: v for o, v in known.items() if o not in named})
            rename = (f"; or, if '{req.objective}' is right, rename objective {hint.split(' ')[-1].rstrip('?')} "
                      f"to '{req.objective}'") if hint else ""
            yield src.doc.diagnostic(
                (*src.path, "objective"), "unknown-objective",
                f"requirement '{req.id}' names unknown objective '{req.objective}'"
                f"{did_you_mean(req.objective, known)}; known: {', '.join(sorted(known))}{rename}",
            )
        else:
            used.add(req.objective)
    for objective_id, objective in known.items():
        if objective.kpi is None:
            yield sources.doc.diagnostic(
                ("objectives", objective_id), "objective-without-kpi",
                f"objective '{objective_id}' has no `kpi`: say how you will know it is met, with a measure and "
                "ideally a target (a goal without a measure cannot steer the choice)",
                key=True, severity="warning",
            )
    for objective_id in known:
        if objective_id not in used:
            yield sources.doc.diagnostic(
                ("objectives", objective_id), "objective-unused",
                f"objective '{objective_id}' has no requirement: derive at least one requirement from it "
                "or drop it",
                key=True, severity="warning",
            )


def departments(sources: StrategySources) -> Iterator[Diagnostic]:
    """Every requirement's department is a key of `users`, and departments with requirements have users."""
    users = sources.strategy.users
    with_requirements: set[str] = set()
    for src in sources.requirements:
        req = src.requirement
        if req.department is None:
            yield src.doc.diagnostic(
                src.path, "missing-department",
                f"requirement '{req.id}' names no department; add `department:` with one of: "
                f"{', '.join(sorted(users))}",
            )
        elif req.department not in users:
            yield src.doc.diagnostic(
                (*src.path, "department") if "department" in _keys(src) else src.path, "unknown-department",
                f"requirement '{req.id}' is for department '{req.department}', which has no entry in "
                f"`users`{did_you_mean(req.department, users)}; add it to users or fix the name",
            )
        else:
            with_requirements.add(req.department)
    for department in sorted(with_requirements):
        if max(yearly(users[department])) == 0:
            yield sources.doc.diagnostic(
                ("users", department), "department-without-users",
                f"department '{department}' has requirements but 0 users: its needs count, but no "
                "licence is costed for it",
                severity="warning",
            )
    if sources.strategy.peak_users == 0:
        yield sources.doc.diagnostic(
            ("users",), "no-users", "the strategy has no users: give each department its number of users",
        )


def _keys(src: RequirementSource) -> set[str]:
    node = src.doc.data
    for part in src.path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return set()
    return set(node) if isinstance(node, dict) else set()


def requirement_ids(sources: StrategySources) -> Iterator[Diagnostic]:
    """Requirement ids are unique across the strategy (and all its requirement files)."""
    first: dict[str, RequirementSource] = {}
    for src in sources.requirements:
        seen = first.setdefault(src.requirement.id, src)
        if seen is not src:
            line, column = seen.doc.locate((*seen.path, "id"))
            yield src.doc.diagnostic(
                (*src.path, "id"), "duplicate-id",
                f"requirement id '{src.requirement.id}' is already used at {seen.doc.file}:{line}:{column}; "
                "give each requirement its own id",
            )


def _currency_hint(code: str) -> str:
    suggestion = currency_suggestion(code)
    return f"; did you mean '{suggestion}'?" if suggestion else did_you_mean(code, ISO_4217, cutoff=66)


# A rate this close to the inverse of the reference (and not to the reference) was entered the wrong
# way round; one this far from the reference in either direction is most likely a slip of the finger.
_INVERTED_WITHIN = 1.25
_FAR_FACTOR = 3.0


def _rate_problem(rate: float, reference: float, strategy_currency: str, code: str) -> str | None:
    """Why an exchange rate looks wrong next to the reference rate, or None when it looks right."""
    where = f"{strategy_currency} per {code} was about {reference:.4g} on {REFERENCE_AS_OF} ({REFERENCE_SOURCE})"
    inverse = 1 / reference
    if max(rate / inverse, inverse / rate) <= _INVERTED_WITHIN and max(rate / reference, reference / rate) > _INVERTED_WITHIN:
        return (f"exchange rate {rate:g} looks the wrong way round: it is close to {code} per {strategy_currency}, "
                f"while the rate wanted is {strategy_currency} per {code}; {where}")
    if max(rate / reference, reference / rate) > _FAR_FACTOR:
        return (f"exchange rate {rate:g} is more than {_FAR_FACTOR:g} times away from the reference: {where}; "
                "check the figure and its direction")
    return None


def strategy_currencies(sources: StrategySources) -> Iterator[Diagnostic]:
    """Currencies are ISO 4217 codes; a product whose prices would be converted has a rate for its currency."""
    strategy = sources.strategy
    if strategy.currency not in ISO_4217:
        yield sources.doc.diagnostic(
            ("currency",), "unknown-currency",
            f"'{strategy.currency}' is not an ISO 4217 currency code{_currency_hint(strategy.currency)}",
        )
    for code, rate in strategy.exchange_rates.items():
        if code not in ISO_4217:
            yield sources.doc.diagnostic(
                ("exchange_rates", code), "unknown-currency",
                f"'{code}' is not an ISO 4217 currency code{_currency_hint(code)}", key=True,
            )
            continue
        reference = reference_rate(strategy.currency, code)
        problem = _rate_problem(rate, reference, strategy.currency, code) if reference is not None else None
        if problem is not None:
            yield sources.doc.diagnostic(("exchange_rates", code), "exchange-rate-suspect", problem,
                                         severity="warning")
    if sources.products is None:
        return
    missing: dict[str, list[str]] = {}
    for product in sources.products.values():
        offers: list[Edition | AddOn] = [*product.editions.values(), *product.add_ons.values()]
        converted = any(offer.price is not None and strategy.currency not in offer.prices for offer in offers)
        if product.currency != strategy.currency and product.currency not in strategy.exchange_rates and converted:
            missing.setdefault(product.currency, []).append(product.id)
    for code, ids in sorted(missing.items()):
        names = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        yield sources.doc.diagnostic(
            ("exchange_rates",) if "exchange_rates" in sources.doc.data else ("currency",), "missing-exchange-rate",
            f"no exchange rate for {code} (used by {names}); add `exchange_rates: {{{code}: <{strategy.currency} "
            f"per {code}>}}`",
        )


def pinned_features(sources: StrategySources) -> Iterator[Diagnostic]:
    """Pinned features are ids of the catalogue's taxonomy."""
    if sources.features is None:
        return
    known = sources.features
    for src in sources.requirements:
        for index, item in enumerate(src.requirement.features or ()):
            placed: list[tuple[DataPath, str]] = (
                [((*src.path, "features", index, "any", j), f) for j, f in enumerate(item.any)]
                if isinstance(item, AnyOf) else [((*src.path, "features", index), item)]
            )
            for path, feature in placed:
                if feature not in known:
                    yield src.doc.diagnostic(
                        path, "unknown-feature",
                        f"unknown feature '{feature}'{did_you_mean(feature, known)}; pin ids of the catalogue's "
                        "features.yaml (`vendormatch catalog --features` lists them)",
                    )


def needed_features(sources: StrategySources, requirement: Requirement) -> tuple[str, ...]:
    """The features a requirement needs: the caller's mapping where it has the id, else the pinned ones."""
    if sources.requirement_features is not None and requirement.id in sources.requirement_features:
        return tuple(sources.requirement_features[requirement.id])
    return feature_keys(requirement.features or ())


def full_feature_sets(products: Mapping[str, Product], unknown_of: Iterable[str] = ()) -> list[frozenset[str]]:
    """For each product and edition, the features it gives in full, with every add-on that edition may take;
    features of `unknown_of` whose stance there is unknown count as given (the vendor may confirm them)."""
    hoped = tuple(unknown_of)
    bundles: list[frozenset[str]] = []
    for product in products.values():
        stances = stances_of(product)
        for edition_id in product.editions:
            full = {feature for feature, level in edition_levels(product, edition_id).items() if level >= 1}
            full.update(stances.unknown_in(edition_id, hoped))
            for add_on in product.add_ons.values():
                if add_on_allowed(add_on, edition_id):
                    full.update(feature for feature, level in add_on_levels(add_on).items() if level >= 1)
            bundles.append(frozenset(full))
    return bundles


def _gives(features: frozenset[str], key: str) -> bool:
    """Whether a set of features given in full meets a key: a feature, or any member of an alternative."""
    return any(m in features for m in members(key))


def unavailable_musts(sources: StrategySources) -> Iterator[Diagnostic]:
    """A `must` that no product can meet in full (one edition with its add-ons) leaves the shortlist empty."""
    if sources.products is None:
        return
    bundles: list[frozenset[str]] | None = None
    offered: frozenset[str] = frozenset()
    for src in sources.requirements:
        req = src.requirement
        if req.priority != "must":
            continue
        # Unknown feature ids are reported by their own rule; judging them here would repeat it.
        needed = [
            f for f in dict.fromkeys(needed_features(sources, req))
            if sources.features is None or all(m in sources.features for m in members(f))
        ]
        if not needed:
            continue
        if bundles is None:
            musts = {f for s in sources.requirements if s.requirement.priority == "must"
                     for f in needed_features(sources, s.requirement)}
            bundles = full_feature_sets(sources.products, sorted(real_features(musts)))
            offered = frozenset().union(*bundles)
        lacking = [f for f in needed if not _gives(offered, f)]
        if lacking:
            yield src.doc.diagnostic(
                (*src.path, "priority"), "must-unavailable",
                f"must-have '{req.id}' needs {', '.join(map(describe, lacking))}, which no product of the catalogue offers in "
                "full, nor leaves unknown: the shortlist will be empty; make it a `should` or check the features",
                severity="warning",
            )
        elif not any(all(_gives(bundle, f) for f in needed) for bundle in bundles):
            yield src.doc.diagnostic(
                (*src.path, "priority"), "must-unavailable",
                f"must-have '{req.id}' needs {', '.join(map(describe, needed))}, which no single product offers together in full "
                "(one edition with the add-ons it may take): the shortlist will be empty; make it a `should` "
                "or split it",
                severity="warning",
            )


def cost_range(sources: StrategySources) -> Iterator[Diagnostic]:
    """No edition or add-on may cost more over the horizon than costs are compared exactly (`cost_problem`)."""
    if sources.products is None:
        return
    problem = cost_problem(sources.strategy, sources.products)
    if problem is not None:
        yield sources.doc.diagnostic(("users",), "cost-out-of-range", problem, key=True)


def licensing(sources: StrategySources) -> Iterator[Diagnostic]:
    """Light users, `uses` and cost estimates name known departments and products (`licensing_problems`)."""
    with_requirements = {src.requirement.department for src in sources.requirements}
    for path, code, message in licensing_problems(sources.strategy, sources.products, with_requirements):
        yield sources.doc.diagnostic(path, code, message)


RULES: dict[str, Rule] = {
    "objectives": objectives,
    "departments": departments,
    "duplicate-id": requirement_ids,
    "currencies": strategy_currencies,
    "unknown-feature": pinned_features,
    "must-unavailable": unavailable_musts,
    "cost-range": cost_range,
    "licensing": licensing,
}


def check_strategy_sources(sources: StrategySources) -> list[Diagnostic]:
    """Run every strategy rule."""
    found: list[Diagnostic] = []
    for rule in RULES.values():
        found.extend(rule(sources))
    return found
