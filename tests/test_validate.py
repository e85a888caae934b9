"""`vendormatch validate`: telling kinds, results, exit codes, output streams, and hostile input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import DESIGN_CATALOG, DESIGN_STRATEGY, DESIGN_TODAY, REPO, SHIPPED_CATALOG, SHIPPED_STRATEGIES, write_tree

from vendormatch.cli.commands import cli
from vendormatch.files.diagnostics import Diagnostic
from vendormatch.lint.validate import KINDS, ValidationResult, kind_of, validate
from vendormatch.match.lockfile import text_hash

HOSTILE = REPO / "tests" / "data" / "hostile"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["validate", *args], env={"GITHUB_ACTIONS": "", "NO_COLOR": "", **(env or {})})


def codes(result: ValidationResult) -> list[tuple[str, int, int, str]]:
    return [(d.file, d.line, d.column, d.code) for d in result.diagnostics]


@pytest.fixture
def design(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding the DESIGN example as catalog/ and strategies/northwind.yaml."""
    shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog")
    (tmp_path / "strategies").mkdir()
    shutil.copy(DESIGN_STRATEGY, tmp_path / "strategies" / "northwind.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- the shipped files ----------------------------------------------------------------------------


def test_shipped_catalog_and_strategies_are_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run("catalog", "strategies")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    vendors = len(list((SHIPPED_CATALOG / "vendors").glob("*.yaml")))
    strategy_files = len(list(SHIPPED_STRATEGIES.rglob("*.yaml")))
    assert result.stderr == f"vendormatch: {1 + vendors + strategy_files} files checked: 0 errors, 0 warnings\n"


def test_without_paths_it_validates_catalog_and_strategies_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert validate() == validate(["catalog", "strategies"])


def test_nothing_to_validate_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 2
    assert result.stdout == ".:0:0: error nothing to validate: no ./catalog or ./strategies here; name the files or folders " \
                            "to check (nothing-to-validate)\n"


def test_only_the_folders_present_are_validated(design: Path) -> None:
    shutil.rmtree(design / "strategies")
    assert validate(today=DESIGN_TODAY).files == ("catalog/features.yaml", "catalog/vendors/acme-crm.yaml")


# -- telling kinds ----------------------------------------------------------------------------------


def test_kinds_by_place(design: Path) -> None:
    write_tree(design, {
        "strategies/folder/strategy.yaml": DESIGN_STRATEGY.read_text(),
        "strategies/folder/requirements/sales.yaml": (
            "requirements:\n  - id: pipeline\n    text: Track deals\n    objective: repeat-business\n"
        ),
    })
    result = validate(
        ["catalog/features.yaml", "catalog/vendors/acme-crm.yaml", "strategies/folder/requirements/sales.yaml"],
        catalog="catalog", today=DESIGN_TODAY,
    )
    # The requirements file is validated with the strategy folder it belongs to.
    assert result.files == (
        "catalog/features.yaml", "catalog/vendors/acme-crm.yaml",
        "strategies/folder/requirements/sales.yaml", "strategies/folder/strategy.yaml",
    )
    assert result.diagnostics == ()


def test_a_folder_of_strategies_and_catalogues_is_walked(design: Path) -> None:
    write_tree(design, {
        "more/strategy.yaml": DESIGN_STRATEGY.read_text(),
        # Inside a strategy folder only requirements/ counts: this file is not read.
        "more/deeper/features.yaml": "features: {}\n",
        "others/deeper/cat/features.yaml": "features: {}\n",
    })
    result = validate(["."], catalog="catalog", today=DESIGN_TODAY)
    assert result.files == (
        "catalog/features.yaml", "catalog/vendors/acme-crm.yaml", "more/strategy.yaml",
        "others/deeper/cat/features.yaml", "strategies/northwind.yaml",
    )
    assert codes(result) == [("others/deeper/cat/vendors", 0, 0, "missing-file")]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"features": {}}, "features"),
        ({"id": "x", "editions": {}}, "product"),
        ({"vendor": "x"}, "product"),
        ({"organisation": "x", "requirements": []}, "strategy"),
        ({"objectives": {}}, "strategy"),
        ({"requirements": []}, "requirements"),
        ({"title": "x"}, None),
        (["features"], None),
        ("features", None),
        (None, None),
    ],
)
def test_kinds_by_content(data: object, kind: str | None) -> None:
    assert kind_of(data) == kind


