"""Benchmark of the exact cost/coverage frontier on the embedded catalogue and a synthetic one.

    python benchmarks/bench_frontier.py [--products 1000] [--runs 3]

Prints the median time of `frontier()` (matching excluded) and the number of efficient points.
Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_shortlist import common_features, write_strategy
from synthetic_catalog import write_catalog

from vendormatch.analysis.frontier import frontier
from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.models import Strategy
from vendormatch.files.strategy import load_strategy
from vendormatch.match.matcher import match_requirements
from vendormatch.match.resolution import settle_features

REPO = Path(__file__).resolve().parents[1]


def timed(strategy: Strategy, catalog: Catalog, decisions: object, runs: int) -> tuple[float, int]:
    """Median seconds of `runs` frontier computations, and the number of points."""
    times, points = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = frontier(strategy, catalog, decisions)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        points = len(result.points)
    return statistics.median(times), points


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog()
    for name in ("sme-services.yaml", "tight-budget.yaml", "b2b-distributor"):
        path = REPO / "strategies" / name
        strategy = load_strategy(path, catalog)
        decisions, _ = settle_features(path, strategy, catalog)
        seconds, points = timed(strategy, catalog, decisions, args.runs)
        print(f"embedded catalogue, {name:<20} {seconds:7.3f} s  {points:3d} efficient points")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "catalog"
        write_catalog(folder, products=args.products, features=2000, seed=7)
        taxonomy = yaml.safe_load((folder / "features.yaml").read_text())["features"]
        ids = sorted(taxonomy)
        path = write_strategy(Path(tmp), ids, {f: taxonomy[f]["name"] for f in ids}, count=500, seed=11,
                              musts=common_features(folder, 1))
        big = load_catalog(folder)
        strategy = load_strategy(path, big)
        seconds, points = timed(strategy, big, match_requirements(strategy, big.features), args.runs)
        print(f"synthetic, {args.products} products, 500 requirements {seconds:7.3f} s  {points:3d} efficient points")


if __name__ == "__main__":
    main()
