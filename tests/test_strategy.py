"""Loading strategies: the DESIGN example, the folder form, the shipped strategies, and every rule of strategy_rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from conftest import DESIGN_STRATEGY, DESIGN_TODAY, SHIPPED_STRATEGIES, copy_design_catalog, where, write_tree

from vendormatch.files.catalog import Catalog, display_path, load_catalog
from vendormatch.files.currencies import currency_suggestion
from vendormatch.files.diagnostics import UnreadableInputError, VendormatchError
from vendormatch.files.models import requirement_weight
from vendormatch.files.strategy import check_strategy, load_strategy, requirement_by_id
from vendormatch.files.strategy_rules import RULES

# -- the DESIGN example --------------------------------------------------------------------------


def test_design_strategy_loads_with_the_design_catalog(design_catalog: Catalog) -> None:
    result = check_strategy(DESIGN_STRATEGY, design_catalog)
    assert result.diagnostics == ()
    assert result.files == (display_path(DESIGN_STRATEGY),)
    strategy = result.strategy
    assert strategy is not None
    assert (strategy.organisation, strategy.currency, strategy.horizon_years, strategy.budget) == (
        "Northwind Traders", "USD", 3, 60000,
    )
    assert strategy.exchange_rates == {"EUR": 1.08}
    assert strategy.users == {"sales": 12, "service": 6, "marketing": 2, "accounts": 2}
    assert list(strategy.objectives) == ["repeat-business", "single-view"]
    assert strategy.objectives["single-view"].kpi == "duplicate or conflicting records found in the quarterly audit"
    requirements = requirement_by_id(strategy)
    assert list(requirements) == ["log-calls-mobile", "one-record"]
    calls = requirements["log-calls-mobile"]
    assert (calls.objective, calls.department, calls.priority, calls.features) == (
        "repeat-business", "sales", "must", ("mobile-app", "telephony-call-logging"),
    )
    record = requirements["one-record"]
    assert (record.priority, record.features, record.weight) == ("should", None, 4)
    # must = 3 x the objective's weight 5; the explicit weight 4 overrides the derived 3 x 2.
    assert requirement_weight(calls, strategy) == 15
    assert requirement_weight(record, strategy) == 4


def test_design_strategy_loads_without_a_catalog() -> None:
    assert load_strategy(DESIGN_STRATEGY).organisation == "Northwind Traders"


def test_design_strategy_loads_with_the_shipped_catalog(shipped_catalog: Catalog, tmp_path: Path) -> None:
    # The DESIGN example converts euros only; the shipped catalogue also prices in pounds, so the one error
    # is the missing rate, located at the strategy's rates. Only errors: whether some shipped product
    # offers the example's must-have may change with the data.
    result = check_strategy(DESIGN_STRATEGY, shipped_catalog)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [(d.line, d.code) for d in errors] == [(5, "missing-exchange-rate")]
    assert "no exchange rate for GBP" in errors[0].message
    with_pounds = tmp_path / "strategy.yaml"
    with_pounds.write_text(DESIGN_STRATEGY.read_text().replace("{EUR: 1.08}", "{EUR: 1.08, GBP: 1.27}"))
    result = check_strategy(with_pounds, shipped_catalog)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    assert result.strategy is not None


# -- the shipped strategies -------------------------------------------------------------------------

# Strategy files and folders; the lock files beside them are not strategies.
SHIPPED = sorted([
    *(p for p in SHIPPED_STRATEGIES.glob("*.yaml") if not p.name.endswith(".lock.yaml")),
    *(p for p in SHIPPED_STRATEGIES.iterdir() if p.is_dir()),
])


def test_strategies_are_shipped() -> None:
    assert SHIPPED, "strategies/ holds no strategy"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_strategy_loads_clean(path: Path, shipped_catalog: Catalog) -> None:
    result = check_strategy(path, shipped_catalog)
    assert [str(d) for d in result.diagnostics] == []
    assert result.strategy is not None
    if path.is_dir():
        written = sorted(display_path(p) for p in (path / "requirements").glob("*.yaml"))
        assert sorted(result.files[1:]) == written


# -- loading ----------------------------------------------------------------------------------------


def test_missing_strategy_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError) as info:
        check_strategy(tmp_path / "nowhere.yaml")
    found = info.value.diagnostics[0]
    assert (found.line, found.column, found.code, info.value.exit_code) == (0, 0, "not-found", 2)


def test_folder_without_strategy_yaml_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "requirements").mkdir()
    with pytest.raises(UnreadableInputError) as info:
        load_strategy(tmp_path)
    found = info.value.diagnostics[0]
    assert found.file == display_path(tmp_path / "strategy.yaml")
    assert "needs strategy.yaml" in found.message


def test_broken_strategy_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("organisation: Northwind\norganisation: Southwind\n")
    result = check_strategy(path)
    assert result.strategy is None
    assert where(result.diagnostics) == [(2, 1, "duplicate-key")]
    assert result.files == (display_path(path),)
    with pytest.raises(VendormatchError) as info:
        load_strategy(path)
    assert where(info.value.diagnostics) == [(2, 1, "duplicate-key")]


MAIN = """\
organisation: Northwind Traders
currency: USD
horizon_years: 3
users: {sales: 12, service: 6, marketing: 2}
objectives:
  repeat-business: {statement: Grow revenue from returning customers,
    kpi: share of revenue from returning customers}
