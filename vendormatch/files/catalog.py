"""Loading a catalogue folder: `features.yaml` plus one `vendors/<id>.yaml` per product."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from vendormatch.files.catalog_cache import CatalogCache, LazyDocument
from vendormatch.files.catalog_identity import CatalogIdentity, identify
from vendormatch.files.catalog_rules import CatalogSources, ProductSource, check_catalog_sources
from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError, has_errors, sort_diagnostics
from vendormatch.files.loader import DEFAULT_LIMITS, Document, Limits, collector_paused, parse_yaml, read_bytes
from vendormatch.files.models import Feature, FeaturesFile, Product
from vendormatch.files.schema_errors import validate_model

FEATURES_FILE = "features.yaml"
VENDORS_DIR = "vendors"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Catalog:
    """A validated catalogue: the taxonomy and the products, both keyed and sorted by id."""

    root: str
    features: Mapping[str, Feature]
    products: Mapping[str, Product]
    files: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()

    @functools.cached_property
    def identity(self) -> CatalogIdentity:
        """The catalogue's content digest and the range of its facts' dates, for reports."""
        return identify(self.features, self.products)


@dataclass(frozen=True)
class CatalogCheck:
    """Every diagnostic found in a catalogue, with the catalogue when there were no errors."""

    catalog: Catalog | None
    diagnostics: tuple[Diagnostic, ...]


def embedded_catalog_path() -> Path:
    """The default catalogue: inside the installed package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "catalog"
    if packaged.is_dir():
        return packaged
    return package.parent / "catalog"


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working folder when it lies below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def yaml_files(folder: Path, found: list[Diagnostic] | None = None) -> list[Path]:
    """The YAML files directly in a folder, sorted by name so every run reads them in one order.

    A folder that exists but cannot be listed is reported in `found` (as unreadable, exit code 2),
    not passed off as an empty one.
    """
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        if found is not None:
            what = "is not a folder" if folder.exists() and not folder.is_dir() else \
                f"cannot be read ({exc.strerror or type(exc).__name__})"
            found.append(Diagnostic(display_path(folder), 0, 0, "error", "unreadable",
                                    f"{what}; it must be a readable folder of product files"))
        return []
    return sorted(p for p in entries if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))


def _read(path: Path, limits: Limits, found: list[Diagnostic]) -> bytes | None:
    try:
        return read_bytes(path, display_path(path), limits)
    except VendormatchError as exc:
        found.extend(exc.diagnostics)
        return None


def _parse(path: Path, raw: bytes, limits: Limits, found: list[Diagnostic]) -> Document | None:
    try:
        return parse_yaml(raw, display_path(path), limits)
    except VendormatchError as exc:
        found.extend(exc.diagnostics)
        return None


_Cached = TypeVar("_Cached", FeaturesFile, Product)


def _load_file(
    path: Path, model: type[_Cached], limits: Limits, found: list[Diagnostic], cache: CatalogCache | None
) -> tuple[_Cached | None, Document | None]:
    """Read one catalogue file from the cache when it is unchanged, else parse and validate it (and cache it)."""
    raw = _read(path, limits, found)
    if raw is None:
        return None, None
    shown = display_path(path)
    entry = cache.lookup(path, raw) if cache else None
    if entry is not None:
        found.extend(d.restore(shown) for d in entry.diagnostics)
        cached = entry.features if model is FeaturesFile else entry.product
        return cached, LazyDocument(path, shown, limits)  # type: ignore[return-value]
    mine: list[Diagnostic] = []
    doc = _parse(path, raw, limits, mine)
    validated, errors = validate_model(model, doc.data, doc) if doc is not None else (None, [])
    mine.extend(errors)
    found.extend(mine)
    if cache:
        if isinstance(validated, Product):
            cache.record(path, raw, product=validated, diagnostics=mine)
        else:
            cache.record(path, raw, features=validated, diagnostics=mine)
    return validated, doc


