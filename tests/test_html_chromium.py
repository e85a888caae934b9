"""The HTML report in a real browser: headless Chromium takes a screenshot, and the chart must be drawn in it.

Needs Debian's `chromium` package (`apt-get install -y chromium`; .ci/run installs it); the test skips,
saying so, only where no Chromium can be found. The PNG is decoded here with zlib and numpy, so the
test needs no imaging library.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import write_tree

from vendormatch.cli.commands import cli
from vendormatch.report.svg import EFFICIENT, POINT

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH, HEIGHT = 1200, 2000

# Few must-haves, so that most of the shipped catalogue ranks: many points, a frontier and a budget line.
STRATEGY = """\
organisation: Example Services Ltd
currency: USD
horizon_years: 3
budget: 30000
exchange_rates: {EUR: 1.08, GBP: 1.27}
users: {sales: 6, service: 4, marketing: 1, accounts: 1}
objectives:
  grow: {statement: Grow revenue from returning customers by 15%, kpi: share of revenue from returning customers, weight: 5}
  serve: {statement: Answer every customer within a day, kpi: share of tickets answered within 24 hours, weight: 3}
requirements:
  - {id: see-contacts, text: Everyone sees the same customer record, objective: grow, department: sales, priority: must,
     features: [contact-management]}
  - {id: pipeline, text: Sales see every open deal and its stage, objective: grow, department: sales,
     features: [opportunity-pipeline]}
  - {id: tickets, text: Service tracks each query to its end, objective: serve, department: service,
     features: [case-management]}
  - {id: phone, text: Reps log calls from their phone, objective: grow, department: sales,
     features: [mobile-app, telephony-call-logging]}
  - {id: mail, text: Emails are filed by themselves, objective: serve, department: service, priority: could,
     features: [email-integration]}
  - {id: campaigns, text: Send newsletters and see who opened them, objective: grow, department: marketing,
     features: [email-marketing]}
  - {id: invoices, text: Accounts raise invoices from deals, objective: grow, department: accounts, priority: could,
     features: [invoicing-inventory]}
"""


def find_chromium() -> str | None:
    """The first Chromium (or Chrome) on PATH."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def decode_png(data: bytes) -> np.ndarray:
    """RGB pixels (height x width x 3) of an 8-bit, non-interlaced RGB or RGBA PNG, as Chromium writes them."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, []
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            chunks.append(body)
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows = np.zeros((height, stride), dtype=np.uint8)
    above = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        start = y * (stride + 1)
        method = raw[start]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=start + 1).astype(np.int64)
        if method == 0:
            current = line
        elif method == 1:  # Sub: a running sum along the row, per channel
            current = np.cumsum(line.reshape(width, channels), axis=0).reshape(stride) & 255
        elif method == 2:  # Up
            current = (line + above) & 255
        else:  # Average and Paeth depend on the byte just decoded: byte by byte
            values, up, out = line.tolist(), above.tolist(), [0] * stride
            for i in range(stride):
                left = out[i - channels] if i >= channels else 0
                corner = up[i - channels] if i >= channels else 0
                if method == 3:
                    predicted = (left + up[i]) >> 1
                else:
                    p = left + up[i] - corner
                    pa, pb, pc = abs(p - left), abs(p - up[i]), abs(p - corner)
                    predicted = left if pa <= pb and pa <= pc else (up[i] if pb <= pc else corner)
                out[i] = (values[i] + predicted) & 255
            current = np.array(out, dtype=np.int64)
        rows[y] = current
        above = current
    pixels: np.ndarray = rows.reshape(height, width, channels)[:, :, :3]
    return pixels


def _mask(pixels: np.ndarray, colour: str) -> np.ndarray:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    close: np.ndarray = np.abs(pixels.astype(np.int16) - rgb).max(axis=2) <= 8
    return close


def test_the_chart_is_drawn_in_headless_chromium(tmp_path: Path) -> None:
    browser = find_chromium()
    if browser is None:
        pytest.skip("Chromium not found on PATH (Debian: apt-get install -y chromium); cannot render the HTML report")
    write_tree(tmp_path, {"strategy.yaml": STRATEGY})
    report = tmp_path / "report.html"
    outcome = CliRunner().invoke(cli, ["shortlist", str(tmp_path / "strategy.yaml"), "--no-lock", "--format", "html",
                                       "--output", str(report)])
    assert outcome.exit_code == 0, outcome.stderr
    screenshot = tmp_path / "report.png"
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={screenshot}", f"--window-size={WIDTH},{HEIGHT}",
         report.as_uri()],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0 and screenshot.exists(), done.stderr[-2000:]
    pixels = decode_png(screenshot.read_bytes())
    assert pixels.shape == (HEIGHT, WIDTH, 3)
    # The points: only the coverage-versus-cost chart uses these two colours.
    efficient, ordinary = _mask(pixels, EFFICIENT), _mask(pixels, POINT)
    assert efficient.sum() > 100, "the Pareto-efficient points and their line are not drawn"
    assert ordinary.sum() > 1000, "the ranked products' points are not drawn"
    ys, xs = np.nonzero(ordinary | efficient)
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    assert bottom - top > 150 and right - left > 300, "the points do not spread over a chart"
    # The chart's region is drawn, not blank: grid, axes, labels and points.
    region = pixels[top:bottom + 1, left:right + 1]
    assert (region.min(axis=2) < 200).mean() > 0.02
