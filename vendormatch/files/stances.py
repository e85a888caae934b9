"""What a product says about each feature: offered, partly, through an add-on, third-party only, absent or unknown.

A product file accounts for a feature in one of four places: the `features:` of its editions and
add-ons (offered), `third_party:` (only through other companies' apps), `lacks:` (known absent) or
`unknown:`. A feature that an edition does not reach through its `includes` chain, but that another
edition or an add-on of the product offers, is absent from that edition: the product's own edition
comparison says which tier has it. Anything the file does not declare at all is unknown, never
absent, so that older files that list only what editions offer keep loading with honest semantics.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from vendormatch.files.alternatives import ANY_PREFIX, is_any, members, real_features
from vendormatch.files.models import Product, stance_feature, stance_ref
from vendormatch.files.offers import add_on_allowed, add_on_levels, edition_levels

StanceKind = Literal["full", "partial", "add-on", "third-party", "absent", "unknown"]
#: The order in which reports list stances, from best to worst news.
STANCE_KINDS: tuple[StanceKind, ...] = ("full", "partial", "add-on", "third-party", "absent", "unknown")


@dataclass(frozen=True)
class FeatureStance:
    """One feature's stance in one edition, with the evidence for it."""

    feature: str
    kind: StanceKind
    # The confirmed level: what the edition gives for full and partial, the best own add-on's for
    # "add-on", 0 for the rest.
    level: float
    source: str | None
    note: str | None = None
    # Who offers it: the add-on ids for "add-on", the app names for "third-party", editions for "absent".
    via: tuple[str, ...] = ()


def edition_chain(product: Product, edition_id: str) -> list[str]:
    """An edition and every edition it includes, transitively, in order (a cycle stops the walk)."""
    chain: list[str] = []
    current: str | None = edition_id
    while current is not None and current not in chain and current in product.editions:
        chain.append(current)
        current = product.editions[current].includes
    return chain


def default_source(product: Product) -> str | None:
    """The source of a fact that names none: the product's first source, else its pricing page."""
    return product.sources[0] if product.sources else product.url


@dataclass(frozen=True)
class _EditionFacts:
    """What one edition knows, gathered once: the features it reaches and those it declares unknown."""

    chain: tuple[str, ...]
    offered: frozenset[str]  # through its `includes` chain
    unknown: frozenset[str]  # its chain's own `unknown:` lists
    own_add_ons: frozenset[str]  # features of the vendor's add-ons it may take
    third_party_apps: frozenset[str]  # features of priced third-party apps it may take


