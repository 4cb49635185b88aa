"""Every widget of lessons 04-08 in the built offline site: alive with no kernel, or saying it needs one.

The site is built once for the run (``python -m conv_lesson site``, the ``shared_builds``
fixture, shared with ``test_site.py``) and every page is opened from ``file://``. For each
widget output of a page (their number is checked, so a new widget in a lesson needs a check
here) every visible control is operated as a person would (buttons, keys on the picture, the step slider and its typed
readout, the speed, Play, stop and repeat, the stride/flip choices, the map thumbnails, the learning rate)
and must change what is seen: the step (``data-step``), the picture, its alt text and the
text under it. The numbers in that text are checked against values computed here with
numpy from the arrays written in the lessons, not read from the package. Whatever
cannot work without a kernel must be gone from the page and replaced by a visible note
saying it needs a running notebook; at the end no visible control of an output may be
left that no check operated (one would be silently dead). Each page must show no
widget error, log no console error and fetch nothing outside the folder.
"""

from __future__ import annotations

import math
import re

import jupyter_browser as jb
import numpy as np
import pytest
from lesson_checks import SEED_DETECTOR, SEED_IMAGE
from site_pages import StepperOnPage, mark, notes, open_page, page_problems, unoperated

#: The vertical-edge detector (Sobel, brighter to the right gives a positive response).
SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
NEEDS = "needs a running notebook"
#: A static figure in a page: a PNG output, or one in a div sized in lesson-text units (show_arrays, the gallery...).
FIGURE_IMG = ", ".join(
    f".jp-OutputArea-output:not(:has(script)) > {wrap}img"
    for wrap in ("", ".conv-lesson-picture > ", ".conv-lesson-gallery > ")
)
STATUS_RE = re.compile(
    r"step (\d+) of (\d+) · window at row (\d+), column (\d+) · feature map cell \((\d+), (\d+)\) = (\S+)"
)
NUMBER = r"\(?(-?\d+(?:\.\d+)?(?:e-?\d+)?)\)?"
PRODUCT_RE = re.compile(NUMBER + "×" + NUMBER)


@pytest.fixture(scope="module")
def site(shared_builds, browser_requirements):
    return shared_builds["site"].wait()


@pytest.fixture
def visit(browser, site):
    """``visit(page_name)`` opens a page; after the test, each page must be clean (no errors, no outside requests)."""
    opened = []

    def open_(name):
        page, console, requests, outputs = open_page(browser, site, name)
        opened.append((page, console, requests))
        return page, outputs

    yield open_
    for page, console, requests in opened:
        problems, errors, outside = page_problems(page), console.errors(), requests.outside
        page.context.close()
        assert problems == [] and errors == [] and outside == [], (problems, [str(e) for e in errors], outside)


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=6e-3, abs_tol=6e-3)


def correlate(image, det, stride=1, padding=0, dilation=1, flip=False):
    """The feature map by the definition (a double loop), and the padded image and detector it used."""
    image = np.pad(np.asarray(image, float), padding)
    det = np.asarray(det, float)[::-1, ::-1] if flip else np.asarray(det, float)
    span = dilation * (det.shape[0] - 1) + 1
    side = (image.shape[0] - span) // stride + 1
    out = np.zeros((side, side))
    for i in range(side):
        for j in range(side):
            window = image[i * stride : i * stride + span : dilation, j * stride : j * stride + span : dilation]
            out[i, j] = (window * det).sum()
    return out, image, det


def map_check(image, det, *, stride=1, padding=0, dilation=1, flip=False):
    """A check of one stepper state: its status line, products and alt text against :func:`correlate`."""
    fm, padded, used = correlate(image, det, stride, padding, dilation, flip)

    def check(state):
        k, n, row, col, i, j, value = STATUS_RE.fullmatch(state["status"]).groups()
        i, j = int(i), int(j)
        assert (int(n), divmod(int(k) - 1, fm.shape[1])) == (fm.size, (i, j)), state["status"]
        assert (int(row), int(col)) == (i * stride, j * stride) and close(value, fm[i, j]), (state, fm)
        span = dilation * (used.shape[0] - 1) + 1
        window = padded[i * stride : i * stride + span : dilation, j * stride : j * stride + span : dilation]
        pairs = PRODUCT_RE.findall(state["detail"])
        assert len(pairs) == used.size, state["detail"]
        assert all(close(a, w) and close(b, d) for (a, b), w, d in zip(pairs, window.ravel(), used.ravel()))
        assert f"({i}, {j})" in state["alt"], state["alt"]

    return check, fm


