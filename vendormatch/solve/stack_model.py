"""One stack as a PuLP model: the products of a stack bought together (two or three), each one's bundle,
and which departments each is licensed for.

A binary per member and department (or, for a price not linear in users, per department pattern of
`licensing.patterns`) says which departments it is licensed for, and every option's cost depends on
that. A requirement of a department is served by the best member licensed for that department; each
department uses at least one member; every pair of members integrates (a native connector, or the
integration feature in full on both sides). A department the strategy assigns (`uses`) is licensed on
the assigned products the stack holds, and on no other member while it holds one of them. Which
stacks to solve is the search's business (`stack_search`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vendormatch.solve.blocks import Block, Group
from vendormatch.solve.licensing import OptionCosts
from vendormatch.solve.mip_model import Model
from vendormatch.solve.units import Choice, Unit


@dataclass(frozen=True)
class Candidate:
    """A product that may join a stack: its screened block and each option's cost per pattern (None: unknown)."""

    block: Block
    editions: tuple[OptionCosts | None, ...]
    add_ons: tuple[OptionCosts | None, ...]

    @property
    def product(self) -> str:
        return self.block.product


@dataclass(frozen=True)
class StackSpec:
    """What the stack model needs besides its candidates."""

    groups: tuple[Group, ...]
    patterns: tuple[tuple[str, ...], ...]
    departments: tuple[str, ...]
    # A department -> the products it uses whenever the stack holds one of them.
    uses: Mapping[str, tuple[str, ...]]
    links: frozenset[frozenset[str]]
    integration_feature: str
    size: int
    budget: float | None
    floor: float | None
    # A product -> the weighted score it reaches alone (verified): a stack holding it must do better.
    alone: Mapping[str, float]
    # A department -> its users (full and light) in each year, for the seat limits of plans.
    seats: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    """One product of a chosen stack: its bundle and the departments it is licensed for."""

    choice: Choice
    departments: tuple[str, ...]


StackChoice = tuple[Member, ...]

def department_weights(groups: Sequence[Group]) -> dict[str, float]:
    """Each department's total weight over the groups."""
    totals: dict[str, float] = {}
    for group in groups:
        for department, weight in group.department_weights.items():
            totals[department] = totals.get(department, 0.0) + weight
    return totals


