"""Shortlist formats: pure functions tested with exact strings and golden files; `--output`; progress.

Golden files live in tests/golden/, one per format for two shipped strategies. They change only on
purpose: after a deliberate change of a format, the catalogue or the matcher, regenerate them with

    VENDORMATCH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_reports.py

and review the diff like any other change.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SHIPPED_STRATEGIES, copy_design_catalog, write_tree

from vendormatch.cli.commands import cli
from vendormatch.cli.progress import ProgressLine
from vendormatch.cli.support import table_width
from vendormatch.files.catalog import Catalog
from vendormatch.files.output_file import OutputError, write_atomically
from vendormatch.files.strategy import load_strategy
from vendormatch.match.resolution import settle_features
from vendormatch.report.data import efficient, trace_rows
from vendormatch.report.markdown import md
from vendormatch.report.shortlist_formats import CSV_COLUMNS, FORMATS, format_table
from vendormatch.report.svg import EFFICIENT, POINT, cost_chart, department_chart, nice_step
from vendormatch.solve.results import (
    CostItem,
    Exclusion,
    FeatureTrace,
    ObjectiveSummary,
    Ranking,
    RequirementOutcome,
    RequirementSummary,
    Shortlist,
    StrategySummary,
    Unscored,
)
from vendormatch.solve.shortlist import shortlist

GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("VENDORMATCH_UPDATE_GOLDEN") == "1"
GOLDEN_STRATEGIES = ("tight-budget", "sme-services")
EXTENSIONS = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md", "html": "html"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# -- a small result, built by hand, for exact strings ------------------------------------------


def _trace(feature: str, level: float, provider: str | None, kind: str | None = "edition") -> FeatureTrace:
    return FeatureTrace(feature=feature, level=level, provided_by=provider,
                        provider_kind=kind if provider else None)  # type: ignore[arg-type]


def small_result() -> Shortlist:
    """Two ranked products, one excluded, one requirement not scored."""
    requirements = (
        RequirementOutcome(id="see-contacts", objective="grow", department="sales", priority="must", weight=6,
                           level=1, features=(_trace("contacts", 1, "pro"),)),
        RequirementOutcome(id="answer-tickets", objective="serve", department="service", priority="should", weight=4,
                           level=1, features=(_trace("tickets", 1, "desk", "add-on"),)),
    )
    full = Ranking(
        rank=1, product="full", vendor="Full Inc", product_name="Full | CRM", edition="pro", edition_name="Pro",
        add_ons=("desk",), score=1.0, cost_total=1660.0, cost_known=1660.0, price_unknown=(), within_budget=True,
        currency="USD", departments={"sales": 1.0, "service": 1.0}, requirements=requirements, gaps=(),
        cost_lines=(
            CostItem(item="pro", kind="edition", name="Pro", monthly=100.0, one_time=100.0, total=1300.0),
            CostItem(item="desk", kind="add-on", name="Desk", monthly=30.0, one_time=0.0, total=360.0),
        ),
    )
    basic = Ranking(
        rank=2, product="basic", vendor="=cmd()", product_name="Basic", edition="one", edition_name="One",
        add_ons=(), score=0.6, cost_total=None, cost_known=600.0, price_unknown=("one",), within_budget=None,
        currency="USD", departments={"sales": 1.0, "service": 0.0},
        requirements=(requirements[0].model_copy(update={"features": (_trace("contacts", 1, "one"),)}),
                      requirements[1].model_copy(update={"level": 0.0, "features": (_trace("tickets", 0, None),)})),
        gaps=("answer-tickets",),
        cost_lines=(CostItem(item="one", kind="edition", name="One", monthly=None, one_time=None, total=None),),
        score_up_to=1.0, open_questions=("tickets",),
        feature_stances={"confirmed": 1, "partial": 0, "unknown": 1, "third-party": 0, "absent": 0},
    )
    summary = StrategySummary(
        organisation="Test <Ltd>", currency="USD", users={"sales": 4, "service": 1}, total_users=5, horizon_years=1,
        budget=2000, min_department_coverage=None, requirements_counted=2,
        objectives={"grow": ObjectiveSummary(statement="Grow *fast*", kpi="revenue", weight=2),
                    "serve": ObjectiveSummary(statement="Serve", kpi=None, weight=2)},
        requirements=(
            RequirementSummary(id="see-contacts", text="See contacts", objective="grow", department="sales",
                               priority="must", weight=6),
            RequirementSummary(id="answer-tickets", text="Answer | tickets", objective="serve", department="service",
                               priority="should", weight=4),
        ),
    )
    return Shortlist(
        strategy=summary, solver="highs", rankings=(full, basic),
        excluded=(Exclusion(product="small", vendor="Small", reasons=("5 users is more than any edition allows",)),),
        unscored=(Unscored(id="be-nice", status="unmatched", priority="could", message="no match"),),
    )


def test_table_exact() -> None:
    assert FORMATS["table"](small_result()) == (
        "Test <Ltd>: 5 users, 1 year, budget USD 2,000\n"
        "2 ranked, 1 excluded, 2 requirements scored\n"
        "\n"
        "NOT SCORED (1): these requirements count in no score until their features are\n"
        "  settled (pin them, or review `vendormatch match --lock`)\n"
        "  ! be-nice [could, unmatched]\n"
        "\n"
        "  #  Product              Bundle                Score    Cost USD  Gaps\n"
        + "-" * 80 + "\n"
        "  1  full                 pro + desk             100%       1,660  -\n"
        "  2  basic                one                     60%       >600?  1, below\n"
        "     gaps: answer-tickets; 1 confirmed, 1 unknown; up to 100% if the vendor\n"
        "       confirms 1 unknown feature\n"
        "  Scores count confirmed features only.\n"
        "  >N? = some item's price is unknown: the figure is the known part, and such a\n"
        "    bundle ranks after fully priced bundles of equal score, since its cost\n"
        "    cannot be compared\n"
        "\n"
        "Excluded (1):\n"
        "  small: 5 users is more than any edition allows\n"
    )


def test_a_wider_table_shows_gaps_in_their_column_and_never_cuts_an_id() -> None:
    wide = format_table(small_result(), width=100)
    assert "  2  basic                one                     60%       >600?  answer-tickets\n" in wide
    assert "-" * 100 + "\n" in wide and "gaps:" not in wide
    assert "…" not in FORMATS["table"](small_result()).split("Gaps")[1]


def test_the_table_takes_the_terminals_width_and_80_columns_for_pipes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "132")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert table_width(None) == 132
    assert table_width(Path("report.txt")) == 80
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert table_width(None) == 80


def test_table_colour_only_when_asked_and_never_changes_the_layout() -> None:
    plain = FORMATS["table"](small_result())
    coloured = FORMATS["table"](small_result(), color=True)
    assert "\x1b[" not in plain
    assert "\x1b[1mTest <Ltd>" in coloured
    assert "\x1b[31msmall\x1b[0m: 5 users" in coloured
    assert ANSI.sub("", coloured) == plain


def test_csv_exact_with_documented_columns_and_no_formula_cells() -> None:
    text = FORMATS["csv"](small_result())
    assert text == (
        "rank,product,vendor,product_name,edition,edition_name,add_ons,score,cost_total,cost_known,price_unknown,"
        "within_budget,currency,gaps,band,score_up_to,to_confirm,open_questions,features_confirmed,features_partial,"
        "features_unknown,features_third_party,features_absent,cost_notes,coverage_sales,coverage_service\n"
        "1,full,Full Inc,Full | CRM,pro,Pro,desk,1.0000,1660.00,1660.00,,yes,USD,,verified,,,,,,,,,,1.0000,1.0000\n"
        "2,basic,'=cmd(),Basic,one,One,,0.6000,,600.00,one,,USD,answer-tickets,verified,1.0000,,tickets,1,0,1,0,0,"
        ",1.0000,0.0000\n"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0])[: len(CSV_COLUMNS)] == CSV_COLUMNS


def test_markdown_escapes_cells_and_shows_the_trace() -> None:
    text = FORMATS["markdown"](small_result())
    assert text.startswith("# Shortlist: Test \\<Ltd\\>\n\n**5 users** (sales 4, service 1) · **1 year** · ")
    assert "| `grow` | Grow \\*fast\\* | revenue | 2 |" in text
    assert "| 1 | **full**<br>Full Inc: Full \\| CRM | `pro + desk` | 100% | — | 1,660 | — | — |" in text
    assert ("| 2 | **basic**<br>=cmd(): Basic | `one` | 60% | 100% | \\>600? | 1 confirmed, 1 unknown | "
            "`answer-tickets` |") in text
    assert "**up to 100% if the vendor confirms 1 unknown feature.**" in text
    assert "Open questions for the vendor: `tickets`." in text
    # Each leading product: gaps, cost and the trace objective -> requirement -> feature -> provider -> cost line.
    assert "| `answer-tickets`<br>Answer \\| tickets | service | should | 4 | 0% | tickets |" in text
    assert "| `pro` | edition | Pro |  | 100.00 | 100 | 1,300 |" in text
    assert "| `grow` | `see-contacts` (must) | `contacts` | 100% | `pro` (edition) | 1,300 | — |" in text
    assert "| `serve` | `answer-tickets` (should) | `tickets` | 100% | `desk` (add-on) | 360 | — |" in text
    assert "| `serve` | `answer-tickets` (should) | `tickets` | 0% | **missing** | — | — |" in text
    assert text.count("<details>") == text.count("</details>") == 2
    # Every table row of a table has the same number of cells as its header.
    for block in re.findall(r"((?:^\|.*\|\n)+)", text, flags=re.MULTILINE):
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(counts) == 1, block


def test_md_escapes_specials_and_joins_lines() -> None:
    assert md("a|b *c* _d_ <e>\n[f](g) `h`") == "a\\|b \\*c\\* \\_d\\_ \\<e\\> \\[f\\](g) \\`h\\`"


class _Structure(HTMLParser):
    """Collects tags, checks nesting, and records anything that would load from outside."""

    VOID = frozenset({"meta", "br", "line", "circle", "rect", "polyline", "path", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.external += [f"{tag} {k}={v}" for k, v in attrs if k in ("src", "href") and v]
        if tag in ("script", "link", "iframe", "object", "embed", "img"):
            self.external.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, (self.stack[-5:], tag)
        self.stack.pop()


def check_self_contained(page: str) -> _Structure:
    """The page parses with balanced tags and loads nothing from outside (no scripts, fonts, images, URLs)."""
    parser = _Structure()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert parser.external == []
    for needle in ("url(", "@import", "@font-face", "<script"):
        assert needle not in page
    # Source addresses appear as text (the catalogue's evidence), never as something the page loads.
    assert re.search(r"""=\s*["']?https?:""", page) is None
    return parser


