"""Validate loaded YAML against a model and turn pydantic's errors into located diagnostics."""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar, Union

from pydantic import BaseModel, ValidationError
from rapidfuzz import process

from vendormatch.files.diagnostics import Diagnostic, truncate
from vendormatch.files.loader import DataPath, Document
from vendormatch.files.models import STANCE_ID_TAG, STANCE_REF_TAG
from vendormatch.files.strategy_model import ALTERNATIVES_TAG, COUNT_TAG, FEATURE_TAG, KPI_TAG, TEXT_TAG, YEARLY_TAG

M = TypeVar("M", bound=BaseModel)

_ID_HELP = "use lower-case letters, digits and single hyphens (kebab-case), like 'acme-crm'"


def did_you_mean(word: str, choices: typing.Iterable[str], cutoff: float = 60) -> str:
    """Return ' ; did you mean 'x'?' for the closest choice, or '' when none is close."""
    best = process.extractOne(word, sorted(choices), score_cutoff=cutoff)
    return f"; did you mean '{best[0]}'?" if best else ""


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null or an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"'{truncate(value)}'"
    return truncate(value)


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional so the navigation sees the container or model type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                # A union of an id and one model (a feature or `{any: [...]}`): a location that goes
                # on inside it can only be inside the model.
                models = [a for a in map(_strip_annotated, args) if isinstance(a, type) and issubclass(a, BaseModel)]
                return models[0] if len(models) == 1 else annotation
            annotation = args[0]
        else:
            return annotation


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """Follow a pydantic error location through the model's fields to the model it names."""
    current: Any = model
    index = 0
    while index < len(loc):
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(loc[index]))
            if field is None:
                return None
            current = field.annotation
            index += 1
        elif origin is dict:
            current = typing.get_args(current)[1]
            index += 1
        elif origin in (tuple, list):
            current = typing.get_args(current)[0]
            index += 1
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _dotted(path: DataPath) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "the file"


_BOUNDS = {
    "less_than_equal": ("le", "at most"), "less_than": ("lt", "below"),
    "greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "above"),
}


def _number(value: Any) -> str:
    """A bound as people write it: 10,000,000 and 0.001, not 10000000 and 1e-3."""
    if isinstance(value, (int, float)) and float(value).is_integer():
        return f"{int(value):,}"
    if isinstance(value, float) and 1e-9 <= abs(value) < 1e16:
        return f"{value:.9f}".rstrip("0")
    return str(value)


def _message(model: type[BaseModel], error: Any, loc: tuple[str | int, ...]) -> tuple[str, str, bool]:
    """Return (code, message, at_key) for one pydantic error."""
    kind = error["type"]
    value = error.get("input")
    where = _dotted(loc)
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        hint = did_you_mean(str(loc[-1]), allowed)
        known = f"; allowed here: {', '.join(allowed)}" if allowed and not hint else ""
        return "unknown-key", f"unknown key '{truncate(loc[-1])}'{hint}{known}", True
    if kind == "missing":
        return "missing-key", f"missing required key '{loc[-1]}' in {_dotted(loc[:-1])}", True
    if kind == "string_type":
        quote = "; put it in quotes" if isinstance(value, bool) else ""
        return "wrong-type", f"{where}: expected text, got {_describe(value)}{quote}", False
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing", "int_from_float"):
        expected = "a whole number" if kind.startswith("int") else "a number"
        return "wrong-type", f"{where}: expected {expected}, got {_describe(value)}", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "wrong-type", f"{where}: expected a mapping of 'key: value' lines, got {_describe(value)}", False
    if kind in ("tuple_type", "list_type"):
        hint = f"; write a list even for one item: [{value}]" if isinstance(value, str) and value.strip() else ""
        return "wrong-type", f"{where}: expected a list, got {_describe(value)}{hint}", False
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return "bad-value", f"{where}: {_describe(value)} is not one of {expected}{hint}", False
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if "A-Z" in pattern:
            help_ = "write a three-letter ISO 4217 code in capitals, like USD or EUR"
        elif "[0-9]{4}" in pattern:
            help_ = "write the month as YYYY-MM, like 2026-09"
        else:
            help_ = _ID_HELP
        return "bad-value", f"{where}: {_describe(value)} is not valid: {help_}", False
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        bound = error.get("ctx", {}).get(key)
        high = key in ("le", "lt") and isinstance(bound, (int, float)) and bound >= 1000
        typo = "; the limit is far above any real deployment's figures: is this a typo?" if high else ""
        return "bad-value", f"{where}: must be {words} {_number(bound)}, got {_describe(value)}{typo}", False
    if kind == "finite_number":
        return "bad-value", f"{where}: must be a finite number, got {_describe(value)}", False
    if kind == "string_too_short":
        return "bad-value", f"{where}: must not be empty", False
    if kind == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        entries = "one entry" if least == 1 else f"{least} entries"
        return "bad-value", f"{where}: must have at least {entries}", False
    text = str(error.get("msg", "invalid value"))
    text = text.removeprefix("Value error, ")
    if kind not in ("value_error", "assertion_error"):
        text = f"{text}, got {_describe(value)}"
    return "bad-value", f"{where}: {text}", False


_UNION_TAGS = frozenset({FEATURE_TAG, ALTERNATIVES_TAG, TEXT_TAG, KPI_TAG, STANCE_ID_TAG, STANCE_REF_TAG,
                         COUNT_TAG, YEARLY_TAG})


def schema_diagnostics(
    model: type[BaseModel], error: ValidationError, doc: Document, prefix: DataPath = ()
) -> list[Diagnostic]:
    """Map every error of a failed validation to the YAML position it is about."""
    found: list[Diagnostic] = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if part not in _UNION_TAGS)
        if loc and loc[-1] == "[key]":
            # A mapping key failed (an id in the wrong form): point at the key, and name it as written.
            loc = loc[:-1]
            code, message, _ = _message(model, item, loc)
            line, column = doc.locate(prefix + loc, key=True)
            found.append(Diagnostic(doc.file, line, column, "error", code, message))
            continue
        code, message, at_key = _message(model, item, loc)
        path = prefix + loc
        if item["type"] == "missing":
            line, column = doc.locate(prefix + loc[:-1], key=True)
        else:
            line, column = doc.locate(path, key=at_key)
        found.append(Diagnostic(doc.file, line, column, "error", code, message))
    return found


def validate_model(model: type[M], data: Any, doc: Document, prefix: DataPath = ()) -> tuple[M | None, list[Diagnostic]]:
    """Validate `data` (found at `prefix` in `doc`) as `model`; return it or the located errors."""
    if data is None:
        where = "the file is empty" if not prefix else f"{_dotted(prefix)} is empty"
        line, column = doc.locate(prefix)
        return None, [Diagnostic(doc.file, line, column, "error", "empty", f"{where}: expected a mapping of 'key: value' lines")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, schema_diagnostics(model, exc, doc, prefix)
