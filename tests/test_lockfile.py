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
    # Nobody has reviewed the entries: the matcher's proposal is applied, as `matched`, and a warning says so.
    assert [(d.code, d.severity, d.line) for d in diagnostics] == [("lock-unreviewed", "warning", 9)]
    assert "calls, vague" in diagnostics[0].message
    assert [(m.requirement, m.status) for m in applied.requirements] == [
        ("calls", "matched"), ("vague", result.by_id()["vague"].status), ("pinned", "pinned"),
    ]
    # Writing the applied result again gives the same file, byte for byte: entries nobody changed are
    # written back as they were read (their status included).
    first = written.read_bytes()
    write_lock(path, strategy, applied)
    assert written.read_bytes() == first


def test_a_reviewed_lock_decides_an_ambiguous_requirement(tmp_path: Path) -> None:
    path, strategy, result = _setup(tmp_path)
    written = write_lock(path, strategy, result)
    written.write_text(written.read_text().replace(
        "features: []", "features: [portal]\n    reviewed: {by: Ann Example, on: 2026-12-07}"), encoding="utf-8")
    applied, diagnostics = apply_lock(path, strategy, result, FEATURES)
    vague = applied.by_id()["vague"]
    assert (vague.status, vague.features) == ("locked", ("portal",))
    # Only the entry nobody reviewed is still named.
    assert [d.code for d in diagnostics] == ["lock-unreviewed"]
    assert "calls" in diagnostics[0].message and "vague" not in diagnostics[0].message


def test_an_entry_without_a_review_is_matched_never_locked_and_a_review_must_be_well_formed(tmp_path: Path) -> None:
    path, strategy, result = _setup(tmp_path)
    written = write_lock(path, strategy, result)
    text = written.read_text()
    assert "reviewed" not in text.split("version: 1")[1]  # `match --lock` never marks a proposal as reviewed
    written.write_text(text.replace("features: [telephony]", "features: [telephony]\n    reviewed: {by: Ann, on: 2026-13-01}"))
    applied, diagnostics = apply_lock(path, strategy, result, FEATURES)
    assert applied == result
    assert [(d.code, d.severity) for d in diagnostics] == [("bad-value", "error")]


def test_a_changed_text_warns_in_the_lock_file_and_keeps_the_fresh_match(tmp_path: Path) -> None:
    path, strategy, result = _setup(tmp_path)
    write_lock(path, strategy, result)
    path.write_text(STRATEGY.replace("Reps log calls", "Reps log calls on the iphone app"), encoding="utf-8")
    changed = load_strategy(path)
    fresh = match_requirements(changed, FEATURES)
    applied, diagnostics = apply_lock(path, changed, fresh, FEATURES)
    assert applied.by_id()["calls"] == fresh.by_id()["calls"]
    # "vague" is unchanged and unreviewed; "calls" changed, so it is not counted as waiting for review.
    [warning] = [d for d in diagnostics if d.code != "lock-unreviewed"]
    assert next(d.message for d in diagnostics if d.code == "lock-unreviewed").count("calls") == 0
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
    assert [(d.code, d.severity) for d in diagnostics] == [("lock-unreviewed", "warning"),
                                                           ("lock-unknown-requirement", "warning")]
    assert "gone" not in diagnostics[0].message


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
    # A lock that cannot be read at all can be written afresh, and the message says how.
    unreadable = [d for d in diagnostics if d.code == "syntax"]
    assert all("delete the lock file and run `vendormatch match --lock`" in d.message for d in unreadable)
    with pytest.raises(VendormatchError) as info:
        match_strategy(path, _catalog(tmp_path))
    assert code in {d.code for d in info.value.diagnostics}


