"""Lessons 07 and 08: the full layer, what it costs and sees; convolution as a matrix, and its transpose."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops import format_number
from ..ops.checks import check_int
from .core import CORRECT, NOT_YET, array, cells_text, exercise, given, number, problem, same

__all__ = [
    "check_im2col_shape",
    "check_parameter_count",
    "check_receptive_field",
    "check_relu_pool",
    "check_transposed_map",
    "check_transposed_size",
    "check_weight_shape",
    "check_window_reads",
]


def _whole(answer):
    return int(number(answer, "a whole number")) if float(number(answer)).is_integer() else number(answer)


def _shape(answer):
    return tuple(_whole(v) for v in given(answer))


def _n(value):
    return f"{value:,}"


@exercise
def check_parameter_count(image_shape, kernel_size, n_detectors, conv_answer, dense_answer, *, stride=1, padding=0):
    """The parameters (weights and biases) of a convolutional layer, and of a dense layer giving the same output.

    Parameters
    ----------
    image_shape : (int, int) or (int, int, int)
        (H, W) or (H, W, C_in).
    kernel_size, n_detectors : int
    conv_answer, dense_answer : int
    stride, padding
        As for :func:`conv_lesson.parameter_count`.

    Examples
    --------
    >>> check_parameter_count((4, 4), 3, 2, 20, 2 * 16 * 16 + 32, padding=1)
    Correct: conv: 3×3×1 weights per detector × 2 detectors + 2 biases = 20, whatever the image's size. \
Dense: 16 inputs × 32 outputs + 32 biases = 544. The dense layer has 27 times as many.
    """
    with problem():
        k, n = check_int(kernel_size, "kernel_size", 1), check_int(n_detectors, "n_detectors", 1)
        c = int(image_shape[2]) if len(image_shape) == 3 else 1
        p = ops.parameter_count(tuple(image_shape), (k, k), n, stride=stride, padding=padding)
    conv, dense = number(conv_answer, "a whole number"), number(dense_answer, "a whole number")
    hints = []
    if conv != p.conv:
        if conv == p.conv_weights:
            hints.append("conv: add one bias per detector")
        elif c > 1 and conv in (k * k * n + n, k * k * n):
            hints.append(f"conv: each detector spans all {c} channels of the image: k×k×{c} weights")
        elif conv in (k * k * c + 1, k * k * c):
            hints.append(f"conv: that is one detector; the layer has {n}")
        else:
            hints.append("conv: count k×k×C_in weights per detector, times the detectors, plus one bias each")
    if dense != p.dense:
        per_map = p.outputs // n
        if dense == p.dense_weights:
            hints.append("dense: add one bias per output number")
        elif n > 1 and dense in (p.inputs * per_map + per_map, p.inputs * per_map):
            hints.append(f"dense: the output is all {n} maps: H'×W'×{n} numbers, each with its own weights")
        elif c > 1 and dense in (p.dense // c, (p.inputs // c) * p.outputs):
            hints.append(f"dense: every one of the H×W×{c} input numbers gets a weight to every output")
        else:
            hints.append("dense: one weight for every (input number, output number) pair, plus one bias per output")
    if hints:
        return f"{NOT_YET}: " + "; ".join(hints) + "."
    return (
        f"{CORRECT}: conv: {k}×{k}×{c} weights per detector × {n} detectors + {n} biases = {_n(p.conv)}, whatever "
        f"the image's size. Dense: {_n(p.inputs)} inputs × {_n(p.outputs)} outputs + {_n(p.outputs)} biases = "
        f"{_n(p.dense)}. The dense layer has {p.ratio:,.0f} times as many."
    )


@exercise
def check_weight_shape(in_channels, out_channels, kernel_size, answer):
    """The shape of a layer's weight tensor as PyTorch's ``Conv2d`` stores it: (C_out, C_in, kh, kw).

    Parameters
    ----------
    in_channels, out_channels, kernel_size : int
    answer : tuple of int

    Examples
    --------
    >>> check_weight_shape(16, 32, 3, (32, 16, 3, 3))
    Correct: 32 detectors, each 3×3 over all 16 input maps: (C_out, C_in, kh, kw) = (32, 16, 3, 3), \
