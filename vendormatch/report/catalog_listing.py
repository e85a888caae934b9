"""Plain-text listings of a catalogue: products with editions and prices, or the taxonomy."""

from __future__ import annotations

from vendormatch.files.catalog import Catalog
from vendormatch.files.offers import describe_price
from vendormatch.files.stances import STANCE_KINDS, ProductCoverage


def format_catalog(catalog: Catalog) -> str:
    """One block per product: its editions with prices, then its add-ons."""
    lines: list[str] = []
    editions = sum(len(p.editions) for p in catalog.products.values())
    lines.append(f"{len(catalog.products)} products, {editions} editions in {catalog.root}")
    for product in catalog.products.values():
        lines.append("")
        lines.append(f"{product.id}  {product.vendor}: {product.product}  ({product.currency}, {product.deployment}, "
                     f"as of {product.as_of})")
        width = max(len(e) for e in product.editions)
        for edition_id, edition in product.editions.items():
            lines.append(f"  {edition_id:<{width}}  {describe_price(edition.price, product.currency)}")
        for add_on_id, add_on in product.add_ons.items():
            lines.append(f"  + {add_on_id}: {describe_price(add_on.price, product.currency)}")
    return "\n".join(lines) + "\n"


def format_features(catalog: Catalog) -> str:
    """One line per feature id: its category and name."""
    width = max((len(f) for f in catalog.features), default=0)
    lines = [f"{fid:<{width}}  {f.category:<13}  {f.name}" for fid, f in catalog.features.items()]
    return "\n".join(lines) + "\n"


def format_coverage(coverage: list[ProductCoverage]) -> str:
    """One row per product: how many taxonomy features have each stance, and the unknown share."""
    width = max((len(c.product) for c in coverage), default=7)
    header = f"{'product':<{width}}  " + " ".join(f"{k:>11}" for k in STANCE_KINDS) + "  unknown%"
    lines = [header]
    for c in coverage:
        cells = " ".join(f"{c.counts.get(k, 0):>11}" for k in STANCE_KINDS)
        lines.append(f"{c.product:<{width}}  {cells}  {c.unknown_share * 100:>7.1f}%")
    if coverage:
        total = sum(c.counts.get("unknown", 0) for c in coverage) / sum(c.total for c in coverage)
        lines.append(f"{len(coverage)} products; {total * 100:.1f}% of all product-feature stances unknown; "
                     "a feature counts at its best stance over the product's editions")
    return "\n".join(lines) + "\n"


def coverage_json(coverage: list[ProductCoverage]) -> str:
    """The coverage as JSON: a list of {product, counts, declared, total, unknown_share}."""
    import json

    return json.dumps([
        {"product": c.product, "counts": dict(c.counts), "declared": c.declared, "total": c.total,
         "unknown_share": round(c.unknown_share, 4)}
        for c in coverage
    ], indent=2) + "\n"
