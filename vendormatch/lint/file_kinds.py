"""Telling which vendormatch file a path is: by its place (`vendors/`, `requirements/`, a lock file's
name), else by its content (its top-level keys), unless a kind is forced."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from vendormatch.files.catalog import (
    FEATURES_FILE,
    VENDORS_DIR,
    display_path,
    yaml_files,
)
from vendormatch.files.diagnostics import Diagnostic
from vendormatch.files.strategy import LOCK_SUFFIX, REQUIREMENTS_DIR, STRATEGY_FILE, lock_path

Kind = Literal["catalog", "features", "product", "strategy", "requirements"]
KINDS: tuple[Kind, ...] = get_args(Kind)

#: The folder of vendors' answers beside a strategy (`vendormatch responses import`).
RESPONSES_DIR = "responses"
# Folders below a folder of strategies or catalogues are walked this deep, no further.
_MAX_WALK_DEPTH = 8


@dataclass(frozen=True)
class Target:
    """A path to check, with its kind when known."""

    kind: Kind | Literal["lock"] | None  # None: tell by the content
    path: Path




def path_targets(path: Path, kind: Kind | None, found: list[Diagnostic]) -> list[Target]:
    """What to check for one given path; problems with the path itself go to `found`."""
    shown = display_path(path)
    if not path.exists():
        found.append(Diagnostic(shown, 0, 0, "error", "not-found", "no such file or folder"))
        return []
    if not path.is_dir() and not path.is_file():
        found.append(Diagnostic(shown, 0, 0, "error", "unreadable", "not a regular file or folder"))
        return []
    before = len(found)
    targets = forced(path, kind, found) if kind is not None else detected(path, 0, set())
    if not targets and len(found) == before:
        found.append(Diagnostic(
            shown, 0, 0, "error", "nothing-to-validate",
            "holds no catalogue, strategy or YAML file to validate",
        ))
    return targets


def forced(path: Path, kind: Kind, found: list[Diagnostic]) -> list[Target]:
    if kind == "catalog":
        if path.is_dir():
            return [Target("catalog", path)]
        found.append(Diagnostic(
            display_path(path), 0, 0, "error", "wrong-kind",
            f"a catalogue is a folder holding {FEATURES_FILE} and {VENDORS_DIR}/, not a file",
        ))
        return []
    if path.is_file() or (kind == "strategy" and (path / STRATEGY_FILE).is_file()):
        return [Target(kind, path)]
    return [Target(kind, p) for p in yaml_files(path) if p.is_file()]


def is_catalog_dir(path: Path) -> bool:
    return (path / FEATURES_FILE).is_file() or (path / VENDORS_DIR).is_dir()


def detected(path: Path, depth: int, seen: set[Path]) -> list[Target]:
    if path.is_file():
        return [by_place(path)]
    if is_catalog_dir(path):
        return [Target("catalog", path)]
    if (path / STRATEGY_FILE).is_file():
        return [Target("strategy", path)]
    # A folder of strategies, of catalogues, or of loose files: walk it, guarding against links
    # that loop back and against trees too deep to be a project's own files.
    real = path.resolve()
    if real in seen or depth > _MAX_WALK_DEPTH:
        return []
    seen.add(real)
    targets = [by_place(p) for p in yaml_files(path) if p.is_file()]
    try:
        folders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        folders = []
    for folder in folders:
        if folder.name == RESPONSES_DIR and any(t.kind == "strategy" for t in targets):
            continue  # vendors' answers are checked with the strategy beside them
        targets.extend(detected(folder, depth + 1, seen))
    return targets


def by_place(path: Path) -> Target:
    """The kind of a file told by its name and folder; None when only its content can tell."""
    parent = path.parent
    if path.name == FEATURES_FILE:
        return Target("features", path)
    if path.name.endswith(LOCK_SUFFIX):
        # A lock file is checked with its strategy: `x.lock.yaml` beside `x.yaml`, or in the folder.
        for strategy in (parent, parent / (path.name.removesuffix(LOCK_SUFFIX) + ".yaml")):
            if lock_path(strategy) == path and (strategy.is_file() or (strategy / STRATEGY_FILE).is_file()):
                return Target("strategy", strategy)
        return Target("lock", path)
    if path.name == STRATEGY_FILE:
        return Target("strategy", parent)
    if parent.name == VENDORS_DIR:
        return Target("product", path)
    if parent.name == REQUIREMENTS_DIR:
        # A department's requirements mean something only with the strategy they belong to.
        if (parent.parent / STRATEGY_FILE).is_file():
            return Target("strategy", parent.parent)
        return Target("requirements", path)
    if parent.name == RESPONSES_DIR and (parent.parent / STRATEGY_FILE).is_file():
        return Target("strategy", parent.parent)
    if parent.name == "strategies":
        return Target("strategy", path)
    return Target(None, path)


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
