"""Checks across a catalogue's files: references, cycles, ids, prices, currencies and dates.

Each rule is a function registered under its id in `RULES`; it reads the validated models with
the documents they came from and yields located diagnostics. Schema problems (unknown keys,
wrong types) are found earlier, while the models are built.
"""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from vendormatch.files.catalog_sources import CatalogSources, ProductSource, Rule
from vendormatch.files.currencies import ISO_4217
from vendormatch.files.diagnostics import Diagnostic
from vendormatch.files.loader import DataPath
from vendormatch.files.models import FeatureRef, Price, Product
from vendormatch.files.schema_errors import did_you_mean
from vendormatch.files.stance_rules import STANCE_RULES

STALE_MONTHS = 18




def _feature_lists(product: Product) -> Iterator[tuple[DataPath, tuple[FeatureRef, ...]]]:
    for edition_id, edition in product.editions.items():
        yield ("editions", edition_id, "features"), edition.features
    for add_on_id, add_on in product.add_ons.items():
        yield ("add_ons", add_on_id, "features"), add_on.features


def product_id_matches_file(sources: CatalogSources) -> Iterator[Diagnostic]:
    """A product's `id` equals its file's stem: `vendors/acme-crm.yaml` holds `id: acme-crm`."""
    for src in sources.products:
        if src.product.id != src.stem:
            yield src.doc.diagnostic(
                ("id",), "product-id-file",
                f"product id '{src.product.id}' differs from the file name '{src.stem}'; "
                f"rename the file to {src.product.id}.yaml or set id: {src.stem}",
            )


def duplicate_product_ids(sources: CatalogSources) -> Iterator[Diagnostic]:
    """No two files define the same product id."""
    first: dict[str, ProductSource] = {}
    for src in sources.products:
        seen = first.setdefault(src.product.id, src)
        if seen is not src:
            line, column = seen.doc.locate(("id",))
            yield src.doc.diagnostic(
                ("id",), "duplicate-id",
                f"product id '{src.product.id}' is already used by {seen.doc.file}:{line}:{column}; "
                "give each product its own id",
            )


def unknown_features(sources: CatalogSources) -> Iterator[Diagnostic]:
    """Every feature an edition or add-on lists is an id of `features.yaml`."""
    if sources.features is None:
        return
    known = sources.features.features
    for src in sources.products:
        for path, refs in _feature_lists(src.product):
            for index, ref in enumerate(refs):
                if ref.feature not in known:
                    yield src.doc.diagnostic(
                        (*path, index), "unknown-feature",
                        f"unknown feature '{ref.feature}'{did_you_mean(ref.feature, known)}; "
                        "use an id of features.yaml or add the feature there",
                    )


def duplicate_features(sources: CatalogSources) -> Iterator[Diagnostic]:
    """A feature is listed once per edition or add-on (the level that counts would be unclear)."""
    for src in sources.products:
        for path, refs in _feature_lists(src.product):
            seen: set[str] = set()
            for index, ref in enumerate(refs):
                if ref.feature in seen:
                    yield src.doc.diagnostic(
                        (*path, index), "duplicate-feature",
                        f"feature '{ref.feature}' is listed twice here; keep one entry",
                        severity="warning",
                    )
                seen.add(ref.feature)


def unknown_editions(sources: CatalogSources) -> Iterator[Diagnostic]:
    """`includes` and an add-on's `editions` name editions of the same product."""
    for src in sources.products:
        editions = src.product.editions
        known = ", ".join(sorted(editions))
        for edition_id, edition in editions.items():
            if edition.includes is not None and edition.includes not in editions:
                yield src.doc.diagnostic(
                    ("editions", edition_id, "includes"), "unknown-edition",
                    f"edition '{edition_id}' includes unknown edition '{edition.includes}'"
                    f"{did_you_mean(edition.includes, editions)}; known: {known}",
                )
        for add_on_id, add_on in src.product.add_ons.items():
            for index, name in enumerate(add_on.editions or ()):
                if name not in editions:
                    yield src.doc.diagnostic(
                        ("add_ons", add_on_id, "editions", index), "unknown-edition",
                        f"add-on '{add_on_id}' names unknown edition '{name}'"
                        f"{did_you_mean(name, editions)}; known: {known}",
                    )


def includes_cycles(sources: CatalogSources) -> Iterator[Diagnostic]:
    """Following `includes` from any edition never comes back to it."""
    for src in sources.products:
        editions = src.product.editions
        reported: set[str] = set()
        for start in sorted(editions):
            chain = [start]
            current = editions[start].includes
            while current is not None and current in editions and current not in chain:
                chain.append(current)
                current = editions[current].includes
            if current == start and start not in reported:
                reported.update(chain)
                loop = " -> ".join([*chain, start])
                yield src.doc.diagnostic(
                    ("editions", start, "includes"), "includes-cycle",
                    f"editions include each other in a loop: {loop}; remove one `includes`",
                )


def price_bounds(sources: CatalogSources) -> Iterator[Diagnostic]:
    """Seat bounds agree (`min_users` <= `max_users`) and flat edition plans say how many users they cover."""
    for src in sources.products:
        items: list[tuple[DataPath, str, Price | None]] = [
            (("editions", k, "price"), "edition", e.price) for k, e in src.product.editions.items()
        ]
        items += [(("add_ons", k, "price"), "add-on", a.price) for k, a in src.product.add_ons.items()]
        for path, kind, price in items:
            if price is None:
                continue
            if price.min_users is not None and price.max_users is not None and price.min_users > price.max_users:
                yield src.doc.diagnostic(
                    (*path, "min_users"), "price-bounds",
                    f"min_users ({price.min_users}) is above max_users ({price.max_users}): "
                    "no number of users could buy this; fix one of them",
                )
            if (
                price.included_users is not None and price.max_users is not None
                and price.included_users > price.max_users
            ):
                yield src.doc.diagnostic(
                    (*path, "included_users"), "price-bounds",
                    f"included_users ({price.included_users}) is above max_users ({price.max_users})",
                )
            if kind == "add-on" and (price.included_users is not None or price.min_users is not None):
                key = "included_users" if price.included_users is not None else "min_users"
                yield src.doc.diagnostic(
                    (*path, key), "price-bounds",
                    f"{key} has no meaning on an add-on (it is charged for every user); remove it",
                    severity="warning",
                )


