"""Decision-relevant questions against brute force: exactly the facts whose answer changes the top K or the winner."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from randomcatalog import catalogues, strategies_

from vendormatch.analysis.questions import decision_questions
from vendormatch.files.alternatives import real_features
from vendormatch.files.answers import Answer, apply_answer
from vendormatch.files.catalog import Catalog
from vendormatch.files.models import Product, Strategy
from vendormatch.files.stances import ProductStances
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements, shortlist


def _leaders(catalog: Catalog, strategy: Strategy, k: int) -> tuple[tuple[str, ...], str | None]:
    """The top k and the winner of a full shortlist of the whole catalogue: the plain, slow way."""
    order = [r.product for r in shortlist(strategy, catalog, closest=0).rankings]
    return tuple(sorted(order[:k])), (order[0] if order else None)


def _open(product: Product, needed: set[str]) -> list[str]:
    stances = ProductStances(product)
    return [f for f in sorted(needed) if {stances.stance(e, f).kind for e in product.editions} & {"unknown", "partial"}]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=catalogues(), strategy=strategies_(), k=st.integers(1, 3))
def test_the_questions_are_exactly_the_facts_that_change_the_leaders(catalog: Catalog, strategy: Strategy,
                                                                      k: int) -> None:
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    needed = set(real_features(f for r in requirements for f in r.features))
    before = _leaders(catalog, strategy, k)
    expected: set[tuple[str, str, str]] = set()
    for product_id, product in catalog.products.items():
        for feature in _open(product, needed):
            for kind in ("yes", "no"):
                changed = apply_answer(product, Answer(feature, kind, "test", "2026-12-07"))
                products = {**catalog.products, product_id: changed}
                if _leaders(replace(catalog, products=products), strategy, k) != before:
                    expected.add((product_id, feature, kind))
    found = decision_questions(strategy, catalog, top=k)
    asked = {(q.product, q.feature, kind) for q in found.questions
             for kind, outcome in (("yes", q.if_yes), ("no", q.if_no)) if outcome is not None}
    assert asked == expected
    assert found.solved <= 2 * found.open_facts + len(catalog.products)
    for question in found.questions:
        assert question.impact == (2 if any(o is not None and o.winner != before[1]
                                            for o in (question.if_yes, question.if_no)) else 1)
