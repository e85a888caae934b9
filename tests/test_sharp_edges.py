"""Sharp edges a new user hit (issue 16): the folder form's own file, the wrong kind of file, --top counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import SHIPPED_STRATEGIES

from vendormatch.cli.commands import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_folder_forms_own_strategy_file_reads_the_whole_folder(tmp_path: Path) -> None:
    folder = shutil.copytree(SHIPPED_STRATEGIES / "b2b-distributor", tmp_path / "b2b")
    code_file, out_file, _ = run("shortlist", str(folder / "strategy.yaml"), "--format", "json")
    code_folder, out_folder, _ = run("shortlist", str(folder), "--format", "json")
    assert code_file == code_folder == 0
    by_file, by_folder = json.loads(out_file), json.loads(out_folder)
    # Before, the file alone scored 0 requirements and ranked every product at 100%.
    assert by_file["strategy"]["requirements_counted"] == by_folder["strategy"]["requirements_counted"] > 0
    assert by_file == by_folder


def test_a_lock_file_passed_as_a_strategy_says_what_to_pass() -> None:
    code, out, err = run("shortlist", str(SHIPPED_STRATEGIES / "sme-services.lock.yaml"))
    assert (code, out) == (2, "")
    assert ("sme-services.lock.yaml:1:1: error this is a lock file (written by `vendormatch match --lock`), not a "
            "strategy; pass the strategy it belongs to (sme-services.yaml, or the strategy folder) (wrong-kind)") in err


def test_a_requirements_file_passed_as_a_strategy_says_to_pass_the_folder() -> None:
    code, _, err = run("shortlist", str(SHIPPED_STRATEGIES / "b2b-distributor" / "requirements" / "sales.yaml"))
    assert code == 2
    assert "this is a requirements file of a strategy folder, not a strategy; pass the folder" in err


def test_top_says_how_many_of_how_many_are_ranked() -> None:
    code, out, _ = run("shortlist", str(SHIPPED_STRATEGIES / "sme-services.yaml"), "--top", "3")
    assert code == 0
    second = out.splitlines()[1]
    qualified = int(second.split(" of ")[1].split()[0])
    assert second.startswith("3 of ") and qualified > 3
    code, out, _ = run("shortlist", str(SHIPPED_STRATEGIES / "sme-services.yaml"), "--top", "3", "--format", "json")
    assert json.loads(out)["qualified"] == qualified
