"""The arithmetic of convolution, in numpy only.

Everything here is a pure function: arrays in, arrays (or small records) out.
Nothing draws. Every public function checks its arguments first and raises a
``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value)
whose message names the parameter, shows what it received and says what was
expected.

Vocabulary: the *image* is the input array, the *detector* (kernel, filter)
is the small array slid over it, and the *feature map* (convolved feature,
activation map) is what comes out.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
import numpy as np

__all__ = [
    "feature_map",
    "feature_map_loop",
    "output_size",
    "resolve_padding",
    "scan_positions",
    "step_view",
    "StepView",
    "pad_image",
    "arithmetic_text",
    "step_views",
    "convolve_1d",
    "continuous_convolution",
    "flip_and_slide",
    "SlideView",
    "max_pool",
    "framework_call",
    "detector_gradient",
    "learn_detector",
]

_PADDING_WORDS = ("valid", "same")


# --------------------------------------------------------------------------
# validation helpers (private)
# --------------------------------------------------------------------------


def _short(value, limit=60):
    """A short printable form of ``value`` for error messages."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _describe(value):
    """``repr`` plus the type name, for error messages."""
    return f"{_short(value)} (type {type(value).__name__})"


def _as_array(value, name, ndims, what):
    """Turn ``value`` into a finite real numpy array with one of ``ndims`` dimensions.

    Booleans and integers stay integers (as int64) so results are exact;
    everything else numeric becomes float64.
    """
    if value is None:
        raise TypeError(f"{name} must be {what}; got None")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be {what}; got a {type(value).__name__}: {_short(value)}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{name} must be {what} with rows of equal length; got a ragged or "
            f"irregular sequence: {_short(value)}"
        ) from exc
    if arr.dtype == object:
        # Ragged lists (old numpy) or Python objects that are not numbers.
        try:
            arr = arr.astype(np.float64)
        except (ValueError, TypeError) as exc:
            if _looks_ragged(value):
                raise ValueError(
                    f"{name} must be {what} with rows of equal length; got a ragged "
                    f"sequence: {_short(value)}"
                ) from exc
            raise TypeError(
                f"{name} must hold numbers; got an array of Python objects: {_short(value)}"
            ) from exc
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers; got complex dtype {arr.dtype}")
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold numbers (bool, int or float); got dtype {arr.dtype} "
            f"from {_short(value)}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty: expected {what}; got shape {arr.shape}")
    if arr.ndim not in ndims:
        dims = " or ".join(str(d) for d in ndims)
        raise ValueError(
            f"{name} must be {what} ({dims} dimensions); got {arr.ndim} "
            f"dimension(s) with shape {arr.shape}"
        )
    if arr.dtype.kind in "bui":
        arr = arr.astype(np.int64, copy=False)
    else:
        arr = arr.astype(np.float64, copy=False)
        # a finite sum proves every value finite (NaN and inf propagate); only
        # when it is not (or it overflowed) look value by value
        if not np.isfinite(arr.sum()) and not np.all(np.isfinite(arr)):
            bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
            raise ValueError(
                f"{name} must hold finite numbers; got {bad} NaN or infinite value(s)"
            )
    return arr


def _looks_ragged(value):
    """True when ``value`` is a nested sequence whose rows differ in length."""
    try:
        lengths = {len(row) for row in value}
    except TypeError:
        return False
    return len(lengths) > 1


