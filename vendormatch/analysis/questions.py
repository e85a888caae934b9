"""The questions for vendors that can change the decision: unknown or partial facts whose answer moves the leaders.

For every product and every feature the strategy's settled requirements need whose stance is
unknown or partial in some edition, a "yes" (offered in full in every edition) and a "no"
(absent) are tried by exact re-solving: the product's own problem is solved again with the
answer applied (`files.answers`), and its new ranking takes its place among the others, whose
problems the answer does not touch. A fact counts when an answer moves a product into or out of
the top K, or changes the winner.

Bounds skip what cannot matter, never by guessing: a "no" only ever lowers its product (fewer
features, never a better score, band or cost), so it can only matter for a product in the top
K; a "yes" only ever raises it, so for a product outside the top K it matters only if all its
open facts confirmed at once bring it in, which one solve per product settles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from vendormatch.files.alternatives import real_features
from vendormatch.files.answers import Answer, AnswerKind, apply_answer
from vendormatch.files.catalog import Catalog
from vendormatch.files.models import Product, Strategy
from vendormatch.files.stances import ProductStances
from vendormatch.match.results import MatchResult
from vendormatch.solve.results import Ranking, rank_key
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements, shortlist

#: The provenance written into a hypothetical answer (never shown: only its effect on the ranking is).
_WHO, _WHEN = "question", "1970-01-01"


@dataclass(frozen=True)
class Outcome:
    """The leaders after one answer: the top K in order, the winner, and what changed, in words."""

    top: tuple[str, ...]
    winner: str | None
    summary: str


@dataclass(frozen=True)
class Question:
    """A fact worth asking a vendor: what is unknown or partial, and what each answer would change."""

    product: str
    feature: str
    stance: str
    impact: int  # 2: an answer changes the winner; 1: it changes who is in the top K
    if_yes: Outcome | None  # None: that answer changes nothing
    if_no: Outcome | None


@dataclass(frozen=True)
class QuestionList:
    """The decision-relevant questions, most impactful first, and the leaders they are measured against."""

    top_k: int
    top: tuple[str, ...]
    winner: str | None
    questions: tuple[Question, ...]
    #: How many (product, feature) facts were open, and how many were re-solved after the bounds.
    open_facts: int
    solved: int


def _open_facts(product: Product, features: set[str]) -> list[tuple[str, str]]:
    """The needed features whose stance is unknown or partial in some edition: (feature, the worst such stance)."""
    stances = ProductStances(product)
    found = []
    for feature in sorted(features):
        kinds = {stances.stance(e, feature).kind for e in product.editions}
        if "unknown" in kinds:
            found.append((feature, "unknown"))
        elif "partial" in kinds:
            found.append((feature, "partial"))
    return found


def _order(rankings: Sequence[Ranking]) -> list[str]:
    return [r.product for r in sorted(rankings, key=rank_key)]


def _summary(before: Sequence[str], after: Sequence[str], k: int) -> str:
    top_before, top_after = before[:k], after[:k]
    parts = []
    if before[:1] != after[:1]:
        parts.append(f"{after[0] if after else 'no product'} becomes the winner")
    parts += [f"{p} enters the top {k} at rank {after.index(p) + 1}" for p in top_after if p not in top_before]
    parts += [f"{p} leaves the top {k}" for p in top_before if p not in top_after]
    return "; ".join(parts)


def decision_questions(
    strategy: Strategy, catalog: Catalog, decisions: MatchResult | None = None, *, top: int = 3,
    budget: float | None = None, solver: str = "highs", today: date | None = None,
) -> QuestionList:
    """The unknown or partial facts whose answer changes the top `top` or the winner, by exact re-solving."""
    if top < 1:
        raise ValueError("top must be at least 1")
    decisions = decisions if decisions is not None else pinned_decisions(strategy)
    requirements, _ = scored_requirements(strategy, decisions)
    needed = set(real_features(f for r in requirements for f in r.features))

    def solve(products: dict[str, Product]) -> list[Ranking]:
        one = replace(catalog, products=products, warnings=())
        return list(shortlist(strategy, one, decisions, budget=budget, solver=solver, today=today, closest=0).rankings)

    baseline = solve(dict(catalog.products))
    order = _order(baseline)
    others = {r.product: r for r in baseline}
    winner = order[0] if order else None

    def after(product_id: str, changed: Product) -> list[str]:
        rest = [r for p, r in others.items() if p != product_id]
        return _order(rest + solve({product_id: changed}))

    def outcome(new_order: list[str]) -> Outcome | None:
        if new_order[:top] == order[:top] or (set(new_order[:top]) == set(order[:top]) and new_order[:1] == order[:1]):
            return None
        return Outcome(tuple(new_order[:top]), new_order[0] if new_order else None, _summary(order, new_order, top))

    def answered(product: Product, feature: str, kind: AnswerKind) -> Product:
        return apply_answer(product, Answer(feature, kind, _WHO, _WHEN))

    questions: list[Question] = []
    open_count = solved = 0
    for product_id, product in sorted(catalog.products.items()):
        facts = _open_facts(product, needed)
        open_count += len(facts)
        if not facts:
            continue
        leading = product_id in order[:top]
        try_yes = product_id != winner
        if try_yes and not leading:
            everything = product
            for feature, _ in facts:
                everything = answered(everything, feature, "yes")
            solved += 1
            try_yes = product_id in after(product_id, everything)[:top]
        for feature, stance in facts:
            if_yes = if_no = None
            if try_yes:
                solved += 1
                if_yes = outcome(after(product_id, answered(product, feature, "yes")))
            if leading:
                solved += 1
                if_no = outcome(after(product_id, answered(product, feature, "no")))
            if if_yes or if_no:
                changes_winner = any(o is not None and o.winner != winner for o in (if_yes, if_no))
                questions.append(Question(product_id, feature, stance, 2 if changes_winner else 1, if_yes, if_no))
    ranked = sorted(questions, key=lambda q: (-q.impact, order.index(q.product) if q.product in order else len(order),
                                              q.product, q.feature))
    return QuestionList(top, tuple(order[:top]), winner, tuple(ranked), open_count, solved)
