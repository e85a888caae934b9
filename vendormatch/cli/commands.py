"""The command line: a thin shell that parses options, calls one library function and renders."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vendormatch.cli.init import init_command
from vendormatch.cli.match import match_command
from vendormatch.cli.options import budget_option, no_lock_option, set_option, solver_option
from vendormatch.cli.questions import questions_command
from vendormatch.cli.requirements import requirements_group
from vendormatch.cli.responses_option import response_files, responses_option, with_responses
from vendormatch.cli.review import review_command
from vendormatch.cli.rfp import responses_group, rfp_command
from vendormatch.cli.stops import Terminated, stop_in, stopped
from vendormatch.cli.support import (
    EXIT_INTERNAL,
    call,
    catalog_option,
    echo_diagnostics,
    emit,
    input_files,
    load_catalog_option,
    load_inputs,
    semantic_option,
    settle,
    table_width,
    with_progress,
    with_settings,
)
from vendormatch.cli.weigh import weigh_command
from vendormatch.files import schemas
from vendormatch.files.output_file import check_output
from vendormatch.files.stances import catalog_coverage
from vendormatch.lint.formats import FORMATS, choose_format, use_color
from vendormatch.lint.validate import KINDS, ValidationResult, validate
from vendormatch.report.catalog_listing import coverage_json, format_catalog, format_coverage, format_features

if TYPE_CHECKING:
    pass


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="vendormatch")
def cli() -> None:
    """Pick CRM software from your strategy, not from a vendor's feature list."""


