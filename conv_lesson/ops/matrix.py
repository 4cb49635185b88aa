"""Convolution as matrix arithmetic: im2col, the convolution matrix, transposed convolution.

A feature map is linear in the image, so it is a matrix product twice over:
the windows as rows times the detector as a column (:func:`im2col`), or a
big sparse matrix times the image as a column (:func:`conv_matrix`). The
transpose of that matrix runs the scan backwards: each cell of a small map
stamps the detector onto a larger output (:func:`transposed_feature_map`), or,
the same numbers, an ordinary scan of the map spread out with zeros
(:func:`zero_insert`, :func:`transposed_by_zero_insertion`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import as_array, check_int, check_pair, check_shape2, check_size, describe, short
from .geometry import scan_geometry
from .scan import Scan

__all__ = [
    "scan_windows",
    "im2col",
    "conv_matrix",
    "transposed_output_size",
    "transposed_feature_map",
    "TransposedStep",
    "transposed_steps",
    "zero_insert",
    "transposed_by_zero_insertion",
]

_IMAGE_WHAT = "a 2-D (H, W) or 3-D (H, W, C) array"


def scan_windows(scan):
    """The windows of a :class:`Scan`, one per feature-map cell, as a read-only view.

    Parameters
    ----------
    scan : Scan

    Returns
    -------
    ndarray, shape (H', W', kh, kw, C)
        ``windows[i, j]`` holds the (padded) image values under the detector
        when it fills feature-map cell (i, j); dilation already skips the
        cells between taps. No data is copied.

    Examples
    --------
    >>> w = scan_windows(Scan([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[1, 0], [0, 1]]))
    >>> w.shape
    (2, 2, 2, 2, 1)
    >>> w[0, 1, :, :, 0]
    array([[2, 0],
           [1, 3]])
    """
    if not isinstance(scan, Scan):
        raise TypeError(f"scan must be a Scan (conv_lesson.Scan(image, detector, ...)); got {describe(scan)}")
    geo = scan.geometry
    (sr, sc), (dr, dc), (oh, ow) = geo.stride, geo.dilation, geo.out_shape
    view = np.lib.stride_tricks.sliding_window_view(scan.padded, geo.extent, axis=(0, 1))
    view = view[: sr * (oh - 1) + 1 : sr, : sc * (ow - 1) + 1 : sc, :, ::dr, ::dc]
    return view.transpose(0, 1, 3, 4, 2)


def _detector_shape3(detector_shape, channels):
    """(kh, kw, C) from a (kh, kw) or (kh, kw, C) shape, checked against the image's channels."""
    kh, kw = check_shape2(detector_shape, "detector_shape")
    if len(detector_shape) == 3 and check_int(detector_shape[2], "detector_shape[2]", 1) != channels:
        raise ValueError(
            f"detector_shape must have as many channels as the image: the image has {channels} channel(s) "
            f"but detector_shape is {short(tuple(detector_shape))}; give (kh, kw) or (kh, kw, {channels})"
        )
    return kh, kw, channels


def im2col(image, detector_shape, *, stride=1, padding=0, dilation=1):
    """Every window of the scan as one row of a matrix: the convolution becomes a matrix product.

    ``im2col(image, detector.shape, ...) @ detector.ravel()``, reshaped to the
    feature map's shape, is ``feature_map(image, detector, ...)``: each row
    holds the image values one window covers, ravelled in the detector's own
    order, so one dot product per row gives one feature-map cell.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    detector_shape : (int, int) or (int, int, int)
        (kh, kw); for a (H, W, C) image the channel count may be given too,
        (kh, kw, C), and must then match.
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`.

    Returns
    -------
    ndarray, shape (H' * W', kh * kw * C)
        One row per window, in scan order (left to right, then down); a row
        is the window ravelled in (kh, kw, C) order, matching
        ``detector.ravel()``. C is 1 for a 2-D image.

    Raises
    ------
    TypeError, ValueError
        As for :func:`conv_lesson.feature_map`, and a ``detector_shape`` that
        is not a shape or whose channels differ from the image's.

    Examples
    --------
    >>> cols = im2col([[1, 2, 0], [0, 1, 3], [4, 0, 1]], (2, 2))
    >>> cols
    array([[1, 2, 0, 1],
           [2, 0, 1, 3],
           [0, 1, 4, 0],
           [1, 3, 0, 1]])
    >>> (cols @ np.array([1, 0, 0, 1])).reshape(2, 2)
    array([[2, 5],
           [0, 2]])
    """
    image = as_array(image, "image", (2, 3), _IMAGE_WHAT)
    shape3 = _detector_shape3(detector_shape, image.shape[2] if image.ndim == 3 else 1)
    zeros = np.zeros(shape3 if image.ndim == 3 else shape3[:2], dtype=np.int64)
    scan = Scan(image, zeros, stride=stride, padding=padding, dilation=dilation)
    return scan_windows(scan).reshape(scan.n_steps, -1)


