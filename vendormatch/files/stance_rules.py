"""Catalogue rules about stances: every feature accounted for once, and lifecycle dates that still hold.

A product file accounts for each taxonomy feature in one place: an edition's or add-on's
`features:` (offered), `third_party:`, `lacks:` or `unknown:`. Declaring a feature in two of them
says two things at once and is an error; leaving one out reads it as unknown and is a warning,
so that `validate --strict` holds a catalogue to a stance for every feature.
"""

from __future__ import annotations

from collections.abc import Iterator

from vendormatch.files.catalog_sources import CatalogSources, Rule
from vendormatch.files.diagnostics import Diagnostic
from vendormatch.files.lifecycle import parse_date
from vendormatch.files.loader import DataPath
from vendormatch.files.models import Product, stance_feature
from vendormatch.files.schema_errors import did_you_mean
from vendormatch.files.stances import edition_chain

#: How many undeclared ids a warning names before it says "and N more".
NAMED = 8


def _declarations(product: Product) -> Iterator[tuple[DataPath, str, str]]:
    """Every stance a product file declares: (where, feature id, which stance)."""
    for edition_id, edition in product.editions.items():
        for index, ref in enumerate(edition.features):
            yield ("editions", edition_id, "features", index), ref.feature, "offered"
        for index, unknown in enumerate(edition.unknown):
            yield ("editions", edition_id, "unknown", index), stance_feature(unknown), f"unknown in {edition_id}"
    for add_on_id, add_on in product.add_ons.items():
        kind = "sold as a third-party app" if add_on.provider is not None else "offered"
        for index, ref in enumerate(add_on.features):
            yield ("add_ons", add_on_id, "features", index), ref.feature, kind
    for index, app in enumerate(product.third_party):
        yield ("third_party", index), app.feature, "third-party only"
    for index, lack in enumerate(product.lacks):
        yield ("lacks", index), stance_feature(lack), "absent"
    for index, unknown_ref in enumerate(product.unknown):
        yield ("unknown", index), stance_feature(unknown_ref), "unknown"


def _declared(product: Product) -> Iterator[tuple[str, list[str]]]:
    """Every stance list of a product as (its kind, its feature ids): `_declarations` without the paths,
    for the checks that first look for a problem over thousands of declarations and locate only what they find."""
    for edition_id, edition in product.editions.items():
        yield "offered", [r.feature for r in edition.features]
        yield f"unknown in {edition_id}", [stance_feature(r) for r in edition.unknown]
    for add_on in product.add_ons.values():
        yield ("sold as a third-party app" if add_on.provider is not None else "offered"), [r.feature for r in add_on.features]
    yield "third-party only", [r.feature for r in product.third_party]
    yield "absent", [stance_feature(r) for r in product.lacks]
    yield "unknown", [stance_feature(r) for r in product.unknown]


def stance_features_exist(sources: CatalogSources) -> Iterator[Diagnostic]:
    """Ids under `lacks`, `unknown` and `third_party` are ids of `features.yaml` (edition lists are checked apart)."""
    if sources.features is None:
        return
    known = sources.features.features
    for src in sources.products:
        listed = {f for kind, features in _declared(src.product)
                  if kind not in ("offered", "sold as a third-party app") for f in features}
        if listed <= known.keys():
            continue
        for path, feature, _kind in _declarations(src.product):
            if path[-2] != "features" and feature not in known:
                yield src.doc.diagnostic(
                    path, "unknown-feature",
                    f"unknown feature '{feature}'{did_you_mean(feature, known)}; "
                    "use an id of features.yaml or add the feature there",
                )


#: Stances that may stand together: a priced third-party app beside a native offer or a third-party listing.
_COMPATIBLE = ({"offered", "sold as a third-party app"}, {"third-party only", "sold as a third-party app"})


def _may_conflict(product: Product) -> bool:
    """Whether a product declares some feature twice at all (most files do not): a fast look before locating."""
    seen: dict[str, str] = {}
    for kind, features in _declared(product):
        if kind.startswith("unknown in "):
            continue
        for feature in features:
            before = seen.setdefault(feature, kind)
            if before != kind and {before, kind} not in _COMPATIBLE:
                return True
    return any(
        {stance_feature(r) for r in product.editions[e].unknown}
        & {r.feature for c in edition_chain(product, e) for r in product.editions[c].features}
        for e in product.editions if product.editions[e].unknown
    )


def stance_conflicts(sources: CatalogSources) -> Iterator[Diagnostic]:
    """A feature has one stance: offered, third-party only, known absent or unknown, never two of them."""
    for src in sources.products:
        product = src.product
        if not _may_conflict(product):
            continue
        first: dict[str, tuple[DataPath, str]] = {}
        for path, feature, kind in _declarations(product):
            if kind.startswith("unknown in "):
                edition_id = kind.removeprefix("unknown in ")
                if any(ref.feature == feature for e in edition_chain(product, edition_id)
                       for ref in product.editions[e].features):
                    yield src.doc.diagnostic(
                        path, "stance-conflict",
                        f"'{feature}' is listed as unknown in edition '{edition_id}', which already offers it "
                        "(itself or through `includes`); remove one of the two",
                    )
                continue
            seen_path, seen_kind = first.setdefault(feature, (path, kind))
            if seen_kind != kind and {seen_kind, kind} not in _COMPATIBLE:
                line, column = src.doc.locate(seen_path)
                yield src.doc.diagnostic(
                    path, "stance-conflict",
                    f"'{feature}' is declared {kind} here but {seen_kind} at {line}:{column}; "
                    "a feature has one stance: keep the one the vendor's documentation supports",
                )


