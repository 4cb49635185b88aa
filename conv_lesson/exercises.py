"""Exercises that answer back.

Each ``check_*`` function takes a student's answer, prints whether it is
right, and when it is not yet, a hint that points at the usual mistake. They
never raise: a placeholder (``...``) or an answer of the wrong shape gets a
friendly message, so an unanswered notebook still runs top to bottom.

Each returns ``None`` (so nothing extra is echoed in the notebook); the
printed first word is ``Correct`` or ``Not yet``.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from . import ops
from .ops import format_number
from .ops.checks import check_int, check_pair

__all__ = [
    "check_channels",
    "check_convolve_1d",
    "check_feature_map",
    "check_feature_map_cell",
    "check_flip",
    "check_integration_variable",
    "check_learned_detector",
    "check_loop_function",
    "check_max_pool",
    "check_output_size",
    "check_same_padding",
    "check_two_dice",
    "check_window_count",
]

CORRECT = "Correct"
NOT_YET = "Not yet"
NO_ANSWER = "Not answered yet: replace the ... with your answer and run the cell again."


class _NotAnswered(Exception):
    pass


def _exercise(fn):
    """Wrap a check: print its verdict; never let an exception reach the student."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            message = fn(*args, **kwargs)
        except _NotAnswered:
            message = NO_ANSWER
        except Exception as exc:  # noqa: BLE001 - a check must never raise
            message = f"{NOT_YET}: I could not read your answer ({type(exc).__name__}: {exc})."
        print(message)

    return wrapper


def _given(answer):
    if answer is ... or answer is None:
        raise _NotAnswered
    return answer


def _number(answer, what="a number"):
    answer = _given(answer)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        raise ValueError(f"expected {what}, got {answer!r}")  # noqa: TRY004 - printed as is
    return answer


def _array(answer):
    answer = _given(answer)
    return np.asarray(answer, dtype=float)


def _cells_text(cells, limit=4):
    shown = ", ".join(f"({r}, {c})" for r, c in cells[:limit])
    return shown + (f" and {len(cells) - limit} more" if len(cells) > limit else "")


# Lesson 01: what a convolution is


@_exercise
def check_integration_variable(answer):
    """In ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ``, which variable is integrated over?

    Parameters
    ----------
    answer : str
        ``'tau'`` (or ``'τ'``) or ``'t'``.

    Examples
    --------
    >>> check_integration_variable("tau")
    Correct: the integral runs over τ; t only says where the flipped g sits.
    >>> check_integration_variable(...)
    Not answered yet: replace the ... with your answer and run the cell again.
    """
    answer = str(_given(answer)).strip().lower()
    if answer in ("tau", "τ", "dtau", "dτ"):
        return f"{CORRECT}: the integral runs over τ; t only says where the flipped g sits."
    if answer in ("t", "dt"):
        return (
            f"{NOT_YET}: t is fixed while you integrate: it picks which point of f*g you compute. "
            "Hint: look at the d… at the end of the integral."
        )
    return f"{NOT_YET}: answer 'tau' or 't'. Hint: look at the d… at the end of the integral."


@_exercise
def check_two_dice(answer):
    """The chance of each total 2..12 when two fair dice are thrown.

    Parameters
    ----------
    answer : sequence of 11 numbers
        P(total = 2), ..., P(total = 12).

    Examples
    --------
    >>> check_two_dice(np.convolve(np.ones(6) / 6, np.ones(6) / 6))
    Correct: the distribution of a sum is the convolution of the two distributions (a triangle peaking at 7).
    """
    arr = _array(answer).ravel()
    die = np.full(6, 1 / 6)
    expected = ops.convolve_1d(die, die)
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: there are 11 possible totals (2 to 12); your answer has {arr.size} numbers. "
            "Hint: convolve the distribution of one die with itself."
        )
    if np.allclose(arr, expected, atol=1e-9):
        return (
            f"{CORRECT}: the distribution of a sum is the convolution of the two "
            "distributions (a triangle peaking at 7)."
        )
    if np.isclose(arr.sum(), 1.0):
        wrong = int(np.argmax(np.abs(arr - expected))) + 2
        return (
            f"{NOT_YET}: the probabilities add up to 1, but the total {wrong} is off. "
            "Hint: count the ways to make each total (7 has six ways: 1+6, 2+5, ...) and divide by 36."
        )
    return f"{NOT_YET}: probabilities must add up to 1; yours add up to {format_number(arr.sum())}."


