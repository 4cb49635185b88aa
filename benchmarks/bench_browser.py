"""Slider-to-picture latency in a real browser (JupyterLab + Debian Chromium, headless).

Usage:  python benchmarks/bench_browser.py [--presses N] [--warmup N] [--rounds N]
                                           [--case NAME ...] [--screenshot]

For each case a temporary notebook is written into one throw-away JupyterLab, run in
Chromium, and the slider handle gets N ArrowRight presses (after a few untimed ones).
Each latency is measured *inside the page*: from the ``keydown`` event's timestamp to the
first animation frame in which a probe differs from its value before the press.  For the
steppers the probe is the *loaded* picture: the <img>'s src, taken only once the image
is ``complete`` (decoded), so "changed" means the new frame can be painted in that frame.
Presses are sequential.  Median and max are printed per case, and each case's median
relative to the text-only case measured in the same run (the kernel round-trip floor).

Cases:
  text_label        IntSlider -> observe in the kernel -> Label text (the round-trip floor)
  flipbook_stepper  stepper(face_image(), face_detector()): 25 frames held in the page,
                    the slider is jslinked to the picture; no kernel in the loop
                    (target: one display frame, <= 17 ms median)
  live_stepper      stepper(photo(128), "vertical_edges"): 15876 steps at stride 1, each
                    frame rendered by the kernel and pushed as a PNG data URL
                    (target: <= 45 ms median)

For the cases that go through the kernel a breakdown is printed as well (medians per
press).  In the page: when the first "busy" status of the kernel arrives, when the update
carrying the result arrives, when the <img> src is set, when the picture is shown (ms
after the key), and how many widget messages the kernel handled for one press.  In the
kernel: the time spent in widget message handlers per press (a small hook cell, the only
instrumentation added to the case's notebook, wraps ``ipywidgets.Widget._handle_msg``).

``--tcp-nodelay`` (a diagnosis, not what students get): the kernel websocket of
jupyter_server 2.x is a tornado WebSocketHandler that never calls ``set_nodelay(True)``,
so a small message the server writes right after another small one can wait for the
browser's delayed ACK (Nagle's algorithm; ~40 ms on Linux).  This flag makes the temporary
server set TCP_NODELAY (a ``jupyter_server_config.py`` in its temp config dir), to show
how much of the round trip that stall is.

Reuses tests/e2e/jupyter_browser.py (start_lab, launch_browser, run_notebook,
collect_problems, measure).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))

import jupyter_browser as jb  # noqa: E402 - found through the sys.path line above


@dataclass
class Case:
    name: str
    description: str
    cells: list[tuple[str, str]]  # ("code" | "markdown", source) for jb.write_notebook
    slider_selector: str  # the focusable slider handle
    probe_js: str  # JS expression -> string that changes when the picture changes
    target_ms: float | None = None
    expect_mode: str | None = None  # the stepper's data-mode, checked before measuring
    result_key: str | None = None  # the state key of the kernel's update we wait for
    kernel: bool = True  # does a press go through the kernel?


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
        description="IntSlider -> kernel observe -> Label text (kernel round-trip floor)",
        cells=[("code", code)],
        slider_selector=".widget-hslider.bench-slider .noUi-handle",
        probe_js="document.querySelector('.bench-label').textContent",
        result_key="value",
    )


#: Every use of the seed arrays' names in this file goes through this import.
FACE_IMPORTS = "from conv_lesson import face_detector, face_image, stepper"

STEPPER_HANDLE = ".conv-lesson-stepper .conv-lesson-step input[type=range]"

#: The src of the stepper's <img> once it has loaded (decoded): the picture on screen.
STEPPER_SHOWN_PROBE = """(() => {
  const img = document.querySelector('.conv-lesson-stepper img.conv-lesson-frame');
  if (!img) return '';
  if (img.complete && img.naturalWidth > 0) window.__convShownSrc = img.getAttribute('src');
  return window.__convShownSrc || '';
})()"""


def case_flipbook_stepper() -> Case:
    return Case(
        name="flipbook_stepper",
        description="stepper(face_image(), face_detector()): 25 frames switched in the page",
        cells=[("code", f"{FACE_IMPORTS}\ns = stepper(face_image(), face_detector())\ns")],
        slider_selector=STEPPER_HANDLE,
        probe_js=STEPPER_SHOWN_PROBE,
        target_ms=17,
        expect_mode="flipbook",
        kernel=False,
    )


def case_live_stepper() -> Case:
    return Case(
        name="live_stepper",
        description='stepper(photo(128), "vertical_edges"): 15876 steps, frames from the kernel',
        cells=[("code", 'from conv_lesson import photo, stepper\ns = stepper(photo(128), "vertical_edges")\ns')],
        slider_selector=STEPPER_HANDLE,
        probe_js=STEPPER_SHOWN_PROBE,
        target_ms=45,
        expect_mode="live",
        result_key="live_frame",
    )


# name -> factory; the first one is the baseline (floor) of the ratios
CASES = {
    "text_label": case_text_label,
    "flipbook_stepper": case_flipbook_stepper,
    "live_stepper": case_live_stepper,
}
BASELINE = "text_label"


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


# Records, on the page's clock, the kernel's status and comm messages (iopub) and every
# change of the stepper <img>'s src.  Only for the breakdown; the latency itself is
# measured by jb.measure.
_JS_RECORD_PHASES = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const rec = window.__convPhases = {iopub: [], src: []};
  if (!w.__convPhaseHook) {
    w.__convPhaseHook = true;
    w.sessionContext.iopubMessage.connect((_, msg) => {
      const r = window.__convPhases; if (!r) return;
      const t = performance.now();
      const type = msg.header.msg_type;
      const parent = (msg.parent_header || {}).msg_type || null;
      if (type === 'status') r.iopub.push({kind: msg.content.execution_state, parent, t});
      else if (type === 'comm_msg') {
        const d = msg.content.data || {};
        r.iopub.push({kind: 'comm_' + (d.method || ''), keys: Object.keys(d.state || {}), parent, t});
      }
    });
  }
  const img = document.querySelector('.conv-lesson-stepper img.conv-lesson-frame');
  if (img) new MutationObserver(() => window.__convPhases.src.push(performance.now()))
      .observe(img, {attributes: true, attributeFilter: ['src']});
}
"""


