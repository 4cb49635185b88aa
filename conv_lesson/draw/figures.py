"""Small static figures for the lessons: arrays with their numbers, a loss curve, learning rates compared."""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Colormap

from ..ops import descent_run, format_number
from ..ops.checks import as_array, check_bool, check_scale, describe
from .cells import cell_labels, ink_on, value_colours, value_norm
from .layout import CELL_PER_CHAR
from .readable import MIN_TEXT_PT, ReadableFigure

__all__ = ["loss_curve", "show_arrays", "arrays_alt", "learning_rate_curves", "descent_verdict"]

#: The loss curve's colour (Okabe-Ito blue).
LOSS_COLOUR = "#0072B2"
#: The width of one learning-rate panel (inches at scale 1), and the longest line of its title's verdict.
PANEL_W, TITLE_CHARS = 3.0, 26


def _colormap(cmap):
    """``cmap`` as a Colormap: a Colormap itself or the name of one matplotlib knows."""
    if isinstance(cmap, Colormap):
        return cmap
    if not isinstance(cmap, str):
        raise TypeError(f"cmap must be a colormap name such as 'cividis'; got {describe(cmap)}")
    if cmap not in colormaps:
        raise ValueError(f"cmap must be a colormap name matplotlib knows, such as 'cividis'; got {cmap!r}")
    return colormaps[cmap]


def _checked_arrays(arrays):
    """``arrays`` as a dict of title -> checked 2-D array, in order."""
    if not isinstance(arrays, dict):
        raise TypeError(f"arrays must be a dict of title -> 2-D array; got {describe(arrays)}")
    if not arrays:
        raise ValueError("arrays must hold at least one array; got an empty dict")
    return {str(t): as_array(a, f"arrays[{t!r}]", (2,), "a 2-D array") for t, a in arrays.items()}


def show_arrays(arrays, *, cmap=None, scale=1.0):
    """Small arrays side by side, every cell with its number written in it.

    Numbers are written as everywhere in the lessons
    (:func:`conv_lesson.ops.format_number`: whole numbers plainly, others to
    3 significant digits), in black or white, whichever contrasts more with
    the cell (:func:`conv_lesson.draw.cells.ink_on`).

    Parameters
    ----------
    arrays : dict of str -> array_like (2-D)
        Titles and the arrays to show, in order.
    cmap : str or Colormap, optional
        By default the package's colour key
        (:func:`conv_lesson.draw.cells.value_colours`: with negative values
        blue through white to red, white 0; otherwise ``cividis``). One
        scale covers all the arrays, so a value has the same colour in each;
        the number in each cell carries the value too.
    scale : float, default 1.0
        Enlarges the figure and its text (1.6 for presenting): 0.25 to 4.

    Returns
    -------
    conv_lesson.draw.readable.ReadableFigure
        A matplotlib Figure, not shown by itself: it displays as the value
        of a notebook cell, sized so that its text is the lesson's size.

    Raises
    ------
    TypeError, ValueError
        A bad argument; the message names it (e.g. ``arrays['detector']``).

    Examples
    --------
    >>> fig = show_arrays({"detector": [[0, 1], [1, 0.125]]})
    >>> [ax.get_title() for ax in fig.axes], [t.get_text() for t in fig.axes[0].texts]
    (['detector'], ['0', '1', '1', '0.125'])
    """
    checked = _checked_arrays(arrays)
    colormap = None if cmap is None else _colormap(cmap)
    scale = check_scale(scale)
    widths = [max(a.shape[1], 2) for a in checked.values()]
    rows = max(a.shape[0] for a in checked.values())
    longest = max(len(label) for a in checked.values() for row in cell_labels(a) for label in row)
    cell = max(0.55, CELL_PER_CHAR * longest / 100)  # inches: the longest number fits at the lesson's text size
    size = (scale * (sum(widths) * cell + 0.25 * len(widths)), scale * (rows * cell + 0.5))
    fig = ReadableFigure(figsize=size, dpi=100, layout="constrained")  # titles inside the picture, as shown
    axes = fig.subplots(1, len(checked), gridspec_kw={"width_ratios": widths}, squeeze=False)[0]
    # one key for all the arrays, so a value has the same colour in each of them
    every = np.concatenate([a.ravel() for a in checked.values()])
    key, norm = value_colours(every) if colormap is None else (colormap, value_norm(every))
    for ax, (title, arr) in zip(axes, checked.items()):
        ax.imshow(arr, cmap=key, norm=norm)
        for r, row in enumerate(cell_labels(arr)):
            for c, label in enumerate(row):
                ink = ink_on(key(norm(arr[r, c])))
                ax.text(c, r, label, ha="center", va="center", fontsize=MIN_TEXT_PT * scale, color=ink)
        ax.set_title(title, fontsize=11 * scale)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.alt_text = arrays_alt(checked)
    return fig