@cli.command("catalog")
@catalog_option
@click.option("--features", "show_features", is_flag=True, help="List the feature taxonomy instead of products.")
@click.option("--coverage", "show_coverage", is_flag=True,
              help="Per product, how many features are offered, partial, add-on, third-party, absent or unknown.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="With --coverage: a table or JSON.")
def catalog_command(catalog_dir: Path | None, show_features: bool, show_coverage: bool, output_format: str) -> None:
    """List the catalogue's products, editions and prices (or its features, or each product's coverage)."""
    if show_features and show_coverage:
        raise click.UsageError("--features and --coverage cannot be combined; pick one")
    catalog = load_catalog_option(catalog_dir)
    echo_diagnostics(catalog.warnings)
    if show_coverage:
        coverage = catalog_coverage(catalog.products, catalog.features)
        click.echo(coverage_json(coverage) if output_format == "json" else format_coverage(coverage), nl=False)
        return
    click.echo(format_features(catalog) if show_features else format_catalog(catalog), nl=False)


@cli.command("schema")
@click.argument("kind", type=click.Choice(sorted(schemas.SCHEMAS)))
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a file format (for editors and other validators)."""
    click.echo(json.dumps(schemas.json_schema(kind), indent=2, sort_keys=True))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), default=None,
              help="Treat every PATH as this kind instead of telling it by place and content.")
@catalog_option
@click.option("--format", "format_name", type=click.Choice(sorted(FORMATS)), default="auto", show_default=True,
              help="text: file:line:col lines; json: a stable document; github: Actions annotations; "
                   "auto: github under GitHub Actions, else text.")
@click.option("--strict", is_flag=True, help="Warnings count as findings (exit code 1).")
def validate_command(
    paths: tuple[Path, ...], kind: str | None, catalog_dir: Path | None, format_name: str, strict: bool
) -> None:
    """Lint catalogues and strategies (default: ./catalog and ./strategies) as CI and pre-commit do.

    Each PATH is a catalogue folder, a features.yaml, a product file, a strategy file or folder,
    a requirements file, or a folder of these. Exit code: 0 clean (warnings allowed), 1 findings,
    2 unreadable input or bad usage.
    """
    result: ValidationResult = call(validate, paths, kind=kind, catalog=catalog_dir)
    name = choose_format(format_name)
    color = name == "text" and use_color(sys.stdout.isatty())
    click.echo(FORMATS[name](result.diagnostics, color=color, files_checked=len(result.files)), nl=False)
    verdict = f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')}"
    strictly = " (--strict: warnings count)" if strict and result.warnings else ""
    click.echo(f"vendormatch: {_plural(len(result.files), 'file')} checked: {verdict}{strictly}", err=True)
    sys.exit(result.exit_code(strict=strict))


@cli.command("shortlist")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@catalog_option
@budget_option
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the K best products.")
@solver_option
@click.option("--format", "format_name", type=click.Choice(["table", "json", "csv", "markdown", "html", "xlsx"]),
              default="table", show_default=True,
              help="table: for people (the terminal's width, 80 columns in a pipe); json: the documented result "
                   "shape; csv: one row per ranked product; markdown: for a code-hosting site; html: a "
                   "self-contained report with charts; xlsx (with -o): ranking, compliance matrix, costs, "
                   "exclusions and gaps for procurement.")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of stdout; never over an input file.")
@no_lock_option
@semantic_option
@set_option
@responses_option
@click.option("--stack", type=click.IntRange(1, 3), default=1, show_default=True,
              help="2 or 3: also rank stacks of up to that many products bought together (a CRM, a help desk, an "
                   "accounting system), each licensed for the departments that use it, when the stack scores higher "
                   "than each of its parts; every pair must integrate (integrates_with, or api-access in both).")
def shortlist_command(
    *,
    strategy_path: Path, catalog_dir: Path | None, budget: float | None, top: int | None, solver: str,
    format_name: str, output: Path | None, no_lock: bool, settings: tuple[str, ...], stack: int, responses: Path | None,
) -> None:
    """Rank every product for a STRATEGY (file or folder): best edition and add-ons, score, cost, gaps."""
    from vendormatch.report.shortlist_formats import FORMATS as SHORTLIST_FORMATS
    from vendormatch.report.shortlist_formats import format_table as format_shortlist_table
    from vendormatch.solve.shortlist import shortlist

    catalog, checked = load_inputs(strategy_path, catalog_dir)
    catalog = with_responses(catalog, responses)
    assert checked.strategy is not None
    checked = with_settings(checked, settings, catalog)
    decisions = settle(strategy_path, checked, catalog, no_lock)
    inputs = input_files(strategy_path, checked, catalog) + response_files(responses)
    if output is not None:
        call(check_output, output, inputs)
    elif format_name == "xlsx":
        raise click.UsageError("--format xlsx writes a workbook: add -o FILE.xlsx")
    result = with_progress(shortlist, checked.strategy, catalog, decisions, budget=budget, top=top, solver=solver,
                            locations=checked.locations, stack=stack, settings=settings)
    color = format_name == "table" and output is None and use_color(sys.stdout.isatty())
    if format_name == "xlsx":
        from vendormatch.report.workbooks import shortlist_workbook

        emit(shortlist_workbook(result), output, inputs)
        return
    if format_name == "table":
        text = format_shortlist_table(result, color=color, width=table_width(output))
    else:
        text = SHORTLIST_FORMATS[format_name](result, color=color)
    emit(text, output, inputs)


@cli.command("explain")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@click.argument("product_id", metavar="PRODUCT")
@catalog_option
@set_option
@budget_option
@solver_option
@click.option("--format", "format_name", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: for people (80 columns); json: the documented Explanation shape.")
@no_lock_option
@semantic_option
@responses_option
def explain_command(
    *,
    strategy_path: Path, product_id: str, catalog_dir: Path | None, budget: float | None, solver: str,
    format_name: str, no_lock: bool, settings: tuple[str, ...], responses: Path | None,
) -> None:
    """Explain one PRODUCT for a STRATEGY: its bundle, every requirement's level and provider, and the cheapest
    change that closes each gap; or, when it is excluded, why and the cheapest change that brings it back."""
    from vendormatch.analysis.explain import explain
    from vendormatch.files.schema_errors import did_you_mean
    from vendormatch.report.explain_formats import EXPLAIN_FORMATS

    catalog, checked = load_inputs(strategy_path, catalog_dir)
    catalog = with_responses(catalog, responses)
    assert checked.strategy is not None
    if product_id not in catalog.products:
        raise click.BadParameter(f"no product '{product_id}' in the catalogue{did_you_mean(product_id, catalog.products)}"
                                 " (see `vendormatch catalog`)", param_hint="PRODUCT")
    checked = with_settings(checked, settings, catalog)
    decisions = settle(strategy_path, checked, catalog, no_lock)
    explanation = with_progress(explain, checked.strategy, catalog, product_id, decisions, budget=budget, solver=solver,
                                settings=settings)
    click.echo(EXPLAIN_FORMATS[format_name](explanation), nl=False)


@cli.command("frontier")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@catalog_option
@set_option
@solver_option
@click.option("--format", "format_name", type=click.Choice(["table", "json", "xlsx"]), default="table",
              show_default=True, help="table: for people (80 columns); json: the documented Frontier shape; xlsx: "
                                      "a workbook (with -o).")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of stdout; never over an input file.")
@no_lock_option
@semantic_option
@responses_option
def frontier_command(
    *, strategy_path: Path, catalog_dir: Path | None, settings: tuple[str, ...], solver: str, format_name: str,
    output: Path | None, no_lock: bool, responses: Path | None,
) -> None:
    """Every Pareto-efficient (cost, score) bundle for a STRATEGY across the catalogue: what more money buys.

    Computed exactly (epsilon-constraint), with every must-have and the department floor met; the
    budget does not cap it, but bundles within the budget are marked.
    """
    from vendormatch.analysis.frontier import frontier
    from vendormatch.report.frontier_formats import FORMATS as FRONTIER_FORMATS

    catalog, checked = load_inputs(strategy_path, catalog_dir)
    catalog = with_responses(catalog, responses)
    checked = with_settings(checked, settings, catalog)
    decisions = settle(strategy_path, checked, catalog, no_lock)
    inputs = input_files(strategy_path, checked, catalog) + response_files(responses)
    if output is not None:
        call(check_output, output, inputs)
    elif format_name == "xlsx":
        raise click.UsageError("--format xlsx writes a workbook: add -o FILE.xlsx")
    result = call(frontier, checked.strategy, catalog, decisions, solver=solver, settings=settings)
    if format_name == "xlsx":
        from vendormatch.report.workbooks import frontier_workbook

        emit(frontier_workbook(result), output, inputs)
        return
    emit(FRONTIER_FORMATS[format_name](result), output, inputs)


@cli.command("sensitivity")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@catalog_option
@budget_option
@set_option
@click.option("--scenarios", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Random weight scenarios for the robustness figure.")
@click.option("--perturbation", type=click.FloatRange(min=0, max=1, max_open=True), default=0.2, show_default=True,
              help="Each scenario multiplies every objective weight by a random factor in [1-P, 1+P].")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the scenarios: the same seed, the same figure.")
@click.option("--leaders", type=click.IntRange(min=1), default=3, show_default=True, help="Leading products to show.")
@solver_option
@click.option("--format", "format_name", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: for people (80 columns); json: the documented Sensitivity shape.")
@no_lock_option
@semantic_option
@responses_option
def sensitivity_command(
    *,
    strategy_path: Path, catalog_dir: Path | None, budget: float | None, settings: tuple[str, ...], scenarios: int,
    perturbation: float, seed: int, leaders: int, solver: str, format_name: str, no_lock: bool, responses: Path | None,
) -> None:
    """How sure is the winner for a STRATEGY: the smallest change of each objective's weight and of the
    budget that changes it (found by re-solving), and how often it stays first when the weights are off."""
    from vendormatch.analysis.sensitivity import sensitivity
    from vendormatch.report.sensitivity_formats import FORMATS as SENSITIVITY_FORMATS

    catalog, checked = load_inputs(strategy_path, catalog_dir)
    catalog = with_responses(catalog, responses)
    checked = with_settings(checked, settings, catalog)
    decisions = settle(strategy_path, checked, catalog, no_lock)
    result = call(sensitivity, checked.strategy, catalog, decisions, budget=budget, solver=solver, leaders=leaders,
                  perturbation=perturbation, scenarios=scenarios, seed=seed, locations=checked.locations,
                  settings=settings)
    click.echo(SENSITIVITY_FORMATS[format_name](result), nl=False)


cli.add_command(match_command)
cli.add_command(weigh_command)
cli.add_command(questions_command)
cli.add_command(rfp_command)
cli.add_command(responses_group)
cli.add_command(review_command)
cli.add_command(requirements_group)
cli.add_command(init_command)


def run(args: list[str] | None = None) -> int:
    """Run the command line and give the exit code; never lets a traceback reach the user.

    Click's own handling of Ctrl-C ("Aborted!", exit 1) would read as "findings": an interrupt
    says "interrupted" and exits 130.
    """
    try:
        outcome = cli.main(args, standalone_mode=False)
    except click.exceptions.Abort:
        return stopped(KeyboardInterrupt())
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except (KeyboardInterrupt, Terminated) as exc:
        return stopped(exc)
    except Exception as exc:  # a bug: say so plainly instead of dumping a traceback
        stop = stop_in(exc)
        if stop is not None:
            return stopped(stop)
        click.echo(
            f"vendormatch: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in vendormatch; please report it with the command and files that caused it.",
            err=True,
        )
        return EXIT_INTERNAL
    return outcome if isinstance(outcome, int) else 0
