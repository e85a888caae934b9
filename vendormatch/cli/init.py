"""`vendormatch init`: an interview that writes a new strategy folder, validated, never over existing files."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from vendormatch.cli.support import EXIT_FINDINGS, call, echo_diagnostics
from vendormatch.files.catalog import load_catalog
from vendormatch.files.currencies import ISO_4217, currency_suggestion
from vendormatch.files.diagnostics import Diagnostic, VendormatchError, has_errors
from vendormatch.files.loader import load_yaml
from vendormatch.files.models import MAX_COST, MAX_USERS, is_kebab_id
from vendormatch.files.new_strategy import CORNERS, Interview, Objective, folder_texts, reference_rates, write_new_folder
from vendormatch.files.strategy import STRATEGY_FILE, check_strategy

T = TypeVar("T")


class Answers:
    """Answers from `--answers FILE` where given, else from prompts; a wrong answer in the file is a located error."""

    def __init__(self, path: Path | None) -> None:
        self.doc = call(load_yaml, path) if path is not None else None
        data = self.doc.data if self.doc is not None else {}
        if not isinstance(data, dict):
            raise VendormatchError([Diagnostic(str(path), 1, 1, "error", "bad-value",
                                               "the answers file is a mapping of answers, like `organisation: Acme`")])
        self.data: dict[str, Any] = data

    def get(self, key: str, question: str, convert: Callable[[Any], T], default: Any = None) -> T:
        if key in self.data:
            try:
                return convert(self.data[key])
            except (ValueError, TypeError) as exc:
                assert self.doc is not None
                raise VendormatchError([self.doc.diagnostic((key,), "bad-value", f"{key}: {exc}")]) from exc
        if self.doc is not None:
            # A script answers from its file alone: what it leaves out takes the default, or is an error.
            if default is None:
                raise VendormatchError([Diagnostic(self.doc.file, 1, 1, "error", "missing-answer",
                                                   f"the answers file has no `{key}`: {question.lower()}")])
            return convert(default)
        while True:
            answer = click.prompt(question, default=default, show_default=default not in (None, ""))
            try:
                return convert(answer)
            except ValueError as exc:
                click.echo(f"  {exc}", err=True)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _required(value: Any) -> str:
    text = _text(value)
    if not text:
        raise ValueError("an answer is needed")
    return text


def _currency(value: Any) -> str:
    code = _text(value).upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"'{value}' is not a three-letter currency code such as GBP, EUR or USD")
    if code not in ISO_4217:
        hint = currency_suggestion(code)
        raise ValueError(f"'{code}' is not an ISO 4217 currency code" + (f"; did you mean {hint}?" if hint else ""))
    return code


def _positive(value: Any) -> float:
    try:
        number = float(str(value))
    except ValueError:
        raise ValueError(f"'{value}' is not a number of years") from None
    if not 0 < number <= 30:
        raise ValueError("give a number of years from 1 to 30")
    return number


def _budget(value: Any) -> float | None:
    if value is None or _text(value).lower() in ("", "none", "no"):
        return None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        raise ValueError(f"'{value}' is not an amount: give a number such as 25000, or none for no cap") from None
    if not 0 <= number <= MAX_COST:
        raise ValueError(f"a budget is a number from 0 to {MAX_COST:,.0f}; answer none for no budget")
    return number


def _users(value: Any) -> dict[str, int]:
    """`sales=12, service=6` (or a mapping in the answers file) as department -> users."""
    pairs = value.items() if isinstance(value, dict) else (
        part.split("=", 1) if "=" in part else part.rsplit(" ", 1) if " " in part.strip() else (part, "")
        for part in _text(value).replace(";", ",").split(",") if part.strip())
    users: dict[str, int] = {}
    for name, count in pairs:
        department = _text(name).lower().replace(" ", "-")
        if not is_kebab_id(department):
            raise ValueError(f"'{name}' is not a department name: lower-case words joined by hyphens, like sales")
        try:
            number = int(str(count).strip())
        except ValueError:
            raise ValueError(f"give the users of {department} as a whole number, like {department}=12") from None
        if not 0 <= number <= MAX_USERS:
            raise ValueError(f"{department}: users from 0 to {MAX_USERS:,}")
        users[department] = number
    if not users:
        raise ValueError("name at least one department, like: sales=12, service=6, marketing=2, accounts=2")
    return users


def _interview(answers_path: Path | None) -> Interview | None:
    """The answers, from the file and the prompts; None when no objective was given."""
    answers = Answers(answers_path)
    organisation = answers.get("organisation", "Organisation name", _required)
    meaning = answers.get("meaning", "What should CRM do for the organisation? (one sentence)", _text, "")
    customers = answers.get("customers", "Why do your customers come to you?", _text, "")
    currency = answers.get("currency", "Currency of your budget (ISO code)", _currency, "GBP")
    horizon = answers.get("horizon_years", "Years over which to compare costs", _positive, "3")
    budget = answers.get("budget", "Budget over those years (none for no cap)", _budget, "none")
    users = answers.get("users", "Departments and their users (sales=12, service=6, ...)", _users)
    given = answers.data.get("objectives", {}) if isinstance(answers.data.get("objectives"), dict) else {}
    objectives: dict[str, Objective] = {}
    corners = [c for c, _ in CORNERS]
    if answers_path is None:
        click.echo("Objectives: one along each of the four corners; leave a corner blank to skip it (at least one).")
    for key, value in given.items():
        if key not in corners or not isinstance(value, dict) or not _text(value.get("statement")):
            assert answers.doc is not None
            raise VendormatchError([answers.doc.diagnostic(
                ("objectives", key), "bad-value",
                f"objectives: '{key}' must be one of {', '.join(corners)}, each a mapping with a `statement` "
                "(and `kpi`, `target`)", key=True)])
    while True:
        for corner, question in CORNERS:
            if answers_path is not None and corner not in given:
                continue
            item = given.get(corner, {})
            statement = _text(item.get("statement")) if item else _text(click.prompt(f"{question} (blank to skip)", default="",
                                                                                   show_default=False))
            if not statement:
                continue
            kpi = _text(item.get("kpi")) if item else _text(click.prompt("  How will you measure it (the KPI)?", default=""))
            target = _text(item.get("target")) if item else _text(click.prompt("  Its target, and by when?", default=""))
            objectives[corner] = Objective(statement, kpi, target)
        if objectives or answers_path is not None:
            break
        click.echo("  A strategy needs at least one objective: answer one corner at least.", err=True)
    if not objectives:
        return None
    rates = reference_rates(currency, (p.currency for p in load_catalog().products.values()))
    return Interview(organisation, currency, users, objectives, meaning, customers, horizon, budget,
                     exchange_rates=rates)


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path), default=Path("strategy"))
@click.option("--answers", "answers_path", type=click.Path(path_type=Path, dir_okay=False),
              help="A YAML file of answers (organisation, meaning, customers, currency, horizon_years, budget, users, "
                   "objectives: {revenue|costs|profitability|lost-opportunities: {statement, kpi, target}}), for "
                   "scripts: nothing is asked, and what it leaves out takes its default.")
def init_command(folder: Path, answers_path: Path | None) -> None:
    """Interview for a new strategy folder: organisation, departments, objectives on the four corners.

    Writes FOLDER/strategy.yaml and one requirements/<department>.yaml per department, seeded with
    the questions for that department's workshop; validates what it wrote; never overwrites a file.
    """
    if folder.exists() and not folder.is_dir():
        raise click.UsageError(f"{folder} is a file: give the name of a new folder for the strategy")
    if (folder / STRATEGY_FILE).exists():
        raise click.UsageError(f"{folder / STRATEGY_FILE} already exists: `vendormatch init` never overwrites a "
                               "file; choose a new folder")
    interview = call(_interview, answers_path)
    if interview is None:
        click.echo("vendormatch: a strategy needs at least one objective; nothing was written", err=True)
        sys.exit(EXIT_FINDINGS)
    written = call(write_new_folder, folder, folder_texts(interview))
    checked = check_strategy(folder, load_catalog())
    echo_diagnostics([d for d in checked.diagnostics if d.code != "objective-unused"])
    for path in written:
        click.echo(f"vendormatch: wrote {path}", err=True)
    if has_errors(checked.diagnostics):
        sys.exit(EXIT_FINDINGS)
    click.echo(f"Next: weigh the objectives (`vendormatch weigh {folder}`), hold each department's workshop and "
               f"write its needs in {folder}/requirements/ (or `vendormatch requirements export {folder} -o req.xlsx` "
               f"for the workshops), then `vendormatch match {folder} --lock`, `vendormatch review {folder}` and "
               f"`vendormatch shortlist {folder}`.")
