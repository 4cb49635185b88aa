"""A network's parameter-free parts: softmax, cross-entropy and pooling (lesson 09).

Pooling takes one feature map (H, W) or a stack of them (H, W, C), channels
last like every image of the package, and pools each channel on its own.
Scores are the class scores a network's last layer gives (logits, before
softmax).
"""

from __future__ import annotations

import numbers

import numpy as np

from .checks import as_array, check_pair, describe, short

__all__ = ["softmax", "cross_entropy", "pool_windows", "average_pool", "global_average_pool"]

_ANY_DIMS = tuple(range(1, 33))
_MAPS_WHAT = "a feature map (H, W), a stack of them (H, W, C), channels last, or a batch of stacks (N, H, W, C)"


def softmax(scores, axis=-1):
    """Softmax: scores turned into probabilities that sum to 1 along ``axis``.

    ``softmax(s)_k = exp(s_k) / sum_j exp(s_j)``, computed as
    ``exp(s_k - max s) / sum_j exp(s_j - max s)``: the same value (the
    factor ``exp(-max s)`` cancels) without overflowing for large scores.

    Parameters
    ----------
    scores : array_like, at least 1-D
        Class scores (logits); any shape.
    axis : int, default -1
        The axis of the classes.

    Returns
    -------
    ndarray of float64
        The shape of ``scores``; each slice along ``axis`` sums to 1.

    Raises
    ------
    TypeError, ValueError
        Scores that are not finite numbers or are empty; ``axis`` not an int
        axis of ``scores``.

    Examples
    --------
    >>> softmax([1.0, 1.0, 1.0, 1.0])
    array([0.25, 0.25, 0.25, 0.25])
    >>> softmax([[0, 0], [1000, 1000 + np.log(3)]]).round(3)
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    scores = as_array(scores, "scores", _ANY_DIMS, "an array of class scores, at least 1-D").astype(np.float64)
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an int; got {describe(axis)}")
    if not -scores.ndim <= axis < scores.ndim:
        raise ValueError(f"axis must be an axis of scores, from {-scores.ndim} to {scores.ndim - 1}; got {axis}")
    shifted = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def _check_labels(labels, n, k, batched):
    """``labels`` as a 1-D int64 array of ``n`` classes in [0, k)."""
    if batched:
        if isinstance(labels, (str, bytes)):
            raise TypeError(f"labels must be a 1-D sequence of ints, one per row of scores; got {describe(labels)}")
        arr = np.asarray(labels)
        if arr.ndim != 1:
            raise ValueError(
                f"labels must be a 1-D sequence of ints, one per row of scores; got shape {arr.shape}: {short(labels)}"
            )
        if arr.size != n:
            raise ValueError(
                f"labels must have one label per row of scores: scores has {n} row(s) but labels has {arr.size}"
            )
    else:
        if not isinstance(labels, (numbers.Number, np.generic, np.ndarray)) or np.ndim(labels) != 0:
            raise TypeError(f"labels must be one int for 1-D scores (one example); got {describe(labels)}")
        arr = np.asarray(labels).reshape(1)
    if arr.dtype.kind not in "iu":
        raise TypeError(
            f"labels must be integer class numbers (int dtype), not {arr.dtype}: got {short(labels)}; "
            "for float labels that hold whole numbers, convert them with .astype(int)"
        )
    bad = (arr < 0) | (arr >= k)
    if bad.any():
        raise ValueError(
            f"labels must lie in [0, {k}) for scores with {k} classes; got {short(arr[bad].tolist())} out of range"
        )
    return arr.astype(np.int64)


def cross_entropy(scores, labels):
    """The mean cross-entropy loss of class scores against the true labels, as PyTorch's ``cross_entropy``.

    For one example with scores ``s`` (logits, before softmax) and true
    class ``y``: ``-log softmax(s)_y = logsumexp(s) - s_y``, where
    ``logsumexp(s) = max s + log sum_j exp(s_j - max s)`` (stable for
    large scores). For a batch, the mean over its examples.

    Parameters
    ----------
    scores : array_like, shape (N, K) or (K,)
        Class scores of N examples (or of one), K classes.
    labels : sequence of N ints, or one int
        The true class of each example, in ``[0, K)``.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        Scores that are not numbers; labels that are not ints.
    ValueError
        Scores not 1-D or 2-D; a number of labels other than N; a label
        outside ``[0, K)``.

    Examples
    --------
    >>> round(cross_entropy([0.0, 0.0, 0.0, 0.0], 2), 4)  # log 4: a uniform guess
    1.3863
    >>> round(cross_entropy([[10.0, 0.0], [0.0, 10.0]], [0, 1]), 5)
    5e-05
    """
    scores = as_array(scores, "scores", (1, 2), "class scores, (N, K) for N examples or (K,) for one")
    batched = scores.ndim == 2
    scores = np.atleast_2d(scores).astype(np.float64)
    labels = _check_labels(labels, scores.shape[0], scores.shape[1], batched)
    top = scores.max(axis=1)
    log_sum_exp = top + np.log(np.exp(scores - top[:, None]).sum(axis=1))
    return float(np.mean(log_sum_exp - scores[np.arange(scores.shape[0]), labels]))


def pool_windows(feature_map, size=2, stride=None):
    """Every pooling window of a feature map (or of each channel), checked, as a view.

    What :func:`max_pool` and :func:`average_pool` reduce: window ``(i, j)``
    covers rows ``i * stride .. i * stride + size - 1`` (and the same for
    columns). A window that would run past the edge is dropped, as in
    deep-learning libraries (the floor of the output-size formula).

    Parameters
    ----------
    feature_map : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
    size : int or (int, int), default 2
        The pooling window.
    stride : int or (int, int), optional
        How far the window moves; defaults to ``size`` (blocks that do not
        overlap).

    Returns
    -------
    ndarray, shape (H', W', kh, kw), (H', W', C, kh, kw) or (N, H', W', C, kh, kw)
        A read-only view; reduce it over its last two axes.

    Raises
    ------
    TypeError, ValueError
        A feature map that is not a 2-D or 3-D array of finite numbers; a
        bad size or stride; a window larger than the map.

    Examples
    --------
    >>> pool_windows(np.arange(16).reshape(4, 4)).shape
    (2, 2, 2, 2)
    >>> pool_windows(np.arange(16).reshape(4, 4))[1, 0]
    array([[ 8,  9],
           [12, 13]])
    """
    fm = as_array(feature_map, "feature_map", (2, 3, 4), _MAPS_WHAT)
    size = check_pair(size, "size", 1)
    stride = size if stride is None else check_pair(stride, "stride", 1)
    rows = 1 if fm.ndim == 4 else 0  # a batch: rows and columns are axes 1 and 2
    for axis, n, k in zip(("rows", "columns"), fm.shape[rows : rows + 2], size):
        if k > n:
            raise ValueError(f"size must fit in the feature map: {k} {axis} > {n} {axis}")
    windows = np.lib.stride_tricks.sliding_window_view(fm, size, axis=(rows, rows + 1))
    return windows[(slice(None),) * rows + (slice(None, None, stride[0]), slice(None, None, stride[1]))]


def average_pool(feature_map, size=2, stride=None):
    """Average pooling: keep the mean of each ``size`` x ``size`` block (of each channel).

    Parameters
    ----------
    feature_map : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        One map, or C maps stacked channels last: each is pooled on its own.
    size : int or (int, int), default 2
        The pooling window.
    stride : int or (int, int), optional
        How far the window moves; defaults to ``size`` (blocks that do not
        overlap). A window that would run past the edge is dropped, as in
        deep-learning libraries (the floor of the output-size formula).

    Returns
    -------
    ndarray of float64, shape (H', W') or (H', W', C)

    Raises
    ------
    TypeError, ValueError
        As for :func:`pool_windows`.

    Examples
    --------
    >>> average_pool([[1, 2, 0, 0], [3, 4, 0, 5], [0, 0, 1, 1], [6, 0, 1, 0]])
    array([[2.5 , 1.25],
           [1.5 , 0.75]])
    >>> average_pool(np.ones((4, 6, 3)), size=2, stride=2).shape
    (2, 3, 3)
    """
    return pool_windows(feature_map, size, stride).mean(axis=(-2, -1))


def global_average_pool(feature_maps):
    """Global average pooling: each feature map replaced by its mean, one number per channel.

    Parameters
    ----------
    feature_maps : array_like, shape (H, W, C) or (N, H, W, C)
        The C maps of one image, or of N images; channels last.

    Returns
    -------
    ndarray of float64, shape (C,) or (N, C)

    Raises
    ------
    TypeError, ValueError
        Not a 3-D or 4-D array of finite numbers (a single 2-D map needs its
        channel axis: ``fm[..., None]``).

    Examples
    --------
    >>> maps = np.stack([np.ones((2, 2)), [[0, 1], [2, 3]]], axis=-1)
    >>> maps.shape
    (2, 2, 2)
    >>> global_average_pool(maps)
    array([1. , 1.5])
    >>> global_average_pool(maps[None]).shape
    (1, 2)
    """
    maps = as_array(
        feature_maps,
        "feature_maps",
        (3, 4),
        "C feature maps (H, W, C), or those of N images (N, H, W, C), channels last "
        "(for one 2-D map, add its channel axis: fm[..., None])",
    )
    return maps.mean(axis=(-3, -2), dtype=np.float64)
