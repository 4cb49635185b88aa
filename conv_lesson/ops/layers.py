"""From one feature map to a network layer: the full layer, its cost, what it sees, pooling, the library call.

(im2col, the convolution matrix and transposed convolution are in :mod:`.matrix`.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import as_array, check_bias, check_bool, check_int, check_pair, check_shape2, describe, short
from .geometry import scan_geometry
from .matrix import scan_windows
from .network import pool_windows
from .scan import Scan

__all__ = [
    "conv_layer",
    "ParameterCount",
    "parameter_count",
    "receptive_field",
    "ReceptiveCells",
    "receptive_cells",
    "max_pool",
    "framework_call",
]

_DETECTORS_WHAT = (
    "a sequence of detectors, each (kh, kw) or (kh, kw, C_in), or an array (C_out, kh, kw) or (C_out, kh, kw, C_in)"
)


def _detector_stack(detectors):
    """The detectors as one array (C_out, kh, kw) or (C_out, kh, kw, C_in), each checked."""
    if isinstance(detectors, np.ndarray):
        return as_array(detectors, "detectors", (3, 4), _DETECTORS_WHAT)
    if not isinstance(detectors, (list, tuple)):
        raise TypeError(f"detectors must be {_DETECTORS_WHAT}; got {describe(detectors)}")
    if len(detectors) == 0:
        raise ValueError(f"detectors must hold at least one detector; got an empty {type(detectors).__name__}")
    what = "a 2-D (kh, kw) or 3-D (kh, kw, C_in) array (for a single detector, pass [detector])"
    items = [as_array(d, f"detectors[{i}]", (2, 3), what) for i, d in enumerate(detectors)]
    for i, item in enumerate(items[1:], start=1):
        if item.shape != items[0].shape:
            raise ValueError(
                f"detectors must all have the same shape: detectors[0] has shape {items[0].shape} "
                f"but detectors[{i}] has shape {item.shape}"
            )
    return np.stack(items)


def conv_layer(image, detectors, bias=None, *, stride=1, padding=0, dilation=1, relu=False):
    """A convolutional layer: one feature map per detector, stacked as channels, plus a bias each.

    Output channel ``c`` is ``feature_map(image, detectors[c], ...) + bias[c]``
    (then ``max(0, .)`` with ``relu=True``). The image is checked and padded
    once; every detector then reads the same windows.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C_in)
    detectors : sequence of array_like, or ndarray
        C_out detectors, each as :func:`conv_lesson.feature_map` takes it:
        (kh, kw) for a 2-D image, (kh, kw, C_in) for a (H, W, C_in) one; all
        of one shape. An ndarray is read as the stack: (C_out, kh, kw) or
        (C_out, kh, kw, C_in).
    bias : array_like of C_out numbers, optional
        Added to every cell of the matching feature map.
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`.
    relu : bool, default False
        Replace negative values by 0 (the usual activation after the layer).

    Returns
    -------
    ndarray, shape (H', W', C_out)
        Channels last, like the image; int64 when every input is integer,
        float64 otherwise.

    Raises
    ------
    TypeError, ValueError
        As for :func:`conv_lesson.feature_map`; detectors of different
        shapes or none; a bias that is not one number per detector.

    Examples
    --------
    >>> out = conv_layer([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[[1, 0], [0, 1]], [[0, 1], [1, 0]]], bias=[0, -2])
    >>> out.shape
    (2, 2, 2)
    >>> out[:, :, 0]
    array([[2, 5],
           [0, 2]])
    >>> out[:, :, 1]
    array([[ 0, -1],
           [ 3,  1]])
    """
    stack = _detector_stack(detectors)
    relu = check_bool(relu, "relu")
    bias = check_bias(bias, stack.shape[0])
    scan = Scan(image, stack[0], stride=stride, padding=padding, dilation=dilation)
    oh, ow = scan.out_shape
    windows = scan_windows(scan).reshape(oh, ow, -1)
    out = windows @ stack.reshape(stack.shape[0], -1).T
    if bias is not None:
        out = out + bias
    return np.maximum(out, 0) if relu else out


@dataclass(frozen=True)
class ParameterCount:
    """How many numbers a layer learns (see :func:`parameter_count`).

    Attributes
    ----------
    conv : int
        The convolutional layer: weights plus biases.
    dense : int
        A dense (fully connected) layer from the same input to an output of
        the same size: weights plus biases.
    conv_weights, dense_weights : int
        The weights alone (``kh * kw * C_in * C_out`` and ``inputs * outputs``).
    inputs, outputs : int
        Numbers in the input (``H * W * C_in``) and the output (``H' * W' * C_out``).
    """

    conv: int
    dense: int
    conv_weights: int
    dense_weights: int
    inputs: int
    outputs: int

    @property
    def ratio(self):
        """How many times more parameters the dense layer has."""
        return self.dense / self.conv if self.conv else float("inf")


def _layer_shapes(image_shape, detector_shape):
    """(H, W), (kh, kw) and the channel count of a layer, checked to agree."""
    if isinstance(image_shape, (str, bytes)) or not hasattr(image_shape, "__len__") or len(image_shape) not in (2, 3):
        raise TypeError(f"image_shape must be (H, W) or (H, W, C); got {describe(image_shape)}")
    if (
        isinstance(detector_shape, (str, bytes))
        or not hasattr(detector_shape, "__len__")
        or len(detector_shape) not in (2, 3)
    ):
        raise TypeError(f"detector_shape must be (kh, kw) or (kh, kw, C); got {describe(detector_shape)}")
    channels = check_int(image_shape[2], "image_shape[2]", 1) if len(image_shape) == 3 else 1
    if len(detector_shape) == 3 and check_int(detector_shape[2], "detector_shape[2]", 1) != channels:
        raise ValueError(f"detector_shape must have as many channels as image_shape: {detector_shape} vs {image_shape}")
    return check_shape2(image_shape, "image_shape"), check_shape2(detector_shape, "detector_shape"), channels


def parameter_count(image_shape, detector_shape, n_detectors=1, *, bias=True, stride=1, padding=0, dilation=1):
    """How many parameters a convolutional layer has, and the dense layer it replaces.

    The convolutional layer learns ``kh * kw * C_in`` weights per detector,
    whatever the image's size, plus one bias each. A dense layer producing
    the same output (``H' * W' * C_out`` numbers) from the same input
    (``H * W * C_in`` numbers) needs one weight per (input, output) pair,
    plus one bias per output.

    Parameters
    ----------
    image_shape : (int, int) or (int, int, int)
        (H, W) or (H, W, C_in).
    detector_shape : (int, int) or (int, int, int)
        (kh, kw) or (kh, kw, C_in).
    n_detectors : int, default 1
        C_out: how many detectors (feature maps).
    bias : bool, default True
        Count one bias per detector (conv) and per output number (dense).
    stride, padding, dilation
        As for :func:`conv_lesson.feature_map`: they set the output size.

    Returns
    -------
    ParameterCount
        ``conv`` and ``dense`` totals, the weights alone, and the sizes.

    Raises
    ------
    TypeError, ValueError
        As for :func:`framework_call`, and a non-bool ``bias``.

    Examples
    --------
    >>> p = parameter_count((28, 28), (3, 3), 8, padding=1)
    >>> p.conv, p.dense
    (80, 4923520)
    >>> parameter_count((5, 5, 3), (3, 3, 3), 2, bias=False).conv
    54
    """
    hw, khw, channels = _layer_shapes(image_shape, detector_shape)
    n_detectors = check_int(n_detectors, "n_detectors", 1)
    bias = check_bool(bias, "bias")
    oh, ow = scan_geometry(hw, khw, stride, padding, dilation).out_shape
    inputs, outputs = hw[0] * hw[1] * channels, oh * ow * n_detectors
    conv_weights = khw[0] * khw[1] * channels * n_detectors
    dense_weights = inputs * outputs
    return ParameterCount(
        conv=conv_weights + (n_detectors if bias else 0),
        dense=dense_weights + (outputs if bias else 0),
        conv_weights=conv_weights,
        dense_weights=dense_weights,
        inputs=inputs,
        outputs=outputs,
    )


def _check_layers(layers):
    """``layers`` as a list of (kernel, stride, dilation) int triples."""
    if isinstance(layers, (str, bytes)) or not isinstance(layers, (list, tuple)):
        raise TypeError(f"layers must be a list of (kernel, stride, dilation) tuples; got {describe(layers)}")
    if len(layers) == 0:
        raise ValueError("layers must hold at least one (kernel, stride, dilation) tuple; got an empty sequence")
    checked = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, (list, tuple)):
            hint = f"; for one layer pass [{short(tuple(layers))}]" if len(layers) == 3 and i == 0 else ""
            raise TypeError(f"layers[{i}] must be a (kernel, stride, dilation) tuple; got {describe(layer)}{hint}")
        if len(layer) != 3:
            raise ValueError(
                f"layers[{i}] must be a (kernel, stride, dilation) tuple of 3 ints; got {len(layer)} value(s): "
                f"{short(layer)} (use dilation 1 for an ordinary layer, e.g. (3, 1, 1))"
            )
        names = ("kernel", "stride", "dilation")
        checked.append(tuple(check_int(v, f"layers[{i}] {n}", 1) for v, n in zip(layer, names)))
    return checked


def receptive_field(layers):
    """The side, in input pixels, of the square one output cell of the last layer sees.

    ``r = 1 + sum over layers l of dilation_l * (kernel_l - 1) * (product of the strides before l)``.
    Two 3x3 layers at stride 1 see 5x5; a stride multiplies what every later
    layer adds. A pooling layer counts too: 2x2 pooling at stride 2 is
    ``(2, 2, 1)``.

    Parameters
    ----------
    layers : sequence of (int, int, int)
        ``(kernel, stride, dilation)`` of each layer, first (nearest the
        input) first; square kernels.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        ``layers`` not a non-empty sequence of (kernel, stride, dilation)
        tuples of ints >= 1.

    Examples
    --------
    >>> receptive_field([(3, 1, 1), (3, 1, 1)])
    5
    >>> receptive_field([(3, 2, 1), (3, 1, 1)])
    7
    >>> receptive_field([(3, 1, 2)])
    5
    """
    side, jump = 1, 1
    for kernel, stride, dilation in _check_layers(layers):
        side += dilation * (kernel - 1) * jump
        jump *= stride
    return side


@dataclass(frozen=True)
class ReceptiveCells:
    """The cells of one level that a chosen output cell depends on (see :func:`receptive_cells`).

    Attributes
    ----------
    level : int
        0 for the input, ``l`` for the output of layer ``l`` (from 1).
    rows, cols : tuple of int
        The rows and columns it depends on, increasing: the cells are every
        (row, col) pair. With dilation some rows inside the span are skipped.
    shape : (int, int) or None
        The size of this level's map, when ``input_shape`` was given.
    """

    level: int
    rows: tuple
    cols: tuple
    shape: tuple | None = None

    @property
    def row_range(self):
        """The rows the region spans, first to last: ``range(top, bottom + 1)``."""
        return range(self.rows[0], self.rows[-1] + 1)

    @property
    def col_range(self):
        """The columns the region spans, first to last: ``range(left, right + 1)``."""
        return range(self.cols[0], self.cols[-1] + 1)


def _level_shapes(layers, input_shape):
    shapes = [check_shape2(input_shape, "input_shape")]
    for i, (kernel, stride, dilation) in enumerate(layers):
        shapes.append(
            scan_geometry(
                shapes[-1], (kernel, kernel), stride, 0, dilation, image_name=f"input of layers[{i}]"
            ).out_shape
        )
    return shapes


def receptive_cells(layers, cell, *, input_shape=None):
    """Which cells of every level below one output cell feeds on, down to the input.

    Layer ``l``'s cell (i, j) reads rows ``i * stride + dilation * t`` for
    ``t`` in ``0 .. kernel - 1`` (and the same for columns) of the level
    below; following that down from ``cell`` gives, at each level, the
    rows and columns the cell depends on. Without padding (coordinates are
    those of each unpadded map).

    Parameters
    ----------
    layers : sequence of (int, int, int)
        As for :func:`receptive_field`.
    cell : (int, int)
        (row, col) in the output of the last layer.
    input_shape : (int, int), optional
        (H, W) of the input: the map sizes are then worked out (and kept in
        ``shape``) and ``cell`` is checked to lie in the last one.

    Returns
    -------
    list of ReceptiveCells
        One per level, the input (level 0) first and ``cell`` itself last.
        The input's ``row_range`` has ``receptive_field(layers)`` rows.

    Raises
    ------
    TypeError, ValueError
        Bad ``layers`` or ``cell``; with ``input_shape``, a layer that does
        not fit or a cell outside the last map.

    Examples
    --------
    >>> levels = receptive_cells([(3, 1, 1), (3, 2, 1)], (1, 0))
    >>> [(c.level, c.row_range, c.col_range) for c in levels]
    [(0, range(2, 7), range(0, 5)), (1, range(2, 5), range(0, 3)), (2, range(1, 2), range(0, 1))]
    >>> receptive_cells([(2, 1, 2)], (0, 0))[0].rows
    (0, 2)
    """
    layers = _check_layers(layers)
    row, col = check_pair(cell, "cell", 0)
    shapes = [None] * (len(layers) + 1) if input_shape is None else _level_shapes(layers, input_shape)
    if shapes[-1] is not None and (row >= shapes[-1][0] or col >= shapes[-1][1]):
        raise ValueError(
            f"cell must lie in the last layer's output, of shape {shapes[-1]} for input_shape "
            f"{short(input_shape)}; got {(row, col)}"
        )
    rows, cols = (row,), (col,)
    levels = [ReceptiveCells(len(layers), rows, cols, shapes[-1])]
    for level in range(len(layers), 0, -1):
        kernel, stride, dilation = layers[level - 1]
        rows = tuple(sorted({r * stride + dilation * t for r in rows for t in range(kernel)}))
        cols = tuple(sorted({c * stride + dilation * t for c in cols for t in range(kernel)}))
        levels.append(ReceptiveCells(level - 1, rows, cols, shapes[level - 1]))
    return levels[::-1]


def max_pool(feature_map, size=2, stride=None):
    """Max pooling: keep the largest value of each ``size`` x ``size`` block (of each channel).

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
    ndarray, shape (H', W') or (H', W', C)
        Same dtype rules as :func:`feature_map`.

    Raises
    ------
    TypeError, ValueError
        As for :func:`conv_lesson.ops.pool_windows`.

    Examples
    --------
    >>> max_pool([[1, 2, 0, 0], [3, 4, 0, 5], [0, 0, 1, 1], [6, 0, 1, 0]])
    array([[4, 5],
           [6, 1]])
    >>> max_pool(np.arange(32).reshape(4, 4, 2))[:, :, 1]
    array([[11, 15],
           [27, 31]])
    """
    return pool_windows(feature_map, size, stride).max(axis=(-2, -1))


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
    hw, khw, channels = _layer_shapes(image_shape, detector_shape)
    n_detectors = check_int(n_detectors, "n_detectors", 1)
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
