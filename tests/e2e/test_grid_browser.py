"""The editable grid (``draw_your_own``) in a real browser: click, drag and keyboard draw; the map follows.

One small notebook (written here, not a lesson) runs once for the module; the tests then
draw on the image grid and type into the detector grid like a student, and read the
stepper's status line under the picture. Every expected value is computed here with
:func:`scipy.signal.correlate2d` on the drawing as the test made it, never with
``conv_lesson``.

The tests share one drawing and run in any order, so each starts from what the others left
(``Grid.image``/``Grid.detector`` follow every change) and waits until the map has followed a
change before it steps (``Grid.changing``).

* ``test_click_toggles_a_cell_and_the_map_follows``: a click inks a cell (``aria-pressed``),
  the stepper keeps its step and its status shows the new value; a second click clears it.
* ``test_drag_paints_every_cell_passed_over``: press on a cell, move across a row, release:
  every cell passed over gets ink, sent to the kernel once; the map at every step of that
  part agrees.
* ``test_keyboard_moves_a_visible_focus_and_toggles``: arrow keys move the focus cell (drawn
  with a solid outline), Space and Enter toggle it; JupyterLab's own shortcuts do not fire.
* ``test_typed_detector_number_changes_the_map``: a number typed into the detector grid.
* ``test_finish_row_and_finish_map_buttons``: the stepper's new buttons, in the browser.
* ``test_tab_goes_through_drawing_detector_and_stepper_then_out``: the keyboard alone, in reading order,
  a focus ring on each stop, and out of the widget.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jupyter_browser as jb
import keyboard
import numpy as np
import pytest
from lesson_checks import SEED_DETECTOR, SEED_IMAGE, StepperUI

pytestmark = [pytest.mark.timeout(300), pytest.mark.keep_kernels]  # the fixture cleans up

NOTEBOOK = "e2e_grid.ipynb"
CELLS = [
    ("markdown", "# Draw your own\nDriven by tests/e2e/test_grid_browser.py."),
    ("code", "from conv_lesson import draw_your_own\nw = draw_your_own()\nw"),
]


@dataclass
class Grid:
    page: Any
    console: jb.ConsoleLog
    root: Any
    stepper: StepperUI
    image: np.ndarray  # the drawing as the tests left it
    detector: np.ndarray

    def cell(self, r: int, c: int):
        return self.root.locator(f'.conv-lesson-grid-cell[data-row="{r}"][data-col="{c}"]')

    def pressed(self) -> np.ndarray:
        """The drawing as the page shows it (aria-pressed of every cell)."""
        flags = self.root.locator(".conv-lesson-grid-cell").evaluate_all(
            "cells => cells.map(c => [Number(c.dataset.row), Number(c.dataset.col), c.getAttribute('aria-pressed')])"
        )
        out = np.zeros(SEED_IMAGE.shape, dtype=int)
        for r, c, flag in flags:
            out[r, c] = flag == "true"
        return out

    def expected_status(self, k: int) -> str:
        from scipy.signal import correlate2d

        fm = correlate2d(self.image, self.detector, mode="valid")
        i, j = divmod(k - 1, fm.shape[1])
        value = fm[i, j]
        text = str(int(value)) if float(value).is_integer() else f"{value:g}"
        return f"step {k} of {fm.size} · window at row {i}, column {j} · feature map cell ({i}, {j}) = {text}"

    def expected_products(self, k: int) -> str:
        """The arithmetic line's products at step ``k`` (window × detector, cell by cell, row by row)."""
        cols = self.image.shape[1] - self.detector.shape[1] + 1
        i, j = divmod(k - 1, cols)
        window = self.image[i : i + self.detector.shape[0], j : j + self.detector.shape[1]]
        return " + ".join(f"{a}×{b}" for a, b in zip(window.ravel(), self.detector.ravel()))

    def wait_map(self, k: int) -> None:
        """Wait until the stepper shows step ``k`` of the map of the drawing and detector as they are now:
        its status line and the products of its arithmetic line (a value alone may not change)."""
        expected = self.expected_status(k)
        try:
            self.page.wait_for_function(
                "([root, text, products]) => {"
                " const s = root.querySelector('.conv-lesson-stepper .conv-lesson-status');"
                " const a = root.querySelector('.conv-lesson-stepper .conv-lesson-arithmetic');"
                " return !!s && s.textContent.trim() === text"
                "   && !!a && a.textContent.trim().startsWith(products + ' = '); }",
                arg=[self.root.element_handle(), expected, self.expected_products(k)],
                timeout=15_000,
            )
        except Exception as exc:
            raise AssertionError(f"expected {expected!r}; the page shows {self.stepper.state()['status']!r}") from exc

    @contextmanager
    def changing(self):
        """Around a change of the drawing or the detector (and of ``image``/``detector`` to match): then
        wait until the stepper was rebuilt.

        A change rebuilds the stepper in the kernel, which sends new frames; the tests wait for
        the new picture (the drawing and the detector are in it) and the map at the step shown
        before they step, so every step they check is one of the new map. (The step itself stays
        where the browser has it: ``test_click_toggles_a_cell_and_the_map_follows``.)
        (The tests share one drawing and run in any order: each starts from what the others left.)
        """
        src = self.stepper.state()["src"]
        yield
        self.page.wait_for_function(
            "([root, src]) => root.querySelector('.conv-lesson-stepper img.conv-lesson-frame').src !== src",
            arg=[self.root.element_handle(), src],
            timeout=15_000,
        )
        self.wait_map(int(self.stepper.state()["dataStep"]))

    def value(self, k: int) -> float:
        """The value of map cell ``k`` for the drawing and detector as the test made them (scipy)."""
        return float(self.expected_status(k).rsplit("= ", 1)[1])


