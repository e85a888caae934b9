"""What a report records about the run that made it, so that a what-if never passes for the baseline
and a result can be reproduced: the what-if settings, the catalogue's identity, the date and the
version of vendormatch."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime

from vendormatch.files.catalog import Catalog
from vendormatch.solve.results import RunInfo


def run_date() -> date:
    """Today, or the date of SOURCE_DATE_EPOCH when it is set: the reproducible-builds convention for
    making a run's output the same byte for byte on another day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            pass  # not a date any calendar holds: the run's own date, as without the variable
    return date.today()


def package_version() -> str:
    """vendormatch's installed version ("unknown" when it runs from a bare checkout)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vendormatch")
    except PackageNotFoundError:
        return "unknown"


def run_info(catalog: Catalog, settings: Sequence[str] = ()) -> RunInfo:
    """The record of a run over `catalog` with the given --set settings."""
    return RunInfo(vendormatch=package_version(), run_date=run_date().isoformat(), catalog=catalog.identity,
                   settings=tuple(settings))
