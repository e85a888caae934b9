"""What identifies a catalogue in a report: a digest of its content and the range of its facts' dates.

Two runs whose reports carry the same digest read the same taxonomy and the same products, whatever
folder or cache they came from: the digest is taken over the validated models' canonical JSON (fields
in the models' order, mappings sorted by key), so re-wrapping a YAML file or reordering its keys
does not change it, and any changed fact does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from vendormatch.files.models import Feature, Product


class CatalogIdentity(BaseModel):
    """A catalogue's content digest, its size and the first and last `as_of` of its products."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sha256: str
    products: int
    as_of_first: str | None
    as_of_last: str | None

    def describe(self) -> str:
        """One line for a report: 'catalogue sha256:0123abcd (26 products, facts as of 2025-01 to 2026-11)'."""
        dates = self.as_of_first if self.as_of_first == self.as_of_last else f"{self.as_of_first} to {self.as_of_last}"
        facts = f", facts as of {dates}" if self.as_of_first else ""
        products = f"{self.products} product{'' if self.products == 1 else 's'}"
        return f"catalogue sha256:{self.sha256[:12]} ({products}{facts})"


def identify(features: Mapping[str, Feature], products: Mapping[str, Product]) -> CatalogIdentity:
    """The identity of a taxonomy and its products."""
    digest = hashlib.sha256()
    for feature_id in sorted(features):
        digest.update(f"feature {feature_id}\0".encode() + features[feature_id].model_dump_json().encode() + b"\0")
    for product_id in sorted(products):
        product = products[product_id]
        # The order of a YAML mapping's keys is not content: a product's mappings (editions, add-ons and
        # their prices by currency) are sorted, and its fields serialise in the model's own order.
        editions = {e: edition.model_copy(update={"prices": dict(sorted(edition.prices.items()))})
                    for e, edition in sorted(product.editions.items())}
        add_ons = {a: add_on.model_copy(update={"prices": dict(sorted(add_on.prices.items()))})
                   for a, add_on in sorted(product.add_ons.items())}
        canonical = product.model_copy(update={"editions": editions, "add_ons": add_ons})
        digest.update(f"product {product_id}\0".encode() + canonical.model_dump_json().encode() + b"\0")
    dates = sorted(product.as_of for product in products.values())
    return CatalogIdentity(sha256=digest.hexdigest(), products=len(products),
                           as_of_first=dates[0] if dates else None, as_of_last=dates[-1] if dates else None)
