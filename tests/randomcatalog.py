"""Random small catalogues and strategies for property tests, built as real YAML and loaded for real.

Also the brute-force oracle: every edition x add-on subset of a product, scored and costed with
the documented rules, and the best one picked by the documented order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import oracle
import yaml
from hypothesis import strategies as st

from vendormatch.files.catalog import Catalog
from vendormatch.files.loader import parse_yaml
from vendormatch.files.models import FeaturesFile, Product, Strategy, stance_feature
from vendormatch.files.schema_errors import validate_model
from vendormatch.solve.scoring import (
    ScoredRequirement,
    conversion_rate,
)

FEATURES = ("f-a", "f-b", "f-c", "f-d", "f-e")
DEPARTMENTS = ("sales", "service", "accounts")


def _load(model: Any, data: dict[str, Any], name: str) -> Any:
    doc = parse_yaml(yaml.safe_dump(data, sort_keys=False).encode(), name)
    value, errors = validate_model(model, doc.data, doc)
    assert value is not None, errors
    return value


@st.composite
def prices(draw: st.DrawFn, edition: bool) -> dict[str, Any] | None:
    """A price of any documented shape, or None (unknown)."""
    kind = draw(st.sampled_from(["unknown", "per-user", "flat", "flat-plus", "one-time", "contacts"]))
    if kind == "unknown":
        return None
    price: dict[str, Any] = {}
    # Few distinct figures, so that equal costs (and the tie-break) come up often.
    if kind == "per-user":
        price["per_user_month"] = draw(st.sampled_from([0, 5, 10, 12, 20, 35, 60]))
    elif kind == "flat":
        price["flat_month"] = draw(st.sampled_from([0, 50, 100, 240, 400]))
    elif kind == "flat-plus":
        price["flat_month"] = draw(st.sampled_from([0, 50, 100, 300]))
        price["per_user_month"] = draw(st.sampled_from([1, 5, 10, 40]))
    elif kind == "contacts":
        # A price by marketing contacts, the tiers stopping where the vendor stops publishing.
        limits = draw(st.lists(st.sampled_from([500, 1000, 2500, 5000, 10000]), min_size=1, max_size=3, unique=True))
        price["contact_tiers"] = [{"up_to": n, "month": m} for n, m in zip(sorted(limits), (20, 45, 90), strict=False)]
    else:
        price["one_time"] = draw(st.sampled_from([0, 500, 1000, 3000]))
    if "per_user_month" in price and draw(st.integers(0, 2)) == 0:
        price["light_user_month"] = draw(st.sampled_from([0, 2, 5]))
    if draw(st.integers(0, 3)) == 0:
        price["seat_buckets"] = draw(st.sampled_from([[3, 5, 10], [5, 10, 25], [2, 4, 8, 16, 32]]))
    if draw(st.integers(0, 2)) == 0:
        price["min_term_months"] = draw(st.sampled_from([12, 24, 36, 48]))
    if draw(st.integers(0, 2)) == 0:
        price["annual_increase"] = draw(st.sampled_from([0.03, 0.05, 0.1]))
    if edition:
        if "flat_month" in price:
            price["included_users"] = draw(st.integers(1, 15))
        if draw(st.booleans()) and "per_user_month" in price:
            price["min_users"] = draw(st.integers(1, 8))
        if draw(st.booleans()):
            price["max_users"] = draw(st.integers(price.get("min_users", 1), 30))
    if draw(st.booleans()):
        price["one_time"] = price.get("one_time", 0) + draw(st.integers(0, 2000))
    return price


@st.composite
def feature_lists(draw: st.DrawFn) -> list[Any]:
    """A few features, some with partial levels."""
    chosen = draw(st.lists(st.sampled_from(FEATURES), max_size=3, unique=True))
    return [f if draw(st.booleans()) else {"feature": f, "level": draw(st.sampled_from([0.5, 1.0]))} for f in chosen]


@st.composite
def products(draw: st.DrawFn, product_id: str, max_editions: int = 4, max_add_ons: int = 4) -> Product:
    """A product with 1-4 editions (includes chains), 0-4 add-ons (some restricted), any prices."""
    n_editions = draw(st.integers(1, max_editions))
    edition_ids = [f"e{i}" for i in range(n_editions)]
    editions: dict[str, Any] = {}
    for i, edition_id in enumerate(edition_ids):
        edition: dict[str, Any] = {"name": edition_id.upper(), "features": draw(feature_lists())}
        if i > 0 and draw(st.booleans()):
            edition["includes"] = edition_ids[draw(st.integers(0, i - 1))]
        price = draw(prices(edition=True))
        if price is not None:
            edition["price"] = price
            if draw(st.integers(0, 3)) == 0:
                # A price the vendor also publishes in the strategies' currency: used as it is, not converted.
                local = draw(prices(edition=True))
                if local is not None:
                    edition["prices"] = {"USD": local}
        editions[edition_id] = edition
    add_ons: dict[str, Any] = {}
    for j in range(draw(st.integers(0, max_add_ons))):
        add_on: dict[str, Any] = {"name": f"A{j}", "features": draw(feature_lists())}
        price = draw(prices(edition=False))
        if price is not None:
            add_on["price"] = price
        if draw(st.booleans()):
            add_on["editions"] = draw(st.lists(st.sampled_from(edition_ids), min_size=1, unique=True))
        add_ons[f"a{j}"] = add_on
    data: dict[str, Any] = {
        "id": product_id, "vendor": "V", "product": product_id, "url": "https://example.com", "as_of": "2026-09",
        "deployment": "saas", "license": "proprietary", "currency": draw(st.sampled_from(["USD", "EUR"])),
        "editions": editions, "add_ons": add_ons,
    }
    # Stances for what no edition or add-on offers: known absent, unknown, third-party only, or undeclared
    # (which reads as unknown); and now and then an edition that does not know a feature another one has.
    offered = {f if isinstance(f, str) else f["feature"] for part in (*editions.values(), *add_ons.values())
               for f in part["features"]}
    for feature in FEATURES:
        if feature in offered:
            edition_id = draw(st.sampled_from(edition_ids))
            listed = {f if isinstance(f, str) else f["feature"] for f in editions[edition_id]["features"]}
            if feature not in listed and draw(st.integers(0, 4)) == 0:
                editions[edition_id].setdefault("unknown", []).append(feature)
            continue
        kind = draw(st.sampled_from(["undeclared", "lacks", "unknown", "third_party"]))
        if kind == "third_party":
            data.setdefault("third_party", []).append({"feature": feature, "apps": ["Some App"]})
        elif kind != "undeclared":
            data.setdefault(kind, []).append(feature)
    product: Product = _load(Product, data, f"{product_id}.yaml")
    return product


@st.composite
def strategies_(draw: st.DrawFn, max_departments: int = 3) -> Strategy:
    """A strategy with 1-3 departments, 1-5 requirements over the feature pool, maybe a budget and a floor."""
    departments = draw(st.lists(st.sampled_from(DEPARTMENTS), min_size=1, max_size=max_departments, unique=True))
    horizon = draw(st.sampled_from([1, 2, 3, 1.5, 2.25]))
    years = math.ceil(horizon)
    users: dict[str, Any] = {}
    light: dict[str, Any] = {}
    for d in departments:
        counts = draw(st.lists(st.integers(0, 10), min_size=1, max_size=years))
        users[d] = counts[0] if len(counts) == 1 and draw(st.booleans()) else counts
        if draw(st.integers(0, 2)) == 0:
            light[d] = [draw(st.integers(0, n)) for n in counts]
    if all(max(c if isinstance(c, list) else [c]) == 0 for c in users.values()):
        users[departments[0]] = 1
        light.pop(departments[0], None)
    requirements = []
    for i in range(draw(st.integers(1, 5))):
        req: dict[str, Any] = {
            "id": f"r{i}", "text": f"requirement {i}", "objective": "goal",
            "department": draw(st.sampled_from(departments)),
            "priority": draw(st.sampled_from(["must", "should", "should", "could", "could", "wont"])),
            "features": draw(st.lists(st.sampled_from(FEATURES), min_size=1, max_size=2, unique=True)),
        }
        if draw(st.integers(0, 2)) == 0:
            # Alternatives: met by whichever of two or three features a bundle gives best.
            req["features"] = [*req["features"][:1],
                               {"any": draw(st.lists(st.sampled_from(FEATURES), min_size=2, max_size=3, unique=True))}]
        if draw(st.booleans()):
            req["weight"] = draw(st.integers(1, 9))
        requirements.append(req)
    data: dict[str, Any] = {
        "organisation": "Test", "currency": "USD", "horizon_years": horizon,
        "exchange_rates": {"EUR": 1.25}, "users": users,
        "objectives": {"goal": {"statement": "grow", "weight": draw(st.integers(1, 5))}},
        "requirements": requirements,
    }
    if light:
        data["light_users"] = light
    if draw(st.integers(0, 2)) == 0:
        # Costs beyond licences: for one product, or for every product of a deployment kind.
        data["costs"] = [
            {"kind": draw(st.sampled_from(["implementation", "hosting", "support"])),
             **({"product": draw(st.sampled_from(["p0", "p1", "p2"]))} if draw(st.booleans()) else {"deployment": "saas"}),
             "one_time": draw(st.sampled_from([0, 800, 2500])), "monthly": draw(st.sampled_from([0, 40, 150]))}
            for _ in range(draw(st.integers(1, 3)))
        ]
    if draw(st.booleans()):
        data["contacts"] = draw(st.lists(st.sampled_from([300, 800, 2000, 4000, 12000]), min_size=1, max_size=years))
    if draw(st.booleans()):
        data["budget"] = draw(st.integers(0, 40000))
    if draw(st.integers(0, 3)) == 0:
        data["min_department_coverage"] = draw(st.sampled_from([0.25, 0.5]))
    strategy: Strategy = _load(Strategy, data, "strategy.yaml")
    return strategy


def features_file() -> FeaturesFile:
    """The taxonomy of the random catalogues."""
    model: FeaturesFile = _load(FeaturesFile, {"features": {f: {"name": f"Feature {f}"} for f in FEATURES}},
                                "features.yaml")
    return model


@st.composite
def catalogues(draw: st.DrawFn, max_editions: int = 4, max_add_ons: int = 4, min_products: int = 1) -> Catalog:
    """A catalogue of 1-3 random products (at least `min_products`)."""
    items = [draw(products(f"p{i}", max_editions, max_add_ons)) for i in range(draw(st.integers(min_products, 3)))]
    return Catalog(root="random", features=features_file().features, products={p.id: p for p in items})


@dataclass(frozen=True)
class Best:
    """The brute-force optimum of one product."""

    edition: str
    add_ons: tuple[str, ...]
    score: float  # confirmed features only
    cost_known: float
    unknown: int
    band: str = "verified"
    score_up_to: float = 0.0


def _chain(product: Product, edition_id: str) -> list[str]:
    chain = [edition_id]
    while (parent := product.editions[chain[-1]].includes) is not None and parent not in chain:
        chain.append(parent)
    return chain


def unknown_in_edition(product: Product, edition_id: str) -> set[str]:
    """The features whose stance in an edition is unknown, read plainly from the documented rules.

    Written apart from vendormatch.files.stances on purpose: the oracle must not share the code it checks.
    """
    chain = _chain(product, edition_id)
    in_chain = {r.feature for e in chain for r in product.editions[e].features}
    own_add_on = {r.feature for a_id, a in product.add_ons.items()
                  if a.provider is None and oracle.may_take(product, a_id, edition_id) for r in a.features}
    third_party = {r.feature for r in product.third_party}
    edition_unknown = {stance_feature(r) for e in chain for r in product.editions[e].unknown}
    lacks = {stance_feature(r) for r in product.lacks}
    anywhere = {r.feature for e in product.editions.values() for r in e.features}
    anywhere |= {r.feature for a in product.add_ons.values() for r in a.features}
    unknown: set[str] = set()
    for feature in FEATURES:
        if feature in in_chain or feature in own_add_on or feature in third_party:
            continue
        if feature in edition_unknown or (feature not in lacks and feature not in anywhere):
            unknown.add(feature)
    return unknown


def _search(product: Product, strategy: Strategy, requirements: Sequence[ScoredRequirement], budget: float | None,
            *, optimistic: bool) -> Best | None:
    rate = conversion_rate(product, strategy)
    assert rate is not None
    floor = strategy.min_department_coverage
    candidates: list[tuple[tuple[Any, ...], Best]] = []
    for bundle in oracle.bundles(product, oracle.need_of(strategy), strategy.months, rate, strategy.currency,
                                 extra=oracle.extras(product, strategy)):
        # With a budget, a bundle of unknown price cannot be shown to fit: only "if confirmed".
        if budget is not None and not optimistic and bundle.unknown:
            continue
        confirmed = bundle.levels
        features = dict(confirmed)
        if optimistic:
            hoped = unknown_in_edition(product, bundle.edition)
            features.update({f: 1.0 for f in hoped if confirmed.get(f, 0.0) == 0})
        levels = {r.id: oracle.requirement_level(r.features, features) for r in requirements}
        if any(r.must and levels[r.id] < 1 for r in requirements):
            continue
        if budget is not None and bundle.known > budget + 1e-6:
            continue
        if floor and any(v < floor - 1e-9 for v in oracle.by_department(levels, requirements).values()):
            continue
        score = oracle.weighted(levels, requirements)
        sure = oracle.weighted({r.id: oracle.requirement_level(r.features, confirmed) for r in requirements},
                               requirements)
        best = Best(bundle.edition, bundle.add_ons, sure, bundle.known, len(bundle.unknown),
                    "if-confirmed" if optimistic else "verified", score)
        # The documented order: score, unknown prices, cost, edition id, fewer add-ons, add-on ids.
        key = (-round(score, 9), best.unknown, round(bundle.known, 6), bundle.edition, len(bundle.add_ons),
               bundle.add_ons)
        candidates.append((key, best))
    if not candidates:
        return None
    return min(candidates, key=lambda item: item[0])[1]


def brute_force(product: Product, strategy: Strategy, requirements: Sequence[ScoredRequirement],
                budget: float | None) -> Best | None:
    """Enumerate every edition x add-on subset; return the best by the documented order, or None.

    A product that no bundle qualifies on confirmed facts (and known prices, with a budget) is searched
    again with its unknown features read as confirmed and unknown prices allowed, and then ranks in the
    "if-confirmed" band.
    """
    verified = _search(product, strategy, requirements, budget, optimistic=False)
    return verified or _search(product, strategy, requirements, budget, optimistic=True)
