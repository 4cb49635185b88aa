"""What the browser tests expect to see, computed here, independently of ``conv_lesson``.

The seed arrays are copied from the lesson text (lesson 02 prints them), and the feature
map is computed with :func:`scipy.signal.correlate2d`, so a bug in the package's own
``feature_map``/``status_line`` cannot make a wrong picture pass.  Also: small helpers to
read a stepper's state from the page and to compare two frames' pixels.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
from pathlib import Path

import numpy as np

#: The 7x7 face of the lessons (0 = background, 1 = ink).
SEED_IMAGE = np.array(
    [
        [0, 0, 0, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 1, 0, 0, 0],
        [0, 1, 0, 0, 0, 1, 0],
        [0, 0, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
    ]
)
#: The 3x3 feature detector of the lessons.
SEED_DETECTOR = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 1]])


def seed_feature_map(stride: int = 1) -> np.ndarray:
    """Cross-correlation of the seed arrays (what a CNN layer computes), by scipy."""
    from scipy.signal import correlate2d

    full = correlate2d(SEED_IMAGE, SEED_DETECTOR, mode="valid")  # 5x5 at stride 1
    return full[::stride, ::stride]


def seed_step(k: int, stride: int = 1) -> dict:
    """Window position, feature-map cell, value, status line and products at step ``k``
    (1-based, row by row) of the seed stepper."""
    fm = seed_feature_map(stride)
    n_cols = fm.shape[1]
    if not 1 <= k <= fm.size:
        raise ValueError(f"step {k} outside 1..{fm.size}")
    i, j = divmod(k - 1, n_cols)
    r, c = i * stride, j * stride
    value = int(fm[i, j])
    patch = SEED_IMAGE[r : r + 3, c : c + 3]
    assert int((patch * SEED_DETECTOR).sum()) == value  # scipy and the definition agree
    products = " + ".join(f"{a}×{b}" for a, b in zip(patch.ravel(), SEED_DETECTOR.ravel()))
    return {
        "step": k,
        "n_steps": fm.size,
        "window": (r, c),
        "cell": (i, j),
        "value": value,
        "status": (f"step {k} of {fm.size} · window at row {r}, column {c} · feature map cell ({i}, {j}) = {value}"),
        "products": f"{products} = {value}",
    }


def triangle(t: float) -> float:
    """(box * box)(t) for the unit box on [0, 1): the overlap length, a triangle."""
    return max(0.0, 1.0 - abs(t - 1.0))


# reading the page

_JS_STEPPER_STATE = """
(root) => {
  const img = root.querySelector('img.conv-lesson-frame');
  const view = root.querySelector('.conv-lesson-frameview');
  const status = root.querySelector('.conv-lesson-status');
  const arith = root.querySelector('.conv-lesson-arithmetic');
  const step = root.querySelector('.conv-lesson-step input[type=range]');
  const stride = root.querySelector('.conv-lesson-stride input[type=range]');
  const prev = root.querySelector('button.conv-lesson-prev');
  const next = root.querySelector('button.conv-lesson-next');
  const error = root.querySelector('.conv-lesson-error');
  return {
    src: img ? img.getAttribute('src') : null,
    complete: img ? img.complete && img.naturalWidth > 0 : false,
    dataStep: img ? img.dataset.step : null,
    alt: img ? img.alt : null,
    mode: view ? view.dataset.mode : null,
    status: status ? status.textContent.trim() : null,
    arithmetic: arith ? arith.textContent.trim() : null,
    slider: step ? Number(step.value) : null,
    sliderMax: step ? Number(step.max) : null,
    stride: stride ? Number(stride.value) : null,
    prevDisabled: prev ? prev.getAttribute('aria-disabled') : null,
    nextDisabled: next ? next.getAttribute('aria-disabled') : null,
    error: error ? error.textContent.trim() : null,
  };
}
"""


# Records, in the page, every step the picture switches to (with the step slider's value
# and the buttons' state at that moment) and every key the picture receives (and whether
# its handler took it: ``defaultPrevented``).  The listener is added after the widget's own
# one on the same element, so it runs after it even though that one stops propagation.
_JS_RECORD = """
(root) => {
  if (root.__convRec) root.__convRec.stop();
  const img = root.querySelector('img.conv-lesson-frame');
  const figure = root.querySelector('div.conv-lesson-figure');
  const q = (sel) => root.querySelector(sel);
  const rec = root.__convRec = {frames: [], keys: []};
  const obs = new MutationObserver(() => {
    const last = rec.frames[rec.frames.length - 1];
    if (last && last.step === img.dataset.step) return;
    const handle = q('.conv-lesson-step input[type=range]');
    rec.frames.push({
      step: img.dataset.step,
      src: img.getAttribute('src').length + ':' + img.getAttribute('src').slice(-40),
      slider: handle ? Number(handle.value) : null,
      prevDisabled: q('button.conv-lesson-prev').getAttribute('aria-disabled'),
      nextDisabled: q('button.conv-lesson-next').getAttribute('aria-disabled'),
      t: performance.now(),
    });
  });
  obs.observe(img, {attributes: true, attributeFilter: ['src', 'data-step']});
  const onKey = (e) => rec.keys.push({key: e.key, handled: e.defaultPrevented});
  figure.addEventListener('keydown', onKey);
  // the first press of Play: when (before Play's clock starts) and at which step
  const onClick = (e) => {
    if (!rec.start && e.target.closest('.conv-lesson-playpause'))
      rec.start = {t: performance.now(), step: Number(img.dataset.step)};
  };
  root.addEventListener('click', onClick, true);
  rec.stop = () => {
    obs.disconnect(); figure.removeEventListener('keydown', onKey); root.removeEventListener('click', onClick, true);
  };
}
"""


class StepperUI:
    """One ``.conv-lesson-stepper`` on the page, read and driven like a student would."""

    def __init__(self, page, root):
        self.page = page
        self.root = root  # a Locator for the .conv-lesson-stepper element
        self.handle = root.locator(".conv-lesson-step input[type=range]")
        self.stride_handle = root.locator(".conv-lesson-stride input[type=range]")
        self.figure = root.locator("div.conv-lesson-figure")
        self.img = root.locator("img.conv-lesson-frame")
        self.play_button = root.locator("button.conv-lesson-playpause")
        self.prev = root.locator("button.conv-lesson-prev")
        self.next = root.locator("button.conv-lesson-next")

    def state(self) -> dict:
        return self.root.evaluate(_JS_STEPPER_STATE)

    def wait_status(self, prefix: str, timeout: float = 15_000) -> dict:
        """Wait until the status line starts with ``prefix`` and the <img> has loaded."""
        el = self.root.element_handle()
        try:
            self.page.wait_for_function(
                """([root, prefix]) => {
                  const s = root.querySelector('.conv-lesson-status');
                  const img = root.querySelector('img.conv-lesson-frame');
                  return !!(s && s.textContent.trim().startsWith(prefix)
                            && img && img.complete && img.naturalWidth > 0);
                }""",
                arg=[el, prefix],
                timeout=timeout,
            )
        except Exception as exc:
            raise AssertionError(f"status never started with {prefix!r}; now: {self.state()['status']!r}") from exc
        return self.state()

    def wait_data_step(self, predicate_js: str, timeout: float = 15_000) -> dict:
        """Wait until ``predicate_js`` (with ``s`` = the <img>'s data-step as a number) holds."""
        el = self.root.element_handle()
        self.page.wait_for_function(
            "([root, body]) => { const img = root.querySelector('img.conv-lesson-frame');"
            " if (!img) return false; const s = Number(img.dataset.step);"
            " return new Function('s', 'return (' + body + ');')(s); }",
            arg=[el, predicate_js],
            timeout=timeout,
        )
        return self.state()

    def press(self, key: str, times: int = 1, target=None) -> None:
        """Focus ``target`` (default: the step slider's handle) and press ``key``."""
        target = target or self.handle
        target.scroll_into_view_if_needed()
        target.focus()
        for _ in range(times):
            self.page.keyboard.press(key)

    def record(self) -> None:
        """Start recording the frames shown and the keys the picture gets (see :meth:`recorded`)."""
        self.root.evaluate(_JS_RECORD)

    def recorded(self, stop: bool = False) -> dict:
        """``{frames: [{step, src, slider, prevDisabled, nextDisabled, t}], keys: [{key, handled}],
        start: {t, step} or None}`` since :meth:`record` (``start``: the first press of Play);
        ``stop`` ends the recording."""
        return self.root.evaluate(
            "(root, stop) => { const r = root.__convRec; if (!r) return null;"
            " if (stop) r.stop(); return {frames: r.frames, keys: r.keys, start: r.start || null}; }",
            stop,
        )

    def speed(self) -> float:
        """The speed slider's value (steps per second), from its readout."""
        return float(self.root.locator(".conv-lesson-speed output").inner_text())

    def go_to_step_1(self) -> dict:
        """Home on the focused figure (handled in the browser)."""
        self.press("Home", target=self.figure)
        return self.wait_status("step 1 of ")


def data_url_pixels(src: str) -> np.ndarray:
    """Decode a ``data:image/png;base64,...`` URL to an RGB array."""
    from PIL import Image

    head, _, b64 = src.partition(",")
    if not head.startswith("data:image/") or ";base64" not in head:
        raise ValueError(f"not a base64 image data URL: {src[:60]!r}")
    with Image.open(io.BytesIO(base64.b64decode(b64))) as im:
        return np.asarray(im.convert("RGB"))


def changed_columns(src_a: str, src_b: str) -> np.ndarray:
    """Fractions (0..1 of the width) of the pixel columns that differ between two frames."""
    a, b = data_url_pixels(src_a), data_url_pixels(src_b)
    if a.shape != b.shape:
        raise AssertionError(f"frames of different sizes: {a.shape} vs {b.shape}")
    cols = np.nonzero((a != b).any(axis=(0, 2)))[0]
    return cols / a.shape[1]


STATUS_RE = re.compile(
    r"step (?P<step>\d+) of (?P<n>\d+) · window at row (?P<row>\d+), column (?P<col>\d+) · "
    r"feature map cell \((?P<i>\d+), (?P<j>\d+)\) = (?P<value>\S+)"
)


# A committed lesson as a reader first sees it, before running anything

#: The lessons' interactive figures: every cell that calls one must save a picture.
INTERACTIVE = re.compile(
    r"^\s*(stepper|slide_1d|draw_your_own|gallery_explorer|learning_rate_explorer|receptive_field_view"
    r"|im2col_stepper|transposed_stepper|depthwise_stepper)\(",
    re.M,
)
BROKEN = ("Error displaying widget", "model not found")
RUN_LINE = "Run this cell"


def interactive_cells(path: Path) -> list[int]:
    """Indices of the cells of the notebook at ``path`` that show an interactive figure."""
    nb = json.loads(Path(path).read_text())
    cells = enumerate(nb["cells"])
    return [i for i, c in cells if c["cell_type"] == "code" and INTERACTIVE.search("".join(c["source"]))]


_JS_SAVED_CELLS = """
(indices) => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  return indices.map(i => {
    const out = cells[i].node.querySelector('.jp-OutputArea');
    const img = out && out.querySelector('img');
    return {
      index: i,
      text: out ? out.textContent : '',  // innerText is empty for cells Lab has not drawn yet
      alt: img ? img.getAttribute('alt') : null,
      loaded: !!(img && img.complete && img.naturalWidth > 0),
    };
  });
}
"""


def saved_lesson_view(page, indices: list[int]) -> dict:
    """What the open, not yet run lesson in ``page`` shows: its outputs' texts, widget error views,
    and for each interactive cell (``indices``) its saved picture, alt text and text.

    Waits (30 s at most) until the pictures of those cells have loaded."""
    if indices:
        page.wait_for_function(
            "(indices) => { const cells = window.jupyterapp.shell.currentWidget.content.widgets;"
            " return indices.every(i => { const img = cells[i].node.querySelector('.jp-OutputArea img');"
            " return img && img.complete && img.naturalWidth > 0; }); }",
            arg=indices,
            timeout=30_000,
        )
    return {
        "texts": page.locator(".jp-OutputArea-output").all_inner_texts(),
        "widget_errors": page.locator(".jupyter-widgets-error-widget").count(),
        "prompts": page.locator(".jp-NotebookPanel .jp-InputPrompt").all_inner_texts(),
        "cells": page.evaluate(_JS_SAVED_CELLS, indices),
    }


def play_intervals(frames: list[dict]) -> list[float]:
    """Milliseconds between the frames recorded by :meth:`StepperUI.record`."""
    return [b["t"] - a["t"] for a, b in itertools.pairwise(frames)]


def check_played(recorded: dict, speed: float, first: int, last: int) -> None:
    """Play (pressed once, :meth:`StepperUI.recorded`) showed steps ``first``..``last`` in order,
    each once, and never one before its time. Its clock keeps to the speed set by wall time from
    the press: step ``s`` is due ``(s - s0) / speed`` seconds after it (``s0``: the step shown at
    the press), so a timer or a picture that comes late (a busy machine) skips the steps it is late
    for, and a step shown sooner than that is Play running faster than the speed set.

    (This compared the time between two pictures with the steps skipped between them, which
    refused a right Play when the picture before a skip had itself come late: "9 -> 11 in 12 ms".)"""
    frames, start = recorded["frames"], recorded["start"]
    assert start is not None, "Play was not pressed while recording"
    steps = [int(f["step"]) for f in frames]
    assert steps[0] == first and steps[-1] == last, steps
    assert all(b > a for a, b in itertools.pairwise(steps)), f"Play went back or repeated a step: {steps}"
    period = 1000 / speed
    for f in frames:
        due = (int(f["step"]) - start["step"]) * period
        came = f["t"] - start["t"]
        assert came >= 0.9 * due, f"step {f['step']} came {came:.0f} ms after Play, due at {due:.0f} ms"
