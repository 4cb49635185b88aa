"""The stepper in a real browser, on a small notebook written here (not the lessons).

One notebook run serves the whole module (fixture ``flipbook``): the seed stepper at scale
1.0 and at scale 1.6, then Kernel -> Shut Down Kernel (``kernelmenu:shutdown``), checked
with the REST API.  Every test below therefore runs with NO kernel: what works proves that
the picture, the step slider, Play, the speed slider and the previous/next buttons are
wired together in the browser (the flipbook's jslinks and the widgets' own JavaScript),
not through Python.  Values are checked against ``lesson_checks`` (scipy), never against
``conv_lesson``.

* ``test_notebook_ran_then_kernel_shut_down``: the kernel imported ``conv_lesson`` from
  this working tree, and it is gone.
* ``test_flipbook_keeps_stepping_after_kernel_shutdown``: slider, buttons, keys on the
  picture and Play step; status, arithmetic, picture, slider and buttons agree.
* ``test_picture_is_keyboard_focusable``: Tab from the last control reaches the picture
  (``div.conv-lesson-figure``), which takes focus and steps with ←/→/Home/End, moving the
  step slider too.
* ``test_prev_next_are_real_buttons``: ``<button type="button">`` elements that step on a
  click and on Enter/Space, ``aria-disabled="true"`` at the ends, where they do nothing.
* ``test_step_slider_moves_picture_and_buttons``: the slider's keys move the picture and
  the buttons' state.
* ``test_play_moves_slider_and_picture_at_the_speed_set``: Play moves slider and picture
  together, the speed slider makes it faster, it stops by itself at the last step.
* ``test_presenter_scale_in_presentation_mode``: scale 1.6 next to 1.0 in JupyterLab's
  Presentation Mode at 1280x720: frames drawn about 1.6x larger, the picture wider on
  screen, the status text about 1.6x larger, nothing overflowing; screenshots
  ``build/screenshots/presentation_stepper_scale_*.png``.

The notebook goes into the root of the session's JupyterLab (a temp copy of
``notebooks/``), so no second server is started.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import axe
import jupyter_browser as jb
import keyboard
import pytest
from lesson_checks import (
    SEED_DETECTOR,
    SEED_IMAGE,
    StepperUI,
    changed_columns,
    check_played,
    play_intervals,
    seed_feature_map,
    seed_step,
)
from site_pages import wait_heard

pytestmark = [pytest.mark.timeout(300), pytest.mark.keep_kernels]  # the fixture cleans up

#: Every name the notebook takes from the package, in one place.
IMPORTS = "from conv_lesson import face_detector, face_image, stepper"
#: The presenter scale under test (an input of this test, not a copied constant).
SCALE = 1.6

#: ipywidgets logs this on every change once the kernel is gone (only whitelisted here).
NO_KERNEL_SYNC = "Could not send widget sync message"

NOTEBOOK = "e2e_flipbook.ipynb"
CELLS = [
    ("markdown", "# The seed stepper, twice\nIts kernel is shut down by the test."),
    ("code", "import conv_lesson\nprint(conv_lesson.__file__)"),
    ("code", f"{IMPORTS}\ns = stepper(face_image(), face_detector())\ns"),
    ("code", f"big = stepper(face_image(), face_detector(), scale={SCALE})\nbig"),
]


@dataclass
class Flipbook:
    page: Any
    console: jb.ConsoleLog
    server: jb.LabServer
    normal: StepperUI
    big: StepperUI
    package_file: str
    kernels_after_shutdown: list


@pytest.fixture(scope="module")
def flipbook(browser, lab_server):
    """The notebook run once, its kernel shut down; one page for the module's tests."""
    context, page, console, path = jb.new_notebook_page(browser, lab_server, NOTEBOOK, CELLS)
    try:
        problems = jb.run_notebook(page, lab_server, path, console)
        assert problems == [], "\n".join(problems)
        state = jb.notebook_state(page)
        printed = "".join(
            "".join(o.get("text") or "") for o in state["cells"][1]["outputs"] if o.get("name") == "stdout"
        )
        steppers = page.locator(".conv-lesson-stepper")
        assert steppers.count() == 2
        fb = Flipbook(
            page, console, lab_server, StepperUI(page, steppers.nth(0)), StepperUI(page, steppers.nth(1)),
            printed.strip(), [],
        )  # fmt: skip
        for ui in (fb.normal, fb.big):
            assert ui.state()["mode"] == "flipbook"
        jb.shutdown_kernel(page, lab_server)  # the Kernel menu's "Shut Down Kernel" command
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return !(w.sessionContext.session && w.sessionContext.session.kernel); }",
            timeout=20_000,
        )
        fb.kernels_after_shutdown = lab_server.api("GET", "/api/kernels")
    except BaseException:
        try:
            print(f"screenshot of the failed setup: {jb.screenshot(page, 'FAILED-flipbook-fixture')}")
        except Exception as exc:  # noqa: BLE001 - best effort, the setup error is what matters
            print(f"(no failure screenshot: {exc})")
        context.close()
        raise
    yield fb
    context.close()
    lab_server.shutdown_all_sessions()


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request):
    """The ``page`` fixture's failure screenshot, for the module's shared page."""
    yield
    rep = getattr(request.node, "_conv_rep_call", None)
    if rep is None or not rep.failed or "flipbook" not in request.fixturenames:
        return
    fb = request.getfixturevalue("flipbook")
    from playwright.sync_api import Error as PlaywrightError

    try:
        print(f"screenshot of the failed test: {jb.screenshot(fb.page, 'FAILED-' + request.node.name)}")
    except (PlaywrightError, OSError) as exc:
        print(f"(no failure screenshot: {exc})")
    for msg in fb.console.messages:
        print(f"browser {msg}")


