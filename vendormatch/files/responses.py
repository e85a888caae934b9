"""Vendors' answers to a questionnaire, one file per product: read, checked and applied over the catalogue.

`responses/<product>.yaml` holds who answered and when, and each answer (`files.answers`). Applied
with `--responses DIR`, each answer replaces the catalogue's fact about that feature, and every
report shows that the fact came from the vendor's answer (the trace's note and source).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from vendormatch.files.answers import ANSWER_KINDS, Answer, AnswerKind, apply_answer
from vendormatch.files.catalog import Catalog, display_path, yaml_files
from vendormatch.files.diagnostics import Diagnostic, VendormatchError, has_errors
from vendormatch.files.format_types import Day, Id, Model, Text, YearMonth
from vendormatch.files.loader import load_yaml
from vendormatch.files.schema_errors import did_you_mean, validate_model


class ResponseAnswer(Model):
    """One answer as a response file writes it."""

    feature: Id
    answer: AnswerKind
    edition: Id | None = None
    roadmap_date: YearMonth | None = None
    extra_price: Text | None = None
    evidence: Text | None = None
    comment: Text | None = None


class ResponseFile(Model):
    """`responses/<product>.yaml`: a vendor's answers, with their provenance."""

    product: Id
    respondent: Text
    date: Day
    imported_from: Text | None = None
    answers: tuple[ResponseAnswer, ...] = ()


def check_response_file(path: Path, catalog: Catalog) -> tuple[ResponseFile | None, list[Diagnostic]]:
    """Read one response file and check it against the catalogue: its product, features and editions."""
    doc = load_yaml(path, display=display_path(path))
    response, errors = validate_model(ResponseFile, doc.data, doc)
    if response is None:
        return None, errors
    product = catalog.products.get(response.product)
    if product is None:
        errors.append(doc.diagnostic(("product",), "unknown-product",
                                     f"unknown product '{response.product}'{did_you_mean(response.product, catalog.products)}"))
        return None, errors
    seen: set[str] = set()
    for index, item in enumerate(response.answers):
        if item.feature not in catalog.features:
            errors.append(doc.diagnostic(("answers", index, "feature"), "unknown-feature",
                                         f"unknown feature '{item.feature}'{did_you_mean(item.feature, catalog.features)}"))
        if item.edition is not None and item.edition not in product.editions:
            errors.append(doc.diagnostic(("answers", index, "edition"), "unknown-edition",
                                         f"'{response.product}' has no edition '{item.edition}'"
                                         f"{did_you_mean(item.edition, product.editions)}; editions: "
                                         f"{', '.join(product.editions)}"))
        if item.feature in seen:
            errors.append(doc.diagnostic(("answers", index, "feature"), "duplicate-answer",
                                         f"'{item.feature}' is answered twice; keep one answer per feature"))
        seen.add(item.feature)
    return (None if has_errors(errors) else response), errors


def load_responses(folder: Path, catalog: Catalog) -> dict[str, ResponseFile]:
    """Every response file of a folder, by product; VendormatchError with every located error."""
    if not folder.is_dir():
        raise VendormatchError([Diagnostic(str(folder), 0, 0, "error", "not-found",
                                           "no such responses folder; `vendormatch responses import` writes one")])
    found: list[Diagnostic] = []
    responses: dict[str, ResponseFile] = {}
    for path in yaml_files(folder, found):
        response, errors = check_response_file(path, catalog)
        found.extend(errors)
        if response is not None:
            if response.product in responses:
                found.append(Diagnostic(str(path), 1, 1, "error", "duplicate-product",
                                        f"a second response file for '{response.product}'; keep one per product"))
            responses[response.product] = response
    if has_errors(found):
        raise VendormatchError(found)
    return responses


def answers_of(response: ResponseFile) -> list[Answer]:
    """The answers of a response file, with its provenance."""
    return [Answer(a.feature, a.answer, response.respondent, response.date, a.edition, a.roadmap_date, a.extra_price,
                   a.evidence, a.comment) for a in response.answers]


def apply_responses(catalog: Catalog, responses: Mapping[str, ResponseFile]) -> Catalog:
    """The catalogue with every answer applied over its product's facts."""
    products = dict(catalog.products)
    for product_id, response in responses.items():
        product = products[product_id]
        for answer in answers_of(response):
            product = apply_answer(product, answer)
        products[product_id] = product
    return replace(catalog, products=products)


__all__ = ["ANSWER_KINDS", "ResponseAnswer", "ResponseFile", "answers_of", "apply_responses", "check_response_file",
           "load_responses"]