def arrays_alt(arrays, limit=64):
    """:func:`show_arrays`'s picture in words: each array's title, shape and (if small) its numbers row by row.

    Parameters
    ----------
    arrays : dict of str -> ndarray (2-D)
    limit : int, default 64
        Arrays with more cells are given by their shape only.

    Returns
    -------
    str

    Examples
    --------
    >>> arrays_alt({"detector": np.array([[0, 1], [1, 0.125]])})
    'Arrays side by side, each cell with its number. detector, 2×2: 0, 1 / 1, 0.125.'
    """
    parts = []
    for title, arr in arrays.items():
        rows, cols = arr.shape
        numbers = " / ".join(", ".join(row) for row in cell_labels(arr)) if arr.size <= limit else ""
        parts.append(f"{title}, {rows}×{cols}" + (f": {numbers}" if numbers else ""))
    return "Arrays side by side, each cell with its number. " + "; ".join(parts) + "."


def loss_curve(losses, *, scale=1.0, log=True):
    """The loss after each step of gradient descent.

    Parameters
    ----------
    losses : sequence of float
    scale : float, default 1.0
        Enlarges the figure and its text (1.6 for presenting): 0.25 to 4.
    log : bool, default True
        A logarithmic loss axis, so the late, small improvements show.

    Returns
    -------
    conv_lesson.draw.readable.ReadableFigure
        A matplotlib Figure, shown sized so that its text is the lesson's size.

    Raises
    ------
    TypeError, ValueError
        A bad argument; the message names it.

    Examples
    --------
    >>> fig = loss_curve([1.0, 0.5, 0.25])
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_title()
    ('step', 'loss: 1 at the start, 0.25 at the end')
    """
    values = as_array(losses, "losses", (1,), "a 1-D sequence of numbers")
    scale = check_scale(scale)
    log = check_bool(log, "log")
    if log and (values <= 0).any():
        raise ValueError("losses must all be positive for a logarithmic axis; pass log=False")
    fig = ReadableFigure(figsize=(6 * scale, 3 * scale), dpi=100, layout="constrained")
    ax = fig.subplots()
    ax.plot(range(len(values)), values, color=LOSS_COLOUR, linewidth=2)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step", fontsize=11 * scale)
    ax.set_ylabel("loss (mean squared error)", fontsize=11 * scale)
    start, end = format_number(values[0]), format_number(values[-1])
    ax.set_title(f"loss: {start} at the start, {end} at the end", fontsize=11 * scale)
    ax.tick_params(labelsize=MIN_TEXT_PT * scale)
    ax.grid(True, alpha=0.3)
    return fig