def test_a_loose_file_is_told_by_its_content(design: Path) -> None:
    write_tree(design, {"x/taxonomy.yaml": "features:\n  crm:\n    name: CRM\n    nme: x\n"})
    result = validate(["x/taxonomy.yaml"], today=DESIGN_TODAY)
    assert codes(result) == [("x/taxonomy.yaml", 4, 5, "unknown-key")]
    assert "did you mean 'name'?" in result.diagnostics[0].message


def test_a_forced_kind_wins_over_place_and_content(design: Path) -> None:
    result = validate(["catalog/vendors/acme-crm.yaml"], kind="features", today=DESIGN_TODAY)
    keys = yaml.safe_load((design / "catalog" / "vendors" / "acme-crm.yaml").read_text())
    assert [d.code for d in result.diagnostics] == ["missing-key"] + ["unknown-key"] * len(keys)


def test_a_forced_file_kind_applies_to_each_yaml_file_of_a_folder(design: Path) -> None:
    result = validate(["catalog/vendors"], kind="product", today=DESIGN_TODAY)
    assert result.files == ("catalog/vendors/acme-crm.yaml",)
    assert result.diagnostics == ()


def test_a_catalogue_must_be_a_folder(design: Path) -> None:
    result = run("--kind", "catalog", "catalog/features.yaml")
    assert result.exit_code == 2
    assert "catalog/features.yaml:0:0: error a catalogue is a folder" in result.stdout


def test_a_product_outside_a_catalogue_uses_the_reference_taxonomy(design: Path) -> None:
    text = (design / "catalog" / "vendors" / "acme-crm.yaml").read_text()
    write_tree(design, {"drafts/acme-crm.yaml": text.replace("[telephony-call-logging]", "[telephony]")})
    result = validate(["drafts/acme-crm.yaml"], catalog="catalog", today=DESIGN_TODAY)
    # The typo also leaves telephony-call-logging without a stance: a warning at the product's id.
    assert codes(result) == [("drafts/acme-crm.yaml", 1, 5, "feature-undeclared"),
                             ("drafts/acme-crm.yaml", 30, 16, "unknown-feature")]
    # Against the embedded catalogue, whose taxonomy also lacks 'telephony'.
    assert codes(validate(["drafts/acme-crm.yaml"], today=DESIGN_TODAY)) == codes(result)


def test_a_product_alone_may_name_the_other_products_of_its_catalogue(design: Path) -> None:
    text = (design / "catalog" / "vendors" / "acme-crm.yaml").read_text()
    bcme = text.replace("id: acme-crm", "id: bcme").replace("add_ons:", "integrates_with: [acme-crm]\nadd_ons:")
    write_tree(design, {"catalog/vendors/bcme.yaml": bcme})
    assert validate(["catalog/vendors/bcme.yaml"], today=DESIGN_TODAY).diagnostics == ()


def test_a_path_named_twice_is_validated_once(design: Path) -> None:
    once = validate(["catalog"], today=DESIGN_TODAY)
    assert validate(["catalog", "./catalog", str(design / "catalog")], today=DESIGN_TODAY) == once


def test_strategies_are_checked_against_the_given_catalogue(design: Path) -> None:
    # The DESIGN strategy pins features the embedded catalogue does not name the same way.
    checked = validate(["strategies"], catalog="catalog", today=DESIGN_TODAY)
    assert checked.diagnostics == ()
    broken = design / "catalog" / "features.yaml"
    broken.write_text(broken.read_text().replace("  mobile-app:\n", "  mobile-apps:\n"))
    result = validate(["strategies"], catalog="catalog", today=DESIGN_TODAY)
    # The catalogue's errors say why the strategy's catalogue checks could not run.
    assert {d.code for d in result.diagnostics} == {"unknown-feature"}
    assert {d.file for d in result.diagnostics} == {"catalog/vendors/acme-crm.yaml"}


def test_missing_paths_are_unreadable(design: Path) -> None:
    result = run("catalog", "nowhere.yaml")
    assert result.exit_code == 2
    assert result.stdout == "nowhere.yaml:0:0: error no such file or folder (not-found)\n"


