"""Lessons 02 and 04: a map's cells and size worked out and worked backwards, a detector designed, pooling."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops import format_number
from ..ops.checks import check_int, check_pair
from .core import (
    CORRECT,
    NOT_YET,
    array,
    cells_text,
    exercise,
    given,
    listed,
    number,
    problem,
    same,
    whole,
)

__all__ = [
    "check_detector_design",
    "check_feature_map",
    "check_image_columns",
    "check_layer_sides",
    "check_max_pool",
    "check_output_size",
    "check_window_matches",
]


@exercise
def check_feature_map(image, detector, answer, *, stride=1, padding=0, dilation=1, flip=False):
    """A whole feature map, worked out by hand.

    Parameters
    ----------
    image, detector : array_like
    answer : 2-D array_like
    stride, padding, dilation, flip
        As for :func:`conv_lesson.feature_map`.

    Examples
    --------
    >>> check_feature_map([[1, 2], [3, 4]], [[1]], [[1, 2], [3, 4]])
    Correct: all 4 cells match, one per position of the detector, read left to right and top to bottom.
    """
    with problem():
        kw = dict(stride=stride, padding=padding, dilation=dilation)
        expected = ops.feature_map(image, detector, flip=flip, **kw)
        flipped = ops.feature_map(image, detector, flip=not flip, **kw)
    arr = array(answer)
    if same(arr, expected):
        return (
            f"{CORRECT}: all {expected.size} cells match, one per position of the detector, "
            "read left to right and top to bottom."
        )
    if same(arr, flipped) and not np.allclose(expected, flipped):
        done = "flipped (rotated by 180°)" if not flip else "did not rotate"
        return f"{NOT_YET}: you {done} the detector. " + (
            "Here it slides as it is, the way CNNs do." if not flip else "A true convolution rotates it by 180° first."
        )
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: the feature map has shape {expected.shape}, one cell per position where the whole "
            f"detector fits; yours has shape {arr.shape}. Hint: output_size gives each side."
        )
    if expected.ndim == 2 and same(arr.T, expected):
        return f"{NOT_YET}: rows and columns are swapped. Row i of the map is the detector's i-th row of positions."
    wrong = [tuple(map(int, rc)) for rc in np.argwhere(~np.isclose(arr, expected))]
    return (
        f"{NOT_YET}: {len(wrong)} of {expected.size} cells differ, first at {cells_text(wrong)}. "
        "Hint: recompute those windows; remember the window moves by the stride."
    )


def _cells(answer):
    """A student's list of (row, col) cells as a set of int pairs."""
    cells = [tuple(whole(v) for v in given(cell)) for cell in given(answer)]
    if any(len(c) != 2 for c in cells):
        raise ValueError("expected (row, col) pairs")
    return set(cells)