def conv_matrix(image_shape, detector, *, stride=1, padding=0, dilation=1):
    """The matrix M with ``M @ image.ravel() == feature_map(image, detector, ...).ravel()``.

    Row ``r`` belongs to feature-map cell r (scan order) and holds the
    detector's numbers at the columns of the image cells its window covers;
    every other entry is 0 (padding contributes nothing, so it just drops
    columns). Its transpose is the transposed convolution.

    Parameters
    ----------
    image_shape : (int, int)
        (H, W) of a 2-D image.
    detector : array_like, shape (kh, kw)
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`.

    Returns
    -------
    ndarray, shape (H' * W', H * W)
        int64 for an integer detector, float64 otherwise.

    Raises
    ------
    TypeError, ValueError
        A bad shape, detector, stride, padding or dilation, or a detector
        larger than the padded image.

    Examples
    --------
    >>> conv_matrix((2, 3), [[1, 2]])
    array([[1, 2, 0, 0, 0, 0],
           [0, 1, 2, 0, 0, 0],
           [0, 0, 0, 1, 2, 0],
           [0, 0, 0, 0, 1, 2]])
    """
    if isinstance(image_shape, (str, bytes)) or not hasattr(image_shape, "__len__"):
        raise TypeError(f"image_shape must be a (H, W) tuple of ints; got {describe(image_shape)}")
    if len(image_shape) != 2:
        raise ValueError(f"image_shape must be (H, W): conv_matrix works on 2-D images; got {short(image_shape)}")
    hw = check_pair(tuple(image_shape), "image_shape", 1)
    det = as_array(detector, "detector", (2,), "a 2-D (kh, kw) array")
    geo = scan_geometry(hw, det.shape, stride, padding, dilation)
    (oh, ow), (sr, sc), (dr, dc), ((t, _), (l, _)) = geo.out_shape, geo.stride, geo.dilation, geo.pads
    i, j, a, b = np.ix_(np.arange(oh), np.arange(ow), np.arange(det.shape[0]), np.arange(det.shape[1]))
    rows, cols = i * sr + a * dr - t, j * sc + b * dc - l
    rows, cols, out = np.broadcast_arrays(rows, cols, i * ow + j)
    inside = (rows >= 0) & (rows < hw[0]) & (cols >= 0) & (cols < hw[1])
    weights = np.broadcast_to(det, inside.shape)
    m = np.zeros((oh * ow, hw[0] * hw[1]), dtype=det.dtype)
    m[out[inside], rows[inside] * hw[1] + cols[inside]] = weights[inside]
    return m


def _transposed_sizes(n, k, stride, padding, output_padding, dilation):
    """Checked (stride, padding, dilation) pairs, and the full and cropped output sizes."""
    stride = check_pair(stride, "stride", 1)
    dilation = check_pair(dilation, "dilation", 1)
    if isinstance(padding, str):
        raise TypeError(
            f"padding must be an int >= 0 or a (rows, cols) pair: a transposed convolution crops its "
            f"result and takes no padding word; got {padding!r}"
        )
    padding = check_pair(padding, "padding", 0)
    output_padding = check_pair(output_padding, "output_padding", 0)
    for axis, op, s, d in zip(("rows", "columns"), output_padding, stride, dilation):
        if op >= max(s, d):
            raise ValueError(
                f"output_padding must be smaller than the stride (or the dilation): got {op} {axis} with "
                f"stride {s} and dilation {d}; it only restores the {axis} a stride can leave over "
                f"(at most {max(s, d) - 1} here)"
            )
    full = tuple(
        (ni - 1) * s + d * (ki - 1) + 1 + op for ni, ki, s, d, op in zip(n, k, stride, dilation, output_padding)
    )
    out = tuple(f - 2 * p for f, p in zip(full, padding))
    for axis, f, p, o in zip(("rows", "columns"), full, padding, out):
        if o < 1:
            raise ValueError(
                f"padding crops away the whole output: the transposed convolution gives {f} {axis} and "
                f"padding {p} removes {p} from each side; use a padding below {(f + 1) // 2}"
            )
    return stride, padding, dilation, full, out