def load_features_file(
    path: Path, limits: Limits, found: list[Diagnostic], cache: CatalogCache | None = None
) -> tuple[FeaturesFile | None, Document | None]:
    """Load and validate one `features.yaml`, adding what is wrong to `found`."""
    return _load_file(path, FeaturesFile, limits, found, cache)


def load_product_file(
    path: Path, limits: Limits, found: list[Diagnostic], cache: CatalogCache | None = None
) -> ProductSource | None:
    """Load and validate one product file, adding what is wrong to `found`."""
    product, doc = _load_file(path, Product, limits, found, cache)
    return ProductSource(product, doc, path.stem) if product is not None and doc is not None else None


def check_catalog(
    path: str | os.PathLike[str] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    today: date | None = None,
    cache: bool = False,
) -> CatalogCheck:
    """Load a catalogue folder and return every diagnostic, with the catalogue if it has no errors.

    With `cache`, files unchanged since an earlier run are read back from the user's cache
    directory instead of being parsed again (see `vendormatch.files.catalog_cache`).
    """
    root = Path(path) if path is not None else embedded_catalog_path()
    shown = display_path(root)
    if not root.is_dir():
        what = "no such folder" if not root.exists() else "is not a folder"
        raise UnreadableInputError([Diagnostic(
            shown, 0, 0, "error", "not-found",
            f"{what}; a catalogue is a folder holding {FEATURES_FILE} and {VENDORS_DIR}/",
        )])
    found: list[Diagnostic] = []
    store = CatalogCache(root) if cache else None
    features_path = root / FEATURES_FILE
    features, features_doc = None, None
    if features_path.exists() or features_path.is_symlink():
        # Anything there is read as the taxonomy: a FIFO or device is refused as unreadable, not called missing.
        features, features_doc = load_features_file(features_path, limits, found, store)
    else:
        found.append(Diagnostic(
            display_path(features_path), 0, 0, "error", "missing-file",
            f"the catalogue has no {FEATURES_FILE}: add the feature taxonomy there",
        ))
    listed = len(found)
    vendor_paths = yaml_files(root / VENDORS_DIR, found)
    if not vendor_paths and len(found) == listed:
        found.append(Diagnostic(
            display_path(root / VENDORS_DIR), 0, 0, "error", "missing-file",
            f"the catalogue has no products: add one YAML file per product under {VENDORS_DIR}/",
        ))
    with collector_paused():
        products = [p for p in (load_product_file(vp, limits, found, store) for vp in vendor_paths) if p is not None]
    if store is not None:
        store.save()
    sources = CatalogSources(features, features_doc, tuple(products), today or date.today())
    found.extend(check_catalog_sources(sources))
    diagnostics = tuple(sort_diagnostics(found))
    if has_errors(diagnostics) or features is None:
        return CatalogCheck(None, diagnostics)
    ordered = sorted(products, key=lambda s: s.product.id)
    catalog = Catalog(
        root=shown,
        features=features.features,
        products={s.product.id: s.product for s in ordered},
        files={s.product.id: s.doc.file for s in ordered},
        warnings=diagnostics,
    )
    return CatalogCheck(catalog, diagnostics)


def load_catalog(
    path: str | os.PathLike[str] | None = None, *, limits: Limits = DEFAULT_LIMITS, today: date | None = None,
    cache: bool = False,
) -> Catalog:
    """Load and validate a catalogue folder (the embedded one by default); raise on any error."""
    result = check_catalog(path, limits=limits, today=today, cache=cache)
    if result.catalog is None:
        # A file that cannot be read at all is unreadable input (exit code 2), as `validate` says it is.
        unreadable = any(d.code in ("not-found", "unreadable") and d.severity == "error" for d in result.diagnostics)
        raise (UnreadableInputError if unreadable else VendormatchError)(result.diagnostics)
    return result.catalog
