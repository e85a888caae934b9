"""What a catalogue rule looks at: validated products with the documents they came from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from vendormatch.files.diagnostics import Diagnostic
from vendormatch.files.loader import Document
from vendormatch.files.models import FeaturesFile, Product


@dataclass(frozen=True)
class ProductSource:
    """A validated product with the document it was read from."""

    product: Product
    doc: Document
    stem: str


@dataclass(frozen=True)
class CatalogSources:
    """Everything a catalogue rule may look at."""

    features: FeaturesFile | None
    features_doc: Document | None
    products: tuple[ProductSource, ...]
    today: date
    #: Ids of products not in `products` that references may name: the rest of the catalogue
    #: when one product file is checked on its own.
    known_products: frozenset[str] = frozenset()


Rule = Callable[[CatalogSources], Iterator[Diagnostic]]
