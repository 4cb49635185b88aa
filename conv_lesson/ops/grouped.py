"""Grouped, depthwise and separable convolution: layers whose detectors read only some channels (lesson 09).

Images are (H, W, C) with channels last and detectors (C_out, kh, kw, C_in /
groups), as for :func:`conv_lesson.ops.conv_layer`, which does the work: a
grouped layer is ``groups`` ordinary layers side by side, each on its own
slice of the channels.
"""

from __future__ import annotations

import numpy as np

from .checks import as_array, check_bias, check_int
from .layers import conv_layer

__all__ = ["grouped_conv", "depthwise_conv", "separable_conv"]

_IMAGE_WHAT = "an image (H, W, C_in), channels last"


def grouped_conv(image, detectors, bias=None, *, groups=1, stride=1, padding=0, dilation=1):
    """A grouped convolutional layer: the channels split into ``groups``, each with its own detectors.

    The C_in input channels are cut into ``groups`` consecutive slices of
    ``C_in / groups``, and the C_out detectors into ``groups`` slices of
    ``C_out / groups``; the detectors of slice ``g`` read only the channels
    of slice ``g``. So output channel ``o`` reads the input channels of
    group ``o // (C_out / groups)``, as PyTorch's ``Conv2d(..., groups=g)``
    does. ``groups=1`` is :func:`conv_lesson.ops.conv_layer`; ``groups=C_in``
    is a depthwise layer (:func:`depthwise_conv`).

    Parameters
    ----------
    image : array_like, shape (H, W, C_in)
    detectors : array_like, shape (C_out, kh, kw, C_in / groups)
    bias : array_like of C_out numbers, optional
        Added to every cell of the matching output channel.
    groups : int, default 1
        How many groups; must divide both C_in and C_out.
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map` (padding: an int, a pair,
        ``'valid'`` or ``'same'``).

    Returns
    -------
    ndarray, shape (H', W', C_out)
        Int64 when every input is integer, float64 otherwise.

    Raises
    ------
    TypeError, ValueError
        An image that is not 3-D or detectors that are not 4-D; ``groups``
        not an int dividing C_in and C_out; detectors whose last axis is not
        ``C_in / groups``; a bias that is not one number per detector; a bad
        stride, padding or dilation.

    Examples
    --------
    >>> image = np.stack([np.ones((3, 3)), 2 * np.ones((3, 3))], axis=-1)
    >>> detectors = np.ones((4, 2, 2, 1))  # 4 detectors, 2 groups: each reads 1 channel
    >>> out = grouped_conv(image, detectors, groups=2)
    >>> out.shape
    (2, 2, 4)
    >>> out[0, 0]  # channels 0 and 1 read input channel 0, channels 2 and 3 input channel 1
    array([4., 4., 8., 8.])
    """
    image = as_array(image, "image", (3,), _IMAGE_WHAT)
    detectors = as_array(detectors, "detectors", (4,), "an array of detectors (C_out, kh, kw, C_in / groups)")
    groups = check_int(groups, "groups", 1)
    c_in, c_out = image.shape[2], detectors.shape[0]
    for name, n in (("input", c_in), ("output", c_out)):
        if n % groups:
            raise ValueError(
                f"groups must divide the number of {name} channels: {n} {name} channel(s) "
                f"do not split into {groups} groups"
            )
    if detectors.shape[3] != c_in // groups:
        raise ValueError(
            f"detectors must have C_in / groups = {c_in} / {groups} = {c_in // groups} channel(s) each "
            f"(their last axis); got detectors of shape {detectors.shape}"
        )
    bias = check_bias(bias, c_out, "output channel")
    per_in, per_out = c_in // groups, c_out // groups
    parts = [
        conv_layer(
            image[:, :, g * per_in : (g + 1) * per_in],
            detectors[g * per_out : (g + 1) * per_out],
            stride=stride,
            padding=padding,
            dilation=dilation,
        )
        for g in range(groups)
    ]
    out = np.concatenate(parts, axis=-1)
    return out if bias is None else out + bias


