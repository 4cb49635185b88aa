"""One scan of a detector over an image: validated and padded once, asked for everything.

Vocabulary: the *image* is the input array, the *detector* (kernel, filter)
is the small array slid over it, and the *feature map* (convolved feature,
activation map) is what comes out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .checks import as_array, check_bool, check_int, check_shape2
from .geometry import scan_geometry

__all__ = [
    "Scan",
    "StepView",
    "feature_map",
    "feature_map_loop",
    "step_view",
    "step_views",
    "pad_image",
    "pad_array",
    "format_number",
    "arithmetic_text",
]

_IMAGE_WHAT = "a 2-D (H, W) or 3-D (H, W, C) array"


def format_number(x):
    """A number as every lesson shows it: whole numbers plainly, others to 3 significant digits.

    The one number format of the package: cells of a figure, the arithmetic
    of a step, the gallery and the exercises' answers all use it, so a value
    reads the same everywhere.

    Parameters
    ----------
    x : number

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(2.0), format_number(0.125), format_number(-1 / 3), format_number(-0.0)
    ('2', '0.125', '-0.333', '0')
    """
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.3g}"


def _factor(x):
    """A factor in a product: negative numbers in brackets, e.g. ``(-1)``."""
    text = format_number(x)
    return f"({text})" if text.startswith("-") else text


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
    terms = [f"{_factor(a)}×{_factor(b)}" for a, b in zip(p, d)]
    if len(terms) > limit:
        terms = terms[: limit - 3] + ["..."] + terms[-2:]
    return " + ".join(terms) + f" = {format_number(value)}"


@dataclass(frozen=True)
class StepView:
    """What happens at one step of the scan (see :meth:`Scan.step`).

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


