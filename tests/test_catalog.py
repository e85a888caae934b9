"""Loading catalogues: the DESIGN example, the shipped catalogue, and every cross-file rule of catalog_rules."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from conftest import DESIGN_CATALOG, DESIGN_TODAY, REPO, SHIPPED_CATALOG, where, write_tree

from vendormatch.files.catalog import Catalog, check_catalog, display_path, embedded_catalog_path, load_catalog, yaml_files
from vendormatch.files.catalog_rules import RULES
from vendormatch.files.diagnostics import UnreadableInputError, VendormatchError
from vendormatch.files.loader import Limits

# -- the DESIGN example --------------------------------------------------------------------------


def test_design_catalog_loads_without_diagnostics() -> None:
    result = check_catalog(DESIGN_CATALOG, today=DESIGN_TODAY)
    assert result.diagnostics == ()
    catalog = result.catalog
    assert catalog is not None
    assert list(catalog.products) == ["acme-crm"]
    assert catalog.warnings == ()
    assert catalog.files == {"acme-crm": display_path(DESIGN_CATALOG / "vendors" / "acme-crm.yaml")}
    assert catalog.root == display_path(DESIGN_CATALOG)


def test_design_catalog_contents(design_catalog: Catalog) -> None:
    features = design_catalog.features
    assert list(features)[:2] == ["contact-management", "telephony-call-logging"]
    assert features["telephony-call-logging"].aliases == ("click to call", "CTI", "log calls", "screen pop")
    assert features["contact-management"].description == "Store people and organisations with their details and history."
    acme = design_catalog.products["acme-crm"]
    assert (acme.vendor, acme.product, acme.as_of, acme.deployment, acme.currency) == (
        "Acme Software", "Acme CRM", "2026-09", "saas", "USD",
    )
    assert list(acme.editions) == ["starter", "professional", "team"]
    assert acme.editions["professional"].includes == "starter"
    pro_price = acme.editions["professional"].price
    assert pro_price is not None
    assert (pro_price.per_user_month, pro_price.billing, pro_price.min_users, pro_price.one_time) == (49, "annual", 3, 1500)
    reports = acme.editions["professional"].features[1]
    assert (reports.feature, reports.level, reports.note) == ("reports-dashboards", 0.5, "standard reports only")
    assert acme.add_ons["voice"].editions == ("professional",)
    assert acme.add_ons["onboarding"].editions is None


# -- the shipped catalogue -----------------------------------------------------------------------


def test_embedded_catalog_is_the_repository_catalog() -> None:
    assert embedded_catalog_path() == SHIPPED_CATALOG


def test_shipped_catalog_has_no_errors_today() -> None:
    # Errors (as_of in the future included) checked against the real date: stale facts only warn.
    result = check_catalog()
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    assert result.catalog is not None


def test_shipped_catalog_has_no_warnings_at_its_own_date(shipped_catalog: Catalog) -> None:
    # Warnings checked at the month of the newest facts, so the test does not age with the calendar:
    # a product more than 18 months older than the newest one still shows up here.
    newest = max(p.as_of for p in shipped_catalog.products.values())
    year, month = (int(x) for x in newest.split("-")[:2])
    result = check_catalog(today=date(year, month, 1))
    assert result.diagnostics == ()


def test_shipped_catalog_has_every_vendor_file(shipped_catalog: Catalog) -> None:
    stems = sorted(p.stem for p in (SHIPPED_CATALOG / "vendors").glob("*.yaml"))
    assert len(stems) == 50
    assert list(shipped_catalog.products) == stems
    for product_id in stems:
        assert shipped_catalog.files[product_id] == display_path(SHIPPED_CATALOG / "vendors" / f"{product_id}.yaml")


def test_shipped_catalog_references_resolve(shipped_catalog: Catalog) -> None:
    # Restates unknown-feature over the real data, as a guard that the rule ran on all of it.
    for product in shipped_catalog.products.values():
        for edition in product.editions.values():
            assert all(ref.feature in shipped_catalog.features for ref in edition.features)
            assert edition.includes is None or edition.includes in product.editions
        for add_on in product.add_ons.values():
            assert all(ref.feature in shipped_catalog.features for ref in add_on.features)


# -- loading ------------------------------------------------------------------------------------


def test_missing_folder_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError) as info:
        check_catalog(tmp_path / "nowhere")
    found = info.value.diagnostics[0]
    assert (found.line, found.column, found.code) == (0, 0, "not-found")
    assert found.message.startswith("no such folder")
    assert info.value.exit_code == 2


def test_a_file_is_not_a_catalogue(tmp_path: Path) -> None:
    (tmp_path / "features.yaml").write_text("features: {}\n")
    with pytest.raises(UnreadableInputError) as info:
        load_catalog(tmp_path / "features.yaml")
    assert info.value.diagnostics[0].message.startswith("is not a folder")


def test_empty_folder_lacks_both_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = check_catalog(".")
    assert result.catalog is None
    assert [(d.file, d.line, d.column, d.code) for d in result.diagnostics] == [
        ("features.yaml", 0, 0, "missing-file"),
        ("vendors", 0, 0, "missing-file"),
    ]


def test_every_broken_file_is_reported_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {
        "features.yaml": "features:\n  crm:\n    name: CRM\n    colour: red\n",
        "vendors/a.yaml": "id: a\nid: b\n",
        "vendors/b.yaml": "id: b\n",
        "vendors/notes.txt": "not yaml: [\n",
        "vendors/.hidden.yaml": "not yaml: [\n",
    })
    with pytest.raises(VendormatchError) as info:
        load_catalog(".")
    found = info.value.diagnostics
    assert [(d.file, d.line, d.column, d.code) for d in found[:2]] == [
        ("features.yaml", 4, 5, "unknown-key"),
        ("vendors/a.yaml", 2, 1, "duplicate-key"),
    ]
    # vendors/b.yaml is missing every required key but `id`, each reported at the file's start.
    assert {(d.file, d.line, d.column, d.code) for d in found[2:]} == {("vendors/b.yaml", 1, 1, "missing-key")}
    assert sorted(d.message.split("'")[1] for d in found[2:]) == [
        "as_of", "currency", "deployment", "editions", "license", "product", "url", "vendor",
    ]
    assert str(info.value).startswith("features.yaml:4:5: error unknown key 'colour'")


def test_limits_reach_every_file() -> None:
    with pytest.raises(VendormatchError) as info:
        load_catalog(DESIGN_CATALOG, limits=Limits(max_bytes=100), today=DESIGN_TODAY)
    assert [(Path(d.file).name, d.code) for d in info.value.diagnostics] == [
        ("features.yaml", "file-too-large"), ("acme-crm.yaml", "file-too-large"),
    ]


def test_products_are_sorted_by_id(tmp_path: Path) -> None:
    files = {"features.yaml": FEATURES}
    for stem in ("zeta", "alpha", "mid"):
        files[f"vendors/{stem}.yaml"] = PRODUCT.replace("id: acme", f"id: {stem}")
    catalog = load_catalog(write_tree(tmp_path, files), today=DESIGN_TODAY)
    assert list(catalog.products) == ["alpha", "mid", "zeta"]


def test_yaml_files(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "c.txt", ".d.yaml", "e.YAML"):
        (tmp_path / name).write_text("x: 1\n")
    assert [p.name for p in yaml_files(tmp_path)] == ["a.yml", "b.yaml"]
    assert yaml_files(tmp_path / "missing") == []


def test_display_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert display_path(REPO / "catalog" / "features.yaml") == os.path.join("catalog", "features.yaml")
    assert display_path(tmp_path / "x.yaml") == str(tmp_path / "x.yaml")


# -- the cross-file rules, one passing and one failing example each --------------------------------

FEATURES = """\
features:
  contact-management:
    name: Contact management
    aliases: [address book]
  opportunity-pipeline:
    name: Opportunity pipeline
    category: sales
  mobile-app:
    name: Mobile app