def breakdown(
    samples: list[dict], phases: dict, kernel_log: list, time_origin: float, result_key: str | None
) -> dict[str, float]:
    """Medians over the presses of: arrival times (ms after the key press, page clock) of
    the first "busy" status, of the result update, of the <img> src change, of the shown
    picture; the number of widget messages the kernel handled ("msgs") and the time its
    handlers took ("kernel ms", "largest handler ms"; from ``kernel_log`` entries
    ``[epoch_ms, duration_ms, class]``)."""
    cols: dict[str, list[float]] = {}
    add = lambda k, v: cols.setdefault(k, []).append(v)
    iop = phases.get("iopub", [])
    for s in samples:
        t0, t1 = s["t0"], s["t"]
        busy = [m["t"] for m in iop if m["kind"] == "busy" and m["parent"] == "comm_msg"
                and t0 <= m["t"] <= t1]  # fmt: skip
        if busy:
            add("first busy", busy[0] - t0)
        add("msgs", len(busy))
        if result_key:
            res = next((m["t"] for m in iop if m["kind"] == "comm_update"
                        and result_key in m.get("keys", []) and t0 <= m["t"] <= t1), None)  # fmt: skip
            if res is not None:
                add("result msg", res - t0)
        src = next((t for t in phases.get("src", []) if t0 <= t <= t1 + 1), None)
        if src is not None:
            add("img src set", src - t0)
        add("shown", t1 - t0)
        e0, e1 = time_origin + t0, time_origin + t1
        handled = [(d, cls) for (t, d, cls) in kernel_log if e0 <= t <= e1]
        if handled:
            add("kernel ms", sum(d for d, _ in handled))
            add("largest handler ms", max(d for d, _ in handled))
    return {k: statistics.median(v) for k, v in cols.items() if v}


