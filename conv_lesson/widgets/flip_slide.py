"""The flip-and-slide widget: a stepper over the positions of t, the picture of ``(f*g)(t)`` being built."""

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
from .controller import StepController, check_mode
from .stepper_view import StepperView

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


def _nearest_step(figure, t):
    """The step nearest to ``t`` on the figure's grid of t (None: where the example starts)."""
    t = figure.preset.t0 if t is None else t
    return int(np.argmin(np.abs(figure.t_grid - t))) + 1


class Slide1D(StepperView):
    """The flip-and-slide widget: see :func:`slide_1d` (which builds it and says what it holds).

    A :class:`StepperView` whose steps are the positions of t (live: each picture is drawn
    when it is shown), with the example menu as its one setting.

    Examples
    --------
    >>> w = Slide1D(preset="two dice", t=2)
    >>> w.status.startswith("n = 2"), w.step.description, w.step.labels[w.step.value - 1]
    (True, 'n', '2')
    """

    #: The class every flip-and-slide box carries (its offline form too).
    CSS_CLASS = "conv-lesson-slide-1d"
    #: Positions of t per second when playing, to start with (box*box's 201 in 20 s).
    SPEED = 10.0

    def __init__(self, f=None, g=None, *, preset=None, t_range=None, tau=None, step=None, t=None, mode="live",
                 scale=1.0):  # fmt: skip
        scale, mode = check_scale(scale), check_mode(mode)
        spec, self._custom = _example(f, g, preset, t_range, tau, step)
        start = None if t is None else _check_start(t, spec)

        def make_figure(example):
            return slide_figure(self._custom if example == "custom" else slide_preset(example), scale=scale)

        controller = StepController(make_figure, {"example": spec.name}, mode=mode)
        controller.set_step(_nearest_step(controller.figure, start))
        names = (["custom"] if self._custom is not None else []) + slide_preset_names()
        self.preset = ipywidgets.Dropdown(options=names, value=spec.name, description="example",
                                          layout=ipywidgets.Layout(width="auto"))  # fmt: skip
        self.preset.add_class("conv-lesson-slide-example")
        self.about = ipywidgets.HTML()
        self.about.add_class("conv-lesson-slide-about")
        super().__init__(controller, extras=[self.preset], name="slide_1d", speed=self.SPEED, scale=scale)
        self.children = [self.about, *self.children]
        self.preset.observe(self._on_example, "value")
        self.add_class(self.CSS_CLASS)

    @property
    def slide_figure(self):
        """The :class:`conv_lesson.draw.SlideFigure` behind the picture (a new one for each example).

        Examples
        --------
        >>> type(slide_1d(preset="two dice").slide_figure).__name__
        'DiscreteSlideFigure'
        """
        return self.controller.figure

    @property
    def figure(self):
        """The matplotlib Figure being shown.

        Examples
        --------
        >>> type(slide_1d().figure).__name__
        'Figure'
        """
        return self.slide_figure.figure

    @property
    def t(self):
        """Where g is slid to now: t (n for sequences).

        Examples
        --------
        >>> slide_1d(preset="two dice", t=4).t
        4.0
        """
        return float(self.slide_figure.t_grid[self.controller.step - 1])

    def value(self):
        """(f*g) at the current t (n for sequences).

        Examples
        --------
        >>> round(slide_1d(t=1.0).value(), 2)
        1.0
        """
        return float(self.slide_figure.values[self.controller.step - 1])

    def slide_to(self, t):
        """Slide g to the position of ``t`` on the example's grid (the nearest one), as the slider would.

        Parameters
        ----------
        t : float
            Between the first and the last position of t.

        Examples
        --------
        >>> w = slide_1d()
        >>> w.slide_to(0.5)
        >>> w.t, w.step.labels[w.step.value - 1]
        (0.5, '0.50')
        """
        self.step.value = _nearest_step(self.slide_figure, _check_start(t, self.slide_figure.preset))

    def close(self):
        """Close this widget and every widget it made."""
        for widget in (getattr(self, "about", None), getattr(self, "preset", None)):
            if widget is not None:
                widget.close()
        super().close()

    def _static_text(self):
        return f"slide_1d. {self._static_alt()}\n{self._static_lines()[0]}\n{self._static_note()}"

    def _static_note(self):
        return SLIDE_NOTE.format(slid=self.slide_figure.step_name)

    def _show_settings(self):
        fig = self.slide_figure
        self.about.value = f"<b>{html.escape(fig.preset.title)}.</b> {html.escape(fig.preset.about)}"
        self.preset.value = self.controller.settings["example"]  # quiet: the view is rebuilding

    def _on_example(self, change):
        if not self._quiet:
            switch = self._errors.guard(self.rebuild, f"switch to the example {change.new!r}")
            switch(change.owner, change.old, lambda: self._switch(change.new))

    def _switch(self, example):
        """The new example's figure, at its own start (on an error nothing changes)."""
        self.controller.change(example=example)
        self.controller.set_step(_nearest_step(self.slide_figure, None))


def slide_1d(f=None, g=None, *, preset=None, t_range=None, tau=None, step=None, t=None, mode="live", scale=1.0):
    """Flip and slide: watch ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` being built, t by t.

    A slider moves t along the example's grid. The picture shows f(τ) and
    g(t − τ) (g flipped, then slid to t) with their product shaded, and
    below, (f*g)(t) traced up to t; the value is written on the picture and
    under it, with a sentence saying what is shown. It is a stepper like
    every other (:class:`conv_lesson.widgets.StepperView`): ▶ slides t by
    itself at the speed set, the buttons and the arrow keys (on the picture
    or the slider) move one position, Home and End go to the ends. For
    sequences (such as two dice) the sum ``Σ_k f[k] g[n − k]`` is shown
    instead, with bars, and n moves.

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
        Where the slider starts: the nearest position of t on the grid
        (default: the example's own start).
    mode : {'live', 'flipbook', 'auto'}, default 'live'
        'live' draws each picture when it is shown (a slide has up to a few
        hundred positions); 'flipbook' draws them all first, so stepping needs
        no kernel; 'auto' as for :func:`conv_lesson.stepper`.
    scale : float, default 1.0
        Enlarges the picture, its fonts and the controls, for presenting
        (1.6 reads well from the back of a room).

    Returns
    -------
    Slide1D
        A :class:`conv_lesson.widgets.StepperView`: ``.step`` is the slider
        (setting ``.step.value`` redraws at once; ``.slide_to(t)`` goes to
        the position of t), ``.t`` and ``.value()`` the current t and
        (f*g)(t), ``.preset`` the example menu, ``.buttons`` play/pause and the steps,
        ``.figure`` the matplotlib Figure, ``.frame_png()`` the PNG on show,
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
    >>> w.slide_to(1.0)
    >>> round(w.value(), 2)
    1.0
    >>> w.preset.value = "two dice"
    >>> w.slide_to(7)
    >>> print(w.status)
    n = 7: the flipped g overlaps f at k = 1 to 6; the 6 products add up to (f*g)[7] = 6/36 ≈ 0.167,
    the chance that two dice sum to n.
    """
    return Slide1D(f, g, preset=preset, t_range=t_range, tau=tau, step=step, t=t, mode=mode, scale=scale)