def _check_step(st: dict, k: int) -> None:
    """Picture, text, step slider and buttons all show step ``k`` of the seed stepper."""
    exp = seed_step(k)
    assert st["status"] == exp["status"]
    assert st["arithmetic"].startswith(exp["products"] + " · "), st["arithmetic"]
    assert st["dataStep"] == str(k)
    assert st["slider"] == k, "the step slider does not show the picture's step"
    assert st["sliderMax"] == exp["n_steps"]
    assert st["prevDisabled"] == ("true" if k == 1 else "false")
    assert st["nextDisabled"] == ("true" if k == exp["n_steps"] else "false")
    assert st["complete"], "the <img> did not load"


def _no_new_problems(fb: Flipbook, since: int) -> None:
    """Nothing broke; the only complaint allowed: ipywidgets cannot sync to the gone kernel."""
    errors = [m for m in fb.console.errors(since) if NO_KERNEL_SYNC not in m.text]
    assert errors == [], "\n".join(map(str, errors))
    problems = jb.collect_problems(fb.page, wait_widgets=0)
    assert problems == [], "\n".join(problems)
    assert fb.server.api("GET", "/api/kernels") == [], "something started a kernel again"


def _start(ui: StepperUI) -> dict:
    ui.root.scroll_into_view_if_needed()
    st = ui.go_to_step_1()
    _check_step(st, 1)
    return st


def test_notebook_ran_then_kernel_shut_down(flipbook):
    # the kernel imported the package from this working tree, not from another checkout
    assert Path(flipbook.package_file).resolve().is_relative_to(jb.REPO_ROOT), flipbook.package_file
    assert flipbook.kernels_after_shutdown == [], "a kernel is still running"
    assert jb.current_kernel_id(flipbook.page) is None
    assert jb.dialogs(flipbook.page) == []


def test_flipbook_keeps_stepping_after_kernel_shutdown(flipbook):
    ui, since = flipbook.normal, flipbook.console.mark()
    srcs = [_start(ui)["src"]]
    # the step slider
    ui.press("ArrowRight", times=3)
    st = ui.wait_status("step 4 of 25 ")
    _check_step(st, 4)
    srcs.append(st["src"])
    # the buttons
    ui.next.click()
    st = ui.wait_status("step 5 of 25 ")
    _check_step(st, 5)
    srcs.append(st["src"])
    ui.prev.click()
    ui.prev.click()
    st = ui.wait_status("step 3 of 25 ")
    _check_step(st, 3)
    srcs.append(st["src"])
    # the keys on the picture
    ui.press("End", target=ui.figure)
    st = ui.wait_status("step 25 of 25 ")
    _check_step(st, 25)
    srcs.append(st["src"])
    ui.press("Home", target=ui.figure)
    st = ui.wait_status("step 1 of 25 ")
    _check_step(st, 1)
    assert st["src"] == srcs[0]  # the same frame as before
    assert len(set(srcs)) == len(srcs), "a step showed another step's picture"
    cols = changed_columns(srcs[0], srcs[1])
    assert (cols < 0.45).any() and (cols > 0.65).any(), "window and map should both move"
    # Play
    ui.play_button.click()
    try:
        ui.wait_data_step("s >= 3", timeout=20_000)
    finally:
        ui.play_button.click()
    jb.wait_attribute(ui.play_button, "aria-pressed", "false")  # paused: the button says play again
    st = ui.state()
    _check_step(st, int(st["dataStep"]))
    _no_new_problems(flipbook, since)
    jb.screenshot(flipbook.page, "stepper_after_kernel_shutdown", locator=ui.root)