@exercise
def check_window_matches(image, detector, row, col, answer):
    """Which image cells add to one cell of the feature map: where a non-zero detector value lies on a
    non-zero image value, in the window of map cell (``row``, ``col``) (stride 1, no padding).

    ``feature_map`` gives only the sum; this asks where it comes from.

    Parameters
    ----------
    image, detector : 2-D array_like
    row, col : int
        The feature-map cell.
    answer : sequence of (int, int)
        Image cells, in any order.

    Examples
    --------
    >>> check_window_matches([[1, 0], [1, 1]], [[1, 1], [0, 1]], 0, 0, [(0, 0), (1, 1)])
    Correct: the window's corner is image cell (0, 0); the detector's non-zero cells land on image cells \
(0, 0), (0, 1) and (1, 1), and 2 of them hold a non-zero value there: their products make map cell (0, 0).
    """
    with problem():
        img, det = np.asarray(image, dtype=float), np.asarray(detector, dtype=float)
        oh, ow = ops.feature_map(img, det).shape
        if not (0 <= check_int(row, "row", 0) < oh and 0 <= check_int(col, "col", 0) < ow):
            raise ValueError(f"row, col must name a cell of the {oh}x{ow} feature map; got ({row}, {col})")
    got = _cells(answer)
    kh, kw = det.shape
    under = {(row + a, col + b) for a, b in zip(*np.nonzero(det))}
    expected = {cell for cell in under if img[cell] != 0}
    if got == expected:
        return (
            f"{CORRECT}: the window's corner is image cell ({row}, {col}); the detector's non-zero cells land on "
            f"image cells {listed(sorted(under))}, and {len(expected)} of them hold a non-zero value there: "
            f"their products make map cell ({row}, {col})."
        )
    in_window = {(r - row, c - col) for r, c in expected}
    if got == in_window and in_window != expected:
        return (
            f"{NOT_YET}: those are places inside the window, counted from its corner. Add the corner, image cell "
            f"({row}, {col}), to each to name the image's cells."
        )
    if got == under and under != expected:
        return (
            f"{NOT_YET}: you listed every cell under a non-zero detector value; a product adds only where the "
            "image is not 0 too."
        )
    outside = sorted(c for c in got if not (row <= c[0] < row + kh and col <= c[1] < col + kw))
    if outside:
        return (
            f"{NOT_YET}: {cells_text(outside)} {'lies' if len(outside) == 1 else 'lie'} outside the window, which "
            f"covers rows {row} to {row + kh - 1} "
            f"and columns {col} to {col + kw - 1}."
        )
    under_zero = sorted(c for c in got if c not in under and img[c] != 0)
    if under_zero:
        return (
            f"{NOT_YET}: {listed(under_zero)} {'is' if len(under_zero) == 1 else 'are'} not 0 in the image but "
            "under a 0 of the detector: their products add nothing."
        )
    return (
        f"{NOT_YET}: lay the detector over rows {row} to {row + kh - 1}, columns {col} to {col + kw - 1}, and "
        "list the cells where both are non-zero."
    )


