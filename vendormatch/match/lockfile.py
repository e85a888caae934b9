"""The lock file: the reviewed mapping of requirements to features, kept beside the strategy.

`vendormatch match --lock` writes it; a reviewer corrects it in a pull request (fills in the
features of an ambiguous requirement, removes a wrong one); later matches and shortlists use the
locked features for every requirement whose text has not changed since, so results are
reproducible. A requirement whose text changed keeps its fresh match, with a warning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import Field, StringConstraints

from vendormatch.files.alternatives import as_item
from vendormatch.files.catalog import Catalog, display_path, load_catalog
from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError, has_errors, sort_diagnostics
from vendormatch.files.format_types import Day
from vendormatch.files.loader import load_yaml
from vendormatch.files.models import AnyOf, Feature, FeatureChoice, Id, Model, Strategy, Text, feature_keys
from vendormatch.files.output_file import OutputError, replace_file
from vendormatch.files.schema_errors import did_you_mean, validate_model
from vendormatch.files.strategy import check_strategy, lock_path
from vendormatch.match.matcher import MatchOptions, MatchResult, RequirementMatch, Status, match_requirements

LOCK_VERSION = 1
_REWRITE = ("or, if it cannot be mended, delete the lock file and run `vendormatch match --lock` to write it "
            "afresh (the reviews it holds are lost; `vendormatch review` records them again)")
_HASH_PREFIX = "sha256:"

TextHash = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{16,64}$")]


class Review(Model):
    """Who checked a lock entry against its requirement, and when (YYYY-MM-DD)."""

    by: Text
    on: Day


class LockEntry(Model):
    """One requirement as it was locked: the hash of its text, the features it needs, and who reviewed them.

    An entry without `reviewed` is the matcher's proposal: applied, so results are reproducible, but
    shown as `matched`, never `locked`, and `validate` warns until a person has reviewed it.
    """

    text_sha256: TextHash
    features: tuple[FeatureChoice, ...] = ()
    status: Literal["locked", "matched", "ambiguous", "unmatched"] | None = None
    reviewed: Review | None = None
    text: Text | None = None


class LockFile(Model):
    """`<strategy>.lock.yaml`: the reviewed mapping of each requirement to its features."""

    version: Literal[1]
    requirements: dict[Id, LockEntry] = Field(default_factory=dict)


def text_hash(text: str) -> str:
    """A requirement text's hash; runs of white space count as one space, so re-wrapping YAML is no change."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
    return _HASH_PREFIX + digest[:16]


_HEADER = """\
# vendormatch lock file: the reviewed mapping of each requirement to catalogue features.
# Written by `vendormatch match --lock`; review it like code (or with `vendormatch review`). To fix
# a mapping, edit `features` and record who checked it: `reviewed: {by: <name>, on: <YYYY-MM-DD>}`.
# Until then an entry is the matcher's proposal, shown as `matched`. An empty list means "not
# decided" (matched afresh), or with `reviewed`, "no feature serves it". A requirement whose text
# no longer matches `text_sha256` is matched afresh, with a warning, until you lock again.
# Pinned requirements (`features:` in the strategy) are not listed: the pin always wins.
"""


def previous_entries(target: Path) -> dict[str, LockEntry]:
    """The entries of the lock file being replaced; nothing when there is none or it does not validate."""
    if not target.is_file():
        return {}
    try:
        doc = load_yaml(target, display=display_path(target))
    except VendormatchError:
        return {}
    lock, _ = validate_model(LockFile, doc.data, doc)
    return dict(lock.requirements) if lock is not None else {}


def kept_entry(entry: LockEntry) -> dict[str, object]:
    """A lock entry written back as it was read: a reviewer's status and features are theirs to change."""
    kept: dict[str, object] = {"text_sha256": entry.text_sha256}
    if entry.status is not None:
        kept["status"] = entry.status
    kept["features"] = [as_item(key) for key in feature_keys(entry.features)]
    if entry.reviewed is not None:
        kept["reviewed"] = {"by": entry.reviewed.by, "on": entry.reviewed.on}
    if entry.text is not None:
        kept["text"] = entry.text
    return kept


