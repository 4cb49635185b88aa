"""How fast is feature_map? Timed against scipy.ndimage.correlate in the same run.

Usage:  python benchmarks/bench_feature_map.py [--repeat N] [--size S]

Both compute a 3x3 detector over a 512x512 float64 image (scipy's C loop is
the baseline). Runs are interleaved so that a busy machine slows both alike;
the medians and their ratio are printed. Target: ratio <= 1.5.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from scipy import ndimage

from conv_lesson import feature_map


def _time(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=200, help="timed runs of each (default 200)")
    parser.add_argument("--size", type=int, default=512, help="image side in pixels (default 512)")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    image = rng.random((args.size, args.size))
    detector = rng.normal(size=(3, 3))

    ours = lambda: feature_map(image, detector)  # noqa: E731
    # scipy computes 'same'-sized output; the valid part is what feature_map returns
    theirs = lambda: ndimage.correlate(image, detector, mode="constant")  # noqa: E731
    np.testing.assert_allclose(ours(), theirs()[1:-1, 1:-1], rtol=1e-12, atol=1e-12)

    for fn in (ours, theirs):  # warm up
        for _ in range(5):
            fn()
    t_ours, t_theirs = [], []
    for _ in range(args.repeat):
        t_ours.append(_time(ours))
        t_theirs.append(_time(theirs))
    m_ours, m_theirs = statistics.median(t_ours), statistics.median(t_theirs)
    print(f"image {args.size}x{args.size} float64, 3x3 detector, {args.repeat} interleaved runs")
    print(f"  conv_lesson.feature_map     median {m_ours * 1e3:7.3f} ms")
    print(f"  scipy.ndimage.correlate     median {m_theirs * 1e3:7.3f} ms  (baseline)")
    print(f"  ratio feature_map / scipy   {m_ours / m_theirs:.2f}  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