"""

PRODUCT = """\
id: acme
vendor: Acme Software
product: Acme CRM
url: https://example.com/pricing
as_of: 2026-09
deployment: saas
license: proprietary
currency: USD
editions:
  starter:
    name: Starter
    price: {per_user_month: 15, max_users: 10}
    features: [contact-management, opportunity-pipeline]
  pro:
    name: Pro
    includes: starter
    features: [mobile-app]
add_ons:
  voice:
    name: Voice
    price: {per_user_month: 12}
    editions: [pro]
    features: [mobile-app]
"""

# (file, line, column, severity, code, words in the message)
Expected = tuple[str, int, int, str, str, str]


@dataclass(frozen=True)
class Case:
    """A catalogue that differs from FEATURES + PRODUCT by a few edits, and what checking it finds."""

    rule: str
    label: str
    product: tuple[tuple[str, str], ...] = ()
    features: tuple[tuple[str, str], ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    stem: str = "acme"
    today: date = DESIGN_TODAY
    expected: tuple[Expected, ...] = ()

    def files(self) -> dict[str, str]:
        product, features = PRODUCT, FEATURES
        for old, new in self.product:
            assert old in product, old
            product = product.replace(old, new, 1)
        for old, new in self.features:
            assert old in features, old
            features = features.replace(old, new, 1)
        return {"features.yaml": features, f"vendors/{self.stem}.yaml": product, **self.extra}


A = "vendors/acme.yaml"
# The last lines of PRODUCT: what the stance cases append to.
TAIL = "    editions: [pro]\n    features: [mobile-app]\n"
CASES = [
    Case("product-id-file", "pass: the id equals the file's stem"),
    Case("product-id-file", "fail: id differs from the file name", product=(("id: acme", "id: acme-crm"),),
         expected=((A, 1, 5, "error", "product-id-file", "differs from the file name 'acme'"),)),
    Case("duplicate-id", "pass: two products, two ids", extra={"vendors/bcme.yaml": PRODUCT.replace("id: acme", "id: bcme")}),
    Case("duplicate-id", "fail: a second file reuses the id", extra={"vendors/bcme.yaml": PRODUCT},
         expected=(
             ("vendors/bcme.yaml", 1, 5, "error", "duplicate-id", "already used by vendors/acme.yaml:1:5"),
             ("vendors/bcme.yaml", 1, 5, "error", "product-id-file", "differs from the file name 'bcme'"),
         )),
    Case("unknown-feature", "pass: a known feature with a level",
         product=(("features: [mobile-app]\nadd_ons",
                   "features: [{feature: mobile-app, level: 0.5, note: read only}]\nadd_ons"),)),
    Case("unknown-feature", "fail: a typo in an edition",
         product=(("features: [mobile-app]\nadd_ons", "features: [mobile-ap]\nadd_ons"),),
         expected=((A, 17, 16, "error", "unknown-feature", "unknown feature 'mobile-ap'; did you mean 'mobile-app'?"),)),
    Case("unknown-feature", "fail: a typo in an add-on",
         product=(("editions: [pro]\n    features: [mobile-app]", "editions: [pro]\n    features: [voip]"),),
         expected=((A, 23, 16, "error", "unknown-feature", "unknown feature 'voip'"),)),
    Case("duplicate-feature", "pass: the same feature in two editions",
         product=(("features: [mobile-app]\nadd_ons", "features: [mobile-app, contact-management]\nadd_ons"),)),
    Case("duplicate-feature", "fail: listed twice in one edition",
         product=(("[contact-management, opportunity-pipeline]",
                   "[contact-management, opportunity-pipeline, {feature: contact-management, level: 0.5, note: x}]"),),
         expected=((A, 13, 58, "warning", "duplicate-feature", "'contact-management' is listed twice"),)),
    Case("unknown-edition", "pass: an add-on for every edition", product=(("editions: [pro]", "editions: [starter, pro]"),)),
    Case("unknown-edition", "fail: includes a typo", product=(("includes: starter", "includes: startr"),),
         expected=((A, 16, 15, "error", "unknown-edition",
                    "edition 'pro' includes unknown edition 'startr'; did you mean 'starter'?; known: pro, starter"),)),
    Case("unknown-edition", "fail: an add-on names an unknown edition", product=(("editions: [pro]", "editions: [pro, team]"),),
         expected=((A, 22, 21, "error", "unknown-edition", "add-on 'voice' names unknown edition 'team'; known: pro, starter"),)),
    Case("includes-cycle", "pass: a chain of three",
         product=(("add_ons:", "  team:\n    name: Team\n    includes: pro\nadd_ons:"),)),
    Case("includes-cycle", "fail: two editions include each other",
         product=(("    name: Starter\n", "    name: Starter\n    includes: pro\n"),),
         expected=((A, 17, 15, "error", "includes-cycle", "in a loop: pro -> starter -> pro"),)),
    Case("includes-cycle", "fail: an edition includes itself", product=(("includes: starter", "includes: pro"),),
         expected=((A, 16, 15, "error", "includes-cycle", "in a loop: pro -> pro"),)),
    Case("price-bounds", "pass: bounds that meet",
         product=(("{per_user_month: 15, max_users: 10}",
                   "{flat_month: 15, included_users: 10, min_users: 10, max_users: 10}"),)),
    Case("price-bounds", "fail: min_users above max_users",
         product=(("{per_user_month: 15, max_users: 10}", "{per_user_month: 15, min_users: 12, max_users: 10}"),),
         expected=((A, 12, 44, "error", "price-bounds", "min_users (12) is above max_users (10)"),)),
    Case("price-bounds", "fail: included_users above max_users",
         product=(("{per_user_month: 15, max_users: 10}", "{flat_month: 15, included_users: 12, max_users: 10}"),),
         expected=((A, 12, 45, "error", "price-bounds", "included_users (12) is above max_users (10)"),)),
    Case("price-bounds", "pass: a flat edition price for the whole organisation, whatever its users",
         product=(("{per_user_month: 15, max_users: 10}", "{flat_month: 15}"),)),
    Case("price-bounds", "fail: included_users on an add-on",
         product=(("{per_user_month: 12}", "{per_user_month: 12, included_users: 3}"),),
         expected=((A, 21, 49, "warning", "price-bounds", "included_users has no meaning on an add-on"),)),
    Case("price-bounds", "fail: min_users on an add-on",
         product=(("{per_user_month: 12}", "{per_user_month: 12, min_users: 3}"),),
         expected=((A, 21, 44, "warning", "price-bounds", "min_users has no meaning on an add-on"),)),
    Case("unknown-currency", "pass: EUR", product=(("currency: USD", "currency: EUR"),)),
    Case("unknown-currency", "fail: not an ISO 4217 code", product=(("currency: USD", "currency: USX"),),
         expected=((A, 8, 11, "error", "unknown-currency", "'USX' is not an ISO 4217 currency code"),)),
    Case("as-of", "pass: the same month", today=date(2026, 9, 1)),
    Case("as-of", "pass: exactly 18 months old", today=date(2028, 3, 31)),
    Case("as-of", "fail: in the future", today=date(2026, 8, 31),
         expected=((A, 5, 8, "error", "as-of-future", "as_of 2026-09 is in the future"),)),
    Case("as-of", "fail: 19 months old", today=date(2028, 4, 1),
         expected=((A, 5, 8, "warning", "as-of-stale", "facts are 19 months old (as_of 2026-09)"),)),
    Case("unknown-product", "pass: integrates with another product of the catalogue",
         product=(("add_ons:", "integrates_with: [bcme]\nadd_ons:"),),
         extra={"vendors/bcme.yaml": PRODUCT.replace("id: acme", "id: bcme")}),
    Case("unknown-product", "fail: integrates with an unknown product",
         product=(("add_ons:", "integrates_with: [acme, bcme]\nadd_ons:"),),
         expected=((A, 18, 25, "error", "unknown-product", "unknown product 'bcme'; did you mean 'acme'?"),)),
    Case("near-duplicate-feature", "pass: an alias repeating its own feature's name",
         features=(("name: Mobile app\n", "name: Mobile app\n    aliases: [mobile app, Mobile App]\n"),)),
    Case("near-duplicate-feature", "fail: nearly the same name",
         features=(("name: Mobile app\n", "name: Mobile app\n  mobile-apps:\n    name: Mobile apps\n"),),
         expected=(("features.yaml", 11, 11, "warning", "near-duplicate-feature",
                    "feature 'mobile-apps' has nearly the same name as 'mobile-app' ('Mobile app')"),
                   (A, 1, 5, "warning", "feature-undeclared", "1 of 4 features have no stance"))),
    Case("near-duplicate-feature", "fail: an alias of two features",
         features=(("name: Mobile app\n", "name: Mobile app\n    aliases: [Address Book]\n"),),
         expected=(("features.yaml", 10, 15, "warning", "near-duplicate-feature",
                    "alias 'Address Book' of 'mobile-app' is also a name or alias of 'contact-management'"),)),
    Case("near-duplicate-feature", "fail: an alias equal to another feature's name",
         features=(("name: Mobile app\n", "name: Mobile app\n    aliases: [contact management]\n"),),
         expected=(("features.yaml", 10, 15, "warning", "near-duplicate-feature",
                    "is also a name or alias of 'contact-management'"),)),
    # -- stances: every feature accounted for once -----------------------------------------------
    Case("stance-unknown-feature", "pass: a known feature declared absent",
         features=(("  mobile-app:\n", "  sandbox:\n    name: Sandbox\n  mobile-app:\n"),),
         product=((TAIL, TAIL + "lacks: [sandbox]\n"),)),
    Case("stance-unknown-feature", "fail: a typo under lacks",
         product=((TAIL, TAIL + "lacks: [telepathy]\n"),),
         expected=((A, 24, 9, "error", "unknown-feature", "unknown feature 'telepathy'"),)),
    Case("stance-conflict", "pass: third-party only, and a priced app for the same feature",
         features=(("  mobile-app:\n", "  sandbox:\n    name: Sandbox\n  mobile-app:\n"),),
         product=((TAIL, TAIL + "  sandy:\n    name: Sandy\n"
                   "    provider: Sandy Ltd\n    features: [sandbox]\nthird_party: [{feature: sandbox, apps: [Sandy]}]\n"),)),
    Case("stance-conflict", "fail: offered and known absent",
         product=((TAIL, TAIL + "lacks: [mobile-app]\n"),),
         expected=((A, 24, 9, "error", "stance-conflict", "'mobile-app' is declared absent here but offered at 17:16"),)),
    Case("stance-conflict", "fail: unknown in an edition that includes it",
         product=(("includes: starter\n", "includes: starter\n    unknown: [contact-management]\n"),),
         expected=((A, 17, 15, "error", "stance-conflict",
                    "'contact-management' is listed as unknown in edition 'pro', which already offers it"),)),
    Case("feature-undeclared", "pass: every feature has a stance"),
    Case("feature-undeclared", "fail: a feature no part of the file names",
         features=(("  mobile-app:\n", "  sandbox:\n    name: Sandbox\n  mobile-app:\n"),),
         expected=((A, 1, 5, "warning", "feature-undeclared",
                    "1 of 4 features have no stance and read as unknown: sandbox; list each"),)),
    Case("partial-without-note", "pass: a partial level that says what is missing",
         product=(("features: [mobile-app]\nadd_ons",
                   "features: [{feature: mobile-app, level: 0.5, note: no offline}]\nadd_ons"),)),
    Case("partial-without-note", "fail: a partial level with no note",
         product=(("features: [mobile-app]\nadd_ons", "features: [{feature: mobile-app, level: 0.5}]\nadd_ons"),),
         expected=((A, 17, 16, "warning", "partial-without-note", "'mobile-app' is offered at level 0.5 with no note"),)),
    Case("end-of-life-past", "pass: an end of life still ahead",
         product=((TAIL, TAIL + "end_of_life: 2027-06\n"
                   "lifecycle_source: https://example.com/retirement\n"),)),
    Case("end-of-life-past", "fail: an end of life that has passed",
         product=((TAIL, TAIL + "end_of_life: 2026-01-31\n"
                   "lifecycle_source: https://example.com/retirement\n"),),
         expected=((A, 24, 14, "warning", "end-of-life-past", "end_of_life 2026-01-31 has passed while the catalogue "
                    "still offers the product"),)),
    Case("lifecycle-order", "pass: end of sale before end of life",
         product=((TAIL, TAIL + "end_of_sale: 2026-12\nend_of_life: 2027-06\nlifecycle_source: https://example.com/r\n"),)),
    Case("lifecycle-order", "fail: end of sale after end of life",
         product=((TAIL, TAIL + "end_of_sale: 2027-09\nend_of_life: 2027-06\nlifecycle_source: https://example.com/r\n"),),
         expected=((A, 24, 14, "warning", "lifecycle-order", "end_of_sale 2027-09 is after end_of_life 2027-06"),)),
    Case("seat-buckets-over-max", "pass: buckets within max_users",
         product=(("{per_user_month: 15, max_users: 10}", "{per_user_month: 15, max_users: 10, seat_buckets: [5, 10]}"),)),
    Case("seat-buckets-over-max", "fail: a bucket above max_users",
         product=(("{per_user_month: 15, max_users: 10}", "{per_user_month: 15, max_users: 10, seat_buckets: [5, 20]}"),),
         expected=((A, 12, 62, "warning", "seat-buckets-over-max", "seat bucket 20 is above max_users 10"),)),
    Case("end-of-life-past", "fail: an edition's end of life that has passed",
         product=(("    includes: starter\n", "    includes: starter\n    end_of_life: 2026-02\n"),
                  (TAIL, TAIL + "lifecycle_source: https://example.com/retirement\n")),
         expected=((A, 17, 18, "warning", "end-of-life-past", "edition 'pro'"),)),
]


def test_every_rule_has_passing_and_failing_cases() -> None:
    assert {c.rule for c in CASES} == set(RULES)
    for rule in RULES:
        kinds = {c.label.split(":")[0] for c in CASES if c.rule == rule}
        assert kinds == {"pass", "fail"}, rule


def test_every_rule_has_a_docstring() -> None:
    for rule in RULES.values():
        assert rule.__doc__ and rule.__doc__.strip()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}: {c.label}" for c in CASES])
def test_catalog_rule(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, case.files())
    result = check_catalog(".", today=case.today)
    found = [(d.file, d.line, d.column, d.severity, d.code) for d in result.diagnostics]
    assert found == [e[:5] for e in case.expected]
    for diagnostic, expected in zip(result.diagnostics, case.expected, strict=True):
        assert expected[5] in diagnostic.message
    errors = any(e[3] == "error" for e in case.expected)
    assert (result.catalog is None) == errors
    if result.catalog is not None:
        assert result.catalog.warnings == result.diagnostics


def test_yml_product_file_named_after_its_id(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"features.yaml": FEATURES, "vendors/acme.yml": PRODUCT})
    catalog = load_catalog(root, today=DESIGN_TODAY)
    assert list(catalog.products) == ["acme"]


def test_unknown_features_are_not_checked_when_features_yaml_is_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One located error for the broken taxonomy, not one per feature reference.
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"features.yaml": "features: [\n", "vendors/acme.yaml": PRODUCT})
    result = check_catalog(".", today=DESIGN_TODAY)
    assert where(result.diagnostics) == [(2, 1, "syntax")]
