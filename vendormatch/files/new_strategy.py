"""A new strategy folder from an interview: the organisation, its departments, objectives on four corners.

The interview follows the practitioners' method: say what CRM means to the organisation and why
its customers come, name the departments and their users, and set objectives along the four
bottom-line corners (revenue, costs, profitability, the cost of lost opportunities), each with a
KPI and a target. The folder gets `strategy.yaml` and one `requirements/<department>.yaml` per
department, empty but seeded with the questions for that department's workshop as comments.
Nothing existing is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from vendormatch.files.currencies import REFERENCE_AS_OF, REFERENCE_SOURCE, reference_rate
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.output_file import replace_file
from vendormatch.files.strategy import REQUIREMENTS_DIR, STRATEGY_FILE
from vendormatch.files.workshop import questions

#: The four corners, in the order asked: objective id, and the question that prompts it.
CORNERS: tuple[tuple[str, str], ...] = (
    ("revenue", "Revenue: which revenue should grow, and by how much?"),
    ("costs", "Costs: which cost of winning or serving customers should fall?"),
    ("profitability", "Profitability: which customers, products or channels should become more profitable?"),
    ("lost-opportunities", "Lost opportunities: which enquiries, renewals or sales slip away today?"),
)


@dataclass(frozen=True)
class Objective:
    """An objective as the interview records it."""

    statement: str
    kpi: str
    target: str = ""


@dataclass(frozen=True)
class Interview:
    """The answers of `vendormatch init`."""

    organisation: str
    currency: str
    users: Mapping[str, int]
    objectives: Mapping[str, Objective]
    meaning: str = ""
    customers: str = ""
    horizon_years: float = 3
    budget: float | None = None
    weights: Mapping[str, float] = field(default_factory=dict)
    #: Units of the strategy's currency per unit of each currency the catalogue prices in.
    exchange_rates: Mapping[str, float] = field(default_factory=dict)


#: Said beside the exchange rates `init` writes: they are a starting point, not the finance team's rates.
RATES_NOTE = (f"  # reference rates of {REFERENCE_AS_OF} ({REFERENCE_SOURCE}); replace them with your "
              "finance team's planning rates")


def reference_rates(currency: str, priced_in: Iterable[str]) -> dict[str, float]:
    """Units of `currency` per unit of each other currency the catalogue prices in, by the reference rates."""
    rates = {}
    for code in sorted(set(priced_in) - {currency}):
        rate = reference_rate(currency, code)
        if rate is not None:
            rates[code] = rate
    return rates


def _number(value: float) -> float | int:
    """3.0 written as 3: whole numbers read as people write them."""
    return int(value) if float(value).is_integer() else value


def _comment(text: str, indent: str = "") -> str:
    return "".join(f"{indent}# {line}\n" if line else f"{indent}#\n" for line in text.splitlines())


def strategy_text(answers: Interview) -> str:
    """The `strategy.yaml` of the answers, with what CRM means and why customers come as comments."""
    head = f"Strategy of {answers.organisation}, written by `vendormatch init`.\n"
    if answers.meaning:
        head += f"What CRM means to us: {answers.meaning}\n"
    if answers.customers:
        head += f"Why our customers come to us: {answers.customers}\n"
    head += "Requirements are in requirements/<department>.yaml, one file per department."
    data: dict[str, object] = {
        "organisation": answers.organisation,
        "currency": answers.currency,
        "horizon_years": _number(answers.horizon_years),
    }
    if answers.budget is not None:
        data["budget"] = _number(answers.budget)
    if answers.exchange_rates:
        data["exchange_rates"] = {c: round(r, 6) for c, r in sorted(answers.exchange_rates.items())}
    data["users"] = dict(answers.users)
    objectives: dict[str, dict[str, object]] = {}
    for oid, objective in answers.objectives.items():
        entry: dict[str, object] = {"statement": objective.statement}
        kpi = objective.kpi + (f"; target: {objective.target}" if objective.target else "")
        if kpi:
            entry["kpi"] = kpi
        if oid in answers.weights:
            entry["weight"] = answers.weights[oid]
        objectives[oid] = entry
    data["objectives"] = objectives
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if answers.exchange_rates:
        body = body.replace("exchange_rates:\n", f"exchange_rates:{RATES_NOTE}\n", 1)
    return _comment(head) + body


def requirements_text(department: str, objectives: Mapping[str, Objective]) -> str:
    """An empty `requirements/<department>.yaml`, with the workshop's questions and an example as comments."""
    first = next(iter(objectives), "an-objective")
    lines = [f"Requirements of {department}: one entry per need, in the words of the people who do the work.",
             "Questions for the workshop with the customer-facing staff:"]
    lines += [f"  - {q}" for q in questions(department)]
    lines += ["Write each need like this (priority: must, should, could or wont):",
              "  - id: a-short-name",
              "    text: What the team needs, and why",
              f"    objective: {first}",
              "    priority: should"]
    return _comment("\n".join(lines)) + "requirements: []\n"


def folder_texts(answers: Interview) -> dict[str, str]:
    """Every file of the new folder, by its path inside the folder."""
    texts = {STRATEGY_FILE: strategy_text(answers)}
    for department in answers.users:
        texts[f"{REQUIREMENTS_DIR}/{department}.yaml"] = requirements_text(department, answers.objectives)
    return texts


def write_new_folder(folder: Path, texts: Mapping[str, str]) -> list[Path]:
    """Write the files; when any of them exists already, write none and say which."""
    paths = [folder / relative for relative in texts]
    existing = [p for p in paths if p.exists() or p.is_symlink()]
    if existing:
        raise VendormatchError([Diagnostic(str(p), 0, 0, "error", "would-overwrite",
                                           "already exists; `vendormatch init` never overwrites a file: choose a new "
                                           "folder, or move this file away") for p in existing])
    for path, text in zip(paths, texts.values(), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, text, newline="\n")
    return paths
