"""The lock file: where it lives, atomic writing, and applying it with located warnings and errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHIPPED_CATALOG, SHIPPED_STRATEGIES

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.diagnostics import VendormatchError
from vendormatch.files.loader import load_yaml
from vendormatch.files.models import Feature, Strategy
from vendormatch.files.strategy import load_strategy, lock_path
from vendormatch.match.lockfile import LockFile, apply_lock, match_strategy, text_hash, write_lock
from vendormatch.match.matcher import MatchResult, match_requirements
from vendormatch.match.resolution import settle_features

FEATURES = {
    "telephony": Feature(name="Telephony", aliases=("log calls", "click to call")),
    "mobile": Feature(name="Mobile app", aliases=("iphone app", "smartphone app")),
    "portal": Feature(name="Customer portal", aliases=("client portal",)),
}

STRATEGY = """\
organisation: Test
currency: USD
horizon_years: 1
users: {sales: 2}
objectives:
  grow: {statement: Grow}
requirements:
  - {id: calls, text: Reps log calls, objective: grow, department: sales}
  - {id: vague, text: Something for clients, objective: grow, department: sales}
  - {id: pinned, text: Anything, objective: grow, department: sales, features: [mobile]}
"""


def _setup(tmp_path: Path) -> tuple[Path, Strategy, MatchResult]:
    path = tmp_path / "plan.yaml"
    path.write_text(STRATEGY, encoding="utf-8")
    strategy = load_strategy(path)
    return path, strategy, match_requirements(strategy, FEATURES)


def test_the_lock_sits_beside_the_strategy(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "x.yaml") == tmp_path / "x.lock.yaml"
    assert lock_path(tmp_path / "x.yml") == tmp_path / "x.lock.yaml"
    assert lock_path(tmp_path) == tmp_path / "strategy.lock.yaml"


def test_text_hash_ignores_rewrapping_only() -> None:
    assert text_hash("Reps  log\n calls") == text_hash("Reps log calls")
    assert text_hash("Reps log calls") != text_hash("Reps log call")
    assert text_hash("x").startswith("sha256:")


def test_write_is_atomic_leaves_the_strategy_alone_and_round_trips(tmp_path: Path) -> None:
    path, strategy, result = _setup(tmp_path)
    before = path.read_bytes()
    written = write_lock(path, strategy, result)
    assert written == tmp_path / "plan.lock.yaml"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.lock.yaml", "plan.yaml"]
    lock = LockFile.model_validate(load_yaml(written).data)
    assert list(lock.requirements) == ["calls", "vague"]  # pinned ones are not locked
    assert lock.requirements["calls"].features == ("telephony",)
    assert lock.requirements["vague"].features == ()
    applied, diagnostics = apply_lock(path, strategy, result, FEATURES)
    assert diagnostics == []
    assert [(m.requirement, m.status) for m in applied.requirements] == [
        ("calls", "locked"), ("vague", result.by_id()["vague"].status), ("pinned", "pinned"),
    ]
    # Writing the applied result again gives the same file, byte for byte: entries nobody changed are
    # written back as they were read (their status included).
    first = written.read_bytes()
    write_lock(path, strategy, applied)
    assert written.read_bytes() == first


def test_a_reviewed_lock_decides_an_ambiguous_requirement(tmp_path: Path) -> None:
    path, strategy, result = _setup(tmp_path)
    written = write_lock(path, strategy, result)
    written.write_text(written.read_text().replace("features: []", "features: [portal]"), encoding="utf-8")
    applied, diagnostics = apply_lock(path, strategy, result, FEATURES)
    assert diagnostics == []
    vague = applied.by_id()["vague"]
    assert (vague.status, vague.features) == ("locked", ("portal",))


def test_a_changed_text_warns_in_the_lock_file_and_keeps_the_fresh_match(tmp_path: Path) -> None:
    path, strategy, result = _setup(tmp_path)
    write_lock(path, strategy, result)
    path.write_text(STRATEGY.replace("Reps log calls", "Reps log calls on the iphone app"), encoding="utf-8")
    changed = load_strategy(path)
    fresh = match_requirements(changed, FEATURES)
    applied, diagnostics = apply_lock(path, changed, fresh, FEATURES)
    assert applied.by_id()["calls"] == fresh.by_id()["calls"]
    [warning] = diagnostics
    assert (warning.severity, warning.code) == ("warning", "lock-text-changed")
    assert warning.file.endswith("plan.lock.yaml")
    text = (tmp_path / "plan.lock.yaml").read_text().splitlines()
    assert "text_sha256" in text[warning.line - 1]


def test_entries_for_removed_requirements_warn(tmp_path: Path) -> None:
    path, strategy, result = _setup(tmp_path)
    write_lock(path, strategy, result)
    lock = tmp_path / "plan.lock.yaml"
    lock.write_text(lock.read_text() + "  gone:\n    text_sha256: sha256:0123456789abcdef\n", encoding="utf-8")
    _, diagnostics = apply_lock(path, strategy, result, FEATURES)
    assert [(d.code, d.severity) for d in diagnostics] == [("lock-unknown-requirement", "warning")]


@pytest.mark.parametrize(("content", "code"), [
    ("version: 1\nrequirements:\n  calls: [oops\n", "syntax"),
    ("version: 2\n", "bad-value"),
    ("version: 1\nrequirements:\n  calls:\n    text_sha256: nothex\n", "bad-value"),
    ("version: 1\nrequirements:\n  calls:\n    text_sha256: sha256:0123456789abcdef\n    featurs: []\n", "unknown-key"),
    ("version: 1\nrequirements:\n  calls:\n    text_sha256: HASH\n    features: [telefony]\n", "unknown-feature"),
])
def test_a_broken_lock_gives_located_errors_and_changes_nothing(tmp_path: Path, content: str, code: str) -> None:
    path, strategy, result = _setup(tmp_path)
    # HASH: the entry's text is the requirement's own, so the entry would be applied.
    (tmp_path / "plan.lock.yaml").write_text(content.replace("HASH", text_hash("Reps log calls")), encoding="utf-8")
    applied, diagnostics = apply_lock(path, strategy, result, FEATURES)
    assert applied == result
    assert diagnostics and all(d.severity == "error" and d.line > 0 for d in diagnostics)
    assert code in {d.code for d in diagnostics}
    with pytest.raises(VendormatchError) as info:
        match_strategy(path, _catalog(tmp_path))
    assert code in {d.code for d in info.value.diagnostics}


def _catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    (folder / "vendors").mkdir(parents=True)
    (folder / "features.yaml").write_text(
        "features:\n"
        "  telephony: {name: Telephony, aliases: [log calls]}\n"
        "  mobile: {name: Mobile app, aliases: [iphone app]}\n"
        "  portal: {name: Customer portal}\n",
        encoding="utf-8",
    )
    (folder / "vendors" / "acme.yaml").write_text(
        "id: acme\nvendor: Acme\nproduct: Acme CRM\nurl: https://example.com\nas_of: 2026-09\n"
        "deployment: saas\nlicense: proprietary\ncurrency: USD\n"
        "editions:\n  one: {name: One, features: [telephony, mobile, portal]}\n",
        encoding="utf-8",
    )
    return folder


def test_the_command_writes_then_uses_the_lock(tmp_path: Path) -> None:
    path, _, _ = _setup(tmp_path)
    catalog = _catalog(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["match", str(path), "--catalog", str(catalog), "--lock"])
    assert first.exit_code == 0, first.output
    assert "wrote" in first.stderr and (tmp_path / "plan.lock.yaml").is_file()
    second = runner.invoke(cli, ["match", str(path), "--catalog", str(catalog)])
    assert second.exit_code == 0
    assert "calls" in second.stdout and "locked" in second.stdout


def test_a_lock_that_settles_every_requirement_spares_the_matcher(tmp_path: Path) -> None:
    catalog = load_catalog(SHIPPED_CATALOG)
    plan = Path(shutil.copy(SHIPPED_STRATEGIES / "sme-services.yaml", tmp_path / "plan.yaml"))
    lock = Path(shutil.copy(SHIPPED_STRATEGIES / "sme-services.lock.yaml", tmp_path / "plan.lock.yaml"))
    strategy = load_strategy(plan, catalog)
    decisions, warnings = settle_features(plan, strategy, catalog)
    assert warnings == []
    assert {m.status for m in decisions.requirements} == {"pinned", "locked"}
    # The matcher ranks candidates for every requirement it reads; none were, so it did not run.
    assert all(m.candidates == () for m in decisions.requirements)
    # One requirement the lock no longer settles brings the matcher back, for every requirement.
    text = lock.read_text()
    assert "  fee-outlook:\n" in text
    lock.write_text(text.replace("  fee-outlook:\n", "  fee-outlook-old:\n"))
    again, _ = settle_features(plan, strategy, catalog)
    assert again.by_id()["fee-outlook"].status != "locked"
    assert any(m.candidates for m in again.requirements)


def test_an_unknown_feature_in_an_entry_that_is_not_applied_is_only_a_warning(tmp_path: Path) -> None:
    """A stale entry (its requirement's text changed) cannot mislead a result, and `match --lock` renews it."""
    path, strategy, result = _setup(tmp_path)
    lock = tmp_path / "plan.lock.yaml"
    lock.write_text("version: 1\nrequirements:\n  calls:\n    text_sha256: sha256:0123456789abcdef\n"
                    "    features: [telefony]\n", encoding="utf-8")
    applied, diagnostics = apply_lock(path, strategy, result, FEATURES)
    assert applied == result
    assert [(d.code, d.severity) for d in diagnostics] == [("unknown-feature", "warning"),
                                                          ("lock-text-changed", "warning")]
    assert match_strategy(path, _catalog(tmp_path), write=True).written == lock
    assert "telefony" not in lock.read_text()
