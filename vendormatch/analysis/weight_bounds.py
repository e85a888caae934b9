"""Bounds on every product's best score when objective weights change, so most re-solves can be skipped.

A requirement's weight is its objective's weight times a priority factor (or a fixed explicit
weight), so with every objective weight multiplied by `u[o]`, each weight, and so each bundle's
(unnormalised) score, is linear in `u`. A product's best score is the maximum of these linear
functions over its bundles: convex in `u`. Hence:

- lower bound: any bundle of the product found by an earlier solve, scored at `u` (when there is a
  department floor, only if that bundle still meets it at `u`); budgets, must-haves and user counts
  do not depend on weights, so such a bundle stays available;
- upper bound: solves without the department floor at "anchor" points `u_j`, whose convex hull holds
  `u`, give exact best scores `s_j`; by convexity the best score at `u = sum pi_j u_j` is at most
  `sum pi_j s_j` (dropping the floor only raises a best score). Any upper bound at an anchor will
  do, so a product need not be solved there when its ceiling (the score it would reach if every
  edition and add-on could be combined, budget ignored) is already out of the running.

A product whose upper bound is below the best lower bound (by more than the ranking's rounding of
scores) cannot rank first: only the others need a solve, and when one product is left it is the
winner without any. All of this only decides which products to solve; winners come from
`shortlist()` itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from vendormatch.files.models import Product, Strategy
from vendormatch.files.offers import add_on_levels, edition_levels
from vendormatch.solve.results import Ranking
from vendormatch.solve.scoring import ScoredRequirement, bundle_feature_levels, requirement_level

Array = NDArray[np.float64]

# Scores are ranked rounded to 6 decimals: a product more than this below the leader (as a share of
# the total weight) ranks strictly below it, whatever the rounding and floating-point noise.
SCORE_MARGIN = 3e-6
# A bundle counts as meeting the floor at new weights only with this much to spare (as a share of the
# department's weight), so that a bound never relies on a constraint the solver might call unmet.
FLOOR_MARGIN = 1e-6


@dataclass(frozen=True)
class WeightModel:
    """Requirement weights as linear functions of the objectives' weight multipliers."""

    #: The objectives whose weight some counted requirement's weight derives from, sorted.
    objectives: tuple[str, ...]
    #: Counted requirement ids, in the order of the rows below.
    requirements: tuple[str, ...]
    #: Row r: requirement r's weight is `coefficients[r] @ (u..., 1)`.
    coefficients: Array
    #: Department d's requirements: `membership[d, r]` is 1 when requirement r belongs to it.
    membership: Array
    floor: float | None
    #: Each counted requirement's features, in the order of the rows.
    features: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def build(cls, strategy: Strategy, requirements: Sequence[ScoredRequirement]) -> WeightModel:
        """The model for a strategy's counted requirements (as `shortlist.scored_requirements` gives them)."""
        written = {r.id: r for r in strategy.requirements}

        def derived(req: ScoredRequirement) -> str | None:
            source = written[req.id]
            derives = source.weight is None and source.objective in strategy.objectives
            return source.objective if derives else None

        objectives = tuple(sorted({o for o in map(derived, requirements) if o is not None}))
        index = {o: i for i, o in enumerate(objectives)}
        coefficients = np.zeros((len(requirements), len(objectives) + 1))
        for row, req in enumerate(requirements):
            objective = derived(req)
            coefficients[row, index[objective] if objective is not None else len(objectives)] = req.weight
        departments = sorted({req.department for req in requirements})
        membership = np.zeros((len(departments), len(requirements)))
        for row, req in enumerate(requirements):
            membership[departments.index(req.department), row] = 1.0
        return cls(objectives, tuple(r.id for r in requirements), coefficients, membership,
                   strategy.min_department_coverage, tuple(r.features for r in requirements))

    def point(self, multipliers: Mapping[str, float]) -> Array:
        """The vector `(u..., 1)` for the multipliers (objectives not named keep their weight)."""
        return np.array([multipliers.get(o, 1.0) for o in self.objectives] + [1.0])

    def total(self, x: Array) -> float:
        """The sum of the counted requirements' weights at `x`: the denominator of every score."""
        return float(self.coefficients.sum(axis=0) @ x)

    def ceiling(self, product: Product) -> Ceiling:
        """What no bundle of the product can exceed: every edition and add-on at once, budget ignored."""
        best: dict[str, float] = {}
        offers = [edition_levels(product, e) for e in product.editions]
        offers += [add_on_levels(a) for a in product.add_ons.values()]
        for levels in offers:
            for feature, level in levels.items():
                best[feature] = max(best.get(feature, 0.0), level)
        ceiling = np.array([requirement_level(fs, best) for fs in self.features])
        return Ceiling(ceiling @ self.coefficients, self._slack(ceiling))

    def _slack(self, levels: Array) -> Array:
        slack: Array = self.membership @ ((levels - (self.floor or 0.0))[:, None] * self.coefficients)
        return slack

    def meets_floor(self, slack: Array, x: Array) -> NDArray[np.bool_]:
        """Which bundles (rows of slack coefficients) meet the department floor at `x`, with a margin."""
        if not self.floor:
            return np.ones(slack.shape[0], dtype=bool)
        totals = (self.membership @ self.coefficients) @ x
        met: NDArray[np.bool_] = np.all((slack @ x >= FLOOR_MARGIN * totals) | (totals <= 0), axis=1)
        return met

    def misses_floor(self, slack: Array, x: Array) -> NDArray[np.bool_]:
        """Which bundles (rows of slack coefficients) surely miss the department floor at `x`."""
        if not self.floor:
            return np.zeros(slack.shape[0], dtype=bool)
        totals = (self.membership @ self.coefficients) @ x
        missed: NDArray[np.bool_] = np.any((slack @ x < -FLOOR_MARGIN * totals) & (totals > 0), axis=1)
        return missed

    def terms(self, product: Product, ranking: Ranking) -> BundleTerms:
        """A ranked bundle of the product (its edition and add-ons) in weight space."""
        offered = bundle_feature_levels(product, ranking.edition, ranking.add_ons)
        levels = np.array([requirement_level(features, offered) for features in self.features])
        return BundleTerms(ranking.product, ranking.edition, ranking.add_ons, levels @ self.coefficients,
                           self._slack(levels))