class StackModel(Model):
    """The stack model of `candidates` bought together: every one of them is a member."""

    def __init__(self, candidates: Sequence[Candidate], spec: StackSpec) -> None:
        self._setup(())
        self.candidates = list(candidates)
        self.spec = spec
        self.selected = [self._var("Binary") for _ in self.candidates]
        for y in self.selected:
            self.problem.addConstraint(self._expr([(y, 1.0)]) == 1)
        self.members = [self._member(c.block, y) for c, y in zip(self.candidates, self.selected, strict=True)]
        # Per member: a binary per department when every price it has is linear in the departments' users
        # (far easier for the solver), else a binary per pattern of departments.
        self.linear = [self._linear_costs(c) for c in self.candidates]
        self.pattern_vars: list[list[Any]] = []
        self.licence: list[dict[str, Any]] = []
        for linear, y in zip(self.linear, self.selected, strict=True):
            if linear is None:
                self.pattern_vars.append(self._patterns(y))
                self.licence.append(self._licences(self.pattern_vars[-1]))
            else:
                self.pattern_vars.append([])
                self.licence.append(self._department_licences(y))
        self._costs()
        self._integration()
        self._departments()
        self.total_score = self._score()

    # -- licences and costs ------------------------------------------------------------------------

    def _patterns(self, y: Any) -> list[Any]:
        s = [self._var("Binary") for _ in self.spec.patterns]
        self.problem.addConstraint(self._expr([(v, 1.0) for v in s]) - y == 0)
        return s

    def _linear_costs(self, candidate: Candidate) -> list[tuple[float, dict[str, float]] | None] | None:
        """Each option's (a, b) if all of the candidate's known prices are linear in its departments (a seat
        limit apart), else None."""
        found: list[tuple[float, dict[str, float]] | None] = []
        for costs in (*candidate.editions, *candidate.add_ons):
            if costs is None:
                found.append(None)
            elif costs.linear is None:
                return None
            else:
                found.append(costs.linear)
        return found

    def _seat_limit(self, var: Any, licence: Mapping[str, Any], cap: int) -> None:
        """The departments licensed with this option seat at most `cap` users in every year."""
        years = max((len(n) for n in self.spec.seats.values()), default=1)
        for year in range(years):
            users = {d: n[min(year, len(n) - 1)] for d, n in self.spec.seats.items() if n}
            total = sum(users.values())
            if total <= cap:
                continue
            # Relaxed by everyone's users when the option is not chosen.
            self.problem.addConstraint(
                self.sum([licence[d] for d in users], [float(n) for n in users.values()]) + total * var <= cap + total)

    def _department_licences(self, y: Any) -> dict[str, Any]:
        add = self.problem.addConstraint
        u = {d: self._var("Binary") for d in self.spec.departments}
        for v in u.values():
            add(v - y <= 0)
        add(self._expr([(v, 1.0) for v in u.values()]) - y >= 0)
        return u

    def _licences(self, s: list[Any]) -> dict[str, Any]:
        return {d: self._expr([(v, 1.0) for v, p in zip(s, self.spec.patterns, strict=True) if d in p])
                for d in self.spec.departments}

    def _costs(self) -> None:
        add = self.problem.addConstraint
        known: list[tuple[Any, float]] = []
        unknown: list[tuple[Any, float]] = []
        self.max_known = 0.0
        for i, (c, (x, a, _, _), s, y) in enumerate(
                zip(self.candidates, self.members, self.pattern_vars, self.selected, strict=True)):
            linear = self.linear[i]
            # Which edition each licensed department (or the chosen pattern) is bought with: one share per
            # edition, together equal to the licence. Far tighter for the solver than a share per edition
            # bounded below by "edition and licence both chosen".
            keys: list[Any] = list(self.spec.departments) if linear is not None else list(range(len(s)))
            licences = [self.licence[i][k] for k in keys] if linear is not None else s
            shares = [[self._var("Continuous") for _ in x] for _ in keys]
            for licence, row in zip(licences, shares, strict=True):
                add(self._expr([(v, 1.0) for v in row]) - licence == 0)
                for v, edition in zip(row, x, strict=True):
                    add(v - edition <= 0)
            options = [*zip(x, c.editions, strict=True), *zip(a, c.add_ons, strict=True)]
            for k, (var, costs) in enumerate(options):
                is_edition = k < len(x)
                if costs is None:
                    unknown.append((var, 1.0))
                    continue
                self.max_known += max((v for v in costs.costs if v is not None), default=0.0)
                if costs.constant is not None:
                    known.append((var, costs.constant))
                    continue
                if linear is not None:
                    base, each = linear[k]  # type: ignore[misc]
                    known.append((var, base))
                    if costs.cap is not None:
                        self._seat_limit(var, self.licence[i], costs.cap)
                    for row, d in zip(shares, keys, strict=True):
                        if not each.get(d):
                            continue
                        if is_edition:
                            known.append((row[k], each[d]))
                        else:
                            # An add-on: its share for this department, paid when both are chosen.
                            w = self._var("Continuous")
                            add(w - var - self.licence[i][d] >= -1)
                            known.append((w, each[d]))
                    continue
                for row, pattern_var, cost in zip(shares, s, costs.costs, strict=True):
                    if cost is None:
                        add(self._expr([(var, 1.0), (pattern_var, 1.0)]) <= 1)  # cannot seat these departments
                    elif is_edition:
                        known.append((row[k], cost))
                    else:
                        w = self._var("Continuous")
                        add(w - var - pattern_var >= -1)
                        known.append((w, cost))
            if c.block.fixed:
                known.append((y, c.block.fixed))
                self.max_known += c.block.fixed
        self.total_known = self._expr(known)
        self.total_unknown = self._expr(unknown)
        if self.spec.budget is not None:
            add(self.total_known <= self.spec.budget)

    def _integration(self) -> None:
        add = self.problem.addConstraint
        n = len(self.candidates)
        for i in range(n):
            for j in range(i + 1, n):
                pair = frozenset({self.candidates[i].product, self.candidates[j].product})
                if pair in self.spec.links:
                    continue
                both = self._expr([(self.selected[i], 1.0), (self.selected[j], 1.0)])
                for k in (i, j):
                    api = self.members[k][2](self.spec.integration_feature)
                    add((both - api <= 1) if api is not None else (both <= 1))

    def _departments(self) -> None:
        add = self.problem.addConstraint
        ids = [c.product for c in self.candidates]
        for d in self.spec.departments:
            add(self.sum([lic[d] for lic in self.licence]) >= 1)  # every department uses a member
            assigned = [i for i, p in enumerate(ids) if p in self.spec.uses.get(d, ())]
            for i in assigned:
                add(self.licence[i][d] - self.selected[i] >= 0)
            for i in (i for i in range(len(ids)) if i not in assigned):
                for j in assigned:
                    add(self.licence[i][d] + self.selected[j] <= 1)

    # -- levels and score --------------------------------------------------------------------------

    def _score(self) -> Any:
        add = self.problem.addConstraint
        spec = self.spec
        terms: list[tuple[Any, float]] = []
        by_department: dict[str, list[tuple[Any, float]]] = {}

        def total_of(pairs: list[tuple[Any, float]]) -> Any:
            return self.sum([e for e, _ in pairs], [w for _, w in pairs])

        for group in spec.groups:
            levels = {i: self._level([coverage(f) for f in group.features])
                      for i, (_, _, coverage, offered) in enumerate(self.members)
                      if all(f in offered for f in group.features)}
            for department, weight in sorted(group.department_weights.items()):
                if not levels:
                    if group.must:
                        add(self.sum(self.selected) <= 0)  # nobody offers a must-have: no stack qualifies
                    continue
                best = self._served(levels, department)
                if group.must:
                    add(best >= 1)
                terms.append((best, weight))
                by_department.setdefault(department, []).append((best, weight))
        total = total_of(terms)
        if spec.floor:
            for department, weight in sorted(department_weights(spec.groups).items()):
                if weight > 0:
                    add(total_of(by_department.get(department, [])) >= spec.floor * weight)
        return total

    def _served(self, levels: Mapping[int, Any], department: str) -> Any:
        """The level the department gets: from one member licensed for it (0 when none is picked).

        Written as a sum of shares, each at most its member's level and at most its pick, with one pick at
        most: tighter than a single variable under big-M bounds, so the solver's relaxation stays close to
        the truth and it branches far less."""
        add = self.problem.addConstraint
        picks: list[tuple[Any, float]] = []
        shares: list[tuple[Any, float]] = []
        for i, level in levels.items():
            pick = self._var("Binary")
            share = self._var("Continuous")
            add(pick - self.licence[i][department] <= 0)
            add(share - level <= 0)
            add(share - pick <= 0)
            picks.append((pick, 1.0))
            shares.append((share, 1.0))
        add(self._expr(picks) <= 1)
        return self._expr(shares)

    # -- reading the answer ------------------------------------------------------------------------

    def tie_breaks(self) -> tuple[Any, Any]:
        """Two expressions to minimise in turn among equal stacks: the bundles (edition rank, add-ons, as for
        single products), then the licence patterns (fewest and first departments)."""
        unit = Unit(tuple(c.block for c in self.candidates))
        bundles = self._tie_break(unit, self.members)
        patterns: list[tuple[Any, float]] = []
        scale = 1.0
        n = len(self.spec.departments)
        big = 2.0**n + 1
        for s, licence in reversed(list(zip(self.pattern_vars, self.licence, strict=True))):
            if s:
                patterns += [(v, rank * scale) for rank, v in enumerate(s)]
                scale *= len(s) + 1
            else:
                # The same order as the patterns: fewer departments first, then the first in name order.
                patterns += [(licence[d], (big - 2.0 ** (n - 1 - i)) * scale)
                             for i, d in enumerate(self.spec.departments)]
                scale *= n * big + 1
        return bundles, self._expr(patterns)

    def chosen(self) -> StackChoice:
        members = []
        for c, (x, a, _, _), s, y, licence in zip(self.candidates, self.members, self.pattern_vars, self.selected,
                                                  self.licence, strict=True):
            if self.value(y) < 0.5:
                continue
            editions = [e.id for e, v in zip(c.block.editions, x, strict=True) if self.value(v) > 0.5]
            add_ons = tuple(sorted(o.id for o, v in zip(c.block.add_ons, a, strict=True) if self.value(v) > 0.5))
            if s:
                departments = next(p for p, v in zip(self.spec.patterns, s, strict=True) if self.value(v) > 0.5)
            else:
                departments = tuple(d for d in self.spec.departments if self.value(licence[d]) > 0.5)
            members.append(Member(Choice(c.product, editions[0], add_ons), departments))
        return tuple(members)
