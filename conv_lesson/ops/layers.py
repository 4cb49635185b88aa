"""What comes after one feature map in a network: pooling, and the library call.

(The full layer, im2col, the convolution matrix and transposed convolution
join this module in a later lesson.)
"""

from __future__ import annotations

import numpy as np

from .checks import as_array, check_int, check_pair, check_shape2, describe
from .geometry import scan_geometry

__all__ = ["max_pool", "framework_call"]


def max_pool(feature_map, size=2, stride=None):
    """Max pooling: keep the largest value of each ``size`` x ``size`` block.

    Parameters
    ----------
    feature_map : array_like, 2-D
    size : int or (int, int), default 2
        The pooling window.
    stride : int or (int, int), optional
        How far the window moves; defaults to ``size`` (blocks that do not
        overlap). A window that would run past the edge is dropped, as in
        deep-learning libraries (the floor of the output-size formula).

    Returns
    -------
    ndarray
        Same dtype rules as :func:`feature_map`.

    Examples
    --------
    >>> max_pool([[1, 2, 0, 0], [3, 4, 0, 5], [0, 0, 1, 1], [6, 0, 1, 0]])
    array([[4, 5],
           [6, 1]])
    """
    fm = as_array(feature_map, "feature_map", (2,), "a 2-D array")
    size = check_pair(size, "size", 1)
    stride = size if stride is None else check_pair(stride, "stride", 1)
    for axis, n, k in zip(("rows", "columns"), fm.shape, size):
        if k > n:
            raise ValueError(f"size must fit in the feature map: {k} {axis} > {n} {axis}")
    windows = np.lib.stride_tricks.sliding_window_view(fm, size)[:: stride[0], :: stride[1]]
    return windows.max(axis=(2, 3))


def framework_call(image_shape, detector_shape, *, stride=1, padding=0, dilation=1, n_detectors=1):
    """The deep-learning library call that computes the same feature maps, as text.

    No framework is imported: this only writes the PyTorch layer (and its
    output shape) that matches the settings, so a lesson can show how its
    numbers carry over.

    Parameters
    ----------
    image_shape : (int, int) or (int, int, int)
        (H, W) or (H, W, C) of the image.
    detector_shape : (int, int) or (int, int, int)
        (kh, kw) or (kh, kw, C).
    stride, padding, dilation
        As for :func:`feature_map`.
    n_detectors : int, default 1
        How many detectors (= output channels = feature maps).

    Returns
    -------
    str
        Two lines: the ``torch.nn.Conv2d(...)`` call, and the shape of its
        output for one image, with a note when PyTorch needs explicit uneven
        padding.

    Examples
    --------
    >>> print(framework_call((7, 7), (3, 3), stride=2, padding=1))
    torch.nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1, bias=False)
    output shape for one image: (1, 1, 4, 4)  (batch, feature maps, rows, cols)
    """
    if not hasattr(image_shape, "__len__") or len(image_shape) not in (2, 3):
        raise TypeError(f"image_shape must be (H, W) or (H, W, C); got {describe(image_shape)}")
    if not hasattr(detector_shape, "__len__") or len(detector_shape) not in (2, 3):
        raise TypeError(f"detector_shape must be (kh, kw) or (kh, kw, C); got {describe(detector_shape)}")
    channels = check_int(image_shape[2], "image_shape[2]", 1) if len(image_shape) == 3 else 1
    if len(detector_shape) == 3 and check_int(detector_shape[2], "detector_shape[2]", 1) != channels:
        raise ValueError(f"detector_shape must have as many channels as image_shape: {detector_shape} vs {image_shape}")
    n_detectors = check_int(n_detectors, "n_detectors", 1)
    hw, khw = check_shape2(image_shape, "image_shape"), check_shape2(detector_shape, "detector_shape")
    geo = scan_geometry(hw, khw, stride, padding, dilation)

    def arg(pair):
        return str(pair[0]) if pair[0] == pair[1] else str(tuple(pair))

    parts = [f"{channels}, {n_detectors}", f"kernel_size={arg(khw)}"]
    if geo.stride != (1, 1):
        parts.append(f"stride={arg(geo.stride)}")
    (t, b), (l, r) = geo.pads
    note = ""
    if (t, l) != (b, r):
        if padding == "same" and geo.stride == (1, 1):
            parts.append("padding='same'")
        else:
            note = (
                f"\nnote: uneven padding (top {t}, bottom {b}, left {l}, right {r}) is not a "
                f"Conv2d argument: pad first with torch.nn.functional.pad(x, ({l}, {r}, {t}, {b}))"
            )
    elif (t, l) != (0, 0):
        parts.append(f"padding={arg((t, l))}")
    if geo.dilation != (1, 1):
        parts.append(f"dilation={arg(geo.dilation)}")
    parts.append("bias=False")
    oh, ow = geo.out_shape
    return (
        f"torch.nn.Conv2d({', '.join(parts)})\n"
        f"output shape for one image: (1, {n_detectors}, {oh}, {ow})  (batch, feature maps, rows, cols)" + note
    )