@dataclass(frozen=True)
class Ceiling:
    """A product's best conceivable levels in weight space: no bundle of it scores more, or covers a department more."""

    score: Array
    slack: Array


@dataclass(frozen=True)
class BundleTerms:
    """One bundle in weight space: its score at `x` is `score @ x`; it meets the floor when `slack @ x >= 0`."""

    product: str
    edition: str
    add_ons: tuple[str, ...]
    score: Array
    slack: Array

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """What identifies the bundle."""
        return (self.product, self.edition, self.add_ons)


def _known_arrays(model: WeightModel, bundles: Sequence[BundleTerms]) -> tuple[Array, Array]:
    width = len(model.objectives) + 1
    departments = model.membership.shape[0]
    return (np.array([b.score for b in bundles]).reshape(len(bundles), width),
            np.array([b.slack for b in bundles]).reshape(len(bundles), departments, width))


def contenders(model: WeightModel, ceilings: Mapping[str, Ceiling], known: Sequence[BundleTerms],
               points: Sequence[Array]) -> tuple[str, ...]:
    """The products that may rank first somewhere in the convex hull of `points`, judged by their ceilings.

    A product is out when one known bundle, meeting the floor at every point (hence everywhere in
    between), outscores its ceiling by the margin at every point (hence everywhere in between: both
    are linear).
    """
    if not known or not points:
        return tuple(sorted(ceilings))
    xs = np.array(points).T
    scores, slacks = _known_arrays(model, known)
    everywhere = np.all([model.meets_floor(slacks, x) for x in points], axis=0)
    if not everywhere.any():
        return tuple(sorted(ceilings))
    values = scores[everywhere] @ xs
    # The best known bundle at each point is enough to rule a product out at that point.
    reference = values[np.unique(np.argmax(values, axis=0))]
    margin = SCORE_MARGIN * (model.coefficients.sum(axis=0) @ xs)
    names = sorted(ceilings)
    tops = np.array([ceilings[p].score for p in names]).reshape(len(names), -1) @ xs
    # Out when, for some reference bundle, the ceiling stays below it (by the margin) at every point.
    out = np.any(np.all(tops[:, None, :] < reference[None, :, :] - margin, axis=2), axis=1)
    return tuple(p for p, dropped in zip(names, out, strict=True) if not dropped)


