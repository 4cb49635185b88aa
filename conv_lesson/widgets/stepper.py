"""The stepper widget: the controls and the picture, wired to a :class:`StepperController`.

In the browser, Play, the step slider, the buttons and the picture are
``jslink``-ed, so a flipbook steps with no kernel; the kernel side only
follows (for live frames and for Python readers of ``.step.value``).
"""

from __future__ import annotations

import html
import uuid

import ipywidgets
import numpy as np

from .. import data
from ..draw.export import data_url
from ..draw.text import alt_text, arithmetic_line, status_line, step_html
from ..ops.checks import check_bool
from .common import RUN_NOTE, ErrorBox, StaticPicture, scale_css
from .controller import FLIPBOOK_MAX_STEPS, StepperController, resolve_presets
from .frameview import FrameView, StepButtons, interval_ms, set_range

__all__ = ["Stepper", "stepper", "FLIPBOOK_MAX_STEPS"]

CUSTOM = "(your detector)"
PADDING_CHOICES = [("0", 0), ("1", 1), ("2", 2), ("same", "same")]


def _from_frontend(widget, name):
    """True while ``widget.name`` is being set by the browser (not from Python).

    ipywidgets offers no public way to tell; its ``_property_lock`` holds the
    names being set from the front end while their observers run.
    """
    return name in getattr(widget, "_property_lock", {})


def _padding_choice(padding, choices):
    """The padding menu's value for ``padding`` (adding a choice for an unusual one)."""
    if isinstance(padding, str):
        word = padding.lower()
        return 0 if word == "valid" else word
    if isinstance(padding, (int, np.integer)) and 0 <= padding <= 2:
        return int(padding)
    choices.append((str(padding), padding))
    return padding


def _controls(controller, scale):
    """Play, the step buttons, the step, speed and stride sliders."""

    def width(v):
        return ipywidgets.Layout(width=f"{round(v * scale)}px")

    stride = controller.scan.stride[0]
    play = ipywidgets.Play(
        value=1,
        min=1,
        max=1,
        interval=500,
        show_repeat=True,
        tooltip="play / pause the steps",
        layout=ipywidgets.Layout(width="auto"),
    )
    step = ipywidgets.IntSlider(
        value=1,
        min=1,
        max=1,
        description="step",
        layout=ipywidgets.Layout(width=f"{round(440 * scale)}px", flex="1 1 auto"),
    )
    speed = ipywidgets.FloatSlider(
        value=2.0, min=0.5, max=20.0, step=0.5, description="steps/s", readout_format=".1f", layout=width(300)
    )
    stride = ipywidgets.IntSlider(
        value=stride,
        min=1,
        max=max(controller.stride_max, stride),
        description="stride",
        continuous_update=False,
        layout=width(300),
    )
    for widget, name in ((play, "play"), (step, "step"), (speed, "speed"), (stride, "stride")):
        widget.add_class(f"conv-lesson-{name}")
    play.step = 0  # the StepButtons' clock moves the step while playing (see StepButtons)
    return play, StepButtons(value=1, min=1, max=1, speed=2.0, finish_buttons=True), step, speed, stride


def _detector_menu(controller, names, scale):
    """The detector presets menu (with '(your detector)' first for one that is no preset)."""
    options = list(names)
    current = controller.preset_name or controller.matching_preset(options)
    if current is None:
        options, current = [CUSTOM] + options, CUSTOM
    elif current not in options:
        options = [current] + options
    menu = ipywidgets.Dropdown(
        options=options,
        value=current,
        description="detector",
        layout=ipywidgets.Layout(width=f"{round(320 * scale)}px"),
    )
    menu.add_class("conv-lesson-detector")
    return menu


def _note_html(name):
    note = "your own detector" if name == CUSTOM else data.describe_detector(name)
    return f'<span class="conv-lesson-detector-note">{html.escape(note)}</span>'


