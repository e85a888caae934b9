"""Benchmark of `shortlist` on synthetic catalogues: load, match and solve times, memory, CBC ratio.

For each size (default 100, 1,000 and 5,000 products of 4 editions and 8 add-ons, over a
2,000-feature taxonomy, with a 500-requirement strategy) it prints, as medians of --runs runs:
the first (uncached) catalogue load against PyYAML's C loader parsing the same files, the cached
load, matching, the combined HiGHS solve, the same products solved one CBC model each, the whole
`vendormatch shortlist` command with a warm cache, and the peak memory of a run.

    python benchmarks/bench_shortlist.py [--sizes 100 1000 5000] [--runs 3] [--cbc-sample 300] [--musts 1]

Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_catalog import write_catalog

from vendormatch.files.catalog import load_catalog
from vendormatch.files.models import Strategy
from vendormatch.files.strategy import load_strategy
from vendormatch.match.matcher import match_requirements
from vendormatch.solve.blocks import screen
from vendormatch.solve.optimise import solve_blocks
from vendormatch.solve.shortlist import scored_requirements, shortlist

_CSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def write_strategy(folder: Path, feature_ids: list[str], feature_names: dict[str, str], *, count: int, seed: int,
                   musts: list[str]) -> Path:
    """A strategy of `count` requirements in words taken from feature names, and pinned must-haves."""
    rng = random.Random(seed)
    departments = ["sales", "service", "marketing", "accounts"]
    requirements = []
    for index in range(count):
        chosen = rng.sample(feature_ids, rng.choice([1, 1, 2]))
        requirement: dict[str, Any] = {
            "id": f"req-{index:04d}",
            "text": "We need " + " and ".join(feature_names[f] for f in chosen),
            "objective": rng.choice(["grow", "retain", "save"]),
            "department": rng.choice(departments),
            "priority": rng.choice(["should", "should", "could"]),
        }
        if index < len(musts):
            requirement.update(priority="must", features=[musts[index]])
        requirements.append(requirement)
    data = {
        "organisation": "Benchmark Ltd", "currency": "USD", "horizon_years": 3, "budget": 400000,
        "exchange_rates": {"EUR": 1.08, "GBP": 1.27},
        "users": {"sales": 20, "service": 10, "marketing": 5, "accounts": 5},
        "objectives": {o: {"statement": f"objective {o}", "kpi": "a figure", "weight": w}
                       for o, w in (("grow", 5), ("retain", 3), ("save", 2))},
        "requirements": requirements,
    }
    path = folder / "strategy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def common_features(folder: Path, count: int) -> list[str]:
    """The features most products offer: must-haves that leave a realistic share of products in the running."""
    seen: dict[str, int] = {}
    for path in sorted((folder / "vendors").glob("*.yaml")):
        product = yaml.load(path.read_text(), Loader=_CSafeLoader)
        offered = {f if isinstance(f, str) else f["feature"] for e in product["editions"].values()
                   for f in e.get("features", [])}
        for feature in offered:
            seen[feature] = seen.get(feature, 0) + 1
    return [f for f, _ in sorted(seen.items(), key=lambda item: (-item[1], item[0]))[:count]]


def median_time(action: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_parse(folder: Path) -> None:
    """PyYAML's C loader on every file of the catalogue, building Python objects: the baseline."""
    for path in [folder / "features.yaml", *sorted((folder / "vendors").glob("*.yaml"))]:
        with path.open("rb") as handle:
            yaml.load(handle, Loader=_CSafeLoader)


