"""Validating catalogues and strategies as a linter does: every problem of every path, in one result.

Each path is a catalogue folder, a `features.yaml`, a product file, a strategy (file or folder),
a requirements file, or a folder holding any of these. Its kind is told by its place (a file in
`vendors/` is a product, one in `requirements/` belongs to the strategy folder above it) and
otherwise by its content (its top-level keys); a `kind` argument forces it. Problems are values:
nothing here raises for bad input, prints or exits.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, get_args

from vendormatch.files.catalog import (
    FEATURES_FILE,
    VENDORS_DIR,
    CatalogCheck,
    check_catalog,
    display_path,
    embedded_catalog_path,
    load_features_file,
    yaml_files,
)
from vendormatch.files.catalog_rules import CatalogSources, ProductSource, check_catalog_sources
from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError, sort_diagnostics
from vendormatch.files.loader import DEFAULT_LIMITS, Document, Limits, collector_paused, load_yaml
from vendormatch.files.models import FeaturesFile, Product, RequirementsFile
from vendormatch.files.schema_errors import validate_model
from vendormatch.files.strategy import LOCK_SUFFIX, REQUIREMENTS_DIR, STRATEGY_FILE, check_strategy, lock_path
from vendormatch.match.results import MatchResult

Kind = Literal["catalog", "features", "product", "strategy", "requirements"]
KINDS: tuple[Kind, ...] = get_args(Kind)

#: What `validate()` checks when given no paths, where present in the working folder.
DEFAULT_PATHS = ("catalog", "strategies")

#: Codes meaning a path could not be read or used at all (exit code 2), not that its content is wrong.
UNREADABLE_CODES = frozenset({"not-found", "unreadable", "wrong-kind", "nothing-to-validate"})

# Folders below a folder of strategies or catalogues are walked this deep, no further.
_MAX_WALK_DEPTH = 8


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


@dataclass(frozen=True)
class _Target:
    kind: Kind | Literal["lock"] | None  # None: tell by the content
    path: Path


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
    targets: dict[tuple[str | None, Path], _Target] = {}
    for path in map(Path, paths):
        for target in _targets(path, kind, run.found):
            targets.setdefault((target.kind, target.path.resolve()), target)
    with collector_paused():
        for target in targets.values():
            _check(target, run)
    return ValidationResult(tuple(sort_diagnostics(run.found)), tuple(sorted(set(run.files))))




# -- telling kinds ----------------------------------------------------------------------------


def _targets(path: Path, kind: Kind | None, found: list[Diagnostic]) -> list[_Target]:
    """What to check for one given path; problems with the path itself go to `found`."""
    shown = display_path(path)
    if not path.exists():
        found.append(Diagnostic(shown, 0, 0, "error", "not-found", "no such file or folder"))
        return []
    if not path.is_dir() and not path.is_file():
        found.append(Diagnostic(shown, 0, 0, "error", "unreadable", "not a regular file or folder"))
        return []
    before = len(found)
    targets = _forced(path, kind, found) if kind is not None else _detected(path, 0, set())
    if not targets and len(found) == before:
        found.append(Diagnostic(
            shown, 0, 0, "error", "nothing-to-validate",
            "holds no catalogue, strategy or YAML file to validate",
        ))
    return targets


def _forced(path: Path, kind: Kind, found: list[Diagnostic]) -> list[_Target]:
    if kind == "catalog":
        if path.is_dir():
            return [_Target("catalog", path)]
        found.append(Diagnostic(
            display_path(path), 0, 0, "error", "wrong-kind",
            f"a catalogue is a folder holding {FEATURES_FILE} and {VENDORS_DIR}/, not a file",
        ))
        return []
    if path.is_file() or (kind == "strategy" and (path / STRATEGY_FILE).is_file()):
        return [_Target(kind, path)]
    return [_Target(kind, p) for p in yaml_files(path) if p.is_file()]


def _is_catalog_dir(path: Path) -> bool:
    return (path / FEATURES_FILE).is_file() or (path / VENDORS_DIR).is_dir()


def _detected(path: Path, depth: int, seen: set[Path]) -> list[_Target]:
    if path.is_file():
        return [_by_place(path)]
    if _is_catalog_dir(path):
        return [_Target("catalog", path)]
    if (path / STRATEGY_FILE).is_file():
        return [_Target("strategy", path)]
    # A folder of strategies, of catalogues, or of loose files: walk it, guarding against links
    # that loop back and against trees too deep to be a project's own files.
    real = path.resolve()
    if real in seen or depth > _MAX_WALK_DEPTH:
        return []
    seen.add(real)
    targets = [_by_place(p) for p in yaml_files(path) if p.is_file()]
    try:
        folders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        folders = []
    for folder in folders:
        targets.extend(_detected(folder, depth + 1, seen))
    return targets


def _by_place(path: Path) -> _Target:
    """The kind of a file told by its name and folder; None when only its content can tell."""
    parent = path.parent
    if path.name == FEATURES_FILE:
        return _Target("features", path)
    if path.name.endswith(LOCK_SUFFIX):
        # A lock file is checked with its strategy: `x.lock.yaml` beside `x.yaml`, or in the folder.
        for strategy in (parent, parent / (path.name.removesuffix(LOCK_SUFFIX) + ".yaml")):
            if lock_path(strategy) == path and (strategy.is_file() or (strategy / STRATEGY_FILE).is_file()):
                return _Target("strategy", strategy)
        return _Target("lock", path)
    if path.name == STRATEGY_FILE:
        return _Target("strategy", parent)
    if parent.name == VENDORS_DIR:
        return _Target("product", path)
    if parent.name == REQUIREMENTS_DIR:
        # A department's requirements mean something only with the strategy they belong to.
        if (parent.parent / STRATEGY_FILE).is_file():
            return _Target("strategy", parent.parent)
        return _Target("requirements", path)
    if parent.name == "strategies":
        return _Target("strategy", path)
    return _Target(None, path)


def kind_of(data: object) -> Kind | None:
    """Tell a file's kind from its top-level keys, or None when nothing gives it away."""
    if not isinstance(data, dict):
        return None
    if "features" in data:
        return "features"
    if "editions" in data or "vendor" in data or "add_ons" in data:
        return "product"
    if "objectives" in data or "users" in data or "organisation" in data:
        return "strategy"
    if "requirements" in data:
        return "requirements"
    return None


# -- checking ---------------------------------------------------------------------------------


def _check(target: _Target, run: _Run) -> None:
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
    try:
        result = check_strategy(path, checked.catalog if checked else None, limits=run.limits)
    except UnreadableInputError as exc:
        run.found.extend(exc.diagnostics)
        return
    run.found.extend(result.diagnostics)
    run.files.extend(result.files)
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


def _load(path: Path, run: _Run) -> Document | None:
    shown = display_path(path)
    run.files.append(shown)
    try:
        return load_yaml(path, run.limits, display=shown)
    except VendormatchError as exc:
        run.found.extend(exc.diagnostics)
        return None


def _check_file(target: _Target, run: _Run) -> None:
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
    in_catalog = path.parent.name == VENDORS_DIR and _is_catalog_dir(path.parent.parent)
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
