"""The confidence model: its fit, the weights shipped with it, and the decisions it makes on the shipped catalogue."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from vendormatch.files.catalog import load_catalog
from vendormatch.files.models import Feature
from vendormatch.match.confidence import describe, fit, fit_sets
from vendormatch.match.confidence_model import CUES, ConfidenceModel
from vendormatch.match.confidence_weights import DEFAULT_MODEL
from vendormatch.match.feature_index import build_index
from vendormatch.match.labelled import read_labelled, refinements
from vendormatch.match.lexical import lexical_scores
from vendormatch.match.matcher import MatchOptions, match_texts

ROOT = Path(__file__).resolve().parent.parent
#: The recipe of benchmarks/fit_confidence.py: (file, weight per statement), and the L2 penalty.
DEVELOPMENT = (("match_dev.yaml", 1.0), ("match_eval.yaml", 1.0), ("rfp_dev.yaml", 3.0))
L2 = 1.0


@cache
def _features() -> dict[str, Feature]:
    return dict(load_catalog(ROOT / "catalog").features)


def test_fit_recovers_the_weights_of_a_known_logistic_model() -> None:
    rng = np.random.default_rng(7)
    cues = rng.uniform(0, 1, size=(20_000, len(CUES)))
    truth = np.linspace(-3, 3, len(CUES))
    probability = 1 / (1 + np.exp(-(0.5 + cues @ truth)))
    right = (rng.uniform(size=len(cues)) < probability).astype(float)
    model = fit(cues, right, l2=0.0)
    assert np.allclose(model.weights, truth, atol=0.25), model
    assert abs(model.intercept - 0.5) < 0.25


def test_sample_weights_count_like_repeated_rows() -> None:
    rng = np.random.default_rng(3)
    cues = rng.uniform(0, 1, size=(300, len(CUES)))
    right = (rng.uniform(size=300) < 0.4).astype(float)
    doubled = fit(np.vstack([cues, cues[:100]]), np.concatenate([right, right[:100]]), l2=1.0)
    weighted = fit(cues, right, l2=1.0, sample_weight=np.array([2.0] * 100 + [1.0] * 200))
    assert np.allclose(doubled.weights, weighted.weights, atol=1e-6)


def test_a_model_needs_one_weight_per_cue_and_a_fit_needs_matching_rows() -> None:
    with pytest.raises(ValueError, match=f"needs {len(CUES)} weights"):
        ConfidenceModel(0.0, (1.0, 2.0))
    with pytest.raises(ValueError, match="as many labels as rows"):
        fit(np.zeros((3, len(CUES))), np.zeros(2))


def test_the_shipped_weights_are_the_fit_of_the_development_sets() -> None:
    """Refit after changing the scorer, the catalogue's phrases or the sets: benchmarks/fit_confidence.py --write."""
    options = MatchOptions()
    index = build_index(_features(), options)
    sets = []
    for name, weight in DEVELOPMENT:
        labelled = read_labelled(ROOT / "tests" / "data" / name, list(_features()))
        sets.append((lexical_scores(labelled.texts, index, options), labelled.labels, weight))
    refit = fit_sets(sets, index, L2, refinements(_features()))
    assert abs(refit.intercept - DEFAULT_MODEL.intercept) < 1e-3
    assert np.allclose(refit.weights, DEFAULT_MODEL.weights, atol=1e-3), refit


def test_cues_stay_in_their_ranges() -> None:
    index = build_index(_features())
    texts = ["Bidders must supply audited accounts.", "Agents log every complaint as a ticket with a reference number.",
             "x", "The CRM shall record consent, export data and send SMS reminders to clients before appointments."]
    for found in lexical_scores(texts, index, MatchOptions()):
        cues = describe(found, index)
        assert cues.shape == (len(found.features), len(CUES))
        assert (cues >= -1).all() and (cues <= 1.5).all(), cues


def test_confident_decisions_on_the_shipped_catalogue() -> None:
    texts = [
        "The system must support single sign-on with our Azure AD.",
        "Bidders must supply audited accounts for the last three years.",
        "Agents log every customer complaint as a ticket with a reference number.",
    ]
    sso, accounts, tickets = match_texts(texts, _features())
    assert sso.status == "matched" and sso.features == ("sso-saml",)
    assert sso.candidates[0].score >= MatchOptions().confident
    assert accounts.status == "unmatched" and "condition of the purchase" in accounts.reason
    assert tickets.features[:1] == ("case-management",)
    for match in (sso, accounts, tickets):
        scores = [c.score for c in match.candidates]
        if match.status != "matched":
            assert scores == sorted(scores, reverse=True)
        assert all(0 <= s <= 100 for s in scores)


def test_a_weak_best_candidate_is_ambiguous_with_its_confidence_in_the_reason() -> None:
    options = MatchOptions(confident=99.9, plausible=0.0)
    (match,) = match_texts(["Agents log every customer complaint as a ticket."], _features(), options)
    assert match.status == "ambiguous" and match.features == ()
    assert f"{match.candidates[0].feature}, confidence" in match.reason and "below 99.9" in match.reason


def test_raising_the_bar_only_moves_requirements_from_matched_to_review() -> None:
    labelled = read_labelled(ROOT / "tests" / "data" / "rfp_dev.yaml", list(_features()))
    usual = match_texts(labelled.texts, _features())
    strict = match_texts(labelled.texts, _features(), MatchOptions(confident=80.0, also_confident=80.0))
    moved = 0
    for a, b in zip(usual, strict, strict=True):
        if b.status == "matched":
            assert a.status == "matched" and set(b.features) <= set(a.features)
        moved += a.status == "matched" and b.status != "matched"
    assert moved > 0


def test_the_options_reject_thresholds_out_of_order() -> None:
    with pytest.raises(ValueError, match="plausible <= confident"):
        MatchOptions(plausible=70.0, confident=60.0)
