"""Validating catalogues and strategies as a linter does: every problem of every path, in one result.

Each path is a catalogue folder, a `features.yaml`, a product file, a strategy (file or folder),
a requirements file, or a folder holding any of these. Its kind is told by its place (a file in
`vendors/` is a product, one in `requirements/` belongs to the strategy folder above it) and
otherwise by its content (its top-level keys); a `kind` argument forces it. Problems are values:
nothing here raises for bad input, prints or exits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vendormatch.files.catalog import (
    FEATURES_FILE,
    VENDORS_DIR,
    Catalog,
    CatalogCheck,
    check_catalog,
    display_path,
    embedded_catalog_path,
    load_features_file,
    yaml_files,
)
from vendormatch.files.catalog_rules import CatalogSources, ProductSource, check_catalog_sources
from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError, has_errors, sort_diagnostics
from vendormatch.files.loader import DEFAULT_LIMITS, Document, Limits, collector_paused, load_yaml
from vendormatch.files.models import FeaturesFile, Product, RequirementsFile, Strategy
from vendormatch.files.schema_errors import validate_model
from vendormatch.files.strategy import LOCK_SUFFIX, check_strategy, lock_path
from vendormatch.lint.file_kinds import KINDS, Kind, Target, is_catalog_dir, kind_of, path_targets
from vendormatch.match.results import MatchResult

__all__ = ["DEFAULT_PATHS", "KINDS", "UNREADABLE_CODES", "Kind", "ValidationResult", "kind_of", "validate"]

#: What `validate()` checks when given no paths, where present in the working folder.
DEFAULT_PATHS = ("catalog", "strategies")

#: Codes meaning a path could not be read or used at all (exit code 2), not that its content is wrong.
UNREADABLE_CODES = frozenset({"not-found", "unreadable", "wrong-kind", "nothing-to-validate"})



@dataclass(frozen=True)
class ValidationResult:
    """Every diagnostic found, sorted by file, line and column, and the files that were read."""

    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if list(self.diagnostics) != sort_diagnostics(self.diagnostics):
            raise ValueError("diagnostics must be sorted and free of duplicates")

    @property
    def errors(self) -> int:
        """How many diagnostics are errors."""
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        """How many diagnostics are warnings."""
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    @property
    def unreadable(self) -> bool:
        """Tell whether some path could not be read or used at all."""
        return any(d.code in UNREADABLE_CODES for d in self.diagnostics)

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean (warnings allowed unless strict), 1 findings, 2 unreadable input."""
        if self.unreadable:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0


@dataclass
class _Run:
    """What one validation gathers, and what it loaded once to reuse."""

    limits: Limits
    today: date
    catalog: Path | None
    found: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    catalogs: dict[Path, CatalogCheck] = field(default_factory=dict)
    taxonomies: dict[Path, FeaturesFile | None] = field(default_factory=dict)


