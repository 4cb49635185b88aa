"""The flip-and-slide figures: ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` built up, t by t.

Two pictures of one idea, on the skeleton :class:`.flip_slide_base.SlideFigure`:

- :class:`ContinuousSlideFigure`, for two functions: f(τ) and the flipped,
  slid g(t − τ) with their product shaded, and (f*g)(t) traced below;
- :class:`DiscreteSlideFigure`, for two sequences: f[k] as bars, g[n − k] as
  stems, their products, and (f*g)[n] as bars.

:func:`slide_figure` (or ``SlideFigure(preset)`` itself) gives the one that
fits the example. The arithmetic comes from :mod:`conv_lesson.ops`, the
examples from :mod:`conv_lesson.data.flip_slide`, the words from :mod:`.flip_slide_text`.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.ticker import MaxNLocator, MultipleLocator

from .. import ops
from .flip_slide_base import SlideFigure
from .flip_slide_text import (
    bar_label,
    continuous_alt_text,
    continuous_detail,
    continuous_status,
    discrete_alt_text,
    discrete_detail,
    discrete_status,
    position_decimals,
    position_text,
    value_text,
)
from .readable import MIN_TEXT_PT

__all__ = ["ContinuousSlideFigure", "DiscreteSlideFigure", "SlideFigure", "slide_figure"]

# Okabe-Ito colours: told apart with any of the common colour-vision deficiencies.
F_COLOUR = "#0072B2"  # blue: f
G_COLOUR = "#E69F00"  # orange: g, flipped and slid
POSITIVE_COLOUR = "#009E73"  # bluish green: product, adds to the area
NEGATIVE_COLOUR = "#CC79A7"  # reddish purple (hatched): product, takes away
RESULT_COLOUR = "#000000"  # black: f*g
REFERENCE_COLOUR = "#9A9A9A"  # grey: the input, for comparison
_BAR_WIDTH = 0.7


def _bars(x, heights):
    """Rectangles (as vertex lists) from the baseline to each height."""
    x = np.asarray(x, dtype=float)
    left, right = x - _BAR_WIDTH / 2, x + _BAR_WIDTH / 2
    return [[(a, 0.0), (a, y), (b, y), (b, 0.0)] for a, b, y in zip(left, right, np.asarray(heights, float))]


def _area(x, y):
    """One closed polygon between the baseline and the curve y(x)."""
    xs = np.concatenate([[x[0]], x, [x[-1]]])
    ys = np.concatenate([[0.0], y, [0.0]])
    return [np.column_stack([xs, ys])]


def slide_figure(preset="box*box", scale=1.0):
    """The flip-and-slide figure that fits ``preset``: for functions or for sequences.

    Parameters
    ----------
    preset : SlidePreset or str, default 'box*box'
        A :class:`conv_lesson.data.SlidePreset` or the name of one (see
        :func:`conv_lesson.data.slide_preset_names`).
    scale : float, default 1.0
        Enlarges the whole picture (fonts, lines and pixels) for presenting.

    Returns
    -------
    ContinuousSlideFigure or DiscreteSlideFigure

    Raises
    ------
    TypeError, ValueError
        An unknown preset or a bad scale, named in the message.

    Examples
    --------
    >>> type(slide_figure("box*box")).__name__, type(slide_figure("two dice")).__name__
    ('ContinuousSlideFigure', 'DiscreteSlideFigure')
    """
    return SlideFigure(preset, scale=scale)


class ContinuousSlideFigure(SlideFigure):
    """The flip-and-slide figure of two functions: the area under f(τ) g(t − τ).

    Top: f(τ) and g(t − τ) as lines, their product shaded (green where it
    adds, purple and hatched where it takes away). Bottom: (f*g)(t) traced
    up to t, with a dot at the current value. Build it with
    :func:`slide_figure`; see :class:`SlideFigure` for the parameters.

    Examples
    --------
    >>> fig = ContinuousSlideFigure("box*box")
    >>> fig.update(0.5)
    >>> print(fig.status())
    t = 0.50: the flipped g overlaps f on [0, 0.5]; the shaded area is (f*g)(0.50) = 0.50,
    the length of the overlap.
    """

    discrete = False
    _HEIGHT_RATIOS = (1, 1)
    _IN_VAR, _OUT_VAR = "τ", "t"

    @property
    def decimals(self):
        return position_decimals(self.preset.step)

    def _status(self):
        return continuous_status(self.view, self.decimals, self.preset.meaning)

    def _detail(self):
        return continuous_detail(self.view, self.decimals)

    def alt_text(self):
        return continuous_alt_text(reference=bool(self.preset.reference))

    def _all_values(self):
        p = self.preset
        return ops.continuous_convolution(p.f, p.g, self.t_grid, p.tau)

    def _value_off_grid(self, t):
        p = self.preset
        return ops.flip_and_slide(p.f, p.g, t, p.tau).value

    def _build_inputs(self, ax):
        p = self.preset
        # f, and g slid to a sample of the slider's positions: the y range at any t
        views = [ops.flip_and_slide(p.f, p.g, float(t), p.tau) for t in self.t_grid[:: max(1, len(self.t_grid) // 60)]]
        self._f_tau = views[0].f_tau
        ax.plot(p.tau, self._f_tau, color=F_COLOUR, linewidth=2.4, label=p.f_label, zorder=3)
        g_lo = min(float(v.g_shifted.min()) for v in views)
        g_hi = max(float(v.g_shifted.max()) for v in views)
        f_lo, f_hi = float(self._f_tau.min()), float(self._f_tau.max())
        products = [a * b for a in (f_lo, f_hi) for b in (g_lo, g_hi)]
        lo, hi = min(0.0, f_lo, g_lo, *products), max(f_hi, g_hi, *products)
        span = hi - lo or 1.0
        ax.set_ylim(lo - (0.08 * span if lo < 0 else 0.04 * span), hi + 0.85 * span)  # room for the legend
        self._build_moving_inputs(ax)
        self._build_legend(ax, negative=min(products) < 0)

    def _build_moving_inputs(self, ax):
        positive = PolyCollection([], facecolors=POSITIVE_COLOUR, alpha=0.45, edgecolors="none")
        self._pos = self._mark_moving(ax, positive, -2)
        negative = PolyCollection(
            [], facecolors=NEGATIVE_COLOUR, alpha=0.45, hatch="//", edgecolors=NEGATIVE_COLOUR, linewidths=0
        )
        self._neg = self._mark_moving(ax, negative, -2)
        (self._g_line,) = ax.plot([], [], color=G_COLOUR, linewidth=2.4)
        self._mark_moving(ax, self._g_line)
        self._build_cursor(ax, "τ = t")

    def _build_legend(self, ax, negative):
        # entries for the moving artists (proxies: the real ones are animated)
        ax.plot([], [], color=G_COLOUR, linewidth=2.4, label=self.preset.g_label)
        label = "f(τ)·g(t − τ): its area is (f*g)(t)"
        ax.fill_between([], [], color=POSITIVE_COLOUR, alpha=0.45, label=label)
        if negative:
            label = "negative product: takes away area"
            ax.fill_between([], [], facecolor=NEGATIVE_COLOUR, alpha=0.45, hatch="//", label=label)
        title = "f(τ) and the flipped, slid g(t − τ); shaded: their product"
        ax.set_title(title, fontsize=11, loc="left")
        self._input_legend(ax)

    def _build_result(self, ax, ylim):
        p = self.preset
        ylo, yhi = ylim
        if p.reference:
            ax.plot(p.tau, self._f_tau, color=REFERENCE_COLOUR, linewidth=1.0, label=p.reference, zorder=2)
            ylo, yhi = min(ylo, float(self._f_tau.min())), max(yhi, float(self._f_tau.max()) * 1.2)
        ax.set_ylim(ylo, yhi)
        ax.set_title(f"{p.out_label} = ∫ f(τ) g(t − τ) dτ, traced up to the current t", fontsize=11, loc="left")
        (self._trace,) = ax.plot([], [], color=RESULT_COLOUR, linewidth=2.2, label=p.out_label)
        self._mark_moving(ax, self._trace)
        (self._dot,) = ax.plot([], [], "o", color=RESULT_COLOUR, markersize=7)
        self._mark_moving(ax, self._dot, 1)

    def _move_to(self, t):
        p = self.preset
        view = ops.flip_and_slide(p.f, p.g, t, p.tau)
        self._g_line.set_data(view.tau, view.g_shifted)
        self._pos.set_verts(_area(view.tau, np.maximum(view.product, 0.0)))
        self._neg.set_verts(_area(view.tau, np.minimum(view.product, 0.0)))
        self._move_cursors(t)
        k = int(np.searchsorted(self.t_grid, t + 1e-9 * p.step, side="right"))
        self._trace.set_data(np.append(self.t_grid[:k], t), np.append(self.values[:k], view.value))
        self._dot.set_data([t], [view.value])
        ts, vs = position_text(t, self.decimals), value_text(view.value)
        self._in_text.set_text(f"shaded area = (f*g)({ts}) = {vs}")
        self._out_text.set_text(f"(f*g)({ts}) = {vs}")
        self.view, self.t, self.value = view, t, float(view.value)


class DiscreteSlideFigure(SlideFigure):
    """The flip-and-slide figure of two sequences: the sum of f[k] g[n − k].

    Top: f[k] as bars and g[n − k] as stems. Middle: their products, with
    their values while few enough to read. Bottom: (f*g)[n] as bars for every
    n up to the current one. t is rounded to a whole n. Build it with
    :func:`slide_figure`; see :class:`SlideFigure` for the parameters.

    Examples
    --------
    >>> fig = DiscreteSlideFigure("two dice")
    >>> fig.update(4)
    >>> fig.view.n_products, round(fig.value * 36)
    (3, 3)
    """

    discrete = True
    _HEIGHT_RATIOS = (1.15, 0.9, 1.0)
    _IN_VAR, _OUT_VAR = "k", "n"
    #: Product bars get a value label while at most this many are not zero...
    _LABELLED_PRODUCTS = 14
    #: ...and only when the figure spans at most this many k.
    _LABEL_SLOTS = 60

    @property
    def decimals(self):
        return 0  # n is a whole number

    def _status(self):
        return discrete_status(self.view, self.preset.meaning, self.preset.denominator)

    def _detail(self):
        return discrete_detail(self.view, self.preset.denominator)

    def alt_text(self):
        return discrete_alt_text()

    def _all_values(self):
        full = ops.convolve_1d(self.preset.f, self.preset.g).astype(float)
        n = np.rint(self.t_grid).astype(int)
        inside = (n >= 0) & (n < len(full))
        return np.where(inside, full[np.clip(n, 0, len(full) - 1)], 0.0)

    def _value_off_grid(self, t):
        if not float(t).is_integer():
            return 0.0  # a sequence has values at whole n only
        return ops.discrete_flip_and_slide(self.preset.f, self.preset.g, int(t)).value

    def _view(self, n):
        return ops.discrete_flip_and_slide(self.preset.f, self.preset.g, n, self._ks)

    def _build_inputs(self, ax_in, ax_prod):
        p = self.preset
        self._ks = np.arange(math.ceil(p.xlim[0]), math.floor(p.xlim[1]) + 1)
        ks, f = np.arange(len(p.f)), p.f
        ax_in.add_collection(
            PolyCollection(_bars(ks[f != 0], f[f != 0]), facecolors=F_COLOUR, alpha=0.35, edgecolors=F_COLOUR,
                           linewidths=1.2, zorder=3)
        )  # fmt: skip
        hi = max(float(p.f.max()), float(p.g.max()), 0.0)
        lo = min(float(p.f.min()), float(p.g.min()), 0.0)
        span = hi - lo or 1.0
        ax_in.set_ylim(lo - 0.05 * span, hi + 1.4 * span)  # room for the legend
        for ax in self.axes:
            if p.xlim[1] - p.xlim[0] <= 30:
                ax.xaxis.set_major_locator(MultipleLocator(1))
            else:
                ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
        self._g_stems = self._mark_moving(ax_in, LineCollection([], colors=G_COLOUR, linewidths=2.4))
        (self._g_marks,) = ax_in.plot([], [], "s", color=G_COLOUR, markersize=7)
        self._mark_moving(ax_in, self._g_marks, 1)
        self._build_cursor(ax_in, "k = n")
        ax_in.fill_between([], [], color=F_COLOUR, alpha=0.35, label=p.f_label)
        ax_in.plot([], [], "s-", color=G_COLOUR, linewidth=2.4, label=p.g_label)
        ax_in.set_title("f[k] and the flipped, slid g[n − k]", fontsize=11, loc="left")
        self._input_legend(ax_in)
        self._build_products(ax_prod)

    def _build_products(self, ax):
        # y range: the products at every n on the grid
        prods = [self._view(round(n)).products for n in self.t_grid]
        p_hi = max(max(float(q.max()) for q in prods), 0.0)
        p_lo = min(min(float(q.min()) for q in prods), 0.0)
        pspan = p_hi - p_lo or 1.0
        ax.set_ylim(p_lo - 0.05 * pspan, p_hi + 0.6 * pspan)
        ax.set_title("the products f[k]·g[n − k]: they add up to (f*g)[n]", fontsize=11, loc="left")
        ax.set_xlabel("k", fontsize=11, labelpad=1)
        self._prod_bars = self._mark_moving(
            ax,
            PolyCollection([], facecolors=POSITIVE_COLOUR, alpha=0.75, edgecolors=POSITIVE_COLOUR, linewidths=1.0),
        )
        # a value over each product bar, while there are few enough to read
        slots = self._ks if len(self._ks) <= self._LABEL_SLOTS else []
        self._prod_labels = [
            self._mark_moving(ax, ax.text(k, 0, "", ha="center", va="bottom", fontsize=MIN_TEXT_PT), 1) for k in slots
        ]
        self._prod_text = self._mark_moving(ax, self._corner_text(ax, 0.94), 2)
        self._label_gap = 0.03 * pspan

    def _build_result(self, ax, ylim):
        out_label = self.preset.out_label
        ax.set_ylim(*ylim)
        ax.set_title(f"{out_label}: the sum of the products, for each n up to the current one", fontsize=11, loc="left")
        self._out_bars = self._mark_moving(
            ax,
            PolyCollection([], facecolors=RESULT_COLOUR, alpha=0.55, edgecolors=RESULT_COLOUR, linewidths=0.8),
        )
        self._out_now = self._mark_moving(
            ax, PolyCollection([], facecolors=POSITIVE_COLOUR, edgecolors=RESULT_COLOUR, linewidths=1.5), 1
        )
        ax.plot([], [], color=RESULT_COLOUR, alpha=0.55, linewidth=6, label=out_label)
        ax.plot([], [], color=POSITIVE_COLOUR, linewidth=6, label="this n")

    def _move_to(self, t):
        n = round(t)
        view = self._view(n)
        ks, on = view.ks, view.g_k != 0
        self._g_stems.set_segments([[(k, 0.0), (k, v)] for k, v in zip(ks[on], view.g_k[on])])
        self._g_marks.set_data(ks[on], view.g_k[on])
        self._move_cursors(n)
        nz = view.products != 0
        self._prod_bars.set_verts(_bars(ks[nz], view.products[nz]))
        self._label_products(view)
        upto = self.t_grid <= n + 0.5
        done = _bars(self.t_grid[upto][:-1], self.values[upto][:-1]) if upto.sum() > 1 else []
        self._out_bars.set_verts(done)
        value = self.value_at(n)
        self._out_now.set_verts(_bars([n], [value]))
        vs = value_text(value, self.preset.denominator)
        self._in_text.set_text(f"n = {n}")
        self._prod_text.set_text(f"sum of the products = (f*g)[{n}] = {vs}")
        self._out_text.set_text(f"(f*g)[{n}] = {vs}")
        self.view, self.t, self.value = view, float(n), value

    def _label_products(self, view):
        show = view.n_products <= self._LABELLED_PRODUCTS
        for k, text, v in zip(view.ks, self._prod_labels, view.products):
            if show and v != 0:
                text.set_text(bar_label(v, self.preset.denominator))
                text.set_position((k, v + self._label_gap if v > 0 else v - self._label_gap))
                text.set_va("bottom" if v > 0 else "top")
                text.set_visible(True)
            else:
                text.set_visible(False)
