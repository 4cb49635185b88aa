"""The editable grid (``draw_your_own``) in a real browser: click, drag and keyboard draw; the map follows.

One small notebook (written here, not a lesson) runs once for the module; the tests then
draw on the image grid and type into the detector grid like a student, and read the
stepper's status line under the picture. Every expected value is computed here with
:func:`scipy.signal.correlate2d` on the drawing as the test made it, never with
``conv_lesson``.

* ``test_click_toggles_a_cell_and_the_map_follows``: a click inks a cell (``aria-pressed``),
  the stepper keeps its step and its status shows the new value; a second click clears it.
* ``test_drag_paints_every_cell_passed_over``: press on a cell, move across a row, release:
  every cell passed over gets ink, sent to the kernel once; the map at every step of that
  part agrees.
* ``test_keyboard_moves_a_visible_focus_and_toggles``: arrow keys move the focus cell (drawn
  with a solid outline), Space and Enter toggle it; JupyterLab's own shortcuts do not fire.
* ``test_typed_detector_number_changes_the_map``: a number typed into the detector grid.
* ``test_finish_row_and_finish_map_buttons``: the stepper's new buttons, in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jupyter_browser as jb
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

    def wait_map(self, k: int) -> None:
        """Wait until the stepper shows step ``k`` of the map of the drawing and detector as they are now."""
        expected = self.expected_status(k)
        try:
            self.page.wait_for_function(
                "([root, text]) => { const s = root.querySelector('.conv-lesson-stepper .conv-lesson-status');"
                " return !!s && s.textContent.trim() === text; }",
                arg=[self.root.element_handle(), expected],
                timeout=15_000,
            )
        except Exception as exc:
            raise AssertionError(f"expected {expected!r}; the page shows {self.stepper.state()['status']!r}") from exc


@pytest.fixture(scope="module")
def grid(browser, lab_server):
    context, page, console = jb.new_notebook_page(browser, lab_server, NOTEBOOK, CELLS)
    try:
        problems = jb.run_notebook(page, lab_server, NOTEBOOK, console)
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
    for step in (2, 3):  # one key at a time: this test is about the grid, not about fast keys
        grid.stepper.press("ArrowRight")
        grid.wait_map(step)
    assert grid.expected_status(3).endswith("= 0")
    grid.cell(0, 4).click()  # under the detector's top-right 1 in the third window
    grid.image[0, 4] = 1
    assert grid.cell(0, 4).get_attribute("aria-pressed") == "true"
    grid.wait_map(3)
    assert grid.expected_status(3).endswith("= 1")
    assert grid.stepper.state()["slider"] == 3, "the step moved"
    grid.cell(0, 4).click()
    grid.image[0, 4] = 0
    assert grid.cell(0, 4).get_attribute("aria-pressed") == "false"
    grid.wait_map(3)
    jb.screenshot(grid.page, "grid_after_click", locator=grid.root)
    _no_problems(grid, since)


def test_drag_paints_every_cell_passed_over(grid):
    since = grid.console.mark()
    start, end = grid.cell(6, 0).bounding_box(), grid.cell(6, 6).bounding_box()
    page = grid.page
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
    grid.page.keyboard.press("Space")
    grid.image[2, 3] = 1
    assert grid.cell(2, 3).get_attribute("aria-pressed") == "true"
    grid.page.keyboard.press("ArrowLeft")
    grid.page.keyboard.press("Enter")
    grid.image[2, 2] = 1
    assert (grid.pressed() == grid.image).all(), grid.pressed()
    # the window of step 1 covers rows 0-2, columns 0-2: it now holds the ink at (2, 2)
    grid.stepper.press("Home", target=grid.stepper.figure)
    grid.wait_map(1)
    assert grid.expected_status(1).endswith("= 1")  # (2, 2) under the detector's bottom-right 1: was 0
    assert jb.dialogs(grid.page) == [], "a JupyterLab shortcut fired"
    assert grid.page.locator(".jp-Notebook.jp-mod-editMode").count() == 0, "Enter put the notebook in edit mode"
    _no_problems(grid, since)


def test_typed_detector_number_changes_the_map(grid):
    since = grid.console.mark()
    box = grid.root.locator('.conv-lesson-grid-input[data-row="1"][data-col="1"]')  # the detector's centre
    box.fill("3")
    box.press("Tab")
    grid.detector[1, 1] = 3
    grid.stepper.press("Home", target=grid.stepper.figure)
    grid.wait_map(1)
    for _ in range(6):
        k = int(grid.stepper.state()["dataStep"]) + 1
        grid.stepper.press("ArrowRight", target=grid.stepper.figure)
        grid.wait_map(k)
    box.fill("")  # an empty entry goes back to the number
    box.press("Tab")
    assert box.input_value() == "3"
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
    assert ui.root.locator("button.conv-lesson-next").inner_text().strip() == "next \u25b6|"
    _no_problems(grid, since)
