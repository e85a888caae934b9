"""Every rule that issue 3 asks `vendormatch validate` for: a passing and a failing example each,
with the exact file, line and column, run through `validate()` as the command runs it.

The examples are one small catalogue and one strategy, written out below; each case changes a few
words of them. `RULES` lists the issue's rules with the diagnostic codes that report them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from conftest import write_tree

from vendormatch.files.catalog import load_catalog
from vendormatch.files.loader import DEFAULT_LIMITS, Limits, load_yaml
from vendormatch.files.strategy import check_strategy
from vendormatch.files.strategy_rules import RequirementSource, StrategySources, unavailable_musts
from vendormatch.lint.validate import validate

TODAY = date(2026, 10, 1)

FEATURES = """\
features:
  contact-management:
    name: Contact management
    aliases: [address book, client list]
  opportunity-pipeline:
    name: Opportunity pipeline
    category: sales
  mobile-app:
    name: Mobile app
  telephony:
    name: Telephony and call logging
    aliases: [log calls]
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
    price: {per_user_month: 40}
    features: [mobile-app]
add_ons:
  voice:
    name: Voice
    price: {per_user_month: 12}
    editions: [pro]
    features: [telephony]
"""

STRATEGY = """\
organisation: Northwind Traders
currency: USD
horizon_years: 3
exchange_rates: {EUR: 1.08}
users: {sales: 12, service: 6}
objectives:
  repeat-business: {statement: Grow revenue from returning customers,
    kpi: share of revenue from returning customers,
    weight: 5}
  single-view: {statement: Every department sees the same record,
    kpi: duplicate records found in the quarterly audit}
requirements:
  - id: log-calls-mobile
    text: Reps log calls from their phone
    objective: repeat-business
    department: sales
    priority: must
    features: [mobile-app, telephony]
  - id: one-record
    text: Service and sales see the same customer history
    objective: single-view
    department: service
    priority: should
"""

F = "catalog/features.yaml"
P = "catalog/vendors/acme.yaml"
S = "strategy.yaml"
BASE = {F: FEATURES, P: PRODUCT, S: STRATEGY}

# The issue's rules, each with the codes of the diagnostics that report it.
RULES: dict[str, tuple[str, ...]] = {
    "yaml": (
        "syntax", "duplicate-key", "unsafe-tag", "bad-tag", "alias-bomb", "unknown-alias", "too-deep",
        "too-many-nodes", "file-too-large", "not-utf8", "nul-byte", "bad-character", "multiple-documents",
        "empty-key", "complex-key", "bad-merge", "empty",
    ),
    "schema": ("unknown-key", "wrong-type", "missing-key", "bad-value"),
    "unknown-feature": ("unknown-feature",),
    "unknown-edition": ("unknown-edition",),
    "unknown-objective": ("unknown-objective", "missing-objective"),
    "unknown-department": ("unknown-department",),
    "includes-cycle": ("includes-cycle",),
    "duplicate-id": ("duplicate-id", "duplicate-feature"),
    "product-id-file": ("product-id-file",),
    "near-duplicate-feature": ("near-duplicate-feature",),
    "price": ("bad-value", "price-bounds"),
    "unknown-currency": ("unknown-currency",),
    "missing-exchange-rate": ("missing-exchange-rate",),
    "as-of": ("as-of-stale", "as-of-future"),
    "objective-unused": ("objective-unused",),
    "must-unavailable": ("must-unavailable",),
    "department-without-users": ("department-without-users",),
    "unknown-kind": ("unknown-kind",),
}

# (file, line, column, severity, code, words the message contains)
Expected = tuple[str, int, int, str, str, str]


@dataclass(frozen=True)
class Case:
    """The example files with a few edits, the paths validated, and what validating them finds."""

    rule: str
    label: str
    edits: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    paths: tuple[str, ...] = ("catalog", S)
    limits: Limits = DEFAULT_LIMITS
    today: date = TODAY
    expected: tuple[Expected, ...] = ()

    def files(self) -> dict[str, str]:
        texts = dict(BASE)
        for name, edits in self.edits.items():
            for old, new in edits:
                assert old in texts[name], (name, old)
                texts[name] = texts[name].replace(old, new, 1)
        return {**texts, **self.extra}


def product(*edits: tuple[str, str]) -> dict[str, tuple[tuple[str, str], ...]]:
    return {P: edits}


def features(*edits: tuple[str, str]) -> dict[str, tuple[tuple[str, str], ...]]:
    return {F: edits}


def strategy(*edits: tuple[str, str]) -> dict[str, tuple[tuple[str, str], ...]]:
    return {S: edits}


FOLDER_STRATEGY = STRATEGY.split("requirements:\n", maxsplit=1)[0]
SALES = """\
requirements:
  - id: log-calls-mobile
    text: Reps log calls from their phone
    objective: repeat-business
    priority: must
    features: [mobile-app, telephony]