def test_html_is_self_contained_with_summary_charts_table_and_sections() -> None:
    page = FORMATS["html"](small_result())
    parser = check_self_contained(page)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>CRM shortlist: Test &lt;Ltd&gt;</title>" in page
    assert "@media print" in page and "@page" in page
    # Summary of the strategy: objectives with KPIs and weights, users, budget.
    assert "<td>Grow *fast*</td><td>revenue</td><td class=\"num\">2</td>" in page
    assert "<dt>Budget</dt><dd>USD 2,000</dd>" in page
    assert "<dt>&nbsp;&nbsp;sales</dt><dd>4</dd>" in page
    # Two charts: coverage v. cost (one point per ranked product, unknown price hollow) and departments.
    assert parser.tags.count("svg") == 2
    assert page.count("<circle") == 2 + 3  # two points, three legend marks
    assert 'class="budget"' in page and "budget USD 2,000" in page
    assert '<section class="product" id="product-full">' in page
    assert '<section class="product" id="product-basic">' in page
    assert "<td><code>grow</code></td><td><code>see-contacts</code> (must)</td><td><code>contacts</code></td>" in page
    assert '<span class="missing">missing</span>' in page
    assert "Full | CRM" in page and "=cmd()" in page


def test_every_format_is_a_pure_function_of_the_result() -> None:
    result = small_result()
    for name, render in FORMATS.items():
        assert render(result) == render(result.model_copy()), name
        assert render(result).endswith("\n"), name