class ProductStances:
    """The stance of features in a product's editions; what each edition knows is gathered once."""

    def __init__(self, product: Product) -> None:
        self.product = product
        self._third_party = {ref.feature: ref for ref in product.third_party}
        self._lacks = {stance_feature(ref): ref for ref in product.lacks}
        self._unknown = {stance_feature(ref): ref for ref in product.unknown}
        self._anywhere = frozenset(
            [ref.feature for edition in product.editions.values() for ref in edition.features]
            + [ref.feature for add_on in product.add_ons.values() for ref in add_on.features]
        )
        self._editions: dict[str, _EditionFacts] = {}

    def offered_anywhere(self) -> frozenset[str]:
        """Features that some edition or add-on of the product offers at some level."""
        return self._anywhere

    def _facts(self, edition_id: str) -> _EditionFacts:
        facts = self._editions.get(edition_id)
        if facts is None:
            product = self.product
            chain = tuple(edition_chain(product, edition_id))
            allowed = [a for a in product.add_ons.values() if add_on_allowed(a, edition_id)]
            facts = _EditionFacts(
                chain,
                frozenset(r.feature for e in chain for r in product.editions[e].features),
                frozenset(stance_feature(r) for e in chain for r in product.editions[e].unknown),
                frozenset(r.feature for a in allowed if a.provider is None for r in a.features),
                frozenset(r.feature for a in allowed if a.provider is not None for r in a.features),
            )
            self._editions[edition_id] = facts
        return facts

    def unknown_in(self, edition_id: str, features: Iterable[str]) -> frozenset[str]:
        """Of `features`, those whose stance in this edition is unknown (nothing confirms or denies them).

        The same reading as `stance()`, on sets: what the edition, its add-ons or third-party apps
        give is known; then its own `unknown:` lists; then `lacks:` and offers elsewhere are absent.
        """
        facts = self._facts(edition_id)
        keys = frozenset(features)
        alternatives = {key for key in keys if is_any(key)}
        wanted = (keys - alternatives) | real_features(alternatives)
        hoped = (wanted & facts.unknown) | (wanted - self._lacks.keys() - self._anywhere)
        unknown = hoped - facts.offered - facts.own_add_ons - facts.third_party_apps - self._third_party.keys()
        # An alternative is unknown when one of its members is: the vendor may confirm that one.
        return frozenset((unknown & keys) | {key for key in alternatives if unknown & set(members(key))})

    def third_party_in(self, edition_id: str, features: Iterable[str]) -> frozenset[str]:
        """Of `features` (ids, not alternatives), those this edition has only through third-party apps.

        The same reading as `stance()`: what the edition or the vendor's own add-ons offer comes first."""
        facts = self._facts(edition_id)
        apps = (self._third_party.keys() | facts.third_party_apps) - facts.offered - facts.own_add_ons
        return frozenset(features) & apps

    def stance(self, edition_id: str, feature: str) -> FeatureStance:
        """The feature's stance in an edition, counting what the edition includes and what add-ons it may take.

        An alternative (`any:` key) takes its best member's stance; a member that is unknown beats one
        known absent, since the vendor may confirm it.
        """
        if feature.startswith(ANY_PREFIX):  # not is_any(): a hot path
            chosen = min((self.stance(edition_id, m) for m in members(feature)),
                         key=lambda s: (_ALTERNATIVE_ORDER.index(s.kind), -s.level))
            note = f"{chosen.feature}: {chosen.note}" if chosen.note else chosen.feature
            return FeatureStance(feature, chosen.kind, chosen.level, chosen.source, note, chosen.via)
        product = self.product
        source = default_source(product)
        facts = self._facts(edition_id)
        if feature in facts.offered:
            best = edition_levels(product, edition_id)[feature]
            ref = next(r for e in facts.chain for r in product.editions[e].features if r.feature == feature)
            return FeatureStance(feature, "full" if best >= 1 else "partial", best, ref.source or source, ref.note)
        if feature in facts.own_add_ons:
            own = tuple(
                add_on_id for add_on_id, add_on in sorted(product.add_ons.items())
                if add_on.provider is None and add_on_allowed(add_on, edition_id) and feature in add_on_levels(add_on)
            )
            refs = [(r, product.add_ons[a]) for a in own for r in product.add_ons[a].features if r.feature == feature]
            ref, add_on = max(refs, key=lambda item: item[0].level)
            return FeatureStance(feature, "add-on", ref.level, ref.source or add_on.source or source, ref.note, own)
        if feature in self._third_party or feature in facts.third_party_apps:
            priced = tuple(
                add_on_id for add_on_id, add_on in sorted(product.add_ons.items())
                if add_on.provider is not None and add_on_allowed(add_on, edition_id) and feature in add_on_levels(add_on)
            )
            app_ref = self._third_party.get(feature)
            apps = tuple(app_ref.apps) if app_ref else ()
            apps += tuple(product.add_ons[a].provider or a for a in priced if product.add_ons[a].provider not in apps)
            return FeatureStance(feature, "third-party", 0.0, (app_ref.source if app_ref else None) or source,
                                 app_ref.note if app_ref else None, apps)
        if feature in facts.unknown:
            found = stance_ref(next(r for e in facts.chain for r in product.editions[e].unknown
                                    if stance_feature(r) == feature))
            return FeatureStance(feature, "unknown", 0.0, found.source or source, found.note)
        if feature in self._lacks:
            lack = stance_ref(self._lacks[feature])
            return FeatureStance(feature, "absent", 0.0, lack.source or source, lack.note)
        if feature in self._anywhere:
            elsewhere = tuple(
                e for e, edition in sorted(product.editions.items()) if any(r.feature == feature for r in edition.features)
            )
            note = f"offered in {', '.join(elsewhere)}, not in this edition" if elsewhere else "not with this edition"
            return FeatureStance(feature, "absent", 0.0, source, note, elsewhere)
        written = self._unknown.get(feature)
        ref_unknown = stance_ref(written) if written is not None else None
        return FeatureStance(feature, "unknown", 0.0, ref_unknown.source if ref_unknown else None,
                             ref_unknown.note if ref_unknown else "not declared in the product's file")

    def best_stance(self, feature: str) -> FeatureStance:
        """The feature's best stance over every edition: what the product can do at all."""
        stances = [self.stance(e, feature) for e in sorted(self.product.editions)]
        return min(stances, key=lambda s: (STANCE_KINDS.index(s.kind), -s.level))


