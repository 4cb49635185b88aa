"""A generic stepper for any stepped figure: a :class:`FlipbookController` (state, no widgets) and its view.

The figure (a :class:`conv_lesson.draw.grids.BlitFigure`: ``n_steps``,
``render``, ``frames``, ``status``, ``detail``, ``describe``) is made by a
function of a few settings; a setting's slider rebuilds it. Small figures
are flipbooks: every frame is rendered up front and Play, the buttons, the
step slider and the picture are ``jslink``-ed, so stepping needs no kernel.
"""

from __future__ import annotations

import contextlib
import html
import uuid

import ipywidgets

from ..draw.export import data_url
from ..ops.checks import check_scale
from .common import ErrorBox, StaticPicture, scale_css
from .controller import check_mode, flipbook_or_live
from .frameview import FrameView, StepButtons, interval_ms, set_range

__all__ = ["FlipbookController", "FlipbookStepper", "step_text_html"]


def step_text_html(status, detail):
    """The text under a frame as the flipbook shows it: a status line and a detail line.

    Parameters
    ----------
    status : str
        Where the step is (plain text).
    detail : str
        Its arithmetic or facts (plain text).

    Returns
    -------
    str
        Two ``div`` elements, the text escaped.

    Examples
    --------
    >>> step_text_html("step 1 of 2", "a < b")
    '<div class="conv-lesson-status">step 1 of 2</div><div class="conv-lesson-arithmetic">a &lt; b</div>'
    """
    return (
        f'<div class="conv-lesson-status">{html.escape(status)}</div>'
        f'<div class="conv-lesson-arithmetic">{html.escape(detail)}</div>'
    )


class FlipbookController:
    """A stepped figure's state: its settings, the figure, the frames and the current step.

    Parameters
    ----------
    make_figure : callable
        ``make_figure(**settings)`` returns the figure (it checks the settings).
    settings : dict
        The settings a control may change (see :meth:`change`).
    mode : {'auto', 'flipbook', 'live'}, default 'auto'
        'auto' renders every frame up front unless there are more than
        ``FLIPBOOK_MAX_STEPS`` steps (or the frames grow too large).

    Examples
    --------
    >>> from conv_lesson.draw.transposed import TransposedFigure
    >>> c = FlipbookController(lambda stride: TransposedFigure([[1, 2]], [[1, 1]], stride=stride), {"stride": 1})
    >>> c.mode, c.n_steps, c.set_step(2), c.status
    ('flipbook', 2, 2, 'step 2 of 2 · input cell (0, 1) = 2 stamps 2 × detector onto output rows 0–0, columns 1–2')
    >>> c.change(stride=3).figure.canvases[-1].tolist()
    [[1, 1, 0, 2, 2]]
    """

    def __init__(self, make_figure, settings, *, mode="auto"):
        self.make_figure, self.settings, self.mode_wanted = make_figure, dict(settings), check_mode(mode)
        self.step = 1
        self._build(make_figure(**self.settings), 1)

    @property
    def n_steps(self):
        """How many steps the current figure has."""
        return self.figure.n_steps

    def _build(self, figure, step):
        self.mode, self.frames = flipbook_or_live(figure, self.mode_wanted)
        self.figure = figure
        self.set_step(min(step, figure.n_steps))

    def set_step(self, step):
        """Make ``step`` the current one; return it."""
        self.step = self.figure.set_step(step)
        return self.step

    def change(self, **settings):
        """Rebuild with new settings (checked first: on an error nothing changes); returns self."""
        unknown = set(settings) - set(self.settings)
        if unknown:
            raise TypeError(f"change takes {', '.join(self.settings)}; got {', '.join(sorted(unknown))}")
        new = {**self.settings, **settings}
        figure = self.make_figure(**new)
        self.settings = new
        self._build(figure, self.step)
        return self

    def png(self, step=None):
        """PNG bytes of ``step`` (default: the current one); the current step stays as it is."""
        step = self.step if step is None else step
        if self.mode == "flipbook":
            return self.frames[step - 1]
        png = self.figure.frame_png(step)
        self.figure.set_step(self.step)
        return png

    def live_state(self):
        """The live picture of the current step: the FrameView traits a live frame sets, by name."""
        return {"live_frame": data_url(self.png()), "live_text": self.text_html(), "live_alt": self.alt_text,
                "live_step": self.step}  # fmt: skip

    def frame_urls(self):
        """Every flipbook frame as a data URL (none in live mode)."""
        return [data_url(png) for png in self.frames]

    def text_html(self, step=None):
        """The status and detail of ``step`` (default: the current one) as HTML."""
        step = self.step if step is None else step
        return step_text_html(self.figure.status(step), self.figure.detail(step))

    def texts_and_alts(self):
        """Every step's text (HTML) and alt text."""
        steps = range(1, self.n_steps + 1)
        return [self.text_html(k) for k in steps], [self.figure.describe(k) for k in steps]

    @property
    def status(self):
        """The status line of the current step."""
        return self.figure.status(self.step)

    @property
    def detail(self):
        """The detail line (arithmetic, facts) of the current step."""
        return self.figure.detail(self.step)

    @property
    def alt_text(self):
        """A text alternative of the current picture."""
        return self.figure.describe(self.step)