def measure(products: int, runs: int, cbc_sample: int, work: Path, musts: int) -> dict[str, float]:
    """Every figure for one catalogue size."""
    folder = work / f"catalog-{products}"
    write_catalog(folder, products=products, features=2000, seed=7)
    taxonomy = yaml.load((folder / "features.yaml").read_text(), Loader=_CSafeLoader)["features"]
    ids = sorted(taxonomy)
    strategy_path = write_strategy(work, ids, {f: taxonomy[f]["name"] for f in ids}, count=500, seed=11,
                                   musts=common_features(folder, musts))
    cache = work / f"cache-{products}"
    os.environ["VENDORMATCH_CACHE_DIR"] = str(cache)
    figures: dict[str, float] = {}
    figures["pyyaml_c_parse"] = median_time(lambda: bare_parse(folder), runs)
    figures["load_uncached"] = median_time(lambda: load_catalog(folder), runs)
    load_catalog(folder, cache=True)
    figures["load_cached"] = median_time(lambda: load_catalog(folder, cache=True), runs)
    catalog = load_catalog(folder, cache=True)
    strategy: Strategy = load_strategy(strategy_path, catalog)
    figures["match"] = median_time(lambda: match_requirements(strategy, catalog.features), runs)
    decisions = match_requirements(strategy, catalog.features)
    figures["shortlist_solve"] = median_time(lambda: shortlist(strategy, catalog, decisions), runs)
    requirements, _ = scored_requirements(strategy, decisions)
    screened = screen(catalog.products, strategy, requirements, start=date.today())
    sample = list(screened.blocks[:cbc_sample])
    figures["blocks"] = len(screened.blocks)
    figures["cbc_sample"] = len(sample)
    start = time.perf_counter()
    solve_blocks(sample, screened.groups, budget=strategy.budget, floor=None, solver="highs")
    figures["highs_sample_combined"] = time.perf_counter() - start
    start = time.perf_counter()
    for block in sample:
        solve_blocks([block], screened.groups, budget=strategy.budget, floor=None, solver="cbc")
    figures["cbc_sample_each"] = time.perf_counter() - start
    command = [sys.executable, "-m", "vendormatch", "shortlist", str(strategy_path), "--catalog", str(folder),
               "--format", "json"]
    env = {**os.environ, "VENDORMATCH_CACHE_DIR": str(cache)}

    def run_cli() -> None:
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    figures["cli_warm"] = median_time(run_cli, runs)
    peak = subprocess.run(
        [sys.executable, "-c", "import resource, runpy, sys; sys.argv = sys.argv[1:]; "
         "sys.argv[0] = 'vendormatch'\ntry:\n    runpy.run_module('vendormatch', run_name='__main__')\n"
         "except SystemExit:\n    pass\n"
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)", *command[3:]],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    figures["peak_rss_mb"] = int(peak.stderr.strip().splitlines()[-1]) / 1024
    return figures


def main() -> None:
    """Print the figures for each size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cbc-sample", type=int, default=300, help="products solved one CBC model each")
    parser.add_argument("--musts", type=int, default=1,
                        help="pinned must-haves on the commonest features (0: every product reaches the solver)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.runs} runs")
    with tempfile.TemporaryDirectory() as tmp:
        for products in args.sizes:
            f = measure(products, args.runs, args.cbc_sample, Path(tmp), args.musts)
            print(f"\n{products} products ({int(f['blocks'])} pass screening), 500 requirements, 2,000 features")
            print(f"  PyYAML C loader, bare parse     {f['pyyaml_c_parse']:8.3f} s")
            print(f"  load, first run (no cache)      {f['load_uncached']:8.3f} s  "
                  f"({f['load_uncached'] / f['pyyaml_c_parse']:.2f}x the bare parse)")
            print(f"  load, cached                    {f['load_cached']:8.3f} s")
            print(f"  match                           {f['match']:8.3f} s")
            print(f"  screen + model + solve + rank   {f['shortlist_solve']:8.3f} s")
            print(f"  CLI shortlist, warm cache       {f['cli_warm']:8.3f} s")
            print(f"  peak memory of a CLI run        {f['peak_rss_mb']:8.0f} MB")
            n = int(f["cbc_sample"])
            print(f"  {n} products: one combined HiGHS model {f['highs_sample_combined']:.3f} s, one CBC model each "
                  f"{f['cbc_sample_each']:.3f} s (ratio {f['cbc_sample_each'] / f['highs_sample_combined']:.1f}x)")
    print(f"\nbenchmark process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