@_exercise
def check_convolve_1d(f, g, answer):
    """The full discrete convolution of ``f`` and ``g``, worked by hand.

    Examples
    --------
    >>> check_convolve_1d([1, 2], [1, 1], [1, 3, 2])
    Correct: each output value sums f[m]·g[n−m] over every overlap.
    """
    arr = _array(answer).ravel()
    expected = ops.convolve_1d(f, g)
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: the full convolution has len(f) + len(g) − 1 = {expected.size} values; yours has {arr.size}."
        )
    if np.allclose(arr, expected):
        return f"{CORRECT}: each output value sums f[m]·g[n−m] over every overlap."
    if np.allclose(arr, ops.convolve_1d(f, np.asarray(g)[::-1])) and not np.allclose(expected, arr):
        return (
            f"{NOT_YET}: that is the sliding dot product without the flip (cross-correlation). "
            "Hint: in a convolution g is flipped before it slides."
        )
    first = int(np.argmax(~np.isclose(arr, expected)))
    return f"{NOT_YET}: value {first} should be {format_number(expected[first])}, not {format_number(arr[first])}."


# Lesson 02: the feature detector and the feature map


@_exercise
def check_feature_map_cell(image, detector, row, col, answer, *, stride=1, padding=0):
    """One cell of the feature map, worked out by hand.

    Examples
    --------
    >>> check_feature_map_cell([[1, 0], [1, 1]], [[1, 1], [0, 1]], 0, 0, 2)
    Correct: feature map cell (0, 0) = 2.
    """
    value = _number(answer)
    fm = ops.feature_map(image, detector, stride=stride, padding=padding)
    expected = fm[row, col]
    if np.isclose(value, expected):
        return f"{CORRECT}: feature map cell ({row}, {col}) = {format_number(expected)}."
    stride_rows, stride_cols = check_pair(stride, "stride", 1)
    top, left = row * stride_rows, col * stride_cols
    hint = (
        f"Hint: the window for cell ({row}, {col}) starts at row {top}, column {left} of the "
        + ("padded " if padding not in (0, "valid") else "")
        + "image; multiply each covered value by the detector value on top of it and add."
    )
    ones = np.isin(np.asarray(image), (0, 1)).all() and np.isin(np.asarray(detector), (0, 1)).all()
    if ones:
        hint += " With 0s and 1s, count the cells where both hold a 1 (0 against 0 does not count)."
    return f"{NOT_YET}: {format_number(value)} is not it. {hint}"


@_exercise
def check_feature_map(image, detector, answer, *, stride=1, padding=0, dilation=1, flip=False):
    """A whole feature map, worked out by hand or by code.

    Examples
    --------
    >>> check_feature_map([[1, 2], [3, 4]], [[1]], [[1, 2], [3, 4]])
    Correct: all 4 cells match.
    """
    arr = _array(answer)
    expected = ops.feature_map(image, detector, stride=stride, padding=padding, dilation=dilation, flip=flip)
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: the feature map has shape {expected.shape}; yours has shape {arr.shape}. "
            "Hint: output_size(n, k, stride=..., padding=...) gives each side."
        )
    wrong = [tuple(map(int, rc)) for rc in np.argwhere(~np.isclose(arr, expected))]
    if not wrong:
        return f"{CORRECT}: all {expected.size} cells match."
    return (
        f"{NOT_YET}: {len(wrong)} of {expected.size} cells differ, first at {_cells_text(wrong)}. "
        "Hint: recompute those windows; remember the window moves by the stride."
    )


# Lesson 03: stride


