"""Special files (FIFOs, devices) among the inputs and as the output: refused at once, never opened, never replaced."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHIPPED_CATALOG, SHIPPED_STRATEGIES

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")


def vendormatch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command in a child process with a deadline: a FIFO that blocks must fail the test, not hang it."""
    env = {**os.environ, "VENDORMATCH_CACHE_DIR": str(cwd / "cache")}
    return subprocess.run([sys.executable, "-m", "vendormatch", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_a_fifo_among_the_products_is_refused_without_blocking(tmp_path: Path) -> None:
    catalog = shutil.copytree(SHIPPED_CATALOG, tmp_path / "cat")
    os.mkfifo(catalog / "vendors" / "pipe.yaml")
    done = vendormatch("validate", "cat", cwd=tmp_path)
    assert done.returncode == 2
    assert "cat/vendors/pipe.yaml:0:0: error is not a regular file (a FIFO, device or socket)" in done.stdout
    shortlisted = vendormatch("shortlist", str(SHIPPED_STRATEGIES / "tight-budget.yaml"), "--catalog", "cat",
                              "--no-cache", cwd=tmp_path)
    assert shortlisted.returncode == 2 and "is not a regular file" in shortlisted.stderr


def test_a_fifo_strategy_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "plan.yaml")
    done = vendormatch("shortlist", "plan.yaml", cwd=tmp_path)
    assert done.returncode == 2 and "plan.yaml:0:0: error is not a regular file" in done.stderr


def test_output_never_replaces_a_fifo(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    os.mkfifo(target)
    done = vendormatch("shortlist", str(SHIPPED_STRATEGIES / "tight-budget.yaml"), "--format", "html", "-o",
                       str(target), cwd=tmp_path)
    assert done.returncode == 2
    assert "--output names a FIFO (named pipe), not a regular file" in done.stderr
    assert stat.S_ISFIFO(target.stat().st_mode)


def test_a_rewritten_lock_keeps_its_mode(tmp_path: Path) -> None:
    strategy = shutil.copy(SHIPPED_STRATEGIES / "sme-services.yaml", tmp_path / "plan.yaml")
    lock = tmp_path / "plan.lock.yaml"
    shutil.copy(SHIPPED_STRATEGIES / "sme-services.lock.yaml", lock)
    lock.chmod(0o644)
    done = vendormatch("match", str(strategy), "--lock", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(lock.stat().st_mode) == 0o644
    assert list(tmp_path.glob(".plan.lock.yaml.*")) == []  # no temporary file left behind
