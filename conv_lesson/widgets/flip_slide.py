"""The flip-and-slide widget: a slider on t, the picture of ``(f*g)(t)`` being built, a sentence on it."""

from __future__ import annotations

import html
import math
import numbers

import ipywidgets
import numpy as np

from ..data.flip_slide import custom_slide_preset, slide_preset, slide_preset_names
from ..draw.flip_slide import slide_figure
from ..ops import format_number
from ..ops.checks import check_scale, describe, short
from .common import ErrorBox, StaticPicture, scale_css, size_picture

__all__ = ["Slide1D", "slide_1d"]

#: The line under a saved slide's picture ({slid}: t, or n for sequences).
SLIDE_NOTE = "▶ Run this cell to slide {slid} yourself: the picture above is the end of the slide."


def _example(f, g, preset, t_range, tau, step):
    """The example to show first, and the student's own one (None with a preset)."""
    if f is not None or g is not None:
        if preset is not None:
            raise TypeError(f"give either f and g, or preset, not both; got preset={preset!r} as well as f and g")
        custom = custom_slide_preset(f, g, t_range=t_range, tau=tau, step=step)
        return custom, custom
    for name, value in (("t_range", t_range), ("tau", tau), ("step", step)):
        if value is not None:
            raise ValueError(f"{name} is only for your own f and g; a preset sets its own (got {name}={short(value)})")
    return slide_preset("box*box" if preset is None else preset), None


def _check_start(t, spec):
    """``t`` as a float on the example's slider, or a clear error."""
    if isinstance(t, (bool, np.bool_)) or not isinstance(t, numbers.Real):
        raise TypeError(f"t must be a number (where the slider starts); got {describe(t)}")
    lo, hi = float(spec.t_grid[0]), float(spec.t_grid[-1])
    if not (math.isfinite(t) and lo <= t <= hi):
        raise ValueError(f"t must be between {format_number(lo)} and {format_number(hi)} for {spec.name!r}; got {t}")
    return float(t)