def transposed_output_size(n, k, *, stride=1, padding=0, output_padding=0, dilation=1):
    """How many cells a transposed convolution gives along an axis.

    ``(n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1``:
    the inverse of :func:`conv_lesson.output_size`'s floor formula, with
    ``output_padding`` choosing among the sizes a stride maps to the same ``n``.

    Parameters
    ----------
    n : int or (int, int)
        Size of the (small) input map along the axis (or its (rows, cols)).
    k : int or (int, int)
        Detector size.
    stride, padding, dilation : int or (int, int)
        As for the forward convolution it transposes (padding: ints only).
    output_padding : int or (int, int), default 0
        Rows/columns added at the bottom/right; smaller than the stride or
        the dilation.

    Returns
    -------
    int or (int, int)
        A pair when any argument is a pair.

    Raises
    ------
    TypeError, ValueError
        A bad value, ``output_padding`` not below the stride or dilation, or
        a padding that crops away everything.

    Examples
    --------
    >>> transposed_output_size(3, 3, stride=2)
    7
    >>> transposed_output_size(4, 3, stride=2, padding=1, output_padding=1)
    8
    >>> transposed_output_size((2, 3), 2, stride=2)
    (4, 6)
    """
    n_v, k_v = check_size(n, "n"), check_size(k, "k")
    n2 = n_v if isinstance(n_v, tuple) else (n_v, n_v)
    k2 = k_v if isinstance(k_v, tuple) else (k_v, k_v)
    *_, out = _transposed_sizes(n2, k2, stride, padding, output_padding, dilation)
    pairs = (tuple, list, np.ndarray)
    as_pair = any(isinstance(v, pairs) for v in (n, k, stride, padding, output_padding, dilation))
    return out if as_pair else out[0]


def _transposed_inputs(feature_map, detector, stride, padding, output_padding, dilation):
    g = as_array(feature_map, "feature_map", (2,), "a 2-D array")
    w = as_array(detector, "detector", (2,), "a 2-D (kh, kw) array")
    sizes = _transposed_sizes(g.shape, w.shape, stride, padding, output_padding, dilation)
    return g, w, sizes