def undeclared_features(sources: CatalogSources) -> Iterator[Diagnostic]:
    """Every taxonomy feature has a stance in every product file; an undeclared one reads as unknown."""
    if sources.features is None:
        return
    for src in sources.products:
        declared = {feature for _kind, features in _declared(src.product) for feature in features}
        missing = [f for f in sources.features.features if f not in declared]
        if missing:
            named = ", ".join(missing[:NAMED]) + (f" and {len(missing) - NAMED} more" if len(missing) > NAMED else "")
            yield src.doc.diagnostic(
                ("id",), "feature-undeclared",
                f"{len(missing)} of {len(sources.features.features)} features have no stance and read as unknown: "
                f"{named}; list each under an edition's or add-on's features, or under third_party, lacks or "
                "unknown",
                severity="warning",
            )


def partial_notes(sources: CatalogSources) -> Iterator[Diagnostic]:
    """A partial level says what is missing: `{feature: x, level: 0.5, note: ...}`."""
    for src in sources.products:
        parts = [(("editions", k), e.features) for k, e in src.product.editions.items()]
        parts += [(("add_ons", k), a.features) for k, a in src.product.add_ons.items()]
        for where, refs in parts:
            for index, ref in enumerate(refs):
                if ref.level < 1 and ref.note is None:
                    yield src.doc.diagnostic(
                        (*where, "features", index), "partial-without-note",
                        f"'{ref.feature}' is offered at level {ref.level:g} with no note; "
                        "add a note that says what is missing",
                        severity="warning",
                    )


def past_end_of_life(sources: CatalogSources) -> Iterator[Diagnostic]:
    """A product or edition whose end of life has passed should leave the catalogue (or its date be corrected)."""
    for src in sources.products:
        dated: list[tuple[DataPath, str, str]] = []
        if src.product.end_of_life is not None:
            dated.append((("end_of_life",), src.product.end_of_life, "the product"))
        dated += [(("editions", e, "end_of_life"), ed.end_of_life, f"edition '{e}'")
                  for e, ed in src.product.editions.items() if ed.end_of_life is not None]
        for path, eol, what in dated:
            if parse_date(eol) < sources.today:
                yield src.doc.diagnostic(
                    path, "end-of-life-past",
                    f"end_of_life {eol} has passed while the catalogue still offers {what}; "
                    "remove it or correct the date",
                    severity="warning",
                )


def lifecycle_order(sources: CatalogSources) -> Iterator[Diagnostic]:
    """A product or edition stops being sold no later than it stops working: end_of_sale <= end_of_life."""
    for src in sources.products:
        dated: list[tuple[DataPath, str | None, str | None]] = [
            (("end_of_sale",), src.product.end_of_sale, src.product.end_of_life)
        ]
        dated += [(("editions", e, "end_of_sale"), ed.end_of_sale, ed.end_of_life)
                  for e, ed in src.product.editions.items()]
        for path, sale, life in dated:
            if sale is not None and life is not None and parse_date(sale) > parse_date(life):
                yield src.doc.diagnostic(
                    path, "lifecycle-order",
                    f"end_of_sale {sale} is after end_of_life {life}: nothing is sold after it stops working; "
                    "check both dates against the vendor's announcement",
                    severity="warning",
                )


def seat_buckets_fit(sources: CatalogSources) -> Iterator[Diagnostic]:
    """Seat buckets above `max_users` can never be bought: the plan's two limits disagree."""
    for src in sources.products:
        prices = [(("editions", e, "price"), ed.price) for e, ed in src.product.editions.items()]
        prices += [(("add_ons", a, "price"), ad.price) for a, ad in src.product.add_ons.items()]
        for path, price in prices:
            if price is None or price.seat_buckets is None or price.max_users is None:
                continue
            if price.seat_buckets[-1] > price.max_users:
                yield src.doc.diagnostic(
                    (*path, "seat_buckets"), "seat-buckets-over-max",
                    f"seat bucket {price.seat_buckets[-1]} is above max_users {price.max_users}; drop the buckets the "
                    "plan cannot sell or correct max_users",
                    severity="warning",
                )


STANCE_RULES: dict[str, Rule] = {
    "stance-unknown-feature": stance_features_exist,
    "stance-conflict": stance_conflicts,
    "feature-undeclared": undeclared_features,
    "partial-without-note": partial_notes,
    "end-of-life-past": past_end_of_life,
    "lifecycle-order": lifecycle_order,
    "seat-buckets-over-max": seat_buckets_fit,
}
