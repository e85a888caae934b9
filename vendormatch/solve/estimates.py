"""Costs beyond licences: the strategy's estimates of implementation, migration, hosting, support and
training, per product or per deployment kind, and the warning a self-hosted product without a hosting
estimate carries in every report.

An estimate names one product, or every product of one deployment kind (`saas` or `self-hosted`; a
product sold both ways takes only estimates that name it). For one product, an estimate that names
it replaces the deployment kind's estimate of the same kind. Figures are in the strategy's currency:
`monthly` x the horizon's months + `one_time`.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendormatch.files.models import CostEstimate, Product, Strategy
from vendormatch.solve.results import CostItem
from vendormatch.solve.scoring import money


@dataclass(frozen=True)
class EstimateLine:
    """One estimate applied to a product, over the horizon."""

    kind: str
    name: str
    monthly: float
    one_time: float
    total: float


def applicable(product: Product, strategy: Strategy) -> list[CostEstimate]:
    """The strategy's estimates that apply to the product, one per kind, in kind order."""
    chosen: dict[str, CostEstimate] = {}
    for estimate in strategy.costs:
        if estimate.deployment is not None and estimate.deployment == product.deployment:
            chosen.setdefault(estimate.kind, estimate)
    for estimate in strategy.costs:
        if estimate.product == product.id:
            chosen[estimate.kind] = estimate  # a product's own estimate wins over its deployment kind's
    return [chosen[kind] for kind in sorted(chosen)]


def estimate_lines(product: Product, strategy: Strategy) -> list[EstimateLine]:
    """The product's estimate lines over the horizon."""
    lines = []
    for estimate in applicable(product, strategy):
        monthly, one_time = estimate.monthly or 0.0, estimate.one_time or 0.0
        whose = "this product" if estimate.product is not None else f"every {estimate.deployment} product"
        name = f"{estimate.kind.capitalize()} (your estimate for {whose})"
        if estimate.note:
            name += f": {estimate.note}"
        lines.append(EstimateLine(estimate.kind, name, monthly, one_time, monthly * strategy.months + one_time))
    return lines


def estimate_items(lines: list[EstimateLine], prefix: str = "") -> tuple[CostItem, ...]:
    """The estimate lines as a ranking's cost lines (ids written `prefix` + kind)."""
    return tuple(
        CostItem(item=prefix + line.kind, kind="estimate", name=line.name, monthly=money(line.monthly),
                 one_time=money(line.one_time), total=money(line.total))
        for line in lines
    )


def estimates_total(product: Product, strategy: Strategy) -> float:
    """What the product's estimates add to its total cost of ownership."""
    return sum(line.total for line in estimate_lines(product, strategy))


def cost_notes(product: Product, strategy: Strategy) -> tuple[str, ...]:
    """What the cost leaves out that a reader must know: hosting of a self-hosted product nobody estimated."""
    if product.deployment == "self-hosted" and not any(e.kind == "hosting" for e in applicable(product, strategy)):
        return (f"hosting not included: {product.id} is self-hosted and the strategy estimates no hosting "
                "(add a `costs` entry of kind hosting)",)
    return ()