4,608 weights (and 32 biases, one per detector).
    >>> check_weight_shape(16, 32, 3, (32, 3, 3, 16))
    Not yet: (32, 3, 3, 16) is channels-last, (C_out, kh, kw, C_in), the way this package stacks detectors. \
PyTorch puts the input channels second.
    """
    with problem():
        c_in, c_out = check_int(in_channels, "in_channels", 1), check_int(out_channels, "out_channels", 1)
        k = check_int(kernel_size, "kernel_size", 1)
    got, want = _shape(answer), (c_out, c_in, k, k)
    if got == want:
        return (
            f"{CORRECT}: {c_out} detectors, each {k}×{k} over all {c_in} input maps: (C_out, C_in, kh, kw) = "
            f"{want}, {_n(c_out * c_in * k * k)} weights (and {c_out} biases, one per detector)."
        )
    known = {
        (c_out, k, k, c_in): "is channels-last, (C_out, kh, kw, C_in), the way this package stacks detectors. "
        "PyTorch puts the input channels second",
        (k, k, c_in, c_out): "is TensorFlow/Keras's order, (kh, kw, C_in, C_out). PyTorch starts with the detectors",
        (c_in, c_out, k, k): "has the input and output channels swapped: the first axis picks one of the "
        f"{c_out} detectors (it is ConvTranspose2d that stores (C_in, C_out, kh, kw))",
        (c_out, k, k): f"is missing the input channels: each detector spans all {c_in} maps of the layer below",
        (c_in, k, k): "is one detector, channels-first; give the whole layer's weight, all detectors",
    }
    if got in known:
        return f"{NOT_YET}: {got} {known[got]}."
    if len(got) == 4 and got[0] == c_out and got[2:] == (k, k):
        return f"{NOT_YET}: the second axis is the input channels: the layer below gives {c_in} maps."
    return f"{NOT_YET}: PyTorch's Conv2d weight has 4 axes: (detectors, input channels, rows, cols)."


def _growth(layers):
    """The receptive field grown layer by layer: the terms added and the side."""
    side, jump, terms = 1, 1, []
    for kernel, stride, dilation in layers:
        add = dilation * (kernel - 1) * jump
        terms.append(f"{dilation * (kernel - 1)}×{jump}" if jump > 1 else str(dilation * (kernel - 1)))
        side, jump = side + add, jump * stride
    return side, terms


@exercise
def check_receptive_field(layers, answer):
    """The receptive field (side, in input pixels) of one output cell of the last layer.

    Parameters
    ----------
    layers : sequence of (int, int, int)
        (kernel, stride, dilation) of each layer, first layer first; pooling counts as a layer.
    answer : int

    Examples
    --------
    >>> check_receptive_field([(3, 1, 1), (3, 1, 1)], 5)
    Correct: start from the one output cell and grow: 1 + 2 + 2 = 5. Each layer adds dilation × (k − 1), \
