"""Lesson 01's checks: the flip and slide, sums of dice, boxes of two widths, the discrete sum."""

from __future__ import annotations

import math

import numpy as np

from .. import ops
from ..ops import format_number
from ..ops.checks import check_int
from .core import CORRECT, NOT_YET, array, exercise, number, parts, problem, same

__all__ = ["INTEGRAL_TOLERANCE", "check_box_widths", "check_convolve_1d", "check_dice_sum", "check_flipped_box"]

#: How far from the exact value an integral may be: the lesson's grids of τ have steps of 0.001 or finer.
INTEGRAL_TOLERANCE = 0.01


@exercise
def check_flipped_box(t, answer, *, width=1):
    """Where, along τ, the box g on [0, width) sits once flipped and slid to ``t``: ``g(t − τ)``.

    Parameters
    ----------
    t : float
        Where the flipped box is slid to.
    answer : (float, float)
        The interval ``(start, end)`` of τ on which ``g(t − τ) = 1``.
    width : float, default 1
        The width of the box g.

    Examples
    --------
    >>> check_flipped_box(4, (3, 4))
    Correct: g(t − τ) = 1 while 0 ≤ t − τ < 1, that is t − 1 < τ ≤ t: the box mirrored, now ending at τ = t.
    >>> check_flipped_box(4, (4, 5))
    Not yet: that is g slid to t without the mirror, g(τ − t). The minus sign in front of τ mirrors the box: \
it now ends at τ = t instead of starting there.
    """
    with problem():
        t, width = float(number(t)), float(number(width))
    start, end = (float(number(v)) for v in parts(answer, "(start, end)", 2))
    w = format_number(width)
    if math.isclose(start, t - width) and math.isclose(end, t):
        return (
            f"{CORRECT}: g(t − τ) = 1 while 0 ≤ t − τ < {w}, that is t − {w} < τ ≤ t: "
            "the box mirrored, now ending at τ = t."
        )
    if math.isclose(start, t) and math.isclose(end, t + width):
        return (
            f"{NOT_YET}: that is g slid to t without the mirror, g(τ − t). The minus sign in front of τ mirrors "
            "the box: it now ends at τ = t instead of starting there."
        )
    if math.isclose(start, 0) and math.isclose(end, width):
        return f"{NOT_YET}: that is where g itself sits. Slide it: solve 0 ≤ t − τ < {w} for τ."
    return f"{NOT_YET}: not there yet. Hint: g is 1 while its argument is in [0, {w}); solve 0 ≤ t − τ < {w} for τ."


def _dice(n):
    dist = np.ones(1)
    for _ in range(n):
        dist = ops.convolve_1d(dist, np.full(6, 1 / 6))
    return dist


@exercise
def check_dice_sum(n_dice, answer):
    """The chance of each total when ``n_dice`` fair dice are thrown, totals ``n_dice`` to ``6 * n_dice``.

    Parameters
    ----------
    n_dice : int
    answer : sequence of 5 * n_dice + 1 numbers

    Examples
    --------
    >>> check_dice_sum(2, np.convolve(np.ones(6) / 6, np.ones(6) / 6))
    Correct: the distribution of a sum of independent dice is the convolution of their distributions, \
one convolution per extra die; the most likely total is 7.
    """
    with problem():
        n = check_int(n_dice, "n_dice", 1)
    arr = array(answer).ravel()
    expected = _dice(n)
    if same(arr, expected):
        best = " and ".join(str(int(i) + n) for i in np.flatnonzero(np.isclose(expected, expected.max())))
        return (
            f"{CORRECT}: the distribution of a sum of independent dice is the convolution of their distributions, "
            f"one convolution per extra die; the most likely total is {best}."
        )
    if n > 1 and same(arr, _dice(n - 1)):
        return f"{NOT_YET}: that is the distribution for {n - 1} dice. Convolve it with one more die."
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: {n} dice give the totals {n} to {6 * n}, {expected.size} numbers; yours has {arr.size}. "
            "Hint: each convolution with a die adds 5 possible totals."
        )
    if not np.isclose(arr.sum(), 1.0):
        return f"{NOT_YET}: probabilities must add up to 1; yours add up to {format_number(arr.sum())}."
    wrong = int(np.argmax(np.abs(arr - expected))) + n
    return (
        f"{NOT_YET}: they add up to 1, but the total {wrong} is off. Hint: convolve the distribution of "
        f"{n - 1} dice with that of one die, or count the ways to make each total and divide by {6**n}."
    )


