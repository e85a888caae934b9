"""How a bundle captures the data each KPI needs: the KPI view of a ranking (`Ranking.capture`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vendormatch.files.alternatives import members
from vendormatch.files.kpi_data import CaptureMode, capture_mode, data_items
from vendormatch.files.models import Feature, Strategy
from vendormatch.solve.results import DataCapture, RequirementOutcome


def bundle_capture(
    strategy: Strategy, outcomes: Sequence[RequirementOutcome], feature_levels: Mapping[str, float],
    features: Mapping[str, Feature],
) -> tuple[DataCapture, ...]:
    """Each KPI datum's capture under a bundle, from the features its requirement needs that the bundle gives.

    A datum whose requirement is not scored (ambiguous, unmatched) is `unsettled`; one whose features
    the bundle lacks is typed by hand (`manual`).
    """
    scored = {o.id: o for o in outcomes}
    captured = []
    for objective_id, _index, item, requirement_id in data_items(strategy):
        objective = strategy.objectives[objective_id]
        outcome = scored.get(requirement_id)
        mode: CaptureMode = "unsettled"
        given: tuple[str, ...] = ()
        if outcome is not None:
            wanted = [f for trace in outcome.features for f in members(trace.feature)]
            levels = {f: feature_levels.get(f, 0.0) for f in wanted}
            given = tuple(f for f in dict.fromkeys(wanted) if levels[f] > 0)
            mode = capture_mode(levels, features)
        captured.append(DataCapture(
            objective=objective_id, measure=objective.kpi_text or "", data=item.text, requirement=requirement_id,
            captured_by=item.captured_by, frequency=item.frequency, mode=mode, features=given,
        ))
    return tuple(captured)
