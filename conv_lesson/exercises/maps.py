"""Lessons 02 to 04: one cell, a whole map, the loop, the size of the map, pooling."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops import format_number
from ..ops.checks import check_int, check_pair
from .core import (
    CORRECT,
    NOT_YET,
    NotAnswered,
    array,
    calls_library,
    cells_text,
    exercise,
    given,
    number,
    problem,
    same,
)

__all__ = [
    "check_feature_map",
    "check_feature_map_cell",
    "check_layer_sides",
    "check_loop_function",
    "check_max_pool",
    "check_output_size",
    "check_window_count",
]


@exercise
def check_feature_map_cell(image, detector, row, col, answer, *, stride=1, padding=0):
    """One cell of the feature map, worked out by hand.

    Parameters
    ----------
    image, detector : array_like
    row, col : int
        The feature-map cell asked for.
    answer : number
    stride, padding
        As for :func:`conv_lesson.feature_map`.

    Examples
    --------
    >>> check_feature_map_cell([[1, 0], [1, 1]], [[1, 1], [0, 1]], 0, 0, 2)
    Correct: the window at row 0, column 0 of the image times the detector, cell by cell, adds up to 2.
    """
    with problem():
        fm = ops.feature_map(image, detector, stride=stride, padding=padding)
        expected = fm[check_int(row, "row", 0), check_int(col, "col", 0)]
        stride_rows, stride_cols = check_pair(stride, "stride", 1)
    value = number(answer)
    top, left = row * stride_rows, col * stride_cols
    where = f"row {top}, column {left} of the " + ("padded " if padding not in (0, "valid") else "") + "image"
    if np.isclose(value, expected):
        return (
            f"{CORRECT}: the window at {where} times the detector, cell by cell, adds up to {format_number(expected)}."
        )
    hint = (
        f"Hint: the window for cell ({row}, {col}) starts at {where}; multiply each covered value by the "
        "detector value on top of it and add."
    )
    img, det = np.asarray(image), np.asarray(detector)
    if np.isin(img, (0, 1)).all() and np.isin(det, (0, 1)).all():
        hint += " With 0s and 1s, count the cells where both hold a 1."
        window = ops.pad_image(img, det.shape, padding=padding)[top : top + det.shape[0], left : left + det.shape[1]]
        if value == (window == det).sum():
            hint = "You counted the cells where the two agree, 0 against 0 included: only 1 × 1 adds anything."
    return f"{NOT_YET}: {format_number(value)} is not it. {hint}"


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


@exercise
def check_window_count(image_shape, detector_shape, answer, *, stride=1, padding=0):
    """How many positions the detector visits (the number of steps).

    Parameters
    ----------
    image_shape, detector_shape : (int, int)
    answer : int
    stride, padding
        As for :func:`conv_lesson.output_size`.

    Examples
    --------
    >>> check_window_count((7, 7), (3, 3), 25)
    Correct: 5 rows × 5 columns of positions = 25, one per feature-map cell.
    """
    with problem():
        oh, ow = ops.output_size(tuple(image_shape), tuple(detector_shape), stride=stride, padding=padding)
    value = number(answer, "a whole number")
    if value == oh * ow:
        return f"{CORRECT}: {oh} rows × {ow} columns of positions = {oh * ow}, one per feature-map cell."
    n, k = image_shape[0], detector_shape[0]
    if value == (n - k) * (image_shape[1] - detector_shape[1]):
        return f"{NOT_YET}: n − k along a side misses one: the first window starts at 0, so count n − k + 1."
    if value == image_shape[0] * image_shape[1]:
        return f"{NOT_YET}: that is one per image cell; the detector only goes where it fits inside the image."
    return f"{NOT_YET}: count the positions along one row, then along one column, and multiply."


@exercise
def check_loop_function(func):
    """A hand-written feature-map loop ``func(image, detector, stride)``, tried on several cases.

    Parameters
    ----------
    func : callable
        ``func(image, detector, stride)`` returning the feature map (no padding).

    Examples
    --------
    >>> check_loop_function(lambda image, detector, stride: image[::stride, ::stride][: (len(image) - 1) // stride + 1])
    Not yet: for a 7x7 image, a 3x3 detector and stride 1, the map is (5, 5), yours is (7, 7). \
Hint: output_size(n, k, stride=s).
    >>> check_loop_function(ops.feature_map)
    Not yet: your function uses the library's feature_map instead of a loop: that checks the library against \
itself. Write the two loops over the output cells yourself.
    """
    func = given(func)
    if not callable(func):
        return f"{NOT_YET}: pass your function itself (its name, no brackets)."
    used = calls_library(func)
    if used:
        return (
            f"{NOT_YET}: your function uses the library's {', '.join(sorted(used))} instead of a loop: that checks "
            "the library against itself. Write the two loops over the output cells yourself."
        )
    rng = np.random.default_rng(7)
    cases = [(7, 3, 1), (7, 3, 2), (8, 3, 3), (6, 2, 2), (9, 3, 2), (5, 5, 1)]
    for n, k, s in cases:
        image, det = rng.integers(0, 4, size=(n, n)), rng.integers(-1, 2, size=(k, k))
        expected = ops.feature_map(image, det, stride=s)
        result = func(image, det, s)
        if result is None:
            raise NotAnswered
        got = np.asarray(result, dtype=float)
        if got.shape != expected.shape:
            return (
                f"{NOT_YET}: for a {n}x{n} image, a {k}x{k} detector and stride {s}, the map is "
                f"{expected.shape}, yours is {got.shape}. Hint: output_size(n, k, stride=s)."
            )
        if not np.allclose(got, expected):
            if s > 1:
                return (
                    f"{NOT_YET}: right at stride 1, wrong at stride {s}. Hint: output cell (i, j) reads "
                    "the window starting at row i*stride, column j*stride (multiply the index by the stride)."
                )
            return f"{NOT_YET}: wrong already at stride 1 on a {n}x{n} image; check the sum of products."
    return (
        f"{CORRECT}: your loop agrees with feature_map on all {len(cases)} test cases, strides 1 to 3 included: "
        "each output cell reads the window starting at its index times the stride."
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
        return f"{NOT_YET}: {format_number(value)} is n − k without the + 1: the window at position 0 counts too."
    if value == -(-span // s) + 1:
        return f"{NOT_YET}: close, but a window that would run past the edge is never placed: round the division down."
    if padding not in (0, "valid") and value == ops.output_size(n, k, stride=stride, dilation=dilation):
        return f"{NOT_YET}: you left out the padding. Hint: it adds {before + after} to n."
    if d > 1 and value == ops.output_size(n, k, stride=stride, padding=padding):
        return f"{NOT_YET}: with dilation {d} a {k}-wide detector spans d·(k − 1) + 1 = {k_eff} cells, not {k}."
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