@dataclass(frozen=True)
class Bounds:
    """Known bundles (lower bounds) and upper bounds of best scores without the floor at anchor points."""

    model: WeightModel
    #: The products that can rank at some weights, in a fixed order.
    products: tuple[str, ...]
    #: `anchors[p, j]`: an upper bound (the exact best, when solved) of product p's score without the floor at anchor j.
    anchors: Array
    #: Known bundles: owning product's index, score coefficients, department slack coefficients.
    owners: NDArray[np.int64]
    scores: Array
    slacks: Array
    #: Each product's ceiling of department slacks: when it misses the floor, so does every bundle.
    ceiling_slacks: Array

    @classmethod
    def build(cls, model: WeightModel, ceilings: Mapping[str, Ceiling],
              anchors: Sequence[tuple[Array, Sequence[BundleTerms]]], known: Sequence[BundleTerms] = ()) -> Bounds:
        """Bounds over the products of `ceilings`, from no-floor solves at anchor points `x_j` (each solved
        product's best bundle there; the others' ceilings stand in) and other known bundles."""
        products = tuple(sorted(ceilings))
        position = {p: i for i, p in enumerate(products)}
        values = np.zeros((len(products), len(anchors)))
        seen: dict[tuple[str, str, tuple[str, ...]], BundleTerms] = {}
        for j, (x, bundles) in enumerate(anchors):
            values[:, j] = [ceilings[p].score @ x for p in products]
            for bundle in bundles:
                if bundle.product in position:
                    values[position[bundle.product], j] = bundle.score @ x
                    seen.setdefault(bundle.key, bundle)
        for bundle in known:
            if bundle.product in position:
                seen.setdefault(bundle.key, bundle)
        ordered = [seen[key] for key in sorted(seen)]
        scores, slacks = _known_arrays(model, ordered)
        width = len(model.objectives) + 1
        ceiling_slacks = np.array([ceilings[p].slack for p in products]).reshape(len(products), -1, width)
        return cls(model, products, values, np.array([position[b.product] for b in ordered], dtype=np.int64),
                   scores, slacks, ceiling_slacks)

    def decide(self, x: Array, pi: Array) -> str | tuple[str, ...]:
        """At `x = sum pi_j x_j`: the winner, when the bounds prove it; else the products that may rank first."""
        if not self.products:
            return ()
        upper = self.anchors @ pi
        scores = self.scores @ x
        usable = self.model.meets_floor(self.slacks, x)
        lower = np.full(len(self.products), -np.inf)
        np.maximum.at(lower, self.owners[usable], scores[usable])
        best = float(lower.max())
        # A product whose ceiling misses the floor (by far more than the solver's tolerance) cannot qualify.
        possible = ~self.model.misses_floor(self.ceiling_slacks, x)
        if best == -np.inf:
            return tuple(p for p, ok in zip(self.products, possible, strict=True) if ok)
        margin = SCORE_MARGIN * self.model.total(x)
        contenders = np.flatnonzero((upper >= best - margin) & possible)
        if len(contenders) == 1 and lower[contenders[0]] == best:
            return self.products[int(contenders[0])]
        return tuple(self.products[int(i)] for i in contenders)