@pytest.fixture(scope="module")
def grid(browser, lab_server):
    context, page, console, path = jb.new_notebook_page(browser, lab_server, NOTEBOOK, CELLS)
    try:
        problems = jb.run_notebook(page, lab_server, path, console)
        assert problems == [], "\n".join(problems)
        root = page.locator(".conv-lesson-draw-your-own")
        assert root.count() == 1
        g = Grid(page, console, root, StepperUI(page, root.locator(".conv-lesson-stepper")),
                 SEED_IMAGE.copy(), SEED_DETECTOR.copy())  # fmt: skip
        assert (g.pressed() == SEED_IMAGE).all(), "the grid does not show the face"
        g.root.scroll_into_view_if_needed()
    except BaseException:
        print(f"screenshot of the failed setup: {jb.screenshot(page, 'FAILED-grid-fixture')}")
        context.close()
        raise
    yield g
    context.close()
    lab_server.shutdown_all_sessions()


def _no_problems(g: Grid, since: int) -> None:
    errors = g.console.errors(since)
    assert errors == [], "\n".join(map(str, errors))
    assert jb.collect_problems(g.page, wait_widgets=0) == []
    assert g.stepper.state()["error"] in ("", None)


def test_click_toggles_a_cell_and_the_map_follows(grid):
    since = grid.console.mark()
    grid.stepper.press("Home", target=grid.stepper.figure)
    grid.wait_map(1)
    for step in (2, 3):  # one key at a time: this test is about the grid, not about fast keys
        grid.stepper.press("ArrowRight")
        grid.wait_map(step)
    before, ink = grid.value(3), grid.image[0, 4]
    grid.cell(0, 4).click()  # under the detector's top-right cell in the third window
    grid.image[0, 4] = 1 - ink
    assert grid.cell(0, 4).get_attribute("aria-pressed") == ("true" if ink == 0 else "false")
    grid.wait_map(3)
    assert grid.value(3) - before == (1 - 2 * ink) * grid.detector[0, 2] != 0  # the click changed this cell
    assert grid.stepper.state()["slider"] == 3, "the step moved"
    grid.cell(0, 4).click()
    grid.image[0, 4] = ink
    assert grid.cell(0, 4).get_attribute("aria-pressed") == ("true" if ink else "false")
    grid.wait_map(3)
    assert grid.value(3) == before
    jb.screenshot(grid.page, "grid_after_click", locator=grid.root)
    _no_problems(grid, since)


def test_drag_paints_every_cell_passed_over(grid):
    since = grid.console.mark()
    page = grid.page
    # another test may have scrolled the notebook (tests run in any order): bring the row into view and
    # wait until the points the mouse will press and release are on those cells, not on what covers them
    first, last = grid.cell(6, 0), grid.cell(6, 6)
    first.scroll_into_view_if_needed()
    last.scroll_into_view_if_needed()
    start, end = first.bounding_box(), last.bounding_box()
    for box, col in ((start, 0), (end, 6)):
        page.wait_for_function(
            "([x, y, col]) => { const e = document.elementFromPoint(x, y)?.closest('.conv-lesson-grid-cell');"
            " return !!e && e.dataset.row === '6' && e.dataset.col === String(col); }",
            arg=[box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, col],
            timeout=15_000,
        )
    with grid.changing():
        page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
        page.mouse.down()
        page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=14)
        page.mouse.up()
        grid.image[6, :] = 1
    assert (grid.pressed() == grid.image).all(), grid.pressed()
    # the last row of windows (steps 21-25) sees row 6 under the detector's bottom row (0, 1, 1)
    grid.stepper.press("End", target=grid.stepper.figure)
    grid.wait_map(25)
    for k in range(24, 20, -1):
        grid.stepper.press("ArrowLeft", target=grid.stepper.figure)
        grid.wait_map(k)
    jb.screenshot(grid.page, "grid_after_drag", locator=grid.root)
    _no_problems(grid, since)


