"""The offline site's budget: every lesson built in <= 90 s, each page with its share of assets <= 2 MB.

Usage:  python benchmarks/bench_site.py [--jobs N] [--out DIR]

Builds the whole site once (``python -m conv_lesson site``'s own function), then prints the
build time and, for every lesson page, its size and its size with an equal share of the
assets (all pages load the same ones). Exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conv_lesson.publish import build_site  # noqa: E402

BUDGET_PAGE, BUDGET_SECONDS = 2_000_000, 90.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default=None, help="keep the site here (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        report = build_site(out, ROOT / "notebooks", jobs=args.jobs)
        share = report["assets"] / len(report["pages"])
        n = len(report["pages"])
        print(f"assets {report['assets'] / 1e6:.2f} MB shared by {n} lessons: {share / 1e6:.2f} MB each")
        print(f"{'page':50s} {'page MB':>8s} {'+share MB':>10s} {'run s':>6s}  budget 2 MB")
        over = []
        for name, size in report["pages"].items():
            total = size + share
            ok = total <= BUDGET_PAGE
            over += [] if ok else [name]
            run = report["run_seconds"][name]
            print(f"{name:50s} {size / 1e6:8.2f} {total / 1e6:10.2f} {run:6.1f}  {'ok' if ok else 'OVER'}")
        seconds = report["seconds"]
        verdict = "ok" if seconds <= BUDGET_SECONDS else "OVER"
        print(f"build of all lessons: {seconds:.1f} s (budget {BUDGET_SECONDS:.0f} s): {verdict}")
        return 1 if over or seconds > BUDGET_SECONDS else 0


if __name__ == "__main__":
    raise SystemExit(main())
