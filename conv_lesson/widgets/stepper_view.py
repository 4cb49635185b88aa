"""The one stepper view: the step buttons (play, loop, back, next), the step and speed sliders and the picture.

Every kind of stepping (the scan stepper, lessons 07–08's figures, the
flip-and-slide) is a :class:`StepperView` of a
:class:`conv_lesson.widgets.controller.StepController`, with the same Play
clock, the same guard against a backlog of live frames, the same keys and
buttons, and the same rollback when a setting does not fit. In the browser,
the buttons, the step slider and the picture are ``jslink``-ed, so a flipbook
steps with no kernel; the kernel side only follows (for live frames and for
Python readers of ``.step.value``).
"""

from __future__ import annotations

import uuid

import ipywidgets

from ..ops.checks import check_real, check_scale
from .common import ErrorBox, StaticPicture, scale_css
from .frameview import FrameView, StepButtons, set_range
from .slider import Slider

__all__ = ["StepperView", "setting_slider", "from_frontend"]


def from_frontend(widget, name):
    """True while ``widget.name`` is being set by the browser (not from Python).

    ipywidgets offers no public way to tell; its ``_property_lock`` holds the
    names being set from the front end while their observers run.

    Examples
    --------
    >>> import ipywidgets
    >>> from_frontend(ipywidgets.IntSlider(), "value")
    False
    """
    return name in getattr(widget, "_property_lock", {})


def setting_slider(description, value, low, high, css, scale):
    """A slider for one setting of a stepper: it rebuilds the figure when let go.

    Examples
    --------
    >>> s = setting_slider("stride", 2, 1, 3, "stride", 1.0)
    >>> s.value, s.max, s.continuous_update
    (2, 3, False)
    """
    slider = Slider(value=value, min=low, max=max(high, value), description=description, continuous_update=False,
                    layout=ipywidgets.Layout(width=f"{round(260 * scale)}px"))  # fmt: skip
    slider.add_class(f"conv-lesson-{css}")
    return slider


def _controls(scale, finish_buttons, speed):
    """The buttons (play, loop, back, next, ...), the step and speed sliders."""
    step = Slider(value=1, min=1, max=1, description="step",
                  layout=ipywidgets.Layout(width=f"{round(440 * scale)}px", flex="1 1 auto"))  # fmt: skip
    speed = Slider(value=speed, min=0.5, max=20.0, step=0.5, description="steps/s",
                   layout=ipywidgets.Layout(width=f"{round(300 * scale)}px"))  # fmt: skip
    for widget, name in ((step, "step"), (speed, "speed")):
        widget.add_class(f"conv-lesson-{name}")
    return StepButtons(value=1, min=1, max=1, speed=speed.value, finish_buttons=finish_buttons), step, speed