def test_keyboard_moves_a_visible_focus_and_toggles(grid):
    since = grid.console.mark()
    value_before = grid.value(1)
    ink = grid.image[2, 2]
    grid.cell(0, 0).focus()
    before = grid.pressed()
    for key in ("ArrowDown", "ArrowDown", "ArrowRight", "ArrowRight", "ArrowRight"):
        grid.page.keyboard.press(key)
    focused = grid.page.evaluate(
        "() => { const a = document.activeElement; const s = getComputedStyle(a);"
        " return [a.dataset.row, a.dataset.col, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert focused[:2] == ["2", "3"], focused
    assert focused[2] == "solid" and focused[3] >= 2, f"no visible focus: {focused}"
    assert (grid.pressed() == before).all(), "moving the focus changed the drawing"
    with grid.changing():
        grid.page.keyboard.press("Space")
        grid.image[2, 3] = 1 - grid.image[2, 3]
        assert grid.cell(2, 3).get_attribute("aria-pressed") == ("true" if grid.image[2, 3] else "false")
    with grid.changing():
        grid.page.keyboard.press("ArrowLeft")
        grid.page.keyboard.press("Enter")
        grid.image[2, 2] = 1 - ink
    assert (grid.pressed() == grid.image).all(), grid.pressed()
    # the window of step 1 covers rows 0-2, columns 0-2: (2, 2) lies under the detector's bottom-right cell
    grid.stepper.press("Home", target=grid.stepper.figure)
    grid.wait_map(1)
    assert grid.value(1) - value_before == (1 - 2 * ink) * grid.detector[2, 2] != 0
    assert jb.dialogs(grid.page) == [], "a JupyterLab shortcut fired"
    assert grid.page.locator(".jp-Notebook.jp-mod-editMode").count() == 0, "Enter put the notebook in edit mode"
    _no_problems(grid, since)


def test_typed_detector_number_changes_the_map(grid):
    since = grid.console.mark()
    box = grid.root.locator('.conv-lesson-grid-input[data-row="1"][data-col="1"]')  # the detector's centre
    number = 3 if grid.detector[1, 1] != 3 else 2
    with grid.changing():
        box.fill(str(number))
        box.press("Tab")
        grid.detector[1, 1] = number
    grid.stepper.press("Home", target=grid.stepper.figure)
    grid.wait_map(1)
    for _ in range(6):
        k = int(grid.stepper.state()["dataStep"]) + 1
        grid.stepper.press("ArrowRight", target=grid.stepper.figure)
        grid.wait_map(k)
    box.fill("")  # an empty entry goes back to the number
    box.press("Tab")
    assert box.input_value() == str(number)
    _no_problems(grid, since)


def test_finish_row_and_finish_map_buttons(grid):
    since = grid.console.mark()
    ui = grid.stepper
    ui.press("Home", target=ui.figure)
    grid.wait_map(1)
    ui.root.locator("button.conv-lesson-finish-row").click()
    grid.wait_map(5)
    ui.root.locator("button.conv-lesson-finish-row").click()
    grid.wait_map(10)
    ui.root.locator("button.conv-lesson-finish-map").click()
    grid.wait_map(25)
    st = ui.state()
    assert st["slider"] == 25 and st["nextDisabled"] == "true"
    assert ui.root.locator("button.conv-lesson-next").inner_text().strip() == "\u25b6| next"
    _no_problems(grid, since)


def test_tab_goes_through_drawing_detector_and_stepper_then_out(grid):
    """The keyboard alone: one Tab stop for the drawing (the arrows move inside it), then the detector's
    numbers in reading order, then the stepper's controls; each with a focus ring of at least 2 px and
    3:1 against what is behind it (the drawing's on its grey, dark and yellow cells); then out (no trap)."""
    since = grid.console.mark()
    found = keyboard.walk_into(grid.page, grid.root.element_handle(), limit=60)
    walk = found["walk"]
    assert keyboard.ring_problems(walk) == []
    assert keyboard.order_problems(walk) == []
    assert found["missed"] == []
    kinds = [next((k for k in ("grid-cell", "grid-input", "playpause") if f"conv-lesson-{k}" in w["cls"].split()),
                  w["cls"]) for w in walk]  # fmt: skip
    rows, cols = grid.detector.shape
    assert kinds[: 2 + rows * cols] == ["grid-cell"] + ["grid-input"] * (rows * cols) + ["playpause"], kinds
    inputs = [(w["y"], w["x"]) for w in walk[1 : 1 + rows * cols]]
    assert inputs == sorted(inputs), "the detector's numbers are not reached row by row"
    _no_problems(grid, since)