@exercise
def check_image_columns(rows, detector_shape, steps, answer):
    """How many columns an image of ``rows`` rows has, if a detector takes ``steps`` steps over it
    (stride 1, no padding): the size of the map, worked backwards.

    Parameters
    ----------
    rows : int
    detector_shape : (int, int)
    steps : int
    answer : int

    Examples
    --------
    >>> check_image_columns(6, (2, 2), 15, 4)
    Correct: 6 − 2 + 1 = 5 rows of positions; 15 / 5 = 3 positions along a row; 3 + 2 − 1 = 4 columns.
    """
    with problem():
        rows = check_int(rows, "rows", 1)
        k_r, k_c = check_pair(detector_shape, "detector_shape", 1)
        steps = check_int(steps, "steps", 1)
        per_col = rows - k_r + 1
        if per_col < 1 or steps % per_col:
            raise ValueError(f"steps must be a multiple of rows − k + 1 = {per_col}; got {steps}")
        per_row = steps // per_col
        expected = per_row + k_c - 1
    value = number(answer, "a whole number")
    if value == expected:
        return (
            f"{CORRECT}: {rows} − {k_r} + 1 = {per_col} rows of positions; {steps} / {per_col} = {per_row} "
            f"positions along a row; {per_row} + {k_c} − 1 = {expected} columns."
        )
    if value == per_row:
        return (
            f"{NOT_YET}: {per_row} is the number of positions along a row. The image is wider: the last window's "
            f"right edge reaches {k_c} − 1 = {k_c - 1} more columns."
        )
    if value == per_row + k_c:
        return (
            f"{NOT_YET}: {per_row} + {k_c} = {value} is one column too many: the first window covers columns 0 to "
            f"{k_c - 1}, and each further position adds one column."
        )
    if steps % rows == 0 and value in (steps // rows, steps // rows + k_c - 1):
        return (
            f"{NOT_YET}: the detector does not stand on all {rows} rows: it fits in {rows} − {k_r} + 1 = {per_col} "
            f"rows of positions, so {steps} steps make {steps} / {per_col} = {per_row} positions along a row."
        )
    return f"{NOT_YET}: count the rows of positions first, then the positions along a row, then the columns they need."


@exercise
def check_detector_design(image, target_cells, answer, *, size=3):
    """A detector, designed by the student, whose feature map on ``image`` is largest exactly at ``target_cells``.

    Any detector with that property is right: the check looks at the map it makes.

    Parameters
    ----------
    image : 2-D array_like
    target_cells : sequence of (int, int)
        The feature-map cells that must hold the largest value, and no other.
    answer : array_like, ``size`` x ``size``
    size : int, default 3

    Examples
    --------
    >>> check_detector_design([[0, 1, 0], [0, 0, 0], [0, 0, 1]], [(0, 1)], [[1, 0], [0, 0]], size=2)
    Correct: the map's largest value, 1, stands at (0, 1) and nowhere else.
    """
    with problem():
        img = np.asarray(image, dtype=float)
        size = check_int(size, "size", 1)
        targets = {tuple(int(v) for v in cell) for cell in target_cells}
    det = array(answer)
    if det.shape != (size, size):
        return f"{NOT_YET}: the detector must be {size}x{size}; yours has shape {det.shape}."
    fm = ops.feature_map(img, det)
    top = fm.max()
    at_top = {tuple(map(int, rc)) for rc in np.argwhere(np.isclose(fm, top))}
    shown = ", ".join(f"{cell}: {format_number(fm[cell])}" for cell in sorted(targets))
    if at_top == targets:
        where = listed(sorted(targets))
        return f"{CORRECT}: the map's largest value, {format_number(top)}, stands at {where} and nowhere else."
    others = sorted(at_top - targets)
    if at_top < targets:
        missing = sorted(targets - at_top)
        held = ", ".join(f"{cell} holds {format_number(fm[cell])}" for cell in missing)
        return (
            f"{NOT_YET}: the map's largest value, {format_number(top)}, stands only at {listed(sorted(at_top))}; "
            f"{held}. Every target must score the top value."
        )
    if targets <= at_top:
        return (
            f"{NOT_YET}: the map's largest value, {format_number(top)}, also stands at {cells_text(others)}. "
            "Hint: give weight to what only the targets' windows hold, and a negative weight to what the others "
            "hold."
        )
    return (
        f"{NOT_YET}: the map's largest value, {format_number(top)}, stands at {cells_text(others)}, while the "
        f"targets hold {shown}: the targets' windows must all score the same, and higher than any other."
    )


@exercise
def check_output_size(n, k, answer, *, stride=1, padding=0, dilation=1):
    """How many cells along one side of the feature map.

    Parameters
    ----------
    n, k : int
        The image's side and the detector's side.
    answer : int
    stride, padding, dilation
        As for :func:`conv_lesson.output_size`.

    Examples
    --------
    >>> check_output_size(7, 3, 3, stride=2)
    Correct: floor((7 + 0 − 3) / 2) + 1 = 3: the first window at 0, one more every 2 cells while it fits.
    """
    with problem():
        expected = ops.output_size(n, k, stride=stride, padding=padding, dilation=dilation)
        (before, after), _ = ops.resolve_padding((n, n), (k, k), stride=stride, padding=padding, dilation=dilation)
        s, d = check_int(stride, "stride", 1), check_int(dilation, "dilation", 1)
    value = number(answer, "a whole number")
    k_eff = d * (k - 1) + 1
    span = n + before + after - k_eff
    if value == expected:
        formula = f"floor(({n} + {before + after} − {k_eff}) / {s}) + 1 = {expected}"
        return f"{CORRECT}: {formula}: the first window at 0, one more every {s} cell{'s' * (s > 1)} while it fits."
    if not float(value).is_integer():
        return f"{NOT_YET}: a count of cells is a whole number. Hint: the formula takes the floor."
    if value == span // s:
        pad = f" + {before + after}" if before + after else ""
        counted = f"{n}{pad} − {k_eff}" if s == 1 else f"floor(({n}{pad} − {k_eff}) / {s})"
        return (
            f"{NOT_YET}: {counted} = {format_number(value)} counts the steps the window takes, not its positions: "
            "the window at position 0 counts too (+ 1)."
        )
    if value == -(-span // s) + 1:
        return f"{NOT_YET}: close, but a window that would run past the edge is never placed: round the division down."
    if padding not in (0, "valid") and value == ops.output_size(n, k, stride=stride, dilation=dilation):
        return f"{NOT_YET}: you left out the padding. Hint: it adds {before + after} to n."
    if d > 1 and value == ops.output_size(n, k, stride=stride, padding=padding):
        return (
            f"{NOT_YET}: with dilation {d} a {k}-wide detector spans d·(k − 1) + 1 = {d}·({k} − 1) + 1 = {k_eff} "
            f"cells, not {k}."
        )
    return f"{NOT_YET}: not {format_number(value)}. Hint: floor((n + total padding − k) / stride) + 1."


@exercise
def check_layer_sides(n, layers, answer):
    """The side of the maps after each layer of a small network.

    Parameters
    ----------
    n : int
        The input's side.
    layers : sequence of ("conv", k) or ("pool", size)
        A k×k detector at stride 1 without padding, or max pooling of size×size blocks at stride size.
    answer : sequence of int, one side per layer

    Examples
    --------
    >>> check_layer_sides(32, [("conv", 5), ("pool", 2)], [28, 14])
    Correct: 32 → 28 → 14: each 5x5 detector takes 4 cells off a side, each 2x2 pooling divides it by 2 (rounding down).
    """
    with problem():
        sides, kinds, side = [], [], check_int(n, "n", 1)
        for kind, size in layers:
            if kind not in ("conv", "pool"):
                raise ValueError(f"each layer is ('conv', k) or ('pool', size); got {kind!r}")
            side = ops.output_size(side, size, stride=1 if kind == "conv" else size)
            sides.append(side)
            kinds.append((kind, size))
    got = [number(v, "a whole number") for v in given(answer)]
    if len(got) != len(sides):
        return f"{NOT_YET}: give one side per layer, {len(sides)} numbers; yours has {len(got)}."
    if got == sides:
        convs = {f"each {k}x{k} detector takes {k - 1} cells off a side" for kind, k in kinds if kind == "conv"}
        pools = {f"each {p}x{p} pooling divides it by {p} (rounding down)" for kind, p in kinds if kind == "pool"}
        chain = " → ".join(str(v) for v in [n, *sides])
        return f"{CORRECT}: {chain}: " + ", ".join(sorted(convs) + sorted(pools)) + "."
    i = next(i for i, (a, b) in enumerate(zip(got, sides)) if a != b)
    before = n if i == 0 else got[i - 1]
    kind, size = kinds[i]
    if kind == "conv":
        if got[i] == before - size:
            return f"{NOT_YET}: layer {i + 1}: n − k misses the + 1 (the window at position 0 counts too)."
        return f"{NOT_YET}: layer {i + 1} (a {size}x{size} detector on a side of {before}): (n − k) / 1 + 1."
    if got[i] == before:
        return f"{NOT_YET}: layer {i + 1}: pooling shrinks the map: {size}x{size} blocks at stride {size}."
    return f"{NOT_YET}: layer {i + 1}: {size}x{size} pooling at stride {size} divides the side by {size}, rounded down."


@exercise
def check_max_pool(feature_map, answer, *, size=2, stride=2):
    """Max pooling of a feature map (default 2x2 blocks at stride 2).

    Parameters
    ----------
    feature_map : 2-D array_like
    answer : 2-D array_like
    size, stride : int

    Examples
    --------
    >>> check_max_pool([[1, 2], [3, 0]], [[3]])
    Correct: each cell keeps the largest value of its 2x2 block, so a feature found anywhere in the block still counts.
    """
    with problem():
        expected = ops.max_pool(feature_map, size=size, stride=stride)
        fm = np.asarray(feature_map, dtype=float)
    arr = array(answer)
    if same(arr, expected):
        return (
            f"{CORRECT}: each cell keeps the largest value of its {size}x{size} block, "
            "so a feature found anywhere in the block still counts."
        )
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: the pooled map has shape {expected.shape}; yours has {arr.shape}. "
            f"Hint: blocks of {size}x{size} move {stride} at a time; a block that would run past the edge is dropped."
        )
    oh, ow = expected.shape
    blocks = np.array(
        [[fm[i * stride : i * stride + size, j * stride : j * stride + size] for j in range(ow)] for i in range(oh)]
    )
    for name, fn in (("sum", np.sum), ("average", np.mean), ("smallest value", np.min)):
        if np.allclose(arr, fn(blocks, axis=(2, 3))):
            return f"{NOT_YET}: you took the {name} of each block. Max pooling keeps the largest value."
    return f"{NOT_YET}: some blocks are off. Hint: take the maximum of each {size}x{size} block."
