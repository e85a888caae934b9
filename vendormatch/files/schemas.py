"""JSON Schemas of the file formats, for editors and other validators."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from vendormatch.files.models import FeaturesFile, Product, RequirementsFile, Strategy

SCHEMAS: dict[str, type[BaseModel]] = {
    "features": FeaturesFile,
    "product": Product,
    "strategy": Strategy,
    "requirements": RequirementsFile,
}

_TITLES = {
    "features": "vendormatch catalogue taxonomy (features.yaml)",
    "product": "vendormatch catalogue product (vendors/<id>.yaml)",
    "strategy": "vendormatch strategy (strategy file or strategy.yaml)",
    "requirements": "vendormatch requirements file (requirements/<department>.yaml)",
}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file format: features, product, strategy or requirements."""
    schema = SCHEMAS[kind].model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": _TITLES[kind]}
