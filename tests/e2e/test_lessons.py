"""Every lesson notebook, run top to bottom in JupyterLab (Debian Chromium), then used.

All lessons run in ONE JupyterLab server (the session's ``lab_server``) and one browser; each
lesson runs in its own copy of the notebook (``own_copy``).  Lessons 01 and 02 each have a
browser context of their own and stay open (module fixture ``lessons``) for the interaction
tests below, so no lesson is run twice; the module shuts their kernels down at the end. The
other lessons are opened one after the other in one JupyterLab page (``jb.open_in_app``: loading
JupyterLab costs the browser several seconds of CPU, opening a notebook in it about one), each
closed, its kernel shut down, before the next opens, so the page only ever shows one lesson.
What the run-clean test looks at in the page (the outputs, their screenshots, problems while
scrolling) is therefore looked at right after the run, while the lesson is still shown, and
kept for the test.

What is checked:

* ``test_a_saved_lesson_shows_its_pictures_and_no_widget_errors[NN_...]``: the committed lesson as
  a reader first sees it, opened and not yet run (checked in the same opening that is then
  run): no output says "Error displaying widget" or "model not found", and every interactive
  figure (a cell calling ``stepper(...)``, ``slide_1d(...)`` or another of the package's
  widgets) shows its saved picture, with a real alt text and the line saying to run the cell.
* ``test_lesson_runs_clean[NN_...]``: every code cell ran in order (fresh kernel, counts
  1..n), no "Error displaying widget", no "Loading widget..." left, no error output or
  traceback (cells, ``Output`` widgets, kernel messages, server log), no browser console
  error about the lessons/widgets; every widget output rendered as a live widget view.
  Screenshots: ``build/screenshots/lesson_NN_*.png`` (the top of the notebook) and
  ``lesson_NN_*_outKK.png`` (every widget/figure output).
* lesson 01: stepping ``slide_1d`` with the arrow keys redraws its picture and status (the value is
  checked against box*box = triangle, computed here).
* lesson 02, seed stepper (flipbook): ArrowRight on the step slider, ←/→/Home/End on the
  picture, the previous/next buttons, Play/pause, and the stride slider (a kernel round
  trip); status line, products, ``data-step``, slider and pixels are checked against
  values computed here with scipy (``lesson_checks.py``), never read from ``conv_lesson``.
* lesson 02, upload stepper (live, 46x46 = 2116 steps): ArrowRight and End need the kernel.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import axe
import jupyter_browser as jb
import keyboard
import pytest
from lesson_checks import (
    BROKEN,
    RUN_LINE,
    STATUS_RE,
    StepperUI,
    changed_columns,
    check_played,
    interactive_cells,
    saved_lesson_view,
    seed_step,
    triangle,
)
from site_pages import wait_heard

pytestmark = [pytest.mark.timeout(300), pytest.mark.keep_kernels]

NOTEBOOKS_DIR = Path(os.environ.get("CONV_LESSON_NOTEBOOKS_DIR") or jb.NOTEBOOKS_DIR)
LESSONS = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))
LESSON_01 = next((n for n in LESSONS if n.startswith("01_")), "01_missing.ipynb")
LESSON_02 = next((n for n in LESSONS if n.startswith("02_")), "02_missing.ipynb")
#: Lessons whose page stays open after their run test (used by later tests here).
KEEP_OPEN = {LESSON_01, LESSON_02}

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


# one run per lesson, shared by the tests of this module


@dataclass
class Lesson:
    name: str
    path: str  # the copy this module runs, relative to the server's root
    page: Any
    console: jb.ConsoleLog
    problems: list[str]
    state: dict
    seconds: float
    log_since: int
    console_since: int = 0
    #: what test_lesson_runs_clean checks in the page, looked at right after the run (:func:`_look`)
    looked: dict = field(default_factory=dict)


class LessonPages:
    """Opens and runs each lesson once (on first use); keeps its record (and, for 01 and 02, its page).

    Between opening and running, what the committed lesson shows is recorded (``saved``),
    for the saved-lesson test; after the run, what the run-clean test checks in the page
    (``Lesson.looked``)."""

    def __init__(self, browser, server: jb.LabServer):
        self.browser = browser
        self.server = server
        self.open: dict[str, Lesson] = {}
        self.saved: dict[str, dict] = {}
        self.failed: dict[str, str] = {}
        self.last: Lesson | None = None
        #: (page, console) of the JupyterLab the lessons outside KEEP_OPEN are opened in, one at a time
        self.app: tuple[Any, jb.ConsoleLog] | None = None

    def _new_page(self):
        context = self.browser.new_context(viewport=jb.VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page, jb.ConsoleLog.attach(page)

    def _drop_app(self) -> None:
        """Close the shared JupyterLab page (after a lesson failed in it: the next one gets a fresh page)."""
        from playwright.sync_api import Error as PlaywrightError

        if self.app is not None:
            try:
                self.app[0].context.close()
            except PlaywrightError as exc:
                print(f"(closing the shared lesson page: {exc})")
        self.app = None

    def get(self, name: str) -> Lesson:
        if name in self.failed:
            pytest.fail(f"{name} could not be run earlier: {self.failed[name]}", pytrace=False)
        if name not in self.open:
            if not (self.server.source_dir / name).is_file():
                pytest.fail(f"no notebook {name} in {NOTEBOOKS_DIR}", pytrace=False)
            path = self.server.own_copy(name, "test_lessons")
            in_app = name not in KEEP_OPEN and self.app is not None
            if name in KEEP_OPEN:
                page, console = self._new_page()
            else:
                self.app = self.app or self._new_page()
                page, console = self.app
            console_since = console.mark()
            log_since = self.server.log_size()
            t0 = time.monotonic()
            try:
                if in_app:
                    jb.open_in_app(page, path, timeout=180_000)
                else:
                    jb.open_notebook(page, self.server, path, timeout=180_000)
                self.saved[name] = saved_lesson_view(page, interactive_cells(NOTEBOOKS_DIR / name))
                if name.startswith("02"):
                    jb.screenshot(page, "saved-02-before-running")
                jb.run_all_cells(page, timeout=180_000)
                problems = jb.collect_problems(
                    page, console, self.server, log_since=log_since, console_since=console_since
                )
                state = jb.notebook_state(page)
            except Exception as exc:
                self.failed[name] = repr(exc)
                self.last = Lesson(name, path, page, console, [], {}, 0.0, log_since, console_since)
                if name not in KEEP_OPEN:
                    _failure_screenshot(self.last, f"FAILED-{Path(name).stem}")
                    self._drop_app()
                raise
            lesson = Lesson(name, path, page, console, problems, state, time.monotonic() - t0, log_since, console_since)
            lesson.looked = _look(lesson)
            if name not in KEEP_OPEN:
                try:
                    jb.close_current(page, self.server)
                except Exception as exc:  # noqa: BLE001 - the next lesson then starts in a fresh page
                    print(f"(closing {name} in the shared page: {exc!r})")
                    self._drop_app()
                lesson.page = None  # the page now shows the next lesson, or nothing
            self.open[name] = lesson
        self.last = self.open[name]
        return self.open[name]

    def saved_view(self, name: str) -> dict:
        """What lesson ``name`` showed when opened, before it ran (opening and running it if not yet done)."""
        if name not in self.saved:
            try:
                self.get(name)
            except (Exception, pytest.fail.Exception):  # noqa: BLE001 - the run failed (its own test says so)
                pass  # what the lesson showed before running still counts
        if name not in self.saved:
            pytest.fail(f"{name} could not be opened: {self.failed.get(name)}", pytrace=False)
        return self.saved[name]

    def release_all(self) -> None:
        """Close the pages and shut the kernels down."""
        from playwright.sync_api import Error as PlaywrightError

        for lesson in self.open.values():
            if lesson.page is not None:
                try:
                    lesson.page.context.close()
                except PlaywrightError as exc:  # the browser is already gone
                    print(f"(closing the page of {lesson.name}: {exc})")
        self._drop_app()
        if self.server.proc.poll() is None:
            try:
                self.server.shutdown_all_sessions()
            except (OSError, ValueError) as exc:
                print(f"(could not shut down the kernels: {exc})")


def _failure_screenshot(lesson: Lesson, name: str) -> None:
    from playwright.sync_api import Error as PlaywrightError

    try:
        path = jb.screenshot(lesson.page, name)
        print(f"screenshot of the failed test: {path}")
    except (PlaywrightError, OSError) as exc:
        print(f"(no failure screenshot: {exc})")
    for msg in lesson.console.messages[lesson.console_since :]:
        print(f"browser {msg}")


@pytest.fixture(scope="module")
def lessons(browser, lab_server):
    pages = LessonPages(browser, lab_server)
    yield pages
    pages.release_all()


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request):
    """The ``page`` fixture's failure screenshot, for the module's shared lesson pages."""
    if "lessons" not in request.fixturenames:  # e.g. test_lessons_are_there: no browser
        yield
        return
    lessons = request.getfixturevalue("lessons")
    lessons.last = None
    yield
    rep = getattr(request.node, "_conv_rep_call", None)
    # (a lesson closed after its run has no page left: its screenshots were taken while it was shown)
    if rep is not None and rep.failed and lessons.last is not None and lessons.last.page is not None:
        _failure_screenshot(lessons.last, "FAILED-" + request.node.name)


def _no_new_problems(lesson: Lesson, since: int, what: str) -> None:
    problems = jb.collect_problems(lesson.page, lesson.console, console_since=since, wait_widgets=0)
    assert problems == [], f"{what} in {lesson.name}:\n" + "\n".join(problems)


# every lesson runs clean

_JS_RICH_OUTPUTS = """
(mime) => {
  const cellIndex = (el) => {
    const cell = el.closest('.jp-Cell');
    return cell ? [...cell.parentElement.children]
        .filter(e => e.classList.contains('jp-Cell')).indexOf(cell) : -1;
  };
  // a widget output has no data-mime-type: its child is the widget view (or the
  // "Loading widget..." / "Error displaying widget" placeholder)
  const isWidget = (o) => o.dataset.mimeType === mime || !!o.querySelector('.jupyter-widgets')
      || /Loading widget|Error displaying widget/.test(o.textContent || '');
  const outs = [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output')]
    .filter(o => isWidget(o) || ['image/png', 'image/jpeg'].includes(o.dataset.mimeType));
  return outs.map((o, k) => {
    o.setAttribute('data-conv-shot', String(k));
    return {
      k: k,
      cell: cellIndex(o),
      mime: isWidget(o) ? mime : o.dataset.mimeType,
      widget: !!(o.firstElementChild && o.firstElementChild.classList.contains('jupyter-widgets')),
      error: !!o.querySelector('.jupyter-widgets-error-widget'),
      text: (o.textContent || '').trim().slice(0, 120),
    };
  });
}
"""


@pytest.mark.parametrize("name", LESSONS)
def test_a_saved_lesson_shows_its_pictures_and_no_widget_errors(lessons, name):
    saved = lessons.saved_view(name)
    broken = [t[:120] for t in saved["texts"] if any(b in t for b in BROKEN)]
    assert broken == [], f"{name}: {broken}"
    assert saved["widget_errors"] == 0
    # no cell looks run before the student runs it: no saved execution count (issue 22)
    counted = [p for p in saved["prompts"] if re.search(r"\d", p)]
    assert len(saved["prompts"]) >= 3 and counted == [], f"{name}: prompts {saved['prompts'][:8]}"
    for cell in saved["cells"]:
        assert cell["loaded"], f"{name} cell {cell['index']}: no saved picture"
        assert cell["alt"] and len(cell["alt"]) > 40, f"{name} cell {cell['index']}: alt text {cell['alt']!r}"
        assert RUN_LINE in cell["text"], f"{name} cell {cell['index']}: no line saying to run the cell"


def test_lessons_are_there():
    assert len(LESSONS) >= 6, f"expected the six lessons in {NOTEBOOKS_DIR}, found {LESSONS}"
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", n) for n in LESSONS), LESSONS


@pytest.mark.parametrize("notebook", LESSONS)
def test_lesson_runs_clean(lessons, notebook):
    lesson = lessons.get(notebook)
    print(f"{notebook}: opened and ran in {lesson.seconds:.1f} s")
    assert lesson.problems == [], f"{notebook}:\n" + "\n\n".join(lesson.problems)

    # every non-empty code cell ran, in order, in one fresh kernel (run-all did not stop)
    code = [c for c in lesson.state["cells"] if c["type"] == "code" and not c["empty"]]
    assert code, f"{notebook} has no code cells"
    counts = [c["count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), f"execution counts {counts}"

    looked = lesson.looked
    assert "error" not in looked, f"looking at {notebook} after its run: {looked.get('error')}"
    # every widget output (per the notebook model) is a live widget view in the page
    model_widgets = sum(1 for c in code for o in c["outputs"] if WIDGET_MIME in (o.get("data") or {}))
    dom_widgets = [r for r in looked["rich"] if r["mime"] == WIDGET_MIME]
    assert len(dom_widgets) == model_widgets, (model_widgets, dom_widgets)
    not_rendered = [r for r in dom_widgets if not r["widget"] or r["error"]]
    assert not_rendered == [], f"widget outputs that did not render: {not_rendered}"

    # screenshots: the top of the lesson, then every widget/figure output
    assert len(looked["shots"]) == 1 + len(looked["rich"])
    for shot in looked["shots"]:
        assert shot.is_file() and shot.stat().st_size > 2_000, shot

    # nothing went wrong while scrolling through the outputs either
    assert looked["after"] == [], f"problems after scrolling in {notebook}:\n" + "\n".join(looked["after"])


@pytest.mark.parametrize("notebook", LESSONS)
def test_lesson_outputs_pass_axe_core(lessons, notebook):
    """WCAG 2.1 AA by axe-core on what the lesson shows after Run All in JupyterLab: every output
    (widgets, figures, text), not JupyterLab's own chrome; 0 critical, 0 serious, counts printed."""
    looked = lessons.get(notebook).looked
    assert "error" not in looked, f"looking at {notebook} after its run: {looked.get('error')}"
    axe.check(f"{notebook} in JupyterLab, its outputs", looked["axe"])


@pytest.mark.parametrize("notebook", LESSONS)
def test_lesson_widgets_by_keyboard_alone(lessons, notebook):
    """Every widget of the lesson after Run All in JupyterLab (the editable grid and the gallery explorer
    among them): Tab reaches each of its controls, in reading order, each with a focus ring of at least
    2 px and 3:1 against what is behind it, and then leaves the widget (no keyboard trap)."""
    looked = lessons.get(notebook).looked
    assert "error" not in looked, f"looking at {notebook} after its run: {looked.get('error')}"
    assert looked["keyboard"], f"{notebook}: no widget output was walked"
    for k, found in looked["keyboard"].items():
        walk = found["walk"]
        print(f"{notebook} output {k}: {len(walk)} stops by Tab: {[w['cls'].split()[-1:] for w in walk]}")
        assert keyboard.ring_problems(walk) == [], f"output {k}"
        assert keyboard.order_problems(walk) == [], f"output {k}"
        assert found["missed"] == [], f"output {k}: controls Tab never reached"


def _look(lesson: Lesson) -> dict:
    """What test_lesson_runs_clean checks in the page, looked at while the lesson is shown, right after its run.

    ``{"rich": [...], "shots": [Path, ...], "after": [problems], "axe": [violations], "keyboard": {k: walk}}``:
    the widget and figure outputs in the page (``_JS_RICH_OUTPUTS``), a screenshot of the top of the
    lesson and of each of them (``build/screenshots/lesson_NN_*.png``), the problems that came while
    scrolling through them, what axe-core found in each output, and a Tab walk through each widget
    output (:func:`keyboard.walk_into`); or ``{"error": ...}`` if looking failed."""
    from playwright.sync_api import Error as PlaywrightError

    page = lesson.page
    stem = Path(lesson.name).stem
    try:
        rich = page.evaluate(_JS_RICH_OUTPUTS, WIDGET_MIME)
        page.evaluate(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " w.content.activeCellIndex = 0; w.content.scrollToItem(0); }"
        )
        # the first cell is on screen and stays put (it was a 200 ms sleep)
        first_cell = page.locator(f"{jb.SEL_NOTEBOOK} .jp-Cell").first
        page.wait_for_function(
            "(cell) => { const c = cell.getBoundingClientRect();"
            " const n = cell.closest('.jp-Notebook').getBoundingClientRect();"
            " return c.top >= n.top - 1 && c.top < n.top + 100; }",
            arg=first_cell.element_handle(),
        )
        jb.wait_stable(page, first_cell)
        shots = [jb.screenshot(page, f"lesson_{stem}")]
        # An element screenshot of an output taller than the notebook panel would have Lab's
        # menu and toolbars painted over it: make the window tall for these, then restore.
        panel = page.locator(jb.SEL_NOTEBOOK).first
        short = panel.bounding_box()["height"]
        page.set_viewport_size({"width": jb.VIEWPORT["width"], "height": 2000})
        try:
            # Lumino re-lays the panels out: wait until the notebook has grown and stays put
            # (was a 300 ms sleep)
            page.wait_for_function(
                "([sel, h]) => document.querySelector(sel).getBoundingClientRect().height > h + 500",
                arg=[jb.SEL_NOTEBOOK, short],
            )
            jb.wait_stable(page, panel, in_view=False, images=False)
            violations, walks = [], {}
            for r in rich:
                loc = page.locator(f'[data-conv-shot="{r["k"]}"]')
                loc.scroll_into_view_if_needed()
                jb.wait_stable(page, loc)  # on screen, not moving, its pictures loaded (was 100 ms)
                shots.append(jb.screenshot(page, f"lesson_{stem}_out{r['k']:02d}", locator=loc))
                violations += axe.run(page, [f'[data-conv-shot="{r["k"]}"]'])  # ours, drawn: what axe-core says
                if r["mime"] == WIDGET_MIME:  # and by the keyboard alone, then back to command mode
                    walks[r["k"]] = keyboard.walk_into(page, loc.element_handle())
                    page.keyboard.press("Escape")
            # and every other output on the page (text, feedback): the outputs only, not JupyterLab's chrome
            violations += axe.run(page, [".jp-OutputArea-output:not(:has([data-conv-shot]))"])
        finally:
            page.set_viewport_size(jb.VIEWPORT)
        after = jb.collect_problems(page, lesson.console, console_since=lesson.console_since, wait_widgets=0)
    except (PlaywrightError, AssertionError) as exc:
        _failure_screenshot(lesson, f"FAILED-looking-at-{stem}")
        return {"error": repr(exc)}
    return {"rich": rich, "shots": shots, "after": after, "axe": violations, "keyboard": walks}


# lesson 01: slide_1d

_SLIDE_STATUS_RE = re.compile(r"\(f\*g\)\((?P<t>-?[\d.]+)\) = (?P<v>-?[\d.]+)")

_JS_SLIDE_STATE = """
(root) => {
  // the step slider's readout: the position of t as the lesson writes it ("0.50")
  const readout = root.querySelector('.conv-lesson-step output');
  const img = root.querySelector('img.conv-lesson-frame');
  const status = root.querySelector('.conv-lesson-status');
  const m = readout && readout.textContent.match(/^(-?[\\d.]+)$/);
  return {
    t: m ? Number(m[1]) : null,
    src: img ? img.getAttribute('src') : null,
    loaded: img ? img.complete && img.naturalWidth > 0 : false,
    status: status ? status.textContent.trim() : null,
  };
}
"""


def test_slide_1d_keys_redraw_picture_and_status(lessons):
    lesson = lessons.get(LESSON_01)
    page = lesson.page
    since = lesson.console.mark()
    root = page.locator(".conv-lesson-slide-1d").first  # the box*box one, the first
    ui = StepperUI(page, root)
    root.scroll_into_view_if_needed()
    before = root.evaluate(_JS_SLIDE_STATE)
    assert before["src"] and before["loaded"] and before["t"] is not None, before
    m = _SLIDE_STATUS_RE.search(before["status"] or "")
    assert m, f"status of slide_1d: {before['status']!r}"
    t0 = before["t"]
    assert float(m["t"]) == pytest.approx(t0, abs=0.005)
    assert float(m["v"]) == pytest.approx(triangle(t0), abs=0.006)

    el = root.element_handle()
    t_max = float(ui.handle.get_attribute("max"))  # the number of positions of t
    ts = [t0]
    # one press (a kernel round trip for the live picture), then a burst of 30 (the picture asks
    # for the latest position only)
    for presses in (1, 30):
        prev = root.evaluate(_JS_SLIDE_STATE)
        # one press moves one position: the first press measures the grid's step (not a copied
        # constant), the burst must land ``presses`` positions further
        want = None if len(ts) == 1 else prev["t"] + presses * (ts[1] - ts[0])
        ui.press("ArrowRight", presses, target=ui.figure)
        # wait for the end state itself: the readout at its final value and the kernel's
        # picture and status for exactly that t
        page.wait_for_function(
            """([root, prev, want]) => {
              const r = root.querySelector('.conv-lesson-step output').textContent.match(/^(-?[\\d.]+)$/);
              const img = root.querySelector('img.conv-lesson-frame');
              const s = root.querySelector('.conv-lesson-status');
              const t = r ? Number(r[1]) : NaN;
              if (want === null ? !(t > prev.t) : Math.abs(t - want) > 1e-6) return false;
              const m = s && s.textContent.match(/\\(f\\*g\\)\\((-?[\\d.]+)\\)/);
              return !!(m && Math.abs(Number(m[1]) - t) < 0.005
                        && img.getAttribute('src') !== prev.src && img.complete);
            }""",
            arg=[el, prev, want],
            timeout=20_000,
        )
        now = root.evaluate(_JS_SLIDE_STATE)
        assert now["t"] > prev["t"]
        assert now["src"] != prev["src"], "the picture did not change"
        assert now["status"] != prev["status"]
        m = _SLIDE_STATUS_RE.search(now["status"])
        assert m, now["status"]
        assert float(m["t"]) == pytest.approx(now["t"], abs=0.005)
        assert float(m["v"]) == pytest.approx(triangle(now["t"]), abs=0.006), now["status"]
        ts.append(now["t"])
    assert ts[1] - ts[0] > 0 and t_max >= 31  # one press, one position of t
    # the burst crossed the peak of the triangle at t = 1: the value went down again
    assert ts[0] < 1.0 < ts[2], ts
    assert triangle(ts[2]) < triangle(1.0)
    _no_new_problems(lesson, since, "problems while moving slide_1d")


# lesson 02: the steppers


@pytest.fixture
def seed_stepper(lessons) -> StepperUI:
    lesson = lessons.get(LESSON_02)
    assert lesson.problems == [], "\n".join(lesson.problems)
    ui = StepperUI(lesson.page, lesson.page.locator(".conv-lesson-stepper").first)
    ui.root.scroll_into_view_if_needed()
    st = ui.state()
    assert st["mode"] == "flipbook", st
    assert st["stride"] == 1, st
    assert STATUS_RE.fullmatch(st["status"] or ""), st["status"]
    ui.since = lesson.console.mark()
    ui.lesson = lesson
    return ui


def _check_step(st: dict, k: int, stride: int = 1) -> None:
    exp = seed_step(k, stride)
    assert st["status"] == exp["status"]
    assert st["arithmetic"].startswith(exp["products"] + " · "), st["arithmetic"]
    assert st["dataStep"] == str(k)
    assert st["slider"] == k
    assert st["sliderMax"] == exp["n_steps"]
    assert f"{k} of {exp['n_steps']} cells filled" in st["alt"], st["alt"]
    assert st["complete"], "the <img> did not load"
    assert not st["error"], st["error"]


def _check_picture_moved(src_a: str, src_b: str) -> None:
    """Between two consecutive steps both the window on the input (left panel) and the
    feature map (right panel) are redrawn."""
    cols = changed_columns(src_a, src_b)
    assert cols.size, "the two frames are pixel-identical"
    assert (cols < 0.45).any(), "nothing changed on the input panel"
    assert (cols > 0.65).any(), "nothing changed on the feature-map panel"


def test_stepper_arrow_keys_on_step_slider(seed_stepper):
    ui = seed_stepper
    first = ui.go_to_step_1()
    _check_step(first, 1)
    assert first["prevDisabled"] == "true" and first["nextDisabled"] == "false"

    # k presses in a row from step 1 -> step 1 + k
    k = 4
    ui.press("ArrowRight", times=k)
    st = ui.wait_status(f"step {1 + k} of ")
    _check_step(st, 1 + k)
    assert st["src"] != first["src"]
    srcs = {first["src"], st["src"]}

    # then one at a time: every step a new picture, the window and the map both move
    prev = st
    for step in range(2 + k, 9):
        ui.press("ArrowRight")
        st = ui.wait_status(f"step {step} of ")
        _check_step(st, step)
        assert st["src"] not in srcs, f"step {step} shows an earlier picture"
        srcs.add(st["src"])
        _check_picture_moved(prev["src"], st["src"])
        prev = st
    # the row wraps: step 6 starts row 1 of the map (window at row 1, column 0)
    assert seed_step(6)["window"] == (1, 0)
    ui.press("ArrowLeft")
    _check_step(ui.wait_status("step 7 of "), 7)
    _no_new_problems(ui.lesson, ui.since, "problems while stepping")


def test_stepper_keys_on_the_picture(seed_stepper):
    ui = seed_stepper
    ui.go_to_step_1()
    ui.press("End", target=ui.figure)
    last = ui.wait_status("step 25 of ")
    _check_step(last, 25)
    assert last["nextDisabled"] == "true"
    ui.press("ArrowLeft", target=ui.figure)
    _check_step(ui.wait_status("step 24 of "), 24)
    ui.press("ArrowRight", times=3, target=ui.figure)  # clamps at the last step
    _check_step(ui.wait_status("step 25 of "), 25)
    ui.press("Home", target=ui.figure)
    _check_step(ui.wait_status("step 1 of "), 1)
    # Nothing before the first step, shown without a fixed wait: the picture takes the
    # ArrowLeft (its handler prevents the default) and then goes straight from step 1 to 2
    # on ArrowRight; any change ArrowLeft made would be in the recorded frames first.
    ui.record()
    ui.press("ArrowLeft", target=ui.figure)
    ui.press("ArrowRight", target=ui.figure)
    _check_step(ui.wait_status("step 2 of "), 2)
    rec = ui.recorded(stop=True)
    assert rec["keys"] == [
        {"key": "ArrowLeft", "handled": True},
        {"key": "ArrowRight", "handled": True},
    ], rec["keys"]
    assert [f["step"] for f in rec["frames"]] == ["2"], rec["frames"]
    _no_new_problems(ui.lesson, ui.since, "problems while stepping with the keys")


def test_stepper_prev_next_buttons(seed_stepper):
    ui = seed_stepper
    first = ui.go_to_step_1()
    assert first["prevDisabled"] == "true"
    ui.next.click()
    ui.next.click()
    st = ui.wait_status("step 3 of ")
    _check_step(st, 3)
    assert st["prevDisabled"] == "false"
    ui.prev.click()
    st2 = ui.wait_status("step 2 of ")
    _check_step(st2, 2)
    _check_picture_moved(st["src"], st2["src"])
    _no_new_problems(ui.lesson, ui.since, "problems while clicking the buttons")


def test_stepper_play_advances_then_pauses(seed_stepper):
    ui = seed_stepper
    start = ui.go_to_step_1()
    ui.record()
    play = ui.play_button
    assert play.get_attribute("aria-pressed") == "false" and play.inner_text().strip().endswith("play")
    play.click()
    try:
        playing = ui.wait_data_step("s >= 4", timeout=20_000)  # 2 steps/s by default
        jb.wait_attribute(play, "aria-pressed", "true")
        assert play.inner_text().strip().endswith("pause")  # while playing, the button says pause
    finally:
        play.click()  # pause
    # positive signal first (was a 300 ms sleep): the button says play again
    jb.wait_attribute(play, "aria-pressed", "false")
    assert play.inner_text().strip().endswith("play")
    paused = ui.state()
    # Proving that nothing moves any more needs an interval: Play steps every 1000/speed
    # ms, so two and a half of those without a new frame mean it stopped (was 1.2 s fixed).
    ui.page.wait_for_timeout(2.5 * 1000 / ui.speed())
    assert ui.state()["dataStep"] == paused["dataStep"], "still playing after pause"
    rec = ui.recorded(stop=True)
    seen = rec["frames"]

    k = int(paused["dataStep"])
    assert k >= 4 and int(playing["dataStep"]) >= 4
    _check_step(paused, k)
    assert paused["src"] != start["src"]
    steps = [int(s["step"]) for s in seen]
    check_played(rec, ui.speed(), 2, k)
    assert [f["slider"] for f in seen] == steps, "the step slider did not follow Play"
    assert len({s["src"] for s in seen}) == len(seen), "a frame repeated while playing"
    _no_new_problems(ui.lesson, ui.since, "problems while playing")


def test_play_on_the_last_step_starts_again_and_plays_in_one_press(seed_stepper):
    """At the last step, one press of play goes back to step 1 and plays on (it once stopped at step 1,
    and a second press was needed)."""
    ui = seed_stepper
    ui.go_to_step_1()
    ui.root.locator("button.conv-lesson-finish-map").click()
    n = seed_step(1)["n_steps"]
    ui.wait_data_step(f"s === {n}")
    play = ui.play_button
    ui.press("ArrowLeft", 2, target=ui.figure)  # play to the end, where it stops by itself...
    ui.wait_data_step(f"s === {n - 2}")
    play.click()
    ui.wait_data_step(f"s === {n}")
    jb.wait_attribute(play, "aria-pressed", "false")
    play.click()  # ...then press play once more
    try:
        ui.wait_data_step("s >= 1 && s <= 4")  # back at the start...
        ui.wait_data_step(f"s >= 3 && s < {n}", timeout=20_000)  # ...and playing on from there, in one press
        assert play.get_attribute("aria-pressed") == "true"
    finally:
        play.click()
    jb.wait_attribute(play, "aria-pressed", "false")
    _no_new_problems(ui.lesson, ui.since, "problems while playing from the last step")


def test_stepper_stride_slider_rebuilds_in_kernel(seed_stepper):
    ui = seed_stepper
    ui.go_to_step_1()
    before = ui.state()
    ui.press("ArrowRight", target=ui.stride_handle)  # stride 1 -> 2: the kernel redraws
    st = ui.wait_status("step 1 of 9 ", timeout=30_000)
    ui.page.wait_for_function(
        "([root, src]) => root.querySelector('img.conv-lesson-frame').getAttribute('src') !== src",
        arg=[ui.root.element_handle(), before["src"]],
        timeout=15_000,
    )
    st = ui.state()
    assert st["stride"] == 2
    _check_step(st, 1, stride=2)
    ui.press("ArrowRight")
    _check_step(ui.wait_status("step 2 of 9 "), 2, stride=2)  # window jumps 2 columns
    assert seed_step(2, stride=2)["window"] == (0, 2)
    ui.press("End", target=ui.figure)
    _check_step(ui.wait_status("step 9 of 9 "), 9, stride=2)
    # and back to stride 1: 25 steps again (the step is kept)
    ui.press("ArrowLeft", target=ui.stride_handle)
    st = ui.wait_status("step 9 of 25 ", timeout=30_000)
    assert st["stride"] == 1
    _check_step(st, 9)
    _no_new_problems(ui.lesson, ui.since, "problems while changing the stride")


def test_live_stepper_steps_through_the_kernel(lessons):
    lesson = lessons.get(LESSON_02)
    assert lesson.problems == [], "\n".join(lesson.problems)
    src = json.loads((NOTEBOOKS_DIR / LESSON_02).read_text("utf-8"))
    code = "\n".join("".join(c["source"]) for c in src["cells"] if c["cell_type"] == "code")
    m = re.search(r"ImageUpload\(size=(\d+)\)", code)
    assert m and "stepper(upload.image" in code, "lesson 02 no longer has the upload stepper"
    side = int(m[1]) - 3 + 1  # a 3x3 detector at stride 1
    n = side * side
    assert n > 400  # too many steps for a flipbook: live frames from the kernel

    since = lesson.console.mark()
    steppers = lesson.page.locator(".conv-lesson-stepper")
    assert steppers.count() == 3  # the face's, draw-your-own's, and the upload's (the last one)
    ui = StepperUI(lesson.page, steppers.nth(2))
    ui.root.scroll_into_view_if_needed()
    st = ui.state()
    assert st["mode"] == "live", st
    assert st["status"].startswith(f"step 1 of {n} · window at row 0, column 0 · "), st
    ui.press("ArrowRight")
    st2 = ui.wait_status(f"step 2 of {n} · window at row 0, column 1 · feature map cell (0, 1) = ")
    assert st2["src"] != st["src"] and st2["dataStep"] == "2" and st2["slider"] == 2
    ui.press("End", target=ui.figure)
    last = side - 1
    st3 = ui.wait_status(
        f"step {n} of {n} · window at row {last}, column {last} · "
        f"feature map cell ({last}, {last}) = ", timeout=20_000,
    )  # fmt: skip
    assert st3["src"] not in (st["src"], st2["src"]) and st3["dataStep"] == str(n)
    assert STATUS_RE.fullmatch(st3["status"]), st3["status"]
    assert not st3["error"]
    wait_heard(lesson.page, ui.root, st3["status"])  # a live frame is announced like a flipbook's
    _no_new_problems(lesson, since, "problems while stepping the live stepper")
