"""Plain-text listings of a catalogue: products with editions and prices, or the taxonomy."""

from __future__ import annotations

from vendormatch.files.catalog import Catalog
from vendormatch.files.offers import describe_price


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