#: Prepended to the notebook of a case that goes through the kernel: times every widget
#: message handler (must run before the widgets are created).
KERNEL_HOOK = """\
# benchmark instrumentation: how long the kernel spends in widget message handlers
import time as _bench_time
import ipywidgets as _bench_w

_bench_log = []
_bench_orig = _bench_w.Widget._handle_msg


def _bench_timed(self, msg):
    t0, p0 = _bench_time.time() * 1000, _bench_time.perf_counter()
    try:
        return _bench_orig(self, msg)
    finally:
        _bench_log.append([t0, (_bench_time.perf_counter() - p0) * 1000, type(self).__name__])


_bench_w.Widget._handle_msg = _bench_timed
"""

_JS_KERNEL_LOG = """async () => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const f = k.requestExecute({code: 'import json as _j; print(_j.dumps(_bench_log))', silent: false,
                              store_history: false});
  let out = '';
  f.onIOPub = (m) => { if (m.header.msg_type === 'stream') out += m.content.text; };
  await f.done;
  return out;
}"""


def run_case(
    page, server, console, case: Case, presses: int, warmup: int, screenshot: bool = False
) -> tuple[list[dict], float, dict[str, float]]:
    """Samples of ``presses`` key presses, the page's frame interval (ms), the breakdown."""
    nb = f"bench_{case.name}.ipynb"
    cells = ([("code", KERNEL_HOOK)] if case.kernel else []) + case.cells
    jb.write_notebook(server.root_dir / nb, cells)
    problems = jb.run_notebook(page, server, nb, console)
    if problems:
        raise RuntimeError(f"case {case.name}: the notebook has problems:\n" + "\n".join(problems))
    if case.expect_mode:
        mode = page.evaluate("() => (document.querySelector('.conv-lesson-frameview') || {dataset: {}}).dataset.mode")
        if mode != case.expect_mode:
            raise RuntimeError(f"case {case.name}: stepper in mode {mode!r}, not {case.expect_mode!r}")
    if warmup:
        jb.measure(page, case.slider_selector, case.probe_js, presses=warmup)
    page.evaluate(_JS_RECORD_PHASES)
    samples = jb.measure(page, case.slider_selector, case.probe_js, presses=presses, details=True)
    phases = page.evaluate("() => window.__convPhases")
    kernel_log = json.loads(page.evaluate(_JS_KERNEL_LOG) or "[]") if case.kernel else []
    time_origin = page.evaluate("() => performance.timeOrigin")
    problems = jb.collect_problems(page, console, wait_widgets=0)
    if problems:
        raise RuntimeError(f"case {case.name}: problems while pressing:\n" + "\n".join(problems))
    if len({s["value"] for s in samples}) != len(samples):
        raise RuntimeError(f"case {case.name}: a press showed a picture seen before")
    frame = frame_interval_ms(page)
    if screenshot:
        jb.screenshot(page, f"bench_{case.name}")
    jb.shutdown_kernel(page, server)
    return samples, frame, breakdown(samples, phases, kernel_log, time_origin, case.result_key)


