"""The data behind each KPI, as requirements: capturing a datum is a need like any other.

An objective's KPI may list the data it is computed from (`kpi: {measure, target, data: [...]}`),
each with the department that captures it and how often. Each datum becomes a requirement (id:
its own `id`, else `<objective>-data-<n>`), so the matcher looks for what captures it (email
logging, a web form, a mobile app, a link with the accounting system) and the shortlist weighs it:
a sales force that finds capture hard collects nothing worth having. How a bundle captures each
datum (automatically, with assistance, or typed by hand) is read from the `capture` of the
features that provide it (`features.yaml`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

from vendormatch.files.loader import DataPath
from vendormatch.files.models import Feature, KpiData, Requirement, Strategy

CaptureMode = Literal["automatic", "assisted", "manual", "unsettled"]


def data_requirement_id(objective: str, index: int, item: KpiData) -> str:
    """The id of a datum's requirement: its own `id`, else `<objective>-data-<n>` (n from 1)."""
    return item.id or f"{objective}-data-{index + 1}"


def data_items(strategy: Strategy) -> Iterator[tuple[str, int, KpiData, str]]:
    """Every datum of every KPI: (objective, its index, the datum, its requirement's id), in file order."""
    for objective_id, objective in strategy.objectives.items():
        for index, item in enumerate(objective.data):
            yield objective_id, index, item, data_requirement_id(objective_id, index, item)


def data_requirements(strategy: Strategy) -> list[tuple[Requirement, DataPath]]:
    """The requirement of each datum, with where the datum is written in the strategy file."""
    return [
        (Requirement(id=rid, text=item.text, objective=oid, department=item.captured_by, priority=item.priority,
                     features=item.features),
         ("objectives", oid, "kpi", "data", index))
        for oid, index, item, rid in data_items(strategy)
    ]


def data_requirement_ids(strategy: Strategy) -> set[str]:
    """The ids of the requirements derived from KPI data (a sheet export leaves them out: the KPI holds them)."""
    return {rid for _, _, _, rid in data_items(strategy)}


def capture_mode(levels: Mapping[str, float], features: Mapping[str, Feature]) -> CaptureMode:
    """How a bundle captures a datum, from the features it provides for it (id -> level above 0)."""
    given = [f for f, level in levels.items() if level > 0 and f in features]
    if any(features[f].capture == "automatic" for f in given):
        return "automatic"
    if any(features[f].capture == "assisted" for f in given):
        return "assisted"
    return "manual"
