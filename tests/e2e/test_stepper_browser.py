"""The stepper in a real browser, on small notebooks written here (not the lessons).

* ``test_flipbook_keeps_stepping_after_kernel_shutdown``: run a notebook with the seed
  stepper, Kernel -> Shut Down Kernel (``kernelmenu:shutdown``), check with the REST API
  that no kernel is left, then the step slider (ArrowRight), the next/previous buttons,
  the keys on the picture and Play still step: status and picture advance, checked
  against values computed here with scipy.
* ``test_presenter_scale_in_presentation_mode``: ``stepper(..., scale=1.6)`` next to
  ``scale=1.0`` in JupyterLab's Presentation Mode at 1280x720: the picture is wider and
  the status text larger; screenshot ``build/screenshots/presentation_stepper_scale_1.6.png``.

The notebooks go into the root of the session's JupyterLab (a temp copy of
``notebooks/``), so no second server is started.
"""

from __future__ import annotations

import pytest

import jupyter_browser as jb
from lesson_checks import StepperUI, changed_columns, seed_step

pytestmark = [pytest.mark.timeout(300)]

IMPORTS = "from conv_lesson import seed_detector, seed_image, stepper"

#: ipywidgets logs this on every change once the kernel is gone (only whitelisted here).
NO_KERNEL_SYNC = "Could not send widget sync message"


def _check_step(st: dict, k: int) -> None:
    exp = seed_step(k)
    assert st["status"] == exp["status"]
    assert st["arithmetic"].startswith(exp["products"] + " · "), st["arithmetic"]
    assert st["dataStep"] == str(k)
    assert st["complete"], "the <img> did not load"


def test_flipbook_keeps_stepping_after_kernel_shutdown(lab_server, page, console_log):
    nb = "e2e_kernel_gone.ipynb"
    jb.write_notebook(
        lab_server.root_dir / nb,
        [
            ("markdown", "The seed stepper; its kernel is shut down by the test."),
            ("code", f"{IMPORTS}\ns = stepper(seed_image(), seed_detector())\ns"),
        ],
    )
    problems = jb.run_notebook(page, lab_server, nb, console_log)
    assert problems == [], "\n".join(problems)
    ui = StepperUI(page, page.locator(".conv-lesson-stepper").first)
    st = ui.state()
    assert st["mode"] == "flipbook"
    _check_step(st, 1)

    kernel_id = jb.current_kernel_id(page)
    assert kernel_id in {k["id"] for k in lab_server.api("GET", "/api/kernels")}
    since = console_log.mark()
    jb.shutdown_kernel(page, lab_server)  # the Kernel menu's "Shut Down Kernel" command
    assert lab_server.api("GET", "/api/kernels") == [], "a kernel is still running"
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return !(w.sessionContext.session && w.sessionContext.session.kernel); }",
        timeout=20_000,
    )
    assert jb.current_kernel_id(page) is None
    assert jb.dialogs(page) == []

    srcs = [st["src"]]
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
    assert st["src"] == srcs[0]  # the same frame as before the shutdown
    assert len(set(srcs)) == len(srcs), "a step showed another step's picture"
    cols = changed_columns(srcs[0], srcs[1])
    assert (cols < 0.45).any() and (cols > 0.65).any(), "window and map should both move"
    # Play
    ui.play_button.click()
    try:
        st = ui.wait_data_step("s >= 3", timeout=20_000)
    finally:
        ui.play_button.click()
    _check_step(ui.state(), int(ui.state()["dataStep"]))
    assert lab_server.api("GET", "/api/kernels") == []  # nothing restarted a kernel

    # the only complaint allowed: ipywidgets cannot sync to the (gone) kernel
    errors = [m for m in console_log.errors(since) if NO_KERNEL_SYNC not in m.text]
    assert errors == [], "\n".join(map(str, errors))
    problems = jb.collect_problems(page, wait_widgets=0)
    assert problems == [], "\n".join(problems)
    jb.screenshot(page, "stepper_after_kernel_shutdown", locator=ui.root)


_JS_MEASURE = """
(root) => {
  const img = root.querySelector('img.conv-lesson-frame');
  const status = root.querySelector('.conv-lesson-status');
  const b = img.getBoundingClientRect();
  return {width: b.width, height: b.height, natural: img.naturalWidth,
          font: parseFloat(getComputedStyle(status).fontSize)};
}
"""


def test_presenter_scale_in_presentation_mode(lab_server, page, console_log):
    nb = "e2e_presentation.ipynb"
    jb.write_notebook(
        lab_server.root_dir / nb,
        [
            ("markdown", "# Presenter scale\nThe seed stepper at scale 1.0, then at 1.6."),
            ("code", f"{IMPORTS}\nstepper(seed_image(), seed_detector())"),
            ("code", "stepper(seed_image(), seed_detector(), scale=1.6)"),
        ],
    )
    problems = jb.run_notebook(page, lab_server, nb, console_log)
    assert problems == [], "\n".join(problems)
    jb.set_presentation_mode(page, True, collapse_sidebars=True)
    assert page.viewport_size == {"width": 1280, "height": 720}
    assert page.locator("#main.jp-mod-presentationMode").count() == 1

    steppers = page.locator(".conv-lesson-stepper")
    assert steppers.count() == 2
    normal, big = StepperUI(page, steppers.nth(0)), StepperUI(page, steppers.nth(1))
    _check_step(normal.state(), 1)
    _check_step(big.state(), 1)

    # step the big one, as a presenter would, then show it on screen
    big.press("ArrowRight", times=2)
    _check_step(big.wait_status("step 3 of 25 "), 3)
    big.root.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    shot = jb.screenshot(page, "presentation_stepper_scale_1.6")
    assert shot.stat().st_size > 20_000
    jb.screenshot(page, "presentation_stepper_scale_1.6_widget", locator=big.root)
    normal.root.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    jb.screenshot(page, "presentation_stepper_scale_1.0")

    a = normal.root.evaluate(_JS_MEASURE)
    b = big.root.evaluate(_JS_MEASURE)
    print(f"scale 1.0: {a}\nscale 1.6: {b}")
    assert b["natural"] > 1.4 * a["natural"], (a, b)  # the frames are drawn bigger
    assert b["width"] > 1.15 * a["width"], (a, b)  # ...and shown bigger on screen
    assert b["font"] > 1.4 * a["font"], (a, b)  # the status text too
    # the big picture still fits the notebook (max-width: 100%), no horizontal overflow
    fits = big.root.evaluate(
        "(root) => { const img = root.querySelector('img.conv-lesson-frame');"
        " const cell = root.closest('.jp-Cell');"
        " return img.getBoundingClientRect().right <= cell.getBoundingClientRect().right + 1; }"
    )
    assert fits, "the scale-1.6 picture overflows its cell"
    problems = jb.collect_problems(page, console_log, wait_widgets=0)
    assert problems == [], "\n".join(problems)
    jb.set_presentation_mode(page, False)