def test_the_keys_are_said_on_screen_and_space_plays_and_pauses(flipbook):
    """A line under the picture, at the lesson's text size, says which keys the picture takes; Space on
    the picture is the play button (play, then pause), and does not scroll the notebook."""
    ui, since = flipbook.normal, flipbook.console.mark()
    page = ui.page
    _start(ui)
    keys = ui.root.locator(".conv-lesson-keys")
    assert keys.is_visible()
    text = keys.inner_text()
    for key in ("\u2190", "\u2192", "Home", "End", "Space", "A"):
        assert key in text, text
    size, lesson = keys.evaluate(
        "(e) => [parseFloat(getComputedStyle(e).fontSize),"
        " parseFloat(getComputedStyle(e).getPropertyValue('--jp-content-font-size1'))]"
    )
    assert size >= lesson > 0, (size, lesson)
    ui.figure.focus()
    scroll = page.evaluate("() => document.querySelector('.jp-WindowedPanel-outer, .jp-Notebook').scrollTop")
    page.keyboard.press("Space")
    jb.wait_attribute(ui.play_button, "aria-pressed", "true")
    ui.wait_data_step("s >= 3", timeout=20_000)
    page.keyboard.press("Space")
    jb.wait_attribute(ui.play_button, "aria-pressed", "false")
    assert page.evaluate("(fig) => document.activeElement === fig", ui.figure.element_handle())
    after = page.evaluate("() => document.querySelector('.jp-WindowedPanel-outer, .jp-Notebook').scrollTop")
    assert after == scroll, "Space scrolled the notebook"
    _no_new_problems(flipbook, since)


def test_picture_is_keyboard_focusable(flipbook):
    ui, since = flipbook.normal, flipbook.console.mark()
    page = ui.page
    _start(ui)
    assert ui.figure.get_attribute("tabindex") == "0"
    # Tab from the stride slider (the last control row) reaches the picture within a few
    # presses (the slider's editable readout comes first)
    fig = ui.figure.element_handle()
    ui.stride_handle.focus()
    path = []
    for _ in range(4):
        page.keyboard.press("Tab")
        path.append(page.evaluate("() => document.activeElement.className"))
        if page.evaluate("(fig) => document.activeElement === fig", fig):
            break
    assert path[-1] == "conv-lesson-figure", f"Tab went through {path}, never to the picture"
    ui.record()
    for key, k in [("ArrowRight", 2), ("ArrowRight", 3), ("End", 25), ("ArrowLeft", 24), ("Home", 1)]:
        page.keyboard.press(key)  # to the focused element: the picture
        st = ui.wait_status(f"step {k} of 25 ")
        _check_step(st, k)  # the step slider moved with the picture
        assert page.evaluate("(fig) => document.activeElement === fig", fig)
    rec = ui.recorded(stop=True)
    assert [(f["step"], f["slider"]) for f in rec["frames"]] == [
        ("2", 2), ("3", 3), ("25", 25), ("24", 24), ("1", 1),
    ]  # fmt: skip
    assert all(k["handled"] for k in rec["keys"]), rec["keys"]  # not scrolling the notebook
    # a screen reader is told where the keys went, in words (the step it stopped at: step 1), and the
    # arithmetic when it asks: A on the picture
    st = ui.state()
    assert wait_heard(page, ui.root, st["status"]).startswith("step 1 of 25, window at row 0, column 0, ")
    page.keyboard.press("a")
    assert wait_heard(page, ui.root, st["arithmetic"]).startswith(seed_step(1)["products"])  # computed by scipy
    _no_new_problems(flipbook, since)