def channel_strides(page, widget, weights, side):
    """Step a published channels stepper (a ``side``-wide photo, ``weights``) through at strides 1-3."""
    for stride in (1, 2, 3):
        check, n = channels_check(weights, side, stride)
        stepper = choose(page, widget, "stride", str(stride))
        exercise(stepper, check, row=math.isqrt(n))
        assert unoperated(stepper.root) == []
    assert unoperated(widget) == []


def channels_check(weights, side, stride):
    """A check of a colour stepper: per channel, the weights shown and their products' sum; the channels' total."""
    n = ((side - weights.shape[0]) // stride + 1) ** 2

    def check(state):
        k, shown_n, _, _, _, _, value = STATUS_RE.fullmatch(state["status"]).groups()
        assert int(shown_n) == n, state["status"]
        lines = re.findall(r"(red|green|blue): \(([^=]+)= (\S+)\)", state["detail"])
        assert [c for c, _, _ in lines] == ["red", "green", "blue"], state["detail"]  # an RGB photo's channels
        for c, products, total in lines:
            pairs = PRODUCT_RE.findall(products)
            channel = ["red", "green", "blue"].index(c)
            assert [float(b) for _, b in pairs] == pytest.approx(weights[:, :, channel].ravel().tolist())
            assert close(sum(float(a) * float(b) for a, b in pairs), total), (c, products, total)
        assert close(sum(float(t) for _, _, t in lines), value), state

    return check, n


def exercise(s, check, *, row=None):
    """Operate every control of the visible stepper ``s``; ``check`` every state it shows."""

    def at(step):
        state = s.at(step)
        check(state)
        return state

    s.keys(s.figure, "Home")
    first, n = at(1), s.n_steps()
    s.click("button.conv-lesson-next")
    second = at(2)
    assert all(second[key] != first[key] for key in ("picture", "alt", "status")), (first, second)
    s.click("button.conv-lesson-prev")
    assert at(1) == first
    if s.root.locator("button.conv-lesson-finish-row").count():
        s.click("button.conv-lesson-finish-row")
        at(row)
        s.click("button.conv-lesson-finish-map")
        at(n)
    s.keys(s.figure, "Home")
    at(1)
    s.keys(s.figure, "ArrowRight")
    second = at(2)
    s.wait_heard(second["status"])  # a screen reader is told the step in words...
    s.keys(s.figure, "a")
    s.wait_heard(second["detail"] or second["status"])  # ...and its arithmetic when it asks (A)
    toggle = s.root.locator("button.conv-lesson-tables-toggle")
    if toggle.is_visible():  # a scan (or depthwise) stepper: its numbers as tables, for this step, stored in the page
        s.click("button.conv-lesson-tables-toggle")
        cell = re.search(r"(?:feature map|map \d+) cell \((\d+), (\d+)\) = (-?[\d.]+)", second["status"])
        table = s.root.get_by_role("table", name=f"feature map so far (cell ({cell[1]}, {cell[2]}) is this step's)")
        assert f"{cell[3]} (this step)" in table.inner_text()
        s.click("button.conv-lesson-tables-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
    s.keys(s.figure, "End")
    at(n)
    step_slider, speed_slider = [x.locator("input") for x in s.root.locator(".conv-lesson-slider:visible").all()[:2]]
    s.keys(step_slider, "ArrowLeft")
    at(n - 1)
    s.keys(step_slider, "Home", "ArrowRight", "ArrowRight")
    at(3)
    _speed_and_play(s, speed_slider, n, at)


def _speed_and_play(s, speed_slider, n, at):
    readout = s.root.locator(".conv-lesson-speed output")
    s.keys(speed_slider, "End")
    assert readout.inner_text().strip() == "20.0"
    s.keys(speed_slider, "ArrowLeft")
    assert readout.inner_text().strip() == "19.5"
    s.keys(speed_slider, "ArrowRight")
    s.keys(s.figure, "Home")
    at(1)
    seconds = s.play_until(min(n, 9))
    if n >= 9:  # at the starting 2 steps/s, 8 steps take 4 s
        assert seconds < 3.0, f"Play took {seconds:.1f} s for 8 steps at 20 steps/s"
    loop = s.root.locator("button.conv-lesson-loop")
    for pressed in ("true", "false"):  # a toggle that says so
        s.click("button.conv-lesson-loop")
        assert loop.get_attribute("aria-pressed") == pressed


def choose(page, output, css, label):
    """Click the option ``label`` of the visible ``.conv-lesson-{css}-choice``; the stepper it shows."""
    button = next(
        b for b in output.locator(f".conv-lesson-{css}-choice:visible button").all() if b.inner_text() == label
    )
    old = output.locator(".conv-lesson-stepper:visible").first.element_handle()
    if "mod-active" not in (button.get_attribute("class") or ""):
        button.click()
        page.wait_for_function(
            "([out, old]) => { const v = [...out.querySelectorAll('.conv-lesson-stepper')]"
            ".filter(e => e.getClientRects().length); return v.length === 1 && v[0] !== old; }",
            arg=[output.element_handle(), old],
        )
    mark(button)
    assert button.evaluate("b => b.scrollWidth <= b.clientWidth"), f"{label!r} does not fit its button"
    return StepperOnPage(page, output.locator(".conv-lesson-stepper:visible").first)


def published_stepper(page, output, image, det, strides, flips=(False,), **kwargs):
    """Every stored stride (and flip) of a published stepper: chosen, stepped through, checked."""
    labels = [b.inner_text() for b in output.locator(".conv-lesson-stride-choice:visible button").all()]
    assert labels == [str(s) for s in strides]
    for flip in flips:
        if len(flips) > 1:
            choose(page, output, "flip", "yes: true convolution" if flip else "no: cross-correlation")
        for stride in strides:
            check, fm = map_check(image, det, stride=stride, flip=flip, **kwargs)
            stepper = choose(page, output, "stride", str(stride))
            exercise(stepper, check, row=fm.shape[1])
            assert unoperated(stepper.root) == [], (flip, stride)
    assert unoperated(output) == []  # the last choice's stepper (the Stack draws a chosen one anew) and the toggles


def flipbook_stepper(page, output, check, setting_words):
    """A lesson 07-08 stepper: its setting sliders replaced by a note naming them; stepping works."""
    note = " ".join(notes(output))
    assert NEEDS in note and all(word in note for word in setting_words), note
    assert output.locator(".conv-lesson-slider:visible").count() == 2  # only step and speed are left
    exercise(StepperOnPage(page, output.locator(".conv-lesson-stepper:visible").first), check)


def shot(page, output, lesson, k, what):
    output.scroll_into_view_if_needed()
    jb.screenshot(page, f"site_widgets_{lesson}_{k}_{what}", locator=output)


def test_lesson_04_draw_your_own_gallery_explorer_and_upload(visit):
    page, outputs = visit("04_interpreting_feature_maps.html")
    assert len(outputs) == 3
    drawing, gallery, photo_stepper = outputs
    bar = np.zeros((8, 8))
    bar[1:7, 3:5] = 1  # the drawing the lesson starts with
    assert "need a running notebook" in notes(drawing)[0] and "grid" in notes(drawing)[0]
    assert drawing.locator(".conv-lesson-grid-cell, .conv-lesson-grid-input").count() == 0  # no dead grid
    published_stepper(page, drawing, bar, SOBEL_X, [1, 2, 3])
    shot(page, drawing, "04", 1, "draw_your_own")
    _gallery(page, gallery)
    shot(page, gallery, "04", 2, "gallery_explorer")
    assert any(NEEDS in n for n in notes(photo_stepper))  # the upload's stepper: 15,876 steps, not stored
    assert photo_stepper.locator("img").evaluate("img => img.naturalWidth") > 0
    figure = photo_stepper.locator("figure.conv-lesson-static")
    figure.focus()  # a wide picture scrolls sideways: the keyboard reaches it
    page.keyboard.press("ArrowRight")
    mark(figure)
    assert unoperated(photo_stepper) == []
    shot(page, photo_stepper, "04", 3, "photo_stepper")
    upload_note = page.locator(".conv-lesson-needs-kernel", has_text="Uploading your own picture")
    assert upload_note.is_visible() and NEEDS in upload_note.inner_text()
    assert page.locator("input[type=file]").count() == 0
    jb.screenshot(page, "site_widgets_04_4_upload_note", locator=upload_note)


def _gallery(page, gallery):
    thumbs = gallery.locator("button.conv-lesson-thumb")
    names = [t.inner_text().strip() for t in thumbs.all()]
    assert names == ["vertical_edges", "horizontal_edges", "outline", "sharpen", "gaussian_blur", "emboss"]
    seen = set()
    for k, name in enumerate(names):
        thumbs.nth(k).click()
        mark(thumbs.nth(k))
        assert [t.get_attribute("aria-pressed") for t in thumbs.all()] == [str(i == k).lower() for i in range(6)]
        page.wait_for_function(
            "([g, name]) => [...g.querySelectorAll('.conv-lesson-detector-card')]"
            ".some(c => c.getClientRects().length && c.textContent.startsWith(name + ':'))",
            arg=[gallery.element_handle(), name],
        )
        card = gallery.locator(".conv-lesson-detector-card:visible")
        numbers = [float(x) for x in card.locator("td").all_inner_texts()]
        if name == "vertical_edges":
            assert numbers == SOBEL_X.ravel().tolist()
        figure = gallery.locator("figure.conv-lesson-static:visible")
        img = figure.locator("img")
        assert img.evaluate("img => img.complete && img.naturalWidth > 0")
        lines = figure.locator(".conv-lesson-static-line").all_inner_texts()
        value = STATUS_RE.fullmatch(lines[0]).group(7)
        pairs = PRODUCT_RE.findall(lines[1])
        assert [float(b) for _, b in pairs] == pytest.approx(numbers)  # the picture is of the chosen detector
        assert close(sum(float(a) * float(b) for a, b in pairs), value), lines
        assert any(NEEDS in n for n in notes(gallery))  # a 128x128 photo has too many steps to store
        seen.add((img.get_attribute("src"), img.get_attribute("alt")))
    assert len({src for src, _ in seen}) == 6 and len({alt for _, alt in seen}) == 6
    figure = gallery.locator("figure.conv-lesson-static:visible")  # drawn anew by the Stack at each choice
    figure.focus()  # a wide picture scrolls sideways: the keyboard reaches it
    page.keyboard.press("ArrowRight")
    mark(figure)
    assert unoperated(gallery) == []


def same_pads(n, k, stride):
    """'same' padding by its rule, worked out here: ceil(n / s) windows, the zeros the last one needs past
    the image split evenly, the odd one after (bottom, right)."""
    windows = -(-n // stride)
    zeros = max((windows - 1) * stride + k - n, 0)
    return zeros // 2, zeros - zeros // 2


def same_stepper(page, output, image, det, strides, operated):
    """A published 'same' stepper at every stored stride: its first and last windows (where the padding
    is) against the definition with the padding of :func:`same_pads`, and the uneven side named in its
    alt text; at the stride the lesson is about (``operated``), every control too."""
    for stride in strides:
        (t, b), (l, r) = (same_pads(n, k, stride) for n, k in zip(image.shape, det.shape))
        check, fm = map_check(image, det, stride=stride, padding=((t, b), (l, r)))
        assert fm.shape == (-(-image.shape[0] // stride), -(-image.shape[1] // stride))  # 'same': ceil(n / s)
        stepper = choose(page, output, "stride", str(stride))
        if stride == operated:
            exercise(stepper, check, row=fm.shape[1])
            assert unoperated(stepper.root) == []
        else:  # the same widget as the operated one: its numbers at the first and the last window
            stepper.keys(stepper.figure, "Home")
            check(stepper.at(1))
            stepper.keys(stepper.figure, "End")
            check(stepper.at(fm.size))
        alt = stepper.state()["alt"]
        assert f"({t} row(s) on top, {b} at the bottom, {l} column(s) on the left, {r} on the right" in alt or (
            t == b == l == r
        ), alt
        if b > t and r > l:
            assert "the extra zeros, cross-hatched, are at the bottom and on the right" in alt, alt


def test_lesson_03_a_stride_that_skips_cells_greys_them_out(visit):
    """Stride 3 on the 7x7 face: windows start at 0 and 3 and end at 5, so row 6 and column 6 are never
    read; the picture greys them out and its alt text says which (stride 2 reads every cell)."""
    page, outputs = visit("03_stride.html")
    reads = {c for start in range(0, 7 - 3 + 1, 3) for c in range(start, start + 3)}
    assert sorted(set(range(7)) - reads) == [6]
    stepper = choose(page, outputs[0], "stride", "3")
    assert "No window reads row 6 and column 6 of the input (greyed out and hatched)." in stepper.at(1)["alt"]
    stepper = choose(page, outputs[0], "stride", "2")
    assert "No window reads" not in stepper.at(1)["alt"]


def test_lesson_05_padding_dilation_channels_and_flip(visit):
    page, outputs = visit("05_padding_dilation_channels_and_the_flip.html")
    assert len(outputs) == 6
    padded, same_even, same_stride, dilated, colour, flip = outputs
    published_stepper(page, padded, SEED_IMAGE, SEED_DETECTOR, [1, 2, 3], padding=1)
    shot(page, padded, "05", 1, "padding")
    same_stepper(page, same_even, SEED_IMAGE, np.ones((4, 4)), [1, 2, 3], operated=1)  # 1 top, 2 bottom
    shot(page, same_even, "05", 5, "same_even")
    from conv_lesson import photo  # the input picture only; every number expected is worked out here

    same_stepper(page, same_stride, np.round(photo(8), 1), SEED_DETECTOR, [1, 2, 3], operated=2)  # 0 top, 1 bottom
    shot(page, same_stride, "05", 6, "same_stride")
    published_stepper(page, dilated, SEED_IMAGE, SEED_DETECTOR, [1, 2], dilation=2)  # stride 3: one window a side
    shot(page, dilated, "05", 2, "dilation")
    redder = np.zeros((3, 3, 3))
    redder[:, :, 0], redder[:, :, 2] = 1, -1
    channel_strides(page, colour, redder, 6)
    shot(page, colour, "05", 3, "channels")
    corner = np.array([[1, 0, 0], [0, 0, 0], [0, 0, 0]])
    published_stepper(page, flip, SEED_IMAGE, corner, [1, 2, 3], flips=(False, True))
    shot(page, flip, "05", 4, "flip")


def test_lesson_06_learning_rate_slider_moves_between_stored_rates(visit):
    page, outputs = visit("06_learning_a_detector.html")
    assert len(outputs) == 1
    (explorer,) = outputs
    assert any("rates stored in this page" in n and NEEDS in n for n in notes(explorer))
    handle = explorer.locator(".conv-lesson-learning-rate input[type=range]")
    shown = {}

    def middle_panel(rate):  # wait for the readout to say rate; the caption of the visible picture
        page.wait_for_function(
            "([out, rate]) => {"
            " const vis = (sel) => [...out.querySelectorAll(sel)].filter(e => e.getClientRects().length);"
            " return vis('.conv-lesson-learning-rate output').map(e => e.textContent.trim()).join() === rate"
            " && vis('.conv-lesson-status').map(s => s.textContent.split(' | ')[1]).join()"
            ".startsWith('learning rate ' + rate + ':'); }",
            arg=[explorer.element_handle(), rate],
        )
        caption = explorer.locator(".conv-lesson-status:visible").inner_text().split(" | ")[1]
        figure = explorer.locator("figure.conv-lesson-static:visible")
        img = figure.locator("img")
        assert img.evaluate("i => i.complete && i.naturalWidth > 300")
        assert caption in img.get_attribute("alt")  # the picture says in words what its titles say
        figure.focus()  # it may scroll sideways: the keyboard reaches it
        page.keyboard.press("ArrowRight")
        mark(figure)
        shown[rate] = (caption, img.get_attribute("src"))
        return caption

    assert middle_panel("0.5").startswith("learning rate 0.5: converges")  # where the lesson starts it
    moves = [("ArrowRight", "0.708"), ("ArrowRight", "0.794"), ("ArrowRight", "0.891"), ("ArrowRight", "0.891")]
    for key, rate in moves + [("Home", "0.1"), ("ArrowRight", "0.316")]:
        handle.focus()
        page.keyboard.press(key)
        middle_panel(rate)
    mark(handle)
    assert len({src for _, src in shown.values()}) == len(shown)  # a different picture at every rate
    # what the lesson's text says happens at these rates, 200 steps from the same start
    assert shown["0.708"][0].endswith("-> 7.03e-05 in 200 steps")
    assert shown["0.794"][0].endswith("-> 0.105 in 200 steps")
    assert shown["0.891"][0].endswith("blows up at step 23")
    assert unoperated(explorer) == []
    shot(page, explorer, "06", 1, "learning_rate")


def test_lesson_07_preset_stepper_1x1_colour_stepper_and_receptive_field(visit):
    page, outputs = visit("07_from_one_detector_to_a_layer.html")
    assert len(outputs) == 3
    presets, luma, receptive = outputs
    assert any("menus" in n and "need a running notebook" in n for n in notes(presets))
    assert presets.locator("select").count() == 0
    published_stepper(page, presets, SEED_IMAGE, SOBEL_X, [1, 2, 3])
    shot(page, presets, "07", 1, "preset_stepper")
    weights = np.array([0.299, 0.587, 0.114]).reshape(1, 1, 3)
    channel_strides(page, luma, weights, 8)
    shot(page, luma, "07", 2, "luma")

    def check_receptive(state):  # two 3x3 layers at stride 1: each cell sees 1 + 2 + 2 = 5 input cells a side
        k = int(re.match(r"step (\d+) of 9 · ", state["status"]).group(1))
        i, j = divmod(k - 1, 3)
        assert state["status"].endswith(f"output cell ({i}, {j}) of layer 2")
        assert state["detail"] == f"it depends on input rows {i}–{i + 4}, columns {j}–{j + 4}: a 5×5 square"

    flipbook_stepper(page, receptive, check_receptive, ["layer 1 stride", "layer 2 dilation"])
    assert unoperated(receptive) == []
    shot(page, receptive, "07", 3, "receptive_field")
    figures = page.locator(FIGURE_IMG)  # show_arrays and the gallery, sized in lesson-text units
    assert figures.count() >= 4 and all(f.evaluate("i => i.naturalWidth > 0") for f in figures.all())


def test_lesson_08_im2col_and_transposed_steppers(visit):
    page, outputs = visit("08_convolution_as_a_matrix_and_its_transpose.html")
    assert len(outputs) == 4
    im2col, transposed, zero_scan, gradient = outputs
    image = np.array([[1, 2, 0, 1, 3], [0, 1, 3, 2, 1], [4, 0, 1, 1, 0], [2, 1, 0, 3, 1], [1, 0, 2, 1, 2]])
    det = np.array([[1, 2], [0, -1]])
    fm, _, _ = correlate(image, det)

    def check_im2col(state):
        k = int(re.match(r"step (\d+) of 17 · ", state["status"]).group(1))
        if k == 17:
            shown = re.search(r"16 numbers \[([^\]]+)\]", state["detail"]).group(1)
            assert [float(x) for x in shown.split(",")] == fm.ravel().tolist()
            return
        i, j = divmod(k - 1, 4)
        assert f"the window at row {i}, column {j} becomes row {k - 1} of" in state["status"]
        window = image[i : i + 2, j : j + 2].ravel().tolist()
        assert state["detail"].startswith(f"row {k - 1} = {window}:"), state["detail"]

    flipbook_stepper(page, im2col, check_im2col, ["stride"])
    assert unoperated(im2col) == []
    shot(page, im2col, "08", 1, "im2col")
    figure = page.locator(FIGURE_IMG)
    assert figure.count() >= 1 and figure.first.evaluate("i => i.naturalWidth > 0")  # conv_matrix_figure
    flipbook_stepper(page, transposed, stamp_check(np.array([[1, 2], [3, 4]]), np.ones((2, 2)), 1), ["stride"])
    assert unoperated(transposed) == []
    shot(page, transposed, "08", 2, "transposed")
    _lesson_08_zero_insertion(page, zero_scan)
    flipbook_stepper(page, gradient, stamp_check(np.round(_lesson_08_error(), 1), _W8, 2), ["padding"])
    assert unoperated(gradient) == []
    shot(page, gradient, "08", 3, "transposed_gradient")


_W8 = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [0.5, 1.0, 0.0]])


def _lesson_08_zero_insertion(page, zero_scan):
    """The scan of the zero-inserted map: [[1, 2], [3, 4]] spread at stride 2 and padded by 2 (worked out here),
    under the lesson's 3x3 detector rotated by 180°; its stamps per output cell drawn for a 3x3 and a 4x4 detector."""
    spread = np.zeros((7, 7))
    spread[2:5:2, 2:5:2] = [[1, 2], [3, 4]]
    rotated = np.array([[1, 2, 0], [0, 1, 0], [-1, 0, 0]])[::-1, ::-1]
    # its stride is fixed at 1 (the stride is in the zeros): no stride to choose, no stride slider
    assert zero_scan.locator(".conv-lesson-stride-choice, .conv-lesson-stride").count() == 0
    check, fm = map_check(spread, rotated, stride=1)
    exercise(StepperOnPage(page, zero_scan.locator(".conv-lesson-stepper:visible").first), check, row=fm.shape[1])
    assert unoperated(zero_scan) == []
    shot(page, zero_scan, "08", 4, "zero_insertion")
    for k, side in ((3, 7), (4, 8)):  # a map of ones, a detector of ones: every stamp adds 1 where it lands
        cover = np.zeros((side, side), dtype=int)
        for i, j in np.ndindex(3, 3):
            cover[2 * i : 2 * i + k, 2 * j : 2 * j + k] += 1
        rows = " / ".join(", ".join(str(v) for v in row) for row in cover)
        figure = page.locator(f'.conv-lesson-picture[aria-label*="{k}x{k} detector, stride 2"]')
        label = figure.get_attribute("aria-label")
        assert f"{side}×{side}: {rows}" in label, label


def _lesson_08_error():
    """The error map of lesson 08's gradient check at stride 2, replaying its random numbers."""
    rng = np.random.default_rng(0)
    image7 = rng.normal(size=(7, 7))
    for stride in (1, 2):
        fm, _, _ = correlate(image7, _W8, stride)
        error = fm - rng.normal(size=fm.shape)
    return error


def stamp_check(x, det, stride):
    """A check of a transposed-convolution step: which cell stamps, and every output cell it adds to."""
    kh, kw = det.shape
    side = (x.shape[0] - 1) * stride + kh
    canvases = [np.zeros((side, side))]
    for i, j in np.ndindex(x.shape):
        canvas = canvases[-1].copy()
        canvas[i * stride : i * stride + kh, j * stride : j * stride + kw] += x[i, j] * det
        canvases.append(canvas)

    def check(state):
        k, n, i, j, v = re.match(
            r"step (\d+) of (\d+) · input cell \((\d+), (\d+)\) = (\S+) stamps", state["status"]
        ).groups()
        k, i, j = int(k), int(i), int(j)
        assert (int(n), divmod(k - 1, x.shape[1])) == (x.size, (i, j)) and close(v, x[i, j]), state["status"]
        cells = re.findall(
            r"\((\d+),(\d+)\): " + NUMBER + " \\+ " + NUMBER + "×" + NUMBER + " = " + NUMBER, state["detail"]
        )
        assert len(cells) == det.size, state["detail"]
        for r, c, old, value, weight, new in cells:
            r, c = int(r), int(c)
            assert close(value, x[i, j]) and close(weight, det[r - i * stride, c - j * stride]), state["detail"]
            assert close(old, canvases[k - 1][r, c]) and close(new, canvases[k][r, c]), (r, c, state["detail"])

    return check


def _lesson_09_test_digit():
    """The first test digit of lesson 09 (``split(360, seed=0)``: a seeded shuffle, the first 360 held out), read
    from the shipped file itself, rounded as the lesson rounds it."""
    import gzip

    with gzip.open(jb.REPO_ROOT / "conv_lesson" / "data" / "digits" / "digits.csv.gz", "rt") as f:
        rows = np.loadtxt(f, delimiter=",")
    first = np.random.default_rng(0).permutation(len(rows))[0]
    return np.round(rows[first, :64].reshape(8, 8) / 16, 2), int(rows[first, 64])


def test_lesson_09_training_curves_learned_detector_stepper_and_depthwise_stepper(visit):
    page, outputs = visit("09_a_small_cnn_end_to_end.html")
    assert len(outputs) == 3
    curves, learned, depthwise = outputs
    picture = curves.locator("img")  # the live curves, as they stood when the lesson's run ended
    assert picture.evaluate("img => img.naturalWidth") > 0
    alt = picture.get_attribute("alt")
    accuracy = float(re.search(r"test accuracy \d+% to (\d+)%", alt).group(1))
    assert alt.startswith("Training curves over 20 epochs") and accuracy >= 95, alt
    scroller = curves.locator("div.conv-lesson-picture")  # a wide picture scrolls sideways: the keyboard reaches it
    scroller.focus()
    page.keyboard.press("ArrowRight")
    mark(scroller)
    assert unoperated(curves) == []
    shot(page, curves, "09", 1, "training_curves")
    digit, label = _lesson_09_test_digit()
    assert label == 6  # the lesson says so
    # the detector was learned in the lesson's run: its 9 numbers are read from the first step's products, then
    # every window, product and map cell of every step must agree with them and with the digit from the file
    stepper = choose(page, learned, "stride", "1")
    stepper.keys(stepper.figure, "Home")
    weights = [float(b) for _, b in PRODUCT_RE.findall(stepper.at(1)["detail"])]
    assert len(weights) == 9
    same_stepper(page, learned, digit, np.array(weights).reshape(3, 3), [1, 2, 3], operated=1)
    shot(page, learned, "09", 2, "learned_detector")
    from conv_lesson import photo  # the input picture only; every number expected is worked out here

    rgb = np.round(photo(5, grayscale=False), 1)
    per_channel = [SOBEL_X, SOBEL_X.T, np.ones((3, 3)) / 9]
    maps = [correlate(rgb[..., c], per_channel[c])[0] for c in range(3)]

    def check_depthwise(state):
        k = int(re.match(r"step (\d+) of 28 · ", state["status"]).group(1))
        if k == 28:
            assert state["status"].endswith("no step mixed two channels"), state["status"]
            return
        c, (i, j) = (k - 1) // 9, divmod((k - 1) % 9, 3)
        name = ["red", "green", "blue"][c]
        assert f"channel {c} ({name}) · window at row {i}, column {j} · map {c} cell ({i}, {j}) = " in state["status"]
        assert close(state["status"].rsplit("= ", 1)[1], maps[c][i, j]), state["status"]
        pairs = PRODUCT_RE.findall(state["detail"])
        window = rgb[i : i + 3, j : j + 3, c].ravel()  # its own channel only
        assert [float(a) for a, _ in pairs] == pytest.approx(window.tolist()), state["detail"]
        assert [float(b) for _, b in pairs] == pytest.approx(per_channel[c].ravel().tolist(), abs=6e-3)
        assert f"channel {c} ({name})".capitalize() in state["alt"] or f"({name})" in state["alt"], state["alt"]

    flipbook_stepper(page, depthwise, check_depthwise, ["stride"])
    assert unoperated(depthwise) == []
    shot(page, depthwise, "09", 3, "depthwise")
    figures = page.locator(FIGURE_IMG)  # the digits, the curves, the detectors, the pooling: pictures with words
    assert figures.count() >= 6 and all(f.evaluate("i => i.naturalWidth > 0") for f in figures.all())
    assert all(f.get_attribute("alt") not in ("", "a figure") for f in figures.all())
