"""Pairwise objective weights: the eigenvector, the consistency ratio, the located errors and `vendormatch weigh`."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from vendormatch.cli.commands import cli
from vendormatch.files.models import requirement_weight
from vendormatch.files.pairwise import RANDOM_INDEX, derive
from vendormatch.files.strategy import check_strategy, load_strategy

ROOT = Path(__file__).resolve().parent.parent
HEAD = """organisation: Test Ltd
currency: USD
horizon_years: 3
users: {sales: 5}
"""
OBJECTIVES = """objectives:
  grow: {statement: Grow revenue, kpi: revenue}
  retain: {statement: Keep clients, kpi: churn}
  save: {statement: Cut costs, kpi: cost}
requirements:
  - {id: r1, text: track deals, objective: grow, department: sales}
  - {id: r2, text: log complaints as tickets, objective: retain, department: sales}
  - {id: r3, text: automate reminders, objective: save, department: sales}
"""


FOUR = OBJECTIVES.replace("requirements:", "  keep: {statement: Keep staff, kpi: turnover}\nrequirements:") + (
    "  - {id: r4, text: internal chat, objective: keep, department: sales}\n")
FLIPPED = ("judgements:\n  - [grow, retain, 2]\n  - [grow, save, 4]\n  - [grow, keep, 8]\n  - [retain, save, 2]\n"
           "  - [keep, retain, 9]\n  - [save, keep, 2]\n")


def _write(tmp_path: Path, judgements: str, objectives: str = OBJECTIVES, weights: str = "weights: pairwise\n") -> Path:
    path = tmp_path / "strategy.yaml"
    path.write_text(HEAD + weights + judgements + objectives, encoding="utf-8")
    return path


def _errors(path: Path) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.code) for d in check_strategy(path).diagnostics if d.severity == "error"]


def _oracle(objectives: list[str], judgements: list[tuple[str, str, int]]) -> tuple[np.ndarray, float]:
    """The principal eigenvector and lambda_max by numpy's general eigen-solver: an independent reading."""
    place = {o: i for i, o in enumerate(objectives)}
    matrix = np.ones((len(objectives), len(objectives)))
    for more, less, n in judgements:
        matrix[place[more], place[less]], matrix[place[less], place[more]] = n, 1 / n
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    return vector / vector.sum(), float(values[k].real)


def test_consistent_judgements_give_the_exact_ratios_and_a_ratio_of_zero() -> None:
    derived = derive(["a", "b", "c"], [("a", "b", 2), ("a", "c", 4), ("b", "c", 2)])
    assert derived.weights == pytest.approx({"a": 12 / 7, "b": 6 / 7, "c": 3 / 7}, abs=1e-4)
    assert derived.consistency_ratio == pytest.approx(0.0, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 7).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.tuples(st.booleans(), st.integers(1, 9)), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))))
def test_weights_and_ratio_agree_with_a_general_eigen_solver(case: tuple[int, list[tuple[bool, int]]]) -> None:
    n, draws = case
    objectives = [f"o{i}" for i in range(n)]
    judgements = [(a, b, k) if first else (b, a, k)
                  for (a, b), (first, k) in zip(itertools.combinations(objectives, 2), draws, strict=True)]
    vector, lambda_max = _oracle(objectives, judgements)
    derived = derive(objectives, judgements)
    assert [derived.weights[o] for o in objectives] == pytest.approx(list(vector * n), abs=2e-4)
    assert derived.consistency_ratio == pytest.approx(max(0.0, (lambda_max - n) / (n - 1)) / RANDOM_INDEX[n], abs=1e-4)


def test_the_strategy_takes_the_derived_weights(tmp_path: Path) -> None:
    path = _write(tmp_path, "judgements:\n  - [grow, retain, 2]\n  - [grow, save, 4]\n  - [retain, save, 2]\n")
    strategy = load_strategy(path)
    assert {o: v.weight for o, v in strategy.objectives.items()} == pytest.approx(
        {"grow": 12 / 7, "retain": 6 / 7, "save": 3 / 7}, abs=1e-4)
    r1 = strategy.requirements[0]
    assert requirement_weight(r1, strategy) == pytest.approx(2 * 12 / 7, abs=1e-3)  # a `should` counts twice


