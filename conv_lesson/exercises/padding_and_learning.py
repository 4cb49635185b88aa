"""Lessons 05 and 06: 'same' padding, the flip, channels, learning a detector."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops import format_number
from ..ops.checks import check_int
from .core import CORRECT, NOT_YET, array, exercise, given, not_among, number, parts, problem, whole

__all__ = [
    "check_detector_from_weights",
    "check_dilation_for_side",
    "check_flip_match",
    "check_gradient_scaling",
    "check_learning_budget",
    "check_odd_padding_widths",
]


def _same_zeros(n, k, stride):
    """The zeros 'same' padding adds along an ``n``-wide side: enough for ceil(n / stride) windows."""
    return max((-(-n // stride) - 1) * stride + k - n, 0)


@exercise
def check_odd_padding_widths(k, stride, widths, answer):
    """Which of ``widths`` get an odd number of 'same' zeros (so the extra one goes after) from a
    ``k``-wide detector at ``stride``.

    At stride 1 every width gets k − 1 zeros; at a larger stride the count depends on the width.

    Parameters
    ----------
    k, stride : int
    widths : sequence of int
    answer : sequence of int

    Examples
    --------
    >>> check_odd_padding_widths(3, 3, [7, 8, 9], [8])
    Correct: the zeros needed are (ceil(n / 3) − 1)·3 + 3 − n: 7 → 2, 8 → 1, 9 → 0. Only the odd \
counts put the extra zero after.
    """
    with problem():
        k, stride = check_int(k, "k", 1), check_int(stride, "stride", 1)
        widths = [check_int(w, "widths", 1) for w in widths]
    got = {whole(v) for v in given(answer)}
    if told := not_among(got, widths, ": give widths, not numbers of zeros"):
        return told
    zeros = {n: _same_zeros(n, k, stride) for n in widths}
    expected = {n for n, z in zeros.items() if z % 2}
    table = ", ".join(f"{n} → {z}" for n, z in zeros.items())
    if got == expected:
        return (
            f"{CORRECT}: the zeros needed are (ceil(n / {stride}) − 1)·{stride} + {k} − n: {table}. "
            "Only the odd counts put the extra zero after."
        )
    if (k - 1) % 2 and got == set(widths) and stride > 1:
        return (
            f"{NOT_YET}: k − 1 = {k - 1} zeros is the rule at stride 1. At stride {stride} 'same' keeps "
            f"ceil(n / {stride}) windows, and how far the last one reaches past the image depends on n."
        )
    n = sorted(got ^ expected)[0]
    out = -(-n // stride)
    return (
        f"{NOT_YET}: look at {n} again: ceil({n} / {stride}) = {out} windows; the last starts at "
        f"({out} − 1)·{stride} = {(out - 1) * stride} and ends at {(out - 1) * stride + k - 1}, "
        f"{zeros[n]} past the image's last cell, {n - 1}."
    )


@exercise
def check_flip_match(image, detector, answer):
    """A detector whose *true* (flipped) convolution with ``image`` gives the same map as the
    deep-learning convolution (no flip) with ``detector``.

    Parameters
    ----------
    image, detector : 2-D array_like
    answer : 2-D array_like

    Examples
    --------
    >>> check_flip_match([[1, 2, 0], [3, 4, 1]], [[1, 3], [0, 0]], [[0, 0], [3, 1]])
    Correct: the true convolution rotates its detector by 180° before sliding it, so the detector \