def _padding_menu(padding, scale):
    choices = list(PADDING_CHOICES)
    value = _padding_choice(padding, choices)
    menu = ipywidgets.Dropdown(
        options=choices,
        value=value,
        description="padding",
        layout=ipywidgets.Layout(width=f"{round(220 * scale)}px"),
    )
    menu.add_class("conv-lesson-padding")
    return menu


def _flip_box(flip):
    box = ipywidgets.Checkbox(
        value=bool(flip),
        description="flip the detector (true convolution)",
        indent=False,
        layout=ipywidgets.Layout(width="auto"),
    )
    box.add_class("conv-lesson-flip")
    return box


class StepperReadout:
    """What a stepper shows, read from its ``controller``: the part of :class:`Stepper` for Python readers."""

    @property
    def figure(self):
        """The matplotlib Figure the frames are drawn from."""
        return self.controller.figure.figure

    @property
    def mode(self):
        """``'flipbook'`` or ``'live'``, for the current settings."""
        return self.controller.mode

    @property
    def n_steps(self):
        """How many steps (feature-map cells) the current settings give."""
        return self.controller.n_steps

    @property
    def last_error(self):
        """The last error a callback caught, or None."""
        return self._errors.last_error

    @property
    def status(self):
        """The status line of the current step (plain text)."""
        return self.controller.status

    @property
    def arithmetic(self):
        """The products and their sum at the current step (plain text)."""
        return self.controller.arithmetic

    @property
    def alt_text(self):
        """A short text alternative of the current picture."""
        return self.controller.alt_text

    def shown_feature_map(self):
        """The feature map as shown at the current step: float, NaN where not yet filled.

        Examples
        --------
        >>> from conv_lesson import data
        >>> s = stepper(data.face_image(), data.face_detector())
        >>> s.step.value = 2
        >>> s.shown_feature_map()[0, :3]
        array([ 0.,  1., nan])
        """
        return self.controller.shown_feature_map()

    def frame_png(self):
        """PNG bytes of the picture the browser shows at the current step."""
        return self.controller.png()

    def current_view(self):
        """The :class:`conv_lesson.ops.StepView` of the current step."""
        return self.controller.view

    def _static_text(self):
        lines = [f"Stepper ({self.controller.mode}). {self._static_alt()}", *self._static_lines(), RUN_NOTE]
        return "\n".join(lines)

    def _static_png(self):
        return self.controller.final_png()

    def _static_min_text_px(self):
        return self.controller.figure.smallest_text_px()

    def _static_alt(self):
        c = self.controller
        return alt_text(c.scan, c.final_view())

    def _static_lines(self):
        view = self.controller.final_view()
        return [status_line(view), arithmetic_line(view)]


class StepperPicture(StaticPicture):
    """Mixin: a widget built around a :class:`Stepper` (``self.stepper``) saves the stepper's picture.

    Its finished map, smallest text, alt text and the lines under it; the widget
    adds what it shows besides (its own ``_static_text``, more lines).
    """

    def _static_png(self):
        return self.stepper._static_png()

    def _static_min_text_px(self):
        return self.stepper._static_min_text_px()

    def _static_alt(self):
        return self.stepper._static_alt()

    def _static_lines(self):
        return self.stepper._static_lines()