def _slider(description, value, low, high, css, scale):
    slider = ipywidgets.IntSlider(value=value, min=low, max=max(high, value), description=description,
                                  continuous_update=False, style={"description_width": "initial"},
                                  layout=ipywidgets.Layout(width=f"{round(260 * scale)}px"))  # fmt: skip
    slider.add_class(f"conv-lesson-{css}")
    return slider


def _delegate(name, doc):
    """A read-only property of the view that reads the controller's attribute ``name``."""
    return property(lambda self: getattr(self.controller, name), doc=doc)


class FlipbookStepper(StaticPicture, ipywidgets.VBox):
    """Play, previous/next, a step slider, a speed slider, setting sliders, and the picture of a controller.

    Parameters
    ----------
    controller : FlipbookController
    controls : dict of str -> (str, int, int), optional
        For a setting of the controller: the slider's label, its min and its
        max. Moving the slider rebuilds the figure; an error (settings that
        do not fit) is shown in the widget and the slider goes back.
    name : str, default 'FlipbookStepper'
        What the widget is called in its text form.
    scale : float, default 1.0

    Attributes
    ----------
    controller : FlipbookController
    name : str
    scale : float
    step, speed : ipywidgets.IntSlider, ipywidgets.FloatSlider
    play : ipywidgets.Play
    buttons : StepButtons
    view : FrameView
    controls : dict of str -> ipywidgets.IntSlider
    error : ipywidgets.HTML
    """

    def __init__(self, controller, *, controls=None, name="FlipbookStepper", scale=1.0):
        scale = check_scale(scale)
        self.controller, self.name, self.scale, self._quiet = controller, name, scale, False
        self._errors = ErrorBox()
        self.error = self._errors.widget
        self.play = ipywidgets.Play(value=1, min=1, max=1, interval=500, show_repeat=True,
                                    layout=ipywidgets.Layout(width="auto"))  # fmt: skip
        self.buttons = StepButtons(value=1, min=1, max=1, speed=2.0)
        self.step = ipywidgets.IntSlider(value=1, min=1, max=1, description="step",
                                         layout=ipywidgets.Layout(width=f"{round(440 * scale)}px"))  # fmt: skip
        self.speed = ipywidgets.FloatSlider(value=2.0, min=0.5, max=20.0, step=0.5, description="steps/s",
                                            readout_format=".1f",
                                            layout=ipywidgets.Layout(width=f"{round(300 * scale)}px"))  # fmt: skip
        self.controls = {key: _slider(label, controller.settings[key], low, high, key.replace("_", "-"), scale)
                         for key, (label, low, high) in (controls or {}).items()}  # fmt: skip
        self.view = FrameView()
        pairs = [(self.play, self.step, "value", "value"), (self.step, self.view, "value", "index"),
                 (self.step, self.buttons, "value", "value"), (self.speed, self.buttons, "value", "speed"),
                 (self.buttons, self.play, "interval", "interval")]  # fmt: skip
        self._links = [ipywidgets.jslink((a, x), (b, y)) for a, b, x, y in pairs]
        guard = self._errors.guard
        self.step.observe(guard(self._on_step), "value")
        for follower in (self.play, self.buttons):
            follower.observe(guard(self._on_follow), "value")
        self.speed.observe(guard(self._on_speed), "value")
        for key, slider in self.controls.items():
            slider.observe(guard(self._on_setting(key)), "value")
        row = ipywidgets.Layout(align_items="center", flex_flow="row wrap")
        self._rows = [ipywidgets.HBox([self.play, self.buttons, self.step], layout=row),
                      ipywidgets.HBox([self.speed, *self.controls.values()], layout=row)]  # fmt: skip
        super().__init__(self._rows + [self.error, self.view])
        css_class = "conv-lesson-flipbook-" + uuid.uuid4().hex[:10]
        self.add_class("conv-lesson-stepper")
        self.add_class(css_class)
        self.view.scoped_css = scale_css(css_class, scale)
        self._show_build()

    mode = _delegate("mode", "``'flipbook'`` or ``'live'``.")
    n_steps = _delegate("n_steps", "How many steps the figure has.")
    status = _delegate("status", "The status line of the current step.")
    detail = _delegate("detail", "The detail line (arithmetic, facts) of the current step.")
    alt_text = _delegate("alt_text", "A text alternative of the current picture.")

    @property
    def last_error(self):
        """The last error a callback caught, or None."""
        return self._errors.last_error

    def frame_png(self):
        """PNG bytes of the picture shown at the current step."""
        return self.controller.png()

    def next_step(self):
        """One step forward."""
        self.step.value = min(self.step.value + 1, self.step.max)

    def previous_step(self):
        """One step back."""
        self.step.value = max(self.step.value - 1, self.step.min)

    def _static_text(self):
        return f"{self.name} ({self.mode}). {self._static_alt()}"

    def _static_png(self):
        return self.controller.png(self.n_steps)

    def _static_min_text_px(self):
        return self.view.min_text_px

    def _static_alt(self):
        return self.controller.figure.describe(self.n_steps)

    def _static_lines(self):
        fig = self.controller.figure
        return [fig.status(self.n_steps), fig.detail(self.n_steps)]

    def close(self):
        """Close this widget and every widget it made."""
        for link in getattr(self, "_links", []):
            link.close()
        parts = [self.play, self.buttons, self.step, self.speed, self.error, self.view, *self.controls.values()]
        for widget in parts + self._rows:
            widget.close()
        super().close()

    def _show_build(self, moved=True):
        """After a (re)build: frames, texts and ranges to the browser; the step only if ``moved``
        (the rebuild moved it: fewer steps now), as the browser may be ahead (see :func:`set_range`)."""
        c = self.controller
        with self._quietly():
            with self.view.hold_sync():
                self.view.frames = c.frame_urls()
                self.view.texts, self.view.alts = c.texts_and_alts() if c.mode == "flipbook" else ([], [])
                self.view.count = c.n_steps
                self.view.min_text_px = c.figure.smallest_text_px()  # what the browser sizes the picture by
                self.view.mode = c.mode
            for widget in (self.step, self.play, self.buttons):
                set_range(widget, c.step, c.n_steps, keep_value=not moved)
            if moved:
                self.view.index = c.step
        self._show_step(push=moved)
        self._errors.clear()

    def _show_step(self, push=True):
        c = self.controller
        if c.mode == "live":
            with self.view.hold_sync():
                for name, value in c.live_state().items():
                    setattr(self.view, name, value)
        if not push:
            return
        with self._quietly():
            for widget, name in ((self.view, "index"), (self.buttons, "value"), (self.play, "value")):
                setattr(widget, name, c.step)

    @contextlib.contextmanager
    def _quietly(self):
        """Within the block, changes to the controls do not call back into the controller."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def _on_step(self, change):
        if not self._quiet:
            self.controller.set_step(change.new)
            self._show_step()
            self._errors.clear()

    def _on_follow(self, change):
        if not self._quiet:
            self.step.value = change.new

    def _on_speed(self, change):
        self.buttons.speed = change.new
        self.play.interval = interval_ms(change.new)

    def _on_setting(self, key):
        def callback(change):
            if self._quiet:
                return
            before = self.controller.step
            try:
                self.controller.change(**{key: change.new})
            except Exception:
                with self._quietly():
                    change.owner.value = change.old
                raise
            self._show_build(moved=self.controller.step != before)

        return callback
