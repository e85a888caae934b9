"""Benchmark of `vendormatch sensitivity`: above all its robustness figure over 1,000 weight scenarios.

Cases: the embedded catalogue with strategies/b2b-distributor (as shipped, and without its
department floor), and a synthetic 1,000-product catalogue (benchmarks/synthetic_catalog.py) with
the 500-requirement strategy of bench_shortlist.py and 0, 1 or 2 pinned must-haves (then 1,000, 24
or 1 products qualify). For each it prints, as medians of --runs runs: the baseline shortlist; the
robustness run in one process and with 2 worker processes (forced, whatever the size), with the
speed-up and the number of `shortlist()` solves it took; the same for a sample of scenarios with
the bounds off, so that every scenario is solved; and the whole `sensitivity()` in one process.

    python benchmarks/bench_sensitivity.py [--runs 3] [--scenarios 1000] [--direct-sample 50]

Run by hand; nothing here is a test. On a busy machine the speed-up says little: the figures
include the CPU time of the workers so that it can be checked.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_shortlist import common_features, write_strategy
from synthetic_catalog import write_catalog

from vendormatch.analysis import sensitivity_engine, sensitivity_tasks
from vendormatch.analysis.sensitivity import robustness, sensitivity
from vendormatch.analysis.whatif import apply_settings
from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.diagnostics import VendormatchError
from vendormatch.files.models import Strategy
from vendormatch.files.strategy import load_strategy
from vendormatch.match.matcher import MatchResult, match_requirements
from vendormatch.match.resolution import settle_features
from vendormatch.solve.shortlist import shortlist

REPO = Path(__file__).resolve().parents[1]


def median_time(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """The median wall time of `runs` calls, and the median CPU time of this process and its children."""
    walls, cpus = [], []
    for _ in range(runs):
        before, start = os.times(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - start)
        after = os.times()
        cpus.append(after.user + after.system + after.children_user + after.children_system
                    - before.user - before.system - before.children_user - before.children_system)
    return statistics.median(walls), statistics.median(cpus)


def count_solves(action: Callable[[], object]) -> int:
    """How many times `action` (run in this process) calls `shortlist()` from the sensitivity engine."""
    calls = [0]
    namespace = vars(sensitivity_engine)
    original = namespace["shortlist"]

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    namespace["shortlist"] = counting
    try:
        action()
    finally:
        namespace["shortlist"] = original
    return calls[0]


def measure(name: str, strategy: Strategy, catalog: Catalog, decisions: MatchResult, args: argparse.Namespace) -> None:
    """Print every figure for one case."""
    print(f"\n{name}")
    try:
        result = shortlist(strategy, catalog, decisions)
    except VendormatchError as exc:
        print(f"  shortlist fails: {exc}")
        return
    winner = result.rankings[0].product if result.rankings else "none"
    print(f"  {len(result.rankings)} ranked, winner {winner}, {len(strategy.objectives)} objectives")
    base, _ = median_time(lambda: shortlist(strategy, catalog, decisions), args.runs)
    print(f"  baseline shortlist                  {base:8.3f} s")

    def run(workers: int, bounds: bool = True, scenarios: int = args.scenarios) -> Any:
        return robustness(strategy, catalog, decisions, scenarios=scenarios, seed=0, workers=workers, bounds=bounds)

    try:
        one = run(1)
    except VendormatchError as exc:
        print(f"  robustness fails: {exc}")
        return
    wins = ", ".join(f"{w.product or 'none'} {w.share:.1%}" for w in one.wins)
    print(f"  robustness, {args.scenarios} scenarios: {wins}")
    for bounds, scenarios in ((True, args.scenarios), (False, args.direct_sample)):
        if not scenarios:
            continue
        if not bounds and base * scenarios > args.direct_budget:
            print(f"  bounds off: skipped ({scenarios} scenarios at {base:.1f} s a solve exceed --direct-budget)")
            continue
        solves = count_solves(partial(run, 1, bounds, scenarios))
        wall_one, cpu_one = median_time(partial(run, 1, bounds, scenarios), args.runs)
        sensitivity_tasks.POOL_MIN_SECONDS = 0.0  # two processes, however small the problem
        try:
            assert run(2, bounds, scenarios) == run(1, bounds, scenarios), "1 and 2 workers disagree"
            wall_two, cpu_two = median_time(partial(run, 2, bounds, scenarios), args.runs)
        finally:
            sensitivity_tasks.POOL_MIN_SECONDS = 2.0
        how = "bounds on" if bounds else "bounds off (every scenario solved)"
        print(f"  {how}, {scenarios} scenarios, {solves} solves in one process:")
        print(f"    1 process            {wall_one:8.3f} s  (cpu {cpu_one:6.2f} s)")
        print(f"    2 worker processes   {wall_two:8.3f} s  (cpu {cpu_two:6.2f} s)  speed-up {wall_one / wall_two:.2f}x")
        if not bounds:
            print(f"    per scenario         {(wall_one - base) / scenarios:8.3f} s in 1 process, "
                  f"{(wall_two - base) / scenarios:.3f} s with 2 workers")
    whole, _ = median_time(lambda: sensitivity(strategy, catalog, decisions, scenarios=args.scenarios, workers=1),
                           args.runs)
    solves = count_solves(lambda: sensitivity(strategy, catalog, decisions, scenarios=args.scenarios, workers=1))
    print(f"  sensitivity(), everything, 1 process {whole:7.3f} s  ({solves} solves)")


def main() -> None:
    """Print the figures for each case."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--direct-sample", type=int, default=50, help="scenarios with bounds off, to compare")
    parser.add_argument("--direct-budget", type=float, default=60.0,
                        help="skip the bounds-off sample when it would take longer than this many seconds")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"median of {args.runs} runs")
    embedded = load_catalog()
    b2b = REPO / "strategies" / "b2b-distributor"
    shipped = load_strategy(b2b, embedded)
    decisions, _ = settle_features(b2b, shipped, embedded)
    measure("embedded catalogue, b2b-distributor", shipped, embedded, decisions, args)
    measure("embedded catalogue, b2b-distributor --set min_department_coverage=none",
            apply_settings(shipped, ["min_department_coverage=none"]), embedded, decisions, args)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "catalog"
        write_catalog(folder, products=1000, features=2000, seed=7)
        taxonomy = yaml.safe_load((folder / "features.yaml").read_text())["features"]
        ids = sorted(taxonomy)
        catalog = load_catalog(folder)
        for musts in (0, 1, 2):
            path = write_strategy(work, ids, {f: taxonomy[f]["name"] for f in ids}, count=500, seed=11,
                                  musts=common_features(folder, musts))
            strategy = load_strategy(path, catalog)
            measure(f"synthetic catalogue, 1,000 products, 500 requirements, {musts} must-have(s)", strategy, catalog,
                    match_requirements(strategy, catalog.features), args)


if __name__ == "__main__":
    main()