class Stepper(StepperReadout, StaticPicture, ipywidgets.VBox):
    """Step through a convolution one window at a time (see :func:`stepper`, which builds it).

    Attributes
    ----------
    controller : StepperController
        The state and the actions; the widgets only show it and call it.
    step : ipywidgets.IntSlider
        The step shown, from 1 to the number of feature-map cells.
    stride : ipywidgets.IntSlider
        The stride, from 1 to the largest at which the window still moves.
    play : ipywidgets.Play
        Plays the steps (linked to ``step`` in the browser).
    speed : ipywidgets.FloatSlider
        Steps per second while playing.
    buttons : StepButtons
    view : FrameView
        The picture and the text under it.
    error : ipywidgets.HTML
        Shows an error raised inside a callback (hidden when there is none).
    detector_menu, detector_note, padding_menu, flip_box : ipywidgets widget or None
        The optional controls, when asked for.
    """

    def __init__(self, image, detector, *, presets=False, padding_control=False, flip_control=False, **settings):
        """Build the controls around a :class:`StepperController` of ``image``, ``detector`` and ``settings``."""
        for name, value in (("padding_control", padding_control), ("flip_control", flip_control)):
            check_bool(value, name)
        names = resolve_presets(presets)
        self.controller = c = StepperController(image, detector, **settings)
        self._quiet = False
        self._errors = ErrorBox()
        self.error = self._errors.widget
        self.play, self.buttons, self.step, self.speed, self.stride = _controls(c, c.scale)
        self.detector_menu = _detector_menu(c, names, c.scale) if names else None
        self.detector_note = (
            None
            if self.detector_menu is None
            else ipywidgets.HTML(_note_html(self.detector_menu.value), layout=ipywidgets.Layout(width="auto"))
        )
        self._custom_detector = c.settings["detector"]
        self.padding_menu = _padding_menu(c.settings["padding"], c.scale) if padding_control else None
        self.flip_box = _flip_box(c.settings["flip"]) if flip_control else None
        extras = [w for w in (self.detector_menu, self.detector_note, self.padding_menu, self.flip_box) if w]
        self.view = FrameView()
        # in the browser: Play -> step slider -> picture and buttons, with no kernel
        pairs = [(self.play, self.step, "value", "value"), (self.step, self.view, "value", "index"),
                 (self.step, self.buttons, "value", "value"), (self.speed, self.buttons, "value", "speed"),
                 (self.buttons, self.play, "interval", "interval"), (self.play, self.buttons, "playing", "playing"),
                 (self.play, self.buttons, "repeat", "repeat")]  # fmt: skip
        self._links = [ipywidgets.jslink((a, x), (b, y)) for a, b, x, y in pairs]
        self._observe()
        self._rows = [
            ipywidgets.HBox([self.play, self.buttons, self.step], layout=self._row_layout()),
            ipywidgets.HBox([self.speed, self.stride] + extras, layout=self._row_layout()),
        ]
        super().__init__(self._rows + [self.error, self.view])
        css_class = "conv-lesson-stepper-" + uuid.uuid4().hex[:10]
        self.add_class("conv-lesson-stepper")
        self.add_class(css_class)
        self.view.scoped_css = scale_css(css_class, c.scale)
        self._show_build()

    @staticmethod
    def _row_layout():
        return ipywidgets.Layout(align_items="center", flex_flow="row wrap")

    def _observe(self):
        guard = self._errors.guard
        self.step.observe(guard(self._on_step), "value")
        self.play.observe(guard(self._on_follow), "value")
        self.buttons.observe(guard(self._on_follow), "value")
        self.view.observe(guard(self._on_view_index), "index")
        self.view.on_msg(guard(self._on_view_request))
        self.speed.observe(guard(self._on_speed), "value")
        self.stride.observe(guard(self._on_stride), "value")
        for menu, action in (
            (self.detector_menu, self._on_detector),
            (self.padding_menu, self._on_padding),
            (self.flip_box, self._on_flip),
        ):
            if menu is not None:
                menu.observe(guard(action), "value")

    def next_step(self):
        """One step forward (as the next button does)."""
        self.step.value = min(self.step.value + 1, self.step.max)

    def previous_step(self):
        """One step back (as the previous button does)."""
        self.step.value = max(self.step.value - 1, self.step.min)

    def finish_row(self):
        """To the last step of the current row, or of the next row at a row's end (the "finish row" button)."""
        self.step.value = self.controller.row_end(self.step.value)

    def finish_map(self):
        """To the last step: the whole feature map (the "finish map" button)."""
        self.step.value = self.n_steps

    def change(self, **settings):
        """Show a new ``image``, ``detector``, ``padding``, ``dilation`` or ``flip``; returns self.

        See :meth:`StepperController.change`. The step stays where it was. On
        an error (raised here, for the caller to show) nothing changes.
        """
        before = self.controller.step
        self.controller.change(**settings)
        self._show_build(moved=self.controller.step != before)
        return self

    def save_animation(self, path, *, fps=2, progress_callback=None):
        """Write the whole stepping as an animation for slides (see :meth:`StepperController.save_animation`)."""
        return self.controller.save_animation(path, fps=fps, progress_callback=progress_callback)

    def close(self):
        """Close this widget and every widget it made (also after a failed ``__init__``)."""
        for link in getattr(self, "_links", []):
            link.close()
        names = (
            "play",
            "buttons",
            "step",
            "speed",
            "stride",
            "detector_menu",
            "detector_note",
            "padding_menu",
            "flip_box",
            "error",
            "view",
        )
        for widget in [getattr(self, name, None) for name in names] + getattr(self, "_rows", []):
            if widget is not None:
                widget.close()
        super().close()

    # showing what the controller says

    def _show_build(self, moved=True):
        """After a (re)build: frames, texts and ranges to the browser, then the current step.

        ``moved``: the rebuild moved the step (fewer steps now), so the browser must be told it;
        otherwise the step is left to the browser, which may be ahead (see :func:`set_range`).
        """
        c = self.controller
        n, k = c.n_steps, c.step
        self._quiet = True
        try:
            with self.view.hold_sync():
                flipbook = c.mode == "flipbook"
                self.view.frames = c.frame_urls() if flipbook else []
                self.view.texts, self.view.alts = c.texts_and_alts() if flipbook else ([], [])
                self.view.count = n
                self.view.min_text_px = c.figure.smallest_text_px()
                self.view.mode = c.mode
            for widget in (self.step, self.play, self.buttons):
                set_range(widget, k, n, keep_value=not moved)
            self.buttons.row_length = c.row_length
            set_range(self.stride, c.scan.stride[0], max(c.stride_max, c.scan.stride[0]))
            if moved:
                self.view.index = k
        finally:
            self._quiet = False
        self._show_step(push=moved)
        self._errors.clear()

    def _show_step(self, push):
        """The current step: the live frame (live mode) and, when ``push``, every control's value."""
        c = self.controller
        self._quiet = True
        try:
            with self.view.hold_sync():  # one message: the browser never sees the index without its frame
                if c.mode == "live":
                    self.view.live_frame = data_url(c.png())
                    self.view.live_text = step_html(c.view)
                    self.view.live_alt = c.alt_text
                    self.view.live_step = c.step
                if push:
                    self.view.index = c.step
            if push:
                self.buttons.value = self.play.value = c.step
        finally:
            self._quiet = False

    # callbacks

    def _on_step(self, change):
        if self._quiet:
            return
        if self.controller.mode == "live" and _from_frontend(self.step, "value"):
            return  # the picture asks for the latest step itself (_on_view_request): no backlog
        self.controller.set_step(change.new)
        # a change typed in the browser is already linked there: do not echo it
        self._show_step(push=not _from_frontend(self.step, "value"))
        self._errors.clear()

    def _on_follow(self, change):
        if self._quiet or _from_frontend(change.owner, "value"):
            return  # from the browser the jslink moves the slider
        self.step.value = change.new

    def _on_view_request(self, _widget, content, _buffers):
        """Live mode: the browser asks for the frame of the step it is at (one request at a time)."""
        step = content.get("request") if isinstance(content, dict) else None
        if self.controller.mode != "live" or not isinstance(step, int):
            return
        self.controller.set_step(min(max(step, 1), self.n_steps))
        self._show_step(push=False)

    def _on_view_index(self, change):
        if self._quiet or _from_frontend(self.view, "index"):
            return
        self.step.value = min(max(change.new, 1), self.n_steps)

    def _on_speed(self, change):
        self.buttons.speed = change.new
        self.play.interval = interval_ms(change.new)

    def _rebuild(self, control, old, action):
        """Run a rebuilding action; on failure put ``control`` back and let the guard show the error."""
        before = self.controller.step
        try:
            action()
        except Exception:
            self._quiet = True
            try:
                control.value = old
            finally:
                self._quiet = False
            raise
        self._show_build(moved=self.controller.step != before)

    def _on_stride(self, change):
        if not self._quiet:
            self._rebuild(self.stride, change.old, lambda: self.controller.set_stride(change.new))

    def _on_detector(self, change):
        if self._quiet:
            return
        name = change.new
        arr = self._custom_detector if name == CUSTOM else data.detector(name)
        self._rebuild(self.detector_menu, change.old, lambda: self.controller.change(detector=arr))
        self.detector_note.value = _note_html(self.detector_menu.value)

    def _on_padding(self, change):
        if not self._quiet:
            self._rebuild(self.padding_menu, change.old, lambda: self.controller.change(padding=change.new))

    def _on_flip(self, change):
        if not self._quiet:
            self._rebuild(self.flip_box, change.old, lambda: self.controller.change(flip=bool(change.new)))