"""
SERVICE = """\
requirements:
  - id: one-record
    text: Service and sales see the same customer history
    objective: single-view
"""
FOLDER = {"northwind/strategy.yaml": FOLDER_STRATEGY, "northwind/requirements/sales.yaml": SALES,
          "northwind/requirements/service.yaml": SERVICE}

CASES = [
    # -- YAML syntax and the loader's rejections -----------------------------------------------
    Case("yaml", "pass: anchors, aliases and a merge key",
         edits=product(("    price: {per_user_month: 15, max_users: 10}", "    price: &p {per_user_month: 15, max_users: 10}"),
                       ("    price: {per_user_month: 40}", "    price: {<<: *p, max_users: 20}"))),
    Case("yaml", "pass: a BOM and CRLF line ends", extra={P: "\ufeff" + PRODUCT.replace("\n", "\r\n")}),
    Case("yaml", "fail: a mapping value where a scalar goes on",
         edits=product(("product: Acme CRM", "product: Acme CRM\n  vendor: Acme")),
         expected=((P, 4, 9, "error", "syntax", "mapping values are not allowed"),)),
    Case("yaml", "fail: a key twice", edits=product(("currency: USD\n", "currency: USD\ncurrency: EUR\n")),
         expected=((P, 9, 1, "error", "duplicate-key", "duplicate key 'currency' (first defined at line 8, column 1)"),)),
    Case("yaml", "fail: a Python tag", edits=product(("vendor: Acme Software", "vendor: !!python/object/apply:os.system [ls]")),
         expected=((P, 2, 9, "error", "unsafe-tag", "python/object/apply:os.system"),)),
    Case("yaml", "fail: a plain-type tag on a value it does not fit", edits=product(("max_users: 10", "max_users: !!int ten")),
         expected=((P, 12, 44, "error", "bad-tag", "'ten' is not a valid !!int"),)),
    Case("yaml", "fail: aliases past the bound",
         edits=product(("    features: [contact-management, opportunity-pipeline]",
                        "    features: &f [contact-management, opportunity-pipeline]"),
                       ("    features: [mobile-app]", "    features: *f")),
         limits=Limits(max_alias_nodes=2),
         expected=((P, 18, 15, "error", "alias-bomb", "more than 2 nodes"),)),
    Case("yaml", "fail: an alias with no anchor", edits=product(("    features: [mobile-app]", "    features: *core")),
         expected=((P, 18, 15, "error", "unknown-alias", "'*core'"),)),
    Case("yaml", "fail: nesting past the limit", limits=Limits(max_depth=3), paths=(P,),
         expected=((P, 12, 12, "error", "too-deep", "deeper than 3 levels"),)),
    Case("yaml", "fail: more values than the limit", limits=Limits(max_nodes=40), paths=(P,),
         expected=((P, 17, 12, "error", "too-many-nodes", "more than 40 values"),)),
    Case("yaml", "fail: a file over the size limit", limits=Limits(max_bytes=200), paths=(P,),
         expected=((P, 1, 1, "error", "file-too-large", "over the 200-byte limit"),)),
    Case("yaml", "fail: Latin-1, not UTF-8", extra={P: PRODUCT.replace("Acme Software", "Acme Soci\udce9t\udce9")},
         expected=((P, 2, 18, "error", "not-utf8", "byte 0xe9 is not valid UTF-8"),)),
    Case("yaml", "fail: a NUL byte", edits=product(("Acme CRM", "Acme\x00CRM")),
         expected=((P, 3, 14, "error", "nul-byte", "NUL byte"),)),
    Case("yaml", "fail: a control character", edits=product(("Acme CRM", "Acme\x07CRM")),
         expected=((P, 3, 14, "error", "bad-character", "#x0007"),)),
    Case("yaml", "fail: two documents", edits=product(("editions:", "---\neditions:")),
         expected=((P, 9, 1, "error", "multiple-documents", "second YAML document"),)),
    Case("yaml", "fail: an empty key", edits=product(("license: proprietary", "'': proprietary")),
         expected=((P, 7, 1, "error", "empty-key", "a mapping key is empty"),)),
    Case("yaml", "fail: a list as a key", edits=product(("license: proprietary", "? [a, b]\n: proprietary")),
         expected=((P, 7, 3, "error", "complex-key", "must be a plain name"),)),
    Case("yaml", "fail: a merge key on a scalar", edits=product(("    price: {per_user_month: 40}", "    price: {<<: 40}")),
         expected=((P, 17, 17, "error", "bad-merge", "needs a mapping"),)),
    Case("yaml", "fail: an empty product file", extra={P: "# to do\n"},
         expected=((P, 1, 1, "error", "empty", "the file is empty"),)),
    # -- schema ---------------------------------------------------------------------------------
    Case("schema", "pass: every optional key of a product",
         edits=product(("license: proprietary", "license: proprietary\nnotes: n\nsources: [s]\nintegrates_with: []"))),
    Case("schema", "fail: a misspelt key, with a did-you-mean", edits=product(("vendor:", "vender:")),
         expected=((P, 1, 1, "error", "missing-key", "missing required key 'vendor'"),
                   (P, 2, 1, "error", "unknown-key", "unknown key 'vender'; did you mean 'vendor'?"))),
    Case("schema", "fail: text where a number goes", edits=product(("{per_user_month: 40}", "{per_user_month: forty}")),
         expected=((P, 17, 29, "error", "wrong-type", "expected a number, got 'forty'"),)),
    Case("schema", "fail: a required key left out", edits=strategy(("horizon_years: 3\n", "")),
         expected=((S, 1, 1, "error", "missing-key", "missing required key 'horizon_years'"),)),
    Case("schema", "fail: a value not among the choices", edits=product(("deployment: saas", "deployment: cloud")),
         expected=((P, 6, 13, "error", "bad-value", "'cloud' is not one of 'saas', 'self-hosted' or 'both'"),)),
    # -- references, each with a did-you-mean ---------------------------------------------------
    Case("unknown-feature", "pass: a feature given in part",
         edits=product(("opportunity-pipeline]", "{feature: opportunity-pipeline, level: 0.5, note: no stages}]"))),
    Case("unknown-feature", "fail: a typo in an edition", edits=product(("features: [mobile-app]", "features: [mobile-ap]")),
         expected=((P, 1, 5, "warning", "feature-undeclared", "1 of 4 features have no stance and read as unknown: "
                    "mobile-app"),
                   (P, 18, 16, "error", "unknown-feature", "unknown feature 'mobile-ap'; did you mean 'mobile-app'?"))),
    Case("unknown-feature", "fail: a typo in a strategy's pinned features",
         edits=strategy(("[mobile-app, telephony]", "[mobile-app, telefony]")),
         expected=((S, 18, 28, "error", "unknown-feature", "unknown feature 'telefony'; did you mean 'telephony'?"),)),
    Case("unknown-edition", "pass: an add-on for two editions", edits=product(("editions: [pro]", "editions: [starter, pro]"))),
    Case("unknown-edition", "fail: includes a typo", edits=product(("includes: starter", "includes: startr")),
         expected=((P, 16, 15, "error", "unknown-edition", "unknown edition 'startr'; did you mean 'starter'?"),)),
    Case("unknown-edition", "fail: an add-on names an unknown edition", edits=product(("editions: [pro]", "editions: [prof]")),
         expected=((P, 23, 16, "error", "unknown-edition", "unknown edition 'prof'; did you mean 'pro'?"),)),
    Case("unknown-objective", "pass: both objectives used"),
    Case("unknown-objective", "fail: an objective misspelt",
         edits=strategy(("objective: single-view", "objective: single-veiw")),
         expected=((S, 10, 3, "warning", "objective-unused", "'single-view' has no requirement"),
                   (S, 21, 16, "error", "unknown-objective", "unknown objective 'single-veiw'; did you mean 'single-view'?"))),
    Case("unknown-objective", "fail: no objective", edits=strategy(("    objective: single-view\n", "")),
         expected=((S, 10, 3, "warning", "objective-unused", "'single-view' has no requirement"),
                   (S, 19, 5, "error", "missing-objective", "requirement 'one-record' names no objective"))),
    Case("unknown-department", "pass: departments of the folder form default to the file's stem",
         extra=FOLDER, paths=("catalog", "northwind")),
    Case("unknown-department", "fail: a department without an entry in users",
         edits=strategy(("department: service", "department: servce")),
         expected=((S, 22, 17, "error", "unknown-department",
                    "'servce', which has no entry in `users`; did you mean 'service'?"),)),
    # -- structure of the catalogue -------------------------------------------------------------
    Case("includes-cycle", "pass: a chain of three",
         edits=product(("add_ons:", "  team:\n    name: Team\n    includes: pro\nadd_ons:"))),
    Case("includes-cycle", "fail: two editions include each other",
         edits=product(("    name: Starter\n", "    name: Starter\n    includes: pro\n")),
         expected=((P, 17, 15, "error", "includes-cycle", "in a loop: pro -> starter -> pro"),)),
    Case("duplicate-id", "pass: two products, two ids",
         extra={"catalog/vendors/bcme.yaml": PRODUCT.replace("id: acme", "id: bcme")}),
    Case("duplicate-id", "fail: the same product id in two files",
         extra={"catalog/vendors/acme.yml": PRODUCT},
         expected=(("catalog/vendors/acme.yml", 1, 5, "error", "duplicate-id",
                    "already used by catalog/vendors/acme.yaml:1:5"),)),
    Case("duplicate-id", "fail: the same requirement id twice in a file",
         edits=strategy(("id: one-record", "id: log-calls-mobile")),
         expected=((S, 19, 9, "error", "duplicate-id", "'log-calls-mobile' is already used at strategy.yaml:13:9"),)),
    Case("duplicate-id", "fail: the same requirement id in two files of a folder",
         extra={**FOLDER, "northwind/requirements/service.yaml": SERVICE.replace("one-record", "log-calls-mobile")},
         paths=("catalog", "northwind"),
         expected=(("northwind/requirements/service.yaml", 2, 9, "error", "duplicate-id",
                    "already used at northwind/requirements/sales.yaml:2:9"),)),
    Case("duplicate-id", "fail: a feature twice in one edition",
         edits=product(("features: [mobile-app]", "features: [mobile-app, mobile-app]")),
         expected=((P, 18, 28, "warning", "duplicate-feature", "'mobile-app' is listed twice"),)),
    Case("product-id-file", "pass: the id is the file's stem, checked alone", paths=(P,)),
    Case("product-id-file", "fail: id and file name differ", edits=product(("id: acme", "id: acme-crm")),
         expected=((P, 1, 5, "error", "product-id-file", "rename the file to acme-crm.yaml or set id: acme"),)),
    Case("near-duplicate-feature", "pass: an alias repeating its own feature's name",
         edits=features(("[log calls]", "[log calls, telephony and call logging]"))),
    Case("near-duplicate-feature", "fail: two names nearly the same",
         edits=features(("name: Contact management", "name: Mobile apps")),
         expected=((F, 9, 11, "warning", "near-duplicate-feature", "'mobile-app' has nearly the same name as "
                                                                   "'contact-management' ('Mobile apps')"),)),
    Case("near-duplicate-feature", "fail: an alias of two features",
         edits=features(("[log calls]", "[log calls, address book]")),
         expected=((F, 12, 26, "warning", "near-duplicate-feature", "'address book' of 'telephony' is also a name or alias of "
                                                                    "'contact-management'"),)),
    Case("near-duplicate-feature", "fail: an alias nearly another feature's alias",
         edits=features(("[log calls]", "[log calls, client-lists]")),
         expected=((F, 12, 26, "warning", "near-duplicate-feature",
                    "'client-lists' of 'telephony' is nearly the same as 'client list' of 'contact-management'"),)),
    # -- prices and currencies ------------------------------------------------------------------
    Case("price", "pass: a flat plan with its users and bounds that meet",
         edits=product(("{per_user_month: 40}", "{flat_month: 300, included_users: 10, min_users: 5, max_users: 20}"))),
    Case("price", "fail: a negative price", edits=product(("{per_user_month: 40}", "{per_user_month: -40}")),
         expected=((P, 17, 29, "error", "bad-value", "must be at least 0"),)),
    Case("price", "fail: NaN", edits=product(("{per_user_month: 40}", "{per_user_month: .nan}")),
         expected=((P, 17, 29, "error", "bad-value", "got nan"),)),
    Case("price", "fail: infinity", edits=product(("{per_user_month: 40}", "{per_user_month: .inf}")),
         expected=((P, 17, 29, "error", "bad-value", "must be a finite number"),)),
    Case("price", "fail: min_users above max_users", edits=product(("max_users: 10}", "max_users: 10, min_users: 11}")),
         expected=((P, 12, 59, "error", "price-bounds", "min_users (11) is above max_users (10)"),)),
    Case("price", "pass: a flat plan for the whole organisation", edits=product(("{per_user_month: 40}", "{flat_month: 300}"))),
    Case("price", "fail: contact tiers that do not rise",
         edits=product(("{per_user_month: 40}", "{contact_tiers: [{up_to: 1000, month: 20}, {up_to: 500, month: 9}]}")),
         expected=((P, 17, 12, "error", "bad-value", "contact_tiers must rise strictly"),)),
    Case("unknown-currency", "pass: EUR with its rate", edits=product(("currency: USD", "currency: EUR"))),
    Case("unknown-currency", "fail: not an ISO 4217 code", edits=product(("currency: USD", "currency: USX")),
         expected=((P, 8, 11, "error", "unknown-currency", "'USX' is not an ISO 4217 currency code; did you mean"),)),
    Case("unknown-currency", "fail: a strategy's rate for no currency", edits=strategy(("{EUR: 1.08}", "{EUR: 1.08, EUX: 1}")),
         expected=((S, 4, 29, "error", "unknown-currency", "'EUX' is not an ISO 4217 currency code"),)),
    Case("missing-exchange-rate", "pass: no rate needed when every product is in the strategy's currency",
         edits=strategy(("exchange_rates: {EUR: 1.08}\n", ""))),
    Case("missing-exchange-rate", "fail: a product in GBP", edits=product(("currency: USD", "currency: GBP")),
         expected=((S, 4, 17, "error", "missing-exchange-rate", "no exchange rate for GBP (used by acme)"),)),
    Case("as-of", "pass: 18 months old", today=date(2028, 3, 1)),
    Case("as-of", "fail: older than 18 months", today=date(2028, 4, 1),
         expected=((P, 5, 8, "warning", "as-of-stale", "facts are 19 months old"),)),
    Case("as-of", "fail: in the future", today=date(2026, 8, 31),
         expected=((P, 5, 8, "error", "as-of-future", "as_of 2026-09 is in the future"),)),
    # -- the strategy's trace -------------------------------------------------------------------
    Case("objective-unused", "pass: a wont requirement still traces to its objective",
         edits=strategy(("priority: should", "priority: wont"))),
    Case("objective-unused", "fail: an objective with no requirement",
         edits=strategy(("  single-view: {",
                         "  lost-deals:\n    statement: Lose fewer deals\n    kpi: deals lost\n  single-view: {")),
         expected=((S, 10, 3, "warning", "objective-unused", "'lost-deals' has no requirement"),)),
    Case("must-unavailable", "pass: the must is met by an edition with an add-on it may take"),
    Case("must-unavailable", "fail: no product offers a feature in full",
         edits=product(("features: [telephony]", "features: [{feature: telephony, level: 0.5, note: log only}]")),
         expected=((S, 17, 15, "warning", "must-unavailable", "needs telephony, which no product of the catalogue offers"),)),
    Case("must-unavailable", "fail: no single bundle offers the features together",
         edits=product(("editions: [pro]", "editions: [starter]")),
         expected=((S, 17, 15, "warning", "must-unavailable", "needs mobile-app, telephony, which no single product offers "
                                                               "together in full"),)),
    Case("department-without-users", "pass: every department with requirements has users"),
    Case("department-without-users", "fail: requirements for a department of 0 users",
         edits=strategy(("service: 6", "service: 0")),
         expected=((S, 5, 29, "warning", "department-without-users", "department 'service' has requirements but 0 users"),)),
    Case("unknown-kind", "pass: a strategy file told by its content", extra={"notes/plan.yaml": STRATEGY},
         paths=("notes/plan.yaml",)),
    Case("unknown-kind", "fail: a file with none of the top-level keys", extra={"notes/plan.yaml": "title: Plan\n"},
         paths=("notes/plan.yaml",),
         expected=(("notes/plan.yaml", 1, 1, "error", "unknown-kind", "cannot tell which vendormatch file this is"),)),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}: {c.label}" for c in CASES])
def test_rule(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in case.files().items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
    result = validate(case.paths, catalog="catalog", limits=case.limits, today=case.today)
    found = [(d.file, d.line, d.column, d.severity, d.code) for d in result.diagnostics]
    assert found == [e[:5] for e in case.expected]
    for diagnostic, expected in zip(result.diagnostics, case.expected, strict=True):
        assert expected[5] in diagnostic.message, diagnostic.message
    assert result.exit_code() == (1 if any(e[3] == "error" for e in case.expected) else 0)


def test_every_rule_of_the_issue_passes_and_fails() -> None:
    for rule, codes in RULES.items():
        labels = {c.label.split(":")[0] for c in CASES if c.rule == rule}
        assert labels == {"pass", "fail"}, rule
        failed = {e[4] for c in CASES if c.rule == rule for e in c.expected}
        assert set(codes) <= failed, (rule, set(codes) - failed)
    assert {c.rule for c in CASES} == set(RULES)


def test_rule_ids_and_codes_are_kebab_case() -> None:
    kebab = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
    for rule, codes in RULES.items():
        assert kebab.match(rule), rule
        for code in codes:
            assert kebab.match(code), code
    for case in CASES:
        for expected in case.expected:
            assert kebab.match(expected[4]), expected


def test_must_unavailable_judges_the_features_a_caller_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A matcher may find the features of a requirement that pins none: the rule then judges those.
    # Here the voice add-on (telephony) goes with starter only, and only pro has the mobile app.
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {**BASE, P: PRODUCT.replace("editions: [pro]", "editions: [starter]")})
    catalog = load_catalog("catalog", today=TODAY)
    doc = load_yaml(S)
    strategy = check_strategy(S).strategy
    assert strategy is not None
    pinned = tuple(RequirementSource(req, doc, ("requirements", i)) for i, req in enumerate(strategy.requirements))
    unpinned = tuple(RequirementSource(src.requirement.model_copy(update={"features": None}), doc, src.path) for src in pinned)

    def warnings(requirements: tuple[RequirementSource, ...], matched: dict[str, tuple[str, ...]] | None) -> list[str]:
        sources = StrategySources(strategy, doc, requirements, catalog.features, catalog.products, matched)
        return [f"{d.line}:{d.column} {d.code}: {d.message}" for d in unavailable_musts(sources)]

    assert warnings(unpinned, None) == []
    assert warnings(unpinned, {"log-calls-mobile": ("contact-management", "telephony")}) == []
    # Unknown ids are left to the unknown-feature rule.
    found = warnings(unpinned, {"log-calls-mobile": ("mobile-app", "telephony", "no-such-feature")})
    assert len(found) == 1
    assert found[0].startswith("17:15 must-unavailable: must-have 'log-calls-mobile' needs mobile-app, telephony, "
                               "which no single product offers together in full")
    # A requirement the mapping does not name keeps its pinned features.
    assert len(warnings(pinned, {"one-record": ("contact-management",)})) == 1
