"""Benchmark of logging one unhandled error (not a test).

    python bench/logs.py [--errors 200] [--depth 25]

Logs `--errors` exceptions raised `--depth` frames deep, each frame holding a request-like
body in its locals, the way `web_unhandled_error` logs one, and prints the time and the
bytes per logged error for the JSON renderer (production) and the console renderer. Logging
runs in the event loop that also serves the bot and the worker, so its cost is their stall.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import structlog

from cicero.logs import configure_logging


def _fail(depth: int, body: dict) -> None:
    password, rows = body["password"], [dict(body, n=n) for n in range(20)]  # noqa: F841
    if depth == 0:
        raise ConnectionRefusedError("connect call failed ('127.0.0.1', 5432)")
    _fail(depth - 1, body)


def measure(json_lines: bool, errors: int, depth: int) -> tuple[float, float, float]:
    sink = io.StringIO()
    sys.stderr, real = sink, sys.stderr
    try:
        configure_logging("INFO", json_lines=json_lines)
        log = structlog.get_logger("bench")
        timings = []
        body = {"username": "admin", "password": "Kata-Sandi-Rahasia", "note": "x" * 200}
        for _ in range(errors):
            try:
                _fail(depth, body)
            except ConnectionRefusedError:
                started = time.perf_counter()
                log.exception("web_unhandled_error", path="/api/auth/dashboard-login")
                timings.append(time.perf_counter() - started)
    finally:
        sys.stderr = real
    timings.sort()
    return (statistics.median(timings) * 1000, timings[int(len(timings) * 0.99) - 1] * 1000,
            len(sink.getvalue().encode()) / errors)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", type=int, default=200)
    parser.add_argument("--depth", type=int, default=25)
    args = parser.parse_args()
    for name, json_lines in (("json", True), ("console", False)):
        median, p99, size = measure(json_lines, args.errors, args.depth)
        print(f"{name:8} median {median:7.2f} ms  p99 {p99:7.2f} ms  {size:9,.0f} bytes/error")


if __name__ == "__main__":
    main()
