"""`explain()` and `vendormatch explain`: gaps with what closes them, and what brings an excluded product back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHIPPED_STRATEGIES, write_tree

from vendormatch.analysis.explain import Explanation, explain
from vendormatch.cli.commands import cli
from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.diagnostics import VendormatchError
from vendormatch.files.strategy import load_strategy
from vendormatch.report.explain_formats import format_explanation_text
from vendormatch.solve.scoring import bundle_cost, bundle_levels, weighted_score
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements, shortlist

FEATURES = """\
features:
  contacts: {name: Contacts}
  pipeline: {name: Pipeline}
  tickets: {name: Tickets}
  phone: {name: Phone calls}
"""


def product(pid: str, editions: str, add_ons: str = "") -> str:
    """A product file with the given editions (and add-ons) blocks."""
    text = (f"id: {pid}\nvendor: V {pid}\nproduct: P {pid}\nurl: https://example.com\nas_of: 2026-09\n"
            f"deployment: saas\nlicense: proprietary\ncurrency: USD\neditions:\n{editions}")
    return text + (f"add_ons:\n{add_ons}" if add_ons else "")


PRODUCTS = {
    # Edition two adds tickets: the budget keeps the optimiser on edition one.
    "basic": product("basic", "  one:\n    name: One\n    price: {per_user_month: 10}\n    features: [contacts, pipeline]\n"
                              "  two:\n    name: Two\n    includes: one\n    price: {per_user_month: 25}\n"
                              "    features: [tickets]\n"),
    # Tickets only in part from the edition; an add-on gives them in full.
    "addy": product("addy", "  e:\n    name: E\n    price: {per_user_month: 9}\n"
                            "    features: [contacts, pipeline, {feature: tickets, level: 0.5}]\n",
                    "  help:\n    name: Help desk\n    price: {per_user_month: 15}\n    features: [tickets]\n"
                    "  calls:\n    name: Calls\n    price: {flat_month: 5}\n    features: [phone]\n"),
    # Only the pro edition seats 5 users: 1,300 for the must-have, over a budget of 700.
    "full": product("full", "  lite:\n    name: Lite\n    price: {per_user_month: 5, max_users: 3}\n    features: [contacts]\n"
                            "  pro:\n    name: Pro\n    includes: lite\n    price: {per_user_month: 20, one_time: 100}\n"
                            "    features: [pipeline]\n",
                    "  desk:\n    name: Desk\n    price: {flat_month: 30}\n    editions: [pro]\n    features: [tickets]\n"),
    # Known to lack contacts (a must-have): excluded. Phone is undeclared, so unknown.
    "nothing": product("nothing",
                       "  e:\n    name: E\n    price: {per_user_month: 1}\n    features: [pipeline, tickets]\n")
    + "lacks:\n  - {feature: contacts, source: https://example.com/nothing-docs}\n",
    "small": product("small",
                     "  solo:\n    name: Solo\n    price: {per_user_month: 5, max_users: 2}\n    features: [contacts]\n"),
    "halfdesk": product("halfdesk", "  e:\n    name: E\n    price: {per_user_month: 2}\n"
                                    "    features: [contacts, {feature: tickets, level: 0.3}]\n"),
}

STRATEGY = """\
organisation: Test Ltd
currency: USD
horizon_years: 1
budget: 700
users: {{sales: 4, service: 1}}
{extra}objectives:
  grow: {{statement: Grow, kpi: revenue, weight: 2}}
requirements:
  - {{id: see-contacts, text: t, objective: grow, department: sales, priority: must, features: [contacts]}}
  - {{id: see-pipeline, text: t, objective: grow, department: sales, priority: should, features: [pipeline]}}
  - {{id: answer-tickets, text: t, objective: grow, department: service, priority: should, features: [tickets]}}
  - {{id: log-calls, text: t, objective: grow, department: sales, priority: could, features: [phone]}}