def currencies(sources: CatalogSources) -> Iterator[Diagnostic]:
    """A product's currency is an ISO 4217 code in use."""
    for src in sources.products:
        if src.product.currency not in ISO_4217:
            yield src.doc.diagnostic(
                ("currency",), "unknown-currency",
                f"'{src.product.currency}' is not an ISO 4217 currency code"
                f"{did_you_mean(src.product.currency, ISO_4217, cutoff=66)}",
            )


def _months_between(earlier: tuple[int, int], later: tuple[int, int]) -> int:
    return (later[0] - earlier[0]) * 12 + later[1] - earlier[1]


def fact_dates(sources: CatalogSources) -> Iterator[Diagnostic]:
    """`as_of` is not in the future, and facts older than 18 months are flagged for a refresh."""
    now = (sources.today.year, sources.today.month)
    for src in sources.products:
        year, month = (int(x) for x in src.product.as_of.split("-")[:2])
        age = _months_between((year, month), now)
        if age < 0:
            yield src.doc.diagnostic(
                ("as_of",), "as-of-future",
                f"as_of {src.product.as_of} is in the future; use the month the facts were read",
            )
        elif age > STALE_MONTHS:
            yield src.doc.diagnostic(
                ("as_of",), "as-of-stale",
                f"facts are {age} months old (as_of {src.product.as_of}); prices change: check them "
                "against the vendor's page and update as_of",
                severity="warning",
            )


def integrations(sources: CatalogSources) -> Iterator[Diagnostic]:
    """`integrates_with` names products of the catalogue."""
    known = {src.product.id for src in sources.products} | sources.known_products
    for src in sources.products:
        for index, other in enumerate(src.product.integrates_with):
            if other not in known:
                yield src.doc.diagnostic(
                    ("integrates_with", index), "unknown-product",
                    f"integrates_with names unknown product '{other}'{did_you_mean(other, known)}",
                )


NEAR_DUPLICATE_SCORE = 92.0


def fold_words(text: str) -> str:
    """A name or alias reduced to what a reader takes for the same words: no case, punctuation,
    spacing or plural 's' ("Call-backs" and "callback" fold alike)."""
    key = default_process(text).replace(" ", "")
    return key[:-1] if len(key) > 3 and key.endswith("s") else key


def near_duplicate_features(sources: CatalogSources) -> Iterator[Diagnostic]:
    """Feature names are distinct, and no alias belongs to two features (the matcher could not tell them apart)."""
    if sources.features is None or sources.features_doc is None:
        return
    doc = sources.features_doc
    table = sources.features.features
    ids = list(table)
    names = [default_process(table[i].name) for i in ids]
    # One C-level scan per name against the names after it: no n-by-n matrix (and no numpy import).
    for a in range(len(ids) - 1):
        for _, _, offset in process.extract(
            names[a], names[a + 1:], scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_SCORE, limit=None
        ):
            b = a + 1 + offset
            yield doc.diagnostic(
                ("features", ids[b], "name"), "near-duplicate-feature",
                f"feature '{ids[b]}' has nearly the same name as '{ids[a]}' "
                f"({table[ids[a]].name!r}); merge them or make the names distinct",
                severity="warning",
            )
    owner: dict[str, str] = {name: fid for fid, name in zip(ids, names, strict=True)}
    folded: dict[str, tuple[str, str]] = {fold_words(table[fid].name): (fid, table[fid].name) for fid in ids}
    for fid in ids:
        for index, alias in enumerate(table[fid].aliases):
            other = owner.setdefault(default_process(alias), fid)
            near, written = folded.setdefault(fold_words(alias), (fid, alias))
            if other != fid:
                yield doc.diagnostic(
                    ("features", fid, "aliases", index), "near-duplicate-feature",
                    f"alias '{alias}' of '{fid}' is also a name or alias of '{other}'; "
                    "an alias must point to one feature",
                    severity="warning",
                )
            elif near != fid:
                yield doc.diagnostic(
                    ("features", fid, "aliases", index), "near-duplicate-feature",
                    f"alias '{alias}' of '{fid}' is nearly the same as '{written}' of '{near}'; "
                    "an alias must point to one feature: drop it or reword one of them",
                    severity="warning",
                )


RULES: dict[str, Rule] = {
    "product-id-file": product_id_matches_file,
    "duplicate-id": duplicate_product_ids,
    "unknown-feature": unknown_features,
    "duplicate-feature": duplicate_features,
    "unknown-edition": unknown_editions,
    "includes-cycle": includes_cycles,
    "price-bounds": price_bounds,
    "unknown-currency": currencies,
    "as-of": fact_dates,
    "unknown-product": integrations,
    "near-duplicate-feature": near_duplicate_features,
    **STANCE_RULES,
}


def check_catalog_sources(sources: CatalogSources) -> list[Diagnostic]:
    """Run every catalogue rule."""
    found: list[Diagnostic] = []
    for rule in RULES.values():
        found.extend(rule(sources))
    return found


__all__ = ["RULES", "CatalogSources", "ProductSource", "check_catalog_sources"]