class Scan:
    """One detector scanned over one image: checked and padded once, then asked.

    Every function that needs a feature map or a step of one goes through a
    Scan: :func:`feature_map`, :func:`step_view`, the stepper, the gallery
    and the exercises. The arguments are validated here, once; the padded
    image and the feature map are kept.

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
        ``ceil(H / stride)`` x ``ceil(W / stride)`` cells, for odd and even
        detectors alike; when the total padding of an axis is odd, the extra
        row goes at the bottom and the extra column at the right
        (TensorFlow's rule).
    dilation : int or (int, int), default 1
        Spacing between the image cells the detector touches (1 = adjacent).
    flip : bool, default False
        Rotate the detector by 180 degrees first (mathematical convolution).

    Attributes
    ----------
    image : ndarray, shape (H, W, C)
        The checked image, channels last (C = 1 for a 2-D image).
    detector : ndarray, shape (kh, kw, C)
        The detector as applied (rotated when ``flip``).
    padded : ndarray
        The image with its zeros.
    geometry : Geometry
    flip : bool
    channels : int

    Raises
    ------
    TypeError, ValueError
        As for :func:`feature_map`.

    Examples
    --------
    >>> scan = Scan([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[1, 0], [0, 1]])
    >>> scan.n_steps, scan.out_shape
    (4, (2, 2))
    >>> scan.feature_map
    array([[2, 5],
           [0, 2]])
    >>> scan.step(2).arithmetic
    '2×1 + 0×0 + 1×0 + 3×1 = 5'
    >>> scan.with_stride(2).n_steps
    1
    """

    def __init__(self, image, detector, *, stride=1, padding=0, dilation=1, flip=False):
        image = as_array(image, "image", (2, 3), _IMAGE_WHAT)
        detector = as_array(detector, "detector", (2, 3), "a 2-D (kh, kw) or 3-D (kh, kw, C) array")
        flip = check_bool(flip, "flip")
        img_c = image.shape[2] if image.ndim == 3 else 1
        det_c = detector.shape[2] if detector.ndim == 3 else 1
        if img_c != det_c:
            raise ValueError(
                f"detector must have as many channels as the image: the image has shape "
                f"{image.shape} ({img_c} channel(s)) but the detector has shape "
                f"{detector.shape} ({det_c} channel(s)); a detector for a (H, W, C) image "
                f"is (kh, kw, C)"
            )
        geo = scan_geometry(image.shape[:2], detector.shape[:2], stride, padding, dilation)
        image = image.reshape(image.shape[:2] + (img_c,))
        detector = detector.reshape(detector.shape[:2] + (det_c,))
        if flip:
            detector = detector[::-1, ::-1, :]
        if image.dtype != detector.dtype:
            image, detector = image.astype(np.float64), detector.astype(np.float64)
        self._set(image, detector, geo, flip, padding)

    def _set(self, image, detector, geo, flip, padding, padded=None):
        self.image, self.detector, self.geometry, self.flip = image, detector, geo, flip
        self.padding = padding
        self.channels = image.shape[2]
        self.padded = pad_array(image, geo.pads) if padded is None else padded

    def with_stride(self, stride):
        """The same image and detector at another stride, with no new checks of the arrays.

        The padded image is reused unless the padding depends on the stride
        (``'same'``).

        Parameters
        ----------
        stride : int or (int, int)

        Returns
        -------
        Scan
        """
        geo = self.geometry
        new = scan_geometry(geo.image_shape, geo.detector_shape, stride, self.padding, geo.dilation)
        scan = Scan.__new__(Scan)
        padded = self.padded if new.pads == geo.pads else None
        scan._set(self.image, self.detector, new, self.flip, self.padding, padded)
        return scan

    @property
    def n_steps(self):
        """How many steps the scan has (cells in the feature map)."""
        return self.geometry.n_steps

    @property
    def out_shape(self):
        """The feature map's (rows, cols)."""
        return self.geometry.out_shape

    @property
    def pads(self):
        """Zeros added ((top, bottom), (left, right))."""
        return self.geometry.pads

    @property
    def stride(self):
        """(rows, cols) the window moves per step."""
        return self.geometry.stride

    @property
    def dilation(self):
        """(rows, cols) between the cells the detector touches."""
        return self.geometry.dilation

    def largest_stride(self):
        """The largest stride at which the window still moves (at least 1).

        The padded size (at stride 1) minus the window's extent, on the longer
        axis: at that stride the window visits two positions along it; any
        larger stride leaves a single position, the same as this one plus one.

        Returns
        -------
        int
        """
        geo = self.geometry
        at_1 = scan_geometry(geo.image_shape, geo.detector_shape, 1, self.padding, geo.dilation)
        return max(1, max(n - k for n, k in zip(at_1.padded_shape, at_1.extent)))

    @functools.cached_property
    def feature_map(self):
        """The whole feature map (int64 for integer inputs, float64 otherwise)."""
        return _compute(self.padded, self.detector, self.geometry)

    def partial_map(self, step):
        """The feature map after ``step`` steps: float, NaN where not yet filled."""
        out = np.full(self.out_shape, np.nan)
        out.ravel()[:step] = self.feature_map.ravel()[:step]
        return out

    def check_step(self, step):
        """``step`` if it is a step of this scan (an int from 1 to ``n_steps``).

        Parameters
        ----------
        step : int

        Returns
        -------
        int
        """
        step = check_int(step, "step", 1)
        if step > self.n_steps:
            raise ValueError(f"step must be between 1 and {self.n_steps} (the number of positions); got {step}")
        return step

    def step(self, step):
        """Everything about step ``step`` (1 to ``n_steps``) as a :class:`StepView`."""
        step = self.check_step(step)
        geo, det = self.geometry, self.detector
        i, j = divmod(step - 1, geo.out_shape[1])
        top, left = geo.position(step)
        rows = top + geo.dilation[0] * np.arange(det.shape[0])
        cols = left + geo.dilation[1] * np.arange(det.shape[1])
        patch = self.padded[np.ix_(rows, cols)]
        products = patch * det
        value = self.feature_map[i, j]
        padded = self.padded
        if self.channels == 1:
            patch, products, det, padded = patch[..., 0], products[..., 0], det[..., 0], padded[..., 0]
        binary = bool(np.isin(patch, (0, 1)).all() and np.isin(det, (0, 1)).all())
        matches = int(np.count_nonzero((patch == 1) & (det == 1))) if binary else None
        return StepView(
            step=step,
            n_steps=self.n_steps,
            position=(int(top), int(left)),
            cell=(int(i), int(j)),
            rows=rows,
            cols=cols,
            patch=patch,
            detector=det,
            products=products,
            value=value.item(),
            arithmetic=arithmetic_text(patch, det, value),
            matches=matches,
            feature_map=self.partial_map(step),
            padded_image=padded,
            pads=geo.pads,
        )

    def steps(self):
        """Every step in scan order: ``[scan.step(k) for k in 1..n_steps]``."""
        return [self.step(k) for k in range(1, self.n_steps + 1)]


