"""The skeleton every flip-and-slide figure shares: build once, move, blit, export.

:class:`SlideFigure` is a :class:`.blit.SteppedFigure` (the one base of every
stepped figure): its steps are the positions of t on the example's grid. It
builds the figure and the result's axes and keeps the moving ("animated")
artists apart; the base blits them over a saved background and encodes the
frame. Its subclasses in :mod:`.flip_slide` draw the inputs of one kind of
example (functions or sequences), move them to a t and say what they show.
``SlideFigure(preset)`` gives the subclass that fits ``preset``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np
from matplotlib.figure import Figure

from ..data.flip_slide import SlidePreset, slide_preset
from ..ops.checks import check_real, check_scale
from .blit import SteppedFigure
from .readable import MIN_TEXT_PT

__all__ = ["SlideFigure"]

_CURSOR = "#555555"


def _as_preset(preset):
    """``preset`` itself, or the named example (a clear error for an unknown name)."""
    return preset if isinstance(preset, SlidePreset) else slide_preset(preset)


def _result_ylim(values):
    """The y range of the result: every value, with room above for the readout and legend."""
    lo, hi = float(values.min()), float(values.max())
    span = max(hi - lo, 1e-9)
    return min(0.0, lo) - (0.12 if lo < 0 else 0.04) * span, hi + 0.3 * span


def _legend(ax):
    """The legend of ``ax``, in its top-right corner."""
    ax.legend(loc="upper right", fontsize=MIN_TEXT_PT, framealpha=0.9)


class SlideFigure(SteppedFigure, ABC):
    """The flip-and-slide picture of ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ``, built once.

    Top: f and g flipped and slid to t, with their product. Bottom: (f*g)
    traced up to the current t. Its steps are the positions of t on the
    example's grid (step k is ``t_grid[k - 1]``); :meth:`update` also goes to
    a t between them. Moving changes only the moving artists; the base blits
    them over a saved background (:meth:`frame_png`, :meth:`render`).
    ``SlideFigure(preset)`` gives a :class:`.flip_slide.ContinuousSlideFigure`
    or a :class:`.flip_slide.DiscreteSlideFigure`, as :func:`.flip_slide.slide_figure`
    does; each subclass draws its own inputs, moves them and says what it shows.

    Parameters
    ----------
    preset : SlidePreset or str, default 'box*box'
        What to draw: a :class:`conv_lesson.data.SlidePreset` or the name of one.
    scale : float, default 1.0
        Enlarges the whole picture (fonts, lines and pixels) for presenting.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        On its own Agg canvas; never shown by pyplot.
    axes : tuple of matplotlib.axes.Axes
        From top to bottom; the last one shows (f*g).
    preset : SlidePreset
    t_grid : ndarray
        The slider's positions.
    values : ndarray
        (f*g) at every position of ``t_grid``, computed once.
    t, value : float
        The current t (n for sequences) and (f*g) there.
    view : conv_lesson.ops.SlideView or conv_lesson.ops.DiscreteSlideView
        The pieces of the sum or integral at the current t.

    Examples
    --------
    >>> fig = SlideFigure("box*box")
    >>> fig.update(1.0)
    >>> type(fig).__name__, round(fig.value, 2), fig.frame_png()[:4] == b"\\x89PNG"
    ('ContinuousSlideFigure', 1.0, True)
    >>> fig.set_step(fig.n_steps), bool(fig.t == fig.t_grid[-1])
    (201, True)
    """

    #: True for sequences, False for functions (set by each subclass).
    discrete: bool
    _HEIGHT_RATIOS: tuple
    _IN_VAR: str
    _OUT_VAR: str

    #: The figure for each kind of example, {discrete: subclass}; a subclass
    #: that sets ``discrete`` enters itself here (the first one of each kind).
    _kinds: ClassVar[dict] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "discrete" in vars(cls):
            SlideFigure._kinds.setdefault(cls.discrete, cls)

    def __new__(cls, preset="box*box", *, scale=1.0):
        if cls is SlideFigure:  # the figure that fits the example
            return super().__new__(SlideFigure._kinds[_as_preset(preset).discrete])
        return super().__new__(cls)

    def __init__(self, preset="box*box", *, scale=1.0):
        preset = _as_preset(preset)
        if preset.discrete != self.discrete:
            kind = "two sequences" if preset.discrete else "two functions"
            raise ValueError(
                f"preset {preset.name!r} is {kind}, which {type(self).__name__} does not draw; "
                f"use slide_figure(preset), which picks the figure that fits"
            )
        scale = check_scale(scale)
        super().__init__(scale, Figure(figsize=(8.6, 6.4), dpi=100 * scale, layout="constrained"))
        self.preset = preset
        self.t_grid = np.asarray(preset.t_grid, dtype=float)
        self.values = self._all_values()
        self.t = float("nan")
        self.value = float("nan")
        self.view = None
        self._build()
        self.update(preset.t0)

    @property
    def step_name(self):
        """What slides, and what the stepper's slider is called: ``'t'`` for functions, ``'n'`` for sequences.

        Examples
        --------
        >>> SlideFigure("box*box").step_name, SlideFigure("two dice").step_name
        ('t', 'n')
        """
        return self._OUT_VAR

    def step_labels(self):
        """Each step as the slider's readout: the position of t on the grid, as the figure writes it.

        Examples
        --------
        >>> labels = SlideFigure("box*box").step_labels()
        >>> len(labels), labels[75]
        (201, '0.50')
        """
        return [f"{t:.{self.decimals}f}" for t in self.t_grid]

    @property
    @abstractmethod
    def decimals(self):
        """How many decimals the slider's readout and the figure write t with (0 for sequences).

        Examples
        --------
        >>> SlideFigure("box*box").decimals, SlideFigure("two dice").decimals
        (2, 0)
        """

    @property
    def n_steps(self):
        """How many positions of t the grid has: the steps (step k is ``t_grid[k - 1]``)."""
        return len(self.t_grid)

    def _show(self, step):
        self._move_to(float(self.t_grid[step - 1]))

    def update(self, t):
        """Move to ``t`` (n for sequences, rounded to a whole number); nothing is drawn.

        ``step`` becomes the step of ``t`` when ``t`` is on the grid, None between steps.

        Parameters
        ----------
        t : float
            Any real number; the trace shows the precomputed values up to it.

        Examples
        --------
        >>> fig = SlideFigure("two dice")
        >>> fig.update(6.8)
        >>> fig.t, round(fig.value * 36), fig.step
        (7.0, 6, 8)
        """
        self._move_to(check_real(t, "t"))
        i = self._grid_index(self.t)
        self.step = None if i is None else i + 1

    def _grid_index(self, t):
        """The index of ``t`` on ``t_grid``, or None when it lies between two positions."""
        i = int(np.argmin(np.abs(self.t_grid - t)))
        return i if abs(self.t_grid[i] - t) <= 1e-6 * self.preset.step else None

    def value_at(self, t):
        """(f*g) at ``t``: the value computed once on the grid, or computed now off it.

        Parameters
        ----------
        t : float

        Returns
        -------
        float

        Examples
        --------
        >>> fig = SlideFigure("box*box")
        >>> round(fig.value_at(0.5), 2), round(fig.value_at(0.505), 2)
        (0.5, 0.5)
        """
        t = check_real(t, "t")
        i = self._grid_index(t)
        return self._value_off_grid(t) if i is None else float(self.values[i])

    def status(self, step=None):
        """One sentence saying what the frame shows, for screen readers and for reading.

        Parameters
        ----------
        step : int, optional
            Go to this step first (default: say what is shown now).

        Examples
        --------
        >>> fig = SlideFigure("two dice")
        >>> fig.update(2)
        >>> print(fig.status())
        n = 2: the flipped g overlaps f at k = 1; the 1 product adds up to (f*g)[2] = 1/36 ≈ 0.028,
        the chance that two dice sum to n.
        """
        if step not in (None, self.step):  # moving again would compute the same view again
            self.set_step(step)
        return self._status()

    def detail(self, step=None):
        """The sum or integral at this t written out (after going to ``step``, if given).

        Examples
        --------
        >>> SlideFigure("two dice").detail(6)
        '(f*g)[5] = f[1]·g[4] + f[2]·g[3] + f[3]·g[2] + f[4]·g[1] = 1/36 + 1/36 + 1/36 + 1/36 = 4/36 ≈ 0.111'
        """
        if step not in (None, self.step):  # moving again would compute the same view again
            self.set_step(step)
        return self._detail()

    def describe(self, step=None):
        """The text alternative of the picture: :meth:`alt_text` (it does not change with t)."""
        if step not in (None, self.step):  # moving again would compute the same view again
            self.set_step(step)
        return self.alt_text()

    @abstractmethod
    def _status(self):
        """One sentence saying what the frame shows (see :meth:`status`)."""

    @abstractmethod
    def _detail(self):
        """The sum or integral at the current t written out (see :meth:`detail`)."""

    @abstractmethod
    def alt_text(self):
        """What the figure shows, in words (it does not change with t).

        Examples
        --------
        >>> SlideFigure("two dice").alt_text()[:40]
        'Figure, three rows. Top: f[k] as blue ba'
        """

    @abstractmethod
    def _all_values(self):
        """(f*g) at every position of ``t_grid``."""

    @abstractmethod
    def _value_off_grid(self, t):
        """(f*g) at a ``t`` that is not on ``t_grid``."""

    @abstractmethod
    def _build_inputs(self, *axes):
        """Draw f and the moving g (and their products) on every axes but the last."""

    @abstractmethod
    def _build_result(self, ax, ylim):
        """Set the y range (``ylim`` fits the values) and the moving (f*g) artists of ``ax``."""

    @abstractmethod
    def _move_to(self, t):
        """Set every moving artist, ``view``, ``t`` and ``value`` for ``t`` (no drawing)."""

    def _build(self):
        fig = self.figure
        fig.suptitle(self.preset.title, fontsize=14, fontweight="bold")
        n_rows = len(self._HEIGHT_RATIOS)
        self.axes = tuple(fig.subplots(n_rows, 1, sharex=True, height_ratios=self._HEIGHT_RATIOS))
        for ax in self.axes:
            ax.tick_params(labelsize=MIN_TEXT_PT, labelbottom=True)
            ax.grid(True, color="#e4e4e4", linewidth=0.8)
            ax.axhline(0, color=_CURSOR, linewidth=0.8)
            ax.set_xlim(*self.preset.xlim)
        self._build_inputs(*self.axes[:-1])
        self.axes[0].set_xlabel(self._IN_VAR, fontsize=11, labelpad=1)
        ax_out = self.axes[-1]
        self._build_result(ax_out, _result_ylim(self.values))
        ax_out.set_xlabel(self._OUT_VAR, fontsize=11, labelpad=1)
        cursor = ax_out.axvline(0, color=_CURSOR, linestyle="--", linewidth=1.2)
        self._cursor_out = self._mark_moving(ax_out, cursor, -1)
        self._out_text = self._mark_moving(ax_out, self._corner_text(ax_out, 0.96), 2)
        _legend(ax_out)
        self._freeze_layout()

    @staticmethod
    def _corner_text(ax, y):
        """An empty readout in the top-left corner of ``ax``."""
        return ax.text(0.01, y, "", transform=ax.transAxes, va="top", ha="left", fontsize=12)

    def _build_cursor(self, ax, label):
        """The dashed line at t (or n) on ``ax``, named in its legend (``label``), and the readout in its corner.

        The name is a legend entry, not text beside the line: the line crosses the whole panel,
        and text that moved with it would run over the legend or past the right edge.
        """
        self._cursor_in = self._mark_moving(ax, ax.axvline(0, color=_CURSOR, linestyle="--", linewidth=1.2), -1)
        self._cursor_name = label
        self._in_text = self._mark_moving(ax, self._corner_text(ax, 0.96), 2)

    def _input_legend(self, ax):
        """The legend of the inputs' panel: its entries, then the dashed line's."""
        ax.plot([], [], color=_CURSOR, linestyle="--", linewidth=1.2, label=f"dashed line: {self._cursor_name}")
        _legend(ax)

    def _move_cursors(self, x):
        for line in (self._cursor_in, self._cursor_out):
            line.set_xdata([x, x])
