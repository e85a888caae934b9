"""Fault injection: special files as inputs and outputs, damaged caches, code that changed under the
cache, extreme values, a lock that cannot be written, interrupts, and concurrent runs.

Whatever happens, no user file is lost or half-written, nothing hangs, and no wrong answer comes out
with exit code 0. Child processes run with a deadline, so a hang fails the test instead of the suite.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DESIGN_CATALOG, DESIGN_STRATEGY, REPO, SHIPPED_CATALOG, SHIPPED_STRATEGIES

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.catalog_cache import (
    STALE_TEMPORARY_SECONDS,
    CacheFile,
    cache_path,
    signals_deferred,
)
from vendormatch.files.strategy import load_strategy
from vendormatch.match.matcher import match_requirements
from vendormatch.match.normalise import stems

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX: named pipes, signals, rlimits")


def vendormatch(*args: str, cwd: Path, env: Mapping[str, str] | None = None,
                preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    """The command in a child process with a deadline: a FIFO that blocks must fail the test, not hang it."""
    environment = {**os.environ, "VENDORMATCH_CACHE_DIR": str(cwd / "cache"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "vendormatch", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60, check=False, preexec_fn=preexec)


# -- special files -----------------------------------------------------------------------------


def test_a_fifo_among_the_products_is_refused_without_blocking(tmp_path: Path) -> None:
    catalog = shutil.copytree(SHIPPED_CATALOG, tmp_path / "cat")
    os.mkfifo(catalog / "vendors" / "pipe.yaml")
    done = vendormatch("validate", "cat", cwd=tmp_path)
    assert done.returncode == 2
    assert "cat/vendors/pipe.yaml:0:0: error is not a regular file (a FIFO, device or socket)" in done.stdout
    shortlisted = vendormatch("shortlist", str(SHIPPED_STRATEGIES / "tight-budget.yaml"), "--catalog", "cat",
                              "--no-cache", cwd=tmp_path)
    assert shortlisted.returncode == 2 and "is not a regular file" in shortlisted.stderr


def test_a_fifo_strategy_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "plan.yaml")
    done = vendormatch("shortlist", "plan.yaml", cwd=tmp_path)
    assert done.returncode == 2 and "plan.yaml:0:0: error is not a regular file" in done.stderr


def test_output_never_replaces_a_fifo(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    os.mkfifo(target)
    done = vendormatch("shortlist", str(SHIPPED_STRATEGIES / "tight-budget.yaml"), "--format", "html", "-o",
                       str(target), cwd=tmp_path)
    assert done.returncode == 2
    assert "--output names a FIFO (named pipe), not a regular file" in done.stderr
    assert stat.S_ISFIFO(target.stat().st_mode)


def test_a_rewritten_lock_keeps_its_mode(tmp_path: Path) -> None:
    strategy = shutil.copy(SHIPPED_STRATEGIES / "sme-services.yaml", tmp_path / "plan.yaml")
    lock = tmp_path / "plan.lock.yaml"
    shutil.copy(SHIPPED_STRATEGIES / "sme-services.lock.yaml", lock)
    lock.chmod(0o644)
    done = vendormatch("match", str(strategy), "--lock", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(lock.stat().st_mode) == 0o644
    assert list(tmp_path.glob(".plan.lock.yaml.*")) == []  # no temporary file left behind


# -- a damaged cache ---------------------------------------------------------------------------


@pytest.fixture
def cached_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the DESIGN catalogue, loaded once so that its cache document exists."""
    monkeypatch.setenv("VENDORMATCH_CACHE_DIR", str(tmp_path / "cache"))
    catalog = Path(shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog"))
    load_catalog(catalog, cache=True)
    assert cache_path(catalog).is_file()
    return catalog


def _alter_entry(catalog: Path, change: Callable[[dict[str, object]], None]) -> None:
    """Edit the cached entry of acme-crm.yaml in place, leaving the document valid JSON."""
    document = json.loads(cache_path(catalog).read_text())
    key = next(k for k in document["entries"] if k.endswith("acme-crm.yaml"))
    change(document["entries"][key]["entry"])
    cache_path(catalog).write_text(json.dumps(document))


def test_a_cached_price_changed_by_one_digit_is_not_served(cached_catalog: Path) -> None:
    fresh = load_catalog(cached_catalog).products

    def cheaper(entry: dict[str, object]) -> None:
        product = entry["product"]
        assert isinstance(product, dict)
        product["editions"]["professional"]["price"]["per_user_month"] = 19.0

    _alter_entry(cached_catalog, cheaper)
    assert load_catalog(cached_catalog, cache=True).products == fresh
    # The altered entry was replaced on save: the next run reads the true price from the cache.
    assert "19.0" not in cache_path(cached_catalog).read_text()
    assert load_catalog(cached_catalog, cache=True).products == fresh


def test_a_cached_entry_that_lost_its_product_does_not_drop_the_product(cached_catalog: Path) -> None:
    fresh = load_catalog(cached_catalog).products
    def forget(entry: dict[str, object]) -> None:
        del entry["product"]

    _alter_entry(cached_catalog, forget)
    assert load_catalog(cached_catalog, cache=True).products == fresh


def test_a_cache_document_far_too_large_is_not_read(cached_catalog: Path) -> None:
    fresh = load_catalog(cached_catalog).products
    with cache_path(cached_catalog).open("r+b") as handle:
        handle.truncate(600 * 1024 * 1024)  # sparse: no disk used, but reading it would take 600 MB
    assert load_catalog(cached_catalog, cache=True).products == fresh
    assert cache_path(cached_catalog).stat().st_size < 1024 * 1024  # rebuilt


@pytest.mark.parametrize("plant", ["fifo", "dev-zero"])
def test_a_special_file_in_place_of_the_cache_neither_hangs_nor_exhausts_memory(
    tmp_path: Path, plant: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog")
    monkeypatch.setenv("VENDORMATCH_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    document = cache_path(Path(catalog))
    if plant == "fifo":
        os.mkfifo(document)
    else:
        document.symlink_to("/dev/zero")
    done = vendormatch("shortlist", str(DESIGN_STRATEGY), "--catalog", "catalog", "--format", "json", "--no-lock",
                       cwd=tmp_path)
    baseline = vendormatch("shortlist", str(DESIGN_STRATEGY), "--catalog", "catalog", "--format", "json",
                           "--no-lock", "--no-cache", cwd=tmp_path)
    assert done.returncode == baseline.returncode == 0, done.stderr
    assert done.stdout == baseline.stdout
    assert stat.S_ISFIFO(document.lstat().st_mode) if plant == "fifo" else document.is_symlink()  # left alone


def test_temporary_files_of_a_killed_save_are_removed(cached_catalog: Path) -> None:
    folder = cache_path(cached_catalog).parent
    stale, young = folder / ".catalog-stale.tmp", folder / ".catalog-young.tmp"
    stale.write_text("half a cache")
    young.write_text("a save in progress")
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    os.utime(stale, (old, old))
    product = cached_catalog / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text() + "\n")  # a change, so that the cache is saved again
    load_catalog(cached_catalog, cache=True)
    assert not stale.exists()
    assert young.exists()


def test_a_save_is_never_cut_short_by_an_interrupt() -> None:
    reached_end = False
    with pytest.raises(KeyboardInterrupt), signals_deferred():
        # To this thread: sent to the process, the signal may land on another thread (a native
        # library's worker, say), and Python then handles it only at a later check, possibly after
        # the block; the test would then see no interrupt although nothing was cut short.
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        time.sleep(0.05)  # the interrupt would be raised here if it were not held back
        reached_end = True
    assert reached_end


def test_the_cache_is_keyed_on_the_code_not_the_version(tmp_path: Path) -> None:
    """An editable install reports one version whatever the code says: changed code must not be served
    what the old code cached."""
    catalog = shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog")
    product = catalog / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("license: proprietary", "licence: proprietary"))
    first = vendormatch("catalog", "--catalog", "catalog", cwd=tmp_path)
    assert first.returncode == 1 and "unknown key 'licence'" in first.stderr
    code = tmp_path / "code"
    shutil.copytree(REPO / "vendormatch", code / "vendormatch", ignore=shutil.ignore_patterns("__pycache__"))
    messages = code / "vendormatch" / "files" / "schema_errors.py"
    messages.write_text(messages.read_text().replace('f"unknown key', 'f"unrecognised key'))
    changed = vendormatch("catalog", "--catalog", "catalog", cwd=tmp_path, env={"PYTHONPATH": str(code)})
    assert changed.returncode == 1
    assert "unrecognised key 'licence'" in changed.stderr, changed.stderr
    [document] = list((tmp_path / "cache").glob("catalog-*.json"))
    stored = CacheFile.model_validate_json(document.read_bytes())
    assert all(sealed.digest == sealed.entry.digest() for sealed in stored.entries.values())


# -- extreme values ----------------------------------------------------------------------------


def test_absurd_users_in_a_setting_are_a_usage_error_not_a_crash() -> None:
    result = CliRunner().invoke(cli, ["shortlist", str(SHIPPED_STRATEGIES / "sme-services.yaml"),
                                      "--set", "users.sales=1000000000000"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("--set:0:0: error users.sales=1000000000000: must be at most 10,000,000")
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ("sales: 12,", "sales: 1000000000000,", "6:16", "users.sales: must be at most 10,000,000"),
    ("    weight: 5\n", "    weight: 1e300\n", "11:13", "objectives.repeat-business.weight: must be at most 1,000"),
    ("{EUR: 1.08}", "{EUR: 0}", "5:23", "exchange_rates.EUR: must be at least 0.000001"),
    ("budget: 60000 ", "budget: 1e15 ", "4:9", "budget: must be at most 100,000,000,000,000"),
])
def test_out_of_range_figures_are_located_errors(tmp_path: Path, old: str, new: str, where: str, words: str) -> None:
    text = DESIGN_STRATEGY.read_text()
    assert old in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace(old, new, 1))
    for command in (["validate", str(plan)], ["shortlist", str(plan), "--catalog", str(DESIGN_CATALOG)]):
        done = CliRunner().invoke(cli, command)
        assert done.exit_code == 1, done.output
        assert f"plan.yaml:{where}: error {words}" in done.output
        assert done.exception is None or isinstance(done.exception, SystemExit)