def test_formats_of_an_empty_result() -> None:
    empty = small_result().model_copy(update={"rankings": ()})
    assert "(no product qualifies: see the exclusions below)" in FORMATS["table"](empty)
    assert FORMATS["csv"](empty).count("\n") == 1
    assert "No product qualifies" in FORMATS["markdown"](empty)
    page = FORMATS["html"](empty)
    check_self_contained(page)
    assert "No product qualifies: nothing to plot." in page


# -- charts and shared derivations ----------------------------------------------------------------


def _point(product: str, score: float, cost: float | None, known: float | None = None) -> Ranking:
    base = small_result().rankings[0]
    return base.model_copy(update={
        "product": product, "score": score, "cost_total": cost, "cost_known": cost if known is None else known,
        "price_unknown": () if cost is not None else ("x",),
    })


def test_efficient_products_are_those_no_other_beats_on_both() -> None:
    points = [_point("a", 0.5, 100), _point("b", 0.7, 300), _point("c", 0.6, 400), _point("d", 0.7, 300),
              _point("e", 0.9, 900), _point("f", 0.95, None, 50), _point("g", 0.4, 100)]
    assert [r.product for r in efficient(points)] == ["a", "b", "d", "e"]


def test_nice_steps() -> None:
    assert [nice_step(s) for s in (1.0, 0.9, 31500, 7, 0)] == [0.2, 0.2, 10000, 2, 1.0]