def test_a_missing_reference_catalogue_is_unreadable(design: Path) -> None:
    result = run("strategies", "--catalog", "nowhere")
    assert result.exit_code == 2
    assert "nowhere:0:0: error no such folder" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Opening a FIFO for reading would wait for a writer forever.
    monkeypatch.chdir(tmp_path)
    os.mkfifo("pipe.yaml")
    result = run("pipe.yaml")
    assert result.exit_code == 2
    assert result.stdout == "pipe.yaml:0:0: error not a regular file or folder (unreadable)\n"


# -- the result and the command --------------------------------------------------------------------


def test_result_checks_its_order() -> None:
    late = Diagnostic("b.yaml", 1, 1, "error", "x", "m")
    early = Diagnostic("a.yaml", 1, 1, "warning", "x", "m")
    assert ValidationResult((early, late)).errors == 1
    with pytest.raises(ValueError, match="sorted"):
        ValidationResult((late, early))


@pytest.mark.parametrize(
    ("severities", "strict", "code"),
    [((), False, 0), (("warning",), False, 0), (("warning",), True, 1), (("error",), False, 1), (("error", "warning"), True, 1)],
)
def test_exit_codes(severities: tuple[str, ...], strict: bool, code: int) -> None:
    found = tuple(
        Diagnostic("f.yaml", i + 1, 1, "error" if s == "error" else "warning", "x", "m") for i, s in enumerate(severities)
    )
    assert ValidationResult(found).exit_code(strict=strict) == code


def test_unreadable_input_wins_over_findings() -> None:
    found = (Diagnostic("a.yaml", 0, 0, "error", "not-found", "m"), Diagnostic("b.yaml", 1, 1, "error", "syntax", "m"))
    assert ValidationResult(found).exit_code() == 2


def test_warnings_pass_unless_strict(design: Path) -> None:
    product = design / "catalog" / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("as_of: 2026-09", "as_of: 2020-01"))
    relaxed = run("catalog")
    assert relaxed.exit_code == 0
    assert relaxed.stdout.startswith("catalog/vendors/acme-crm.yaml:5:8: warning facts are ")
    assert relaxed.stdout.endswith(" (as-of-stale)\n")
    assert relaxed.stderr == "vendormatch: 2 files checked: 0 errors, 1 warning\n"
    strict = run("catalog", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr == "vendormatch: 2 files checked: 0 errors, 1 warning (--strict: warnings count)\n"


def test_json_to_stdout_and_the_summary_to_stderr(design: Path) -> None:
    product = design / "catalog" / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("includes: starter", "includes: startr"))
    result = run("--format", "json", "catalog")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["diagnostics"] == [{
        "file": "catalog/vendors/acme-crm.yaml", "line": 16, "column": 15, "severity": "error", "code": "unknown-edition",
        "message": "edition 'professional' includes unknown edition 'startr'; did you mean 'starter'?; "
                   "known: professional, starter, team",
    }]
    assert document["summary"] == {"errors": 1, "warnings": 0, "files_checked": 2, "files_with_findings": 1}
    assert result.stderr == "vendormatch: 2 files checked: 1 error, 0 warnings\n"


def test_auto_format_is_github_under_actions(design: Path) -> None:
    product = design / "catalog" / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("currency: USD", "currency: USX"))
    result = run("catalog", env={"GITHUB_ACTIONS": "true"})
    assert result.stdout == (
        "::error file=catalog/vendors/acme-crm.yaml,line=8,col=11,title=unknown-currency::"
        "'USX' is not an ISO 4217 currency code; did you mean 'UGX'?\n"
    )
    assert run("catalog", "--format", "text", env={"GITHUB_ACTIONS": "true"}).stdout.startswith("catalog/vendors/")


def test_text_is_never_coloured_into_a_pipe(design: Path) -> None:
    (design / "catalog" / "features.yaml").write_text("features: [\n")
    assert "\033[" not in run("catalog").stdout


def test_bad_usage_exits_2(design: Path) -> None:
    assert run("--kind", "spreadsheet").exit_code == 2
    assert run("--format", "xml").exit_code == 2


def test_every_kind_is_offered_on_the_command_line() -> None:
    assert sorted(KINDS) == ["catalog", "features", "product", "requirements", "strategy"]
    result = CliRunner().invoke(cli, ["validate", "--help"])
    for kind in KINDS:
        assert kind in result.stdout


