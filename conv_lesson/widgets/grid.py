"""A grid the student edits in the browser: an image drawn cell by cell, or a detector's numbers (anywidget).

Its JavaScript and CSS are files in ``static/`` (``grid.js``, ``grid.css``),
loaded by anywidget from the path like the stepper's.
"""

from __future__ import annotations

import anywidget
import numpy as np
import traitlets

from ..ops.checks import as_array, check_scale, describe
from .common import STATIC, stylesheet

__all__ = ["EditableGrid", "GRID_KINDS", "check_grid_values"]

GRID_KINDS = ("toggle", "number")
#: The largest grid the widget draws (rows or columns): beyond it cells get too small to click.
GRID_MAX_SIDE = 24


def check_grid_values(values, kind, name="value"):
    """``values`` as a 2-D float array an :class:`EditableGrid` of ``kind`` can hold.

    Parameters
    ----------
    values : array_like, 2-D
        At most 24 rows and 24 columns; only 0 and 1 for ``kind='toggle'``.
    kind : {'toggle', 'number'}
    name : str, default 'value'
        The parameter's name, for the message.

    Returns
    -------
    ndarray of float64

    Raises
    ------
    TypeError, ValueError
        Not a 2-D array of finite numbers, too large, an unknown ``kind``, or
        (toggle) a value other than 0 and 1; the message names ``name``.

    Examples
    --------
    >>> check_grid_values([[0, 1], [1, 0]], "toggle")
    array([[0., 1.],
           [1., 0.]])
    >>> check_grid_values([[0, 2]], "toggle", "image")
    Traceback (most recent call last):
    ...
    ValueError: image must hold only 0 and 1 (cells without and with ink); got 2.0
    """
    if not isinstance(kind, str) or kind not in GRID_KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, GRID_KINDS))}; got {describe(kind)}")
    arr = as_array(values, name, (2,), "a 2-D array").astype(np.float64)
    if max(arr.shape) > GRID_MAX_SIDE:
        raise ValueError(f"{name} must be at most {GRID_MAX_SIDE}x{GRID_MAX_SIDE} to edit by hand; got {arr.shape}")
    if kind == "toggle":
        bad = arr[(arr != 0) & (arr != 1)]
        if bad.size:
            raise ValueError(f"{name} must hold only 0 and 1 (cells without and with ink); got {bad.flat[0]}")
    return arr


class EditableGrid(anywidget.AnyWidget):
    """A grid of cells edited in the browser; ``value`` is the grid as a list of rows.

    ``kind='toggle'``: each cell is a ``button.conv-lesson-grid-cell``
    (``aria-pressed`` tells ink from none). A click switches a cell
    between 0 and 1; dragging paints every cell passed over with the value
    the first one got (sent to the kernel once, on release); arrow keys,
    Home and End move a visible focus cell, and Space or Enter switches it.
    ``kind='number'``: each cell is an ``input.conv-lesson-grid-input``
    (type number), sent when it changes (Enter, Tab or a click elsewhere);
    an empty or invalid entry goes back to the old number.

    Parameters
    ----------
    values : array_like, 2-D
        The starting grid (see :func:`check_grid_values`).
    kind : {'toggle', 'number'}, default 'toggle'
    label : str, default ''
        Shown above the grid and used in the cells' names for screen readers.
    scale : float, default 1.0
        Enlarges the cells for presenting.

    Attributes
    ----------
    value : list of list of float
        Synced with the browser; set it from Python to redraw the grid.

    Examples
    --------
    >>> g = EditableGrid([[0, 1], [1, 0]], label="image")
    >>> g.value
    [[0.0, 1.0], [1.0, 0.0]]
    >>> g.value = [[1, 1], [1, 1]]
    >>> g.array().sum()
    np.float64(4.0)
    """

    _esm = STATIC / "grid.js"
    _css = stylesheet("grid.css")
    value = traitlets.List(traitlets.List(traitlets.Float())).tag(sync=True)
    kind = traitlets.Unicode("toggle").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    cell_px = traitlets.Int(28).tag(sync=True)

    def __init__(self, values, *, kind="toggle", label="", scale=1.0):
        """Check the arguments, then build the grid (see the class docstring)."""
        arr = check_grid_values(values, kind, "values")
        if not isinstance(label, str):
            raise TypeError(f"label must be a str; got {describe(label)}")
        cell = round(28 * check_scale(scale))
        super().__init__(value=arr.tolist(), kind=kind, label=label, cell_px=cell)

    @traitlets.validate("value")
    def _check_value(self, proposal):
        return check_grid_values(proposal["value"], self.kind).tolist()

    def array(self):
        """The grid as a new float array."""
        return np.array(self.value, dtype=float)