def test_cost_chart_draws_every_point_joins_and_labels_the_efficient_ones() -> None:
    points = [_point("a", 0.5, 100), _point("b", 0.7, 300), _point("c", 0.6, 400), _point("f", 0.95, None, 50)]
    svg = cost_chart(points, budget=350, currency="USD", horizon="3 years")
    assert svg.count(f'fill="{POINT}" stroke="#ffffff"') == 1  # c
    assert svg.count(f'fill="{EFFICIENT}" stroke="#ffffff"') == 2  # a and b
    assert svg.count('stroke-dasharray="3 2">') == 1  # f: price partly unknown
    assert re.findall(r'<text class="label"[^>]*>([^<]*)</text>', svg) == ["a", "b"]
    # A short list labels every point; a long one only the efficient ones.
    assert re.findall(r'<text class="label-other"[^>]*>([^<]*)</text>', svg) == ["c", "f"]
    many = [_point(f"p{i}", 0.5 + i / 100, 100.0 * (10 - i)) for i in range(9)]
    assert "label-other" not in cost_chart(many, budget=None, currency="USD", horizon="1 year")
    assert svg.count("<polyline") == 1
    assert "budget USD 350" in svg
    assert "<title>#1 f (pro + desk): 95%, at least USD 50 (price of x unknown)</title>" in svg


def test_department_chart_has_a_bar_per_leader_and_department() -> None:
    svg = department_chart(small_result().rankings)
    assert svg.count("<rect") == 4 + 2  # 2 leaders x 2 departments, and 2 legend swatches
    assert "<title>basic: service 0%</title>" in svg


def test_trace_rows_follow_objective_requirement_feature_provider_cost() -> None:
    rows = trace_rows(small_result().rankings[0])
    assert [(r.objective, r.requirement, r.feature, r.provider, r.cost.total if r.cost else None) for r in rows] == [
        ("grow", "see-contacts", "contacts", "pro", 1300.0), ("serve", "answer-tickets", "tickets", "desk", 360.0),
    ]


# -- golden files on shipped strategies -----------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_results(shipped_catalog: Catalog) -> dict[str, Shortlist]:
    """The shortlist of each golden strategy, as `vendormatch shortlist STRATEGY` computes it: with its lock
    file, the path users run (a matcher change then rewrites no golden file unless a lock is missing)."""
    results = {}
    for name in GOLDEN_STRATEGIES:
        path = SHIPPED_STRATEGIES / f"{name}.yaml"
        strategy = load_strategy(path, shipped_catalog)
        decisions, _ = settle_features(path, strategy, shipped_catalog)
        results[name] = shortlist(strategy, shipped_catalog, decisions)
    return results


def _golden(name: str, format_name: str) -> Path:
    return GOLDEN / f"{name}.{EXTENSIONS[format_name]}"


@pytest.mark.parametrize("format_name", sorted(EXTENSIONS))
@pytest.mark.parametrize("name", GOLDEN_STRATEGIES)
def test_golden(name: str, format_name: str, shipped_results: dict[str, Shortlist]) -> None:
    text = FORMATS[format_name](shipped_results[name])
    path = _golden(name, format_name)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {path.name}: run VENDORMATCH_UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    assert text == path.read_bytes().decode("utf-8"), (
        f"{path.name} differs; if the change is intended, regenerate with VENDORMATCH_UPDATE_GOLDEN=1"
    )


def test_golden_outputs_keep_their_promises(shipped_results: dict[str, Shortlist]) -> None:
    for result in shipped_results.values():
        assert max(len(line) for line in FORMATS["table"](result).splitlines()) <= 80
        assert json.loads(FORMATS["json"](result))["version"] == 1
        rows = list(csv.DictReader(io.StringIO(FORMATS["csv"](result))))
        assert [int(r["rank"]) for r in rows] == [r.rank for r in result.rankings]
        check_self_contained(FORMATS["html"](result))


def test_cli_prints_the_golden_bytes() -> None:
    for format_name in ("table", "markdown"):
        outcome = CliRunner().invoke(cli, ["shortlist", str(SHIPPED_STRATEGIES / "tight-budget.yaml"), "--format",
                                           format_name])
        assert outcome.exit_code == 0, outcome.stderr
        assert outcome.stdout == _golden("tight-budget", format_name).read_text(encoding="utf-8")


# -- --output -------------------------------------------------------------------------------------


