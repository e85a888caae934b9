"""vendormatch: pick CRM software from your strategy, not from a vendor's feature list.

The library is the product; the `vendormatch` command is a thin shell over these functions.
"""

from __future__ import annotations

# Not `typing.TYPE_CHECKING`: importing typing costs more than the rest of start-up together, and the
# command must take charge of Ctrl-C as early as it can (mypy reads this constant the same way).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
    from vendormatch.report.render import render

# Where each name lives. They load on first use (PEP 562), so that the command can start, and answer
# an interrupt, before pydantic and the models are imported.
_HOMES: dict[str, str] = {
    "AddOn": "vendormatch.files.models",
    "Catalog": "vendormatch.files.catalog",
    "Diagnostic": "vendormatch.files.diagnostics",
    "Document": "vendormatch.files.loader",
    "Edition": "vendormatch.files.models",
    "Feature": "vendormatch.files.models",
    "FeatureRef": "vendormatch.files.models",
    "Limits": "vendormatch.files.loader",
    "Objective": "vendormatch.files.models",
    "Price": "vendormatch.files.models",
    "Product": "vendormatch.files.models",
    "Requirement": "vendormatch.files.models",
    "Strategy": "vendormatch.files.models",
    "UnreadableInputError": "vendormatch.files.diagnostics",
    "VendormatchError": "vendormatch.files.diagnostics",
    "check_catalog": "vendormatch.files.catalog",
    "check_strategy": "vendormatch.files.strategy",
    "embedded_catalog_path": "vendormatch.files.catalog",
    "load_catalog": "vendormatch.files.catalog",
    "load_strategy": "vendormatch.files.strategy",
    "load_yaml": "vendormatch.files.loader",
    "parse_yaml": "vendormatch.files.loader",
    "render": "vendormatch.report.render",
    "requirement_weight": "vendormatch.files.models",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'vendormatch' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


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
    "render",
    "requirement_weight",
]
