"""Settling each requirement's features for a shortlist: pins, then the lock file, then the matcher."""

from __future__ import annotations

from pathlib import Path

from vendormatch.files.catalog import Catalog
from vendormatch.files.diagnostics import Diagnostic
from vendormatch.files.models import Strategy
from vendormatch.match.lockfile import apply_lock
from vendormatch.match.matcher import MatchOptions, MatchResult, match_requirements


def settle_features(
    strategy_path: Path, strategy: Strategy, catalog: Catalog, options: MatchOptions | None = None,
    *, use_lock: bool = True,
) -> tuple[MatchResult, list[Diagnostic]]:
    """Match every requirement, then let the strategy's lock file (when there is one) override the matcher.

    Returns the decisions and the lock's diagnostics (a changed text is a warning; a broken lock an error).
    """
    result = match_requirements(strategy, catalog.features, options or MatchOptions())
    if not use_lock:
        return result, []
    return apply_lock(strategy_path, strategy, result)