def write_lock(strategy_path: Path, strategy: Strategy, result: MatchResult) -> Path:
    """Write the lock file beside the strategy, atomically (temp file + rename); return its path.

    An entry applied unchanged from the lock being replaced (its requirement's text is the same) is
    written back as it was, so locking again never rewrites what a person reviewed. A lock that
    cannot be written raises OutputError (exit code 2) and leaves the old file as it was.
    """
    target = lock_path(strategy_path)
    previous = previous_entries(target)
    matches = result.by_id()
    entries: dict[str, dict[str, object]] = {}
    for requirement in strategy.requirements:
        match = matches.get(requirement.id)
        if match is None or match.status == "pinned":
            continue
        old = previous.get(requirement.id)
        # What a person reviewed, or a mapping the lock already decides, is written back as it was.
        if old is not None and old.text_sha256 == text_hash(requirement.text) and (old.features or old.reviewed):
            entries[requirement.id] = kept_entry(old)
            continue
        entries[requirement.id] = {
            "text_sha256": text_hash(requirement.text),
            "status": match.status,
            "features": [as_item(key) for key in match.features],
            "text": " ".join(requirement.text.split()),
        }
    return write_entries(target, entries)


def write_entries(target: Path, entries: Mapping[str, Mapping[str, object]]) -> Path:
    """Write lock entries (in their written form) to `target`, atomically; OutputError when it cannot."""
    body = yaml.safe_dump(
        {"version": LOCK_VERSION, "requirements": dict(entries)},
        sort_keys=False, allow_unicode=True, default_flow_style=None, width=100,
    )
    try:
        replace_file(target, _HEADER + body, newline="\n")
    except OSError as exc:
        raise OutputError([Diagnostic(
            display_path(target), 0, 0, "error", "lock-unwritable",
            f"the lock file cannot be written ({exc.strerror or exc}); the old lock, if any, is kept as it was: "
            "make its folder writable or free some space, and run `vendormatch match --lock` again",
        )]) from exc
    return target


