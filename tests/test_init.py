"""`vendormatch init`: the interview writes a valid strategy folder, from prompts or an answers file, and never overwrites."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from vendormatch.cli.commands import cli
from vendormatch.files.strategy import check_strategy, load_strategy
from vendormatch.files.workshop import questions

PROMPTED = "\n".join([
    "Crema Works", "Keep every café we serve on a plan", "They trust our engineers", "usd", "3", "3,000",
    "sales=2, service=1, marketing=1, accounts=1",
    "More cafés on service plans", "plans sold per month", "20 a month by 2027",  # revenue
    "",  # costs: skipped
    "Fewer unpaid call-outs", "call-outs invoiced", "all of them by June",  # profitability
    "",  # lost opportunities: skipped
]) + "\n"


def test_the_interview_writes_a_strategy_folder_that_validates(tmp_path: Path) -> None:
    folder = tmp_path / "crema"
    outcome = CliRunner().invoke(cli, ["init", str(folder)], input=PROMPTED)
    assert outcome.exit_code == 0, outcome.output
    assert sorted(p.name for p in (folder / "requirements").iterdir()) == [
        "accounts.yaml", "marketing.yaml", "sales.yaml", "service.yaml"]
    checked = check_strategy(folder)
    assert checked.strategy is not None, checked.diagnostics
    strategy = checked.strategy
    assert (strategy.organisation, strategy.currency, strategy.budget) == ("Crema Works", "USD", 3000)
    assert dict(strategy.users) == {"sales": 2, "service": 1, "marketing": 1, "accounts": 1}
    assert list(strategy.objectives) == ["revenue", "profitability"]
    assert strategy.objectives["revenue"].kpi == "plans sold per month; target: 20 a month by 2027"
    text = (folder / "strategy.yaml").read_text()
    assert "# Why our customers come to us: They trust our engineers" in text and "horizon_years: 3\n" in text
    seeded = (folder / "requirements" / "service.yaml").read_text()
    assert all(f"#   - {q}" in seeded for q in questions("service"))
    # The new user writes one need, and the folder shortlists.
    (folder / "requirements" / "sales.yaml").write_text(
        seeded.replace("requirements: []", "requirements:\n  - id: plans-due\n    text: We are reminded before a "
                       "plan is due for renewal\n    objective: revenue\n    features: [calendar-tasks]\n"))
    shortlisted = CliRunner().invoke(cli, ["shortlist", str(folder), "--no-lock", "--format", "csv"])
    assert shortlisted.exit_code == 0, shortlisted.output
    assert shortlisted.stdout.startswith("rank,product")


def test_an_answers_file_answers_and_a_wrong_answer_is_located(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("organisation: Northwind\ncurrency: EUR\nhorizon_years: 5\nbudget: none\n"
                       "users: {sales: 12, service: 6}\n"
                       "objectives:\n  revenue: {statement: Grow repeat business, kpi: repeat revenue, target: +15%}\n"
                       "  lost-opportunities: {statement: No enquiry left unanswered, kpi: unanswered enquiries}\n")
    outcome = CliRunner().invoke(cli, ["init", str(tmp_path / "nw"), "--answers", str(answers)])
    assert outcome.exit_code == 0, outcome.output
    strategy = load_strategy(tmp_path / "nw")
    assert (strategy.horizon_years, strategy.budget) == (5, None)
    assert list(strategy.objectives) == ["revenue", "lost-opportunities"]
    answers.write_text("organisation: Northwind\ncurrency: euros\nusers: {sales: 12}\n")
    bad = CliRunner().invoke(cli, ["init", str(tmp_path / "nw2"), "--answers", str(answers)])
    assert bad.exit_code == 1
    assert "answers.yaml:2:11: error currency: 'euros' is not a three-letter currency code" in bad.output
    assert not (tmp_path / "nw2").exists()
    answers.write_text("organisation: Northwind\nusers: {sales: 12}\nobjectives:\n  growth: Grow\n")
    wrong = CliRunner().invoke(cli, ["init", str(tmp_path / "nw3"), "--answers", str(answers)])
    assert wrong.exit_code == 1 and "answers.yaml:4:3: error objectives: 'growth' must be one of revenue" in wrong.output
    answers.write_text("organisation: Northwind\n")
    missing = CliRunner().invoke(cli, ["init", str(tmp_path / "nw4"), "--answers", str(answers)])
    assert missing.exit_code == 1 and "the answers file has no `users`" in missing.output


def test_init_never_overwrites_and_writes_nothing_when_one_file_exists(tmp_path: Path) -> None:
    folder = tmp_path / "crema"
    (folder / "requirements").mkdir(parents=True)
    (folder / "requirements" / "service.yaml").write_text("requirements: []  # ours\n")
    outcome = CliRunner().invoke(cli, ["init", str(folder)], input=PROMPTED)
    assert outcome.exit_code == 1
    assert "service.yaml:0:0: error already exists; `vendormatch init` never overwrites a file" in outcome.output
    assert sorted(p.name for p in folder.rglob("*")) == ["requirements", "service.yaml"]
    assert (folder / "requirements" / "service.yaml").read_text() == "requirements: []  # ours\n"


def test_a_wrong_prompted_answer_is_asked_again(tmp_path: Path) -> None:
    answers = PROMPTED.replace("usd\n", "dollars\nusd\n").replace("sales=2, service=1", "sales=two\nsales=2, service=1")
    outcome = CliRunner().invoke(cli, ["init", str(tmp_path / "c")], input=answers)
    assert outcome.exit_code == 0, outcome.output
    assert "'dollars' is not a three-letter currency code" in outcome.output
    assert "give the users of sales as a whole number" in outcome.output


def test_from_init_to_a_reviewed_shortlist_as_the_readme_walks_it(tmp_path: Path) -> None:
    """The README's walk-through, step by step: interview, weigh, workshop sheet, import, lock, review, shortlist."""
    from openpyxl import load_workbook

    runner = CliRunner()
    folder = tmp_path / "crema"
    assert runner.invoke(cli, ["init", str(folder)], input=PROMPTED).exit_code == 0
    weighed = runner.invoke(cli, ["weigh", str(folder)], input="revenue\n3\n")
    assert weighed.exit_code == 0 and "  - [revenue, profitability, 3]\n" in weighed.output
    strategy_file = folder / "strategy.yaml"
    strategy_file.write_text(strategy_file.read_text() + "weights: pairwise\njudgements:\n  - [revenue, profitability, 3]\n")
    sheet = tmp_path / "req.xlsx"
    assert runner.invoke(cli, ["requirements", "export", str(folder), "-o", str(sheet)]).exit_code == 0
    book = load_workbook(sheet)
    rows = [
        ["", "sales", "Every enquiry from the website reaches a salesperson the same day", "revenue", "must"],
        ["", "service", "Each repair call-out gets a reference and we see which are still open", "profitability", "should"],
        ["", "accounts", "Invoices for call-outs are raised from the job without retyping", "profitability", "should"],
        ["", "marketing", "A monthly email with offers goes to every café on our list", "revenue", "could"],
    ]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            book["requirements"].cell(number, column, value)
    book.save(sheet)
    imported = runner.invoke(cli, ["requirements", "import", str(sheet), "--into", str(folder)])
    assert imported.exit_code == 0, imported.output
    assert runner.invoke(cli, ["match", str(folder), "--lock"]).exit_code == 0
    unreviewed = runner.invoke(cli, ["validate", "--strict", str(folder)])
    assert unreviewed.exit_code == 1 and "lock-unreviewed" in unreviewed.output
    # The reviewer takes the first candidate for every requirement.
    reviewed = runner.invoke(cli, ["review", str(folder), "--by", "Ann Example"], input="1\n" * len(rows))
    assert reviewed.exit_code == 0, reviewed.output
    assert runner.invoke(cli, ["validate", "--strict", str(folder)]).exit_code == 0
    shortlisted = runner.invoke(cli, ["shortlist", str(folder), "--format", "json"])
    assert shortlisted.exit_code == 0, shortlisted.output
    assert '"consistency_ratio": 0.0' in shortlisted.stdout
    assert "lock-unreviewed" not in shortlisted.stderr