"""


def test_folder_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, design_catalog: Catalog) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {
        "s/strategy.yaml": MAIN,
        "s/requirements/sales.yaml": (
            "requirements:\n"
            "  - id: log-calls\n    text: Log calls from the phone\n    objective: repeat-business\n"
            "  - id: service-handover\n    text: Hand over to service\n    objective: repeat-business\n"
            "    department: service\n"
        ),
        "s/requirements/marketing.yml": (
            "requirements:\n  - id: campaigns\n    text: Email campaigns\n    objective: repeat-business\n"
        ),
        "s/requirements/notes.txt": "not read\n",
    })
    result = check_strategy("s", design_catalog)
    assert result.diagnostics == ()
    assert result.files == ("s/strategy.yaml", "s/requirements/marketing.yml", "s/requirements/sales.yaml")
    strategy = result.strategy
    assert strategy is not None
    # Files are read in name order; a requirement's department defaults to its file's stem.
    assert [(r.id, r.department) for r in strategy.requirements] == [
        ("campaigns", "marketing"), ("log-calls", "sales"), ("service-handover", "service"),
    ]


def test_folder_form_reports_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {
        "s/strategy.yaml": MAIN.replace("horizon_years: 3", "horizon_years: three"),
        "s/requirements/sales.yaml": "requirements:\n  - id: log-calls\n    txt: Log calls\n",
        "s/requirements/service.yaml": "requirements: [\n",
    })
    result = check_strategy("s")
    assert result.strategy is None
    assert [(d.file, d.line, d.column, d.code) for d in result.diagnostics] == [
        ("s/requirements/sales.yaml", 2, 5, "missing-key"),
        ("s/requirements/sales.yaml", 3, 5, "unknown-key"),
        ("s/requirements/service.yaml", 2, 1, "syntax"),
        ("s/strategy.yaml", 3, 16, "wrong-type"),
    ]


def test_duplicate_ids_across_requirement_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    requirement = "requirements:\n  - id: one-record\n    text: Same history\n    objective: repeat-business\n"
    write_tree(tmp_path, {
        "s/strategy.yaml": MAIN,
        "s/requirements/sales.yaml": requirement,
        "s/requirements/service.yaml": requirement,
    })
    result = check_strategy("s")
    assert [(d.file, d.line, d.column, d.code) for d in result.diagnostics] == [
        ("s/requirements/service.yaml", 2, 9, "duplicate-id"),
    ]
    assert "already used at s/requirements/sales.yaml:2:9" in result.diagnostics[0].message


def test_department_from_the_file_stem_must_have_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {
        "s/strategy.yaml": MAIN,
        "s/requirements/accounts.yaml": (
            "requirements:\n  - id: invoices\n    text: See invoices\n    objective: repeat-business\n"
        ),
    })
    result = check_strategy("s")
    # No `department:` key to point at: the requirement itself is located.
    assert [(d.file, d.line, d.column, d.code) for d in result.diagnostics] == [
        ("s/requirements/accounts.yaml", 2, 5, "unknown-department"),
    ]
    assert "department 'accounts'" in result.diagnostics[0].message


def test_files_lists_every_requirement_file_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {
        "s/strategy.yaml": (
            MAIN + "requirements:\n  - id: r\n    text: t\n    objective: repeat-business\n    department: sales\n"
        ),
        "s/requirements/service.yaml": "requirements: []\n",
    })
    result = check_strategy("s")
    assert result.diagnostics == ()
    assert result.files == ("s/strategy.yaml", "s/requirements/service.yaml")


# -- the rules, one passing and one failing example each ---------------------------------------------

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
  single-view: {statement: Every department sees the same customer record,
    kpi: duplicate records found in the quarterly audit}
requirements:
  - id: log-calls-mobile
    text: Sales reps log calls and notes from their phone
    objective: repeat-business
    department: sales
    priority: must
    features: [mobile-app, telephony-call-logging]
  - id: one-record
    text: Service sees the same customer history
    objective: single-view
    department: service
"""

