"""Lessons 05 and 06: 'same' padding, the flip, channels, learning a detector."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops import format_number
from ..ops.checks import check_int
from .core import CORRECT, NOT_YET, array, exercise, given, number, problem, same

__all__ = ["check_channels", "check_flip", "check_gradient_scaling", "check_learned_detector", "check_same_padding"]


@exercise
def check_same_padding(n, k, answer, *, stride=1):
    """'same' padding for an n-long side and a k-wide detector: ``(before, after)``.

    'same' keeps ``ceil(n / stride)`` cells: at stride 1 the image's size.

    Parameters
    ----------
    n, k : int
    answer : (int, int)
    stride : int, default 1

    Examples
    --------
    >>> check_same_padding(6, 4, (1, 2))
    Correct: 6 cells at stride 1: the last window starts at 5 and reaches cell 8, while the image ends at cell 5: \
3 zeros in all, the odd one after (bottom/right): (1, 2).
    """
    with problem():
        n, k, s = check_int(n, "n", 1), check_int(k, "k", 1), check_int(stride, "stride", 1)
        expected = ops.resolve_padding((n, n), (k, k), stride=s, padding="same")[0]
    before, after = (number(v, "a whole number") for v in given(answer))
    total, out = sum(expected), -(-n // s)
    if (before, after) == expected:
        zeros = f"{total} zero{'s' * (total != 1)} in all" + (", split evenly" if before == after else "")
        extra = "" if before == after else f", the odd one after (bottom/right): ({before}, {after})"
        return (
            f"{CORRECT}: {out} cells at stride {s}: the last window starts at {(out - 1) * s} and reaches cell "
            f"{(out - 1) * s + k - 1}, while the image ends at cell {n - 1}: {zeros}{extra}."
        )
    if before + after == total:
        return f"{NOT_YET}: the total {total} is right, but the odd one goes after: bottom for rows, right for columns."
    if s > 1 and before + after == k - 1:
        return (
            f"{NOT_YET}: k − 1 zeros keep the size at stride 1. At stride {s}, 'same' means ceil(n / stride) cells; "
            "count how far the last of those windows reaches past the image."
        )
    return f"{NOT_YET}: at stride {s}, 'same' keeps ceil(n / stride) cells: pad until the last of those windows fits."


@exercise
def check_flip(image, detector, answer):
    """The true (flipped) convolution of ``image`` with ``detector``, windows inside the image only.

    Parameters
    ----------
    image, detector : 2-D array_like
    answer : 2-D array_like

    Examples
    --------
    >>> check_flip([[1, 2], [3, 4]], [[0, 1]], [[1], [3]])
    Correct: the detector was rotated by 180° and then slid like any detector.
    """
    with problem():
        flipped = ops.feature_map(image, detector, flip=True)
        plain = ops.feature_map(image, detector)
        img, det = np.asarray(image, dtype=float), np.asarray(detector, dtype=float)
    arr = array(answer)
    if same(arr, flipped):
        return f"{CORRECT}: the detector was rotated by 180° and then slid like any detector."
    if same(arr, plain):
        return (
            f"{NOT_YET}: that is the cross-correlation deep-learning libraries compute. "
            "Hint: rotate the detector by 180° (flip rows and columns) first."
        )
    full = tuple(a + b - 1 for a, b in zip(img.shape, det.shape))
    if arr.shape == full:
        return (
            f"{NOT_YET}: your answer has shape {arr.shape}, the 'full' convolution with every partial overlap "
            f"(scipy.signal.convolve2d's default mode). Here only windows that fit inside the image count: "
            f"shape {flipped.shape}, mode='valid'."
        )
    if arr.shape == img.shape and flipped.shape != img.shape:
        return (
            f"{NOT_YET}: shape {arr.shape} is mode='same' (padded). Only windows inside the image count: "
            f"shape {flipped.shape}."
        )
    for name, variant in (("only the rows", det[::-1]), ("only the columns", det[:, ::-1])):
        if same(arr, ops.feature_map(img, variant)):
            return f"{NOT_YET}: you flipped {name}. A 180° rotation flips both."
    if arr.shape != flipped.shape:
        return f"{NOT_YET}: the map has shape {flipped.shape}, one cell per window inside the image; yours {arr.shape}."
    return f"{NOT_YET}: not yet. Hint: rotate the detector by 180°, then slide it as before."


@exercise
def check_channels(image_shape, kernel_size, n_detectors, detector_shape, n_feature_maps):
    """The shape of one detector, and the number of maps, for a layer on a multi-channel image.

    Parameters
    ----------
    image_shape : (int, int, int)
        Channels last: (rows, cols, channels).
    kernel_size : int
        The detector's side.
    n_detectors : int
    detector_shape : tuple of int
        The student's answer, channels last: (kh, kw, channels).
    n_feature_maps : int
        The student's answer.

    Examples
    --------
    >>> check_channels((32, 32, 3), 3, 8, (3, 3, 3), 8)
    Correct: each detector is 3x3 in space and spans all 3 channels (27 weights); the products over all channels \
