"""Benchmark of `validate` on a synthetic catalogue against PyYAML's C loader on the same files.

Writes a catalogue of N products (default 1,000, of 4 editions and 8 add-ons each) with
`synthetic_catalog.write_catalog`, then times, alternating, as medians of --runs runs:

- bare parse: `yaml.load(f, Loader=yaml.CSafeLoader)` of every file, nothing else;
- validate: `vendormatch.lint.validate.validate([folder])`, that is telling kinds, the located load
  of every node, the pydantic models and every catalogue rule;

and prints both, the ratio, and whether it is within the 1.5x budget of issue 3 (exit code 1 when
it is not). Run by hand; nothing here is a test.

    python benchmarks/bench_validate.py [--products 1000] [--features 120] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_catalog import write_catalog

from vendormatch.files.catalog import FEATURES_FILE, VENDORS_DIR, yaml_files
from vendormatch.lint.validate import validate

BUDGET = 1.5
_CSafeLoader: Any = getattr(yaml, "CSafeLoader", None)


def bare_parse(files: list[Path]) -> None:
    """PyYAML's C loader on every file: the floor that position tracking and the rules are held to."""
    for path in files:
        with path.open("rb") as handle:
            yaml.load(handle, Loader=_CSafeLoader)  # the C *safe* loader


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 within budget, 1 over it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--features", type=int, default=120)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if _CSafeLoader is None:
        print("PyYAML has no C loader here (libyaml missing): the comparison would be meaningless")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_catalog(Path(tmp) / "catalog", args.products, args.features, args.seed)
        files = [folder / FEATURES_FILE, *yaml_files(folder / VENDORS_DIR)]
        size = sum(p.stat().st_size for p in files)
        result = validate([folder])
        if result.diagnostics:
            print(f"the synthetic catalogue should be clean; first finding: {result.diagnostics[0]}")
            return 2
        bare_parse(files)  # warm the page cache and PyYAML alike
        bare: list[float] = []
        checked: list[float] = []
        for _ in range(args.runs):
            bare.append(timed(lambda: bare_parse(files)))
            checked.append(timed(lambda: validate([folder])))
    bare_median, checked_median = statistics.median(bare), statistics.median(checked)
    ratio = checked_median / bare_median
    print(f"catalogue: {args.products:,} products, {args.features:,} features, {len(files):,} files, "
          f"{size / 1e6:.1f} MB; median of {args.runs} runs")
    print(f"  bare parse (yaml.load, CSafeLoader)    {bare_median:7.3f} s  ({size / 1e6 / bare_median:.1f} MB/s)")
    print(f"  vendormatch validate (all rules)       {checked_median:7.3f} s  ({size / 1e6 / checked_median:.1f} MB/s)")
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"  ratio {ratio:.2f}x: {verdict} the {BUDGET}x budget")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
