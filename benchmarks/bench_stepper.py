"""What does one step of the stepper cost in the kernel? Timed against the naive way, in one run.

Usage:  python benchmarks/bench_stepper.py [--repeat N] [--photo-steps N]

Naive: what ``ipywidgets.interact`` with ``%matplotlib inline`` does on every
step: build a new figure with the same three panels and render it to PNG with
``savefig`` (``bbox_inches='tight'``, as the inline backend does).

Stepper: everything the widget costs, divided by its number of steps. For a
flipbook (the face example) that is building the widget *and rendering all of
its frames* up front; for live mode (a 128x128 photo at stride 1, 15876 steps)
it is building the widget plus one live step (set ``.step.value``: blit, PNG,
data URL for the browser), which is also printed on its own.

Runs are interleaved so that a busy machine slows both alike; medians and
their ratio are printed. Targets on the face example: <= 10 ms per step and
>= 8x faster than naive.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import time

import matplotlib
import numpy as np

from conv_lesson import data, stepper
from conv_lesson.draw import StepperFigure
from conv_lesson.ops import Scan


def naive_step(image, detector, k):
    """A new figure for step k, rendered to PNG bytes (what interact + inline does)."""
    fig = StepperFigure(Scan(image, detector), caption=False)
    fig.set_step(k)
    buf = io.BytesIO()
    fig.figure.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _time(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench_flipbook(name, image, detector, repeat):
    probe = stepper(image, detector)
    n = probe.n_steps
    assert probe.mode == "flipbook", probe.mode
    probe.close()
    steps = list(range(1, n + 1))
    naive_step(image, detector, 1)  # warm up both
    t_naive, t_build = [], []
    for r in range(repeat):
        t_naive += [_time(lambda k=k: naive_step(image, detector, k)) for k in steps[r % 5 :: 5]]
        widget = None

        def build():
            nonlocal widget
            widget = stepper(image, detector)

        t_build.append(_time(build))
        widget.close()
    naive = statistics.median(t_naive)
    per_step = statistics.median(t_build) / n
    print(f"{name}: {n} steps, flipbook")
    print(f"  naive: new Figure + savefig PNG per step          median {naive * 1e3:7.2f} ms/step")
    print(
        f"  stepper: build widget + render all {n} frames     median {statistics.median(t_build) * 1e3:7.1f} ms "
        f"= {per_step * 1e3:.2f} ms/step"
    )
    print(f"  speed-up naive / stepper                          {naive / per_step:7.1f}x")
    return naive, per_step


def bench_live(name, image, detector, repeat, photo_steps):
    rng = np.random.default_rng(0)
    t_naive, t_build, t_step = [], [], []
    naive_step(image, detector, 1)
    n = None
    for _ in range(repeat):
        widget = None

        def build():
            nonlocal widget
            widget = stepper(image, detector)

        t_build.append(_time(build))
        n = widget.n_steps
        assert widget.mode == "live", widget.mode
        for k in rng.integers(2, n + 1, size=photo_steps):

            def step(k=int(k), widget=widget):
                widget.step.value = k

            t_step.append(_time(step))
        widget.close()
        for k in rng.integers(1, n + 1, size=max(2, photo_steps // 5)):
            t_naive.append(_time(lambda k=int(k): naive_step(image, detector, k)))
    naive = statistics.median(t_naive)
    build = statistics.median(t_build)
    live = statistics.median(t_step)
    per_step = build / n + live
    print(f"{name}: {n} steps, live (frames rendered by the kernel per step)")
    print(f"  naive: new Figure + savefig PNG per step          median {naive * 1e3:7.2f} ms/step")
    print(
        f"  stepper: build widget (no frames up front)        median {build * 1e3:7.1f} ms "
        f"= {build / n * 1e3:.4f} ms/step"
    )
    print(f"  stepper: one live step (blit + PNG + to browser)  median {live * 1e3:7.2f} ms/step")
    print(f"  stepper per step, everything counted              {per_step * 1e3:7.2f} ms/step")
    print(f"  speed-up naive / stepper                          {naive / per_step:7.1f}x")
    return naive, per_step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--photo-steps", type=int, default=40, help="live steps timed per photo run (default 40)")
    args = parser.parse_args(argv)
    import os

    print(
        f"python {platform.python_version()}, matplotlib {matplotlib.__version__}, "
        f"numpy {np.__version__}, {os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    naive, face = bench_flipbook(
        "face example (7x7 image, 3x3 detector, stride 1)",
        data.face_image(),
        data.face_detector(),
        args.repeat,
    )
    print()
    bench_live(
        "photo 128x128, vertical_edges, stride 1",
        data.photo(128),
        data.detector("vertical_edges"),
        max(2, args.repeat // 2),
        args.photo_steps,
    )
    print()
    ok_time, ok_ratio = face <= 0.010, naive / face >= 8
    print(
        f"face example: {face * 1e3:.2f} ms/step (target <= 10: {'OK' if ok_time else 'MISSED'}), "
        f"{naive / face:.1f}x faster than naive (target >= 8x: {'OK' if ok_ratio else 'MISSED'})"
    )
    return 0 if ok_time and ok_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