@pytest.mark.parametrize(("judgements", "objectives", "expected"), [
    ("judgements:\n  - [grow, retian, 2]\n  - [grow, save, 4]\n  - [retain, save, 2]\n", OBJECTIVES,
     [(7, 12, "pairwise-unknown-objective")]),
    ("judgements:\n  - [grow, grow, 2]\n  - [grow, save, 4]\n  - [retain, save, 2]\n  - [grow, retain, 2]\n", OBJECTIVES,
     [(7, 5, "pairwise-self")]),
    ("judgements:\n  - [grow, retain, 2]\n  - [grow, save, 4]\n  - [retain, save, 2]\n  - [save, grow, 3]\n", OBJECTIVES,
     [(10, 5, "pairwise-duplicate")]),
    ("judgements:\n  - [grow, retain, 2]\n", OBJECTIVES, [(5, 10, "pairwise-incomplete")]),
    ("judgements:\n  - [grow, retain, 2]\n  - [grow, save, 4]\n  - [retain, save, 12]\n", OBJECTIVES,
     [(9, 20, "bad-value")]),
    ("judgements:\n  - [grow, retain, 2]\n  - [grow, save, 4]\n  - [retain, save, 2]\n",
     OBJECTIVES.replace("kpi: revenue}", "kpi: revenue, weight: 3}"), [(11, 49, "pairwise-weight-conflict")]),
    # Four objectives judged 8:4:2:1 but one pair flipped: that judgement is named.
    (FLIPPED, FOUR, [(11, 5, "pairwise-inconsistent")]),
])
def test_each_mistake_is_a_located_error(tmp_path: Path, judgements: str, objectives: str,
                                         expected: list[tuple[int, int, str]]) -> None:
    assert _errors(_write(tmp_path, judgements, objectives)) == expected


def test_the_inconsistency_message_names_the_judgement_and_what_the_others_imply(tmp_path: Path) -> None:
    path = _write(tmp_path, FLIPPED, FOUR)
    (message,) = [d.message for d in check_strategy(path).diagnostics if d.code == "pairwise-inconsistent"]
    assert "consistency ratio" in message and "[keep, retain, 9]" in message and "revise it first" in message
    assert "imply about [retain, keep, 4]" in message


def test_judgements_without_the_pairwise_setting_are_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "judgements:\n  - [grow, retain, 2]\n", weights="")
    assert _errors(path) == [(5, 1, "pairwise-unused")]


def test_the_shipped_pairwise_strategy_reports_its_ratio(tmp_path: Path) -> None:
    runner = CliRunner()
    strategy = ROOT / "strategies" / "tight-budget.yaml"
    shown = runner.invoke(cli, ["shortlist", str(strategy), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    summary = json.loads(shown.stdout)["strategy"]
    assert 0 <= summary["consistency_ratio"] <= 0.1
    weights = {o: v["weight"] for o, v in summary["objectives"].items()}
    assert weights["win-cafes"] > weights["renew-service-plans"] > weights["low-overhead"]
    assert sum(weights.values()) == pytest.approx(3, abs=1e-3)
    markdown = runner.invoke(cli, ["shortlist", str(strategy), "--format", "markdown"])
    assert "Weights derived from pairwise judgements" in markdown.stdout


def test_weigh_asks_each_pair_and_prints_the_block_to_paste(tmp_path: Path) -> None:
    path = _write(tmp_path, "", weights="")
    answers = "grow\n3\ngrow\n5\nretain\n2\n"
    outcome = CliRunner().invoke(cli, ["weigh", str(path)], input=answers)
    assert outcome.exit_code == 0, outcome.output
    assert "weights: pairwise\njudgements:\n  - [grow, retain, 3]\n  - [grow, save, 5]\n  - [retain, save, 2]\n" in outcome.output
    assert path.read_text(encoding="utf-8") == HEAD + OBJECTIVES  # never edits the strategy


def test_weigh_offers_to_revise_the_judgement_that_strays_and_fails_when_declined(tmp_path: Path) -> None:
    path = _write(tmp_path, "", weights="")
    cycle = "grow\n2\nsave\n7\nretain\n3\n"
    declined = CliRunner().invoke(cli, ["weigh", str(path)], input=cycle + "n\n")
    assert declined.exit_code == 1
    assert "strays furthest" in declined.output and "[save, grow, 7]" in declined.output
    revised = CliRunner().invoke(cli, ["weigh", str(path)], input=cycle + "y\ngrow\n6\n")
    assert revised.exit_code == 0, revised.output
    assert "  - [grow, save, 6]\n" in revised.output


def test_weigh_refuses_a_strategy_with_errors(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(HEAD + "objectives: {grow: {statement: 3.5.1, weight: high}}\n", encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["weigh", str(path)])
    assert outcome.exit_code == 1 and "broken.yaml:5:" in outcome.output
