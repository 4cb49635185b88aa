"""Where the detector goes: padding amounts, output size, scan positions.

Everything here depends on shapes only, never on the numbers in the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import check_padding, check_pair, check_shape2, check_size

__all__ = ["Geometry", "scan_geometry", "resolve_padding", "output_size", "scan_positions"]


@dataclass(frozen=True)
class Geometry:
    """Everything about a scan that does not depend on the numbers.

    Build one with :func:`geometry`.

    Attributes
    ----------
    image_shape : (int, int)
        (H, W) of the unpadded image.
    detector_shape : (int, int)
        (kh, kw).
    stride, dilation : (int, int)
    pads : ((int, int), (int, int))
        Zeros added ((top, bottom), (left, right)).
    padded_shape : (int, int)
    extent : (int, int)
        Rows and columns one window spans (more than the detector with dilation).
    out_shape : (int, int)
        The feature map's (rows, cols).
    """

    image_shape: tuple
    detector_shape: tuple
    stride: tuple
    dilation: tuple
    pads: tuple
    padded_shape: tuple
    extent: tuple
    out_shape: tuple

    @property
    def n_steps(self):
        """How many positions the window visits (cells of the feature map)."""
        return self.out_shape[0] * self.out_shape[1]

    @property
    def never_read(self):
        """The rows and the columns (padded coordinates) that no window covers.

        A stride that does not land the last window flush with the far edge leaves the cells past
        it unread; a stride larger than the window leaves gaps between windows.

        Examples
        --------
        >>> scan_geometry((7, 7), (3, 3), stride=3).never_read
        ((6,), (6,))
        >>> scan_geometry((7, 7), (3, 3), stride=2).never_read
        ((), ())
        """
        unread = []
        for n, extent, stride, windows in zip(self.padded_shape, self.extent, self.stride, self.out_shape):
            covered = {j * stride + d for j in range(windows) for d in range(extent)}
            unread.append(tuple(i for i in range(n) if i not in covered))
        return tuple(unread)

    def position(self, step):
        """Top-left corner (padded coordinates) of the window at ``step`` (from 1)."""
        i, j = divmod(step - 1, self.out_shape[1])
        return i * self.stride[0], j * self.stride[1]


def _same_amounts(n, k_eff, stride):
    """(before, after) zeros that make the output ceil(n / stride) long.

    The extra cell of an odd total goes after (bottom/right), as TensorFlow does.
    """
    out = -(-n // stride)
    total = max((out - 1) * stride + k_eff - n, 0)
    return total // 2, total - total // 2


def _amounts(padding, shape, extent, stride):
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        return tuple(_same_amounts(n, k, s) for n, k, s in zip(shape, extent, stride))
    return (padding[0], padding[0]), (padding[1], padding[1])


def scan_geometry(image_shape, detector_shape, stride=1, padding=0, dilation=1, *, image_name="image"):
    """Check stride, padding and dilation, and work out the scan's geometry.

    Parameters
    ----------
    image_shape, detector_shape : (int, int)
        Already checked (rows, cols).
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`, in any form it takes.
    image_name : str, default 'image'
        How the image is named in the error message.

    Returns
    -------
    Geometry

    Raises
    ------
    TypeError, ValueError
        A bad stride, padding or dilation, or a detector larger than the
        padded image.

    Examples
    --------
    >>> g = scan_geometry((7, 7), (3, 3), stride=2, padding=1)
    >>> g.pads, g.out_shape, g.n_steps
    (((1, 1), (1, 1)), (4, 4), 16)
    """
    stride = check_pair(stride, "stride", 1)
    dilation = check_pair(dilation, "dilation", 1)
    padding = check_padding(padding)
    extent = tuple(d * (k - 1) + 1 for k, d in zip(detector_shape, dilation))
    pads = _amounts(padding, image_shape, extent, stride)
    padded = tuple(n + p[0] + p[1] for n, p in zip(image_shape, pads))
    for axis, n_pad, k_eff, n, k, d in zip(("rows", "columns"), padded, extent, image_shape, detector_shape, dilation):
        if k_eff > n_pad:
            span = f"{k}" if d == 1 else f"{k} (spanning {k_eff} with dilation {d})"
            raise ValueError(
                f"detector is larger than the padded {image_name}: it has {span} {axis} "
                f"but the {image_name} has {n} {axis} ({n_pad} after padding); "
                f"use a smaller detector, less dilation or more padding"
            )
    out = tuple((n_pad - k_eff) // s + 1 for n_pad, k_eff, s in zip(padded, extent, stride))
    return Geometry(tuple(image_shape), tuple(detector_shape), stride, dilation, pads, padded, extent, out)


def resolve_padding(image_shape, detector_shape, *, stride=1, padding=0, dilation=1):
    """The zeros added on each side, as ((top, bottom), (left, right)).

    Parameters
    ----------
    image_shape : (int, int)
        (H, W) of the image (a channel axis, if given, is ignored).
    detector_shape : (int, int)
        (kh, kw) of the detector (a channel axis, if given, is ignored).
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`.

    Returns
    -------
    ((int, int), (int, int))

    Examples
    --------
    >>> resolve_padding((6, 6), (4, 4), padding="same")
    ((1, 2), (1, 2))
    >>> resolve_padding((6, 6), (3, 3), padding=(1, 0))
    ((1, 1), (0, 0))
    """
    image_shape = check_shape2(image_shape, "image_shape")
    detector_shape = check_shape2(detector_shape, "detector_shape")
    return scan_geometry(image_shape, detector_shape, stride, padding, dilation).pads


def output_size(n, k, *, stride=1, padding=0, dilation=1):
    """How many cells the feature map has along an axis: the floor formula.

    ``floor((n + before + after - dilation*(k - 1) - 1) / stride) + 1``

    where ``before`` and ``after`` are the zeros added on each side. The floor
    is real: a stride that does not fit leaves the last rows or columns of the
    image unvisited rather than failing.

    Parameters
    ----------
    n : int or (int, int)
        Image size along the axis (or (H, W)).
    k : int or (int, int)
        Detector size along the axis (or (kh, kw)).
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`, in any of the forms it takes.

    Returns
    -------
    int or (int, int)
        An int when every argument is a single number (or a padding word);
        a (rows, cols) pair when any of them is a pair.

    Raises
    ------
    TypeError, ValueError
        As for :func:`conv_lesson.feature_map`, including a detector larger
        than the padded image.

    Examples
    --------
    >>> output_size(7, 3)
    5
    >>> output_size(7, 3, stride=2)
    3
    >>> output_size(8, 3, stride=3)  # the last column is never visited
    2
    >>> output_size(7, 4, padding="same")
    7
    >>> output_size((7, 9), 3, padding=(1, 0))
    (7, 7)
    """
    n_v, k_v = check_size(n, "n"), check_size(k, "k")
    pad_v = check_padding(padding)
    pairs = (tuple, list, np.ndarray)
    as_pair = any(isinstance(v, pairs) for v in (n, k, stride, dilation)) or (
        isinstance(pad_v, tuple) and isinstance(padding, pairs)
    )
    n2 = n_v if isinstance(n_v, tuple) else (n_v, n_v)
    k2 = k_v if isinstance(k_v, tuple) else (k_v, k_v)
    geo = scan_geometry(n2, k2, stride, pad_v, dilation, image_name="image (n)")
    return geo.out_shape if as_pair else geo.out_shape[0]


def scan_positions(image_shape, detector_shape, *, stride=1, padding=0, dilation=1):
    """Top-left corners of the detector, in the order it visits them.

    Left to right along a row, then the next row down. Corners are in the
    coordinates of the *padded* image (row 0 is the first row of padding,
    if any).

    Parameters
    ----------
    image_shape : (int, int)
        (H, W); a trailing channel count is allowed and ignored.
    detector_shape : (int, int)
        (kh, kw); a trailing channel count is allowed and ignored.
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`.

    Returns
    -------
    list of (int, int)
        One (row, col) per feature-map cell, in row-major order.

    Examples
    --------
    >>> scan_positions((4, 5), (3, 3))
    [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    >>> scan_positions((5, 5), (3, 3), stride=2)
    [(0, 0), (0, 2), (2, 0), (2, 2)]
    """
    geo = scan_geometry(
        check_shape2(image_shape, "image_shape"),
        check_shape2(detector_shape, "detector_shape"),
        stride,
        padding,
        dilation,
    )
    return [geo.position(k) for k in range(1, geo.n_steps + 1)]