def test_the_largest_legal_figures_solve_to_the_exact_cost(tmp_path: Path) -> None:
    text = DESIGN_STRATEGY.read_text()
    for old, new in [("sales: 12,", "sales: 9999990,"), ("    weight: 5\n", "    weight: 1000\n"),
                     ("    weight: 3\n", "    weight: 0.001\n"), ("budget: 60000 ", "budget: 1000000000000 ")]:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "plan.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["shortlist", str(tmp_path / "plan.yaml"), "--catalog", str(DESIGN_CATALOG),
                                      "--format", "json", "--no-lock"])
    assert result.exit_code == 0, result.output
    top = json.loads(result.stdout)["rankings"][0]
    assert (top["product"], top["edition"], [line["item"] for line in top["cost_lines"]]) == (
        "acme-crm", "professional", ["professional", "voice"])
    # Professional (49 a user a month, 1,500 once) and Voice (12 a user a month), 10,000,000 users, 36 months.
    assert top["cost_total"] == (49 + 12) * 10_000_000 * 36 + 1500


# -- a lock that cannot be written, and one that need not change -------------------------------


def _small_files_only() -> None:
    """In the child: any write past 1 KB fails with EFBIG, as on a full disk (root is not exempt)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_a_lock_that_cannot_be_written_is_a_clear_error_and_the_old_lock_stays(tmp_path: Path) -> None:
    shutil.copy(SHIPPED_STRATEGIES / "sme-services.yaml", tmp_path / "plan.yaml")
    lock = tmp_path / "plan.lock.yaml"
    lock.write_text("# reviewed by hand\nversion: 1\nrequirements: {}\n")
    before = lock.read_bytes()
    done = vendormatch("match", "plan.yaml", "--lock", cwd=tmp_path, env={"VENDORMATCH_CACHE_DIR": "/nonexistent/x"},
                       preexec=_small_files_only)
    assert done.returncode == 2, done.stderr
    assert "plan.lock.yaml:0:0: error the lock file cannot be written (File too large)" in done.stderr
    assert "internal error" not in done.stderr
    assert lock.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_locking_again_leaves_reviewed_entries_as_they_were(tmp_path: Path) -> None:
    for name in ("sme-services", "tight-budget"):
        shutil.copy(SHIPPED_STRATEGIES / f"{name}.yaml", tmp_path / f"{name}.yaml")
        shutil.copy(SHIPPED_STRATEGIES / f"{name}.lock.yaml", tmp_path / f"{name}.lock.yaml")
        result = CliRunner().invoke(cli, ["match", str(tmp_path / f"{name}.yaml"), "--lock"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"{name}.lock.yaml").read_bytes() == (SHIPPED_STRATEGIES / f"{name}.lock.yaml").read_bytes()


# -- exit codes ----------------------------------------------------------------------------------


def test_a_vendors_entry_that_is_not_a_folder_is_unreadable_input_not_an_empty_catalogue(tmp_path: Path) -> None:
    catalog = shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog")
    shutil.rmtree(catalog / "vendors")
    (catalog / "vendors").write_text("not a folder")
    runner = CliRunner()
    for args in (["validate", str(catalog)], ["shortlist", str(DESIGN_STRATEGY), "--catalog", str(catalog)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert "vendors:0:0: error is not a folder; it must be a readable folder of product files" in result.output


# -- interrupts ----------------------------------------------------------------------------------


def _stop_after(delay: float, how: int, tmp_path: Path) -> tuple[int, str]:
    env = {**os.environ, "VENDORMATCH_CACHE_DIR": str(tmp_path / "cache")}
    child = subprocess.Popen(
        [sys.executable, "-m", "vendormatch", "shortlist", str(SHIPPED_STRATEGIES / "sme-services.yaml"),
         "--format", "html", "-o", str(tmp_path / "report.html")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(delay)
    child.send_signal(how)
    _, err = child.communicate(timeout=60)
    return child.returncode, err


@pytest.mark.parametrize("delay", [0.3, 0.9])
def test_ctrl_c_says_interrupted_exits_130_and_leaves_no_partial_file(tmp_path: Path, delay: float) -> None:
    code, err = _stop_after(delay, signal.SIGINT, tmp_path)
    assert "Traceback" not in err and "Aborted!" not in err and "internal error" not in err
    if code == 130:
        assert err.endswith("vendormatch: interrupted\n")
        assert not (tmp_path / "report.html").exists() or (tmp_path / "report.html").read_text().endswith("</html>\n")
    else:
        assert code == 0, err  # it finished first
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize("delay", [0.15, 0.5])
def test_sigterm_says_terminated_and_exits_143(tmp_path: Path, delay: float) -> None:
    # Early, the signal lands in the imports (pydantic wraps it in a SchemaError) or in pulp's check
    # for highspy (which swallows it, and HiGHS would read as "not available"): both end as terminated.
    code, err = _stop_after(delay, signal.SIGTERM, tmp_path)
    assert (code, err.endswith("vendormatch: terminated\n")) in ((143, True), (0, False)), err
    assert "Traceback" not in err
    assert [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")] == []


def test_a_stop_is_found_behind_the_errors_that_wrap_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from vendormatch.cli import stops

    monkeypatch.setattr(stops, "_received", [])
    assert not stops.terminate_received()
    with pytest.raises(stops.Terminated):
        stops.on_terminate(signal.SIGTERM, None)
    assert stops.terminate_received()  # even when a library catches the exception
    try:
        try:
            raise stops.Terminated
        except stops.Terminated as inner:
            raise RuntimeError("Error building validator") from inner
    except RuntimeError as wrapped:
        assert isinstance(stops.stop_in(wrapped), stops.Terminated)
    assert stops.stop_in(ValueError("a plain bug")) is None


# -- concurrent runs -----------------------------------------------------------------------------


def test_concurrent_runs_on_an_empty_cache_agree_byte_for_byte(tmp_path: Path) -> None:
    env = {**os.environ, "VENDORMATCH_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "vendormatch", "shortlist", str(DESIGN_STRATEGY), "--catalog",
               str(DESIGN_CATALOG), "--format", "json", "--no-lock"]
    children = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(8)]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 8, [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    [document] = list((tmp_path / "cache").glob("catalog-*.json"))
    stored = CacheFile.model_validate_json(document.read_bytes())
    assert stored.entries and all(s.digest == s.entry.digest() for s in stored.entries.values())


def test_concurrent_locks_leave_one_valid_lock(tmp_path: Path) -> None:
    shutil.copy(SHIPPED_STRATEGIES / "tight-budget.yaml", tmp_path / "plan.yaml")
    env = {**os.environ, "VENDORMATCH_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "vendormatch", "match", "plan.yaml", "--lock"]
    children = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(4)]
    for child in children:
        child.communicate(timeout=120)
    assert [child.returncode for child in children] == [0] * 4
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(SHIPPED_STRATEGIES / "tight-budget.yaml", alone / "plan.yaml")
    assert CliRunner().invoke(cli, ["match", str(alone / "plan.yaml"), "--lock"]).exit_code == 0
    assert (tmp_path / "plan.lock.yaml").read_bytes() == (alone / "plan.lock.yaml").read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# -- the matcher's stem cache --------------------------------------------------------------------


def test_the_stem_cache_changes_no_match_and_an_altered_entry_is_not_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VENDORMATCH_CACHE_DIR", str(tmp_path / "cache"))
    catalog = load_catalog(SHIPPED_CATALOG)
    strategy = load_strategy(SHIPPED_STRATEGIES / "sme-services.yaml", catalog)
    fresh = match_requirements(strategy, catalog.features)
    assert match_requirements(strategy, catalog.features, cache=True) == fresh
    [document] = list((tmp_path / "cache").glob("stems-*.json"))
    stored = json.loads(document.read_text())
    assert stored["stems"]["Contact management"] == list(stems("Contact management"))
    assert match_requirements(strategy, catalog.features, cache=True) == fresh  # read back
    # A stem changed in place, the document still valid JSON: the seal no longer matches.
    stored["stems"]["Contact management"] = ["invoic"]
    document.write_text(json.dumps(stored))
    assert match_requirements(strategy, catalog.features, cache=True) == fresh
    assert json.loads(document.read_text())["stems"]["Contact management"] == list(stems("Contact management"))



def test_the_stem_cache_is_found_again_by_the_next_process(tmp_path: Path) -> None:
    """Its key must not depend on the process: a key that did (the stemmer's version function's
    repr, with its address) missed on every run and left one more document behind each time."""
    program = "from vendormatch.match.stem_cache import StemCache; print(StemCache().path.name)"
    environment = {**os.environ, "VENDORMATCH_CACHE_DIR": str(tmp_path)}
    names = {
        subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True,
                       check=True).stdout.strip()
        for _ in range(2)
    }
    assert len(names) == 1 and next(iter(names)).startswith("stems-"), names


def test_old_stem_documents_are_pruned_to_a_few_and_nothing_else_is_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vendormatch.match.stem_cache import KEPT_DOCUMENTS, StemCache

    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("VENDORMATCH_CACHE_DIR", str(folder))
    now = time.time()
    for age in range(6):  # documents of six earlier code versions, the newest first
        old = folder / f"stems-old{age}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, (now - 100 * (age + 1), now - 100 * (age + 1)))
    (folder / "stems-a-folder.json").mkdir()  # not a regular file: never removed
    (folder / "catalog-x.json").write_text("{}", encoding="utf-8")  # another kind of document
    catalog = load_catalog(SHIPPED_CATALOG)
    strategy = load_strategy(SHIPPED_STRATEGIES / "sme-services.yaml", catalog)
    match_requirements(strategy, catalog.features, cache=True)
    current = StemCache().path
    left = sorted(p.name for p in folder.glob("stems-*.json") if p.is_file())
    assert left == sorted([current.name] + [f"stems-old{age}.json" for age in range(KEPT_DOCUMENTS - 1)])
    assert (folder / "stems-a-folder.json").is_dir() and (folder / "catalog-x.json").is_file()

def test_settings_are_held_to_the_cost_range_and_budgets_to_finite_numbers(tmp_path: Path) -> None:
    catalog = Path(shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog"))
    product = catalog / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("currency: USD ", "currency: EUR "))
    base = ["shortlist", str(DESIGN_STRATEGY), "--catalog", str(catalog), "--no-lock"]
    result = CliRunner().invoke(cli, [*base, "--set", "users.sales=9000000", "--set", "exchange_rates.EUR=900000"])
    assert result.exit_code == 2, result.output
    assert "--set:0:0: error users.sales=9000000 exchange_rates.EUR=900000: 9,000,010 users" in result.stderr
    assert "(cost-out-of-range)" in result.stderr
    for budget in ("nan", "inf", "1e20"):
        refused = CliRunner().invoke(cli, [*base, "--budget", budget])
        assert refused.exit_code == 2 and "Invalid value for '--budget'" in refused.stderr, budget


def test_a_large_cost_in_a_currency_of_many_units_solves_exactly(tmp_path: Path) -> None:
    # 2,000 users at EUR 49 + 12 a month for 3 years, at 27,000 units to the euro: 1.19e11 units.
    catalog = Path(shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog"))
    product = catalog / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("currency: USD ", "currency: EUR "))
    text = DESIGN_STRATEGY.read_text().replace("currency: USD", "currency: VND").replace(
        "{EUR: 1.08}", "{EUR: 27000}").replace("sales: 12,", "sales: 1990,").replace("budget: 60000 ", "")
    (tmp_path / "plan.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["shortlist", str(tmp_path / "plan.yaml"), "--catalog", str(catalog),
                                      "--format", "json", "--no-lock"])
    assert result.exit_code == 0, result.output
    top = json.loads(result.stdout)["rankings"][0]
    assert top["cost_total"] == ((49 + 12) * 2000 * 36 + 1500) * 27000


def test_a_source_date_epoch_no_calendar_holds_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999")
    result = CliRunner().invoke(cli, ["shortlist", str(DESIGN_STRATEGY), "--catalog", str(DESIGN_CATALOG),
                                      "--format", "json", "--no-lock"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["run"]["run_date"] == date.today().isoformat()
