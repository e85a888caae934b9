"""Stances (offered, partial, add-on, third-party, absent, unknown) and lifecycle dates, end to end.

Small hand-written catalogues, loaded from real files and shortlisted with a real solve.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DESIGN_CATALOG, DESIGN_TODAY, write_tree

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.diagnostics import VendormatchError
from vendormatch.files.offers import edition_charge
from vendormatch.files.stances import ProductStances, catalog_coverage
from vendormatch.files.strategy import load_strategy
from vendormatch.report.data import efficient
from vendormatch.report.shortlist_formats import FORMATS
from vendormatch.solve.results import Shortlist
from vendormatch.solve.shortlist import shortlist

TODAY = date(2026, 12, 1)

FEATURES = """\
features:
  contacts: {name: Contacts}
  tickets: {name: Tickets}
  phone: {name: Phone calls}
  sign: {name: Electronic signatures}
"""

STRATEGY = """\
organisation: Test Ltd
currency: USD
horizon_years: 2
{extra}users: {{sales: 2, service: 2}}
objectives:
  grow: {{statement: Grow, kpi: revenue, weight: 1}}
requirements:
  - {{id: see-contacts, text: t, objective: grow, department: sales, priority: must, features: [contacts]}}
  - {{id: answer-tickets, text: t, objective: grow, department: service, priority: {tickets}, features: [tickets]}}
  - {{id: log-calls, text: t, objective: grow, department: sales, priority: should, features: [phone]}}
