"""The stepper's browser side: the flipbook picture and the step buttons (anywidget).

Their JavaScript and CSS are real files in ``static/``, loaded by anywidget
from the path, so they can be read, linted and edited as code.
"""

from __future__ import annotations

import anywidget
import traitlets

from .common import STATIC, stylesheet

__all__ = ["FrameView", "StepButtons", "set_range"]


def set_range(widget, value, maximum, *, keep_value=False):
    """Set a control's ``max`` and ``value`` in an order that never leaves value > max.

    With ``keep_value`` only ``max`` is set (a value above it is lowered to it): after a
    rebuild that kept the step, the browser may be ahead of the kernel (ipywidgets holds a
    slider's next value back until the kernel has handled its last one, while a click
    elsewhere goes at once), and sending the step the kernel knew would undo a key press.

    Parameters
    ----------
    widget : ipywidgets widget with ``value`` and ``max``
    value, maximum : int
    keep_value : bool, default False

    Examples
    --------
    >>> import ipywidgets
    >>> s = ipywidgets.IntSlider(value=9, max=9)
    >>> set_range(s, 4, 4); (s.value, s.max)
    (4, 4)
    >>> set_range(s, 1, 25, keep_value=True); (s.value, s.max)
    (4, 25)
    """
    if keep_value:
        widget.max = maximum
    elif maximum >= widget.max:
        widget.max = maximum
        widget.value = value
    else:
        widget.value = value
        widget.max = maximum


class FrameView(anywidget.AnyWidget):
    """The stepper's picture and its text, switched in the browser.

    In ``'flipbook'`` mode it holds every frame (PNG data URLs) with its
    status/arithmetic HTML and alt text, and shows the one at ``index``;
    the stepper links ``index`` to its step slider with ``jslink``, so
    stepping needs no kernel. In ``'live'`` mode the kernel sends one frame
    at a time (``live_frame``). The DOM is the same in both modes: a
    ``div.conv-lesson-figure`` (focusable; arrow keys, Home and End step)
    holding ``img.conv-lesson-frame`` (with ``alt`` text, ``data-step`` and
    ``data-min-text-px``), then ``div.conv-lesson-text`` holding ``div.conv-lesson-status`` and
    ``div.conv-lesson-arithmetic``, ``div.conv-lesson-keys`` (the keys the picture takes, said on
    screen; Space there presses the stepper's play button), and ``div.conv-lesson-announce``: a polite live region
    (``role="status"``, seen by no one) that tells a screen reader each new step's status line
    in words, at most once a second (while playing, the latest step each second, and always the
    step it stops at); A on the picture has it read the arithmetic line at once. With
    ``tables`` (or ``live_tables``), ``button.conv-lesson-tables-toggle`` ("numbers as a
    table", ``aria-expanded``) under the text shows ``div.conv-lesson-tables-view``: the step's
    numbers as HTML tables a screen reader can walk cell by cell.

    A published page stores a flipbook small (see :mod:`conv_lesson.publish.frames`):
    ``patches[i]`` is ``[]`` when ``frames[i]`` is a whole picture, or
    ``[x, y]`` when it is a patch drawn at ``(x, y)`` over frame ``i - 1``;
    the browser draws them on a canvas. An empty list means every frame is whole.

    The picture is as wide as its pixels times the lesson's text size over
    14 px (so it grows with the text in JupyterLab's Presentation Mode),
    narrower where the notebook has no room, but never so narrow that its
    smallest text (``min_text_px``) gets smaller than the lesson's text:
    then it scrolls sideways.

    Examples
    --------
    >>> view = FrameView(frames=["data:image/png;base64,", "data:image/png;base64,"], index=2)
    >>> view.mode, view.index
    ('flipbook', 2)
    """

    _esm = STATIC / "flipbook.js"
    _css = stylesheet("flipbook.css")
    mode = traitlets.Unicode("flipbook").tag(sync=True)
    frames = traitlets.List(traitlets.Unicode()).tag(sync=True)
    patches = traitlets.List(traitlets.List(traitlets.Int())).tag(sync=True)
    texts = traitlets.List(traitlets.Unicode()).tag(sync=True)
    alts = traitlets.List(traitlets.Unicode()).tag(sync=True)
    index = traitlets.Int(1).tag(sync=True)
    count = traitlets.Int(1).tag(sync=True)
    live_frame = traitlets.Unicode("").tag(sync=True)
    live_text = traitlets.Unicode("").tag(sync=True)
    live_alt = traitlets.Unicode("").tag(sync=True)
    live_step = traitlets.Int(1).tag(sync=True)
    #: The numbers of each step as HTML tables (flipbook; empty: none), and of the live step.
    tables = traitlets.List(traitlets.Unicode()).tag(sync=True)
    live_tables = traitlets.Unicode("").tag(sync=True)
    scoped_css = traitlets.Unicode("").tag(sync=True)
    #: The smallest text of the frames, in their pixels: the picture is never shown so
    #: narrow that this text gets smaller than the lesson's (it scrolls sideways instead).
    min_text_px = traitlets.Float(0.0).tag(sync=True)


class StepButtons(anywidget.AnyWidget):
    """Play/pause, loop, previous/next and finish-row/finish-map buttons that work in the browser with no kernel.

    ``value`` is linked to the step slider with ``jslink``, ``speed`` (steps
    per second) to the speed slider. Each button is named by its visible
    word (its symbol is hidden from screen readers; its title says more):
    ``button.conv-lesson-playpause`` ("▶ play", "❚❚ pause" while playing,
    ``aria-pressed``), ``button.conv-lesson-loop`` ("⟳ loop", a toggle:
    ``repeat``), ``button.conv-lesson-prev`` ("|◀ back"),
    ``button.conv-lesson-next`` ("▶| next"), ``button.conv-lesson-finish-row``
    (to the last step of the current row of ``row_length`` steps; at a row's
    end, to the next row's end) and ``button.conv-lesson-finish-map`` (to
    ``max``), those two only with ``finish_buttons``.

    While ``playing``, its JavaScript is the clock: ``value`` follows wall
    time at ``speed`` steps per second, skipping steps when a timer fires
    late instead of slowing down, so the speed shown is the speed played.
    Play on the last step starts again from the first.

    Examples
    --------
    >>> b = StepButtons(value=1, min=1, max=6, row_length=3)
    >>> b.next(); b.next(); b.value
    3
    >>> b.previous(); b.value
    2
    >>> b.finish_row(); b.value
    3
    >>> b.finish_row(); b.value
    6
    >>> b.value = 1; b.finish_map(); b.value
    6
    """

    _esm = STATIC / "buttons.js"
    _css = stylesheet("buttons.css")
    value = traitlets.Int(1).tag(sync=True)
    min = traitlets.Int(1).tag(sync=True)
    max = traitlets.Int(1).tag(sync=True)
    speed = traitlets.Float(2.0).tag(sync=True)
    row_length = traitlets.Int(1).tag(sync=True)
    finish_buttons = traitlets.Bool(False).tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    repeat = traitlets.Bool(False).tag(sync=True)

    def finish_row(self):
        """To the last step of the current row (at a row's end: of the next row)."""
        cols = max(self.row_length, 1)
        end = -(-self.value // cols) * cols
        self.value = min(end + cols if end == self.value else end, self.max)

    def finish_map(self):
        """To the last step."""
        self.value = self.max

    def next(self):
        """One step forward (stops at ``max``)."""
        self.value = min(self.value + 1, self.max)

    def previous(self):
        """One step back (stops at ``min``)."""
        self.value = max(self.value - 1, self.min)
