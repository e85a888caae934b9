"""The matcher: normalisation, scoring guards, statuses, multi-feature choice, rendering and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.models import Feature, Strategy
from vendormatch.files.strategy import load_strategy
from vendormatch.match.feature_index import feature_phrases
from vendormatch.match.matcher import (
    Candidate,
    MatchOptions,
    RequirementMatch,
    build_index,
    format_match_table,
    match_requirements,
    match_texts,
    match_to_json,
    measure,
)
from vendormatch.match.normalise import porter_stem, stem_word, stems

ROOT = Path(__file__).resolve().parent.parent

FEATURES = {
    "telephony": Feature(name="Telephony and call logging", aliases=("log calls", "click to call", "cti", "log")),
    "mobile": Feature(name="Mobile app", aliases=("smartphone", "iphone app", "android app")),
    "newsletters": Feature(name="Email marketing", aliases=("newsletter", "mailshot", "bulk email")),
    "tickets": Feature(name="Case management", aliases=("help desk", "support tickets", "complaints")),
    "knowledge": Feature(name="Knowledge base", aliases=("help articles", "faq")),
    "portal": Feature(name="Customer portal", aliases=("self-service portal", "client portal")),
    "custom-fields": Feature(name="Custom fields", aliases=("user defined fields",)),
    "contacts": Feature(name="Contact management", aliases=("customer records", "address book")),
}


def one(text: str, features: dict[str, Feature] = FEATURES, **options: float) -> RequirementMatch:
    """Match one text by the lexical decision rules, which these small taxonomies test (the confidence
    model was fitted on the shipped catalogue: tests/test_confidence.py tests it there)."""
    settings: dict[str, float | bool] = {"calibrated": False, **options}
    return match_texts([text], features, MatchOptions(**settings))[0]  # type: ignore[arg-type]


# -- normalisation ------------------------------------------------------------------------------


def test_porter_stems_the_textbook_examples() -> None:
    # Porter (1980), the worked examples of each step; "technology" shows Snowball's final "i".
    cases = {"caresses": "caress", "ponies": "poni", "hopping": "hop", "relational": "relat",
             "generalization": "gener", "adjustment": "adjust", "sensibiliti": "sensibl", "controll": "control",
             "technology": "technologi"}
    assert {word: porter_stem(word) for word in cases} == cases


def test_spelling_variants_and_inflections_share_a_stem() -> None:
    assert stem_word("organise") == stem_word("organize") == stem_word("organized")
    assert stem_word("catalogue") == stem_word("catalog")
    assert stem_word("enquiries") == stem_word("inquiry")
    assert stem_word("invoicing") == stem_word("invoices") == stem_word("invoiced")
    assert stem_word("cancelled") == stem_word("canceled")


def test_customer_is_not_custom() -> None:
    assert stem_word("customer") != stem_word("custom")
    assert stem_word("internal") != stem_word("international")


def test_the_thesaurus_gives_one_form_to_the_spellings_of_a_term() -> None:
    assert stems("sign in") == stems("log on") == stems("Sign-on") == stems("logins") == ["login"]
    assert stems("single sign-on") == stems("Single Sign On") == ["sso"]
    assert stems("price list") == stems("rate cards") == stems("tariff") == stems("price book") == ["pricelist"]
    assert stems("web site") == stems("website")
    assert stems("follow-ups") == stems("follow up")
    assert stems("mobile phone") == stems("smartphones") == stems("cell phone")


def test_the_verb_support_is_not_a_support_service() -> None:
    assert stems("The system must support role-based security") == ["role", "base", "secur"]
    assert stems("It supports SSO") == ["sso"]
    assert "support" in stems("24/7 telephone support")


def test_words_that_only_look_alike_keep_apart() -> None:
    assert stem_word("authority") != stem_word("authorise")
    assert stem_word("disable") != stem_word("disabilities")
    assert stem_word("local") != stem_word("localisation") == stem_word("localization")
    assert stem_word("leading") != stem_word("leads")
    assert stems("lead times") != stems("leads")


def test_a_related_word_is_read_before_stemming() -> None:
    # "phoned" implies a call; "phone" (a device) must not, though both stem to "phone".
    assert "telephony" not in [c.feature for c in one("He reads the history on his phone.").candidates]


def test_a_description_gives_one_phrase_per_sentence() -> None:
    feature = Feature(name="Case management", description="Log each issue as a case. Track it to resolution.")
    assert [text for _, text in feature_phrases(feature)][1:] == ["Log each issue as a case.", "Track it to resolution."]


def test_stems_drop_stop_words_and_punctuation_and_join_prefixes() -> None:
    assert stems("The system shall allow users to log E-mails & calls!") == ["log", "email", "call"]
    assert stems("A/B tests, 24/7 support") == ["ab", "test", "24x7", "support"]


# -- scoring and statuses -----------------------------------------------------------------------


def test_a_whole_alias_matches_with_the_text_that_matched() -> None:
    match = one("Our agents must be able to log calls against each customer.")
    assert match.status == "matched"
    assert match.features == ("telephony",)
    assert match.candidates[0] == Candidate("telephony", match.candidates[0].score, "log calls")


def test_a_short_alias_only_matches_the_word_itself() -> None:
    # The DESIGN trap: token_set_ratio gives 100 for "log" inside any text. Here "log" must be a
    # whole word, and "blog", "login" or "catalogue" are other words.
    match = one("Publish our blog and catalogue; login with a password.")
    assert "telephony" not in [c.feature for c in match.candidates]


def test_several_features_asked_for_by_different_words_are_all_chosen() -> None:
    match = one("Reps log calls from the iphone app after each visit.")
    assert match.status == "matched"
    assert set(match.features) == {"telephony", "mobile"}


def test_non_functional_statements_stay_unmatched() -> None:
    for text in ("The supplier must have traded for five years.", "Prices are fixed for the contract term.",
                 "The software must be easy to use."):
        match = one(text)
        assert match.status == "unmatched", text
        assert match.features == ()
        assert match.reason


def test_a_weak_best_score_is_ambiguous_and_chooses_nothing() -> None:
    match = one("We want a portal.", low=20, high=95)
    assert match.status == "ambiguous"
    assert match.features == ()
    assert match.candidates and match.candidates[0].feature == "portal"


def test_two_features_on_the_same_words_within_the_margin_are_ambiguous() -> None:
    features = {
        "a": Feature(name="Alpha", aliases=("parts counter",)),
        "b": Feature(name="Beta", aliases=("counter parts",)),
    }
    match = one("Staff need a parts counter.", features, low=50, high=50)
    assert match.status == "ambiguous"
    assert "match the same words" in match.reason
    assert {c.feature for c in match.candidates} == {"a", "b"}


def test_several_ordinary_words_outweigh_one_rare_word() -> None:
    # A feature is read as all its phrases together: three of the pipeline's words beat the one
    # word ("estimates") that a quote shares with the text.
    features = {
        "pipeline": Feature(name="Opportunity pipeline", aliases=("deal stages", "deal value", "expected close date")),
        "quotes": Feature(name="Quotes", aliases=("estimates", "quotations")),
    }
    match = one("Show open deals by stage with the estimated value and close date.", features)
    assert match.status == "matched"
    assert match.features == ("pipeline",)
    assert match.candidates[0].via == "deal stages"


def test_a_condition_of_the_purchase_is_unmatched_and_says_why() -> None:
    features = {"accounts": Feature(name="Account management", aliases=("company accounts", "key accounts"))}
    match = one("Bidders must supply audited accounts for the last three years.", features, low=50, high=50)
    assert match.status == "unmatched"
    assert "condition of the purchase" in match.reason and "audited accounts" in match.reason
    assert match.candidates and match.candidates[0].feature == "accounts"
    # Without the out-of-scope reading, the one shared word decides.
    assert one("Bidders must supply audited accounts for the last three years.", features,
               out_of_scope=False, low=50, high=50).features == ("accounts",)


def test_a_word_counts_in_full_only_with_the_rest_of_its_phrase() -> None:
    features = {
        "reports": Feature(name="Reports", aliases=("monthly reports", "dashboards")),
        "newsletters": Feature(name="Email marketing", aliases=("newsletter",)),
    }
    whole = {c.feature: c.score for c in one("We need monthly reports.", features, low=1).candidates}
    part = {c.feature: c.score for c in one("We send a monthly newsletter.", features, low=1).candidates}
    assert part["newsletters"] > part["reports"]
    assert whole["reports"] > part["reports"]
    # Without the phrase credit (a bag of words), "monthly" alone would count as much.
    bag = {c.feature: c.score for c in one("We send a monthly newsletter.", features, low=1, phrase_share_power=0).candidates}
    assert bag["reports"] > part["reports"]


def test_an_out_of_scope_phrase_counts_only_when_whole() -> None:
    # "contract term" is a condition of purchase; "payment terms" on an account is a feature's business.
    features = {"payments": Feature(name="Payments", aliases=("payment terms", "card payments"))}
    match = one("Only finance may change payment terms.", features, low=50, high=50)
    assert (match.status, match.features) == ("matched", ("payments",))
    match = one("The contract term is three years, payable by card.", features, low=50, high=50)
    assert match.status == "unmatched" and "contract term" in match.reason


def test_a_functional_need_beats_a_stray_commercial_word() -> None:
    # "pricing" is a commercial word, but this statement asks for a portal in words of its own.
    match = one("Clients see our pricing and their orders in a self-service portal.")
    assert (match.status, match.features) == ("matched", ("portal",))


def test_a_second_feature_needs_words_of_its_own() -> None:
    features = {
        "calls": Feature(name="Call logging", aliases=("log calls", "call history")),
        "dialer": Feature(name="Power dialer", aliases=("call lists", "calls")),
        "mobile": Feature(name="Mobile app", aliases=("smartphone app",)),
    }
    # The dialer only shares "calls", which call logging already explains: one need, not two.
    assert one("Reps log calls and see the call history.", features).features == ("calls",)
    # The app is asked for in words of its own: two needs.
    assert set(one("Reps log calls from the smartphone app.", features).features) == {"calls", "mobile"}


def test_typos_are_caught_by_the_fuzzy_step() -> None:
    match = one("Send a monthly newslettre to members.")
    assert match.candidates and match.candidates[0].feature == "newsletters"


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="low <= high"):
        MatchOptions(low=90, high=80)
    with pytest.raises(ValueError, match="margin"):
        MatchOptions(margin=-1)
    with pytest.raises(ValueError, match="semantic_weight"):
        MatchOptions(semantic_weight=1.5)
    with pytest.raises(ValueError, match="bm25_k1"):
        MatchOptions(bm25_b=2)
    with pytest.raises(ValueError, match="also_share"):
        MatchOptions(also_share=1.5)
    with pytest.raises(ValueError, match="out_of_scope_factor"):
        MatchOptions(out_of_scope_factor=0)
    with pytest.raises(ValueError, match="description_credit"):
        MatchOptions(description_credit=2)
    with pytest.raises(ValueError, match="semantic_floor"):
        MatchOptions(semantic_floor=0.5, semantic_ceiling=0.4)


def test_the_hybrid_options_turn_the_semantic_scorer_on_and_keep_overrides() -> None:
    options = MatchOptions.hybrid(high=90)
    assert options.semantic and options.high == 90
    assert not MatchOptions().semantic


def test_a_requirement_match_checks_its_own_invariants() -> None:
    with pytest.raises(ValueError, match="a matched requirement needs features"):
        RequirementMatch("r", "matched", (), ())
    with pytest.raises(ValueError, match="an ambiguous requirement chooses no feature"):
        RequirementMatch("r", "ambiguous", ("a",), ())


def test_texts_get_ids_and_the_same_input_gives_the_same_output() -> None:
    texts = ["log calls", "help articles for customers", "nothing here at all"]
    first = match_texts(texts, FEATURES, ids=["x", "y", "z"])
    assert [m.requirement for m in first] == ["x", "y", "z"]
    assert match_texts(texts, build_index(FEATURES), ids=["x", "y", "z"]) == first
    assert [m.requirement for m in match_texts(texts, FEATURES)] == ["1", "2", "3"]
    with pytest.raises(ValueError, match="match_texts needs one id per text"):
        match_texts(texts, FEATURES, ids=["x"])


def test_an_empty_catalogue_or_text_matches_nothing() -> None:
    assert match_texts(["log calls"], {})[0].status == "unmatched"
    assert match_texts(["", "!!!"], FEATURES)[0].status == "unmatched"
    assert match_texts([], FEATURES) == []


def _strategy(*requirements: dict[str, object]) -> Strategy:
    return Strategy.model_validate({
        "organisation": "Test", "currency": "USD", "horizon_years": 1, "users": {"sales": 1},
        "objectives": {"grow": {"statement": "Grow"}},
        "requirements": [{"objective": "grow", "department": "sales", **r} for r in requirements],
    })


def test_pinned_features_always_win() -> None:
    strategy = _strategy(
        {"id": "pinned", "text": "log calls", "features": ["contacts"]},
        {"id": "free", "text": "log calls"},
    )
    result = match_requirements(strategy, FEATURES)
    assert [(m.requirement, m.status, m.features) for m in result.requirements] == [
        ("pinned", "pinned", ("contacts",)),
        ("free", "matched", ("telephony",)),
    ]
    assert result.needing_review() == ()


def test_measure_counts_top1_recall_precision_and_unmatched_non_functional() -> None:
    matches = [
        RequirementMatch("1", "matched", ("a", "b"), ()),
        RequirementMatch("2", "ambiguous", (), (Candidate("c", 60.0, "c"),)),
        RequirementMatch("3", "unmatched", (), ()),
        RequirementMatch("4", "matched", ("d",), ()),
    ]
    figures = measure(matches, [["a"], ["c", "e"], [], []])
    assert (figures.top1, figures.recall, figures.unmatched_when_none) == (1.0, 1 / 3, 0.5)
    assert figures.precision == 1 / 3


# -- the shipped catalogue and strategies ---------------------------------------------------------


def test_shipped_strategies_get_sensible_proposals() -> None:
    catalog = load_catalog(ROOT / "catalog")
    for path in ("sme-services.yaml", "tight-budget.yaml", "b2b-distributor"):
        strategy = load_strategy(ROOT / "strategies" / path, catalog)
        result = match_requirements(strategy, catalog.features)
        assert len(result.requirements) == len(strategy.requirements)
        for match in result.requirements:
            assert set(match.features) <= set(catalog.features)
    examples = {
        "A short monthly email newsletter to our customers": "email-marketing",
        "Agents log every customer complaint as a ticket with a reference number": "case-management",
        "The system must support single sign-on with our Azure AD": "sso-saml",
        "Field reps must keep working offline where there is no signal": "offline-mobile",
        "Sales reps log calls from the iphone app": "mobile-app",
    }
    found = match_texts(list(examples), catalog.features)
    assert [m.top_feature for m in found] == list(examples.values())


# -- rendering and the command --------------------------------------------------------------------


def _sample() -> list[RequirementMatch]:
    return [
        RequirementMatch("a-very-long-requirement-identifier-indeed", "matched", ("telephony", "mobile"),
                         (Candidate("telephony", 96.5, "log calls"), Candidate("mobile", 91.0, "smartphone"))),
        RequirementMatch("weak", "ambiguous", (), (Candidate("portal", 80.0, "portal"),), "best score 80"),
        RequirementMatch("none", "unmatched", (), (), "no feature scored 75 or more"),
        RequirementMatch("answer-every-enquiry-data-1", "unmatched", (), (), "-"),
        RequirementMatch("answer-every-enquiry-data-2", "unmatched", (), (), "-"),
    ]


def test_the_table_fits_80_columns() -> None:
    from vendormatch.match.matcher import MatchResult

    table = format_match_table(MatchResult(tuple(_sample())))
    assert all(len(line) <= 80 for line in table.splitlines())
    # Cut in the middle, so that ids differing only at the end stay apart.
    assert table.splitlines()[1].startswith("a-very-long...ier-indeed  matched    telephony (96)")
    assert "? portal (80)" in table
    assert "why: best score 80" in table and "why: no feature scored 75 or more" in table
    assert "answer-ever...iry-data-1" in table and "answer-ever...iry-data-2" in table
    assert table.endswith("1 matched, 1 ambiguous, 3 unmatched\n")


def test_the_json_shape_is_stable() -> None:
    from vendormatch.match.matcher import MatchResult

    data = match_to_json(MatchResult(tuple(_sample())))
    first = data["requirements"][0]
    assert first == {
        "id": "a-very-long-requirement-identifier-indeed", "status": "matched", "features": ["telephony", "mobile"],
        "candidates": [{"feature": "telephony", "score": 96.5, "via": "log calls"},
                       {"feature": "mobile", "score": 91.0, "via": "smartphone"}],
        "reason": "",
    }


def test_the_match_command_prints_json_on_stdout_and_messages_on_stderr() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["match", str(ROOT / "strategies" / "sme-services.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["requirements"]][:2] == ["enquiry-to-partner", "proposals-in-hand"]
    assert data["requirements"][1]["status"] == "pinned"
    assert all({"id", "status", "features", "candidates"} <= set(r) for r in data["requirements"])
    table = runner.invoke(cli, ["match", str(ROOT / "strategies" / "tight-budget.yaml")])
    assert table.exit_code == 0
    assert all(len(line) <= 80 for line in table.stdout.splitlines())


def test_the_match_command_reports_a_missing_strategy() -> None:
    result = CliRunner().invoke(cli, ["match", "no-such-strategy.yaml"])
    assert result.exit_code == 2
    assert "no-such-strategy.yaml:0:0: error" in result.stderr