def _depthwise_detectors(detectors, channels, name):
    """``detectors`` as a (C, kh, kw) array with one detector per channel."""
    detectors = as_array(detectors, name, (3,), "one 2-D detector per input channel, an array (C, kh, kw)")
    if detectors.shape[0] != channels:
        raise ValueError(
            f"{name} must hold one detector per input channel: the image has {channels} channel(s) "
            f"but {name} has shape {detectors.shape} ({detectors.shape[0]} detector(s))"
        )
    return detectors


def depthwise_conv(image, detectors, bias=None, *, stride=1, padding=0, dilation=1):
    """A depthwise convolution: one 2-D detector per channel, each sliding over its own channel only.

    Output channel ``c`` is ``feature_map(image[..., c], detectors[c]) +
    bias[c]``: nothing mixes the channels. It is :func:`grouped_conv` with
    ``groups = C``.

    Parameters
    ----------
    image : array_like, shape (H, W, C)
    detectors : array_like, shape (C, kh, kw)
        One detector per channel.
    bias : array_like of C numbers, optional
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`.

    Returns
    -------
    ndarray, shape (H', W', C)

    Raises
    ------
    TypeError, ValueError
        As for :func:`grouped_conv`, and detectors that are not one (kh, kw)
        array per channel.

    Examples
    --------
    >>> image = np.stack([np.eye(3, dtype=int), np.ones((3, 3), dtype=int)], axis=-1)
    >>> out = depthwise_conv(image, [[[1, 0], [0, 1]], [[1, 1], [1, 1]]])
    >>> out[:, :, 0]
    array([[2, 0],
           [0, 2]])
    >>> out[:, :, 1]
    array([[4, 4],
           [4, 4]])
    """
    image = as_array(image, "image", (3,), _IMAGE_WHAT)
    detectors = _depthwise_detectors(detectors, image.shape[2], "detectors")
    channels = image.shape[2]
    return grouped_conv(
        image, detectors[..., None], bias, groups=channels, stride=stride, padding=padding, dilation=dilation
    )


def separable_conv(image, depthwise, pointwise, *, stride=1, padding=0, dilation=1):
    """A depthwise separable convolution: a depthwise layer, then a 1x1 layer that mixes the channels.

    First :func:`depthwise_conv` with ``depthwise`` (each channel filtered
    on its own), then at every cell the C numbers are mixed into C_out:
    ``out[i, j, o] = sum_c pointwise[o, c] * depth[i, j, c]`` (a 1x1
    convolution). No biases. It costs ``1 / C_out + 1 / (kh * kw)`` of the
    multiply-adds of a full layer with C_out detectors of kh x kw x C.

    Parameters
    ----------
    image : array_like, shape (H, W, C)
    depthwise : array_like, shape (C, kh, kw)
        One detector per input channel.
    pointwise : array_like, shape (C_out, C)
        Row ``o``: the weight of each channel in output channel ``o``.
    stride, padding, dilation
        Of the depthwise step, as for :func:`conv_lesson.feature_map`.

    Returns
    -------
    ndarray, shape (H', W', C_out)

    Raises
    ------
    TypeError, ValueError
        As for :func:`depthwise_conv`; a pointwise matrix that is not 2-D
        with one column per channel.

    Examples
    --------
    >>> image = np.stack([np.eye(3, dtype=int), np.ones((3, 3), dtype=int)], axis=-1)
    >>> out = separable_conv(image, [[[1, 0], [0, 1]], [[1, 1], [1, 1]]], [[1, 0], [1, -1], [0, 2]])
    >>> out.shape
    (2, 2, 3)
    >>> out[:, :, 1]  # the first channel's map minus the second's
    array([[-2, -4],
           [-4, -2]])
    """
    image = as_array(image, "image", (3,), _IMAGE_WHAT)
    depthwise = _depthwise_detectors(depthwise, image.shape[2], "depthwise")
    pointwise = as_array(pointwise, "pointwise", (2,), "a matrix (C_out, C): one row per output channel")
    if pointwise.shape[1] != image.shape[2]:
        raise ValueError(
            f"pointwise must have one column per input channel: the image has {image.shape[2]} channel(s) "
            f"but pointwise has shape {pointwise.shape}"
        )
    depth = depthwise_conv(image, depthwise, stride=stride, padding=padding, dilation=dilation)
    return depth @ pointwise.T
