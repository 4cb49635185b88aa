"""Lesson 09: a small network end to end: its loss, grouped layers, what a layer costs in memory."""

from __future__ import annotations

import math

from ..ops.checks import check_int, check_real
from .core import CORRECT, NOT_YET, exercise, number, problem, whole

__all__ = ["check_right_digit_probability", "check_groups_for_budget", "check_batch_memory"]


def _close(value, expected, rel=0.01):
    return math.isclose(value, expected, rel_tol=rel)


@exercise
def check_right_digit_probability(loss, answer):
    """The probability a network gave the right class, read back from its cross-entropy ``loss`` on one image.

    Parameters
    ----------
    loss : float
        The cross-entropy of one image (natural logarithm), at least 0.
    answer : float
        The probability, within 0.005.

    Examples
    --------
    >>> check_right_digit_probability(0.105, 0.9)
    Correct: the loss is −log p, so p = e^(−0.105) = 0.900.
    >>> check_right_digit_probability(0.105, 0.895)
    Not yet: the loss is not 1 − p: it is −log p (natural logarithm). Undo the logarithm.
    """
    with problem():
        loss = check_real(loss, "loss", low=0)
    expected = math.exp(-loss)
    value = number(answer)
    if abs(value - expected) <= 0.005:
        return f"{CORRECT}: the loss is −log p, so p = e^(−{loss:g}) = {expected:.3f}."
    if not 0 <= value <= 1:
        return f"{NOT_YET}: a probability lies between 0 and 1; you gave {value:g}."
    if abs(value - (1 - loss)) <= 0.005:
        return f"{NOT_YET}: the loss is not 1 − p: it is −log p (natural logarithm). Undo the logarithm."
    if abs(value - 10**-loss) <= 0.005:
        return f"{NOT_YET}: that undoes a base-10 logarithm; cross-entropy uses the natural one (e, not 10)."
    return f"{NOT_YET}: cross-entropy is −log(probability of the right class): solve −log p = {loss:g} for p."


@exercise
def check_groups_for_budget(c_in, c_out, kernel_size, budget, answer):
    """The fewest groups that bring a ``kernel_size`` x ``kernel_size`` layer from ``c_in`` to ``c_out``
    channels within ``budget`` weights (no biases).

    Parameters
    ----------
    c_in, c_out, kernel_size, budget : int
    answer : int

    Examples
    --------
    >>> check_groups_for_budget(64, 128, 3, 10_000, 8)
    Correct: with 8 groups each detector reads 64 / 8 = 8 channels: 128 × 3×3×8 = 9,216 weights ≤ 10,000; \
4 groups would need 18,432.
    """
    with problem():
        c_in, c_out = check_int(c_in, "c_in", 1), check_int(c_out, "c_out", 1)
        k, budget = check_int(kernel_size, "kernel_size", 1), check_int(budget, "budget", 1)
        fitting = [
            g for g in range(1, c_in + 1) if c_in % g == 0 and c_out % g == 0 and c_out * k * k * c_in // g <= budget
        ]
        if not fitting:
            raise ValueError(f"budget must allow some grouping: even depthwise needs more than {budget} weights")
    g = whole(answer, "a whole number of groups")

    def weights(groups):
        return c_out * k * k * c_in // groups

    best = fitting[0]
    if g < 1 or c_in % g or c_out % g:
        return (
            f"{NOT_YET}: the groups must split both the {c_in} input and the {c_out} output channels evenly; "
            f"{g} does not divide both."
        )
    if g == best:
        smaller = [d for d in range(1, g) if c_in % d == 0 and c_out % d == 0]
        before = f"; {smaller[-1]} groups would need {weights(smaller[-1]):,}" if smaller else ""
        return (
            f"{CORRECT}: with {g} groups each detector reads {c_in} / {g} = {c_in // g} channels: "
            f"{c_out} × {k}×{k}×{c_in // g} = {weights(g):,} weights ≤ {budget:,}{before}."
        )
    if weights(g) > budget:
        return (
            f"{NOT_YET}: with {g} groups a detector reads {c_in // g} channels: {c_out} × {k}×{k}×{c_in // g} = "
            f"{weights(g):,} weights, over {budget:,}."
        )
    return f"{NOT_YET}: {g} groups fit ({weights(g):,} weights), but fewer groups also fit: find the fewest."


@exercise
def check_batch_memory(side, channels, batch, answer):
    """Megabytes (10^6 bytes) that a batch of ``batch`` feature-map stacks of ``side`` x ``side`` x ``channels``
    float32 numbers takes; mebibytes (2^20) are accepted too. Within 1 %.

    Parameters
    ----------
    side, channels, batch : int
    answer : float

    Examples
    --------
    >>> check_batch_memory(224, 64, 32, 411)
    Correct: 224×224×64 numbers an image, 4 bytes each, 32 images: 411,041,792 bytes = 411.0 MB.
    """
    with problem():
        side, channels = check_int(side, "side", 1), check_int(channels, "channels", 1)
        batch = check_int(batch, "batch", 1)
    per_image = side * side * channels
    total = per_image * 4 * batch
    value = number(answer)
    said = f"{side}×{side}×{channels} numbers an image, 4 bytes each, {batch} images: {total:,} bytes"
    if _close(value, total / 1e6):
        return f"{CORRECT}: {said} = {total / 1e6:.1f} MB."
    if _close(value, total / 2**20):
        return f"{CORRECT}: {said} = {total / 2**20:.1f} MiB (= {total / 1e6:.1f} MB)."
    if _close(value, total / 4 / 1e6) or _close(value, total / 4 / 2**20):
        return f"{NOT_YET}: that counts numbers, not bytes: a float32 takes 4 bytes."
    if _close(value, total / batch / 1e6) or _close(value, total / batch / 2**20):
        return f"{NOT_YET}: that is one image; the batch holds {batch}."
    if _close(value, total) or _close(value, total / 1e9) or _close(value, total / 2**30):
        unit = "bytes" if value > 1e6 else "gigabytes"
        return f"{NOT_YET}: the right amount, in {unit}: the question asks for megabytes (millions of bytes)."
    if _close(value, total * 2 / 1e6) or _close(value, total * 2 / 2**20):
        return f"{NOT_YET}: float32 is 32 bits = 4 bytes, not 8 (that is float64)."
    return f"{NOT_YET}: count one image's output numbers (rows × columns × maps), then bytes, then the batch."
