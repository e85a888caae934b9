"""The JSON Schemas that `vendormatch schema` prints accept every DESIGN example and shipped file, and reject typos."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from conftest import DESIGN_CATALOG, DESIGN_STRATEGY, SHIPPED_CATALOG, SHIPPED_STRATEGIES

from vendormatch.files.loader import load_yaml
from vendormatch.files.schemas import SCHEMAS, json_schema

KINDS = sorted(SCHEMAS)


def validator(kind: str) -> Any:
    return jsonschema.Draft202012Validator(json_schema(kind))


def as_json(path: Path) -> Any:
    """A YAML file's data as a JSON document would hold it (what an editor's validator sees)."""
    return json.loads(json.dumps(load_yaml(path).data))


def errors(kind: str, data: Any) -> list[str]:
    return sorted(e.message for e in validator(kind).iter_errors(data))


def test_the_four_kinds() -> None:
    assert KINDS == ["features", "product", "requirements", "strategy"]


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"].startswith("vendormatch ")
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False


DESIGN_FILES = [
    ("features", DESIGN_CATALOG / "features.yaml"),
    ("product", DESIGN_CATALOG / "vendors" / "acme-crm.yaml"),
    ("strategy", DESIGN_STRATEGY),
]


@pytest.mark.parametrize(("kind", "path"), DESIGN_FILES, ids=[k for k, _ in DESIGN_FILES])
def test_design_examples_are_accepted(kind: str, path: Path) -> None:
    assert errors(kind, as_json(path)) == []


def _shipped() -> list[tuple[str, Path]]:
    files = [("features", SHIPPED_CATALOG / "features.yaml")]
    files += [("product", p) for p in sorted((SHIPPED_CATALOG / "vendors").glob("*.yaml"))]
    files += [("strategy", p) for p in sorted(SHIPPED_STRATEGIES.glob("*.yaml")) if not p.name.endswith(".lock.yaml")]
    files += [("strategy", p) for p in sorted(SHIPPED_STRATEGIES.glob("*/strategy.yaml"))]
    files += [("requirements", p) for p in sorted(SHIPPED_STRATEGIES.glob("*/requirements/*.yaml"))]
    return files


SHIPPED = _shipped()


@pytest.mark.parametrize(("kind", "path"), SHIPPED, ids=[str(p.relative_to(p.parents[2])) for _, p in SHIPPED])
def test_shipped_files_are_accepted(kind: str, path: Path) -> None:
    assert errors(kind, as_json(path)) == []


def test_unknown_top_level_key_is_rejected() -> None:
    data = as_json(DESIGN_CATALOG / "vendors" / "acme-crm.yaml")
    data["licence"] = "proprietary"
    assert errors("product", data) == ["Additional properties are not allowed ('licence' was unexpected)"]


@pytest.mark.parametrize(
    ("kind", "path", "where"),
    [
        ("product", DESIGN_CATALOG / "vendors" / "acme-crm.yaml", ("editions", "starter")),
        ("product", DESIGN_CATALOG / "vendors" / "acme-crm.yaml", ("editions", "professional", "price")),
        ("product", DESIGN_CATALOG / "vendors" / "acme-crm.yaml", ("add_ons", "voice")),
        ("product", DESIGN_CATALOG / "vendors" / "acme-crm.yaml", ("editions", "professional", "features", 1)),
        ("features", DESIGN_CATALOG / "features.yaml", ("features", "contact-management")),
        ("strategy", DESIGN_STRATEGY, ("objectives", "single-view")),
        ("strategy", DESIGN_STRATEGY, ("requirements", 0)),
    ],
)
def test_unknown_nested_key_is_rejected(kind: str, path: Path, where: tuple[str | int, ...]) -> None:
    data = as_json(path)
    node = data
    for part in where:
        node = node[part]
    node["colour"] = "red"
    assert len(errors(kind, data)) == 1
    assert "'colour' was unexpected" in " ".join(
        str(e.message) + " " + " ".join(str(c.message) for c in (e.context or ())) for e in validator(kind).iter_errors(data)
    )


def test_requirements_file_with_an_unknown_key_is_rejected() -> None:
    data = {"requirements": [{"id": "r", "text": "t", "objectiv": "grow"}]}
    assert errors("requirements", data) == ["Additional properties are not allowed ('objectiv' was unexpected)"]
    del data["requirements"][0]["objectiv"]
    assert errors("requirements", data) == []


@pytest.mark.parametrize(
    ("change", "value", "message"),
    [("deployment", "cloud", "'cloud' is not one of ['saas', 'self-hosted', 'both']"),
     ("currency", "usd", "'usd' does not match '^[A-Z]{3}$'"),
     ("as_of", "September 2026", "'September 2026' does not match"),
     ("id", "Acme CRM", "'Acme CRM' does not match '^[a-z0-9]+(-[a-z0-9]+)*$'"),
     ("editions", {}, "{} should be non-empty")],
)
def test_bad_values_are_rejected(change: str, value: Any, message: str) -> None:
    data = as_json(DESIGN_CATALOG / "vendors" / "acme-crm.yaml")
    data[change] = value
    [found] = errors("product", data)
    assert found.startswith(message)


def test_feature_items_are_ids_or_mappings() -> None:
    data = as_json(DESIGN_CATALOG / "vendors" / "acme-crm.yaml")
    data["editions"]["team"]["features"] = ["crm", {"feature": "bi", "level": 0.5}]
    assert errors("product", data) == []
    data["editions"]["team"]["features"] = [{"feature": "bi", "level": 1.5}]
    assert errors("product", data) == ["{'feature': 'bi', 'level': 1.5} is not valid under any of the given schemas"]
    data["editions"]["team"]["features"] = [42]
    assert errors("product", data) == ["42 is not valid under any of the given schemas"]
