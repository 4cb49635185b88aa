"""Slider-to-picture latency in a real browser (JupyterLab + Debian Chromium, headless).

Usage:  python benchmarks/bench_browser.py [--presses N] [--warmup N] [--case NAME ...]

For each case a temporary notebook is written into a throw-away JupyterLab, run in
Chromium, and the slider handle gets N ArrowRight presses.  Each latency is measured
*inside the page*: from the ``keydown`` event's timestamp to the first animation frame in
which a probe (a JS expression returning a string: a label's text, an <img>'s src, ...)
differs from its value before the press.  Presses are sequential.  Median and max are
printed per case.

Cases (add more to CASES):
  text_label   IntSlider -> observe in the kernel -> Label text   (kernel round trip)
  (planned) flipbook_stepper: anywidget whose <img> src swaps client-side, no kernel
  (planned) live_stepper:     ipywidgets.Image value pushed from the kernel

Reuses tests/e2e/jupyter_browser.py (start_lab, launch_browser, open_notebook,
run_all_cells, collect_problems, measure).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))

import jupyter_browser as jb  # noqa: E402


@dataclass
class Case:
    name: str
    description: str
    cells: list[tuple[str, str]]  # ("code" | "markdown", source) for jb.write_notebook
    slider_selector: str  # the focusable slider handle
    probe_js: str  # JS expression -> string that changes when the picture changes
    target_ms: float | None = None


def case_text_label() -> Case:
    code = """\
import ipywidgets as W

slider = W.IntSlider(value=0, min=0, max=10_000, description="step")
slider.add_class("bench-slider")
label = W.Label(value="step 0")
label.add_class("bench-label")

def on_change(change):
    label.value = f"step {change['new']}"

slider.observe(on_change, names="value")
W.VBox([slider, label])
"""
    return Case(
        name="text_label",
        description="IntSlider -> kernel observe -> Label text",
        cells=[("code", code)],
        slider_selector=".widget-hslider.bench-slider .noUi-handle",
        probe_js="document.querySelector('.bench-label').textContent",
    )


# name -> factory.  Planned: "flipbook_stepper" (anywidget, <img> src swapped in the page;
# probe "document.querySelector('.flipbook img').src") and "live_stepper" (ipywidgets.Image
# whose value the kernel pushes; probe "document.querySelector('.live-stepper img').src").
CASES = {
    "text_label": case_text_label,
}


def frame_interval_ms(page, duration_ms: int = 500) -> float:
    """Mean requestAnimationFrame interval: the resolution of the measurement."""
    return page.evaluate(
        """(dur) => new Promise(resolve => {
             const t0 = performance.now(); let n = 0;
             const f = (t) => { n++; if (t - t0 < dur) requestAnimationFrame(f);
                                else resolve((t - t0) / n); };
             requestAnimationFrame(f);
           })""",
        duration_ms,
    )


def run_case(
    page, server, console, case: Case, presses: int, warmup: int, screenshot: bool = False
) -> tuple[list[float], float]:
    """Latencies (ms) of ``presses`` key presses, and the page's frame interval (ms)."""
    nb = f"bench_{case.name}.ipynb"
    jb.write_notebook(server.root_dir / nb, case.cells)
    problems = jb.run_notebook(page, server, nb, console)
    if problems:
        raise RuntimeError(f"case {case.name}: the notebook has problems:\n" + "\n".join(problems))
    if warmup:
        jb.measure(page, case.slider_selector, case.probe_js, presses=warmup)
    samples = jb.measure(page, case.slider_selector, case.probe_js, presses=presses)
    problems = jb.collect_problems(page, console, wait_widgets=0)
    if problems:
        raise RuntimeError(f"case {case.name}: problems while pressing:\n" + "\n".join(problems))
    frame = frame_interval_ms(page)
    if screenshot:
        jb.screenshot(page, f"bench_{case.name}")
    jb.shutdown_kernel(page, server)
    return samples, frame


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--presses", type=int, default=20, help="timed presses per case (20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed presses first (2)")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="(default: all)")
    parser.add_argument("--screenshot", action="store_true", help="save build/screenshots/bench_<case>.png")
    args = parser.parse_args(argv)

    missing = jb.missing_requirements()
    if missing:
        print("bench_browser: cannot run: " + "; ".join(missing), file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    names = args.case or list(CASES)
    with tempfile.TemporaryDirectory(prefix="bench_browser_") as tmp:
        server = jb.start_lab(None, Path(tmp) / "lab")
        try:
            with sync_playwright() as pw:
                browser = jb.launch_browser(pw)
                try:
                    print(f"Chromium {browser.version} headless, JupyterLab at {server.url}, "
                          f"viewport {jb.VIEWPORT['width']}x{jb.VIEWPORT['height']}")  # fmt: skip
                    for name in names:
                        case = CASES[name]()
                        page = jb.new_page(browser)
                        console = jb.ConsoleLog.attach(page)
                        try:
                            samples, frame = run_case(
                                page, server, console, case, args.presses, args.warmup,
                                screenshot=args.screenshot,
                            )
                        finally:
                            page.context.close()
                        med, mx = statistics.median(samples), max(samples)
                        target = f"  (target <= {case.target_ms:.0f} ms)" if case.target_ms else ""
                        print(f"{case.name:16s} {case.description}")
                        print(f"{'':16s} {len(samples)} presses: median {med:6.1f} ms, "
                              f"max {mx:6.1f} ms, min {min(samples):6.1f} ms; "
                              f"frame interval {frame:.1f} ms{target}")  # fmt: skip
                finally:
                    browser.close()
        finally:
            jb.stop_lab(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
