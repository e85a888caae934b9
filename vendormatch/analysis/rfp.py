"""Writing the vendors' questionnaires: the strategy's needs and the feature questions, decision-relevant first."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from vendormatch.analysis.questions import decision_questions
from vendormatch.files.alternatives import real_features
from vendormatch.files.catalog import Catalog
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.models import Strategy
from vendormatch.files.output_file import replace_file
from vendormatch.files.questionnaire import COLUMNS, question_rows, write_questionnaire
from vendormatch.files.requirement_sheets import backup
from vendormatch.files.schema_errors import did_you_mean
from vendormatch.match.results import MatchResult
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements

FORMATS = ("xlsx", "csv", "markdown")


def write_rfp(
    strategy: Strategy, catalog: Catalog, products: Sequence[str], folder: Path, *, decisions: MatchResult | None = None,
    output_format: str = "xlsx", deadline: str | None = None, top: int = 3,
) -> list[Path]:
    """One questionnaire per product in `folder` (`rfp-<product>.xlsx|csv|md`); return the files written.

    A questionnaire already there (perhaps filled in) is kept beside the new one as `.bak`, `.bak2`, ...

    The questions cover every feature the strategy's settled requirements need; those whose answer
    could change the top `top` or the winner (`decision_questions`) come first and are marked.
    """
    unknown = [p for p in products if p not in catalog.products]
    if unknown or not products:
        raise VendormatchError([Diagnostic("--products", 0, 0, "error", "unknown-product",
                                           f"unknown product '{p}'{did_you_mean(p, catalog.products)}") for p in unknown]
                               or [Diagnostic("--products", 0, 0, "error", "no-products", "name at least one product")])
    if output_format not in FORMATS:
        raise ValueError(f"output_format must be one of {FORMATS}")
    decisions = decisions if decisions is not None else pinned_decisions(strategy)
    requirements, _ = scored_requirements(strategy, decisions)
    needed = sorted(real_features(f for r in requirements for f in r.features))
    relevant = decision_questions(strategy, catalog, decisions, top=top)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for product_id in products:
        product = catalog.products[product_id]
        asked = [q.feature for q in relevant.questions if q.product == product_id]
        rows = question_rows(strategy, catalog, product, needed, asked)
        suffix = {"xlsx": "xlsx", "csv": "csv", "markdown": "md"}[output_format]
        path = folder / f"rfp-{product_id}.{suffix}"
        if path.exists():
            # A questionnaire already there may hold a vendor's answers: keep it.
            backup(path)
        if output_format == "xlsx":
            write_questionnaire(path, strategy, product, rows, deadline=deadline)
        elif output_format == "csv":
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows([list(COLUMNS), *rows])
            replace_file(path, buffer.getvalue(), newline="\n")
        else:
            replace_file(path, _markdown(strategy, product_id, rows, deadline), newline="\n")
        written.append(path)
    return written


def _markdown(strategy: Strategy, product_id: str, rows: list[list[str]], deadline: str | None) -> str:
    lines = [f"# Questionnaire from {strategy.organisation} for `{product_id}`", "",
             f"Deadline: {deadline or 'as agreed'}. Answer each question: yes, partial, roadmap (with its date), "
             "third-party (name the app) or no; the edition that includes it; any extra price; a link to your "
             "documentation. Decision-relevant questions can change the shortlist: answer those first.", "",
             "## What we need", ""]
    lines += [f"- **{r.department or '—'}** ({r.priority}): {r.text}" for r in strategy.requirements]
    lines += ["", "## Questions", "", "| Feature | Question | Decision-relevant | Answer | Edition | Evidence |",
              "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| `{row[0]}` | {row[1].replace('|', '/')} | {row[2] or ''} |  |  |  |" for row in rows]
    return "\n".join(lines) + "\n"