# Written as jupyter_server_config.py into the temp server's JUPYTER_CONFIG_DIR with
# --tcp-nodelay: set TCP_NODELAY on each websocket before its first write.
NODELAY_SERVER_CONFIG = """\
import tornado.websocket as _tw

_orig_write_message = _tw.WebSocketProtocol13.write_message


def _write_message_nodelay(self, message, binary=False):
    if not getattr(self, "_conv_nodelay", False):
        self._conv_nodelay = True
        try:
            self.stream.set_nodelay(True)
        except Exception:
            pass
    return _orig_write_message(self, message, binary)


_tw.WebSocketProtocol13.write_message = _write_message_nodelay
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presses", type=int, default=20, help="timed presses per case (20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed presses first (3)")
    parser.add_argument("--rounds", type=int, default=1, help="measure every case N times (1)")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="(default: all)")
    parser.add_argument("--screenshot", action="store_true", help="save build/screenshots/bench_<case>.png")
    parser.add_argument(
        "--tcp-nodelay",
        action="store_true",
        help="diagnosis: make the server set TCP_NODELAY on its websockets",
    )
    args = parser.parse_args(argv)

    missing = jb.missing_requirements()
    if missing:
        print("bench_browser: cannot run: " + "; ".join(missing), file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    names = args.case or list(CASES)
    results: dict[str, list[float]] = {name: [] for name in names}
    misses = []
    with tempfile.TemporaryDirectory(prefix="bench_browser_") as tmp:
        if args.tcp_nodelay:
            config_dir = Path(tmp) / "lab" / "config"  # start_lab's JUPYTER_CONFIG_DIR
            config_dir.mkdir(parents=True)
            (config_dir / "jupyter_server_config.py").write_text(NODELAY_SERVER_CONFIG)
        server = jb.start_lab(None, Path(tmp) / "lab")
        try:
            with sync_playwright() as pw:
                browser = jb.launch_browser(pw)
                try:
                    print(f"Chromium {browser.version} headless, JupyterLab at {server.url}, "
                          f"viewport {jb.VIEWPORT['width']}x{jb.VIEWPORT['height']}; "
                          f"{args.presses} presses per case after {args.warmup} untimed"
                          + ("; websockets with TCP_NODELAY (diagnosis)" if args.tcp_nodelay else ""))  # fmt: skip
                    for rnd in range(args.rounds):
                        if args.rounds > 1:
                            print(f"-- round {rnd + 1} of {args.rounds}")
                        medians = {}
                        for name in names:
                            case = CASES[name]()
                            page = jb.new_page(browser)
                            console = jb.ConsoleLog.attach(page)
                            try:
                                samples, frame, phases = run_case(
                                    page, server, console, case, args.presses, args.warmup,
                                    screenshot=args.screenshot and rnd == 0,
                                )  # fmt: skip
                            finally:
                                page.context.close()
                            ms = [s["ms"] for s in samples]
                            results[name] += ms
                            med, mx = statistics.median(ms), max(ms)
                            medians[name] = med
                            target = ""
                            if case.target_ms:
                                ok = med <= case.target_ms
                                target = f"  target <= {case.target_ms:.0f} ms: {'met' if ok else 'MISSED'}"
                                if not ok:
                                    misses.append(f"{name} (round {rnd + 1}): {med:.1f} ms")
                            ratio = ""
                            if BASELINE in medians and name != BASELINE:
                                ratio = f", {med / medians[BASELINE]:.2f}x the {BASELINE} floor"
                            print(f"{case.name:17s} {case.description}")
                            print(f"{'':17s} {len(ms)} presses: median {med:6.1f} ms, max {mx:6.1f} ms, "
                                  f"min {min(ms):6.1f} ms{ratio}; frame interval {frame:.1f} ms{target}")  # fmt: skip
                            if case.kernel and phases:
                                page_parts = ", ".join(
                                    f"{k} {phases[k]:.1f}"
                                    for k in ("first busy", "result msg", "img src set", "shown")
                                    if k in phases
                                )
                                print(f"{'':17s} in the page, median ms after the key: {page_parts}")
                                if "kernel ms" in phases:
                                    print(f"{'':17s} in the kernel, median per press: {phases['msgs']:.0f} widget "
                                          f"messages, handlers {phases['kernel ms']:.1f} ms in all (the largest "
                                          f"{phases['largest handler ms']:.1f} ms)")  # fmt: skip
                finally:
                    browser.close()
        finally:
            jb.stop_lab(server)
    if args.rounds > 1:
        print("-- all rounds")
        base = statistics.median(results[BASELINE]) if results.get(BASELINE) else None
        for name, ms in results.items():
            med = statistics.median(ms)
            ratio = f", {med / base:.2f}x the floor" if base and name != BASELINE else ""
            print(f"{name:17s} {len(ms)} presses: median {med:6.1f} ms, max {max(ms):6.1f} ms{ratio}")
    if misses:
        print("targets missed: " + "; ".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