def test_tab_reaches_every_control_in_order_with_a_focus_ring_and_leaves(flipbook):
    """The keyboard alone: Tab goes through the stepper's controls in the order they are seen (buttons,
    then the sliders row by row, then the picture and its tables button), each with a focus ring of
    at least 2 px and 3:1 against what is behind it, and Tab leaves the stepper (no trap)."""
    ui, since = flipbook.normal, flipbook.console.mark()
    page = ui.page
    _start(ui)
    ui.play_button.focus()
    page.keyboard.press("Shift+Tab")  # from just before the stepper, by the keyboard (so :focus-visible applies)
    walk = keyboard.tab_through(page, ui.root.element_handle(), limit=30)  # raises if Tab never leaves
    assert keyboard.ring_problems(walk) == []
    assert keyboard.order_problems(walk) == []
    order = [f["cls"] for f in walk]
    names = ["playpause", "loop", "prev", "next", "finish-row", "finish-map", "step", "speed", "stride", "figure",
             "tables-toggle"]  # fmt: skip
    found = [next((n for n in names if f"conv-lesson-{n}" in cls.split()), cls) for cls in order]
    assert found == names, order
    _no_new_problems(flipbook, since)


_JS_TABLE = """(table) => [...table.querySelectorAll('tr')].slice(1)
  .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()))"""


def test_the_numbers_read_as_tables_cell_by_cell(flipbook):
    """One button under the picture shows the window, the detector and the feature map so far as
    real tables (captions, row and column headers), the cell of this step marked in words; values
    computed here with scipy. Kernel-less: the tables step with the picture."""
    ui, since = flipbook.normal, flipbook.console.mark()
    page = ui.page
    _start(ui)
    toggle = ui.root.get_by_role("button", name="numbers as a table", exact=True)
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    jb.wait_attribute(toggle, "aria-expanded", "true")
    fm = seed_feature_map()
    for k in (7, 8):  # step 7 (row 1, column 1), then one more: the tables step with the picture
        ui.press("ArrowRight", 6 if k == 7 else 1, target=ui.figure)
        ui.wait_status(f"step {k} of 25 ")
        i, j = divmod(k - 1, fm.shape[1])
        table = ui.root.get_by_role("table", name=f"feature map so far (cell ({i}, {j}) is this step's)")
        table.wait_for()
        want = [
            [f"{fm[r, c]} (this step)" if (r, c) == (i, j) else (str(fm[r, c]) if r * 5 + c < k else "not yet")
             for c in range(5)]
            for r in range(5)
        ]  # fmt: skip
        assert table.evaluate(_JS_TABLE) == want
        headers = table.get_by_role("columnheader").all_inner_texts()
        assert headers == [f"column {c}" for c in range(5)], headers
        window = ui.root.get_by_role("table", name=f"image window at step {k} (under the detector)")
        assert window.evaluate(_JS_TABLE) == [[str(v) for v in row] for row in SEED_IMAGE[i : i + 3, j : j + 3]]
        detector = ui.root.get_by_role("table", name="detector", exact=True)
        assert detector.evaluate(_JS_TABLE) == [[str(v) for v in row] for row in SEED_DETECTOR]
    axe.check("a stepper with its numbers as tables", axe.run(page, [".conv-lesson-stepper"]))
    toggle.click()
    jb.wait_attribute(toggle, "aria-expanded", "false")
    assert ui.root.locator(".conv-lesson-tables-view").is_hidden()
    _no_new_problems(flipbook, since)


_JS_BUTTON = """(b) => ({tag: b.tagName, type: b.getAttribute('type'), label: b.getAttribute('aria-label'),
                         title: b.title,
                         disabled: b.getAttribute('aria-disabled'), opacity: getComputedStyle(b).opacity,
                         text: b.innerText.trim()})"""