def test_a_lock_of_random_bytes_says_it_can_be_written_afresh(tmp_path: Path) -> None:
    path, strategy, result = _setup(tmp_path)
    (tmp_path / "plan.lock.yaml").write_bytes(bytes(range(128, 256)) * 4)
    applied, diagnostics = apply_lock(path, strategy, result, FEATURES)
    assert applied == result
    [found] = diagnostics
    assert found.code == "not-utf8" and found.line > 0
    assert "delete the lock file and run `vendormatch match --lock`" in found.message


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
    assert "calls        matched" in second.stdout and "locked" not in second.stdout
    assert "lock-unreviewed" in second.stderr
    # The reviewer accepts the proposal for "calls" and picks a feature for "vague".
    before = path.read_bytes()
    reviewed = runner.invoke(cli, ["review", str(path), "--catalog", str(catalog), "--by", "Ann Example",
                                   "--on", "2026-12-07"], input="a\np\nportl\nportal\n")
    assert reviewed.exit_code == 0, reviewed.output
    assert "unknown feature 'portl'; did you mean 'portal'?" in reviewed.output
    assert path.read_bytes() == before  # the strategy is never edited
    lock = LockFile.model_validate(load_yaml(tmp_path / "plan.lock.yaml").data)
    assert lock.requirements["vague"].features == ("portal",)
    assert lock.requirements["calls"].reviewed is not None and lock.requirements["calls"].reviewed.by == "Ann Example"
    third = runner.invoke(cli, ["match", str(path), "--catalog", str(catalog)])
    assert "calls        locked" in third.stdout and "vague        locked" in third.stdout
    assert "lock-unreviewed" not in third.stderr
    nothing = runner.invoke(cli, ["review", str(path), "--catalog", str(catalog), "--by", "Ann"])
    assert nothing.exit_code == 0 and "nothing to review" in nothing.output


def test_quitting_a_review_records_the_decisions_made_and_keeps_the_rest(tmp_path: Path) -> None:
    path, _, _ = _setup(tmp_path)
    catalog = _catalog(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["match", str(path), "--catalog", str(catalog), "--lock"]).exit_code == 0
    lock_file = tmp_path / "plan.lock.yaml"
    vague_before = lock_file.read_text().split("  vague:")[1]
    outcome = runner.invoke(cli, ["review", str(path), "--catalog", str(catalog), "--on", "2026-12-07"],
                            input="Bo\na\nq\n")
    assert outcome.exit_code == 0, outcome.output
    assert "reviewed 1 of 2" in outcome.stderr
    assert lock_file.read_text().split("  vague:")[1] == vague_before
    skipped = runner.invoke(cli, ["review", str(path), "--catalog", str(catalog), "--by", "Bo"], input="s\n")
    assert skipped.exit_code == 0 and "lock file is unchanged" in skipped.output


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
    # "vague" is not in the lock at all: it rests on the matcher's proposal, and the lock says so.
    assert [(d.code, d.severity) for d in diagnostics] == [("unknown-feature", "warning"),
                                                          ("lock-text-changed", "warning"),
                                                          ("lock-unreviewed", "warning")]
    assert "vague" in diagnostics[2].message and "calls" not in diagnostics[2].message
    assert match_strategy(path, _catalog(tmp_path), write=True).written == lock
    assert "telefony" not in lock.read_text()


def test_a_reworded_requirement_shows_its_earlier_review_and_can_keep_it(tmp_path: Path) -> None:
    path, _, _ = _setup(tmp_path)
    catalog = _catalog(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["match", str(path), "--catalog", str(catalog), "--lock"]).exit_code == 0
    assert runner.invoke(cli, ["review", str(path), "--catalog", str(catalog), "--by", "Ann", "--on", "2026-12-07"],
                         input="a\np\nportal\n").exit_code == 0
    path.write_text(path.read_text().replace("Reps log calls", "Reps log every call"), encoding="utf-8")
    again = runner.invoke(cli, ["review", str(path), "--catalog", str(catalog), "--by", "Bo", "--on", "2026-12-08"],
                          input="k\n")
    assert again.exit_code == 0, again.output
    assert "reviewed before (Ann, 2026-12-07) for its earlier wording: telephony  [k keeps it]" in again.output
    lock = LockFile.model_validate(load_yaml(tmp_path / "plan.lock.yaml").data)
    entry = lock.requirements["calls"]
    assert entry.features == ("telephony",) and entry.reviewed is not None and entry.reviewed.by == "Bo"
    assert entry.text_sha256 == text_hash("Reps log every call")
