"""Write a synthetic catalogue: a taxonomy and N products of 4 editions and 8 add-ons each.

The catalogue is valid (it passes `vendormatch validate` with no findings) and the same seed gives
the same files byte for byte, so benchmarks of the loader, the validator and the optimiser can
share it. As a script:

    python benchmarks/synthetic_catalog.py OUT_DIR --products 1000 --features 120 --seed 1
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from vendormatch.files.catalog_rules import NEAR_DUPLICATE_SCORE

EDITIONS = ("starter", "professional", "business", "enterprise")
ADD_ONS_PER_PRODUCT = 8
CURRENCIES = ("USD", "USD", "USD", "EUR", "GBP")
CATEGORIES = ("core", "sales", "marketing", "service", "analytics", "collaboration", "platform", "security")
# Facts dated a few months back: recent enough not to be stale for a while, never in the future.
AS_OF = "2026-06"

# Distinct words, so that generated feature names are not near-duplicates of each other.
_WORDS = """
    account activity agenda alert archive audit badge billing booking branch budget calendar
    campaign canvas case chat checklist claim cohort comment consent contract coupon dashboard
    delivery dispatch document donor escalation event expense field forecast funnel gateway grant
    import inbox invoice journey kiosk ledger licence loyalty macro mailbox margin meeting member
    milestone mobile order partner payment persona playbook portal quota quote rebate referral
    region renewal rota route schedule segment shipment signature skill survey sync task template
    territory ticket timeline token upsell vault visit voucher webhook widget workflow zone
""".split()
_VERBS = """
    tracking planning scoring routing syncing tagging capture review approval reporting sharing
    export matching booking alerts
""".split()


def _feature_names(count: int, rng: random.Random) -> list[str]:
    # A candidate too close to a name already taken is drawn again: the validator would flag it.
    names: list[str] = []
    taken: list[str] = []
    for _ in range(100 * count):
        if len(names) == count:
            break
        first, second = rng.sample(_WORDS, 2)
        name = f"{first} {second} {rng.choice(_VERBS)}"
        key = default_process(name)
        if process.extractOne(key, taken, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_SCORE) is None:
            taken.append(key)
            names.append(name)
    if len(names) < count:
        raise ValueError(f"could draw only {len(names)} distinct synthetic feature names")
    return names


def taxonomy(features: int, rng: random.Random) -> dict[str, Any]:
    """The `features.yaml` data: `features` ids with names, categories, aliases and descriptions."""
    names = _feature_names(features, rng)
    table: dict[str, Any] = {}
    for index, name in enumerate(names):
        words = name.split()
        table[f"feature-{index:04d}"] = {
            "name": name.capitalize(),
            "category": rng.choice(CATEGORIES),
            "aliases": [f"{words[1]} {words[0]} {words[2]} {index}", f"{words[0]}-{words[1]} tool {index}"],
            "description": f"Synthetic feature {index}: {name} for benchmarks.",
        }
    return {"features": table}


def _price(rng: random.Random, rank: int, flat: bool) -> dict[str, Any]:
    if flat:
        return {"flat_month": 50 * (rank + 1) + rng.randint(0, 99), "included_users": 5 * (rank + 1),
                "per_user_month": 10 + rank * 5, "billing": "monthly"}
    price: dict[str, Any] = {"per_user_month": round(rng.uniform(8, 30) * (rank + 1), 2), "billing": "annual"}
    if rank == 0 and rng.random() < 0.3:
        price["max_users"] = rng.choice((5, 10, 25))
    if rank >= 2 and rng.random() < 0.4:
        price["min_users"] = rng.choice((3, 5, 10))
    if rank == 3 and rng.random() < 0.5:
        price["one_time"] = rng.choice((1000, 2500, 5000))
    return price


def _features(ids: list[str], count: int, rng: random.Random) -> list[Any]:
    chosen = rng.sample(ids, min(count, len(ids)))
    return [
        {"feature": fid, "level": 0.5, "note": "partial"} if rng.random() < 0.1 else fid
        for fid in chosen
    ]


def product(index: int, feature_ids: list[str], rng: random.Random) -> dict[str, Any]:
    """One product's data: 4 editions, each including the one before, and 8 add-ons."""
    product_id = f"product-{index:04d}"
    flat_starter = rng.random() < 0.2
    editions: dict[str, Any] = {}
    for rank, edition_id in enumerate(EDITIONS):
        edition: dict[str, Any] = {"name": edition_id.capitalize()}
        if rank:
            edition["includes"] = EDITIONS[rank - 1]
        edition["price"] = _price(rng, rank, flat_starter and rank == 0)
        edition["features"] = _features(feature_ids, rng.randint(3, 8), rng)
        editions[edition_id] = edition
    add_ons: dict[str, Any] = {}
    for number in range(ADD_ONS_PER_PRODUCT):
        add_on: dict[str, Any] = {"name": f"Add-on {number + 1}"}
        if rng.random() < 0.5:
            add_on["price"] = {"per_user_month": round(rng.uniform(2, 25), 2)}
        else:
            add_on["price"] = {"flat_month": rng.choice((20, 50, 99, 250))}
        if rng.random() < 0.4:
            add_on["editions"] = list(EDITIONS[rng.randint(1, 3):])
        add_on["features"] = _features(feature_ids, rng.randint(1, 3), rng)
        add_ons[f"addon-{number + 1}"] = add_on
    offered = {f if isinstance(f, str) else f["feature"] for part in (*editions.values(), *add_ons.values())
               for f in part["features"]}
    # Every feature has a stance: what no edition or add-on lists is known absent, as in a complete file.
    lacks = [fid for fid in feature_ids if fid not in offered]
    return {
        "id": product_id,
        "vendor": f"Vendor {index}",
        "product": f"Product {index} CRM",
        "url": f"https://example.com/{product_id}/pricing",
        "as_of": AS_OF,
        "deployment": rng.choice(("saas", "saas", "self-hosted", "both")),
        "license": rng.choice(("proprietary", "proprietary", "AGPL-3.0")),
        "currency": rng.choice(CURRENCIES),
        "editions": editions,
        "add_ons": add_ons,
        "lacks": lacks,
    }


def _dump(data: dict[str, Any]) -> str:
    # Leaf collections in flow style, as the hand-written catalogue writes prices and feature lists.
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100, allow_unicode=True)


def write_catalog(folder: str | Path, products: int = 1000, features: int = 120, seed: int = 1) -> Path:
    """Write `features.yaml` and `vendors/product-NNNN.yaml` files under `folder`; return the folder."""
    root = Path(folder)
    rng = random.Random(seed)
    (root / "vendors").mkdir(parents=True, exist_ok=True)
    table = taxonomy(features, rng)
    (root / "features.yaml").write_text(_dump(table), encoding="utf-8")
    ids = list(table["features"])
    for index in range(products):
        data = product(index, ids, rng)
        (root / "vendors" / f"{data['id']}.yaml").write_text(_dump(data), encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> None:
    """Command line: write a synthetic catalogue folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="where to write features.yaml and vendors/")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--features", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    write_catalog(args.folder, args.products, args.features, args.seed)
    print(f"wrote {args.products} products over {args.features} features to {args.folder}")


if __name__ == "__main__":
    main()
