"""Shared paths, fixtures and small helpers for the test suite.

Tests read only the repository's own files (catalog/, strategies/, tests/data/); anything a test
needs to break is written into pytest's tmp_path, never into the repository.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

import pytest

from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.loader import DEFAULT_LIMITS, Document, Limits, parse_yaml

REPO = Path(__file__).resolve().parents[1]


_CACHE_DIR: list[str] = []
RUN_DATE_EPOCH = "1796083200"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the CLI's catalogue cache out of the user's home during the tests."""
    _CACHE_DIR.append(tempfile.mkdtemp(prefix="vendormatch-test-cache-"))
    os.environ["VENDORMATCH_CACHE_DIR"] = _CACHE_DIR[-1]
    # Reports record the run's date: the golden files hold this one (2026-12-01), whatever day the tests run.
    os.environ["SOURCE_DATE_EPOCH"] = RUN_DATE_EPOCH


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's cache folder: a test run leaves nothing behind in the temporary folder."""
    for folder in _CACHE_DIR:
        shutil.rmtree(folder, ignore_errors=True)

DATA = REPO / "tests" / "data"
DESIGN = DATA / "design"
DESIGN_CATALOG = DESIGN / "catalog"
DESIGN_STRATEGY = DESIGN / "strategy.yaml"
LOADER_DATA = DATA / "loader"
SHIPPED_CATALOG = REPO / "catalog"
SHIPPED_STRATEGIES = REPO / "strategies"

#: A date at which the DESIGN example (as_of 2026-09) is neither in the future nor stale.
DESIGN_TODAY = date(2026, 10, 1)

# (line, column, code) of a diagnostic: what most assertions compare.
Where = tuple[int, int, str]


def where(diagnostics: Iterable[Diagnostic]) -> list[Where]:
    """The (line, column, code) of each diagnostic, in the order given."""
    return [(d.line, d.column, d.code) for d in diagnostics]


def load_error(raw: bytes, limits: Limits = DEFAULT_LIMITS, file: str = "f.yaml") -> Diagnostic:
    """Parse YAML bytes that must be rejected; return the single diagnostic raised."""
    with pytest.raises(VendormatchError) as info:
        parse_yaml(raw, file, limits)
    assert len(info.value.diagnostics) == 1, info.value.diagnostics
    return info.value.diagnostics[0]


def parse_text(text: str, file: str = "f.yaml") -> Document:
    """Parse YAML text that must load."""
    return parse_yaml(text.encode("utf-8"), file)


def product_yaml(pid: str, editions: str, *, extra: str = "", currency: str = "USD") -> str:
    """A product file with neutral required keys, `extra` top-level lines (like `lacks: [...]`), and the
    given `editions:` block (see `edition_yaml`)."""
    return (f"id: {pid}\nvendor: V {pid}\nproduct: P {pid}\nurl: https://example.com\nas_of: 2026-09\n"
            f"deployment: saas\nlicense: proprietary\ncurrency: {currency}\n{extra}editions:\n{editions}")


def edition_yaml(name: str, per_user_month: float, features: str, includes: str = "") -> str:
    """One edition of a product file, priced per user per month, with a `features:` list in flow style."""
    inherit = f"    includes: {includes}\n" if includes else ""
    return (f"  {name}:\n    name: {name.title()}\n{inherit}    price: {{per_user_month: {per_user_month}}}\n"
            f"    features: {features}\n")


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write `{relative path: text}` below `root` (creating folders) and return `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def b2b_strategy_only(tmp_path: Path) -> Path:
    """A strategy folder with the shipped b2b distributor's strategy.yaml and no requirements files yet."""
    folder = tmp_path / "plan"
    folder.mkdir()
    shutil.copy(SHIPPED_STRATEGIES / "b2b-distributor" / "strategy.yaml", folder / "strategy.yaml")
    return folder


def copy_design_catalog(target: Path) -> Path:
    """A writable copy of the DESIGN example catalogue, for tests that change one file of it."""
    shutil.copytree(DESIGN_CATALOG, target)
    return target


@pytest.fixture(scope="session")
def design_catalog() -> Catalog:
    """The catalogue built from the DESIGN.md examples."""
    return load_catalog(DESIGN_CATALOG, today=DESIGN_TODAY)


@pytest.fixture(scope="session")
def shipped_catalog() -> Catalog:
    """The embedded catalogue (catalog/ of this repository)."""
    return load_catalog()