def apply_lock(
    strategy_path: Path,
    strategy: Strategy,
    result: MatchResult,
    features: Mapping[str, Feature] | None = None,
) -> tuple[MatchResult, list[Diagnostic]]:
    """Give requirements whose text is unchanged since locking their locked features (status "locked").

    Without a lock file the result is returned as is. A changed text gives a warning located in the
    lock file and keeps the fresh match; so does an entry for a requirement the strategy no longer
    has. A broken lock file gives located errors and the result unchanged: the caller must not go on
    as if the lock had been applied. With `features`, locked feature ids are checked against them.
    """
    path = lock_path(strategy_path)
    if not path.exists():
        return result, []
    try:
        doc = load_yaml(path, display=display_path(path))
    except UnreadableInputError:
        raise
    except VendormatchError as exc:
        # A lock is written by the tool: when it cannot be read at all, writing it afresh is a fix too.
        return result, [replace(d, message=f"{d.message}; {_REWRITE}") for d in exc.diagnostics]
    lock, errors = validate_model(LockFile, doc.data, doc)
    if lock is None:
        return result, errors
    found: list[Diagnostic] = []
    texts = {r.id: r.text for r in strategy.requirements}
    pinned = {r.id for r in strategy.requirements if r.features is not None}
    changed = {
        requirement_id for requirement_id, entry in lock.requirements.items()
        if requirement_id in texts and requirement_id not in pinned
        and entry.text_sha256 != text_hash(texts[requirement_id])
    }
    if features is not None:
        for requirement_id, entry in lock.requirements.items():
            # An entry that is not applied (its requirement gone, pinned or changed) cannot mislead a
            # result: its unknown ids are a warning, so that `match --lock` can still renew the lock.
            applied = requirement_id in texts and requirement_id not in pinned and requirement_id not in changed
            for number, item in enumerate(entry.features):
                placed: list[tuple[tuple[str | int, ...], str]] = (
                    [(("requirements", requirement_id, "features", number, "any", j), f) for j, f in enumerate(item.any)]
                    if isinstance(item, AnyOf) else [(("requirements", requirement_id, "features", number), item)]
                )
                for where, feature in placed:
                    if feature in features:
                        continue
                    found.append(doc.diagnostic(
                        where, "unknown-feature",
                        f"locked feature '{feature}' of requirement '{requirement_id}' is not in the catalogue"
                        f"{did_you_mean(feature, features)}"
                        + ("" if applied else "; the entry is not used: `vendormatch match --lock` renews it"),
                        severity="error" if applied else "warning",
                    ))
    if has_errors(found):
        return result, found
    for requirement_id in sorted(changed):
        # Said whether or not a match is at hand, so that `validate --strict` fails as the shortlist warns.
        found.append(doc.diagnostic(
            ("requirements", requirement_id, "text_sha256"), "lock-text-changed",
            f"requirement '{requirement_id}' changed since it was locked; its locked features are not used, and "
            "the matcher's fresh proposal stands in: run `vendormatch review` on the strategy to decide again",
            severity="warning",
        ))
    updated: list[RequirementMatch] = []
    # Waiting for review: entries nobody reviewed, and requirements the lock does not list at all.
    wont = {r.id for r in strategy.requirements if r.priority == "wont"}  # counted in no score: nothing to review
    unreviewed = [rid for rid in texts if rid not in pinned and rid not in changed and rid not in wont
                  and (rid not in lock.requirements or lock.requirements[rid].reviewed is None)]
    for match in result.requirements:
        locked = lock.requirements.get(match.requirement)
        if locked is None or match.status == "pinned" or match.requirement in changed:
            updated.append(match)
            continue
        if not locked.features and locked.reviewed is not None:
            # A person decided that no feature serves it (a purchase condition, say): not scored, and said so.
            updated.append(RequirementMatch(
                match.requirement, "unmatched", (), match.candidates,
                f"reviewed ({locked.reviewed.by}, {locked.reviewed.on}): no catalogue feature serves it",
            ))
        elif not locked.features:
            updated.append(match)
        else:
            status: Status = "locked" if locked.reviewed is not None else "matched"
            updated.append(RequirementMatch(match.requirement, status, feature_keys(locked.features), match.candidates))
    if unreviewed:
        named = ", ".join(unreviewed[:8]) + (f" and {len(unreviewed) - 8} more" if len(unreviewed) > 8 else "")
        found.append(doc.diagnostic(
            ("requirements",), "lock-unreviewed",
            f"{len(unreviewed)} requirement(s) rest on the matcher's proposal, not listed in the lock or not "
            f"reviewed: {named}; run `vendormatch review` on the strategy (or check each entry and add "
            "`reviewed: {by: <name>, on: <YYYY-MM-DD>}`)",
            key=True, severity="warning",
        ))
    for requirement_id in lock.requirements:
        if requirement_id not in texts:
            found.append(doc.diagnostic(
                ("requirements", requirement_id), "lock-unknown-requirement",
                f"the strategy has no requirement '{requirement_id}' any more; run `vendormatch match --lock` "
                "to drop it",
                key=True, severity="warning",
            ))
    return MatchResult(tuple(updated)), found


@dataclass(frozen=True)
class LockedMatch:
    """A strategy's match after its lock file was applied, with what the lock had to say."""

    result: MatchResult
    diagnostics: tuple[Diagnostic, ...]
    #: The lock file written, when one was asked for.
    written: Path | None = None


def match_strategy(
    strategy_path: Path,
    catalog: Catalog | Path | None = None,
    options: MatchOptions | None = None,
    *,
    write: bool = False,
    strategy: Strategy | None = None,
    cache: bool = False,
) -> LockedMatch:
    """Load a strategy (and the catalogue), match it, apply its lock file, and write the lock if asked.

    `catalog` is a loaded catalogue, a catalogue folder, or None for the embedded one. The
    diagnostics returned are the warnings of the catalogue, the strategy and the lock file.
    Raises VendormatchError on any error, the lock file's included (nothing is written then).
    `strategy`, when given, is matched instead of the file's (the file's with what-if settings
    applied); its lock file is still the one beside `strategy_path`.
    """
    loaded = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    check = check_strategy(strategy_path, loaded)
    if check.strategy is None:
        raise VendormatchError(check.diagnostics)
    chosen = strategy if strategy is not None else check.strategy
    fresh = match_requirements(chosen, loaded.features, options or MatchOptions(), cache=cache)
    result, diagnostics = apply_lock(strategy_path, chosen, fresh, loaded.features)
    if has_errors(diagnostics):
        raise VendormatchError(diagnostics)
    written = write_lock(strategy_path, chosen, result) if write else None
    warnings = [*loaded.warnings, *check.diagnostics, *diagnostics]
    return LockedMatch(result, tuple(sort_diagnostics(warnings)), written)
