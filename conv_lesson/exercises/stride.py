"""Lesson 03: the stride worked backwards, the columns a stride never reads, the loop written by hand."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops.checks import check_int
from .core import (
    CORRECT,
    NOT_YET,
    NotAnswered,
    cells_text,
    exercise,
    given,
    is_library_function,
    not_among,
    number,
    parts,
    problem,
    run_watching_library,
    whole,
)

__all__ = ["LOOP_CASES", "check_fully_read_widths", "check_loop_function", "check_stride_and_padding"]


@exercise
def check_stride_and_padding(n, k, side, answer):
    """A stride and a padding (zeros on each side) that make an ``n``-wide side with a ``k``-wide detector
    give a map ``side`` cells wide: the size formula worked backwards. Every pair that does it is right.

    Parameters
    ----------
    n, k, side : int
    answer : (int, int)
        ``(stride, padding)``.

    Examples
    --------
    >>> check_stride_and_padding(32, 3, 8, (4, 0))
    Correct: floor((32 + 2·0 − 3) / 4) + 1 = 8. Stride 4 with padding 1 gives 8 too: \
a stride shrinks the map about s times, and the padding only tunes the last window.
    """
    with problem():
        n, k, side = check_int(n, "n", 1), check_int(k, "k", 1), check_int(side, "side", 1)
    stride, padding = (number(v, "a whole number") for v in parts(answer, "(stride, padding)", 2))
    if not (float(stride).is_integer() and stride >= 1 and float(padding).is_integer() and padding >= 0):
        return f"{NOT_YET}: the stride is a whole number from 1 and the padding a whole number from 0."
    stride, padding = int(stride), int(padding)
    if n + 2 * padding < k:
        return f"{NOT_YET}: the detector does not fit in {n} + 2·{padding} cells at all."
    got = (n + 2 * padding - k) // stride + 1
    formula = f"floor(({n} + 2·{padding} − {k}) / {stride}) + 1 = {got}"
    if got == side:
        others = [p for p in range(0, k + stride) if p != padding and (n + 2 * p - k) // stride + 1 == side]
        also = (
            f" Stride {stride} with padding {others[0]} gives {side} too: a stride shrinks the map about s times, "
            "and the padding only tunes the last window."
            if others
            else ""
        )
        return f"{CORRECT}: {formula}.{also}"
    if (n + 2 * padding) / stride == side:  # "stride s divides the side by s": it divides the positions
        fits = n + 2 * padding - k + 1
        return (
            f"{NOT_YET}: {formula}, not {side}. A stride of {stride} does not cut {n + 2 * padding} cells to "
            f"{n + 2 * padding} / {stride}: it keeps one in {stride} of the {fits} places where a {k}-wide window "
            f"fits (the last {k - 1} cells start none), {got} windows. Padding makes room for the one missing."
        )
    hint = "a larger stride shrinks the map faster" if got > side else "a smaller stride, or more padding"
    return f"{NOT_YET}: {formula}, not {side}. Hint: {hint}; the padding only tunes the last window."


@exercise
def check_fully_read_widths(k, stride, widths, answer):
    """Which of ``widths`` a ``k``-wide detector at ``stride`` reads to the last column (no padding).

    Parameters
    ----------
    k, stride : int
    widths : sequence of int
        The image widths to judge.
    answer : sequence of int
        Those of ``widths`` whose last column some window covers.

    Examples
    --------
    >>> check_fully_read_widths(2, 3, [7, 8, 9], [8])
    Correct: a width n is read to its end when the windows, 3 apart, land on it: (n − 2) divisible by 3. \
For 7 the last window ends at column 4, 2 short of column 6.
    """
    with problem():
        k, stride = check_int(k, "k", 1), check_int(stride, "stride", 1)
        widths = [check_int(w, "widths", k) for w in widths]
    got = {whole(v) for v in given(answer)}

    def last_start(n):  # where the last window starts
        return ((n - k) // stride) * stride

    expected = {n for n in widths if last_start(n) + k == n}
    if told := not_among(got, widths):
        return told
    if got == expected:
        short = [n for n in widths if n not in expected]
        example = ""
        if short:
            n = short[0]
            end = last_start(n) + k - 1
            example = f" For {n} the last window ends at column {end}, {n - 1 - end} short of column {n - 1}."
        return (
            f"{CORRECT}: a width n is read to its end when the windows, {stride} apart, land on it: "
            f"(n − {k}) divisible by {stride}.{example}"
        )
    wrong_in = sorted(got - expected)
    if wrong_in:
        n = wrong_in[0]
        start = last_start(n)
        return (
            f"{NOT_YET}: on {n} columns the windows start at 0, {stride}, … up to {start}; the last one covers "
            f"columns {start} to {start + k - 1}, so column {n - 1} is never read."
        )
    n = sorted(expected - got)[0]
    start = last_start(n)
    return (
        f"{NOT_YET}: {n} is read to the end too: its last window starts at {start} and covers "
        f"columns {start} to {n - 1}."
    )


#: The cases ``check_loop_function`` tries, ``(image shape, detector shape, stride)``: square and
#: not, odd and even sizes, strides 1 to 3, windows that do not reach the last rows or columns.
LOOP_CASES = [((7, 7), (3, 3), 1), ((7, 9), (3, 2), 1), ((8, 7), (3, 3), 2), ((9, 6), (2, 3), 3), ((5, 5), (5, 5), 1)]


def _loop_variants(image, detector, stride, shape):
    """The usual wrong loops' results (of the right ``shape``), each with what went wrong."""
    rows, cols = shape
    return [
        (ops.feature_map(image, detector)[:rows, :cols], "the window moves one cell for each output cell"),
        (ops.feature_map(image, detector[::-1, ::-1], stride=stride), "the detector is rotated by 180°"),
    ]


