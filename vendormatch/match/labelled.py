"""Labelled statements for measuring the matcher: read from YAML, measured pooled and per source.

A labelled set is a YAML file of `statements`, each a `text` with the `features` it asks for
(main one first; `[]` when no feature serves it) and, optionally, the `source` document it was
taken from; `sources` describes those documents. Figures per source show whether the matcher
holds up on every kind of writing, not only on the kind that dominates a set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vendormatch.files.models import Feature
from vendormatch.match.measures import MatchFigures, measure
from vendormatch.match.results import RequirementMatch


@dataclass(frozen=True)
class LabelledStatement:
    """A statement, the feature ids it asks for (main first) and the document it came from."""

    text: str
    features: tuple[str, ...]
    source: str
    sector: str


@dataclass(frozen=True)
class LabelledSet:
    """The statements of one file, with each source's description (title, organisation, url, sector)."""

    name: str
    statements: tuple[LabelledStatement, ...]
    sources: Mapping[str, Mapping[str, Any]]

    @property
    def texts(self) -> list[str]:
        """The statements' texts, in file order."""
        return [s.text for s in self.statements]

    @property
    def labels(self) -> list[list[str]]:
        """The statements' labels, in file order."""
        return [list(s.features) for s in self.statements]


def read_labelled(path: Path, known: Sequence[str] | None = None) -> LabelledSet:
    """Read a labelled set; with `known` feature ids, a label outside them is an error naming the statement."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources: dict[str, Mapping[str, Any]] = {str(s["id"]): s for s in data.get("sources", ())}
    statements = []
    for number, item in enumerate(data["statements"], start=1):
        features = tuple(str(f) for f in item["features"])
        if known is not None and (unknown := sorted(set(features) - set(known))):
            raise ValueError(f"{path.name}: statement {number} has unknown feature ids {unknown}")
        source = str(item.get("source", path.stem))
        if sources and source not in sources:
            raise ValueError(f"{path.name}: statement {number} names source '{source}', which `sources` does not list")
        sector = str(sources[source].get("sector", "")) if sources else str(item.get("sector", ""))
        statements.append(LabelledStatement(str(item["text"]), features, source, sector))
    return LabelledSet(path.name, tuple(statements), sources)


def refinements(features: Mapping[str, Feature]) -> dict[str, str]:
    """Each feature that refines a broader one, with that one (see `measures.in_label_terms`)."""
    return {fid: f.refines for fid, f in sorted(features.items()) if f.refines is not None}


def figures_by(
    labelled: LabelledSet, matches: Sequence[RequirementMatch], key: str = "source",
    refines: Mapping[str, str] | None = None,
) -> dict[str, MatchFigures]:
    """The figures of each source (or `key="sector"`), in name order."""
    groups: dict[str, list[int]] = {}
    for i, statement in enumerate(labelled.statements):
        groups.setdefault(getattr(statement, key), []).append(i)
    labels = labelled.labels
    return {
        name: measure([matches[i] for i in rows], [labels[i] for i in rows], refines)
        for name, rows in sorted(groups.items())
    }