class Slide1D(StaticPicture, ipywidgets.VBox):
    """The flip-and-slide widget: see :func:`slide_1d` (which builds it and says what it holds).

    Examples
    --------
    >>> w = Slide1D(preset="two dice", t=2)
    >>> w.status.value.startswith("n = 2"), w.t.description
    (True, 'n')
    """

    #: The class every flip-and-slide box carries (its offline form too).
    CSS_CLASS = "conv-lesson-slide-1d"

    def __init__(self, f=None, g=None, *, preset=None, t_range=None, tau=None, step=None, t=None, scale=1.0):
        scale = check_scale(scale)
        spec, self._custom = _example(f, g, preset, t_range, tau, step)
        start = None if t is None else _check_start(t, spec)
        self.scale = scale
        self._quiet = False
        self._errors = ErrorBox()
        self._fig = slide_figure(spec, scale=scale)
        if start is not None:
            self._fig.update(start)
        self._make_controls(spec.name, scale)
        self._configure_controls(self._fig.preset, self._fig.t)
        self.min_text_px = size_picture(self.image, self._fig.figure)
        self._show_frame()
        self.t.observe(self._on_t, names="value")
        self.play.observe(self._on_play, names="value")
        self.preset.observe(self._on_preset, names="value")
        super().__init__(self._layout(scale))
        self.add_class(self.CSS_CLASS)
        self.add_class(f"conv-lesson-scale-{round(scale * 100)}")

    @property
    def figure(self):
        """The matplotlib Figure being shown (rebuilt when the example changes).

        Examples
        --------
        >>> type(slide_1d().figure).__name__
        'Figure'
        """
        return self._fig.figure

    @property
    def slide_figure(self):
        """The :class:`conv_lesson.draw.SlideFigure` behind the picture.

        Examples
        --------
        >>> type(slide_1d(preset="two dice").slide_figure).__name__
        'DiscreteSlideFigure'
        """
        return self._fig

    @property
    def error(self):
        """The HTML widget where a failed redraw is shown (hidden while all is well).

        Examples
        --------
        >>> slide_1d().error.layout.display
        'none'
        """
        return self._errors.widget

    @property
    def last_error(self):
        """The last exception a callback met (shown in :attr:`error`), or None.

        Examples
        --------
        >>> slide_1d().last_error is None
        True
        """
        return self._errors.last_error

    def value(self):
        """(f*g) at the current t (n for sequences).

        Examples
        --------
        >>> round(slide_1d(t=1.0).value(), 2)
        1.0
        """
        return self._fig.value

    def frame_png(self):
        """The PNG bytes the widget is showing now.

        Examples
        --------
        >>> slide_1d().frame_png()[:4]
        b'\\x89PNG'
        """
        return bytes(self.image.value)

    def _at_end(self):
        """The picture and its sentence at the end of the slide, where the whole result is traced."""
        fig, t_now = self._fig, self._fig.t
        fig.update(float(fig.t_grid[-1]))
        try:
            return fig.frame_png(), fig.status()
        finally:
            fig.update(t_now)

    def _static_text(self):
        return f"slide_1d. {self._fig.alt_text()}\n{self._at_end()[1]}\n{self._static_note()}"

    def _static_png(self):
        return self._at_end()[0]

    def _static_alt(self):
        return self._fig.alt_text()

    def _static_lines(self):
        return [self._at_end()[1]]

    def _static_note(self):
        return SLIDE_NOTE.format(slid=self._fig.slid)

    def _static_min_text_px(self):
        return self.min_text_px

    def _make_controls(self, name, scale):
        names = (["custom"] if self._custom is not None else []) + slide_preset_names()
        self.preset = ipywidgets.Dropdown(
            options=names, value=name, description="example", layout=ipywidgets.Layout(width="auto")
        )
        self.t = ipywidgets.FloatSlider(
            description="t",
            continuous_update=True,
            layout=ipywidgets.Layout(width="auto", flex=f"1 1 {round(360 * scale)}px"),
        )
        self.play = ipywidgets.Play(interval=120, description="play", tooltip="play: slide t")
        self.about = ipywidgets.HTML()
        self.image = ipywidgets.Image(format="png")
        self.status = ipywidgets.HTML()
        self.picture_text = ipywidgets.HTML()

    def _layout(self, scale):
        """The children, top to bottom: style, about, controls, picture, status, alt text, error."""
        controls = ipywidgets.HBox(
            [self.preset, self.play, self.t],
            layout=ipywidgets.Layout(align_items="center", width="100%", flex_flow="row wrap"),
        )
        roles = (
            (self.about, "about"), (self.t, "t"), (self.image, "image"), (self.status, "status"),
            (self.picture_text, "picture-text"), (self.error, "error"),
        )  # fmt: skip
        for widget, role in roles:
            widget.add_class(f"conv-lesson-slide-{role}")  # stable hooks for browser tests and styling
        css = (
            f"<style>{scale_css(f'conv-lesson-scale-{round(scale * 100)}', scale)}"
            f".{self.CSS_CLASS} .widget-html-content {{ line-height: 1.45; }}</style>"
        )
        style = ipywidgets.HTML(css, layout=ipywidgets.Layout(margin="0"))
        return [style, self.about, controls, self.image, self.status, self.picture_text, self.error]

    def _configure_controls(self, spec, t0):
        grid = spec.t_grid
        self._quiet = True
        try:
            with self.t.hold_trait_notifications():
                # widen first so no intermediate state has min > max
                self.t.min = min(self.t.min, float(grid[0]))
                self.t.max = max(self.t.max, float(grid[-1]))
                self.t.step = spec.step
                self.t.min, self.t.max = float(grid[0]), float(grid[-1])
                self.t.value = float(t0)
            self.t.description = "n" if spec.discrete else "t"
            self.t.readout_format = f".{self._fig.decimals}f"
            self.play.max = len(grid) - 1
            self.play.value = self._index(t0)
            self.about.value = f"<b>{html.escape(spec.title)}.</b> {html.escape(spec.about)}"
            self.picture_text.value = f'<span style="color:#555">{html.escape(self._fig.alt_text())}</span>'
        finally:
            self._quiet = False

    def _index(self, t):
        return int(np.argmin(np.abs(self._fig.t_grid - t)))

    def _show_frame(self):
        self.image.value = self._fig.frame_png()
        self.status.value = html.escape(self._fig.status(), quote=False)
        self._errors.clear()

    def _on_t(self, change):
        if not self._quiet:
            self._errors.guard(self._draw, f"draw t = {change['new']}")(change["new"])

    def _draw(self, t):
        self._fig.update(t)  # checks t
        self._show_frame()
        self._quiet = True
        try:
            self.play.value = self._index(self._fig.t)
        finally:
            self._quiet = False

    def _on_play(self, change):
        if not self._quiet:
            self._errors.guard(self._step, f"step to frame {change['new']}")(change["new"])

    def _step(self, index):
        self.t.value = float(self._fig.t_grid[int(index)])

    def _on_preset(self, change):
        self._errors.guard(self._switch, f"switch to the example {change['new']!r}")(change["new"])

    def _switch(self, name):
        spec = self._custom if name == "custom" else slide_preset(name)
        self._fig = slide_figure(spec, scale=self.scale)  # the old one stays if this fails
        self._configure_controls(spec, self._fig.t)
        self.min_text_px = size_picture(self.image, self._fig.figure)
        self._show_frame()