"""


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, Path]:
    """A catalogue of the products above and the strategy (weights: must 6, shoulds 4, could 2; 16 in all)."""
    files = {"catalog/features.yaml": FEATURES, "strategy.yaml": STRATEGY.format(extra="")}
    files.update({f"catalog/vendors/{pid}.yaml": text for pid, text in PRODUCTS.items()})
    write_tree(tmp_path, files)
    return tmp_path / "catalog", tmp_path / "strategy.yaml"


def run(catalog_dir: Path, strategy_path: Path, product_id: str, budget: float | None = None) -> Explanation:
    catalog = load_catalog(catalog_dir)
    return explain(load_strategy(strategy_path, catalog), catalog, product_id, budget=budget)


def test_an_edition_upgrade_closes_a_gap_at_its_extra_cost(case: tuple[Path, Path]) -> None:
    e = run(*case, "basic")
    assert e.status == "ranked" and e.ranking is not None
    assert (e.ranking.rank, e.ranked, e.ranking.edition, e.ranking.cost_total) == (2, 3, "one", 600.0)
    tickets, calls = e.gaps
    assert tickets.requirement == "answer-tickets" and tickets.missing == ("tickets",)
    assert tickets.fix is not None
    assert (tickets.fix.edition_before, tickets.fix.edition, tickets.fix.add_ons_added) == ("one", "two", ())
    # Two costs 25 x 5 x 12 = 1,500: 900 more than one, over the budget of 700.
    assert (tickets.fix.cost_total, tickets.fix.extra_cost, tickets.fix.within_budget) == (1500.0, 900.0, False)
    assert [(c.requirement, c.before, c.after) for c in tickets.fix.raises] == [("answer-tickets", 0.0, 1.0)]
    assert tickets.fix.lowers == ()
    assert tickets.note == "upgrade one -> two closes it"
    # basic's file does not declare phone: its stance is unknown, and the note says so.
    assert (calls.requirement, calls.fix, calls.note) == (
        "log-calls", None, "the catalogue does not know whether basic offers phone: ask the vendor")


def test_an_add_on_closes_a_partial_gap(case: tuple[Path, Path]) -> None:
    e = run(*case, "addy")
    assert e.ranking is not None
    assert (e.ranking.rank, e.ranking.edition, e.ranking.add_ons) == (1, "e", ("calls",))
    (gap,) = e.gaps
    assert (gap.requirement, gap.level) == ("answer-tickets", 0.5)
    assert gap.fix is not None
    assert (gap.fix.edition_before, gap.fix.add_ons_added, gap.fix.add_ons_removed) == (None, ("help",), ())
    assert (gap.fix.extra_cost, gap.fix.score) == (900.0, 1.0)
    text = format_explanation_text(e)
    assert "  answer-tickets (service, should, weight 4, now 50%): short of tickets (at 50%)\n" in text
    assert "    -> add help closes it: USD 900 more (total 1,500), over budget; score 100%\n" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_an_excluded_product_needs_the_budget_of_its_cheapest_compliant_bundle(case: tuple[Path, Path]) -> None:
    e = run(*case, "full")
    assert e.status == "excluded" and e.exclusion is not None and e.remedy is not None
    assert e.exclusion.reasons == ("the cheapest bundle meeting every must-have (pro) costs USD 1,300, "
                                   "600 over the budget of 700",)
    assert (e.remedy.kind, e.remedy.budget_needed) == ("budget", 1300.0)
    assert e.remedy.ranking is not None
    assert (e.remedy.ranking.edition, e.remedy.ranking.add_ons, e.remedy.ranking.cost_total) == ("pro", (), 1300.0)
    assert e.remedy.message == ("a budget of USD 1,300 (600 more than 700); it would then rank with pro: "
                                "score 62%, USD 1,300")
    # The remedy holds: at that budget the product ranks.
    assert run(*case, "full", budget=1300).status == "ranked"


def test_an_excluded_product_names_the_must_have_it_lacks(case: tuple[Path, Path]) -> None:
    e = run(*case, "nothing")
    assert e.remedy is not None
    assert (e.remedy.kind, e.remedy.must_haves) == ("must-have", ("see-contacts",))
    assert e.remedy.ranking is not None
    # Demoted with its weight kept (6): pipeline 4 + tickets 4 of 16.
    assert e.remedy.ranking.score == 0.5
    assert e.remedy.ranking.gaps == ("see-contacts", "log-calls")
    text = format_explanation_text(e)
    assert ("Excluded: lacks must-have: see-contacts needs contacts (known absent; source: "
            "https://example.com/nothing-docs)") in " ".join(text.split())
    assert "What would bring it back: must-have see-contacts demoted to should (weight" in text


def test_too_many_users(case: tuple[Path, Path]) -> None:
    e = run(*case, "small")
    assert e.remedy is not None
    assert (e.remedy.kind, e.remedy.max_users, e.remedy.ranking) == ("users", 2, None)


def test_a_department_floor_is_lowered_to_what_the_product_reaches(tmp_path: Path) -> None:
    files = {"catalog/features.yaml": FEATURES, "catalog/vendors/halfdesk.yaml": PRODUCTS["halfdesk"],
             "strategy.yaml": STRATEGY.format(extra="min_department_coverage: 0.5\n")}
    write_tree(tmp_path, files)
    e = run(tmp_path / "catalog", tmp_path / "strategy.yaml", "halfdesk")
    assert e.remedy is not None
    assert (e.remedy.kind, e.remedy.floor_reachable) == ("department-floor", 0.3)
    assert e.remedy.ranking is not None and e.remedy.ranking.departments["service"] == 0.3


def test_every_gap_closer_does_what_it_claims(case: tuple[Path, Path]) -> None:
    """Each proposed change is re-evaluated with the pure scoring functions, apart from explain's search:
    the levels it claims to raise, its score and its cost must be what that bundle really gives."""
    catalog = load_catalog(case[0])
    strategy = load_strategy(case[1], catalog)
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    checked = 0
    for ranking in shortlist(strategy, catalog).rankings:
        e = explain(strategy, catalog, ranking.product)
        assert [g.requirement for g in e.gaps] == list(ranking.gaps)
        product = catalog.products[ranking.product]
        for gap in e.gaps:
            if gap.fix is None:
                continue
            fix = gap.fix
            levels = bundle_levels(product, fix.edition, fix.add_ons, requirements)
            assert levels[gap.requirement] > gap.level
            assert all(abs(levels[c.requirement] - c.after) < 1e-9 for c in (*fix.raises, *fix.lowers))
            assert abs(weighted_score(levels, requirements) - fix.score) < 1e-6
            cost = bundle_cost(product, fix.edition, fix.add_ons, users=strategy.total_users,
                               months=strategy.months, rate=1.0)
            assert cost is not None and cost.total == fix.cost_total
            checked += 1
    assert checked > 0


def test_an_unknown_product_is_an_error_with_a_suggestion(case: tuple[Path, Path]) -> None:
    with pytest.raises(VendormatchError) as info:
        run(*case, "basik")
    assert info.value.diagnostics[0].message == "no product 'basik' in the catalogue; did you mean 'basic'?"
    outcome = CliRunner().invoke(cli, ["explain", str(case[1]), "basik", "--catalog", str(case[0])])
    assert outcome.exit_code == 2
    assert "no product 'basik' in the catalogue; did you mean 'basic'?" in outcome.stderr


def test_cli_text_and_json(case: tuple[Path, Path]) -> None:
    runner = CliRunner()
    text = runner.invoke(cli, ["explain", str(case[1]), "basic", "--catalog", str(case[0])])
    assert text.exit_code == 0, text.stderr
    assert text.stdout.startswith("basic: P basic (V basic)\nfor Test Ltd: 5 users, 1 year, budget USD 700\n\n"
                                  "Ranked 2 of 3.\n")
    assert "    -> upgrade one -> two closes it: USD 900 more (total 1,500), over budget;\n" in text.stdout
    data = json.loads(runner.invoke(cli, ["explain", str(case[1]), "full", "--catalog", str(case[0]),
                                          "--format", "json"]).stdout)
    assert data["version"] == 1 and data["status"] == "excluded"
    assert data["remedy"]["kind"] == "budget" and data["remedy"]["budget_needed"] == 1300.0


def test_explain_on_a_shipped_strategy(shipped_catalog: Catalog) -> None:
    path = SHIPPED_STRATEGIES / "tight-budget.yaml"
    strategy = load_strategy(path, shipped_catalog)
    result = shortlist(strategy, shipped_catalog)
    for product_id in [result.rankings[0].product, result.excluded[0].product]:
        e = explain(strategy, shipped_catalog, product_id)
        text = format_explanation_text(e)
        assert max(len(line) for line in text.splitlines()) <= 80
        assert (e.remedy is None) == (e.status == "ranked")
