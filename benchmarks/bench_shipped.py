"""What a user waits for on the shipped catalogue: `vendormatch shortlist` of each shipped strategy
against the bare import of the libraries it stands on (pydantic, rapidfuzz, pulp, yaml, click, numpy).

Each figure is the median of --runs fresh processes, measured in the same run so that the machine's
load weighs on both alike; the cache is warmed first, as after a user's first run. Python writes no
bytecode under PYTHONDONTWRITEBYTECODE, and then compiles every module on every start: the
benchmark removes that variable so that both sides start as an installed package does.

    python benchmarks/bench_shipped.py [--runs 7]

Run by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = "import pydantic, rapidfuzz, pulp, yaml, click, numpy"
# The same, plus what defining any pydantic model costs: pydantic loads its model machinery lazily, on
# the first BaseModel subclass, so the bare import above does not include it. No pydantic-based
# program can start below this line.
ONE_MODEL = BARE + "\nfrom pydantic import BaseModel\nclass One(BaseModel):\n    a: int\nOne(a=1)"


def seconds(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["VENDORMATCH_CACHE_DIR"] = tempfile.mkdtemp(prefix="vendormatch-bench-")
    strategies = ["strategies/sme-services.yaml", "strategies/tight-budget.yaml", "strategies/b2b-distributor"]
    commands = {s: [sys.executable, "-m", "vendormatch", "shortlist", s] for s in strategies}
    for command in commands.values():  # warm the caches and the bytecode
        seconds(command, env)
    seconds([sys.executable, "-c", BARE], env)
    bare: list[float] = []
    floor: list[float] = []
    timed: dict[str, list[float]] = {s: [] for s in strategies}
    for _ in range(runs):
        bare.append(seconds([sys.executable, "-c", BARE], env))
        floor.append(seconds([sys.executable, "-c", ONE_MODEL], env))
        for strategy, command in commands.items():
            timed[strategy].append(seconds(command, env))
    base = statistics.median(bare)
    print(f"bare import of the libraries: {base:.3f} s (median of {runs})")
    print(f"bare import and one pydantic model: {statistics.median(floor):.3f} s, "
          f"{statistics.median(floor) / base:.2f}x the bare import (the floor of any pydantic-based program)")
    for strategy, values in timed.items():
        median = statistics.median(values)
        print(f"shortlist {strategy}: {median:.3f} s, {median / base:.2f}x the bare import")


if __name__ == "__main__":
    main()