add up to one number per position, so 8 detectors give 8 maps.
    >>> check_channels((32, 32, 3), 5, 8, (3, 5, 5), 8)
    Not yet: (3, 5, 5) is channels-first, PyTorch's order (channels, rows, cols). This lesson writes shapes \
channels-last: (rows, cols, channels).
    """
    with problem():
        if len(image_shape) not in (2, 3):
            raise ValueError(f"image_shape must be (rows, cols) or (rows, cols, channels); got {image_shape!r}")
        c = int(image_shape[2]) if len(image_shape) == 3 else 1
        k, n_det = check_int(kernel_size, "kernel_size", 1), check_int(n_detectors, "n_detectors", 1)
    det = tuple(int(number(v, "a whole number")) for v in given(detector_shape))
    maps = number(n_feature_maps, "a whole number")
    want = (k, k, c)
    problems = []
    if det == (n_det, c, k, k):
        problems.append(f"{det} is PyTorch's weight for the whole layer (out, in, rows, cols); give one detector")
    elif det == (c, k, k) and det != want:
        problems.append(
            f"{det} is channels-first, PyTorch's order (channels, rows, cols). "
            "This lesson writes shapes channels-last: (rows, cols, channels)"
        )
    elif len(det) != 3 or det[2] != c:
        problems.append(f"a detector for a {c}-channel image has {c} channels too: (rows, cols, {c})")
    elif det[:2] != (k, k):
        problems.append(f"the detectors are {k}x{k} in space, so {det} cannot be one: (rows, cols, channels)")
    if maps != n_det:
        if maps == n_det * c:
            problems.append("the channels are summed inside each detector: one map per detector, not per channel")
        else:
            problems.append("each detector gives exactly one feature map")
    if problems:
        return f"{NOT_YET}: " + "; ".join(problems) + "."
    return (
        f"{CORRECT}: each detector is {k}x{k} in space and spans all {c} channels ({k * k * c} weights); the products "
        f"over all channels add up to one number per position, so {n_det} detectors give {n_det} maps."
    )


@exercise
def check_gradient_scaling(factor, answer):
    """By what factor the detector's gradient grows when the image (and so the target) is ``factor`` times brighter.

    Parameters
    ----------
    factor : float
    answer : float

    Examples
    --------
    >>> check_gradient_scaling(2, 4)
    Correct: the error map is 2 times larger and so is the image slid under it, so the gradient grows 2 × 2 = 4 \
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


@exercise
def check_learned_detector(learned, true_detector, *, tolerance=0.05):
    """Is the learned detector close to the hidden one?

    Parameters
    ----------
    learned : 2-D array_like
        The detector gradient descent found.
    true_detector : 2-D array_like
        The hidden detector.
    tolerance : float, default 0.05

    Examples
    --------
    >>> check_learned_detector([[1.0, 0.0]], [[1.0, 0.01]])
    Correct: every weight is within 0.05 of the hidden detector (largest gap 0.01), found from the image and \
the target alone.
    """
    with problem():
        true = np.asarray(true_detector, dtype=float)
    if learned is true_detector or (isinstance(learned, np.ndarray) and np.shares_memory(learned, true_detector)):
        return f"{NOT_YET}: that is the hidden detector itself. Learn it from the image and target with learn_detector."
    arr = array(learned)
    if arr.shape != true.shape:
        return f"{NOT_YET}: the detector has shape {true.shape}; yours has {arr.shape}."
    if np.array_equal(arr, true):
        return (
            f"{NOT_YET}: equal to the hidden detector to the last bit, which gradient descent never lands on: "
            "did you copy it? Learn it with learn_detector."
        )
    gap = float(np.max(np.abs(arr - true)))
    if gap <= tolerance:
        return (
            f"{CORRECT}: every weight is within {format_number(tolerance)} of the hidden detector "
            f"(largest gap {format_number(gap)}), found from the image and the target alone."
        )
    return (
        f"{NOT_YET}: the largest gap is {format_number(gap)}. Hint: run more steps, or raise the learning "
        "rate a little (too high and the loss blows up)."
    )
