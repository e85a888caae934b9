"""What-if settings (`--set PATH=VALUE`): applied to real strategies, re-validated, and every bad one named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_tree

from vendormatch.analysis.whatif import apply_settings, settable_paths
from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.diagnostics import VendormatchError
from vendormatch.files.models import Strategy, requirement_weight
from vendormatch.files.strategy import load_strategy
from vendormatch.solve.shortlist import shortlist

FEATURES = """\
features:
  contacts: {name: Contacts}
  pipeline: {name: Pipeline}
  tickets: {name: Tickets}
"""

STRATEGY = """\
organisation: Test Ltd
currency: USD
horizon_years: 1
budget: 50000
exchange_rates: {EUR: 1.5}
users: {sales: 4, service: 1}
objectives:
  grow: {statement: Grow, kpi: growth, weight: 2}
  serve: {statement: Serve, kpi: service level, weight: 1}
requirements:
  - {id: see-contacts, text: t, objective: grow, department: sales, priority: must, features: [contacts]}
  - {id: see-pipeline, text: t, objective: grow, department: sales, priority: should, features: [pipeline]}
  - {id: answer-tickets, text: t, objective: serve, department: service, priority: could, features: [tickets]}
"""


def product(pid: str, editions: str, currency: str = "USD") -> str:
    """A product file with the given editions block."""
    return (f"id: {pid}\nvendor: V {pid}\nproduct: P {pid}\nurl: https://example.com\nas_of: 2026-09\n"
            f"deployment: saas\nlicense: proprietary\ncurrency: {currency}\neditions:\n{editions}")


# `small` covers everything but seats at most 10 users; `big` misses tickets and seats anyone.
SMALL = product("small", "  team:\n    name: Team\n    price: {per_user_month: 10, max_users: 10}\n"
                         "    features: [contacts, pipeline, tickets]\n")
# Each declares what it lacks, so that loading them warns of nothing.
BIG = product("big", "  all:\n    name: All\n    price: {per_user_month: 30}\n    features: [contacts, pipeline]\n"
              ) + "lacks: [tickets]\n"
EURO = product("euro", "  one:\n    name: One\n    price: {per_user_month: 40}\n    features: [contacts]\n", "EUR"
               ) + "lacks: [pipeline, tickets]\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """A catalogue of small, big and euro, and the strategy; their paths."""
    write_tree(tmp_path, {
        "catalog/features.yaml": FEATURES, "strategy.yaml": STRATEGY,
        "catalog/vendors/small.yaml": SMALL, "catalog/vendors/big.yaml": BIG, "catalog/vendors/euro.yaml": EURO,
    })
    return tmp_path / "catalog", tmp_path / "strategy.yaml"


@pytest.fixture
def strategy(files: tuple[Path, Path]) -> Strategy:
    """The strategy as loaded against its catalogue."""
    catalog_dir, strategy_path = files
    return load_strategy(strategy_path, load_catalog(catalog_dir))


def messages(strategy: Strategy, *settings: str) -> list[str]:
    """The rendered diagnostics of settings that must be rejected."""
    with pytest.raises(VendormatchError) as info:
        apply_settings(strategy, settings)
    return [str(d) for d in info.value.diagnostics]


def test_every_kind_of_setting_changes_what_it_names(strategy: Strategy) -> None:
    changed = apply_settings(strategy, [
        "users.sales=30", "horizon_years=5", "budget=80000", "min_department_coverage=0.6",
        "exchange_rates.EUR=1.1", "exchange_rates.GBP=1.3", "objectives.serve.weight=2.5",
        "requirements.answer-tickets.priority=must", "requirements.see-pipeline.weight=7",
    ])
    assert changed.users == {"sales": 30, "service": 1}
    assert (changed.horizon_years, changed.budget, changed.min_department_coverage) == (5, 80000, 0.6)
    assert changed.exchange_rates == {"EUR": 1.1, "GBP": 1.3}
    assert changed.objectives["serve"].weight == 2.5
    by_id = {r.id: r for r in changed.requirements}
    assert by_id["answer-tickets"].priority == "must"
    assert requirement_weight(by_id["answer-tickets"], changed) == 2.5 * 3
    assert by_id["see-pipeline"].weight == 7
    # Everything not named is untouched, and the original is unchanged (models are frozen).
    assert changed.organisation == strategy.organisation and changed.objectives["grow"] == strategy.objectives["grow"]
    assert strategy.users == {"sales": 4, "service": 1}


def test_none_removes_an_optional_value_and_later_settings_win(strategy: Strategy) -> None:
    assert apply_settings(strategy, ["budget=none"]).budget is None
    assert apply_settings(strategy, ["budget=null"]).budget is None
    assert apply_settings(strategy, ["budget = ~"]).budget is None
    explicit = apply_settings(strategy, ["requirements.see-pipeline.weight=7", "requirements.see-pipeline.weight=none"])
    assert next(r for r in explicit.requirements if r.id == "see-pipeline").weight is None
    assert apply_settings(strategy, ["budget=1", "budget=2"]).budget == 2
    assert apply_settings(strategy, []) is strategy


def test_values_are_yaml_scalars(strategy: Strategy) -> None:
    # 1e3 is a number in YAML 1.2 (a string in 1.1); 0x10 is hexadecimal.
    assert apply_settings(strategy, ["budget=1e3"]).budget == 1000
    assert apply_settings(strategy, ["users.sales=0x10"]).users["sales"] == 16


def test_a_setting_changes_the_ranking_users_push_a_product_over_its_max_users(files: tuple[Path, Path]) -> None:
    catalog_dir, strategy_path = files
    catalog = load_catalog(catalog_dir)
    strategy = load_strategy(strategy_path, catalog)
    before = shortlist(strategy, catalog)
    assert [r.product for r in before.rankings] == ["small", "big", "euro"]
    after = shortlist(apply_settings(strategy, ["users.sales=30"]), catalog)
    assert [r.product for r in after.rankings] == ["big", "euro"]
    small = next(e for e in after.excluded if e.product == "small")
    assert small.reasons == ("31 users is more than any edition allows (the largest takes 10)",)
    # Costs follow the horizon and the exchange rate: 5 users x 40 EUR x 12 months x 2 years x 1.2.
    longer = shortlist(apply_settings(strategy, ["horizon_years=2", "exchange_rates.EUR=1.2"]), catalog)
    assert next(r for r in longer.rankings if r.product == "euro").cost_total == pytest.approx(5 * 40 * 24 * 1.2)
    # A budget that only the cheapest fits.
    tight = shortlist(apply_settings(strategy, ["budget=700"]), catalog)
    assert [r.product for r in tight.rankings] == ["small"]


def test_settable_paths_list_what_the_strategy_has(strategy: Strategy) -> None:
    assert settable_paths(strategy) == [
        "horizon_years", "budget", "min_department_coverage", "users.sales", "users.service", "exchange_rates.EUR",
        "objectives.grow.weight", "objectives.serve.weight",
        "requirements.see-contacts.priority", "requirements.see-contacts.weight",
        "requirements.see-pipeline.priority", "requirements.see-pipeline.weight",
        "requirements.answer-tickets.priority", "requirements.answer-tickets.weight",
    ]


SETTABLE = ("(settable: horizon_years, budget, min_department_coverage, users.<department> (sales, service), "
            "exchange_rates.<currency>, objectives.<objective>.weight (grow, serve), "
            "requirements.<requirement>.priority|weight (see-contacts, see-pipeline, answer-tickets)) (unknown-setting)")

BAD_SETTINGS = [
    ("users.salse=30", "users.salse=30: unknown setting 'users.salse': the strategy has no department 'salse'; "
                       f"did you mean 'sales'? {SETTABLE}"),
    ("users.finance=2", f"users.finance=2: unknown setting 'users.finance': the strategy has no department 'finance' {SETTABLE}"),
    ("horizon=5", f"horizon=5: unknown setting 'horizon'; did you mean 'horizon_years'? {SETTABLE}"),
    ("user.sales=3", f"user.sales=3: unknown setting 'user.sales'; did you mean 'users'? {SETTABLE}"),
    ("organisation=Other", f"organisation=Other: unknown setting 'organisation' {SETTABLE}"),
    ("users=3", f"users=3: unknown setting 'users': name the department, like users.<department> {SETTABLE}"),
    ("users.sales.count=3", f"users.sales.count=3: unknown setting 'users.sales.count': write users.<department>=VALUE "
                            f"{SETTABLE}"),
    ("objectives.grow.wieght=3", "objectives.grow.wieght=3: unknown setting 'objectives.grow.wieght': an objective "
                                 f"has weight to set; did you mean 'weight'? {SETTABLE}"),
    ("objectives.grwo.weight=3", "objectives.grwo.weight=3: unknown setting 'objectives.grwo.weight': the strategy has "
                                 f"no objective 'grwo'; did you mean 'grow'? {SETTABLE}"),
    ("requirements.see-pipelin.priority=must",
     "requirements.see-pipelin.priority=must: unknown setting 'requirements.see-pipelin.priority': the strategy has no "
     f"requirement 'see-pipelin'; did you mean 'see-pipeline'? {SETTABLE}"),
    ("requirements.see-pipeline.text=x", "requirements.see-pipeline.text=x: unknown setting "
                                         "'requirements.see-pipeline.text': a requirement has priority and weight to set "
                                         f"{SETTABLE}"),
    ("exchange_rates.eur=1", "exchange_rates.eur=1: unknown setting 'exchange_rates.eur': 'eur' is not an ISO 4217 "
                             f"currency code; did you mean 'EUR'? {SETTABLE}"),
    ("exchange_rates.XYZ=1", "exchange_rates.XYZ=1: unknown setting 'exchange_rates.XYZ': 'XYZ' is not an ISO 4217 "
                             f"currency code {SETTABLE}"),
    ("budget", "'budget' is not a setting: write PATH=VALUE, like users.sales=30 or budget=none (bad-setting)"),
    ("=5", "'=5' is not a setting: write PATH=VALUE, like users.sales=30 or budget=none (bad-setting)"),
    ("horizon_years=abc", "horizon_years=abc: expected a number, got 'abc' (wrong-type)"),
    ("horizon_years=none", "horizon_years=none: expected a number, got nothing (null or an empty value) (wrong-type)"),
    ("horizon_years=45", "horizon_years=45: must be at most 30, got 45 (bad-value)"),
    ("budget=-1", "budget=-1: must be at least 0, got -1 (bad-value)"),
    ("budget=.inf", "budget=.inf: must be a finite number, got inf (bad-value)"),
    ("users.sales=3.5", "users.sales=3.5: expected a whole number, got 3.5 (wrong-type)"),
    ("users.sales=true", "users.sales=true: expected a whole number, got true (wrong-type)"),
    ("users.sales=none", "users.sales=none: expected a whole number, got nothing (null or an empty value) (wrong-type)"),
    ("min_department_coverage=2", "min_department_coverage=2: must be at most 1, got 2 (bad-value)"),
    ("objectives.grow.weight=0", "objectives.grow.weight=0: must be at least 0.001, got 0 (bad-value)"),
    ("exchange_rates.EUR=-1", "exchange_rates.EUR=-1: must be at least 0.000001, got -1 (bad-value)"),
    ("requirements.see-pipeline.priority=mus",
     "requirements.see-pipeline.priority=mus: 'mus' is not one of 'must', 'should', 'could' or 'wont'; "
     "did you mean 'must'? (bad-value)"),
    ("requirements.see-pipeline.weight=heavy",
     "requirements.see-pipeline.weight=heavy: expected a number, got 'heavy' (wrong-type)"),
]


@pytest.mark.parametrize(("setting", "message"), BAD_SETTINGS, ids=[s for s, _ in BAD_SETTINGS])
def test_every_bad_setting_is_named_with_how_to_fix_it(strategy: Strategy, setting: str, message: str) -> None:
    assert messages(strategy, setting) == [f"--set:0:0: error {message}"]


def test_all_bad_settings_are_reported_together(strategy: Strategy) -> None:
    found = messages(strategy, "budget=-1", "users.sales=30", "horizon=5")
    assert [m.split(": error ")[1].split(":")[0] for m in found] == ["budget=-1", "horizon=5"]


def test_shortlist_set_option_changes_the_ranking(files: tuple[Path, Path]) -> None:
    catalog_dir, strategy_path = files
    runner = CliRunner()
    base = ["shortlist", str(strategy_path), "--catalog", str(catalog_dir), "--format", "json", "--no-lock"]
    before = runner.invoke(cli, base)
    after = runner.invoke(cli, [*base, "--set", "users.sales=30", "--set", "budget=none"])
    assert before.exit_code == 0 and after.exit_code == 0, (before.stderr, after.stderr)
    assert json.loads(before.stdout)["rankings"][0]["product"] == "small"
    data = json.loads(after.stdout)
    assert [r["product"] for r in data["rankings"]] == ["big", "euro"]
    assert (data["strategy"]["total_users"], data["strategy"]["budget"]) == (31, None)


def test_shortlist_reports_a_bad_setting_and_exits_2_like_any_bad_option(files: tuple[Path, Path]) -> None:
    catalog_dir, strategy_path = files
    result = CliRunner().invoke(cli, ["shortlist", str(strategy_path), "--catalog", str(catalog_dir), "--no-lock",
                                      "--set", "users.salse=30"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("--set:0:0: error users.salse=30: unknown setting 'users.salse': the strategy has "
                                    "no department 'salse'; did you mean 'sales'?")
