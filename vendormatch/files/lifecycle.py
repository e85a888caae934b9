"""End of sale and end of life: which products and editions a strategy can still buy and keep."""

from __future__ import annotations

from datetime import date

from vendormatch.files.models import Product, Strategy


def parse_date(text: str) -> date:
    """A `YYYY-MM` or `YYYY-MM-DD` date of the formats; a month alone reads as its first day."""
    parts = [int(p) for p in text.split("-")]
    return date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


def horizon_start(strategy: Strategy, today: date) -> date:
    """When the horizon starts: the strategy's `start`, else the day of the run."""
    return parse_date(strategy.start) if strategy.start is not None else today


def _horizon_end(start: date, years: float) -> date:
    months = start.month - 1 + round(12 * years)
    return date(start.year + months // 12, months % 12 + 1, min(start.day, 28))


def _why_retired(end_of_sale: str | None, end_of_life: str | None, start: date, years: float) -> str | None:
    if end_of_sale is not None and parse_date(end_of_sale) <= start:
        return f"no longer sold to new customers since {end_of_sale}"
    if end_of_life is not None and parse_date(end_of_life) < _horizon_end(start, years):
        return (f"reaches end of life on {end_of_life}, inside the {years:g}-year horizon that starts "
                f"{start.isoformat()}")
    return None


def product_retired(product: Product, start: date, years: float) -> str | None:
    """Why the product cannot be bought and kept for the horizon (with its source), or None when it can."""
    why = _why_retired(product.end_of_sale, product.end_of_life, start, years)
    return None if why is None else f"{why} (source: {product.lifecycle_source})"


def edition_retired(product: Product, edition_id: str, start: date, years: float) -> str | None:
    """Why one edition cannot be bought and kept for the horizon, or None when it can."""
    edition = product.editions[edition_id]
    why = _why_retired(edition.end_of_sale, edition.end_of_life, start, years)
    return None if why is None else f"{edition_id}: {why} (source: {product.lifecycle_source})"