class StepperView(StaticPicture, ipywidgets.VBox):
    """Play/pause, loop, back/next, a step slider, a speed slider, setting controls, and the picture of a controller.

    Parameters
    ----------
    controller : conv_lesson.widgets.controller.StepController
    controls : dict of str -> (str, int, int), optional
        For a setting of the controller: the slider's label, its min and its
        max. Moving the slider rebuilds the figure; an error (settings that
        do not fit) is shown in the widget and the slider goes back.
    extras : list of ipywidgets.Widget, optional
        More controls for the second row (a subclass wires them, through :meth:`rebuild`).
    finish_buttons : bool, default False
        Add the "finish row" and "finish map" buttons.
    name : str, default 'StepperView'
        What the widget is called in its text form.
    speed : float, default 2.0
        Steps per second when playing, to start with (0.5 to 20).
    scale : float, default 1.0

    The step slider is called what the figure calls its steps (``step_name``);
    a figure that names each step (``step_labels()``, e.g. ``"0.50"`` for
    t = 0.50) has the slider read them out instead of the step's number.

    Attributes
    ----------
    controller : StepController
    name : str
    scale : float
    step, speed : conv_lesson.widgets.slider.Slider
    buttons : StepButtons
        Play/pause (``buttons.playing``), loop (``buttons.repeat``), back, next.
    view : FrameView
    controls : dict of str -> conv_lesson.widgets.slider.Slider
    error : ipywidgets.HTML
        Shows an error raised inside a callback (hidden when there is none).

    Examples
    --------
    >>> from conv_lesson.draw.transposed import TransposedFigure
    >>> from conv_lesson.widgets.controller import StepController
    >>> def make_figure(stride):
    ...     if stride > 2:
    ...         raise ValueError("stride must be at most 2 here")
    ...     return TransposedFigure([[1, 2]], [[1, 1]], stride=stride)
    >>> v = StepperView(StepController(make_figure, {"stride": 1}), controls={"stride": ("stride", 1, 3)})
    >>> v.n_steps, v.step.max
    (2, 2)
    >>> v.controls["stride"].value = 3  # does not fit: shown in the widget, and the slider goes back
    >>> v.controls["stride"].value, str(v.last_error)
    (1, 'stride must be at most 2 here')
    """

    def __init__(self, controller, *, controls=None, extras=(), finish_buttons=False, name="StepperView", speed=2.0,
                 scale=1.0):  # fmt: skip
        self.controller, self.name, self.scale = controller, name, check_scale(scale)
        speed = check_real(speed, "speed", low=0.5, high=20.0)
        self._quiet = False
        self._errors = ErrorBox()
        self.error = self._errors.widget
        self.buttons, self.step, self.speed = _controls(self.scale, finish_buttons, speed)
        self.controls = {}
        for key, (label, low, high) in (controls or {}).items():
            css = key.replace("_", "-")
            self.controls[key] = setting_slider(label, controller.settings[key], low, high, css, self.scale)
        self._extras = [w for w in extras if w is not None]
        self.view = FrameView()
        # in the browser: the buttons (and their Play clock) -> step slider -> picture, with no kernel
        pairs = [(self.step, self.view, "value", "index"), (self.step, self.buttons, "value", "value"),
                 (self.speed, self.buttons, "value", "speed")]  # fmt: skip
        self._links = [ipywidgets.jslink((a, x), (b, y)) for a, b, x, y in pairs]
        guard = self._errors.guard
        self.step.observe(guard(self._on_step), "value")
        self.buttons.observe(guard(self._on_follow), "value")
        self.view.observe(guard(self._on_view_index), "index")
        self.view.on_msg(guard(self._on_view_request))
        self.speed.observe(guard(self._on_speed), "value")
        for key, slider in self.controls.items():
            slider.observe(guard(self._on_setting(key)), "value")
        row = ipywidgets.Layout(align_items="center", flex_flow="row wrap")
        self._rows = [ipywidgets.HBox([self.buttons, self.step], layout=row),
                      ipywidgets.HBox([self.speed, *self.controls.values(), *self._extras], layout=row)]  # fmt: skip
        super().__init__(self._rows + [self.error, self.view])
        css_class = "conv-lesson-stepper-" + uuid.uuid4().hex[:10]
        self.add_class("conv-lesson-stepper")
        self.add_class(css_class)
        self.view.scoped_css = scale_css(css_class, self.scale)
        self._show_build()

    @property
    def mode(self):
        """``'flipbook'`` or ``'live'``, for the current settings."""
        return self.controller.mode

    @property
    def n_steps(self):
        """How many steps the figure has."""
        return self.controller.n_steps

    @property
    def status(self):
        """The status line of the current step (plain text)."""
        return self.controller.status

    @property
    def detail(self):
        """The detail line (arithmetic, facts) of the current step (plain text)."""
        return self.controller.detail

    @property
    def alt_text(self):
        """A text alternative of the current picture."""
        return self.controller.alt_text

    @property
    def last_error(self):
        """The last error a callback caught, or None."""
        return self._errors.last_error

    def frame_png(self):
        """PNG bytes of the picture shown at the current step."""
        return self.controller.png()

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
        """To the last step (the "finish map" button)."""
        self.step.value = self.n_steps

    def close(self):
        """Close this widget and every widget it made (also after a failed ``__init__``)."""
        for link in getattr(self, "_links", []):
            link.close()
        parts = [getattr(self, name, None) for name in ("buttons", "step", "speed", "error", "view")]
        parts += [*getattr(self, "controls", {}).values(), *getattr(self, "_extras", []), *getattr(self, "_rows", [])]
        for widget in parts:
            if widget is not None:
                widget.close()
        super().close()

    def _static_text(self):
        return f"{self.name} ({self.mode}). {self._static_alt()}"

    def _static_png(self):
        return self.controller.final_png()

    def _static_min_text_px(self):
        return self.controller.figure.smallest_text_px()

    def _static_alt(self):
        return self.controller.figure.describe(self.n_steps)

    def _static_lines(self):
        fig = self.controller.figure
        return [fig.status(self.n_steps), fig.detail(self.n_steps)]

    def _static_tables(self):
        return self.controller.figure.tables_html(self.n_steps)

    def _show_settings(self):
        """After a (re)build: a subclass brings its own controls in line with the controller."""

    def _show_build(self, moved=True):
        """After a (re)build: frames, texts and ranges to the browser, then the current step.

        ``moved``: the rebuild moved the step (fewer steps now), so the browser must be told it;
        otherwise the step is left to the browser, which may be ahead (see :func:`set_range`).
        """
        c = self.controller
        self._quiet = True
        try:
            with self.view.hold_sync():
                flipbook = c.mode == "flipbook"
                self.view.frames = c.frame_urls() if flipbook else []
                self.view.patches = []  # whole pictures (publishing may store them as patches)
                self.view.texts, self.view.alts, self.view.tables = c.step_words() if flipbook else ([], [], [])
                self.view.count = c.n_steps
                self.view.min_text_px = c.figure.smallest_text_px()  # what the browser sizes the picture by
                self.view.mode = c.mode
            for widget in (self.step, self.buttons):
                set_range(widget, c.step, c.n_steps, keep_value=not moved)
            self.buttons.row_length = c.row_length
            self.step.description, self.step.labels = c.figure.step_name, c.figure.step_labels()
            self._show_settings()
            if moved:
                self.view.index = c.step
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
                    for name, value in c.live_state().items():
                        setattr(self.view, name, value)
                if push:
                    self.view.index = c.step
            if push:
                self.buttons.value = c.step
        finally:
            self._quiet = False

    def rebuild(self, control, old, action):
        """Run a rebuilding ``action``; on failure put ``control`` back to ``old`` and raise (the guard shows it)."""
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

    def _on_step(self, change):
        if self._quiet:
            return
        if self.controller.mode == "live" and from_frontend(self.step, "value"):
            return  # the picture asks for the latest step itself (_on_view_request): no backlog
        self.controller.set_step(change.new)
        # a change typed in the browser is already linked there: do not echo it
        self._show_step(push=not from_frontend(self.step, "value"))
        self._errors.clear()

    def _on_follow(self, change):
        if self._quiet or from_frontend(change.owner, "value"):
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
        if self._quiet or from_frontend(self.view, "index"):
            return
        self.step.value = min(max(change.new, 1), self.n_steps)

    def _on_speed(self, change):
        self.buttons.speed = change.new

    def _on_setting(self, key):
        def callback(change):
            if not self._quiet:
                self.rebuild(change.owner, change.old, lambda: self.controller.change(**{key: change.new}))

        return callback
