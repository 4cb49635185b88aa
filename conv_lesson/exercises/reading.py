"""Lesson 04: what a feature map tells you — where a bar must be to give a map, where pooling stops seeing a move."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops.checks import as_array, check_int, check_pair
from .core import CORRECT, NOT_YET, exercise, given, listed, problem, whole

__all__ = ["check_bar_columns", "check_pool_positions"]


def _bar_map(shape, columns, detector):
    image = np.zeros(shape)
    image[:, sorted(columns)] = 1.0
    return ops.feature_map(image, detector)


def _column_set(answer, what):
    answer = given(answer)
    if isinstance(answer, (str, bytes)):
        raise ValueError(f"expected {what}, got {answer!r}")  # noqa: TRY004 - printed as is
    return {whole(v, what) for v in answer}


def _responses(fm):
    """The map columns where the (first) row is positive and where it is negative."""
    row = np.asarray(fm)[0]
    return [int(c) for c in np.flatnonzero(row > 0)], [int(c) for c in np.flatnonzero(row < 0)]


def _columns(columns):
    return f"column{'s' if len(columns) > 1 else ''} {listed(sorted(columns))}"


def _where(columns):
    if not columns:
        return "no map column"
    return f"map column{'s' if len(columns) > 1 else ''} {listed(columns)}"


@exercise
def check_bar_columns(edge_map, detector, answer):
    """Which image columns a bright bar covers, read from its map alone.

    The image is dark (0) with one bright (1) bar from top to bottom; ``edge_map`` is its feature
    map by ``detector`` (stride 1, no padding). Any set of columns whose bar gives exactly that map
    is right: the check draws the bar over the columns answered and compares the maps.

    Parameters
    ----------
    edge_map : 2-D array_like
        The map; the image has 2 more rows and 2 more columns than it (for a 3x3 detector).
    detector : 2-D array_like
    answer : iterable of int
        The image columns (from 0) the bar covers.

    Examples
    --------
    >>> edges = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    >>> check_bar_columns([[0, 4, 4, -4, -4, 0]], edges, [3, 4])
    Correct: a bar over columns 3 and 4 gives this map: positive at map columns 1 and 2, where a window's right \
column reaches the bar and its left column is still dark, and negative at map columns 3 and 4, where it leaves the bar.
    """
    with problem():
        fm = as_array(edge_map, "edge_map", (2,), "a 2-D array")
        det = as_array(detector, "detector", (2,), "a 2-D array")
        shape = (fm.shape[0] + det.shape[0] - 1, fm.shape[1] + det.shape[1] - 1)
    columns = _column_set(answer, "image columns, whole numbers from 0")
    outside = sorted(c for c in columns if not 0 <= c < shape[1])
    if outside:
        verb = "is" if len(outside) == 1 else "are"
        return f"{NOT_YET}: {listed(outside)} {verb} not a column of the image, whose columns are 0 to {shape[1] - 1}."
    if not columns:
        return f"{NOT_YET}: name the columns the bar covers; an image with no bar gives a map of zeros."
    got = _bar_map(shape, columns, det)
    up, down = _responses(fm)
    if np.allclose(got, fm):
        return (
            f"{CORRECT}: a bar over {_columns(columns)} gives this map: positive at "
            f"{_where(up)}, where a window's right column reaches the bar and its left column is still dark, "
            f"and negative at {_where(down)}, where it leaves the bar."
        )
    your_up, your_down = _responses(got)
    k = det.shape[1]
    return (
        f"{NOT_YET}: a bar over {_columns(columns)} would be positive at {_where(your_up)} and "
        f"negative at {_where(your_down)}; the map is positive at {_where(up)} and negative at {_where(down)}. "
        f"Hint: map column c is the window over image columns c to c + {k - 1}, so a map column is not an image "
        "column."
    )


def _pooled(shape, cell, size, stride):
    fm = np.zeros(shape)
    fm[cell] = 1.0
    return ops.max_pool(fm, size=size, stride=stride)


def _cell_set(answer):
    answer = given(answer)
    cells = set()
    for item in answer:
        r, c = item
        cells.add((whole(r, "cells as (row, column) pairs"), whole(c, "cells as (row, column) pairs")))
    return cells


@exercise
def check_pool_positions(shape, peak, answer, *, size=2, stride=2):
    """Every cell a lone peak can move to in a map of ``shape`` and leave its max-pooled map unchanged.

    The map is 0 except for one positive value at ``peak``; the answer lists the cells (``peak``
    itself among them) where that value gives the same pooled map. The check moves the peak to
    every cell of the map and pools each.

    Parameters
    ----------
    shape : (int, int)
    peak : (int, int)
    answer : iterable of (int, int)
    size, stride : int, default 2

    Examples
    --------
    >>> check_pool_positions((4, 4), (0, 1), [(0, 0), (0, 1), (1, 0), (1, 1)])
    Correct: these are the cells of the peak's own block, rows 0 to 1, columns 0 to 1: max pooling keeps \
the largest value of a block and forgets where in the block it stood, so a move inside the block changes \
nothing, and a move across the block's edge does.
    """
    with problem():
        rows, cols = check_pair(shape, "shape", 1)
        peak = check_pair(peak, "peak", 0)
        size, stride = check_int(size, "size", 1), check_int(stride, "stride", 1)
        if size != stride:
            raise ValueError(f"stride must equal size (blocks side by side, not overlapping); got {size} and {stride}")
        if peak[0] >= rows // size * size or peak[1] >= cols // size * size:
            raise ValueError(f"peak must be a cell of a whole {size}x{size} block of the {rows}x{cols} map; got {peak}")
        before = _pooled((rows, cols), peak, size, stride)
        same = {
            (r, c)
            for r in range(rows)
            for c in range(cols)
            if np.array_equal(_pooled((rows, cols), (r, c), size, stride), before)
        }
    cells = _cell_set(answer)
    block = sorted(same)
    (r0, c0), (r1, c1) = block[0], block[-1]
    if cells == same:
        return (
            f"{CORRECT}: these are the cells of the peak's own block, rows {r0} to {r1}, columns {c0} to {c1}: "
            "max pooling keeps the largest value of a block and forgets where in the block it stood, so a move "
            "inside the block changes nothing, and a move across the block's edge does."
        )
    wrong = sorted(cells - same)
    missing = sorted(same - cells)
    if wrong:
        return (
            f"{NOT_YET}: moved to {listed(wrong)}, the peak leaves its block, so the pooled map changes. "
            f"Hint: the blocks are fixed, {size}x{size} from row 0 and column 0 in steps of {stride}."
        )
    if missing == [tuple(peak)]:
        return f"{NOT_YET}: the peak's own cell, {listed(missing)}, belongs in the list too."
    more = f"{len(missing)} more cell leaves" if len(missing) == 1 else f"{len(missing)} more cells leave"
    return f"{NOT_YET}: {more} the pooled map as it was. Hint: which cells share the peak's block?"
