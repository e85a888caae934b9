"""vendormatch: pick CRM software from your strategy, not from a vendor's feature list.

The library is the product; the `vendormatch` command is a thin shell over these functions.
"""

from vendormatch.files.catalog import Catalog, check_catalog, embedded_catalog_path, load_catalog
from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError
from vendormatch.files.loader import Document, Limits, load_yaml, parse_yaml
from vendormatch.files.models import (
    AddOn,
    Edition,
    Feature,
    FeatureRef,
    Objective,
    Price,
    Product,
    Requirement,
    Strategy,
    requirement_weight,
)
from vendormatch.files.strategy import check_strategy, load_strategy

__all__ = [
    "AddOn",
    "Catalog",
    "Diagnostic",
    "Document",
    "Edition",
    "Feature",
    "FeatureRef",
    "Limits",
    "Objective",
    "Price",
    "Product",
    "Requirement",
    "Strategy",
    "UnreadableInputError",
    "VendormatchError",
    "check_catalog",
    "check_strategy",
    "embedded_catalog_path",
    "load_catalog",
    "load_strategy",
    "load_yaml",
    "parse_yaml",
    "requirement_weight",
]
