"""The command line through click's CliRunner: catalog listing, schemas, and how errors reach the user."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DESIGN_CATALOG, SHIPPED_CATALOG, write_tree

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import Catalog, display_path
from vendormatch.files.schemas import SCHEMAS, json_schema

# `file:line:col: severity message (code)`, as yamllint's parsable format.
DIAGNOSTIC_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) (?P<message>.+) \((?P<code>[a-z0-9-]+)\)$"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_catalog_lists_every_shipped_product(shipped_catalog: Catalog) -> None:
    result = run("catalog")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    editions = sum(len(p.editions) for p in shipped_catalog.products.values())
    assert lines[0] == f"50 products, {editions} editions in {display_path(SHIPPED_CATALOG)}"
    headers = [line.split("  ")[0] for line in lines if line and not line.startswith(" ")][1:]
    assert headers == sorted(p.stem for p in (SHIPPED_CATALOG / "vendors").glob("*.yaml"))
    assert len(headers) == 50
    assert not any(line.split(":")[-1].startswith(" error") for line in result.stderr.splitlines())


def test_catalog_says_price_unknown_for_an_edition_without_a_price(tmp_path: Path) -> None:
    # Written here rather than read from the shipped catalogue, whose prices change with the vendors'.
    features = "features:\n  contacts: {name: Contacts}\n"
    product = ("id: flat\nvendor: Flat Co\nproduct: Flat CRM\nurl: https://example.com\nas_of: 2026-09\n"
               "deployment: saas\nlicense: proprietary\ncurrency: USD\neditions:\n"
               "  basic:\n    name: Basic\n    price: {flat_month: 49, included_users: 5, max_users: 5}\n"
               "    features: [contacts]\n  standard:\n    name: Standard\n    includes: basic\n"
               "  buckets:\n    name: Buckets\n    price: {per_user_month: 9, seat_buckets: [3, 5]}\n"
               "add_ons:\n  rest-api:\n    name: REST API\n    features: [contacts]\n")
    write_tree(tmp_path, {"features.yaml": features, "vendors/flat.yaml": product})
    stdout = run("catalog", "--no-cache", "--catalog", str(tmp_path)).stdout
    block = stdout.split("\nflat  ", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block[0] == "Flat Co: Flat CRM  (USD, saas, as of 2026-09)"
    assert "  standard  price unknown" in block
    assert "  basic     USD 49/mo for 5 users, max 5 users" in block
    assert "  buckets   USD 9/user/mo, seats in buckets of 3, 5" in block
    assert "  + rest-api: price unknown" in block


def test_catalog_of_the_design_example() -> None:
    result = run("catalog", "--catalog", str(DESIGN_CATALOG))
    assert result.exit_code == 0
    assert result.stdout == (
        f"1 products, 3 editions in {display_path(DESIGN_CATALOG)}\n"
        "\n"
        "acme-crm  Acme Software: Acme CRM  (USD, saas, as of 2026-09)\n"
        "  starter       USD 15/user/mo, max 10 users\n"
        "  professional  USD 49/user/mo, min 3 users, + 1,500 once\n"
        "  team          USD 300/mo for 10 users, + 20/user/mo extra\n"
        "  + voice: USD 12/user/mo\n"
        "  + onboarding: USD 2,000 once\n"
    )


def test_catalog_features(shipped_catalog: Catalog) -> None:
    result = run("catalog", "--features")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(shipped_catalog.features)
    assert [line.split()[0] for line in lines] == list(shipped_catalog.features)
    assert re.fullmatch(r"contact-management +core +Contact management", lines[0])


def test_catalog_features_of_the_design_example() -> None:
    result = run("catalog", "--features", "--catalog", str(DESIGN_CATALOG))
    assert result.stdout.splitlines()[:2] == [
        "contact-management      core           Contact management",
        "telephony-call-logging  sales          Telephony and call logging",
    ]


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schema_prints_valid_json(kind: str) -> None:
    result = run("schema", kind)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema(kind)
    # Stable text: sorted keys, two-space indent, so the output can be committed and diffed.
    assert result.stdout == json.dumps(json_schema(kind), indent=2, sort_keys=True) + "\n"


def test_schema_of_an_unknown_kind_is_a_usage_error() -> None:
    result = run("schema", "vendor")
    assert result.exit_code == 2
    assert "'vendor' is not one of 'features', 'product', 'requirements', 'strategy'" in result.stderr


def broken_catalog(root: Path) -> Path:
    return write_tree(root, {
        "features.yaml": "features:\n  crm:\n    name: CRM\n",
        "vendors/acme.yaml": (DESIGN_CATALOG / "vendors" / "acme-crm.yaml").read_text()
        .replace("id: acme-crm", "id: acme")
        .replace("deployment: saas ", "deployment: sas "),
    })


def test_broken_catalog_exits_1_with_located_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    broken_catalog(tmp_path / "cat")
    result = run("catalog", "--catalog", "cat")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines == [
        "cat/vendors/acme.yaml:6:13: error deployment: 'sas' is not one of 'saas', 'self-hosted' or 'both'; "
        "did you mean 'saas'? (bad-value)",
        "vendormatch: 1 error(s); nothing was written",
    ]
    match = DIAGNOSTIC_LINE.match(lines[0])
    assert match is not None
    assert (match["file"], match["line"], match["col"], match["code"]) == ("cat/vendors/acme.yaml", "6", "13", "bad-value")


def test_every_diagnostic_is_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    broken_catalog(tmp_path / "cat")
    (tmp_path / "cat" / "vendors" / "zeta.yaml").write_text("id: zeta\nid: zeta\n")
    result = run("catalog", "--catalog", "cat")
    assert result.exit_code == 1
    located = [DIAGNOSTIC_LINE.match(line) for line in result.stderr.splitlines()[:-1]]
    assert [(m["file"], m["line"], m["col"], m["code"]) for m in located if m] == [
        ("cat/vendors/acme.yaml", "6", "13", "bad-value"),
        ("cat/vendors/zeta.yaml", "2", "1", "duplicate-key"),
    ]
    assert result.stderr.splitlines()[-1] == "vendormatch: 2 error(s); nothing was written"


def test_warnings_go_to_stderr_and_exit_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "cat", {
        "features.yaml": "features:\n  crm:\n    name: CRM\n",
        "vendors/old.yaml": (
            "id: old\nvendor: Old\nproduct: Old CRM\nurl: https://example.com\nas_of: 2020-01\n"
            "deployment: saas\nlicense: proprietary\ncurrency: USD\neditions:\n  one:\n    name: One\n    features: [crm]\n"
        ),
    })
    result = run("catalog", "--catalog", "cat")
    assert result.exit_code == 0
    match = DIAGNOSTIC_LINE.match(result.stderr.splitlines()[0])
    assert match is not None
    assert (match["file"], match["line"], match["col"], match["severity"], match["code"]) == (
        "cat/vendors/old.yaml", "5", "8", "warning", "as-of-stale",
    )
    assert result.stdout.startswith("1 products, 1 editions in cat\n")


def test_missing_catalog_folder_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("catalog", "--catalog", "nowhere")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "nowhere:0:0: error no such folder; a catalogue is a folder holding features.yaml and vendors/ (not-found)",
        "vendormatch: 1 error(s); nothing was written",
    ]


def test_real_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    broken_catalog(tmp_path / "cat")
    done = subprocess.run(
        [sys.executable, "-m", "vendormatch", "catalog", "--catalog", "cat"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("cat/vendors/acme.yaml:6:13: error deployment: 'sas' is not one of")


@pytest.mark.parametrize("command", [[], ["catalog"], ["schema"]], ids=["cli", "catalog", "schema"])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    assert len(result.stdout.splitlines()) > 3


def test_every_command_has_a_docstring() -> None:
    for name, command in cli.commands.items():
        assert command.help, name


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert "0.1.0" in result.stdout