rotated by 180° beforehand comes back to [[1, 3], [0, 0]].
    """
    with problem():
        img, det = np.asarray(image, dtype=float), np.asarray(detector, dtype=float)
        target = ops.feature_map(img, det)
    arr = array(answer)
    if arr.shape != det.shape:
        return f"{NOT_YET}: the detector must have the shape of the given one, {det.shape}; yours has {arr.shape}."
    if np.allclose(ops.feature_map(img, arr, flip=True), target):
        if not np.allclose(arr, det[::-1, ::-1]):
            return f"{CORRECT}: your detector's true convolution with this image makes the same map."
        shown = str(np.asarray(detector).tolist())
        return (
            f"{CORRECT}: the true convolution rotates its detector by 180° before sliding it, so the detector "
            f"rotated by 180° beforehand comes back to {shown}."
        )
    if np.allclose(arr, det):
        return f"{NOT_YET}: that is the detector itself: the true convolution would rotate it, and the map changes."
    for name, variant in (("only its rows", det[::-1]), ("only its columns", det[:, ::-1]), ("it", det.T)):
        if np.allclose(arr, variant) and not np.allclose(variant, det[::-1, ::-1]):
            what = "transposed it" if name == "it" else f"reversed {name}"
            return f"{NOT_YET}: you {what}. A rotation by 180° reverses both the rows and the columns."
    return f"{NOT_YET}: the true convolution rotates whatever detector you give it by 180°: undo that in advance."


@exercise
def check_detector_from_weights(n_weights, n_maps, channels, answer):
    """The shape (rows, cols, channels) of one square detector of a layer that makes ``n_maps`` maps
    from a ``channels``-channel image with ``n_weights`` weights in all (biases not counted).

    Parameters
    ----------
    n_weights, n_maps, channels : int
    answer : (int, int, int)

    Examples
    --------
    >>> check_detector_from_weights(864, 32, 3, (3, 3, 3))
    Correct: one map per detector, so 32 detectors of 864 / 32 = 27 weights; a detector spans all 3 \
channels, so 27 / 3 = 9 = 3 × 3.
    """
    with problem():
        n_weights, n_maps = check_int(n_weights, "n_weights", 1), check_int(n_maps, "n_maps", 1)
        channels = check_int(channels, "channels", 1)
        per_detector, rest = divmod(n_weights, n_maps)
        k = int(round((per_detector / channels) ** 0.5))
        if rest or k * k * channels != per_detector:
            raise ValueError("n_weights must be n_maps × k × k × channels for a whole k")
    got = tuple(whole(v) for v in parts(answer, "(rows, columns, channels)"))
    if got == (k, k, channels):
        return (
            f"{CORRECT}: one map per detector, so {n_maps} detectors of {n_weights} / {n_maps} = {per_detector} "
            f"weights; a detector spans all {channels} channels, so {per_detector} / {channels} = {k * k} = {k} × {k}."
        )
    if got == (channels, k, k):
        return (
            f"{NOT_YET}: right numbers, channels first; this lesson writes shapes channels-last: "
            "(rows, cols, channels)."
        )
    if len(got) == 2:
        return (
            f"{NOT_YET}: a detector for a {channels}-channel image is {channels} grids deep: "
            f"give (rows, cols, {channels})."
        )
    return (
        f"{NOT_YET}: {n_maps} maps means {n_maps} detectors, so each holds {n_weights} / {n_maps} = "
        f"{per_detector} weights, spread over rows × cols × {channels} channels."
    )


@exercise
def check_dilation_for_side(n, k, padding, side, answer):
    """The dilation that makes a ``k``-wide detector's map on an ``n``-wide side, padded with ``padding``
    zeros on each side, exactly ``side`` cells wide (stride 1).

    Parameters
    ----------
    n, k, padding, side : int
    answer : int

    Examples
    --------
    >>> check_dilation_for_side(12, 2, 0, 7, 5)
    Correct: dilation 5 spans 5·(2 − 1) + 1 = 6 cells: 12 + 2·0 − 6 + 1 = 7.
    """
    with problem():
        n, k = check_int(n, "n", 1), check_int(k, "k", 2)
        padding, side = check_int(padding, "padding", 0), check_int(side, "side", 1)
        span = n + 2 * padding - side + 1
        d, rest = divmod(span - 1, k - 1)
        if rest or d < 1:
            raise ValueError("no whole dilation gives that side")
    value = number(answer, "a whole number")
    if not float(value).is_integer() or value < 1:
        return f"{NOT_YET}: a dilation is a whole number from 1."
    value = int(value)
    spans = value * (k - 1) + 1
    got = n + 2 * padding - spans + 1
    formula = f"dilation {value} spans {value}·({k} − 1) + 1 = {spans} cells: {n} + 2·{padding} − {spans} + 1 = {got}"
    if value == d:
        return f"{CORRECT}: {formula}."
    return f"{NOT_YET}: {formula}, not {side}. Hint: the map must lose {n + 2 * padding - side} cells."


@exercise
def check_gradient_scaling(factor, answer):
    """By what factor the detector's gradient grows when the image (and so the target) is ``factor`` times brighter.

    Parameters
    ----------
    factor : float
    answer : float

    Examples
    --------
    >>> check_gradient_scaling(3, 9)
    Correct: the error map is 3 times larger and so is the image slid under it, so the gradient grows 3 × 3 = 9 \