def pad_array(image, pads):
    """A channels-last image with ``pads`` zeros added (the image itself when there are none).

    Parameters
    ----------
    image : ndarray, shape (H, W, C)
    pads : ((int, int), (int, int))

    Returns
    -------
    ndarray

    Examples
    --------
    >>> pad_array(np.ones((1, 1, 1), int), ((1, 0), (0, 1)))[..., 0]
    array([[0, 0],
           [1, 0]])
    """
    (t, b), (l, r) = pads
    if t == b == l == r == 0:
        return image
    return np.pad(image, ((t, b), (l, r), (0, 0)))


def _compute(padded, detector, geo):
    """The feature map of a validated, padded, channels-last image: one array operation per detector cell,
    or, for a detector with more cells than the map (lesson 06's gradient), per map cell, adding left to
    right as the loop does (``np.add.accumulate``), so both give the same bits."""
    (sr, sc), (dr, dc), (oh, ow) = geo.stride, geo.dilation, geo.out_shape
    kh, kw, channels = detector.shape
    dtype = np.result_type(padded, detector)
    if channels == 1 and kh * kw > oh * ow:
        windows = sliding_window_view(padded[:, :, 0], (dr * (kh - 1) + 1, dc * (kw - 1) + 1))
        windows = windows[: sr * (oh - 1) + 1 : sr, : sc * (ow - 1) + 1 : sc, ::dr, ::dc]
        products = np.multiply(windows, detector[:, :, 0], dtype=dtype).reshape(oh, ow, kh * kw)
        return np.add.accumulate(products, axis=2, dtype=dtype)[:, :, -1]
    out = np.empty((oh, ow), dtype=dtype)
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
    image, detector, stride, padding, dilation, flip
        As for :class:`Scan`.

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
    return Scan(image, detector, stride=stride, padding=padding, dilation=dilation, flip=flip).feature_map


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
    scan = Scan(image, detector, stride=stride, padding=padding, dilation=dilation, flip=flip)
    padded, det, geo = scan.padded, scan.detector, scan.geometry
    (sr, sc), (dr, dc) = geo.stride, geo.dilation
    kh, kw, _ = det.shape
    out = np.zeros(geo.out_shape, dtype=np.result_type(padded, det))
    for row in range(geo.out_shape[0]):
        for col in range(geo.out_shape[1]):
            top, left = row * sr, col * sc  # the stride multiplies the output index
            patch = padded[top : top + dr * (kh - 1) + 1 : dr, left : left + dc * (kw - 1) + 1 : dc]
            out[row, col] = (patch * det).sum()
    return out


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
    image = as_array(image, "image", (2, 3), _IMAGE_WHAT)
    geo = scan_geometry(image.shape[:2], check_shape2(detector_shape, "detector_shape"), stride, padding, dilation)
    return np.pad(image, geo.pads + ((0, 0),) * (image.ndim - 2))


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
    scan = Scan(image, detector, stride=stride, padding=padding, dilation=dilation, flip=flip)
    return scan.step(step)


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
    return Scan(image, detector, stride=stride, padding=padding, dilation=dilation, flip=flip).steps()
