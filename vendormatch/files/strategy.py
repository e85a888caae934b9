"""Loading a strategy: one file, or a folder with `strategy.yaml` and `requirements/*.yaml`."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vendormatch.files.catalog import Catalog, display_path, yaml_files
from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError, has_errors, sort_diagnostics
from vendormatch.files.kpi_data import data_requirements
from vendormatch.files.loader import DEFAULT_LIMITS, Document, Limits, load_yaml
from vendormatch.files.models import Requirement, RequirementsFile, Strategy
from vendormatch.files.pairwise import apply_pairwise, pairwise_rules
from vendormatch.files.schema_errors import validate_model
from vendormatch.files.strategy_rules import RequirementSource, StrategySources, check_strategy_sources

STRATEGY_FILE = "strategy.yaml"
REQUIREMENTS_DIR = "requirements"
LOCK_SUFFIX = ".lock.yaml"


@dataclass(frozen=True)
class StrategyCheck:
    """Every diagnostic found in a strategy, with the strategy when there were no errors."""

    strategy: Strategy | None
    diagnostics: tuple[Diagnostic, ...]
    #: Every file read, in reading order (the strategy's own file first).
    files: tuple[str, ...] = ()
    #: Where each requirement is written: id -> (file, line, column).
    locations: Mapping[str, tuple[str, int, int]] = field(default_factory=dict)


def lock_path(strategy_path: Path) -> Path:
    """Where a strategy's lock file lives: `x.yaml` -> `x.lock.yaml`; a folder -> `folder/strategy.lock.yaml`."""
    if strategy_path.is_dir():
        return strategy_path / (Path(STRATEGY_FILE).stem + LOCK_SUFFIX)
    return strategy_path.with_name(strategy_path.name.removesuffix(strategy_path.suffix) + LOCK_SUFFIX)


def strategy_main_file(path: Path) -> Path:
    """The file holding the strategy's top level: the path itself, or `strategy.yaml` in a folder."""
    return path / STRATEGY_FILE if path.is_dir() else path


def _load(path: Path, limits: Limits, found: list[Diagnostic]) -> Document | None:
    try:
        return load_yaml(path, limits, display=display_path(path))
    except UnreadableInputError:
        raise
    except VendormatchError as exc:
        found.extend(exc.diagnostics)
        return None


def _requirement_files(
    folder: Path, limits: Limits, found: list[Diagnostic], files: list[str]
) -> list[RequirementSource]:
    """Read `requirements/<department>.yaml`; a requirement's department defaults to the file's stem."""
    sources: list[RequirementSource] = []
    for path in yaml_files(folder / REQUIREMENTS_DIR):
        files.append(display_path(path))
        doc = _load(path, limits, found)
        if doc is None:
            continue
        model, errors = validate_model(RequirementsFile, doc.data, doc)
        found.extend(errors)
        if model is None:
            continue
        for index, written in enumerate(model.requirements):
            req = written if written.department is not None else written.model_copy(update={"department": path.stem})
            sources.append(RequirementSource(req, doc, ("requirements", index)))
    return sources