def test_validate_does_not_import_pulp() -> None:
    # PuLP costs about 150 ms of start-up; only solving needs it.
    code = (
        "import sys, runpy\n"
        "sys.argv = ['vendormatch', 'validate', 'catalog', 'strategies']\n"
        "try:\n"
        "    runpy.run_module('vendormatch', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pulp', 'highspy')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout == "[]\n"


# -- hostile input ----------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


HOSTILE_FILES = sorted(p.name for p in HOSTILE.glob("*.yaml"))


def test_hostile_corpus_is_small() -> None:
    assert len(HOSTILE_FILES) >= 20
    assert sum((HOSTILE / name).stat().st_size for name in HOSTILE_FILES) < 200_000


@pytest.mark.parametrize("kind", [None, *KINDS])
def test_every_hostile_file_gets_a_located_message(kind: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    before = snapshot(HOSTILE)
    for name in HOSTILE_FILES:
        path = f"tests/data/hostile/{name}"
        result = run(*(["--kind", kind] if kind else []), path)
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
        assert result.exit_code in (1, 2), (name, result.output)
        assert "Traceback" not in result.output
        if kind != "catalog":
            lines = result.stdout.splitlines()
            assert lines, name
            assert all(line.startswith(f"{path}:") for line in lines), (name, lines)
            first = lines[0].split(":")
            assert int(first[1]) >= 1, (name, lines[0])
        for line in result.stdout.splitlines():
            assert line.isprintable(), (name, line)
    assert snapshot(HOSTILE) == before


def test_hostile_folder_through_the_real_entry_point() -> None:
    before = snapshot(HOSTILE)
    done = subprocess.run(
        [sys.executable, "-m", "vendormatch", "validate", "--format", "json", "tests/data/hostile"],
        cwd=REPO, capture_output=True, text=True, timeout=60, env={**os.environ, "GITHUB_ACTIONS": ""}, check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    document = json.loads(done.stdout)
    assert {Path(d["file"]).name for d in document["diagnostics"]} == set(HOSTILE_FILES)
    assert all(d["line"] >= 1 and d["column"] >= 1 for d in document["diagnostics"])
    assert document["summary"]["files_checked"] == len(HOSTILE_FILES)
    assert snapshot(HOSTILE) == before


def test_no_hostile_file_loads_as_data() -> None:
    # Each one is rejected by the loader or is not any vendormatch file: none slips through as valid.
    result = validate([HOSTILE])
    assert {Path(d.file).name for d in result.diagnostics if d.severity == "error"} == set(HOSTILE_FILES)


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        # A 5 MB scalar on one line: parsed, then reported short.
        ("long-scalar.yaml", b"features:\n  crm:\n    name: " + b"x" * 5_000_000 + b"\n", (3, 11, "bad-value")),
        # 2.5 million tiny values on one 5 MB line: stopped by the node limit, not by minutes of work.
        ("long-flow.yaml", b"features: [" + b"1," * 2_500_000 + b"1]\n", (1, 500_000, "too-many-nodes")),
        # Over the size limit: refused before reading.
        ("huge.yaml", b"# " + b"x" * (9 * 1024 * 1024) + b"\n", (1, 1, "file-too-large")),
    ],
    ids=["5MB-scalar", "5MB-flow", "9MB-file"],
)
def test_big_files_are_reported_in_seconds(
    name: str, content: bytes, where: tuple[int, int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(content)
    before = snapshot(tmp_path)
    result = run(name)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    line, column, code = where
    assert first.startswith(f"{name}:{line}:")
    assert first.endswith(f"({code})")
    if code != "too-many-nodes":
        assert first.startswith(f"{name}:{line}:{column}:")
    assert len(first) < 400
    assert snapshot(tmp_path) == before


# -- what ships with the command -------------------------------------------------------------------


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["vendormatch-validate", "vendormatch-validate-files"]
    for hook in hooks:
        assert hook["entry"] == "vendormatch validate"
        assert hook["language"] == "python"
        assert hook["types"] == ["yaml"]
    assert hooks[0]["pass_filenames"] is False
    assert "pass_filenames" not in hooks[1]


def test_synthetic_catalogue_is_valid(tmp_path: Path) -> None:
    script = REPO / "benchmarks" / "synthetic_catalog.py"
    subprocess.run([sys.executable, str(script), str(tmp_path / "a"), "--products", "6", "--features", "30", "--seed", "3"],
                   check=True, capture_output=True, timeout=60)
    subprocess.run([sys.executable, str(script), str(tmp_path / "b"), "--products", "6", "--features", "30", "--seed", "3"],
                   check=True, capture_output=True, timeout=60)
    result = validate([tmp_path / "a"])
    assert result.diagnostics == ()
    assert len(result.files) == 7
    # The same seed writes the same files, byte for byte.
    for path in sorted((tmp_path / "a").rglob("*.yaml")):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


# -- lock files ------------------------------------------------------------------------------------

LOCK = """\
version: 1
requirements:
  one-record:
    text_sha256: HASH
    features: [contact-managment]
  gone:
    text_sha256: sha256:0123456789abcdef
    features: []
""".replace("HASH", text_hash("Accounts and sales see the same customer history"))


def test_a_lock_file_is_checked_with_its_strategy(design: Path) -> None:
    write_tree(design, {"strategies/northwind.lock.yaml": LOCK})
    for paths in (["strategies"], ["strategies/northwind.lock.yaml"], ["strategies/northwind.yaml"]):
        result = validate(paths, catalog="catalog", today=DESIGN_TODAY)
        assert result.files == ("strategies/northwind.lock.yaml", "strategies/northwind.yaml")
        assert codes(result) == [("strategies/northwind.lock.yaml", 5, 16, "unknown-feature")]
        assert "did you mean 'contact-management'?" in result.diagnostics[0].message
    (design / "strategies" / "northwind.lock.yaml").write_text(LOCK.replace("contact-managment", "contact-management"))
    result = validate(["strategies"], catalog="catalog", today=DESIGN_TODAY)
    # Nobody reviewed the applied entry: a warning, so that `--strict` holds the lock to a review.
    assert [(d.line, d.column, d.severity, d.code) for d in result.diagnostics] == [
        (2, 1, "warning", "lock-unreviewed"),
        (6, 3, "warning", "lock-unknown-requirement"),
    ]
    assert "one-record" in result.diagnostics[0].message
    reviewed = LOCK.replace("contact-managment", "contact-management").replace(
        "features: [contact-management]\n", "features: [contact-management]\n    reviewed: {by: Ann, on: 2026-12-07}\n")
    (design / "strategies" / "northwind.lock.yaml").write_text(reviewed)
    result = validate(["strategies"], catalog="catalog", today=DESIGN_TODAY)
    assert [(d.line, d.column, d.severity, d.code) for d in result.diagnostics] == [
        (7, 3, "warning", "lock-unknown-requirement"),
    ]
    # An entry whose requirement's text changed is not applied: validate says so, as the shortlist would.
    (design / "strategies" / "northwind.lock.yaml").write_text(
        LOCK.replace("contact-managment", "contact-management").replace(
            text_hash("Accounts and sales see the same customer history"), "sha256:0123456789abcdef"))
    result = validate(["strategies"], catalog="catalog", today=DESIGN_TODAY)
    assert [(d.line, d.column, d.severity, d.code) for d in result.diagnostics] == [
        (4, 18, "warning", "lock-text-changed"),
        (6, 3, "warning", "lock-unknown-requirement"),
    ]


def test_a_lock_file_in_a_strategy_folder(design: Path) -> None:
    write_tree(design, {"folder/strategy.yaml": DESIGN_STRATEGY.read_text(), "folder/strategy.lock.yaml": "version: 2\n"})
    result = validate(["folder/strategy.lock.yaml"], catalog="catalog", today=DESIGN_TODAY)
    assert codes(result) == [("folder/strategy.lock.yaml", 1, 10, "bad-value")]


def test_a_lock_file_without_its_strategy(design: Path) -> None:
    write_tree(design, {"strategies/old.lock.yaml": LOCK})
    result = run("strategies/old.lock.yaml")
    assert result.exit_code == 0
    assert result.stdout == (
        "strategies/old.lock.yaml:0:0: warning no strategy old.yaml beside this lock file: delete it, or restore "
        "the strategy it was written for (lock-without-strategy)\n"
    )
