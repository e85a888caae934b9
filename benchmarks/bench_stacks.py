"""Benchmark of stacks: `vendormatch shortlist --stack 2|3` on the shipped catalogue, and the stack search
on synthetic catalogues of growing size, with growth figures.

Shipped: the whole command, end to end (process start, loading, matching, singles, stacks, rendering),
median of --runs runs, for each example strategy. Synthetic: `shortlist(..., stack=3)` in-process on
catalogues of --sizes products (4 editions and 8 add-ons each, each product listing native connectors
to --links others), with 20 requirements over four departments, each pinned to one feature, no
budget; a size whose first run takes more than --limit seconds is reported once and the larger sizes
are skipped.

    python benchmarks/bench_stacks.py [--runs 3] [--sizes 50 100 200 1000] [--limit 300]

Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_catalog import write_catalog

from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.strategy import load_strategy
from vendormatch.solve.shortlist import shortlist

ROOT = Path(__file__).resolve().parent.parent
STRATEGIES = ("strategies/sme-services.yaml", "strategies/tight-budget.yaml", "strategies/b2b-distributor",
              "strategies/housing-association")


def _command_seconds(strategy: str, stack: int, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "vendormatch", "shortlist", strategy, "--stack", str(stack),
                        "--format", "json"], cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _linked(catalog: Catalog, links: int, seed: int) -> Catalog:
    """The catalogue with each product listing native connectors to `links` others."""
    rng = random.Random(seed)
    ids = sorted(catalog.products)
    products = {p: catalog.products[p].model_copy(update={"integrates_with": tuple(sorted(rng.sample(
        [o for o in ids if o != p], min(links, len(ids) - 1))))}) for p in ids}
    return dataclasses.replace(catalog, products=products)


def _pinned_strategy(folder: Path, features: list[str]) -> Path:
    """Twenty requirements over four departments, each pinned to one feature, no budget: the search alone."""
    rng = random.Random(7)
    departments = ["sales", "service", "marketing", "accounts"]
    data = {
        "organisation": "Benchmark Ltd", "currency": "USD", "horizon_years": 3,
        "exchange_rates": {"EUR": 1.08, "GBP": 1.27},
        "users": {"sales": 20, "service": 10, "marketing": 5, "accounts": 5},
        "objectives": {"grow": {"statement": "grow", "kpi": "a figure", "weight": 3}},
        "requirements": [{"id": f"req-{i:02d}", "text": f"requirement {i}", "objective": "grow",
                          "department": departments[i % 4], "priority": "should", "features": [feature]}
                         for i, feature in enumerate(rng.sample(features, 20))],
    }
    path = folder / "strategy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 1000])
    parser.add_argument("--links", type=int, default=5)
    parser.add_argument("--limit", type=float, default=300.0)
    parser.add_argument("--skip-shipped", action="store_true")
    args = parser.parse_args()

    if not args.skip_shipped:
        products = len(load_catalog(ROOT / "catalog").products)
        print(f"shipped catalogue ({products} products), whole command, median of {args.runs} runs:")
        for strategy in STRATEGIES:
            if not (ROOT / strategy).exists():
                continue
            single = _command_seconds(strategy, 1, args.runs)
            pairs = _command_seconds(strategy, 2, args.runs)
            threes = _command_seconds(strategy, 3, args.runs)
            print(f"  {strategy:<36} no stacks {single:6.2f} s   --stack 2 {pairs:7.2f} s   --stack 3 {threes:7.2f} s")

    print(f"\nsynthetic catalogues, shortlist(stack=3) in-process, {args.links} connectors per product:")
    previous: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"c{size}"
            write_catalog(folder, products=size, features=120, seed=1)
            catalog = _linked(load_catalog(folder), args.links, seed=size)
            synthetic = load_strategy(_pinned_strategy(folder, sorted(catalog.features)), catalog)
            times: list[float] = []
            for run in range(args.runs):
                start = time.perf_counter()
                result = shortlist(synthetic, catalog, stack=3)
                times.append(time.perf_counter() - start)
                if run == 0 and times[0] > args.limit:
                    break
            median = statistics.median(times)
            stacks = sum(1 for r in result.rankings if r.members)
            growth = f"   x{median / previous[1]:.2f} for x{size / previous[0]:.1f} products" if previous else ""
            print(f"  {size:>5} products: {median:8.2f} s ({len(times)} run(s)), {stacks} stacks ranked{growth}")
            previous = (size, median)
            if times[0] > args.limit:
                print(f"  stopping: over --limit {args.limit:g} s")
                break


if __name__ == "__main__":
    main()