def slide_1d(f=None, g=None, *, preset=None, t_range=None, tau=None, step=None, t=None, scale=1.0):
    """Flip and slide: watch ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` being built, t by t.

    A slider moves t. The picture shows f(τ) and g(t − τ) (g flipped, then
    slid to t) with their product shaded, and below, (f*g)(t) traced up to
    t; the value is written on the picture and a sentence under it says
    what is shown. The arrow keys step the focused slider; the play button
    slides t by itself. For sequences (such as two dice) the sum
    ``Σ_k f[k] g[n − k]`` is shown instead, with bars.

    Parameters
    ----------
    f, g : callable or array_like, optional
        Your own example: two vectorised functions of a numpy array, or two
        1-D sequences indexed from 0. Leave both out to use a preset.
    preset : str, optional
        One of ``'box*box'`` (the default), ``'noisy signal * box'``,
        ``'two dice'``, ``'exponential decay response'``; the widget's
        "example" menu switches between them.
    t_range : (float, float), optional
        Your own f and g only: the slider's range (see
        :func:`conv_lesson.data.custom_slide_preset` for the defaults).
    tau : array_like, optional
        Your own functions only: the integration grid over τ.
    step : float, optional
        Your own functions only: the slider's step.
    t : float, optional
        Where the slider starts (default: the example's own start).
    scale : float, default 1.0
        Enlarges the picture, its fonts and the controls, for presenting
        (1.6 reads well from the back of a room).

    Returns
    -------
    Slide1D
        An ``ipywidgets.VBox``. ``.t`` is the slider (a ``FloatSlider``;
        setting ``.t.value`` redraws at once), ``.preset`` the example menu,
        ``.play`` the play button, ``.figure`` the matplotlib Figure,
        ``.frame_png()`` the PNG on show, ``.value()`` the current (f*g)(t),
        ``.status`` the sentence under the picture, ``.error`` where a
        failed redraw is reported (``.last_error`` keeps the exception).

    Raises
    ------
    TypeError, ValueError
        A bad argument, named in the message. Errors while the widget is
        in use are shown inside it instead of being raised.

    Examples
    --------
    >>> w = slide_1d()
    >>> w.t.value = 1.0
    >>> round(w.value(), 2)
    1.0
    >>> w.preset.value = "two dice"
    >>> w.t.value = 7
    >>> print(w.status.value)
    n = 7: the flipped g overlaps f at k = 1 to 6; the 6 products add up to (f*g)[7] = 6/36 ≈ 0.167,
    the chance that two dice sum to n.
    """
    return Slide1D(f, g, preset=preset, t_range=t_range, tau=tau, step=step, t=t, scale=scale)