times: a brighter image needs a smaller learning rate.
    """
    with problem():
        c = float(number(factor))
    value = number(answer)
    if np.isclose(value, c * c):
        return (
            f"{CORRECT}: the error map is {format_number(c)} times larger and so is the image slid under it, so "
            f"the gradient grows {format_number(c)} × {format_number(c)} = {format_number(c * c)} times: a brighter "
            "image needs a smaller learning rate."
        )
    if np.isclose(value, c):
        return (
            f"{NOT_YET}: the error map does grow {format_number(c)} times, but the gradient is feature_map(image, "
            "error map): the image in it is brighter too."
        )
    if np.isclose(value, 1):
        return f"{NOT_YET}: the target grows with the image, and so does the error of the all-zero guess."
    return f"{NOT_YET}: write the gradient as 2/N × feature_map(image, error map) and ask how each factor scales."


def _rate_limit(image, shape):
    """The learning rate above which gradient descent on the squared error blows up: 2 / the largest
    curvature, the largest eigenvalue of (2 / N)·PᵀP for the image's windows P (its im2col matrix)."""
    windows = ops.im2col(image, shape)
    return 2 / np.linalg.eigvalsh(2 / len(windows) * windows.T @ windows).max()


@exercise
def check_learning_budget(image, target, hidden, max_steps, answer, *, tolerance=0.05):
    """A number of steps (at most ``max_steps``) and a learning rate with which ``learn_detector`` finds
    ``hidden`` from ``image`` and ``target`` (every weight within ``tolerance``). Every pair that does it
    is right: the check runs the descent itself, from the lesson's seeded start.

    Parameters
    ----------
    image, target : 2-D array_like
    hidden : 2-D array_like
        The detector that made ``target``.
    max_steps : int
    answer : (int, float)
        ``(steps, learning_rate)``.
    tolerance : float, default 0.05

    Examples
    --------
    >>> img = np.random.default_rng(0).random((8, 8))
    >>> check_learning_budget(img, ops.feature_map(img, np.eye(2)), np.eye(2), 300, (20, 0.5))  # doctest: +ELLIPSIS
    Not yet: after 20 steps at rate 0.5 the largest gap is ... more than 0.05. ...
    """
    with problem():
        hid = np.asarray(hidden, dtype=float)
        max_steps = check_int(max_steps, "max_steps", 1)
        ops.feature_map(image, hid)  # the shapes must fit
    steps, rate = (number(v) for v in parts(answer, "(steps, learning_rate)", 2))
    if not float(steps).is_integer() or steps < 1:
        return f"{NOT_YET}: the number of steps is a whole number from 1."
    steps = int(steps)
    if steps > max_steps:
        return f"{NOT_YET}: {steps} steps is over the budget of {max_steps}. Hint: a larger rate goes faster."
    if rate <= 0:
        return f"{NOT_YET}: the learning rate is a positive number."
    try:
        learned, losses = ops.learn_detector(image, target, shape=hid.shape, steps=steps, learning_rate=rate)
    except ValueError:
        return (
            f"{NOT_YET}: at rate {format_number(rate)} every step overshoots further and the loss blows up. "
            "Hint: just below the rate where that starts, the descent is fastest."
        )
    gap = float(np.max(np.abs(learned - hid)))
    if gap <= tolerance:
        return (
            f"{CORRECT}: after {steps} steps at rate {format_number(rate)} every weight is within "
            f"{format_number(tolerance)} of the hidden detector (largest gap {gap:.4f}), found from the image "
            "and the target alone."
        )
    limit = _rate_limit(image, hid.shape)
    if rate >= 0.95 * limit:
        return (
            f"{NOT_YET}: after {steps} steps at rate {format_number(rate)} the largest gap is {gap:.4f}. That rate "
            f"is close to {limit:.3f}, past which every step overshoots: so near it, one direction swings back and "
            "forth and settles slowly. Hint: step the rate back a little."
        )
    return (
        f"{NOT_YET}: after {steps} steps at rate {format_number(rate)} the largest gap is {gap:.4f}, more than "
        f"{format_number(tolerance)}. Hint: with {max_steps} steps at most, a larger rate gets further (up to "
        "the rate where it overshoots)."
    )
