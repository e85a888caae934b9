"""What every command shares: exit codes, printing diagnostics and failing, the catalogue option and
its cache, loading a strategy with its what-ifs and lock file, progress, and writing output."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.output_file import write_atomically
from vendormatch.files.strategy import StrategyCheck, check_strategy

if TYPE_CHECKING:
    from vendormatch.match.matcher import MatchResult
    from vendormatch.match.options import MatchOptions

T = TypeVar("T")

EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def echo_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


def fail(error: VendormatchError) -> NoReturn:
    echo_diagnostics(error.diagnostics)
    errors = sum(1 for d in error.diagnostics if d.severity == "error")
    click.echo(f"vendormatch: {errors} error(s); nothing was written", err=True)
    sys.exit(error.exit_code)


def call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a library function, turning its located errors into messages and an exit code."""
    try:
        return function(*args, **kwargs)
    except VendormatchError as exc:
        fail(exc)


NO_CACHE = "vendormatch.no_cache"


def remember_no_cache(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[NO_CACHE] = True


def catalog_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """--catalog DIR, and --no-cache to read every catalogue file afresh."""
    function = click.option(
        "--no-cache", is_flag=True, expose_value=False, callback=remember_no_cache,
        help="Read every catalogue file afresh instead of from the cache of validated files.",
    )(function)
    return click.option(
        "--catalog", "catalog_dir", type=click.Path(path_type=Path), default=None,
        help="Catalogue folder (features.yaml + vendors/). Default: the embedded catalogue.",
    )(function)


SEMANTIC = "vendormatch.semantic"


def remember_semantic(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[SEMANTIC] = True


#: `--semantic`: match with the optional embedding model (`MatchOptions.hybrid()`); read by `match_options`.
semantic_option = click.option(
    "--semantic", is_flag=True, expose_value=False, callback=remember_semantic,
    help="Match requirements with a text-embedding model blended in (the optional extra: pip install "
         "'.[semantic]' in the repository). Better on real tender language; slower.",
)


def match_options() -> MatchOptions | None:
    """The matcher's options for this run: the hybrid under --semantic (a usage error without the extra),
    else the defaults."""
    from vendormatch.match.options import MatchOptions
    from vendormatch.match.semantic import semantic_available

    if not click.get_current_context().meta.get(SEMANTIC, False):
        return None
    if not semantic_available():
        raise click.UsageError("--semantic needs the optional extra: pip install '.[semantic]' in the vendormatch "
                               "repository, or 'vendormatch[semantic]' from a package index (Linux x86_64); or "
                               "drop --semantic to match on words alone")
    return MatchOptions.hybrid()


def embedding_notice(catalog: Catalog) -> None:
    """Under --semantic, just before the matcher runs: say so on stderr when it must embed the catalogue's
    phrases (a first run, or every run under --no-cache), which takes a while."""
    from vendormatch.match.semantic import vectors_cached

    if not click.get_current_context().meta.get(SEMANTIC, False):
        return
    if not use_cache():
        click.echo("vendormatch: --semantic embeds the catalogue's phrases on every run without the cache "
                   "(about 25 s on 2 cores for the shipped catalogue)", err=True)
    elif not vectors_cached(catalog.features):
        click.echo("vendormatch: --semantic embeds the catalogue's phrases once (about 25 s on 2 cores for the "
                   "shipped catalogue); later runs read them from the cache", err=True)


def use_cache() -> bool:
    """Whether this run may read and write the user's caches (catalogue files, the matcher's stems)."""
    return not click.get_current_context().meta.get(NO_CACHE, False)


def load_catalog_option(catalog_dir: Path | None) -> Catalog:
    """The catalogue, from the cache of validated files unless --no-cache (exit on errors)."""
    catalog: Catalog = call(load_catalog, catalog_dir, cache=use_cache())
    return catalog


def load_inputs(strategy_path: Path, catalog_dir: Path | None) -> tuple[Catalog, StrategyCheck]:
    """Load the catalogue and the strategy, echoing warnings; exit on errors."""
    catalog = load_catalog_option(catalog_dir)
    checked: StrategyCheck = call(check_strategy, strategy_path, catalog)
    if checked.strategy is None:
        fail(VendormatchError(checked.diagnostics))
    echo_diagnostics([*catalog.warnings, *checked.diagnostics])
    return catalog, checked


def with_settings(checked: StrategyCheck, settings: tuple[str, ...], catalog: Catalog) -> StrategyCheck:
    """The loaded strategy with the --set changes applied; exit 2 on a bad setting, or on settings whose
    costs would leave the range the strategy's file is held to (the cost-range rule)."""
    from dataclasses import replace

    from vendormatch.analysis.whatif import SettingError, apply_settings
    from vendormatch.files.cost_rules import cost_problem

    assert checked.strategy is not None
    if not settings:
        return checked
    strategy = call(apply_settings, checked.strategy, settings)
    problem = cost_problem(strategy, catalog.products)
    if problem is not None:
        fail(SettingError([Diagnostic("--set", 0, 0, "error", "cost-out-of-range", f"{' '.join(settings)}: {problem}")]))
    return replace(checked, strategy=strategy)


def settle(strategy_path: Path, checked: StrategyCheck, catalog: Catalog, no_lock: bool) -> MatchResult:
    """Each requirement's features: pins, then the lock file (unless --no-lock), then the matcher; exit on errors."""
    from vendormatch.match.resolution import settle_features

    assert checked.strategy is not None
    decisions, lock_findings = call(settle_features, strategy_path, checked.strategy, catalog, match_options(),
                                    use_lock=not no_lock, cache=use_cache(),
                                    before_matching=lambda: embedding_notice(catalog))
    if any(d.severity == "error" for d in lock_findings):
        fail(VendormatchError(lock_findings))
    echo_diagnostics(lock_findings)
    return decisions


def input_files(strategy_path: Path, checked: StrategyCheck, catalog: Catalog) -> list[Path]:
    """Every file the run reads (or may read): the strategy's files, its lock file, the catalogue's files."""
    from vendormatch.files.strategy import lock_path

    files = [Path(f) for f in checked.files] + [lock_path(strategy_path), Path(catalog.root) / "features.yaml"]
    return files + [Path(f) for f in catalog.files.values()]


def with_progress(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a long library call with a progress line on stderr (a terminal only, after a moment), then erase it."""
    from vendormatch.cli.progress import ProgressLine

    error: VendormatchError
    with ProgressLine(sys.stderr, enabled=sys.stderr.isatty()) as progress:
        try:
            return function(*args, progress=progress, **kwargs)
        except VendormatchError as exc:
            error = exc  # reported once the progress line is gone
    fail(error)


def table_width(output: Path | None) -> int:
    """Columns for a table: the terminal's when printing to one (within 60-200), else 80 for pipes and files."""
    from vendormatch.report.shortlist_formats import WIDTH

    if output is None and sys.stdout.isatty():
        return max(60, min(shutil.get_terminal_size((WIDTH, 24)).columns, 200))
    return WIDTH


def emit(text: str | bytes, output: Path | None, inputs: list[Path]) -> None:
    """Print the text, or write it (or a workbook's bytes) to the --output file atomically."""
    if output is None:
        if isinstance(text, bytes):
            raise click.UsageError("a workbook is written to a file: add -o FILE.xlsx")
        click.echo(text, nl=False)
        return
    call(write_atomically, output, text, inputs)
    click.echo(f"vendormatch: wrote {output}", err=True)