def test_a_mistyped_currency_is_caught_and_the_catalogues_rates_are_written(tmp_path: Path) -> None:
    answers = PROMPTED.replace("usd\n", "GPB\nGBP\n")
    outcome = CliRunner().invoke(cli, ["init", str(tmp_path / "c")], input=answers)
    assert outcome.exit_code == 0, outcome.output
    assert "'GPB' is not an ISO 4217 currency code; did you mean GBP?" in outcome.output
    text = (tmp_path / "c" / "strategy.yaml").read_text()
    assert "exchange_rates:  # reference rates of" in text and "  USD: " in text
    # The folder validates against the embedded catalogue, whose prices are in USD: the rates make that possible.
    assert CliRunner().invoke(cli, ["validate", str(tmp_path / "c")]).exit_code == 0
    again = CliRunner().invoke(cli, ["init", str(tmp_path / "c")], input=answers)
    assert again.exit_code == 2 and "already exists" in again.output and "Organisation name" not in again.output


def test_importing_into_a_folder_without_a_strategy_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "req.csv"
    sheet.write_text("department,text,objective\nsales,Log calls,revenue\n", encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["requirements", "import", str(sheet), "--into", str(tmp_path / "typo")])
    assert outcome.exit_code == 1 and "no strategy here to import into" in outcome.output
    assert not (tmp_path / "typo" / "requirements").exists()
