"""Play in live mode, in a real browser: steps shown per second against the speed set.

Usage:  python benchmarks/bench_play.py [--speeds 5 10 20] [--seconds 4] [--size 128]
                                        [--package-root DIR] [--screenshot]

A temporary notebook with ``stepper(photo(SIZE), "vertical_edges")`` (128x128: 15,876
steps at stride 1, so live mode: every frame is drawn by the kernel) runs in a throw-away
JupyterLab in Debian Chromium (headless). For each speed the speed slider is set (from the
kernel, as a student's drag would), the stepper goes back to step 1, Play is pressed, and for
SECONDS the page records on every animation frame the step slider's value and the step of
the picture on screen (``img.dataset.step``, taken once the image has loaded). Printed per
speed: where the slider and the picture got to, their rates (steps per second over the run),
how many distinct pictures were shown, the picture's largest lag behind the slider (steps)
and the ratio of the picture's rate to the speed set (the target is 1.0).

``--package-root DIR`` imports ``conv_lesson`` from another checkout (e.g. a ``git worktree``
of an older commit) to measure a baseline with the same machine and browser.

Reuses tests/e2e/jupyter_browser.py (start_lab, launch_browser, run_notebook).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))

import jupyter_browser as jb  # noqa: E402 - found through the sys.path line above

NOTEBOOK = "bench_play.ipynb"

_RECORD = """
([root, ms]) => new Promise((resolve) => {
  const img = root.querySelector('img.conv-lesson-frame');
  const handle = root.querySelector('.conv-lesson-step input[type=range]');
  const samples = [];
  const t0 = performance.now();
  function tick(now) {
    const shown = img.complete && img.naturalWidth > 0 ? Number(img.dataset.step) : null;
    samples.push([now - t0, Number(handle.value), shown]);
    if (now - t0 < ms) requestAnimationFrame(tick); else resolve(samples);
  }
  requestAnimationFrame(tick);
})
"""


def cells(size):
    return [
        ("code", f'from conv_lesson import photo, stepper\ns = stepper(photo({size}), "vertical_edges")\ns'),
        ("code", "print(s.mode, s.n_steps)"),
    ]


def run_kernel(page, code):
    """Run ``code`` in the notebook's kernel (no new cell)."""
    page.evaluate(
        "(code) => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
        ".requestExecute({code, silent: true}).done",
        code,
    )


def measure(page, root, speed, seconds):
    """Play at ``speed`` for ``seconds``; the samples [t_ms, slider, shown step]."""
    run_kernel(page, f"s.buttons.playing = False\ns.speed.value = {speed}\ns.step.value = 1")
    page.wait_for_function(
        "(root) => root.querySelector('img.conv-lesson-frame').dataset.step === '1'", arg=root.element_handle()
    )
    page.wait_for_timeout(300)
    root.locator("button.conv-lesson-playpause").click()
    samples = page.evaluate(_RECORD, [root.element_handle(), seconds * 1000])
    root.locator("button.conv-lesson-playpause").click()  # pause
    return samples


def summarise(samples, speed):
    t_end = samples[-1][0] / 1000
    first_move = next((s for s in samples if s[1] > 1), samples[-1])
    t0 = first_move[0] / 1000
    span = max(t_end - t0, 1e-9)
    slider_end, shown_end = samples[-1][1], samples[-1][2] or 1
    shown = {s[2] for s in samples if s[2] is not None}
    lag = max(s[1] - (s[2] or 1) for s in samples)
    return {
        "slider": slider_end,
        "shown": shown_end,
        "slider_rate": (slider_end - 1) / span,
        "shown_rate": (shown_end - 1) / span,
        "distinct": len(shown),
        "lag": lag,
        "ratio": (shown_end - 1) / span / speed,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speeds", type=float, nargs="+", default=[5.0, 10.0, 20.0], help="steps/s (5 10 20)")
    parser.add_argument("--seconds", type=float, default=4.0, help="Play runs this long per speed (4)")
    parser.add_argument("--size", type=int, default=128, help="the photo's side (128)")
    parser.add_argument("--package-root", type=Path, default=REPO_ROOT, help="where conv_lesson is imported from")
    parser.add_argument("--screenshot", action="store_true", help="save build/screenshots/bench_play.png")
    args = parser.parse_args(argv)
    missing = jb.missing_requirements()
    if missing:
        print("bench_play: cannot run: " + "; ".join(missing), file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench_play_") as tmp:
        root_dir = Path(tmp) / "nb"
        root_dir.mkdir()
        jb.write_notebook(root_dir / NOTEBOOK, cells(args.size))
        server = jb.start_lab(root_dir, Path(tmp) / "lab", pythonpath=[args.package_root])
        try:
            with sync_playwright() as pw:
                browser = jb.launch_browser(pw)
                page = jb.new_page(browser)
                console = jb.ConsoleLog.attach(page)
                problems = jb.run_notebook(page, server, NOTEBOOK, console)
                if problems:
                    print("bench_play: the notebook did not run cleanly:\n" + "\n".join(problems), file=sys.stderr)
                    return 1
                root = page.locator(".conv-lesson-stepper").first
                root.scroll_into_view_if_needed()
                mode = root.evaluate("(r) => r.querySelector('.conv-lesson-frameview').dataset.mode")
                what = f"stepper(photo({args.size}), 'vertical_edges'): {mode} mode"
                print(f"Chromium {browser.version} headless; {what}; conv_lesson from {args.package_root};"
                      f" Play for {args.seconds:g} s per speed")  # fmt: skip
                header = ("speed", "slider at", "picture at", "slider/s", "shown/s", "pictures", "max lag", "ratio")
                print("{:>6} {:>10} {:>11} {:>9} {:>8} {:>9} {:>8} {:>6}".format(*header))
                for speed in args.speeds:
                    r = summarise(measure(page, root, speed, args.seconds), speed)
                    print(f"{speed:6g} {r['slider']:10d} {r['shown']:11d} {r['slider_rate']:9.1f} "
                          f"{r['shown_rate']:8.1f} {r['distinct']:9d} {r['lag']:8d} {r['ratio']:6.2f}")  # fmt: skip
                if args.screenshot:
                    print(f"screenshot: {jb.screenshot(page, 'bench_play', locator=root)}")
                browser.close()
        finally:
            jb.stop_lab(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