CatalogKind = Literal["design", "eur", "split", "none"]
# (line, column, severity, code, words in the message); the file is always strategy.yaml.
Expected = tuple[int, int, str, str, str]


@dataclass(frozen=True)
class Case:
    """STRATEGY with a few edits, checked against one catalogue, and what the check finds."""

    rule: str
    label: str
    edits: tuple[tuple[str, str], ...] = ()
    catalog: CatalogKind = "design"
    expected: tuple[Expected, ...] = ()

    def text(self) -> str:
        text = STRATEGY
        for old, new in self.edits:
            assert old in text, old
            text = text.replace(old, new, 1)
        return text


CASES = [
    Case("objectives", "pass: a wont requirement still traces its objective",
         edits=(("    department: service\n", "    department: service\n    priority: wont\n"),)),
    Case("objectives", "fail: an unknown objective", edits=(("objective: repeat-business", "objective: repeat-busines"),),
         expected=(
             (7, 3, "warning", "objective-unused", "objective 'repeat-business' has no requirement"),
             (15, 16, "error", "unknown-objective",
              "names unknown objective 'repeat-busines'; did you mean 'repeat-business'?; known: repeat-business, single-view"),
         )),
    Case("objectives", "fail: no objective", edits=(("    objective: single-view\n", ""),),
         expected=(
             (10, 3, "warning", "objective-unused", "objective 'single-view' has no requirement"),
             (19, 5, "error", "missing-objective", "requirement 'one-record' names no objective"),
         )),
    Case("objectives", "fail: an objective without a KPI",
         edits=(("    kpi: duplicate records found in the quarterly audit}", "    weight: 1}"),),
         expected=((10, 3, "warning", "objective-without-kpi", "objective 'single-view' has no `kpi`: say how"),)),
    Case("objectives", "fail: an objective nothing traces to",
         edits=(("requirements:\n",
                 "  lost-opportunity:\n    statement: Lose fewer deals\n    kpi: deals lost\nrequirements:\n"),),
         expected=((12, 3, "warning", "objective-unused", "objective 'lost-opportunity' has no requirement"),)),
    Case("departments", "pass: a department with no users and no requirements",
         edits=(("users: {sales: 12, service: 6}", "users: {sales: 12, service: 6, marketing: 0}"),)),
    Case("departments", "fail: an unknown department", edits=(("department: service", "department: servce"),),
         expected=((22, 17, "error", "unknown-department",
                    "department 'servce', which has no entry in `users`; did you mean 'service'?"),)),
    Case("departments", "fail: no department", edits=(("    department: service\n", ""),),
         expected=((19, 5, "error", "missing-department", "requirement 'one-record' names no department"),)),
    Case("departments", "fail: requirements but no users", edits=(("service: 6", "service: 0"),),
         expected=((5, 29, "warning", "department-without-users", "department 'service' has requirements but 0 users"),)),
    Case("departments", "fail: nobody uses the system", edits=(("{sales: 12, service: 6}", "{sales: 0, service: 0}"),),
         expected=(
             (5, 8, "error", "no-users", "the strategy has no users"),
             (5, 16, "warning", "department-without-users", "department 'sales'"),
             (5, 28, "warning", "department-without-users", "department 'service'"),
         )),
    Case("duplicate-id", "pass: ids differ only in text", edits=(("text: Service sees", "text: Sales reps see"),)),
    Case("duplicate-id", "fail: an id used twice", edits=(("id: one-record", "id: log-calls-mobile"),),
         expected=((19, 9, "error", "duplicate-id",
                    "requirement id 'log-calls-mobile' is already used at strategy.yaml:13:9"),)),
    Case("currencies", "pass: a EUR catalogue with a EUR rate", catalog="eur"),
    Case("currencies", "fail: a transposed currency code is read as the common currency it spells",
         edits=(("currency: USD", "currency: UDS"),), catalog="none",
         expected=((2, 11, "error", "unknown-currency", "'UDS' is not an ISO 4217 currency code; did you mean 'USD'?"),)),
    Case("currencies", "fail: a rate entered the wrong way round", catalog="eur",
         edits=(("currency: USD", "currency: SEK"), ("{EUR: 1.08}", "{EUR: 0.0894}")),
         expected=((4, 23, "warning", "exchange-rate-suspect",
                    "exchange rate 0.0894 looks the wrong way round: it is close to EUR per SEK, while the rate wanted "
                    "is SEK per EUR; SEK per EUR was about 11.19 on 2025-02-28"),)),
    Case("currencies", "pass: a rate near parity is not judged for its direction", edits=(("{EUR: 1.08}", "{EUR: 0.93}"),),
         catalog="eur"),
    Case("currencies", "fail: a rate more than three times away", edits=(("{EUR: 1.08}", "{EUR: 10.8}"),), catalog="eur",
         expected=((4, 23, "warning", "exchange-rate-suspect", "exchange rate 10.8 is more than 3 times away"),)),
    Case("currencies", "fail: the strategy's currency is not ISO 4217",
         edits=(("currency: USD", "currency: XXY"),), catalog="none",
         expected=((2, 11, "error", "unknown-currency", "'XXY' is not an ISO 4217 currency code"),)),
    Case("currencies", "fail: an exchange rate's currency is not ISO 4217",
         edits=(("{EUR: 1.08}", "{EUR: 1.08, QQQ: 2}"),),
         expected=((4, 29, "error", "unknown-currency", "'QQQ' is not an ISO 4217 currency code"),)),
    Case("currencies", "fail: no rate for a product's currency", edits=(("{EUR: 1.08}", "{GBP: 1.3}"),), catalog="eur",
         expected=((4, 17, "error", "missing-exchange-rate",
                    "no exchange rate for EUR (used by acme-crm); add `exchange_rates: {EUR: <USD per EUR>}`"),)),
    Case("currencies", "fail: no exchange_rates at all", edits=(("exchange_rates: {EUR: 1.08}\n", ""),), catalog="eur",
         expected=((2, 11, "error", "missing-exchange-rate", "no exchange rate for EUR"),)),
    Case("unknown-feature", "pass: pinned ids are only checked against a catalogue",
         edits=(("[mobile-app,", "[mobile-ap,"),), catalog="none"),
    Case("unknown-feature", "fail: a pinned id the catalogue lacks", edits=(("[mobile-app,", "[mobile-ap,"),),
         expected=((18, 16, "error", "unknown-feature", "unknown feature 'mobile-ap'; did you mean 'mobile-app'?"),)),
    Case("must-unavailable", "pass: a should on a feature offered in part",
         edits=(("priority: must\n    features: [mobile-app, telephony-call-logging]",
                 "priority: should\n    features: [reports-dashboards]"),)),
    Case("must-unavailable", "pass: a must met by an edition with an add-on it may take"),
    Case("must-unavailable", "fail: a must whose features no single bundle offers together", catalog="split",
         expected=((17, 15, "warning", "must-unavailable",
                    "needs mobile-app, telephony-call-logging, which no single product offers together in full"),)),
    Case("must-unavailable", "fail: a must on a feature only offered in part",
         edits=(("features: [mobile-app, telephony-call-logging]", "features: [mobile-app, reports-dashboards]"),),
         expected=((17, 15, "warning", "must-unavailable",
                    "must-have 'log-calls-mobile' needs reports-dashboards, which no product of the catalogue offers in full"),)),
    Case("cost-range", "pass: a million users", catalog="eur",
         edits=(("{sales: 12, service: 6}", "{sales: 1000000, service: 6}"),)),
    Case("cost-range", "fail: millions of users at a rate typed with extra zeros", catalog="eur",
         edits=(("{sales: 12, service: 6}", "{sales: 9000000, service: 6}"), ("{EUR: 1.08}", "{EUR: 900000}")),
         expected=((4, 23, "warning", "exchange-rate-suspect", "exchange rate 900000 is more than 3 times away"),
                   (5, 1, "error", "cost-out-of-range",
                    "9,000,006 users over 3 years would make acme-crm's edition 'professional' cost USD 1.43e+16, "
                    "over the 100,000,000,000,000 up to which costs are compared exactly"),)),
    Case("licensing", "pass: users by year, light users, a department that uses one product, estimates",
         edits=(("users: {sales: 12, service: 6}",
                 "users: {sales: [12, 15, 18], service: 6}\nlight_users: {service: [2, 4]}\n"
                 "uses: {service: [acme-crm]}\ncontacts: [5000, 8000]\n"
                 "costs: [{kind: implementation, product: acme-crm, one_time: 9000},\n"
                 "        {kind: hosting, deployment: self-hosted, monthly: 150}]"),)),
    Case("licensing", "fail: more light users than users, and more yearly figures than years",
         edits=(("users: {sales: 12, service: 6}",
                 "users: {sales: [12, 15, 18, 20], service: 6}\nlight_users: {service: [2, 7]}"),),
         expected=((5, 16, "error", "years-beyond-horizon", "users.sales gives 4 yearly figures but the horizon is 3"),
                   (6, 24, "error", "light-users-exceed", "department 'service' has 7 light users in year 2 but only 6"))),
    Case("licensing", "fail: a department with requirements uses no CRM, an estimate for an unknown product",
         edits=(("users: {sales: 12, service: 6}",
                 "users: {sales: 12, service: 6}\nuses: {service: none}\n"
                 "costs: [{kind: migration, product: acme-crn, one_time: 500}]"),),
         expected=((6, 17, "error", "uses-none-with-requirements", "department 'service' has requirements but `uses: none`"),
                   (7, 36, "error", "unknown-product", "cost estimate names product 'acme-crn'"))),
]