@exercise
def check_box_widths(t, answer, *, width=2):
    """``(f*g)(t)`` at the points ``t`` for f a box on [0, 1) and g a box on [0, width).

    Parameters
    ----------
    t : sequence of float
    answer : sequence of float, one value per t
    width : float, default 2

    Values within :data:`INTEGRAL_TOLERANCE` of the exact ones count: the
    lesson's numerical integral on a grid of τ is exact only to about its step.

    Examples
    --------
    >>> check_box_widths([0.5, 1.5, 3.5], [0.5, 1, 0])
    Correct: the value is the length of the overlap. While the narrow box lies wholly inside the wide one \
(1 ≤ t ≤ 2) the overlap stays 1: a trapezoid with a flat top, not a triangle.
    """
    with problem():
        t = np.asarray(t, dtype=float).ravel()
        width = float(number(width))

    def overlap(w):
        return np.clip(np.minimum(t, 1.0) - np.maximum(t - w, 0.0), 0, None)

    arr = array(answer).ravel()
    if arr.shape != t.shape:
        return f"{NOT_YET}: give one value for each of the {t.size} values of t; yours has {arr.size}."
    if arr.shape == t.shape and np.allclose(arr, overlap(width), rtol=0, atol=INTEGRAL_TOLERANCE):
        return (
            f"{CORRECT}: the value is the length of the overlap. While the narrow box lies wholly inside the wide "
            f"one (1 ≤ t ≤ {format_number(width)}) the overlap stays 1: a trapezoid with a flat top, not a triangle."
        )
    if same(arr, overlap(1.0)):
        return f"{NOT_YET}: those are the values for two boxes of width 1 (the triangle). Here g is {width:g} wide."
    if arr.max() > 1 + 1e-9:
        return (
            f"{NOT_YET}: the product is 1 only where both boxes are 1, so the area never exceeds 1, "
            "the narrow box's width."
        )
    first = int(np.argmax(~np.isclose(arr, overlap(width), rtol=0, atol=INTEGRAL_TOLERANCE)))
    return (
        f"{NOT_YET}: the value at t = {format_number(t[first])} is off. Hint: flip g so it covers "
        f"(t − {width:g}, t], and measure how much of f's [0, 1) it covers."
    )


@exercise
def check_convolve_1d(f, g, answer):
    """The full discrete convolution of ``f`` and ``g``, worked by hand.

    Parameters
    ----------
    f, g : sequence of float
    answer : sequence of len(f) + len(g) − 1 numbers

    Examples
    --------
    >>> check_convolve_1d([1, 2], [1, 1], [1, 3, 2])
    Correct: each value sums f[m]·g[n−m] over every overlap, the flipped g slid one step at a time.
    """
    with problem():
        expected = ops.convolve_1d(f, g)
        no_flip = ops.convolve_1d(f, np.asarray(g)[::-1])
    arr = array(answer).ravel()
    if same(arr, expected):
        return f"{CORRECT}: each value sums f[m]·g[n−m] over every overlap, the flipped g slid one step at a time."
    if same(arr, no_flip):
        return (
            f"{NOT_YET}: that is the sliding dot product without the flip (cross-correlation). "
            "Hint: in a convolution g is flipped before it slides."
        )
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: the full convolution has len(f) + len(g) − 1 = {len(np.ravel(f))} + {len(np.ravel(g))} − 1 "
            f"= {expected.size} values, one for every "
            f"partial overlap too; yours has {arr.size}."
        )
    first = int(np.argmax(~np.isclose(arr, expected)))
    return (
        f"{NOT_YET}: value {first} is off. Hint: flip g, slide it so its last cell sits over f[0], "
        "then move one step at a time."
    )
