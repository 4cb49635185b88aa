"""Learning a detector from data by gradient descent."""

from __future__ import annotations

import numbers

import numpy as np

from .checks import as_array, check_int, check_pair, describe
from .scan import feature_map

__all__ = ["detector_gradient", "learn_detector", "descent_run", "pattern_similarity"]


def detector_gradient(image, detector, target):
    """Gradient of the mean squared error between ``feature_map(image, detector)`` and ``target``.

    With ``loss = mean((feature_map(image, detector) - target) ** 2)``, the
    gradient with respect to each detector cell is itself a feature map:
    the image slid under the error map, ``2 / N * feature_map(image, error)``.

    Parameters
    ----------
    image : array_like, 2-D
    detector : array_like, 2-D
    target : array_like, 2-D, shaped like the feature map (stride 1, no padding)

    Returns
    -------
    (float, ndarray)
        The loss and the gradient (shaped like the detector).

    Examples
    --------
    >>> img = np.arange(16.0).reshape(4, 4)
    >>> true = np.array([[1.0, 0.0], [0.0, -1.0]])
    >>> loss, grad = detector_gradient(img, true, feature_map(img, true))
    >>> loss, grad.tolist()
    (0.0, [[0.0, 0.0], [0.0, 0.0]])
    """
    image = as_array(image, "image", (2,), "a 2-D array").astype(np.float64)
    detector = as_array(detector, "detector", (2,), "a 2-D array").astype(np.float64)
    target = as_array(target, "target", (2,), "a 2-D array").astype(np.float64)
    predicted = feature_map(image, detector)
    if target.shape != predicted.shape:
        raise ValueError(f"target must be shaped like the feature map {predicted.shape}; got {target.shape}")
    error = predicted - target
    loss = float(np.mean(error**2))
    grad = 2.0 / error.size * feature_map(image, error)
    return loss, grad


def learn_detector(image, target, *, shape=(3, 3), steps=200, learning_rate=0.01, seed=0):
    """Recover a detector from an image and its feature map by gradient descent.

    Starts from small random numbers (seeded) and repeats
    ``detector -= learning_rate * gradient``.

    Parameters
    ----------
    image : array_like, 2-D
    target : array_like, 2-D
        The feature map to reproduce (stride 1, no padding).
    shape : (int, int), default (3, 3)
        The detector's shape.
    steps : int, default 200
    learning_rate : float, default 0.01
    seed : int, default 0

    Returns
    -------
    (ndarray, list of float)
        The learned detector and the loss before each step.

    Examples
    --------
    >>> img = np.random.default_rng(1).normal(size=(12, 12))
    >>> true = np.array([[0.0, 1.0], [-1.0, 0.5]])
    >>> learned, losses = learn_detector(img, feature_map(img, true), shape=(2, 2), steps=300, learning_rate=0.1)
    >>> bool(np.allclose(learned, true, atol=1e-3)), losses[-1] < losses[0]
    (True, True)
    """
    learned, losses, blew_up = descent_run(
        image, target, shape=shape, steps=steps, learning_rate=learning_rate, seed=seed
    )
    if blew_up is not None:
        raise ValueError(f"learning_rate {learning_rate} is too large: the loss blew up; try a smaller one")
    return learned, losses


def descent_run(image, target, *, shape=(3, 3), steps=200, learning_rate=0.01, seed=0):
    """Gradient descent as :func:`learn_detector` does it, stopping (not raising) when the loss blows up.

    The loss blows up when it is no longer finite or exceeds 100 times the
    first loss.

    Parameters
    ----------
    image, target, shape, steps, learning_rate, seed
        As for :func:`learn_detector`.

    Returns
    -------
    (ndarray, list of float, int or None)
        The detector reached, the loss before each step taken, and the
        step at which the loss blew up (None if it never did).

    Examples
    --------
    >>> img = np.random.default_rng(1).normal(size=(12, 12))
    >>> true = np.array([[0.0, 1.0], [-1.0, 0.5]])
    >>> _, losses, blew_up = descent_run(img, feature_map(img, true), shape=(2, 2), steps=50, learning_rate=5.0)
    >>> blew_up, len(losses)
    (2, 2)
    """
    shape = check_pair(tuple(shape) if isinstance(shape, list) else shape, "shape", 1)
    steps = check_int(steps, "steps", 1)
    if isinstance(learning_rate, (bool, np.bool_)) or not isinstance(learning_rate, numbers.Real):
        raise TypeError(f"learning_rate must be a positive number; got {describe(learning_rate)}")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number; got {learning_rate}")
    seed = check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    det = rng.normal(scale=0.1, size=shape)
    losses = []
    for step in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is reported below
            loss, grad = detector_gradient(image, det, target)
        if not np.isfinite(loss) or (losses and loss > 100 * losses[0] + 1e-12):
            return det, losses, step
        losses.append(loss)
        det = det - learning_rate * grad
    return det, losses, None


def _patterns(detectors, name):
    """``detectors`` (one 2-D detector or a stack of them) as unit rows with their means taken away."""
    arr = as_array(detectors, name, (2, 3), "a detector (k, k) or a stack of detectors (n, k, k)")
    stack = arr[None] if arr.ndim == 2 else arr
    raw = stack.reshape(len(stack), -1).astype(np.float64)
    flat = raw - raw.mean(axis=1, keepdims=True)
    length = np.linalg.norm(flat, axis=1)
    flat_ones = np.flatnonzero(length <= 1e-12 * np.maximum(1.0, np.abs(raw).max(axis=1)))
    if flat_ones.size:
        which = "it is" if arr.ndim == 2 else f"detector {int(flat_ones[0])} is"
        raise ValueError(f"{name} must have a pattern (weights that are not all equal) to compare; {which} constant")
    return stack.shape[1:], flat / length[:, None]


def pattern_similarity(detectors, others):
    """How alike two sets of detectors' patterns are: the cosine similarity of each pair, means taken away.

    Each detector's mean is taken away, and the two patterns are compared
    by the cosine of the angle between them (their correlation): 1 for the
    same pattern at any strength, -1 for the same pattern with its signs
    swapped, near 0 on average for unrelated ones. Taking the mean away
    ignores how a detector answers flat ink (its sum): a blur and an
    outline detector can score high.

    Parameters
    ----------
    detectors : array_like, (k, k) or (n, k, k)
        One detector or a stack of them; none may be constant.
    others : array_like, (k, k) or (m, k, k)
        The detectors to compare with, of the same size.

    Returns
    -------
    ndarray of float64, shape (n, m)
        ``[i, j]``: detector i against other j, between -1 and 1 (a single
        detector counts as a stack of one).

    Examples
    --------
    >>> edge = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
    >>> pattern_similarity(edge, [np.multiply(edge, 3), np.multiply(edge, -1)]).round(2).tolist()
    [[1.0, -1.0]]
    >>> pattern_similarity(edge, [[[1, 1, 1], [1, 1, 1], [1, 1, 1]]])
    Traceback (most recent call last):
    ...
    ValueError: others must have a pattern (weights that are not all equal) to compare; detector 0 is constant
    """
    shape, mine = _patterns(detectors, "detectors")
    other_shape, theirs = _patterns(others, "others")
    if other_shape != shape:
        raise ValueError(f"others must be detectors of the same size as detectors, {shape}; got {other_shape}")
    return np.clip(mine @ theirs.T, -1.0, 1.0)