@pytest.fixture(scope="module")
def catalogs(design_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Catalog | None]:
    eur = copy_design_catalog(tmp_path_factory.mktemp("eur") / "catalog")
    product = eur / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("currency: USD ", "currency: EUR "))
    eur_catalog = load_catalog(eur, today=DESIGN_TODAY)
    assert eur_catalog.products["acme-crm"].currency == "EUR"
    # Voice (telephony) only with the team edition, which lacks mobile-app: each feature is offered, never both.
    split = copy_design_catalog(tmp_path_factory.mktemp("split") / "catalog")
    product = split / "vendors" / "acme-crm.yaml"
    text = product.read_text()
    assert "editions: [professional]" in text
    product.write_text(text.replace("editions: [professional]", "editions: [team]"))
    split_catalog = load_catalog(split, today=DESIGN_TODAY)
    return {"design": design_catalog, "eur": eur_catalog, "split": split_catalog, "none": None}


def test_every_rule_has_passing_and_failing_cases() -> None:
    assert {c.rule for c in CASES} == set(RULES)
    for rule in RULES:
        assert {c.label.split(":")[0] for c in CASES if c.rule == rule} == {"pass", "fail"}, rule


def test_every_rule_has_a_docstring() -> None:
    for rule in RULES.values():
        assert rule.__doc__ and rule.__doc__.strip()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}: {c.label}" for c in CASES])
def test_strategy_rule(case: Case, catalogs: dict[str, Catalog | None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "strategy.yaml").write_text(case.text())
    result = check_strategy("strategy.yaml", catalogs[case.catalog])
    assert {d.file for d in result.diagnostics} <= {"strategy.yaml"}
    assert [(d.line, d.column, d.severity, d.code) for d in result.diagnostics] == [e[:4] for e in case.expected]
    for diagnostic, expected in zip(result.diagnostics, case.expected, strict=True):
        assert expected[4] in diagnostic.message
    errors = any(e[2] == "error" for e in case.expected)
    assert (result.strategy is None) == errors


def test_a_mistyped_currency_is_read_as_the_common_code_it_spells() -> None:
    # GPB had suggested EGP: one letter away, but no one types GBP that way.
    assert [currency_suggestion(c) for c in ("GPB", "UDS", "ERU", "eur", "GBX", "QQQ")] == [
        "GBP", "USD", "EUR", "EUR", "GBP", None]