def test_output_writes_the_same_bytes_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    target.write_text("old")
    strategy = str(SHIPPED_STRATEGIES / "tight-budget.yaml")
    runner = CliRunner()
    written = runner.invoke(cli, ["shortlist", strategy, "--no-lock", "--format", "html", "--output", str(target)])
    printed = runner.invoke(cli, ["shortlist", strategy, "--no-lock", "--format", "html"])
    assert written.exit_code == printed.exit_code == 0, written.stderr
    assert written.stdout == ""
    assert f"vendormatch: wrote {target}" in written.stderr
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]  # no temporary file left


@pytest.mark.parametrize("victim", ["strategy.yaml", "strategy.lock.yaml", "catalog/vendors/acme-crm.yaml",
                                    "catalog/features.yaml"])
def test_output_refuses_to_overwrite_an_input(tmp_path: Path, victim: str) -> None:
    copy_design_catalog(tmp_path / "catalog")
    strategy = REPO / "tests" / "data" / "design" / "strategy.yaml"
    write_tree(tmp_path, {"strategy.yaml": strategy.read_text(encoding="utf-8")})
    target = tmp_path / victim
    before = target.read_bytes() if target.exists() else None
    outcome = CliRunner().invoke(cli, ["shortlist", str(tmp_path / "strategy.yaml"), "--catalog", str(tmp_path / "catalog"),
                                       "--format", "csv", "--output", str(target)])
    assert outcome.exit_code == 2, outcome.stderr
    assert "an input of this run; choose another file (output-is-input)" in outcome.stderr
    assert (target.read_bytes() if target.exists() else None) == before


def test_output_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as info:
        write_atomically(tmp_path / "nowhere" / "x.csv", "text")
    assert info.value.exit_code == 2
    assert info.value.diagnostics[0].code == "output-folder-missing"


def test_output_through_a_symlink_to_an_input_is_refused(tmp_path: Path) -> None:
    source = write_tree(tmp_path, {"in.yaml": "x: 1\n"}) / "in.yaml"
    (tmp_path / "link.csv").symlink_to(source)
    with pytest.raises(OutputError) as info:
        write_atomically(tmp_path / "link.csv", "text", [source])
    assert [d.code for d in info.value.diagnostics] == ["output-is-input"]
    assert source.read_text() == "x: 1\n"


# -- colour on a terminal, progress -----------------------------------------------------------------


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """Run the real command with stdout on a pseudo-terminal; return what the terminal and stderr got."""
    master, slave = os.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    done = subprocess.run([sys.executable, "-m", "vendormatch", *args], stdout=slave, stderr=subprocess.PIPE,
                          env=env, cwd=REPO, timeout=120, check=False)
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    assert done.returncode == 0, done.stderr
    return b"".join(chunks).decode("utf-8"), done.stderr.decode("utf-8")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this platform")
def test_colour_on_a_terminal_unless_no_color() -> None:
    args = ["shortlist", str(SHIPPED_STRATEGIES / "tight-budget.yaml"), "--no-lock"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured, stderr = _run_on_a_terminal(args, env)
    plain, _ = _run_on_a_terminal(args, {**env, "NO_COLOR": "1"})
    assert "\x1b[1m" in coloured
    assert "\x1b[" not in plain
    assert ANSI.sub("", coloured) == plain
    assert "vendormatch: solving" not in stderr  # stderr is a pipe here: no progress line


def test_progress_line_appears_after_a_moment_and_is_erased() -> None:
    stream = io.StringIO()
    with ProgressLine(stream, enabled=True, delay=0.0, interval=0.01) as progress:
        progress("solving", 0, 1000)
        deadline = time.monotonic() + 5
        while "solving" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    text = stream.getvalue()
    assert text.startswith("\rvendormatch: solving (1,000 products)... ")
    drawn = max(len(part) for part in text.split("\r"))
    assert text.endswith("\r" + " " * drawn + "\r")


def test_progress_line_shows_nothing_for_a_quick_run_or_off_a_terminal() -> None:
    for enabled, delay in ((True, 60.0), (False, 0.0)):
        stream = io.StringIO()
        with ProgressLine(stream, enabled=enabled, delay=delay, interval=0.01) as progress:
            progress("solving", 0, 3)
            time.sleep(0.05)
        assert stream.getvalue() == ""


def test_shortlist_reports_its_stages_and_prints_nothing(shipped_catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    stages: list[tuple[str, int, int]] = []
    path = SHIPPED_STRATEGIES / "tight-budget.yaml"
    strategy = load_strategy(path, shipped_catalog)
    shortlist(strategy, shipped_catalog, progress=lambda stage, done, total: stages.append((stage, done, total)))
    names = [s[0] for s in stages]
    assert names[0] == "screening products" and names[1] == "solving" and names[-1] == "done"
    assert stages[0][2] == len(shipped_catalog.products)
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
