"""Checks on what a strategy licenses and costs: that no figure overflows the exact range of costs,
and that light users, `uses` and cost estimates name departments and products that exist."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping

from vendormatch.files.demand import strategy_demand
from vendormatch.files.loader import DataPath
from vendormatch.files.models import MAX_COST, AddOn, Edition, Price, Product, Strategy, yearly
from vendormatch.files.offers import Charge, Demand, add_on_charge, edition_charge, priced_in
from vendormatch.files.schema_errors import did_you_mean

Problem = tuple[DataPath, str, str]


def cost_problem(strategy: Strategy, products: Mapping[str, Product]) -> str | None:
    """Why some edition or add-on would cost more over the horizon than costs are compared exactly,
    or None: users x price x months x exchange rate, which only the catalogue and the strategy
    together determine (each figure has its own range in the models)."""
    users, months = strategy_demand(strategy), strategy.months
    worst: tuple[float, str, str] | None = None
    for product in products.values():
        rate = 1.0 if product.currency == strategy.currency else strategy.exchange_rates.get(product.currency)
        if rate is None:
            continue  # reported as a missing exchange rate
        items: list[tuple[str, Edition | AddOn, Callable[[Price | None, int | Demand], Charge | None]]] = [
            (f"edition '{e}'", edition, edition_charge) for e, edition in product.editions.items()
        ]
        items += [(f"add-on '{a}'", add_on, add_on_charge) for a, add_on in product.add_ons.items()]
        for item, offer, charge_of in items:
            price, price_rate = priced_in(offer, strategy.currency, rate)
            charge = charge_of(price, users)
            cost = charge.total(months) * price_rate if charge is not None else 0.0
            if cost > MAX_COST and (worst is None or cost > worst[0]):
                worst = (cost, product.id, item)
    if worst is None:
        return None
    cost, product_id, item = worst
    return (f"{strategy.peak_users:,} users over {strategy.horizon_years:g} years would make {product_id}'s {item} cost "
            f"{strategy.currency} {cost:.3g}, over the {MAX_COST:,.0f} up to which costs are compared exactly; "
            "check `users`, `horizon_years` and `exchange_rates` for a typo")


def _year_lists(strategy: Strategy) -> Iterator[tuple[DataPath, tuple[int, ...]]]:
    for department, count in strategy.users.items():
        yield ("users", department), yearly(count)
    for department, count in strategy.light_users.items():
        yield ("light_users", department), yearly(count)
    if strategy.contacts is not None:
        yield ("contacts",), yearly(strategy.contacts)


def _departments(strategy: Strategy, products: Mapping[str, Product] | None,
                 with_requirements: set[str | None]) -> Iterator[Problem]:
    departments = list(strategy.users)
    for department, light in strategy.light_users.items():
        if department not in strategy.users:
            yield (("light_users", department), "unknown-department",
                   f"light_users names department '{department}', which has no entry in `users`"
                   f"{did_you_mean(department, departments)}; add it to users or fix the name")
            continue
        counts, lights = yearly(strategy.users[department]), yearly(light)
        for year in range(max(len(counts), len(lights))):
            n, k = counts[min(year, len(counts) - 1)], lights[min(year, len(lights) - 1)]
            if k > n:
                yield (("light_users", department), "light-users-exceed",
                       f"department '{department}' has {k} light users in year {year + 1} but only {n} users; "
                       "light users are counted among the department's users: lower them or raise `users`")
                break
    for department, used in strategy.uses.items():
        if department not in strategy.users:
            yield (("uses", department), "unknown-department",
                   f"uses names department '{department}', which has no entry in `users`"
                   f"{did_you_mean(department, departments)}; add it to users or fix the name")
        elif used == "none" and department in with_requirements:
            yield (("uses", department), "uses-none-with-requirements",
                   f"department '{department}' has requirements but `uses: none` says it uses no CRM; "
                   "remove the `uses` entry or move its requirements to the department that will use the CRM")
        elif used != "none" and products is not None:
            for i, product_id in enumerate(used):
                if product_id not in products:
                    yield (("uses", department, i), "unknown-product",
                           f"uses names product '{product_id}', which the catalogue does not hold"
                           f"{did_you_mean(product_id, sorted(products))}")
    if strategy.users and all(strategy.uses.get(d) == "none" for d in strategy.users):
        yield (("uses",), "uses-none-with-requirements",
               "every department has `uses: none`, so no one would use the CRM; remove `none` from at least one")


def licensing_problems(strategy: Strategy, products: Mapping[str, Product] | None,
                       with_requirements: Iterable[str | None]) -> Iterator[Problem]:
    """What is wrong with the strategy's light users, yearly figures, `uses` and cost estimates."""
    years = math.ceil(strategy.horizon_years - 1e-9)
    for path, counts in _year_lists(strategy):
        if len(counts) > years:
            yield (path, "years-beyond-horizon",
                   f"{'.'.join(map(str, path))} gives {len(counts)} yearly figures but the horizon is "
                   f"{strategy.horizon_years:g} years; give at most {years} (the last figure repeats)")
    yield from _departments(strategy, products, set(with_requirements))
    if products is not None:
        for i, estimate in enumerate(strategy.costs):
            if estimate.product is not None and estimate.product not in products:
                yield (("costs", i, "product"), "unknown-product",
                       f"cost estimate names product '{estimate.product}', which the catalogue does not hold"
                       f"{did_you_mean(estimate.product, sorted(products))}")
