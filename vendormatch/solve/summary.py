"""What results carry of the strategy: the figures behind costs and scores, objectives and requirement texts."""

from __future__ import annotations

from vendormatch.files.models import Strategy, requirement_weight, yearly
from vendormatch.files.pairwise import derive
from vendormatch.solve.results import ObjectiveSummary, RequirementSummary, StrategySummary


def strategy_summary(strategy: Strategy, budget: float | None, requirements_counted: int) -> StrategySummary:
    """What results carry of the strategy: the figures behind costs and scores, objectives and requirement texts."""
    return StrategySummary(
        organisation=strategy.organisation, currency=strategy.currency,
        users={d: yearly(n)[0] for d, n in sorted(strategy.users.items())},
        total_users=strategy.total_users, horizon_years=strategy.horizon_years, budget=budget,
        min_department_coverage=strategy.min_department_coverage, requirements_counted=requirements_counted,
        objectives={
            oid: ObjectiveSummary(statement=o.statement, kpi=o.kpi_text, weight=o.weight)
            for oid, o in sorted(strategy.objectives.items())
        },
        requirements=tuple(
            RequirementSummary(id=r.id, text=r.text, objective=r.objective, department=r.department,
                               priority=r.priority, weight=requirement_weight(r, strategy))
            for r in strategy.requirements
        ),
        exchange_rates=dict(sorted(strategy.exchange_rates.items())),
        consistency_ratio=(
            derive(list(strategy.objectives), strategy.judgements).consistency_ratio
            if strategy.weights == "pairwise" else None
        ),
    )