def _side_text(n, k, stride, side, what):
    span = f"{n} − {k}" if stride == 1 else f"floor(({n} − {k}) / {stride})"
    return f"{span} + 1 = {side} {what}"


@exercise
def check_loop_function(func):
    """A hand-written feature-map loop ``func(image, detector, stride)``, judged by what it returns.

    It runs on images and detectors of several shapes (not all square, with
    negative values) and strides 1 to 3 (:data:`LOOP_CASES`), and must give
    the feature map (no padding) every time, without calling a library
    function that computes the whole map (see
    :func:`~conv_lesson.exercises.core.run_watching_library`).

    Parameters
    ----------
    func : callable
        ``func(image, detector, stride)`` returning the feature map.

    Examples
    --------
    >>> check_loop_function(lambda image, detector, stride: image[::stride, ::stride])
    Not yet: for a 7x7 image, a 3x3 detector and stride 1 the map has shape (5, 5): 7 − 3 + 1 = 5 rows \
and 7 − 3 + 1 = 5 columns; yours has shape (7, 7).
    >>> check_loop_function(ops.feature_map)
    Not yet: your function calls feature_map, which computes the whole map: that checks the library \
against itself. Write the two loops over the output cells yourself.
    """
    func = given(func)
    if not callable(func):
        return f"{NOT_YET}: pass your function itself (its name, no brackets)."
    if is_library_function(func):
        return f"{NOT_YET}: {_LIBRARY_USED.format(func.__name__)}"
    rng = np.random.default_rng(7)
    for image_shape, detector_shape, stride in LOOP_CASES:
        image, det = rng.integers(-3, 5, size=image_shape), rng.integers(-2, 3, size=detector_shape)
        expected = ops.feature_map(image, det, stride=stride)
        case = f"a {image_shape[0]}x{image_shape[1]} image, a {detector_shape[0]}x{detector_shape[1]} detector"
        case += f" and stride {stride}"
        try:
            result, used = run_watching_library(func, image.copy(), det.copy(), stride)
        except Exception as exc:  # noqa: BLE001 - the student's function failing is a verdict
            message = f"{NOT_YET}: for {case} your function stopped with {type(exc).__name__}: {exc}."
            if _right_when_square(func, image, det, stride):
                message += (
                    " It gives the right map once the image and the detector are cut square: take the rows and "
                    "the columns each from their own size (image.shape, detector.shape)."
                )
            else:
                message += " Hint: every window must fit: the last one along a side starts at (cells − 1)·stride."
            return message
        if used:
            return f"{NOT_YET}: {_LIBRARY_USED.format(', '.join(sorted(used)))}"
        if result is None:
            if _untouched(func):
                raise NotAnswered
            return f"{NOT_YET}: your function returned None. Did it forget to `return` the map?"
        got = np.asarray(result, dtype=float)
        if got.shape != expected.shape:
            sides = [
                _side_text(n, k, stride, side, what)
                for n, k, side, what in zip(image_shape, detector_shape, expected.shape, ("rows", "columns"))
            ]
            return (
                f"{NOT_YET}: for {case} the map has shape {expected.shape}: {' and '.join(sides)}; "
                f"yours has shape {got.shape}."
            )
        if np.allclose(got, expected):
            continue
        for wrong, why in _loop_variants(image, det, stride, expected.shape):
            if wrong.shape == got.shape and np.allclose(got, wrong):
                return f"{NOT_YET}: wrong for {case}: {why}." + _LOOP_HINTS.get(why, "")
        wrong_cells = [tuple(map(int, rc)) for rc in np.argwhere(~np.isclose(got, expected))]
        return (
            f"{NOT_YET}: for {case}, {len(wrong_cells)} of {expected.size} cells differ, first at "
            f"{cells_text(wrong_cells)}. Hint: cell (i, j) is the sum of the window starting at row i·stride, "
            "column j·stride, times the detector, cell by cell."
        )
    return (
        f"{CORRECT}: your loop gives the feature map for all {len(LOOP_CASES)} cases (square and not, strides 1 to 3): "
        "each output cell reads the window starting at its index times the stride."
    )


def _right_when_square(func, image, detector, stride):
    """Whether ``func`` gives the right map on square cases made of this case's rows and of its columns
    (so that the case's shape, not square, is what made it fail)."""
    (h, w), (kh, kw) = image.shape, detector.shape
    if h == w and kh == kw:
        return False
    for side, k in ((h, kh), (w, kw)):
        square, det = np.resize(image, (side, side)), np.resize(detector, (k, k))
        try:
            got = np.asarray(func(square.copy(), det.copy(), stride), dtype=float)
        except Exception:  # noqa: BLE001 - it fails square too: the shape is not the cause
            return False
        expected = ops.feature_map(square, det, stride=stride)
        if got.shape != expected.shape or not np.allclose(got, expected):
            return False
    return True


def _untouched(func):
    """Whether ``func`` is still the exercise's stub: a body of ``...``, no names, no local variables."""
    code = getattr(func, "__code__", None)
    return code is not None and not code.co_names and code.co_nlocals == code.co_argcount


_LIBRARY_USED = (
    "your function calls {}, which computes the whole map: that checks the library against itself. "
    "Write the two loops over the output cells yourself."
)
_LOOP_HINTS = {
    "the window moves one cell for each output cell": (
        " Hint: output cell (i, j) reads the window starting at row i·stride, column j·stride"
        " (multiply the index by the stride)."
    ),
    "the detector is rotated by 180°": " Hint: a CNN slides the detector as it is; only a true convolution flips it.",
}