def _check_int(value, name, minimum):
    """An int >= ``minimum``; bool, float and str are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int >= {minimum}; got {_describe(value)}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}; got {value}")
    return value


def _pair(value, name, minimum):
    """Normalise an int or a (rows, cols) pair of ints to a tuple of two ints."""
    if isinstance(value, (tuple, list, np.ndarray)):
        items = list(np.asarray(value, dtype=object).ravel()) if isinstance(value, np.ndarray) else list(value)
        if len(items) != 2:
            raise ValueError(
                f"{name} must be an int or a (rows, cols) pair; got {len(items)} "
                f"values: {_short(value)}"
            )
        return tuple(_check_int(v, f"{name}[{i}]", minimum) for i, v in enumerate(items))
    v = _check_int(value, name, minimum)
    return (v, v)


def _check_padding(padding):
    """Normalise ``padding`` to a word ('valid'/'same') or a (rows, cols) pair."""
    if isinstance(padding, str):
        word = padding.lower()
        if word not in _PADDING_WORDS:
            raise ValueError(
                f"padding must be an int >= 0, a (rows, cols) pair, 'valid' or 'same'; "
                f"got the unknown word {padding!r}"
            )
        return word
    if isinstance(padding, (bool, np.bool_)) or not isinstance(
        padding, (numbers.Integral, tuple, list, np.ndarray)
    ):
        raise TypeError(
            f"padding must be an int >= 0, a (rows, cols) pair, 'valid' or 'same'; "
            f"got {_describe(padding)}"
        )
    return _pair(padding, "padding", 0)


def _same_amounts(n, k_eff, stride):
    """(before, after) zero padding that makes the output ceil(n / stride) long.

    The extra cell of an odd total goes after (bottom/right), as TensorFlow does.
    """
    out = -(-n // stride)
    total = max((out - 1) * stride + k_eff - n, 0)
    return total // 2, total - total // 2


def _amounts(padding, shape, k_eff, stride):
    """Per-side padding ((top, bottom), (left, right)) for a validated padding."""
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        return tuple(_same_amounts(n, k, s) for n, k, s in zip(shape, k_eff, stride))
    return (padding[0], padding[0]), (padding[1], padding[1])


@dataclass(frozen=True)
class _Geometry:
    """Everything about a scan that does not depend on the numbers."""

    image_shape: tuple  # (H, W) of the unpadded image
    detector_shape: tuple  # (kh, kw)
    stride: tuple
    dilation: tuple
    pads: tuple  # ((top, bottom), (left, right))
    padded_shape: tuple
    extent: tuple  # (kh_eff, kw_eff): rows/cols one window spans
    out_shape: tuple


def _geometry(image_shape, detector_shape, stride, padding, dilation, image_name="image"):
    stride = _pair(stride, "stride", 1)
    dilation = _pair(dilation, "dilation", 1)
    padding = _check_padding(padding)
    extent = tuple(d * (k - 1) + 1 for k, d in zip(detector_shape, dilation))
    pads = _amounts(padding, image_shape, extent, stride)
    padded = tuple(n + p[0] + p[1] for n, p in zip(image_shape, pads))
    for axis, n_pad, k_eff, n, k, d in zip(
        ("rows", "columns"), padded, extent, image_shape, detector_shape, dilation
    ):
        if k_eff > n_pad:
            span = f"{k}" if d == 1 else f"{k} (spanning {k_eff} with dilation {d})"
            raise ValueError(
                f"detector is larger than the padded {image_name}: it has {span} {axis} "
                f"but the {image_name} has {n} {axis} ({n_pad} after padding); "
                f"use a smaller detector, less dilation or more padding"
            )
    out = tuple((n_pad - k_eff) // s + 1 for n_pad, k_eff, s in zip(padded, extent, stride))
    return _Geometry(
        tuple(image_shape), tuple(detector_shape), stride, dilation, pads, padded, extent, out
    )


def _prepare(image, detector, stride, padding, dilation, flip):
    """Validate everything; return (image, detector, geometry) with channels last."""
    image = _as_array(image, "image", (2, 3), "a 2-D (H, W) or 3-D (H, W, C) array")
    detector = _as_array(detector, "detector", (2, 3), "a 2-D (kh, kw) or 3-D (kh, kw, C) array")
    if not isinstance(flip, (bool, np.bool_)):
        raise TypeError(f"flip must be True or False; got {_describe(flip)}")
    img_c = image.shape[2] if image.ndim == 3 else 1
    det_c = detector.shape[2] if detector.ndim == 3 else 1
    if img_c != det_c:
        raise ValueError(
            f"detector must have as many channels as the image: the image has shape "
            f"{image.shape} ({img_c} channel(s)) but the detector has shape "
            f"{detector.shape} ({det_c} channel(s)); a detector for a (H, W, C) image "
            f"is (kh, kw, C)"
        )
    geo = _geometry(image.shape[:2], detector.shape[:2], stride, padding, dilation)
    if image.ndim == 2:
        image = image[:, :, None]
    if detector.ndim == 2:
        detector = detector[:, :, None]
    if flip:
        detector = detector[::-1, ::-1, :]
    if image.dtype != detector.dtype:
        image = image.astype(np.float64)
        detector = detector.astype(np.float64)
    return image, detector, geo


def _pad(image, geo):
    (t, b), (l, r) = geo.pads
    if t == b == l == r == 0:
        return image
    return np.pad(image, ((t, b), (l, r), (0, 0)))


# --------------------------------------------------------------------------
# 2-D
# --------------------------------------------------------------------------


def feature_map(image, detector, *, stride=1, padding=0, dilation=1, flip=False):
    """Slide ``detector`` over ``image`` and return the feature map.

    At each position the detector is laid over the image, the overlapping
    numbers are multiplied cell by cell, and the products are added up; that
    sum is one cell of the feature map. This is what deep-learning libraries
    call a convolution (strictly, a cross-correlation: the detector is not
    flipped). With ``flip=True`` the detector is first rotated by 180 degrees,
    which gives the mathematical convolution.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        The input image; a 3-D image is channels-last.
    detector : array_like, shape (kh, kw) or (kh, kw, C)
        The feature detector (kernel, filter). For a (H, W, C) image it must
        be (kh, kw, C): it spans all channels and the products are summed
        over the channels too, so one detector gives one feature map.
    stride : int or (int, int), default 1
        How far the detector moves each step, down and across.
    padding : int, (int, int), 'valid' or 'same', default 0
        Rows and columns of zeros added on *each* side before sliding. An int
        pads all four sides equally; a pair is (rows, cols). ``'valid'`` is no
        padding. ``'same'`` pads so that the feature map has
        ``ceil(H / stride)`` x ``ceil(W / stride)`` cells, the same size as the
        image at stride 1, for odd and even detectors alike. When the total
        padding of an axis is odd, the extra row goes at the bottom and the
        extra column at the right (TensorFlow's rule).
    dilation : int or (int, int), default 1
        Spacing between the image cells the detector touches (1 = adjacent).
    flip : bool, default False
        Rotate the detector by 180 degrees first (mathematical convolution).

    Returns
    -------
    feature_map : ndarray, shape (output_size(H, kh, ...), output_size(W, kw, ...))
        int64 when both inputs are integer or boolean (exact), float64
        otherwise.

    Raises
    ------
    TypeError
        An argument of the wrong kind (non-numeric arrays, a float stride...).
    ValueError
        A wrong value: wrong number of dimensions, empty arrays, NaN or
        infinity, a channel mismatch, stride or dilation below 1, negative
        padding, an unknown padding word, a detector larger than the padded
        image.

    See Also
    --------
    feature_map_loop : the same result from a plain double loop.
    output_size : the size of the result, from the floor formula.

    Notes
    -----
    The work is vectorised: one array operation per detector cell (9 for a
    3x3 detector), each covering every position at once.

    Examples
    --------
    >>> image = [[1, 2, 0],
    ...          [0, 1, 3],
    ...          [4, 0, 1]]
    >>> detector = [[1, 0],
    ...             [0, 1]]
    >>> feature_map(image, detector)
    array([[2, 5],
           [0, 2]])
    >>> feature_map(image, detector, padding=1, stride=2)
    array([[1, 0],
           [4, 2]])
    """
    image, detector, geo = _prepare(image, detector, stride, padding, dilation, flip)
    return _compute(_pad(image, geo), detector, geo)


def _compute(padded, detector, geo):
    """The feature map of an already validated, padded, channels-last image."""
    (sr, sc), (dr, dc), (oh, ow) = geo.stride, geo.dilation, geo.out_shape
    kh, kw, channels = detector.shape
    out = np.empty((oh, ow), dtype=np.result_type(padded, detector))
    tmp = np.empty_like(out)
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dr, j * dc
            window = padded[r0 : r0 + sr * (oh - 1) + 1 : sr, c0 : c0 + sc * (ow - 1) + 1 : sc, :]
            # the first detector cell writes straight into `out`: no zero fill
            target = out if i == j == 0 else tmp
            if channels == 1:
                np.multiply(window[:, :, 0], detector[i, j, 0], out=target)
            else:
                np.matmul(window, detector[i, j, :], out=target)
            if target is tmp:
                out += tmp
    return out


def feature_map_loop(image, detector, *, stride=1, padding=0, dilation=1, flip=False):
    """The feature map computed by a plain double loop, for reading.

    Same arguments, checks and result as :func:`feature_map`, written the way
    you would by hand: visit each output cell, find where its window starts
    (output index times the stride), multiply and add.

    Parameters
    ----------
    image, detector, stride, padding, dilation, flip
        As for :func:`feature_map`.

    Returns
    -------
    ndarray
        Equal to ``feature_map(image, detector, ...)``.

    Examples
    --------
    >>> feature_map_loop([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[1, 0], [0, 1]])
    array([[2, 5],
           [0, 2]])
    """
    image, detector, geo = _prepare(image, detector, stride, padding, dilation, flip)
    padded = _pad(image, geo)
    (sr, sc), (dr, dc) = geo.stride, geo.dilation
    kh, kw, _ = detector.shape
    out = np.zeros(geo.out_shape, dtype=np.result_type(padded, detector))
    for row in range(geo.out_shape[0]):
        for col in range(geo.out_shape[1]):
            top, left = row * sr, col * sc  # the stride multiplies the output index
            patch = padded[top : top + dr * (kh - 1) + 1 : dr, left : left + dc * (kw - 1) + 1 : dc]
            out[row, col] = (patch * detector).sum()
    return out


def resolve_padding(image_shape, detector_shape, *, stride=1, padding=0, dilation=1):
    """The zeros added on each side, as ((top, bottom), (left, right)).

    Parameters
    ----------
    image_shape : (int, int)
        (H, W) of the image (a channel axis, if given, is ignored).
    detector_shape : (int, int)
        (kh, kw) of the detector (a channel axis, if given, is ignored).
    stride, padding, dilation
        As for :func:`feature_map`.

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
    image_shape = _shape2(image_shape, "image_shape")
    detector_shape = _shape2(detector_shape, "detector_shape")
    return _geometry(image_shape, detector_shape, stride, padding, dilation).pads


def _shape2(shape, name):
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
        raise TypeError(f"{name} must be a (rows, cols) tuple of ints; got {_describe(shape)}")
    if len(shape) not in (2, 3):
        raise ValueError(f"{name} must be (rows, cols) or (rows, cols, channels); got {_short(shape)}")
    return tuple(_check_int(v, f"{name}[{i}]", 1) for i, v in enumerate(shape[:2]))


def pad_image(image, detector_shape, *, stride=1, padding=0, dilation=1):
    """The image with its zero padding added, as the detector sees it.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    detector_shape : (int, int)
    stride, padding, dilation
        As for :func:`feature_map`.

    Returns
    -------
    ndarray
        The padded image, with the dtype rules of :func:`feature_map`.

    Examples
    --------
    >>> pad_image([[1, 2], [3, 4]], (3, 3), padding=1)
    array([[0, 0, 0, 0],
           [0, 1, 2, 0],
           [0, 3, 4, 0],
           [0, 0, 0, 0]])
    """
    image = _as_array(image, "image", (2, 3), "a 2-D (H, W) or 3-D (H, W, C) array")
    geo = _geometry(image.shape[:2], _shape2(detector_shape, "detector_shape"), stride, padding, dilation)
    return np.pad(image, geo.pads + ((0, 0),) * (image.ndim - 2))


def _check_size(value, name):
    return _pair(value, name, 1) if isinstance(value, (tuple, list, np.ndarray)) else _check_int(value, name, 1)


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
        As for :func:`feature_map`, in any of the forms it takes.

    Returns
    -------
    int or (int, int)
        An int when every argument is a single number (or a padding word);
        a (rows, cols) pair when any of them is a pair.

    Raises
    ------
    TypeError, ValueError
        As for :func:`feature_map`, including a detector larger than the
        padded image.

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
    n_v, k_v = _check_size(n, "n"), _check_size(k, "k")
    pad_v = _check_padding(padding)
    as_pair = any(
        isinstance(v, (tuple, list, np.ndarray)) for v in (n, k, stride, dilation)
    ) or (isinstance(pad_v, tuple) and isinstance(padding, (tuple, list, np.ndarray)))
    n2 = n_v if isinstance(n_v, tuple) else (n_v, n_v)
    k2 = k_v if isinstance(k_v, tuple) else (k_v, k_v)
    geo = _geometry(n2, k2, stride, pad_v, dilation, image_name="image (n)")
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
        As for :func:`feature_map`.

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
    geo = _geometry(
        _shape2(image_shape, "image_shape"),
        _shape2(detector_shape, "detector_shape"),
        stride,
        padding,
        dilation,
    )
    (sr, sc), (oh, ow) = geo.stride, geo.out_shape
    return [(i * sr, j * sc) for i in range(oh) for j in range(ow)]


def _fmt(x):
    """A number as a lesson shows it: integers plainly, floats briefly."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.3g}"


@dataclass(frozen=True)
class StepView:
    """What happens at one step of the scan (see :func:`step_view`).

    Attributes
    ----------
    step : int
        This step, counted from 1.
    n_steps : int
        How many steps the whole scan has (cells in the feature map).
    position : (int, int)
        Top-left corner of the window, in padded-image coordinates.
    cell : (int, int)
        The feature-map cell this step fills (row, column).
    rows, cols : ndarray of int
        Padded-image rows and columns the detector touches (dilation spaces them).
    patch : ndarray
        The image values under the detector, shape like the detector.
    detector : ndarray
        The detector as applied (already rotated when ``flip=True``).
    products : ndarray
        ``patch * detector``, cell by cell.
    value : int or float
        The sum of the products: the new feature-map value.
    arithmetic : str
        The sum written out, e.g. ``"0×0 + 1×1 + ... = 2"``.
    matches : int or None
        For 0/1 image and detector: how many cells hold a 1 in both.
    feature_map : ndarray of float
        The feature map as filled so far: cells of steps 1..step hold their
        values, the rest are NaN.
    padded_image : ndarray
        The image with its padding (channels kept when there are any).
    pads : ((int, int), (int, int))
        Zeros added ((top, bottom), (left, right)).
    """

    step: int
    n_steps: int
    position: tuple
    cell: tuple
    rows: np.ndarray
    cols: np.ndarray
    patch: np.ndarray
    detector: np.ndarray
    products: np.ndarray
    value: float
    arithmetic: str
    matches: int | None
    feature_map: np.ndarray
    padded_image: np.ndarray
    pads: tuple


def arithmetic_text(patch, detector, value=None, *, limit=27):
    """The products and their sum as text, e.g. ``'1×0 + 2×1 = 2'``.

    Parameters
    ----------
    patch, detector : array_like
        Same shape: the image values under the detector and the detector.
    value : number, optional
        The sum; computed when not given.
    limit : int, default 27
        At most this many terms are written; beyond it the middle ones are
        shown as ``...``.

    Returns
    -------
    str

    Examples
    --------
    >>> arithmetic_text([[1, 2]], [[0, 1]])
    '1×0 + 2×1 = 2'
    """
    p = np.asarray(patch).ravel()
    d = np.asarray(detector).ravel()
    if value is None:
        value = (p * d).sum()
    terms = [f"{_fmt_term(a)}×{_fmt_term(b)}" for a, b in zip(p, d)]
    if len(terms) > limit:
        terms = terms[: limit - 3] + ["..."] + terms[-2:]
    return " + ".join(terms) + f" = {_fmt(value)}"


def _fmt_term(x):
    """A factor in a product: negative numbers in brackets, e.g. ``(-1)``."""
    text = _fmt(x)
    return f"({text})" if text.startswith("-") else text


def step_view(image, detector, step, *, stride=1, padding=0, dilation=1, flip=False):
    """Everything about step ``step`` of the scan, for the stepper to show.

    Parameters
    ----------
    image, detector, stride, padding, dilation, flip
        As for :func:`feature_map`.
    step : int
        Which step, from 1 (top-left window) to the number of feature-map
        cells (bottom-right window).

    Returns
    -------
    StepView
        The window's position, the patch, the products, their sum, the
        arithmetic as text, and the feature map filled up to this step
        (NaN where not yet computed).

    Examples
    --------
    >>> v = step_view([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[1, 0], [0, 1]], 2)
    >>> v.cell, v.position, v.value
    ((0, 1), (0, 1), 5)
    >>> v.arithmetic
    '2×1 + 0×0 + 1×0 + 3×1 = 5'
    >>> v.feature_map
    array([[ 2.,  5.],
           [nan, nan]])
    """
    image_arr, det, geo = _prepare(image, detector, stride, padding, dilation, flip)
    n_steps = geo.out_shape[0] * geo.out_shape[1]
    step = _check_int(step, "step", 1)
    if step > n_steps:
        raise ValueError(f"step must be between 1 and {n_steps} (the number of positions); got {step}")
    padded = _pad(image_arr, geo)
    return _step_from(padded, det, geo, _compute(padded, det, geo), step)


def _step_from(padded, det, geo, full, step):
    """Build a StepView from the padded image, prepared detector and finished map (no re-validation)."""
    oh, ow = geo.out_shape
    n_steps = oh * ow
    i, j = divmod(step - 1, ow)
    top, left = i * geo.stride[0], j * geo.stride[1]
    rows = top + geo.dilation[0] * np.arange(det.shape[0])
    cols = left + geo.dilation[1] * np.arange(det.shape[1])
    patch = padded[np.ix_(rows, cols)]
    products = patch * det
    value = full[i, j]
    single = det.shape[2] == 1
    if single:
        patch, products, det_shown, padded_shown = patch[..., 0], products[..., 0], det[..., 0], padded[..., 0]
    else:
        det_shown, padded_shown = det, padded
    binary = bool(np.isin(patch, (0, 1)).all() and np.isin(det_shown, (0, 1)).all())
    matches = int(np.count_nonzero((patch == 1) & (det_shown == 1))) if binary else None
    partial = np.full(geo.out_shape, np.nan)
    partial.ravel()[:step] = full.ravel()[:step]
    return StepView(
        step=step,
        n_steps=n_steps,
        position=(int(top), int(left)),
        cell=(int(i), int(j)),
        rows=rows,
        cols=cols,
        patch=patch,
        detector=det_shown,
        products=products,
        value=value.item(),
        arithmetic=arithmetic_text(patch, det_shown, value),
        matches=matches,
        feature_map=partial,
        padded_image=padded_shown,
        pads=geo.pads,
    )


def step_views(image, detector, *, stride=1, padding=0, dilation=1, flip=False):
    """Every step of the scan, in order: ``[step_view(..., k) for k in 1..N]``.

    Validates and computes the feature map once, so it is much cheaper than
    calling :func:`step_view` for each step.

    Parameters
    ----------
    image, detector, stride, padding, dilation, flip
        As for :func:`feature_map`.

    Returns
    -------
    list of StepView
        One per feature-map cell, in scan order.

    Examples
    --------
    >>> [v.value for v in step_views([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[1, 0], [0, 1]])]
    [2, 5, 0, 2]
    """
    image_arr, det, geo = _prepare(image, detector, stride, padding, dilation, flip)
    padded = _pad(image_arr, geo)
    full = _compute(padded, det, geo)
    return [_step_from(padded, det, geo, full, k) for k in range(1, full.size + 1)]


# --------------------------------------------------------------------------
# 1-D
# --------------------------------------------------------------------------

_MODES = ("full", "same", "valid")


def convolve_1d(f, g, mode="full"):
    """Discrete convolution of two 1-D sequences: ``(f*g)[n] = sum_m f[m] g[n-m]``.

    Equal to :func:`numpy.convolve` in each of its modes, but written as a
    slide of the *flipped* ``g`` along ``f``, which is the picture the lessons
    draw.

    Parameters
    ----------
    f, g : array_like, 1-D
        The two sequences; neither may be empty.
    mode : {'full', 'same', 'valid'}, default 'full'
        ``'full'``: every overlap, length ``len(f) + len(g) - 1``.
        ``'same'``: the middle ``max(len(f), len(g))`` values.
        ``'valid'``: only complete overlaps, length
        ``max(len(f), len(g)) - min(len(f), len(g)) + 1``.

    Returns
    -------
    ndarray
        int64 for integer inputs, float64 otherwise.

    Examples
    --------
    >>> convolve_1d([1, 1, 1], [1, 1, 1])
    array([1, 2, 3, 2, 1])
    >>> convolve_1d([1, 2, 3], [0, 1, 0.5], mode="same")
    array([1. , 2.5, 4. ])
    """
    f = _as_array(f, "f", (1,), "a 1-D sequence of numbers")
    g = _as_array(g, "g", (1,), "a 1-D sequence of numbers")
    if not isinstance(mode, str):
        raise TypeError(f"mode must be 'full', 'same' or 'valid'; got {_describe(mode)}")
    if mode not in _MODES:
        raise ValueError(f"mode must be 'full', 'same' or 'valid'; got {mode!r}")
    if f.dtype != g.dtype:
        f, g = f.astype(np.float64), g.astype(np.float64)
    if len(g) > len(f):  # numpy.convolve swaps so the longer one is f
        f, g = g, f
    n, m = len(f), len(g)
    padded = np.concatenate([np.zeros(m - 1, f.dtype), f, np.zeros(m - 1, f.dtype)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, m)
    full = windows @ g[::-1]
    if mode == "full":
        return full
    if mode == "same":
        start = (m - 1) // 2
        return full[start : start + n]
    return full[m - 1 : n]


def _check_callable(fn, name):
    if not callable(fn):
        raise TypeError(f"{name} must be a function of one array argument; got {_describe(fn)}")


def _evaluate(fn, name, x):
    try:
        y = np.asarray(fn(x), dtype=np.float64)
    except Exception as exc:  # the student's function failed: say whose it is
        raise ValueError(f"{name} could not be evaluated on an array of τ values: {exc}") from exc
    if y.shape == ():
        y = np.full_like(x, float(y))
    if y.shape != x.shape:
        raise ValueError(
            f"{name} must return one value per input value (shape {x.shape}); got shape {y.shape}"
        )
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} returned NaN or infinite values")
    return y


def _grid(tau, name="tau"):
    tau = _as_array(tau, name, (1,), "a 1-D grid of numbers").astype(np.float64)
    if tau.size < 2:
        raise ValueError(f"{name} must have at least 2 points; got {tau.size}")
    if np.any(np.diff(tau) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return tau


def _trapezoid(y, x):
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2.0)


@dataclass(frozen=True)
class SlideView:
    """The pieces of the flip-and-slide picture at one ``t`` (see :func:`flip_and_slide`).

    Attributes
    ----------
    t : float
    tau : ndarray
        The integration grid.
    f_tau : ndarray
        f(τ).
    g_shifted : ndarray
        g(t − τ): g flipped and slid to t.
    product : ndarray
        f(τ) g(t − τ), the curve whose area is the answer.
    value : float
        (f*g)(t), the area under ``product`` (trapezoid rule).
    """

    t: float
    tau: np.ndarray
    f_tau: np.ndarray
    g_shifted: np.ndarray
    product: np.ndarray
    value: float


def flip_and_slide(f, g, t, tau):
    """The pieces of ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` at one ``t``.

    Parameters
    ----------
    f, g : callable
        Functions of a numpy array (vectorised), e.g. ``lambda x: np.exp(-x**2)``.
    t : float
        Where to evaluate the convolution.
    tau : array_like, 1-D, increasing
        The grid the integral over τ runs on; it should cover where the
        product is non-zero.

    Returns
    -------
    SlideView

    Examples
    --------
    >>> box = lambda x: ((x >= 0) & (x < 1)).astype(float)
    >>> v = flip_and_slide(box, box, 1.0, np.linspace(-1, 3, 4001))
    >>> round(v.value, 2)
    1.0
    """
    _check_callable(f, "f")
    _check_callable(g, "g")
    if isinstance(t, (bool, np.bool_)) or not isinstance(t, numbers.Real):
        raise TypeError(f"t must be a real number; got {_describe(t)}")
    if not np.isfinite(t):
        raise ValueError(f"t must be finite; got {t}")
    tau = _grid(tau)
    f_tau = _evaluate(f, "f", tau)
    g_shifted = _evaluate(g, "g", float(t) - tau)
    product = f_tau * g_shifted
    return SlideView(float(t), tau, f_tau, g_shifted, product, _trapezoid(product, tau))


def continuous_convolution(f, g, t, tau):
    """``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` for every ``t``, by numerical integration.

    The integral runs over τ (not t), on the grid ``tau``, with the
    trapezoid rule.

    Parameters
    ----------
    f, g : callable
        Vectorised functions of one array.
    t : array_like, 1-D
        Where to evaluate the convolution.
    tau : array_like, 1-D, increasing
        The integration grid.

    Returns
    -------
    ndarray, shape like ``t``

    Examples
    --------
    >>> box = lambda x: ((x >= 0) & (x < 1)).astype(float)
    >>> np.round(continuous_convolution(box, box, [0.5, 1.0, 1.5], np.linspace(-1, 3, 4001)), 2)
    array([0.5, 1. , 0.5])
    """
    _check_callable(f, "f")
    _check_callable(g, "g")
    t = _as_array(t, "t", (0, 1), "a number or a 1-D array of numbers").astype(np.float64)
    tau = _grid(tau)
    f_tau = _evaluate(f, "f", tau)
    shifted = t.reshape(-1, 1) - tau.reshape(1, -1)
    g_vals = _evaluate(g, "g", shifted.ravel()).reshape(shifted.shape)
    prod = f_tau[None, :] * g_vals
    values = np.sum((prod[:, 1:] + prod[:, :-1]) * np.diff(tau)[None, :], axis=1) / 2.0
    return values.reshape(t.shape)


# --------------------------------------------------------------------------
# what comes next: pooling, the framework call, learning a detector
# --------------------------------------------------------------------------


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
    fm = _as_array(feature_map, "feature_map", (2,), "a 2-D array")
    size = _pair(size, "size", 1)
    stride = size if stride is None else _pair(stride, "stride", 1)
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
        raise TypeError(f"image_shape must be (H, W) or (H, W, C); got {_describe(image_shape)}")
    if not hasattr(detector_shape, "__len__") or len(detector_shape) not in (2, 3):
        raise TypeError(f"detector_shape must be (kh, kw) or (kh, kw, C); got {_describe(detector_shape)}")
    channels = _check_int(image_shape[2], "image_shape[2]", 1) if len(image_shape) == 3 else 1
    if len(detector_shape) == 3 and _check_int(detector_shape[2], "detector_shape[2]", 1) != channels:
        raise ValueError(
            f"detector_shape must have as many channels as image_shape: {detector_shape} vs {image_shape}"
        )
    n_detectors = _check_int(n_detectors, "n_detectors", 1)
    hw, khw = _shape2(image_shape, "image_shape"), _shape2(detector_shape, "detector_shape")
    geo = _geometry(hw, khw, stride, padding, dilation)

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
        f"output shape for one image: (1, {n_detectors}, {oh}, {ow})  (batch, feature maps, rows, cols)"
        + note
    )


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
    image = _as_array(image, "image", (2,), "a 2-D array").astype(np.float64)
    detector = _as_array(detector, "detector", (2,), "a 2-D array").astype(np.float64)
    target = _as_array(target, "target", (2,), "a 2-D array").astype(np.float64)
    predicted = feature_map(image, detector)
    if target.shape != predicted.shape:
        raise ValueError(
            f"target must be shaped like the feature map {predicted.shape}; got {target.shape}"
        )
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
    shape = _pair(tuple(shape) if isinstance(shape, list) else shape, "shape", 1)
    steps = _check_int(steps, "steps", 1)
    if isinstance(learning_rate, (bool, np.bool_)) or not isinstance(learning_rate, numbers.Real):
        raise TypeError(f"learning_rate must be a positive number; got {_describe(learning_rate)}")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number; got {learning_rate}")
    seed = _check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    det = rng.normal(scale=0.1, size=shape)
    losses = []
    for _ in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is reported below
            loss, grad = detector_gradient(image, det, target)
        if not np.isfinite(loss) or (losses and loss > 100 * losses[0] + 1e-12):
            raise ValueError(
                f"learning_rate {learning_rate} is too large: the loss blew up; try a smaller one"
            )
        losses.append(loss)
        det = det - learning_rate * grad
    return det, losses