def stepper(
    image,
    detector,
    *,
    stride=1,
    padding=0,
    dilation=1,
    flip=False,
    scale=1.0,
    presets=False,
    padding_control=False,
    flip_control=False,
    mode="auto",
):
    """Step through a convolution: the window, the detector and the feature map, one cell at a time.

    One figure with three panels (the input with the current window, the
    detector, the feature map filled so far with the current cell
    outlined), the arithmetic of the step and a status line under it, and
    controls: Play, previous/next, a step slider, a speed slider and a
    stride slider. Small arrays show every cell's number.

    Up to :data:`FLIPBOOK_MAX_STEPS` steps, every frame is rendered up front
    and the browser switches between them (a *flipbook*: no kernel round
    trip, and it still works with no kernel at all); beyond that (a photo at
    stride 1) each step is rendered live by the kernel. The widget and its
    attributes are the same in both modes.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    detector : array_like or str
        The detector, or the name of a preset (see
        :func:`conv_lesson.data.detector_names`).
    stride : int, default 1
        The starting stride (the stride slider changes it).
    padding : int, (int, int), 'valid' or 'same', default 0
    dilation : int or (int, int), default 1
    flip : bool, default False
        As for :func:`conv_lesson.ops.feature_map`.
    scale : float, default 1.0
        Enlarges the whole widget (figure, fonts, controls) for presenting;
        1.6 reads from the back of a room on a 1280x720 projector.
    presets : bool or list of str, default False
        Add a dropdown of detector presets (all of them, or the listed ones).
    padding_control : bool, default False
        Add a padding dropdown (0, 1, 2, 'same').
    flip_control : bool, default False
        Add a checkbox that flips the detector (true convolution).
    mode : {'auto', 'flipbook', 'live'}, default 'auto'
        Force one way of showing frames; 'auto' chooses by the number of
        steps (and the frames' total size).

    Returns
    -------
    Stepper
        An ``ipywidgets.VBox``: display it, or make it the last expression
        of a cell. Drive it from Python through ``.step.value`` and
        ``.stride.value``; read ``.shown_feature_map()``, ``.frame_png()``,
        ``.status`` and ``.arithmetic``.

    Raises
    ------
    TypeError, ValueError
        As for :func:`conv_lesson.ops.feature_map`, and for a stride that is
        not an int, a scale outside 0.25..4, unknown preset names or mode.

    Examples
    --------
    >>> from conv_lesson import data
    >>> s = stepper(data.face_image(), data.face_detector())
    >>> s.step.max, s.mode
    (25, 'flipbook')
    >>> s.step.value = 14
    >>> s.status
    'step 14 of 25 · window at row 2, column 3 · feature map cell (2, 3) = 2'
    >>> s.stride.value = 2  # 9 steps now: the step is clamped
    >>> s.step.max, s.step.value
    (9, 9)
    """
    return Stepper(
        image,
        detector,
        stride=stride,
        padding=padding,
        dilation=dilation,
        flip=flip,
        scale=scale,
        presets=presets,
        padding_control=padding_control,
        flip_control=flip_control,
        mode=mode,
    )
