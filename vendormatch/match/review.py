"""Reviewing a lock file: which requirements still wait for a person, and recording what they decided.

A requirement waits for review when it is not pinned in the strategy and its lock entry is
missing, was never reviewed, or belongs to an older text. A decision sets the entry's features
(the matcher's, another candidate, or ids the reviewer names) and records `reviewed: {by, on}`;
every other entry is written back as it was (`lockfile.write_entries`, atomically).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vendormatch.files.alternatives import as_item, members
from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.models import Strategy, feature_keys
from vendormatch.files.schema_errors import did_you_mean
from vendormatch.files.strategy import load_strategy, lock_path
from vendormatch.match.lockfile import kept_entry, match_strategy, previous_entries, text_hash, write_entries
from vendormatch.match.options import MatchOptions
from vendormatch.match.results import Candidate


@dataclass(frozen=True)
class PendingReview:
    """A requirement waiting for review: its words, what is proposed now and the candidates to choose from."""

    requirement: str
    text: str
    status: str
    features: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    reason: str
    #: What a person decided for the requirement's earlier wording, when its text changed since.
    earlier: tuple[str, ...] = ()
    earlier_review: str = ""


def pending_reviews(
    strategy_path: Path, catalog: Catalog | None = None, options: MatchOptions | None = None, *, cache: bool = False
) -> tuple[Strategy, Catalog, list[PendingReview]]:
    """The strategy, the catalogue, and its requirements waiting for review, in the strategy's order."""
    loaded = catalog if catalog is not None else load_catalog()
    outcome = match_strategy(strategy_path, loaded, options, cache=cache)
    strategy = load_strategy(strategy_path, loaded)
    previous = previous_entries(lock_path(strategy_path))
    matches = outcome.result.by_id()
    pending = []
    for requirement in strategy.requirements:
        match = matches[requirement.id]
        entry = previous.get(requirement.id)
        if match.status == "pinned" or requirement.priority == "wont":
            continue  # a won't-have counts in no score: nothing to review
        if entry is not None and entry.reviewed is not None and entry.text_sha256 == text_hash(requirement.text):
            continue
        earlier: tuple[str, ...] = ()
        said = ""
        if entry is not None and entry.reviewed is not None:  # reviewed, but for another wording
            earlier = feature_keys(entry.features)
            said = f"{entry.reviewed.by}, {entry.reviewed.on}"
        pending.append(PendingReview(requirement.id, requirement.text, match.status, match.features,
                                     match.candidates, match.reason, earlier, said))
    return strategy, loaded, pending


def check_decision(features: Sequence[str], catalog: Catalog) -> list[str]:
    """What is wrong with a reviewer's feature list: unknown ids (with a suggestion). An empty list is
    a decision too: no feature of the catalogue serves the requirement."""
    return [f"unknown feature '{f}'{did_you_mean(f, catalog.features)}" for key in features for f in members(key)
            if f not in catalog.features]


def record_reviews(
    strategy_path: Path, strategy: Strategy, catalog: Catalog, decisions: Mapping[str, Sequence[str]], *, by: str, on: str
) -> Path:
    """Write the reviewed entries into the lock file, keeping every other entry as it was; return its path.

    `decisions` maps requirement ids to feature keys (ids, or `any:a|b` alternatives). Raises
    VendormatchError, writing nothing, when a decision names an unknown requirement or feature.
    """
    texts = {r.id: r.text for r in strategy.requirements}
    target = lock_path(strategy_path)
    problems = [
        Diagnostic(str(target), 0, 0, "error", "review-invalid", f"requirement '{rid}': {problem}")
        for rid, features in decisions.items()
        for problem in ([f"the strategy has no requirement '{rid}'"] if rid not in texts else check_decision(features, catalog))
    ]
    if problems:
        raise VendormatchError(problems)
    previous = previous_entries(target)
    entries: dict[str, Mapping[str, object]] = {rid: kept_entry(entry) for rid, entry in previous.items()}
    for rid, features in decisions.items():
        entries[rid] = {
            "text_sha256": text_hash(texts[rid]),
            "status": "locked",
            "features": [as_item(key) for key in dict.fromkeys(features)],
            "reviewed": {"by": by, "on": on},
            "text": " ".join(texts[rid].split()),
        }
    order = {r.id: i for i, r in enumerate(strategy.requirements)}
    ordered = dict(sorted(entries.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return write_entries(target, ordered)
