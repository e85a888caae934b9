"""Settling each requirement's features for a shortlist: pins, then the lock file, then the matcher."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from vendormatch.files.catalog import Catalog
from vendormatch.files.diagnostics import Diagnostic, has_errors
from vendormatch.files.models import Strategy, feature_keys
from vendormatch.match.lockfile import apply_lock
from vendormatch.match.matcher import MatchOptions, MatchResult, match_requirements
from vendormatch.match.results import RequirementMatch


def _unmatched(strategy: Strategy) -> MatchResult:
    """Pins as they are, every other requirement not matched yet: what the lock file is applied to first."""
    return MatchResult(tuple(
        RequirementMatch(r.id, "pinned", feature_keys(r.features), ()) if r.features
        else RequirementMatch(r.id, "unmatched", (), (), "not matched: the lock file is read first")
        for r in strategy.requirements
    ))


def settle_features(
    strategy_path: Path, strategy: Strategy, catalog: Catalog, options: MatchOptions | None = None,
    *, use_lock: bool = True, cache: bool = False, before_matching: Callable[[], None] | None = None,
) -> tuple[MatchResult, list[Diagnostic]]:
    """Match every requirement, then let the strategy's lock file (when there is one) override the matcher.

    When pins and the lock settle every requirement that counts, the matcher is not run at all: its
    index of the catalogue's aliases is most of a small run, and its answer would be overridden.
    `cache` lets the matcher read its phrases' stems from the user's cache directory; `before_matching`
    is called just before the matcher runs (the command line says there when a first run takes a while).
    Returns the decisions and the lock's diagnostics (a changed text is a warning; a broken lock, or a
    locked feature the catalogue lacks, an error).
    """
    if use_lock:
        settled, diagnostics = apply_lock(strategy_path, strategy, _unmatched(strategy), catalog.features)
        if has_errors(diagnostics):
            return settled, diagnostics
        statuses = {m.requirement: m.status for m in settled.requirements}
        if all(statuses[r.id] in ("pinned", "locked") for r in strategy.requirements if r.priority != "wont"):
            return settled, diagnostics
    if before_matching is not None:
        before_matching()
    result = match_requirements(strategy, catalog.features, options or MatchOptions(), cache=cache)
    if not use_lock:
        return result, []
    return apply_lock(strategy_path, strategy, result, catalog.features)


def unsettled_must(requirement: str, status: str, location: tuple[str, int, int]) -> Diagnostic:
    """The error for a must-have with no settled feature: the shortlist cannot judge a product by it."""
    file, line, column = location
    return Diagnostic(
        file, line, column, "error", "unmatched-must",
        f"must-have '{requirement}' has no feature to judge it by ({status}): the shortlist cannot rank "
        "products on it; pin its `features:`, or review it (`vendormatch match --lock`, then `vendormatch review`)",
    )


def unsettled_musts(
    strategy: Strategy, decisions: MatchResult, locations: Mapping[str, tuple[str, int, int]]
) -> list[Diagnostic]:
    """The must-haves whose features neither a pin, the lock nor the matcher settle (what `shortlist` refuses)."""
    by_id = decisions.by_id()
    return [
        unsettled_must(r.id, by_id[r.id].status if r.id in by_id else "unmatched", locations.get(r.id, ("<strategy>", 0, 0)))
        for r in strategy.requirements
        if r.priority == "must" and not (by_id.get(r.id) and by_id[r.id].features)
    ]