#: How an alternative picks its member's stance: what is given first, then what may be, then what is not.
_ALTERNATIVE_ORDER: tuple[StanceKind, ...] = ("full", "partial", "add-on", "third-party", "unknown", "absent")


def optimistic_levels(levels: Mapping[str, float], unknown: Iterable[str]) -> dict[str, float]:
    """Levels as they would be if every unknown feature were confirmed in full."""
    out = dict(levels)
    for feature in unknown:
        out[feature] = 1.0
    return out


def stance_counts(stances: Iterable[FeatureStance]) -> dict[str, int]:
    """How many features have each stance, in the reports' order (every kind present, zeros included)."""
    counts: dict[str, int] = dict.fromkeys(STANCE_KINDS, 0)
    for stance in stances:
        counts[stance.kind] += 1
    return counts


@dataclass(frozen=True)
class ProductCoverage:
    """How a product accounts for the taxonomy: the count of each best stance, and the unknown share."""

    product: str
    counts: Mapping[str, int]
    declared: int  # features the file names somewhere (the rest read as unknown)
    total: int

    @property
    def unknown_share(self) -> float:
        """The share of the taxonomy whose stance is unknown, 0 to 1."""
        return self.counts.get("unknown", 0) / self.total if self.total else 0.0


def catalog_coverage(products: Mapping[str, Product], features: Iterable[str]) -> list[ProductCoverage]:
    """Per product (by id), each feature's best stance over its editions, counted; for `catalog --coverage`."""
    ids = list(features)
    found: list[ProductCoverage] = []
    for product_id in sorted(products):
        product = products[product_id]
        stances = ProductStances(product)
        declared = (stances.offered_anywhere() | {r.feature for r in product.third_party}
                    | {stance_feature(r) for r in product.lacks} | {stance_feature(r) for r in product.unknown})
        counts = stance_counts(stances.best_stance(f) for f in ids)
        found.append(ProductCoverage(product_id, counts, len(declared & set(ids)), len(ids)))
    return found


#: How many products' stances `stances_of` keeps: a run revisits the same few products (screening,
#: ranking, tracing), and keeping every product of a 5,000-product catalogue would cost memory.
_KEPT = 256
_recent: OrderedDict[int, ProductStances] = OrderedDict()


def stances_of(product: Product) -> ProductStances:
    """The product's stances, reused while the same product object is asked about again."""
    key = id(product)
    found = _recent.get(key)
    # The id of a freed object can be reused: the entry counts only while it holds this very product.
    if found is not None and found.product is product:
        _recent.move_to_end(key)
        return found
    found = ProductStances(product)
    _recent[key] = found
    if len(_recent) > _KEPT:
        _recent.popitem(last=False)
    return found