def descent_verdict(losses, blew_up, *, crawl_ratio=0.01):
    """What a run of gradient descent did, in words: blew up, diverged (grew), crawled or converged.

    Parameters
    ----------
    losses : sequence of float
        The loss before each step taken.
    blew_up : int or None
        The step at which the loss blew up (see :func:`conv_lesson.ops.descent_run`).
    crawl_ratio : float, default 0.01
        A run that ends above this fraction of its first loss crawled.

    Returns
    -------
    str

    Examples
    --------
    >>> descent_verdict([1.0, 0.9, 0.8], None), descent_verdict([1.0, 3.0], 2), descent_verdict([1.0, 1e-4], None)
    ('crawls: loss 1 -> 0.8 in 3 steps', 'blows up at step 2', 'converges: loss 1 -> 0.0001 in 2 steps')
    >>> descent_verdict([1.0, 2.0, 5.0], None)
    'diverges: loss 1 -> 5 in 3 steps'
    """
    values = as_array(losses, "losses", (1,), "a 1-D sequence of numbers")
    if blew_up is not None:
        return f"blows up at step {blew_up}"
    start, end = format_number(values[0]), format_number(values[-1])
    word = "diverges" if values[-1] > values[0] else "crawls" if values[-1] > crawl_ratio * values[0] else "converges"
    return f"{word}: loss {start} -> {end} in {len(values)} steps"


def learning_rate_curves(image, target, learning_rates, *, steps=200, seed=0, scale=1.0):
    """Loss curves of gradient descent at several learning rates, side by side, each with its verdict.

    Each panel runs :func:`conv_lesson.ops.descent_run` from the same seeded
    start and plots the loss (log axis) until the last step or the blow-up,
    titled with the rate and what happened (:func:`descent_verdict`).

    Parameters
    ----------
    image, target : array_like, 2-D
        As for :func:`conv_lesson.learn_detector`.
    learning_rates : sequence of float
        One panel each, in this order (1 to 6 of them).
    steps : int, default 200
    seed : int, default 0
    scale : float, default 1.0

    Returns
    -------
    matplotlib.figure.Figure
        Its ``panel_titles`` are the panels' titles in two lines (the rate,
        the verdict); drawn, the verdict is wrapped to keep the panels narrow.

    Raises
    ------
    TypeError, ValueError
        A bad argument; the message names it.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.random.default_rng(1).normal(size=(12, 12))
    >>> fig = learning_rate_curves(img, img[1:-1, 1:-1], [0.01, 5.0], steps=20)
    >>> [title.splitlines()[-1].split(":")[0] for title in fig.panel_titles]
    ['crawls', 'blows up at step 2']
    >>> fig.axes[0].get_title().splitlines()
    ['learning rate 0.01', 'crawls: loss 0.863 -> 0.478', 'in 20 steps']
    """
    rates = as_array(learning_rates, "learning_rates", (1,), "a 1-D sequence of positive numbers")
    if len(rates) > 6:
        raise ValueError(f"learning_rates must hold at most 6 rates (one panel each); got {len(rates)}")
    scale = check_scale(scale)
    runs = [descent_run(image, target, learning_rate=float(r), steps=steps, seed=seed) for r in rates]
    fig = ReadableFigure(figsize=(PANEL_W * len(rates) * scale, 3.6 * scale), dpi=100, layout="constrained")
    axes = fig.subplots(1, len(rates), squeeze=False, sharey=True)[0]
    top = max(max(losses) for _, losses, _ in runs)
    bottom = min(min(losses) for _, losses, _ in runs)
    fig.panel_titles = []
    for ax, rate, (_, losses, blew_up) in zip(axes, rates, runs):
        verdict = descent_verdict(losses, blew_up)
        colour = "#D55E00" if blew_up is not None else LOSS_COLOUR
        ax.plot(range(len(losses)), losses, color=colour, linewidth=2, marker="o" if len(losses) < 30 else None)
        ax.set_yscale("log")
        ax.set_ylim(bottom / 2, top * 2)
        ax.set_xlim(0, steps)
        fig.panel_titles.append(f"learning rate {format_number(float(rate))}\n{verdict}")
        # "in N steps" on a line of its own, so the panels stay narrow with their text at the lesson's size
        shown = fig.panel_titles[-1].replace(" in ", "\nin ") if len(verdict) > TITLE_CHARS else fig.panel_titles[-1]
        ax.set_title(shown, fontsize=MIN_TEXT_PT * scale)
        ax.set_xlabel("step", fontsize=MIN_TEXT_PT * scale)
        ax.tick_params(labelsize=MIN_TEXT_PT * scale)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("loss (log scale)", fontsize=MIN_TEXT_PT * scale)
    return fig