def test_prev_next_are_real_buttons(flipbook):
    ui, since = flipbook.normal, flipbook.console.mark()
    page = ui.page
    _start(ui)
    prev, nxt = ui.prev.evaluate(_JS_BUTTON), ui.next.evaluate(_JS_BUTTON)
    for b in (prev, nxt):
        assert (b["tag"], b["type"]) == ("BUTTON", "button"), b  # a real button, never "submit"
        assert b["title"], b  # says more, on hover and as the description
    # what a person sees: each button says what it does in a word, named by that word (its symbol is
    # hidden from screen readers), and ▶| next looks unlike ▶ play
    play, loop = ui.play_button.evaluate(_JS_BUTTON), ui.root.locator("button.conv-lesson-loop").evaluate(_JS_BUTTON)
    assert (play["text"], loop["text"], prev["text"], nxt["text"]) == ("▶ play", "⟳ loop", "|◀ back", "▶| next")
    for css, name in (("playpause", "play"), ("loop", "loop"), ("prev", "back"), ("next", "next")):
        named = ui.root.get_by_role("button", name=name, exact=True)  # the browser's own accessible name
        assert named.count() == 1 and "conv-lesson-" + css in named.get_attribute("class"), name
    for css, text in (("finish-row", "finish row"), ("finish-map", "finish map")):
        assert ui.root.locator(f"button.conv-lesson-{css}").inner_text().strip() == text
    # at the first step "previous" looks disabled and does nothing; "next" does not
    assert prev["disabled"] == "true" and nxt["disabled"] == "false"
    assert float(prev["opacity"]) < float(nxt["opacity"])
    ui.record()
    ui.prev.click(force=True)  # force: Playwright will not click an aria-disabled element
    ui.next.click()  # the positive signal: step 2, and nothing before it
    _check_step(ui.wait_status("step 2 of 25 "), 2)
    assert [f["step"] for f in ui.recorded()["frames"]] == ["2"]
    # a button works from the keyboard like any <button>: Enter and Space click it
    ui.next.focus()
    page.keyboard.press("Enter")
    _check_step(ui.wait_status("step 3 of 25 "), 3)
    page.keyboard.press(" ")
    _check_step(ui.wait_status("step 4 of 25 "), 4)
    ui.prev.focus()
    page.keyboard.press("Enter")
    _check_step(ui.wait_status("step 3 of 25 "), 3)
    # at the last step "next" looks disabled and does nothing
    ui.press("End", target=ui.figure)
    _check_step(ui.wait_status("step 25 of 25 "), 25)
    assert ui.next.evaluate(_JS_BUTTON)["disabled"] == "true"
    ui.record()
    ui.next.click(force=True)
    ui.prev.click()
    _check_step(ui.wait_status("step 24 of 25 "), 24)
    assert [f["step"] for f in ui.recorded(stop=True)["frames"]] == ["24"]
    _no_new_problems(flipbook, since)


def test_step_slider_moves_picture_and_buttons(flipbook):
    ui, since = flipbook.normal, flipbook.console.mark()
    _start(ui)
    ui.press("ArrowRight")  # focuses the slider's handle
    _check_step(ui.wait_status("step 2 of 25 "), 2)  # prev is enabled now
    ui.press("End")
    _check_step(ui.wait_status("step 25 of 25 "), 25)  # next is disabled
    ui.press("ArrowLeft")
    _check_step(ui.wait_status("step 24 of 25 "), 24)
    ui.press("Home")
    _check_step(ui.wait_status("step 1 of 25 "), 1)
    _no_new_problems(flipbook, since)