@_exercise
def check_loop_function(func):
    """A hand-written feature-map loop ``func(image, detector, stride)``, tried on several cases.

    Examples
    --------
    >>> check_loop_function(lambda image, detector, stride: ops.feature_map(image, detector, stride=stride))
    Correct: your loop agrees with feature_map on all 6 test cases, strides 1 to 3 included.
    """
    func = _given(func)
    if not callable(func):
        return f"{NOT_YET}: pass your function itself (its name, no brackets)."
    rng = np.random.default_rng(7)
    cases = [(7, 3, 1), (7, 3, 2), (8, 3, 3), (6, 2, 2), (9, 3, 2), (5, 5, 1)]
    for n, k, s in cases:
        image = rng.integers(0, 4, size=(n, n))
        det = rng.integers(-1, 2, size=(k, k))
        expected = ops.feature_map(image, det, stride=s)
        result = func(image, det, s)
        if result is None:
            raise _NotAnswered
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
    return f"{CORRECT}: your loop agrees with feature_map on all {len(cases)} test cases, strides 1 to 3 included."


@_exercise
def check_output_size(n, k, answer, *, stride=1, padding=0, dilation=1):
    """How many cells along one side of the feature map?

    Examples
    --------
    >>> check_output_size(7, 3, 3, stride=2)
    Correct: floor((7 + 0 − 3) / 2) + 1 = 3.
    """
    value = _number(answer, "a whole number")
    expected = ops.output_size(n, k, stride=stride, padding=padding, dilation=dilation)
    (before, after), _ = ops.resolve_padding((n, n), (k, k), stride=stride, padding=padding, dilation=dilation)
    s, d = check_int(stride, "stride", 1), check_int(dilation, "dilation", 1)
    k_eff = d * (k - 1) + 1
    span = n + before + after - k_eff
    formula = f"floor(({n} + {before + after} − {k_eff}) / {s}) + 1 = {expected}"
    if value == expected:
        return f"{CORRECT}: {formula}."
    if not float(value).is_integer():
        return f"{NOT_YET}: a count of cells is a whole number. Hint: the formula takes the floor."
    if value == -(-span // s) + 1:  # rounded up instead of down
        return (
            f"{NOT_YET}: close, but a window that would run past the edge is never placed: "
            f"round the division down. {formula}."
        )
    if padding not in (0, "valid") and value == ops.output_size(n, k, stride=stride, dilation=dilation):
        return f"{NOT_YET}: you left out the padding. Hint: it adds {before + after} to n."
    if d > 1 and value == ops.output_size(n, k, stride=stride, padding=padding):
        return f"{NOT_YET}: with dilation {d} a {k}-wide detector spans {k_eff} cells."
    return f"{NOT_YET}: not {format_number(value)}. Hint: floor((n + padding − k) / stride) + 1."


@_exercise
def check_window_count(image_shape, detector_shape, answer, *, stride=1, padding=0):
    """How many positions does the detector visit (the number of steps)?

    Examples
    --------
    >>> check_window_count((7, 7), (3, 3), 25)
    Correct: 5 rows × 5 columns = 25 positions, one per feature-map cell.
    """
    value = _number(answer, "a whole number")
    oh, ow = ops.output_size(tuple(image_shape), tuple(detector_shape), stride=stride, padding=padding)
    if value == oh * ow:
        return f"{CORRECT}: {oh} rows × {ow} columns = {oh * ow} positions, one per feature-map cell."
    return (
        f"{NOT_YET}: count the positions along one row, then along one column, and multiply. "
        "Hint: output_size gives each."
    )


# Lesson 04: interpreting feature maps


@_exercise
def check_max_pool(feature_map, answer, *, size=2, stride=2):
    """2x2 max pooling at stride 2 of a feature map.

    Examples
    --------
    >>> check_max_pool([[1, 2], [3, 0]], [[3]])
    Correct: each cell keeps the largest value of its block.
    """
    arr = _array(answer)
    expected = ops.max_pool(feature_map, size=size, stride=stride)
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: the pooled map has shape {expected.shape}; yours has {arr.shape}. "
            "Hint: a block that would run past the edge is dropped."
        )
    if np.allclose(arr, expected):
        return f"{CORRECT}: each cell keeps the largest value of its block."
    return f"{NOT_YET}: some blocks are off. Hint: take the maximum of each {size}x{size} block, not the sum."


# Lesson 05: padding, dilation, channels and the flip