"""


def product(pid: str, body: str, price: str = "{per_user_month: 10}", features: str = "[contacts]") -> str:
    """A one-edition product file; `body` adds top-level keys (stances, lifecycle)."""
    return (f"id: {pid}\nvendor: V {pid}\nproduct: P {pid}\nurl: https://example.com/{pid}\nas_of: 2026-11\n"
            f"deployment: saas\nlicense: proprietary\ncurrency: USD\nsources: [https://example.com/{pid}/docs]\n"
            f"editions:\n  std:\n    name: Std\n    price: {price}\n    features: {features}\n{body}")


def run(tmp_path: Path, products: dict[str, str], *, tickets: str = "should", extra: str = "") -> tuple[Shortlist, Catalog]:
    files = {"catalog/features.yaml": FEATURES, "strategy.yaml": STRATEGY.format(extra=extra, tickets=tickets)}
    files.update({f"catalog/vendors/{pid}.yaml": text for pid, text in products.items()})
    write_tree(tmp_path, files)
    catalog = load_catalog(tmp_path / "catalog", today=TODAY)
    strategy = load_strategy(tmp_path / "strategy.yaml", catalog)
    return shortlist(strategy, catalog, today=TODAY), catalog


# A product that is sure of everything the strategy needs, and one that does not know about tickets.
SURE = product("sure", "lacks: [sign]\n", features="[contacts, tickets, phone]")
VAGUE = product("vague", "unknown: [{feature: tickets, note: no help desk page found}]\nlacks: [phone, sign]\n")


def test_an_unknown_must_have_is_not_excluded_and_ranks_in_its_own_band(tmp_path: Path) -> None:
    # vague scores higher on what it confirms than nothing, but it cannot confirm the tickets must-have.
    result, _ = run(tmp_path, {"sure": SURE, "vague": VAGUE}, tickets="must")
    assert [(r.product, r.band) for r in result.rankings] == [("sure", "verified"), ("vague", "if-confirmed")]
    vague = result.rankings[1]
    assert vague.unconfirmed_musts == ("tickets",) and vague.open_questions == ("tickets",)
    assert result.excluded == ()
    table = FORMATS["table"](result)
    assert "-- qualify only if the vendor confirms" in table
    assert "qualifies if the vendor confirms: tickets" in " ".join(table.split())


def test_the_band_comes_before_the_score(tmp_path: Path) -> None:
    # A verified product with a lower score still ranks above an if-confirmed one.
    weak = product("weak", "lacks: [phone, sign]\n", features="[contacts, tickets]")
    strong = product("strong", "unknown: [tickets]\nlacks: [sign]\n", features="[contacts, phone]")
    result, _ = run(tmp_path, {"weak": weak, "strong": strong}, tickets="must")
    assert [(r.product, r.band) for r in result.rankings] == [("weak", "verified"), ("strong", "if-confirmed")]
    assert result.rankings[0].score < result.rankings[1].score_up_to  # type: ignore[operator]


def test_a_known_absent_must_have_excludes_with_its_source(tmp_path: Path) -> None:
    absent = product("absent", "lacks: [{feature: tickets, source: 'https://example.com/absent/faq', note: no ticket module}]\n"
                               "unknown: [phone, sign]\n")
    result, _ = run(tmp_path, {"sure": SURE, "absent": absent}, tickets="must")
    (excluded,) = result.excluded
    assert excluded.product == "absent"
    assert excluded.reasons == ("lacks must-have: answer-tickets needs tickets (known absent: no ticket module; "
                                "source: https://example.com/absent/faq)",)


def test_the_up_to_score_counts_every_unknown_as_confirmed(tmp_path: Path) -> None:
    # Weights: must 3, should 2, should 2 (objective weight 1). vague confirms contacts only: 3/7; up to 5/7
    # once tickets is confirmed (phone is known absent and stays out).
    result, _ = run(tmp_path, {"vague": VAGUE})
    (vague,) = result.rankings
    assert vague.band == "verified"
    assert (vague.score, vague.score_up_to) == (round(3 / 7, 6), round(5 / 7, 6))
    assert vague.feature_stances == {"confirmed": 1, "partial": 0, "unknown": 1, "third-party": 0, "absent": 1}
    assert "up to 71% if the vendor confirms 1 unknown feature" in " ".join(FORMATS["table"](result).split())


def test_an_old_style_file_reads_undeclared_features_as_unknown(tmp_path: Path) -> None:
    # The DESIGN example declares no stances. With one more feature in the taxonomy, that feature is
    # unknown for it (never absent), and validate warns.
    shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog")
    features = tmp_path / "catalog" / "features.yaml"
    features.write_text(features.read_text() + "  sandbox:\n    name: Sandbox\n")
    catalog = load_catalog(tmp_path / "catalog", today=DESIGN_TODAY)
    assert [w.code for w in catalog.warnings] == ["feature-undeclared"]
    stances = ProductStances(catalog.products["acme-crm"])
    assert {stances.stance(e, "sandbox").kind for e in ("starter", "professional", "team")} == {"unknown"}
    # A feature another edition offers is absent from one that does not reach it (the edition comparison says so).
    assert stances.stance("team", "mobile-app").kind == "absent"
    assert stances.stance("professional", "mobile-app").kind == "full"
    # An own add-on the edition may take makes the feature available "through an add-on".
    assert stances.stance("professional", "telephony-call-logging").kind == "add-on"


def test_a_third_party_only_must_have_names_the_apps(tmp_path: Path) -> None:
    apps = product("apps", "third_party:\n  - {feature: tickets, apps: [Zendesk, Freshdesk], "
                           "source: 'https://example.com/apps/marketplace'}\nlacks: [phone, sign]\n")
    result, _ = run(tmp_path, {"sure": SURE, "apps": apps}, tickets="must")
    (excluded,) = result.excluded
    assert excluded.reasons == ("lacks must-have: answer-tickets needs tickets (only through third-party apps: "
                                "Zendesk, Freshdesk; source: https://example.com/apps/marketplace)",)


def test_a_priced_third_party_app_acts_as_an_add_on_with_its_provenance(tmp_path: Path) -> None:
    signed = product("signed", "add_ons:\n  docs:\n    name: SignNow for signed\n    provider: SignNow Inc\n"
                               "    price: {per_user_month: 5}\n    features: [tickets]\n"
                               "lacks: [phone, sign]\n")
    result, _ = run(tmp_path, {"signed": signed}, tickets="must")
    (ranking,) = result.rankings
    assert (ranking.add_ons, ranking.cost_total) == (("docs",), (10 + 5) * 4 * 24.0)
    traced = {t.feature: t for o in ranking.requirements for t in o.features}
    assert (traced["tickets"].provider_kind, traced["tickets"].stance) == ("third-party", "third-party")
    assert ranking.feature_stances["third-party"] == 1


def test_retired_products_and_editions_are_excluded_with_the_reason(tmp_path: Path) -> None:
    closing = product("closing", "end_of_life: 2027-08-31\nlifecycle_source: https://example.com/closing/eol\n"
                                 "unknown: [tickets, phone, sign]\n")
    unsold = product("unsold", "end_of_sale: 2026-06\nlifecycle_source: https://example.com/unsold/news\n"
                               "unknown: [tickets, phone, sign]\n")
    later = product("later", "end_of_life: 2030-01\nlifecycle_source: https://example.com/later/eol\n"
                             "unknown: [tickets, phone, sign]\n")
    result, _ = run(tmp_path, {"closing": closing, "unsold": unsold, "later": later})
    assert [r.product for r in result.rankings] == ["later"]
    reasons = {e.product: e.reasons for e in result.excluded}
    assert reasons["closing"] == ("reaches end of life on 2027-08-31, inside the 2-year horizon that starts 2026-12-01 "
                                  "(source: https://example.com/closing/eol)",)
    assert reasons["unsold"] == ("no longer sold to new customers since 2026-06 (source: https://example.com/unsold/news)",)
    # A strategy that starts after 'later' ends of life: its horizon (from `start`) decides.
    (tmp_path / "s2").mkdir()
    result2, _ = run(tmp_path / "s2", {"later": later}, extra="start: 2029-01\n")
    assert result2.rankings == () and "reaches end of life on 2030-01" in result2.excluded[0].reasons[0]


def test_a_retired_edition_leaves_the_others(tmp_path: Path) -> None:
    two = product("two", "unknown: [phone, sign]\nlifecycle_source: https://example.com/two/legacy\n",
                  features="[contacts, tickets]").replace(
        "  std:\n", "  legacy:\n    name: Legacy\n    price: {per_user_month: 1}\n    features: [contacts, tickets]\n"
                    "    end_of_sale: 2025-01\n  std:\n")
    result, _ = run(tmp_path, {"two": two})
    assert [(r.product, r.edition) for r in result.rankings] == [("two", "std")]


def test_lifecycle_dates_need_a_source(tmp_path: Path) -> None:
    write_tree(tmp_path, {"catalog/features.yaml": FEATURES,
                          "catalog/vendors/x.yaml": product("x", "end_of_life: 2027-01\nunknown: [tickets, phone, sign]\n")})
    with pytest.raises(VendormatchError) as info:
        load_catalog(tmp_path / "catalog", today=TODAY)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.file.endswith("x.yaml") and diagnostic.line == 1
    assert "need `lifecycle_source`" in diagnostic.message


def test_an_unknown_price_never_outranks_a_priced_bundle_of_equal_score(tmp_path: Path) -> None:
    # 'aaa' would win the id tie-break, and its known part (0) is the lowest: it still ranks second.
    quote = product("aaa", "lacks: [sign]\n", price="null", features="[contacts, tickets, phone]").replace(
        "    price: null\n", "")
    result, _ = run(tmp_path, {"aaa": quote, "sure": SURE})
    assert [(r.product, r.score, r.cost_total) for r in result.rankings] == [("sure", 1.0, 960.0), ("aaa", 1.0, None)]
    assert "such a bundle ranks after fully priced bundles of equal score" in " ".join(FORMATS["table"](result).split())


def test_seat_buckets_charge_the_smallest_bucket_that_seats_everyone(tmp_path: Path) -> None:
    bucketed = product("bucketed", "lacks: [sign]\n", price="{per_user_month: 10, seat_buckets: [3, 5, 10]}",
                       features="[contacts, tickets, phone]")
    result, catalog = run(tmp_path, {"bucketed": bucketed})
    assert result.rankings[0].cost_total == 10 * 5 * 24.0  # 4 users pay for the bucket of 5
    price = catalog.products["bucketed"].editions["std"].price
    assert edition_charge(price, 11) is None  # no bucket seats 11: the plan cannot be bought


def test_json_and_csv_carry_stances_sources_and_counts(tmp_path: Path) -> None:
    result, _ = run(tmp_path, {"vague": VAGUE})
    data = json.loads(FORMATS["json"](result))
    traces = {t["feature"]: t for o in data["rankings"][0]["requirements"] for t in o["features"]}
    assert traces["tickets"] == {"feature": "tickets", "level": 0.0, "provided_by": None, "provider_kind": None,
                                 "stance": "unknown", "source": None,
                                 "note": "no help desk page found"}
    assert traces["contacts"]["stance"] == "full" and traces["phone"]["stance"] == "absent"
    header, row = FORMATS["csv"](result).splitlines()[:2]
    cells = dict(zip(header.split(","), row.split(","), strict=False))
    assert (cells["band"], cells["features_confirmed"], cells["features_unknown"], cells["open_questions"]) == (
        "verified", "1", "1", "tickets")
    markdown = FORMATS["markdown"](result)
    assert "1 confirmed, 1 unknown, 1 absent" in markdown and "Open questions for the vendor: `tickets`." in markdown
    html = FORMATS["html"](result)
    assert "up to 71% if the vendor confirms 1 unknown feature" in html


def test_the_html_report_marks_unverified_must_haves(tmp_path: Path) -> None:
    result, _ = run(tmp_path, {"sure": SURE, "vague": VAGUE}, tickets="must")
    html = FORMATS["html"](result)
    assert '<span class="unverified">unverified, to confirm: <code>tickets</code></span>' in html


def test_catalog_coverage_counts_each_stance(tmp_path: Path) -> None:
    write_tree(tmp_path, {"catalog/features.yaml": FEATURES, "catalog/vendors/sure.yaml": SURE,
                          "catalog/vendors/vague.yaml": VAGUE})
    catalog = load_catalog(tmp_path / "catalog", today=TODAY)
    coverage = {c.product: c for c in catalog_coverage(catalog.products, catalog.features)}
    assert dict(coverage["vague"].counts) == {"full": 1, "partial": 0, "add-on": 0, "third-party": 0, "absent": 2,
                                              "unknown": 1}
    assert coverage["vague"].unknown_share == 0.25
    out = CliRunner().invoke(cli, ["catalog", "--coverage", "--no-cache", "--catalog", str(tmp_path / "catalog")])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[2].split() == ["vague", "1", "0", "0", "0", "2", "1", "25.0%"]
    both = CliRunner().invoke(cli, ["catalog", "--coverage", "--features", "--catalog", str(tmp_path / "catalog")])
    assert both.exit_code == 2 and "cannot be combined" in both.output


def test_with_a_budget_an_unknown_price_cannot_be_shown_to_fit(tmp_path: Path) -> None:
    # 'mixed' has a priced basic edition and a richer edition of unknown price; 'quoted' has only the latter.
    mixed = product("mixed", "  rich:\n    name: Rich\n    features: [contacts, tickets, phone]\nlacks: [sign]\n",
                    features="[contacts]")
    quoted = product("quoted", "lacks: [sign]\n", price="null", features="[contacts, tickets, phone]").replace(
        "    price: null\n", "")
    result, _ = run(tmp_path, {"mixed": mixed, "quoted": quoted}, extra="budget: 5000\n")
    ranked = {r.product: r for r in result.rankings}
    # Within a budget, mixed's verified choice is the edition whose price is known to fit.
    assert (ranked["mixed"].band, ranked["mixed"].edition, ranked["mixed"].cost_total) == ("verified", "std", 960.0)
    assert (ranked["quoted"].band, ranked["quoted"].to_confirm) == ("if-confirmed", ("the price of std",))
    assert [r.product for r in result.rankings] == ["mixed", "quoted"]
    # Without a budget, nothing about a price needs confirming: the richer bundle wins on score.
    (tmp_path / "nobudget").mkdir()
    free, _ = run(tmp_path / "nobudget", {"mixed": mixed, "quoted": quoted})
    assert {(r.product, r.band, r.edition) for r in free.rankings} == {("mixed", "verified", "rich"),
                                                                       ("quoted", "verified", "std")}


def test_validate_warns_of_an_unmeetable_must_only_when_no_product_leaves_it_unknown(tmp_path: Path) -> None:
    # The must-have 'tickets' is unknown for vague: the shortlist can still rank it "if confirmed".
    write_tree(tmp_path, {"catalog/features.yaml": FEATURES, "catalog/vendors/vague.yaml": VAGUE,
                          "strategy.yaml": STRATEGY.format(extra="", tickets="must")})
    ran = CliRunner().invoke(cli, ["validate", "--strict", "--catalog", str(tmp_path / "catalog"),
                                   str(tmp_path / "strategy.yaml")])
    assert ran.exit_code == 0, ran.output
    # Known absent everywhere: the shortlist would be empty, and validate says so.
    absent = VAGUE.replace("unknown: [{feature: tickets, note: no help desk page found}]\nlacks: [phone, sign]\n",
                           "lacks: [tickets, phone, sign]\n")
    write_tree(tmp_path, {"catalog/vendors/vague.yaml": absent})
    ran = CliRunner().invoke(cli, ["validate", "--strict", "--catalog", str(tmp_path / "catalog"),
                                   str(tmp_path / "strategy.yaml")])
    assert ran.exit_code == 1
    assert "must-have 'answer-tickets' needs tickets, which no product of the catalogue offers in full, nor leaves" \
        in " ".join(ran.output.split())


def test_under_a_budget_stacks_are_built_from_known_prices(tmp_path: Path) -> None:
    # Two products of unknown price would together cover everything; under a budget the pair cannot
    # be shown to fit, so no stack ranks, and certainly not as verified above a priced product.
    left = product("left", "integrates_with: [right]\nlacks: [tickets, phone, sign]\n", price="null").replace(
        "    price: null\n", "")
    right = product("right", "lacks: [contacts, phone, sign]\n", price="null", features="[tickets]").replace(
        "    price: null\n", "")
    files = {"catalog/features.yaml": FEATURES, "strategy.yaml": STRATEGY.format(extra="budget: 5000\n", tickets="should"),
             "catalog/vendors/left.yaml": left, "catalog/vendors/right.yaml": right, "catalog/vendors/sure.yaml": SURE}
    write_tree(tmp_path, files)
    catalog = load_catalog(tmp_path / "catalog", today=TODAY)
    result = shortlist(load_strategy(tmp_path / "strategy.yaml", catalog), catalog, today=TODAY, stack=2)
    assert [(r.product, r.band) for r in result.rankings][:1] == [("sure", "verified")]
    assert not any(r.members for r in result.rankings)


def test_a_conditional_product_over_budget_says_its_bundle_needs_confirming(tmp_path: Path) -> None:
    dear = product("dear", "lacks: [phone, sign]\nunknown: [tickets]\n", price="{per_user_month: 1000}")
    result, _ = run(tmp_path, {"dear": dear}, tickets="must", extra="budget: 500\n")
    (excluded,) = result.excluded
    assert excluded.reasons == ("the cheapest bundle meeting every must-have (if the vendor confirms its unknowns) "
                                "(std) costs USD 96,000, 95,500 over the budget of 500",)


def test_seat_buckets_too_small_say_how_many_they_seat(tmp_path: Path) -> None:
    small = product("small", "lacks: [sign]\n", price="{per_user_month: 10, seat_buckets: [1, 2, 3]}",
                    features="[contacts, tickets, phone]")
    result, _ = run(tmp_path, {"small": small})
    assert result.excluded[0].reasons == ("4 users is more than any edition allows (the largest takes 3)",)


def test_if_confirmed_rows_show_the_score_they_rank_by(tmp_path: Path) -> None:
    result, _ = run(tmp_path, {"sure": SURE, "vague": VAGUE}, tickets="must")
    rows = [line for line in FORMATS["table"](result).splitlines() if line[:5].strip().isdigit()]
    # vague confirms contacts (must, 3 of 8); once tickets is confirmed it reaches 6 of 8.
    assert "100%" in rows[0] and "≤75%" in rows[1]
    # Only verified products are efficient points of the report's chart.
    assert [r.product for r in efficient(result.rankings)] == ["sure"]