def test_play_moves_slider_and_picture_at_the_speed_set(flipbook):
    ui, since = flipbook.normal, flipbook.console.mark()
    play = ui.play_button
    _start(ui)
    slow_speed = ui.speed()
    # at the default speed, for a few steps
    ui.record()
    ui.play_button.click()
    try:
        ui.wait_data_step("s >= 4", timeout=20_000)
    finally:
        ui.play_button.click()
    jb.wait_attribute(play, "aria-pressed", "false")
    slow_rec = ui.recorded(stop=True)
    slow = slow_rec["frames"]
    st = ui.state()
    _check_step(st, int(st["dataStep"]))
    steps = [int(f["step"]) for f in slow]
    check_played(slow_rec, slow_speed, 2, steps[-1])
    assert [f["slider"] for f in slow] == steps, "the step slider did not follow Play"

    # faster: the speed slider's End key (its maximum), in the browser
    ui.press("End", target=ui.root.locator(".conv-lesson-speed input[type=range]"))
    ui.page.wait_for_function(
        "([root, v]) => Number(root.querySelector('.conv-lesson-speed output').textContent) > v",
        arg=[ui.root.element_handle(), slow_speed],
    )
    fast_speed = ui.speed()
    ui.record()
    # what a screen reader is told while it plays: each change of the live region, with its time
    ui.root.evaluate(
        "(root) => { const live = root.querySelector('.conv-lesson-announce'); root.__heard = [];"
        " new MutationObserver(() => root.__heard.push([performance.now(), live.textContent]))"
        ".observe(live, {childList: true, characterData: true, subtree: true}); }"
    )
    ui.play_button.click()  # plays to the end and stops there by itself
    ui.wait_data_step("s === 25", timeout=20_000)
    jb.wait_attribute(play, "aria-pressed", "false")
    wait_heard(ui.page, ui.root, seed_step(25)["status"])  # the step it stopped at, always
    heard = ui.root.evaluate("(root) => root.__heard")
    gaps = [b[0] - a[0] for a, b in zip(heard, heard[1:])]
    assert len(heard) < 10 and all(g >= 950 for g in gaps), heard  # 24 steps in ~1.2 s: not 24 announcements
    fast_rec = ui.recorded(stop=True)
    fast = fast_rec["frames"]
    steps = [int(f["step"]) for f in fast]
    assert steps[0] <= int(st["dataStep"]) + 1, steps
    check_played(fast_rec, fast_speed, steps[0], 25)
    assert [f["slider"] for f in fast] == steps, "the step slider did not follow Play"
    _check_step(ui.state(), 25)  # next is disabled at the end
    slow_ms = statistics.median(play_intervals(slow))
    fast_ms = statistics.median(play_intervals(fast))
    print(f"speed {slow_speed}/s: {slow_ms:.0f} ms per step; speed {fast_speed}/s: {fast_ms:.0f} ms")
    assert fast_ms < 0.5 * slow_ms, (slow_ms, fast_ms)  # the speed slider reached Play
    _no_new_problems(flipbook, since)


_JS_MEASURE = """
(root) => {
  const img = root.querySelector('img.conv-lesson-frame');
  const status = root.querySelector('.conv-lesson-status');
  const b = img.getBoundingClientRect();
  return {width: b.width, height: b.height, natural: img.naturalWidth,
          font: parseFloat(getComputedStyle(status).fontSize)};
}
"""


def test_presenter_scale_in_presentation_mode(flipbook):
    page, since = flipbook.page, flipbook.console.mark()
    normal, big = flipbook.normal, flipbook.big
    jb.set_presentation_mode(page, True, collapse_sidebars=True)
    try:
        assert page.viewport_size == jb.VIEWPORT
        assert page.locator("#main.jp-mod-presentationMode").count() == 1
        _start(normal)
        _start(big)

        # step the big one, as a presenter would, then show it on screen
        big.press("ArrowRight", times=2)
        _check_step(big.wait_status("step 3 of 25 "), 3)
        big.root.scroll_into_view_if_needed()
        jb.wait_stable(page, big.root)  # on screen, not moving, picture loaded (was 300 ms)
        shot = jb.screenshot(page, "presentation_stepper_scale_1.6")
        assert shot.stat().st_size > 20_000
        jb.screenshot(page, "presentation_stepper_scale_1.6_widget", locator=big.root)
        normal.root.scroll_into_view_if_needed()
        jb.wait_stable(page, normal.root)
        jb.screenshot(page, "presentation_stepper_scale_1.0")

        a = normal.root.evaluate(_JS_MEASURE)
        b = big.root.evaluate(_JS_MEASURE)
        print(f"scale 1.0: {a}\nscale {SCALE}: {b}")
        # relations, not copied pixel sizes: the frames are drawn about SCALE times larger,
        # shown larger on screen (as far as the notebook's width allows), the status text
        # is about SCALE times larger too
        assert b["natural"] / a["natural"] == pytest.approx(SCALE, rel=0.05), (a, b)
        assert b["width"] > a["width"] and b["height"] > a["height"], (a, b)
        assert b["font"] / a["font"] == pytest.approx(SCALE, rel=0.1), (a, b)
        # the big picture still fits the notebook (max-width: 100%), no horizontal overflow
        fits = big.root.evaluate(
            "(root) => { const img = root.querySelector('img.conv-lesson-frame');"
            " const cell = root.closest('.jp-Cell');"
            " return img.getBoundingClientRect().right <= cell.getBoundingClientRect().right + 1; }"
        )
        assert fits, f"the scale-{SCALE} picture overflows its cell"
    finally:
        jb.set_presentation_mode(page, False)
    _no_new_problems(flipbook, since)