times the product of the strides below it (how many input pixels one of its steps moves).
    """
    with problem():
        expected = ops.receptive_field(layers)
        layers = [tuple(int(v) for v in layer) for layer in layers]
    value = number(answer, "a whole number")
    side, terms = _growth(layers)
    if value == expected:
        return (
            f"{CORRECT}: start from the one output cell and grow: 1 + {' + '.join(terms)} = {side}. Each layer "
            "adds dilation × (k − 1), times the product of the strides below it (how many input pixels one of "
            "its steps moves)."
        )
    naive = 1 + sum(d * (k - 1) for k, _, d in layers)
    kernels = [k for k, _, _ in layers]
    if value == naive:
        return (
            f"{NOT_YET}: {naive} adds k − 1 for every layer as if every step moved one input pixel. After a "
            "stride-2 layer, one step of the next layer moves 2 input pixels: what it adds is multiplied."
        )
    if value in (sum(kernels), int(np.prod(kernels))):
        return f"{NOT_YET}: the kernels' sides do not simply add or multiply: neighbouring windows overlap."
    if abs(value - expected) == 1:
        return f"{NOT_YET}: off by one. Start from the single output cell (a side of 1) and add what each layer adds."
    return f"{NOT_YET}: grow from 1: each layer adds dilation × (k − 1) × (the product of the strides before it)."


@exercise
def check_relu_pool(feature_map, bias, answer, *, size=2):
    """A feature map through the rest of the layer: add the bias, ReLU, then max pooling (size×size, stride size).

    Parameters
    ----------
    feature_map : 2-D array_like
    bias : number
    answer : 2-D array_like
    size : int, default 2

    Examples
    --------
    >>> check_relu_pool([[1, -2], [-3, 0]], -2, [[0]])
    Correct: every cell + (-2), negatives to 0, then the largest of each 2×2 block. (The order does not matter \
here: adding a constant and clipping at 0 both keep the largest value the largest.)
    """
    with problem():
        fm, b = np.asarray(feature_map, dtype=float), float(number(bias))
        pool = lambda x: ops.max_pool(x, size=size)  # noqa: E731
        expected = pool(np.maximum(fm + b, 0))
    arr = array(answer)
    if same(arr, expected):
        return (
            f"{CORRECT}: every cell + ({format_number(b)}), negatives to 0, then the largest of each {size}×{size} "
            "block. (The order does not matter here: adding a constant and clipping at 0 both keep the largest "
            "value the largest.)"
        )
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: after {size}×{size} pooling at stride {size} the map has shape {expected.shape}; yours "
            f"{arr.shape}. Hint: pool last, one cell per block."
        )
    for variant, hint in (
        (pool(fm + b), "a negative value survived: ReLU turns every negative value into 0"),
        (pool(np.maximum(fm, 0)), "the bias is added to every cell first"),
        (pool(np.maximum(fm - b, 0)), f"the bias is added, as it is: + ({format_number(b)})"),
        (pool(np.abs(fm + b)), "ReLU does not take the size of a negative value: it replaces it by 0"),
        (pool(np.maximum(fm, 0)) + b, "the bias comes before the ReLU: a cell pushed below 0 by it becomes 0"),
    ):
        if same(arr, variant):
            return f"{NOT_YET}: {hint}."
    wrong = [tuple(map(int, rc)) for rc in np.argwhere(~np.isclose(arr, expected))]
    return f"{NOT_YET}: {len(wrong)} cell(s) differ, first at {cells_text(wrong)}: add, clip at 0, keep the largest."


@exercise
def check_im2col_shape(image_shape, kernel_size, answer, *, stride=1, padding=0):
    """The shape of the im2col matrix: one row per window, one column per detector weight.

    Parameters
    ----------
    image_shape : (int, int) or (int, int, int)
    kernel_size : int
    answer : (int, int)
    stride, padding
        As for :func:`conv_lesson.im2col`.

    Examples
    --------
    >>> check_im2col_shape((5, 5), 3, (9, 9))
    Correct: one row per window (3×3 = 9 positions) and one column per detector weight (3×3×1 = 9). \