@_exercise
def check_same_padding(n, k, answer):
    """'same' padding for an n-long side and a k-wide detector: (before, after).

    Examples
    --------
    >>> check_same_padding(6, 4, (1, 2))
    Correct: 3 zeros in all, the extra one after (bottom/right).
    """
    answer = _given(answer)
    before, after = (int(v) for v in answer)
    expected = ops.resolve_padding((n, n), (k, k), padding="same")[0]
    total = sum(expected)
    if (before, after) == expected:
        extra = ", the extra one after (bottom/right)" if expected[0] != expected[1] else ", split evenly"
        return f"{CORRECT}: {total} zeros in all{extra}."
    if before + after == total:
        return (
            f"{NOT_YET}: the total {total} is right, but the odd one goes after: "
            "bottom for rows, right for columns (TensorFlow's and this lesson's rule)."
        )
    return f"{NOT_YET}: to keep {n} cells a {k}-wide detector needs k − 1 = {k - 1} zeros in all."


@_exercise
def check_flip(image, detector, answer):
    """The true (flipped) convolution of ``image`` with ``detector``.

    Examples
    --------
    >>> check_flip([[1, 2], [3, 4]], [[0, 1]], [[1], [3]])
    Correct: the detector was rotated by 180° before sliding.
    """
    arr = _array(answer)
    flipped = ops.feature_map(image, detector, flip=True)
    plain = ops.feature_map(image, detector)
    if arr.shape == flipped.shape and np.allclose(arr, flipped):
        return f"{CORRECT}: the detector was rotated by 180° before sliding."
    if arr.shape == plain.shape and np.allclose(arr, plain):
        return (
            f"{NOT_YET}: that is the cross-correlation deep-learning libraries compute. "
            "Hint: rotate the detector by 180° (flip rows and columns) first."
        )
    d = np.asarray(detector)
    for name, variant in (("only the rows", d[::-1]), ("only the columns", d[:, ::-1])):
        v = ops.feature_map(image, variant)
        if arr.shape == v.shape and np.allclose(arr, v):
            return f"{NOT_YET}: you flipped {name}. A 180° rotation flips both."
    return f"{NOT_YET}: not yet. Hint: rotate the detector by 180°, then slide it as before."


@_exercise
def check_channels(image_shape, n_detectors, detector_shape, n_feature_maps):
    """Shapes in a layer with channels: the detector's shape and the number of maps.

    Examples
    --------
    >>> check_channels((32, 32, 3), 8, (3, 3, 3), 8)
    Correct: each detector spans all 3 channels (27 weights) and gives one feature map; 8 detectors, 8 maps.
    """
    det = tuple(int(v) for v in _given(detector_shape))
    maps = _number(n_feature_maps, "a whole number")
    channels = image_shape[2] if len(image_shape) == 3 else 1
    problems = []
    if len(det) != 3 or det[2] != channels:
        problems.append(f"a detector for a {channels}-channel image has {channels} channels too: (kh, kw, {channels})")
    if maps != n_detectors:
        if maps == n_detectors * channels:
            problems.append("the channels are summed inside each detector: one map per detector, not per channel")
        else:
            problems.append("each detector gives exactly one feature map")
    if problems:
        return f"{NOT_YET}: " + "; ".join(problems) + "."
    weights = int(np.prod(det))
    return (
        f"{CORRECT}: each detector spans all {channels} channels ({weights} weights) and gives one "
        f"feature map; {n_detectors} detectors, {n_detectors} maps."
    )


# Lesson 06: learning a detector


@_exercise
def check_learned_detector(learned, true_detector, *, tolerance=0.05):
    """Is the learned detector close to the hidden one?

    Examples
    --------
    >>> check_learned_detector([[1.0, 0.0]], [[1.0, 0.01]])
    Correct: every weight is within 0.05 of the hidden detector (largest gap 0.01).
    """
    arr = _array(learned)
    true = np.asarray(true_detector, dtype=float)
    if arr.shape != true.shape:
        return f"{NOT_YET}: the detector has shape {true.shape}; yours has {arr.shape}."
    gap = float(np.max(np.abs(arr - true)))
    if gap <= tolerance:
        return (
            f"{CORRECT}: every weight is within {format_number(tolerance)} of the hidden detector "
            f"(largest gap {format_number(gap)})."
        )
    return (
        f"{NOT_YET}: the largest gap is {format_number(gap)}. Hint: run more steps, or raise the learning "
        "rate a little (too high and the loss blows up)."
    )