def transposed_feature_map(feature_map, detector, *, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution: every cell of ``feature_map`` stamps the detector onto a larger output.

    Cell (i, j) adds ``feature_map[i, j] * detector`` to the output with its
    top-left corner at (i * stride, j * stride); where stamps overlap they add
    up, and a stride larger than the detector leaves gaps of zeros. Then
    ``padding`` rows/columns are cropped from each side and ``output_padding``
    rows/columns kept at the bottom/right, as PyTorch's ``conv_transpose2d``
    does. The result equals ``conv_matrix(out_shape, detector, ...).T @
    feature_map.ravel()``: the transpose of the scan (for
    ``output_padding=0``; otherwise the conv matrix of the larger image).

    Parameters
    ----------
    feature_map : array_like, 2-D
        The small map to spread out.
    detector : array_like, shape (kh, kw)
    stride, dilation : int or (int, int), default 1
    padding : int or (int, int), default 0
        Rows/columns cropped from each side of the full result (no words).
    output_padding : int or (int, int), default 0
        Rows/columns added at the bottom/right; smaller than the stride (or
        the dilation).

    Returns
    -------
    ndarray, shape (transposed_output_size(n, k, ...) for each axis)
        int64 for integer inputs, float64 otherwise.

    Raises
    ------
    TypeError, ValueError
        Bad arrays or numbers, ``output_padding`` too large, or a padding
        that crops away everything.

    Examples
    --------
    >>> transposed_feature_map([[1, 2]], [[1, 1], [1, 1]])
    array([[1, 3, 2],
           [1, 3, 2]])
    >>> transposed_feature_map([[1, 2]], [[1, 1]], stride=3)
    array([[1, 1, 0, 2, 2]])
    """
    g, w, (stride, padding, dilation, full, out) = _transposed_inputs(
        feature_map, detector, stride, padding, output_padding, dilation
    )
    (sr, sc), (dr, dc), (n, m) = stride, dilation, g.shape
    canvas = np.zeros(full, dtype=np.result_type(g, w))
    for a in range(w.shape[0]):
        for b in range(w.shape[1]):
            canvas[a * dr : a * dr + sr * (n - 1) + 1 : sr, b * dc : b * dc + sc * (m - 1) + 1 : sc] += g * w[a, b]
    return canvas[padding[0] : padding[0] + out[0], padding[1] : padding[1] + out[1]]


@dataclass(frozen=True)
class TransposedStep:
    """One stamp of a transposed convolution (see :func:`transposed_steps`).

    Attributes
    ----------
    step, n_steps : int
        This step (from 1) and how many there are (cells of the input map).
    cell : (int, int)
        The input-map cell that stamps.
    value : int or float
        Its value: the detector is scaled by it.
    rows, cols : ndarray of int
        Output rows and columns the detector's cells land on. With
        ``padding`` some lie outside the output (below 0 or past its end):
        those parts of the stamp are cropped away.
    stamp : ndarray
        ``value * detector``: what is added at ``np.ix_(rows, cols)``.
    output : ndarray
        The output after this step's stamp (the sum of stamps 1..step).
    """

    step: int
    n_steps: int
    cell: tuple
    value: float
    rows: np.ndarray
    cols: np.ndarray
    stamp: np.ndarray
    output: np.ndarray


def transposed_steps(feature_map, detector, *, stride=1, padding=0, output_padding=0, dilation=1):
    """The transposed convolution one stamp at a time, in scan order, for a stepper.

    Parameters
    ----------
    feature_map, detector, stride, padding, output_padding, dilation
        As for :func:`transposed_feature_map`.

    Returns
    -------
    list of TransposedStep
        One per cell of ``feature_map`` (left to right, then down); the last
        one's ``output`` is ``transposed_feature_map(...)``.

    Examples
    --------
    >>> steps = transposed_steps([[1, 2]], [[1, 1]])
    >>> [(s.cell, s.value, s.cols.tolist()) for s in steps]
    [((0, 0), 1, [0, 1]), ((0, 1), 2, [1, 2])]
    >>> steps[0].output, steps[1].output
    (array([[1, 1, 0]]), array([[1, 3, 2]]))
    """
    g, w, (stride, padding, dilation, full, out) = _transposed_inputs(
        feature_map, detector, stride, padding, output_padding, dilation
    )
    canvas = np.zeros(full, dtype=np.result_type(g, w))
    crop = (slice(padding[0], padding[0] + out[0]), slice(padding[1], padding[1] + out[1]))
    steps = []
    for step, (i, j) in enumerate(np.ndindex(g.shape), start=1):
        rows = i * stride[0] + dilation[0] * np.arange(w.shape[0])
        cols = j * stride[1] + dilation[1] * np.arange(w.shape[1])
        stamp = g[i, j] * w
        canvas[np.ix_(rows, cols)] += stamp
        steps.append(
            TransposedStep(
                step=step,
                n_steps=g.size,
                cell=(i, j),
                value=g[i, j].item(),
                rows=rows - padding[0],
                cols=cols - padding[1],
                stamp=stamp,
                output=canvas[crop].copy(),
            )
        )
    return steps


def zero_insert(feature_map, stride):
    """The map spread out: ``stride - 1`` zeros between neighbouring cells, along rows and columns.

    The first step of a transposed convolution seen as an ordinary scan (see
    :func:`transposed_by_zero_insertion`): cell (i, j) moves to
    (i * stride, j * stride) and every cell in between is 0.

    Parameters
    ----------
    feature_map : array_like, 2-D
    stride : int or (int, int)
        At least 1; 1 gives the map back unchanged.

    Returns
    -------
    ndarray, shape ((n - 1) * stride + 1, (m - 1) * stride + 1)
        int64 for integer input, float64 otherwise.

    Raises
    ------
    TypeError, ValueError
        A map that is not a 2-D array of finite numbers, or a stride that is
        not an int >= 1 or a pair of them.

    Examples
    --------
    >>> zero_insert([[1, 2], [3, 4]], 2)
    array([[1, 0, 2],
           [0, 0, 0],
           [3, 0, 4]])
    >>> zero_insert([[1, 2]], (1, 3))
    array([[1, 0, 0, 2]])
    """
    g = as_array(feature_map, "feature_map", (2,), "a 2-D array")
    sr, sc = check_pair(stride, "stride", 1)
    spread = np.zeros(((g.shape[0] - 1) * sr + 1, (g.shape[1] - 1) * sc + 1), dtype=g.dtype)
    spread[::sr, ::sc] = g
    return spread


def _pad_or_crop(arr, amounts):
    """``arr`` with ``(before, after)`` zeros added per axis; a negative amount crops that many cells instead."""
    grow = [(max(a, 0), max(b, 0)) for a, b in amounts]
    keep = tuple(slice(max(-a, 0), n - max(-b, 0)) for (a, b), n in zip(amounts, arr.shape))
    return np.pad(arr[keep], grow)


def transposed_by_zero_insertion(feature_map, detector, *, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution as an ordinary scan: spread the map with zeros, pad it, slide the rotated detector.

    Three steps, each of them something earlier lessons did:

    1. :func:`zero_insert`: ``stride - 1`` zeros between the map's cells;
    2. pad by ``dilation * (k - 1) - padding`` zeros on every side (a negative
       amount crops instead), plus ``output_padding`` more at the bottom/right;
    3. :func:`conv_lesson.feature_map` at stride 1 with the detector rotated
       by 180 degrees (and the same dilation).

    The result is :func:`transposed_feature_map`'s, number for number: a
    window of step 3 covers exactly the map cells whose stamps reach its
    output cell, each against the detector weight that stamp puts there.

    Parameters
    ----------
    feature_map, detector, stride, padding, output_padding, dilation
        As for :func:`transposed_feature_map`.

    Returns
    -------
    ndarray, shape (transposed_output_size(n, k, ...) for each axis)
        int64 for integer inputs, float64 otherwise.

    Raises
    ------
    TypeError, ValueError
        As for :func:`transposed_feature_map`.

    Notes
    -----
    Most products of step 3 multiply an inserted or padded zero: at stride
    ``s`` about ``(s * s - 1) / (s * s)`` of them. The stamping form does only
    the ``n * m * kh * kw`` products that count.

    Examples
    --------
    >>> transposed_by_zero_insertion([[1, 2]], [[1, 1]], stride=3)
    array([[1, 1, 0, 2, 2]])
    >>> settings = dict(stride=2, padding=1, output_padding=1)
    >>> transposed_by_zero_insertion([[1, 2], [3, 4]], [[1, 0], [0, -1]], **settings)
    array([[-1,  0, -2],
           [ 0,  4,  0],
           [-3,  0, -4]])
    >>> transposed_feature_map([[1, 2], [3, 4]], [[1, 0], [0, -1]], **settings)
    array([[-1,  0, -2],
           [ 0,  4,  0],
           [-3,  0, -4]])
    """
    g, w, (stride, padding, dilation, _, _) = _transposed_inputs(
        feature_map, detector, stride, padding, output_padding, dilation
    )
    output_padding = check_pair(output_padding, "output_padding", 0)
    border = [d * (k - 1) - p for d, k, p in zip(dilation, w.shape, padding)]
    padded = _pad_or_crop(zero_insert(g, stride), [(b, b + op) for b, op in zip(border, output_padding)])
    return Scan(padded, w[::-1, ::-1], dilation=dilation).feature_map  # conv_lesson.feature_map's scan