With C_out detectors as columns, one product (9, 9) @ (9, C_out) gives every map at once.
    """
    with problem():
        k = check_int(kernel_size, "kernel_size", 1)
        c = int(image_shape[2]) if len(image_shape) == 3 else 1
        oh, ow = ops.output_size(tuple(image_shape[:2]), (k, k), stride=stride, padding=padding)
        plain = ops.output_size(tuple(image_shape[:2]), (k, k), padding=padding)
        unpadded = ops.output_size(tuple(image_shape[:2]), (k, k), stride=stride)
    got, rows, cols = _shape(answer), oh * ow, k * k * c
    if got == (rows, cols):
        return (
            f"{CORRECT}: one row per window ({oh}×{ow} = {rows} positions) and one column per detector weight "
            f"({k}×{k}×{c} = {cols}). With C_out detectors as columns, one product ({rows}, {cols}) @ ({cols}, C_out) "
            "gives every map at once."
        )
    hints = []
    if len(got) != 2:
        hints.append("the matrix is 2-D: (windows, numbers per window)")
    elif got == (cols, rows):
        hints.append("rows and columns swapped: each window is a row")
    else:
        if got[0] == plain[0] * plain[1] and rows != got[0]:
            hints.append(f"rows: the windows move {stride} cells at a time")
        elif got[0] == unpadded[0] * unpadded[1] and rows != got[0]:
            hints.append("rows: count the windows on the padded image")
        elif got[0] != rows:
            hints.append("rows: one per window, output_size along each side, multiplied")
        if got[1] == k * k and c > 1:
            hints.append(f"columns: a window holds k×k numbers from each of the {c} channels")
        elif got[1] != cols:
            hints.append("columns: one per number in a window, as many as the detector has weights")
    return f"{NOT_YET}: " + "; ".join(hints) + "."


def _stamped(g, w, stride, add=True):
    """Scatter ``g`` through ``w``; with ``add=False`` a later stamp overwrites instead of adding."""
    n, m = g.shape
    out = np.zeros(((n - 1) * stride + w.shape[0], (m - 1) * stride + w.shape[1]))
    for (i, j), v in np.ndenumerate(g):
        window = (slice(i * stride, i * stride + w.shape[0]), slice(j * stride, j * stride + w.shape[1]))
        out[window] = out[window] + v * w if add else v * w
    return out


@exercise
def check_transposed_map(feature_map, detector, answer, *, stride=1):
    """A transposed convolution worked out by hand (scatter form: every cell stamps value × detector).

    Parameters
    ----------
    feature_map, detector : 2-D array_like
    answer : 2-D array_like
    stride : int, default 1

    Examples
    --------
    >>> check_transposed_map([[1, 2]], [[1, 1]], [[1, 3, 2]])
    Correct: 2 stamps of value × detector, each moved on by 1 cell; where they overlap they add up.
    """
    with problem():
        s = check_int(stride, "stride", 1)
        expected = ops.transposed_feature_map(feature_map, detector, stride=s)
        g, w = np.asarray(feature_map, dtype=float), np.asarray(detector, dtype=float)
    arr = array(answer)
    if same(arr, expected):
        return (
            f"{CORRECT}: {g.size} stamps of value × detector, each moved on by {s} cell{'s' * (s > 1)}; where they "
            "overlap they add up."
        )
    if arr.shape != expected.shape:
        forward = "; that is the size of the forward map" if arr.shape == ops.feature_map(g, w).shape else ""
        return (
            f"{NOT_YET}: the output has shape {expected.shape}: the last stamp starts at (n − 1) × stride and is "
            f"k wide; yours {arr.shape}{forward}."
        )
    if same(arr, _stamped(g, w[::-1, ::-1], s)):
        return f"{NOT_YET}: you stamped the detector rotated by 180°: each cell stamps it as it is."
    if same(arr, _stamped(g, w, s, add=False)) or same(arr, _stamped(g[::-1, ::-1], w, s, add=False)):
        return f"{NOT_YET}: where stamps overlap, keep both: they add up."
    wrong = [tuple(map(int, rc)) for rc in np.argwhere(~np.isclose(arr, expected))]
    return (
        f"{NOT_YET}: {len(wrong)} cell(s) differ, first at {cells_text(wrong)}. Hint: list which stamps land on "
        "that cell and add value × detector weight for each."
    )


@exercise
def check_transposed_size(n, k, answer, *, stride=1, padding=0, output_padding=0):
    """How many cells along one side a transposed convolution gives.

    Parameters
    ----------
    n, k : int
        The small map's side and the detector's side.
    answer : int
    stride, padding, output_padding
        As for :func:`conv_lesson.transposed_output_size`.

    Examples
    --------
    >>> check_transposed_size(3, 3, 7, stride=2)
    Correct: the last stamp starts at (3 − 1) × 2 = 4 and is 3 wide: 7 cells; cropping 0 from each side leaves 7.
    """
    with problem():
        expected = ops.transposed_output_size(n, k, stride=stride, padding=padding, output_padding=output_padding)
        s, p, op = check_int(stride, "stride", 1), check_int(padding, "padding", 0), output_padding
    value = number(answer, "a whole number")
    full = (n - 1) * s + k + op
    if value == expected:
        return (
            f"{CORRECT}: the last stamp starts at ({n} − 1) × {s} = {(n - 1) * s} and is {k} wide: {full} cells"
            + (f" (with output_padding {op})" if op else "")
            + f"; cropping {p} from each side leaves {expected}."
        )
    forward = ops.output_size(n, k, stride=s, padding=p)
    if value == forward:
        return f"{NOT_YET}: {format_number(value)} is the forward convolution's size: the transposed one grows the map."
    if p and value == full:
        return f"{NOT_YET}: padding works the other way round here: it crops {p} from each side of the stamped output."
    if p and value == full - p:
        return f"{NOT_YET}: padding crops from each side, top and bottom (left and right)."
    if value == n * s:
        return f"{NOT_YET}: {n} × {s} counts a stride per cell; the last stamp starts at (n − 1) × stride."
    if value == full - k + 1 - 2 * p:
        return f"{NOT_YET}: the last stamp starts at (n − 1) × stride, and it is {k} cells wide."
    return f"{NOT_YET}: where does the last stamp start, how wide is it, and what does padding crop?"


@exercise
def check_window_reads(image_shape, kernel_size, answer, *, stride=1):
    """For every image cell, how many windows read it (no padding).

    Parameters
    ----------
    image_shape : (int, int)
    kernel_size : int
    answer : 2-D array_like, the image's shape
    stride : int, default 1

    Examples
    --------
    >>> check_window_reads((3, 3), 2, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    Correct: counted window by window. These counts are also the image's gradient when the detector and the \
error map are all ones: each window sends its error back to every cell it read.
    """
    with problem():
        k, s = check_int(kernel_size, "kernel_size", 1), check_int(stride, "stride", 1)
        shape = tuple(int(v) for v in image_shape)
        reads = ops.conv_matrix(shape, np.ones((k, k)), stride=s) != 0
        expected = reads.sum(axis=0).reshape(shape)
        every_step = (ops.conv_matrix(shape, np.ones((k, k))) != 0).sum(axis=0).reshape(shape)
    arr = array(answer)
    if same(arr, expected):
        never = int((expected == 0).sum())
        tail = f" The {never} cell(s) no window reads get no gradient at all, whatever the error." if never else ""
        return (
            f"{CORRECT}: counted window by window. These counts are also the image's gradient when the detector "
            f"and the error map are all ones: each window sends its error back to every cell it read.{tail}"
        )
    if arr.shape != expected.shape:
        return (
            f"{NOT_YET}: give one count per image cell, shape {expected.shape}; yours {arr.shape}. A cell no "
            "window reads counts 0."
        )
    if s > 1 and same(arr, every_step):
        return f"{NOT_YET}: those are the counts at stride 1; here the windows move {s} cells at a time."
    wrong = [tuple(map(int, rc)) for rc in np.argwhere(~np.isclose(arr, expected))]
    return (
        f"{NOT_YET}: {len(wrong)} cell(s) differ, first at {cells_text(wrong)}. Hint: the windows start at rows and "
        f"columns 0, {s}, {2 * s}, ... while they fit; count the ones that cover each cell."
    )