def validate(
    paths: Sequence[str | os.PathLike[str]] = (),
    *,
    kind: Kind | None = None,
    catalog: str | os.PathLike[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    today: date | None = None,
) -> ValidationResult:
    """Validate files and folders (by default ./catalog and ./strategies) and return every diagnostic.

    Strategies are checked against `catalog` (default: the embedded catalogue); a product file
    outside a catalogue folder is checked against that catalogue's taxonomy too.
    """
    run = _Run(limits, today or date.today(), Path(catalog) if catalog is not None else None)
    if not paths:
        paths = [p for p in DEFAULT_PATHS if Path(p).exists()]
        if not paths:
            run.found.append(Diagnostic(
                ".", 0, 0, "error", "nothing-to-validate",
                f"nothing to validate: no {' or '.join('./' + p for p in DEFAULT_PATHS)} here; "
                "name the files or folders to check",
            ))
    targets: dict[tuple[str | None, Path], Target] = {}
    for path in map(Path, paths):
        for target in path_targets(path, kind, run.found):
            targets.setdefault((target.kind, target.path.resolve()), target)
    with collector_paused():
        for target in targets.values():
            _check(target, run)
    return ValidationResult(tuple(sort_diagnostics(run.found)), tuple(sorted(set(run.files))))


# -- checking ---------------------------------------------------------------------------------


def _check(target: Target, run: _Run) -> None:
    if target.kind == "catalog":
        _check_catalog(target.path, run)
    elif target.kind == "strategy":
        _check_strategy(target.path, run)
    else:
        _check_file(target, run)


def _check_catalog(path: Path, run: _Run) -> None:
    result = _catalog_check(path, run)
    if result is None:
        return
    run.found.extend(result.diagnostics)
    features = path / FEATURES_FILE
    run.files.extend(display_path(p) for p in [features, *yaml_files(path / VENDORS_DIR)] if p.is_file())


def _catalog_check(path: Path, run: _Run) -> CatalogCheck | None:
    """Check a catalogue once per run; None (with the reason in `found`) when it cannot be read."""
    key = path.resolve()
    if key not in run.catalogs:
        try:
            run.catalogs[key] = check_catalog(path, limits=run.limits, today=run.today)
        except UnreadableInputError as exc:
            run.found.extend(exc.diagnostics)
            return None
    return run.catalogs[key]


def _check_strategy(path: Path, run: _Run) -> None:
    checked = _catalog_check(run.catalog or embedded_catalog_path(), run)
    if checked is not None and checked.catalog is None:
        # Without a sound catalogue the strategy is checked on its own: say why (the result
        # drops the repeats when the catalogue is validated in this run too).
        run.found.extend(d for d in checked.diagnostics if d.severity == "error")
    catalog = checked.catalog if checked else None
    matched: list[MatchResult] = []  # the features the shortlist would use, settled once for both checks

    def settled(strategy: Strategy) -> MatchResult:
        if not matched:
            assert catalog is not None
            matched.append(_settle(path, strategy, catalog))
        return matched[0]

    try:
        result = check_strategy(path, catalog, limits=run.limits,
                                resolve=(lambda s: _resolved_features(s, settled)) if catalog else None)
    except UnreadableInputError as exc:
        run.found.extend(exc.diagnostics)
        return
    run.found.extend(result.diagnostics)
    run.files.extend(result.files)
    if result.strategy is not None and catalog is not None and any(
        r.priority == "must" and not r.features for r in result.strategy.requirements
    ):
        # A must-have that nothing settles stops the shortlist: validate says so first.
        from vendormatch.match.resolution import unsettled_musts

        run.found.extend(unsettled_musts(result.strategy, settled(result.strategy), result.locations))
    lock = lock_path(path)
    if result.strategy is not None and lock.is_file():
        # The lock's own checks, with no match to apply it to: its shape, its feature ids, and
        # requirements the strategy no longer has (changed texts show when matching).
        run.files.append(display_path(lock))
        features = checked.catalog.features if checked is not None and checked.catalog is not None else None
        from vendormatch.match.lockfile import apply_lock  # imports the matcher (and numpy): only when there is a lock

        try:
            run.found.extend(apply_lock(path, result.strategy, MatchResult(()), features)[1])
        except UnreadableInputError as exc:
            run.found.extend(exc.diagnostics)
    answers = (path if path.is_dir() else path.parent) / "responses"
    if catalog is not None and answers.is_dir():
        # The vendors' answers beside the strategy (`vendormatch responses import`): each against the catalogue.
        from vendormatch.files.responses import load_responses

        run.files.extend(display_path(p) for p in yaml_files(answers))
        try:
            load_responses(answers, catalog)
        except VendormatchError as exc:
            run.found.extend(exc.diagnostics)


def _settle(path: Path, strategy: Strategy, catalog: Catalog) -> MatchResult:
    """Each requirement's features as the shortlist would use them: pinned, locked, else matched. A broken
    lock file is reported by the lock's own check; here it is simply not used."""
    from vendormatch.match.resolution import settle_features

    try:
        decisions, problems = settle_features(path, strategy, catalog)
    except UnreadableInputError:
        decisions, problems = settle_features(path, strategy, catalog, use_lock=False)
    if has_errors(problems):
        decisions, _ = settle_features(path, strategy, catalog, use_lock=False)
    return decisions


def _resolved_features(strategy: Strategy, settled: Callable[[Strategy], MatchResult]) -> dict[str, tuple[str, ...]]:
    """The features each unpinned must-have needs as the shortlist would use them: locked, else matched.

    Ambiguous and unmatched requirements have none to judge.
    """
    if not any(r.priority == "must" and r.features is None for r in strategy.requirements):
        return {}
    return {m.requirement: m.features for m in settled(strategy).requirements
            if m.status in ("matched", "locked") and m.features}


def _load(path: Path, run: _Run) -> Document | None:
    shown = display_path(path)
    run.files.append(shown)
    try:
        return load_yaml(path, run.limits, display=shown)
    except VendormatchError as exc:
        run.found.extend(exc.diagnostics)
        return None


def _check_file(target: Target, run: _Run) -> None:
    """A features, product or requirements file on its own, or a file whose content tells its kind."""
    if target.kind == "lock":
        run.found.append(Diagnostic(
            display_path(target.path), 0, 0, "warning", "lock-without-strategy",
            f"no strategy {target.path.name.removesuffix(LOCK_SUFFIX)}.yaml beside this lock file: "
            "delete it, or restore the strategy it was written for",
        ))
        return
    doc = _load(target.path, run)
    if doc is None:
        return
    kind = target.kind or kind_of(doc.data)
    if kind == "features":
        model, errors = validate_model(FeaturesFile, doc.data, doc)
        run.found.extend(errors)
        if model is not None:
            run.found.extend(check_catalog_sources(CatalogSources(model, doc, (), run.today)))
    elif kind == "product":
        _check_product(target.path, doc, run)
    elif kind == "requirements":
        # Objectives and departments live in a strategy: alone, a requirements file has only its shape.
        run.found.extend(validate_model(RequirementsFile, doc.data, doc)[1])
    elif kind == "strategy":
        _check_strategy(target.path, run)
    elif doc.data is None:
        run.found.append(doc.diagnostic((), "empty", "the file is empty: expected a mapping of 'key: value' lines"))
    else:
        run.found.append(doc.diagnostic(
            (), "unknown-kind",
            "cannot tell which vendormatch file this is: a taxonomy has `features:`, a product `editions:`, "
            "a strategy `objectives:`, a requirements file `requirements:`; fix the keys or pass --kind",
        ))


def _check_product(path: Path, doc: Document, run: _Run) -> None:
    model, errors = validate_model(Product, doc.data, doc)
    run.found.extend(errors)
    if model is None:
        return
    # The taxonomy and fellow products: the catalogue the file stands in, else the reference one.
    in_catalog = path.parent.name == VENDORS_DIR and is_catalog_dir(path.parent.parent)
    root = path.parent.parent if in_catalog else (run.catalog or embedded_catalog_path())
    others = frozenset(p.stem for p in yaml_files(root / VENDORS_DIR))
    sources = CatalogSources(
        _taxonomy(root / FEATURES_FILE, run), None, (ProductSource(model, doc, path.stem),), run.today, others,
    )
    run.found.extend(check_catalog_sources(sources))


def _taxonomy(path: Path, run: _Run) -> FeaturesFile | None:
    """A catalogue's taxonomy, read once per run; None (and its errors reported) when it is unusable."""
    key = path.resolve()
    if key not in run.taxonomies:
        run.taxonomies[key] = _read_taxonomy(path, run)
    return run.taxonomies[key]


def _read_taxonomy(path: Path, run: _Run) -> FeaturesFile | None:
    if not path.is_file():
        run.found.append(Diagnostic(
            display_path(path), 0, 0, "error", "missing-file",
            f"the catalogue has no {FEATURES_FILE}: add the feature taxonomy there",
        ))
        return None
    return load_features_file(path, run.limits, run.found)[0]
