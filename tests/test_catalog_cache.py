"""The cache of validated catalogue files: same results, rebuilt when stale or corrupt."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import DESIGN_CATALOG

from vendormatch.files.catalog import check_catalog, load_catalog
from vendormatch.files.catalog_cache import cache_path

LATER = date(2028, 6, 1)  # the DESIGN example's as_of 2026-09 is stale by then: a located warning


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VENDORMATCH_CACHE_DIR", str(tmp_path / "cache"))
    return Path(shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog"))


def test_a_cached_load_gives_the_same_catalogue_and_diagnostics(catalog_dir: Path) -> None:
    fresh = check_catalog(catalog_dir, today=LATER)
    first = check_catalog(catalog_dir, today=LATER, cache=True)
    assert cache_path(catalog_dir).is_file()
    cached = check_catalog(catalog_dir, today=LATER, cache=True)
    assert fresh.catalog is not None and cached.catalog is not None
    assert fresh.catalog.products == first.catalog.products == cached.catalog.products  # type: ignore[union-attr]
    assert fresh.catalog.features == cached.catalog.features
    # The stale-facts warning is located by re-reading positions only for the file that needs them.
    assert fresh.diagnostics == first.diagnostics == cached.diagnostics
    assert [(d.line, d.column, d.code) for d in cached.diagnostics] == [(5, 8, "as-of-stale")]


def test_a_changed_file_is_read_again(catalog_dir: Path) -> None:
    load_catalog(catalog_dir, cache=True)
    product = catalog_dir / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("per_user_month: 15", "per_user_month: 17"))
    stat = product.stat()
    os.utime(product, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    price = load_catalog(catalog_dir, cache=True).products["acme-crm"].editions["starter"].price
    assert price is not None and price.per_user_month == 17


def test_a_corrupt_cache_is_ignored_and_rebuilt(catalog_dir: Path) -> None:
    expected = load_catalog(catalog_dir, cache=True).products
    cache_path(catalog_dir).write_bytes(b"{not json")
    assert load_catalog(catalog_dir, cache=True).products == expected
    assert cache_path(catalog_dir).read_bytes().startswith(b"{\"version\"")


def test_an_error_in_a_cached_file_is_reported_the_same(catalog_dir: Path) -> None:
    product = catalog_dir / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("license: proprietary", "licence: proprietary"))
    first = check_catalog(catalog_dir, cache=True, today=LATER)
    again = check_catalog(catalog_dir, cache=True, today=LATER)
    assert first.catalog is None and again.catalog is None
    assert first.diagnostics == again.diagnostics
    assert any(d.code == "unknown-key" and "did you mean 'license'" in d.message for d in again.diagnostics)