def check_strategy(
    path: str | os.PathLike[str],
    catalog: Catalog | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    resolve: Callable[[Strategy], Mapping[str, tuple[str, ...]]] | None = None,
) -> StrategyCheck:
    """Load a strategy file or folder and return every diagnostic, with the strategy if it has no errors.

    With a catalogue, pinned features, exchange rates and must-haves are checked against it too.
    `resolve`, given the valid strategy, says which features each requirement needs beyond its
    pinned ones (from the lock file and the matcher, which this layer cannot import), so that
    must-haves are judged on those too.
    """
    root = Path(path)
    if not root.exists():
        raise UnreadableInputError([Diagnostic(
            display_path(root), 0, 0, "error", "not-found",
            "no such file or folder; a strategy is a YAML file or a folder holding strategy.yaml",
        )])
    if root.is_file() and root.name == STRATEGY_FILE and (root.parent / REQUIREMENTS_DIR).is_dir():
        # The folder form's own strategy.yaml: read alone, its requirements/ would be silently left out.
        root = root.parent
    main = strategy_main_file(root)
    if root.is_dir() and not main.is_file():
        raise UnreadableInputError([Diagnostic(
            display_path(main), 0, 0, "error", "not-found",
            f"a strategy folder needs {STRATEGY_FILE} (and optionally {REQUIREMENTS_DIR}/<department>.yaml)",
        )])
    found: list[Diagnostic] = []
    doc = _load(main, limits, found)
    files = [display_path(main)]
    if doc is None:
        return StrategyCheck(None, tuple(sort_diagnostics(found)), tuple(files))
    wrong = _other_kind(main, doc.data)
    if wrong is not None:
        raise UnreadableInputError([Diagnostic(doc.file, 1, 1, "error", "wrong-kind", wrong)])
    strategy, errors = validate_model(Strategy, doc.data, doc)
    found.extend(errors)
    requirements = [
        RequirementSource(req, doc, ("requirements", i))
        for i, req in enumerate(strategy.requirements if strategy else ())
    ]
    if root.is_dir():
        requirements.extend(_requirement_files(root, limits, found, files))
    if strategy is None:
        return StrategyCheck(None, tuple(sort_diagnostics(found)), tuple(files))
    # Each datum a KPI needs is a requirement too, located at the datum.
    requirements.extend(RequirementSource(req, doc, path) for req, path in data_requirements(strategy))
    strategy = strategy.model_copy(update={"requirements": tuple(src.requirement for src in requirements)})
    resolved = resolve(strategy) if resolve is not None and catalog is not None and not has_errors(found) else None
    sources = StrategySources(
        strategy, doc, tuple(requirements),
        features=catalog.features if catalog else None,
        products=catalog.products if catalog else None,
        requirement_features=resolved,
    )
    found.extend(check_strategy_sources(sources))
    found.extend(pairwise_rules(sources))
    diagnostics = tuple(sort_diagnostics(found))
    locations = {src.requirement.id: (src.doc.file, *src.doc.locate(src.path)) for src in reversed(requirements)}
    valid = None if has_errors(diagnostics) else apply_pairwise(strategy)
    return StrategyCheck(valid, diagnostics, tuple(files), locations)


def _other_kind(path: Path, data: object) -> str | None:
    """What to say when the file is plainly another vendormatch file than a strategy, else None."""
    keys = set(data) if isinstance(data, dict) else set()
    if keys & {"objectives", "users", "organisation"}:
        return None
    if path.name.endswith(LOCK_SUFFIX) or "version" in keys:
        strategy = path.name.removesuffix(LOCK_SUFFIX) + ".yaml"
        return (f"this is a lock file (written by `vendormatch match --lock`), not a strategy; pass the strategy "
                f"it belongs to ({strategy}, or the strategy folder)")
    if keys == {"requirements"}:
        return ("this is a requirements file of a strategy folder, not a strategy; pass the folder that holds "
                f"{STRATEGY_FILE} and {REQUIREMENTS_DIR}/")
    if "features" in keys:
        return "this is a catalogue's features.yaml, not a strategy; pass it with --catalog as part of a catalogue folder"
    if keys & {"editions", "vendor", "add_ons"}:
        return "this is a product file of a catalogue, not a strategy; put it in a catalogue's vendors/ folder"
    return None


def load_strategy(
    path: str | os.PathLike[str], catalog: Catalog | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Strategy:
    """Load and validate a strategy (file or folder form); raise VendormatchError on any error."""
    result = check_strategy(path, catalog, limits=limits)
    if result.strategy is None:
        raise VendormatchError(result.diagnostics)
    return result.strategy


def requirement_by_id(strategy: Strategy) -> dict[str, Requirement]:
    """The strategy's requirements keyed by id."""
    return {req.id: req for req in strategy.requirements}
