"""Lessons 07 and 08: the full layer, what it costs and sees; convolution as a matrix, and its transpose."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops import format_number
from ..ops.checks import check_int
from .core import CORRECT, NOT_YET, array, cells_text, exercise, given, number, parts, problem, same, whole

__all__ = [
    "check_im2col_settings",
    "check_detectors_from_parameters",
    "check_layers_for_field",
    "check_relu_pool",
    "check_sizes_to_map",
    "check_transposed_source",
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
def check_detectors_from_parameters(channels, kernel_size, n_parameters, answer):
    """How many feature maps a layer makes from a ``channels``-channel image with square
    ``kernel_size`` detectors, if it learns ``n_parameters`` (weights and biases): the count worked backwards.

    Parameters
    ----------
    channels, kernel_size, n_parameters : int
    answer : int

    Examples
    --------
    >>> check_detectors_from_parameters(3, 5, 1216, 16)
    Correct: a detector holds 5×5×3 = 75 weights and 1 bias, 76 parameters, and makes one map: \
1216 / 76 = 16 maps.
    """
    with problem():
        c, k = check_int(channels, "channels", 1), check_int(kernel_size, "kernel_size", 1)
        n_parameters = check_int(n_parameters, "n_parameters", 1)
        per = k * k * c + 1
        expected, rest = divmod(n_parameters, per)
        if rest:
            raise ValueError(f"n_parameters must be a multiple of k×k×C + 1 = {per}; got {n_parameters}")
    value = number(answer, "a whole number")
    if value == expected:
        return (
            f"{CORRECT}: a detector holds {k}×{k}×{c} = {per - 1} weights and 1 bias, {per} parameters, and makes "
            f"one map: {n_parameters} / {per} = {expected} maps."
        )
    if value * (per - 1) == n_parameters or value == n_parameters // (per - 1):
        return f"{NOT_YET}: each detector also learns 1 bias: {per - 1} + 1 = {per} parameters a detector."
    if c > 1 and value == n_parameters // (k * k + 1):
        return f"{NOT_YET}: a detector spans all {c} channels: {k}×{k}×{c} weights, not {k}×{k}."
    if value == expected * c:
        return f"{NOT_YET}: one map per detector, not per channel: the channels are summed inside each detector."
    return f"{NOT_YET}: count one detector's parameters first ({k}×{k}×C weights and 1 bias), then divide."


@exercise
def check_weight_shape(channels, layers, answer):
    """The shape of the last layer's weight tensor in a stack, as PyTorch's ``Conv2d`` stores it:
    (C_out, C_in, kh, kw), where C_in is what the layer below makes.

    Parameters
    ----------
    channels : int
        The image's channels.
    layers : sequence of (int, int)
        ``(n_detectors, kernel_size)`` of each layer, first layer first.
    answer : tuple of int

    Examples
    --------
    >>> check_weight_shape(1, [(16, 5), (32, 3)], (32, 16, 3, 3))
    Correct: 32 detectors, each 3×3 over all 16 input maps: (C_out, C_in, kh, kw) = (32, 16, 3, 3), \
4,608 weights (and 32 biases, one per detector).
    >>> check_weight_shape(1, [(16, 5), (32, 3)], (32, 3, 3, 16))
    Not yet: (32, 3, 3, 16) is channels-last, (C_out, kh, kw, C_in), the way this package stacks detectors. \
PyTorch puts the input channels second.
    """
    with problem():
        sizes = [(check_int(n, "layers", 1), check_int(k, "layers", 1)) for n, k in layers]
        if not sizes:
            raise ValueError("layers must hold at least one (n_detectors, kernel_size)")
        c_in = sizes[-2][0] if len(sizes) > 1 else check_int(channels, "channels", 1)
        (c_out, k), below = sizes[-1], (sizes[-2][1] if len(sizes) > 1 else None)
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
    if below is not None and below != k and got == (c_out, c_in, below, below):
        return (
            f"{NOT_YET}: a {k}x{k} detector has {k} row{'s' * (k > 1)} and {k} column{'s' * (k > 1)}; the "
            f"{below}x{below} belongs to the layer below."
        )
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
def check_layers_for_field(layers, added, target, answer):
    """How many ``added`` layers, stacked on ``layers``, it takes for one cell of the last layer to see at
    least ``target`` input pixels a side (the receptive field worked backwards).

    Parameters
    ----------
    layers : sequence of (int, int, int)
        (kernel, stride, dilation) of the layers already there, first layer first; pooling counts as a layer.
    added : (int, int, int)
        The layer stacked on top, again and again.
    target : int
    answer : int
        The fewest added layers.

    Examples
    --------
    >>> check_layers_for_field([(2, 2, 1)], (3, 1, 1), 9, 2)
    Correct: 2 of them see 1 + 1 + 2×2 + 2×2 = 10 ≥ 9, while 1 sees only 6: one step of the layers on top \
moves 2 input pixels, so each adds 1·(3 − 1)·2 = 4.
    """
    with problem():
        base = [tuple(int(v) for v in layer) for layer in layers]
        added = tuple(int(v) for v in added)
        target = check_int(target, "target", 1)
        ops.receptive_field([*base, added])
        if added[0] < 2:
            raise ValueError("added must grow the field: a kernel of at least 2")

        def reach(n):  # the side one cell of the last layer sees, with n added layers
            return _growth([*base, *[added] * n])[0]

        expected = next(n for n in range(target + 1) if reach(n) >= target)
    value = number(answer, "a whole number")
    if not float(value).is_integer() or value < 0:
        return f"{NOT_YET}: a number of layers is a whole number."
    n = int(value)
    field, terms = _growth([*base, *[added] * n])
    grown = " + ".join(["1", *terms])
    if n == expected:
        k, stride, dilation = added
        why = f"{grown} = {field} ≥ {target}"
        if n:
            why += f", while {n - 1} see{'s' * (n == 2)} only {reach(n - 1)}"
        if n and stride == 1:
            jump = int(np.prod([st for _, st, _ in base])) if base else 1
            why += (
                f": one step of the layers on top moves {jump} input pixel{'s' * (jump > 1)}, so each adds "
                f"{dilation}·({k} − 1)·{jump} = {dilation * (k - 1) * jump}"
            )
        return f"{CORRECT}: {n} of them see {why}."
    if n > expected:
        fewer, fewer_terms = _growth([*base, *[added] * (n - 1)])
        fewer_sum = " + ".join(["1", *fewer_terms])
        return f"{NOT_YET}: {n - 1} already see {fewer_sum} = {fewer} ≥ {target}: fewer will do."
    return f"{NOT_YET}: {n} of them see {grown} = {field}, less than {target}."


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
def check_im2col_settings(image_shape, matrix_shape, answer):
    """The square detector's side and the stride (no padding) that give an im2col matrix of ``matrix_shape``
    for an image of ``image_shape``: the matrix's shape read backwards. Every pair that gives it is right.

    Parameters
    ----------
    image_shape : (int, int) or (int, int, int)
    matrix_shape : (int, int)
        (windows, numbers per window).
    answer : (int, int)
        ``(kernel_size, stride)``.

    Examples
    --------
    >>> check_im2col_settings((16, 16), (49, 9), (3, 2))
    Correct: 3×3×1 = 9 numbers in a window, one column each; floor((16 − 3) / 2) + 1 = 7 windows a side, \
7×7 = 49 rows.
    """
    with problem():
        h, w = (check_int(v, "image_shape", 1) for v in image_shape[:2])
        c = int(image_shape[2]) if len(image_shape) == 3 else 1
        rows, cols = (check_int(v, "matrix_shape", 1) for v in matrix_shape)
    k, s = (number(v, "a whole number") for v in parts(answer, "(kernel_size, stride)", 2))
    if not (float(k).is_integer() and float(s).is_integer() and k >= 1 and s >= 1):
        return f"{NOT_YET}: the detector's side and the stride are whole numbers from 1."
    k, s = int(k), int(s)
    if k > min(h, w):
        return f"{NOT_YET}: a {k}×{k} detector does not fit in a {h}×{w} image."
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    sides = f"floor(({h} − {k}) / {s}) + 1 = {oh}" if h == w else f"{oh} by {ow}"
    got_cols = k * k * c
    if (oh * ow, got_cols) == (rows, cols):
        return (
            f"{CORRECT}: {k}×{k}×{c} = {cols} numbers in a window, one column each; {sides} windows a side, "
            f"{oh}×{ow} = {rows} rows."
        )
    clauses = []
    if got_cols != cols:
        clauses.append(
            f"a {k}×{k} detector on {c} channel{'s' * (c > 1)} makes {k}×{k}×{c} = {got_cols} columns, not {cols}"
        )
    if oh * ow != rows:
        clauses.append(f"with it, stride {s} gives {sides} windows a side: {oh}×{ow} = {oh * ow} rows, not {rows}")
    return f"{NOT_YET}: " + "; ".join(clauses) + ". Hint: the columns fix the detector, then the rows the stride."


@exercise
def check_transposed_source(detector, output, answer, *, stride=1):
    """The small map whose transposed convolution with ``detector`` gave ``output``: the stamps worked
    backwards, one cell at a time from the top-left corner.

    Parameters
    ----------
    detector : 2-D array_like
    output : 2-D array_like
    answer : 2-D array_like
        The small map.
    stride : int, default 1

    Examples
    --------
    >>> check_transposed_source([[1, 1]], [[1, 3, 2]], [[1, 2]])
    Correct: your 1×2 map stamps back exactly the output: each cell's value is what its stamp's \
top-left corner still needs after the stamps before it.
    """
    with problem():
        s = check_int(stride, "stride", 1)
        w, out = np.asarray(detector, dtype=float), np.asarray(output, dtype=float)
        rows, cols = ((a - b) // s + 1 for a, b in zip(out.shape, w.shape))
    g = array(answer)
    if g.shape != (rows, cols):
        return (
            f"{NOT_YET}: the output is {out.shape[0]}×{out.shape[1]} and (n − 1)·{s} + {w.shape[0]} = "
            f"{out.shape[0]} for n = {rows}: the map is {rows}×{cols}; yours has shape {g.shape}."
        )
    stamped = ops.transposed_feature_map(g, w, stride=s)
    if np.allclose(stamped, out):
        return (
            f"{CORRECT}: your {rows}×{cols} map stamps back exactly the output: each cell's value is what its "
            "stamp's top-left corner still needs after the stamps before it."
        )
    wrong = [tuple(map(int, rc)) for rc in np.argwhere(~np.isclose(stamped, out))]
    first = wrong[0]
    return (
        f"{NOT_YET}: your map stamps {format_number(stamped[first])} at output cell {first}, where the output "
        f"holds {format_number(out[first])} ({len(wrong)} cell(s) differ). Hint: start at the top-left: only "
        "one stamp reaches output cell (0, 0), so it fixes the first value; go on cell by cell."
    )


@exercise
def check_sizes_to_map(k, side, answer, *, stride=1, padding=0):
    """Every image side that a ``k``-wide detector at ``stride`` with ``padding`` turns into a map ``side``
    cells wide: why a transposed convolution needs ``output_padding`` to choose among them.

    Parameters
    ----------
    k, side : int
    answer : sequence of int
    stride, padding : int

    Examples
    --------
    >>> check_sizes_to_map(3, 3, [5, 6], stride=2, padding=1)
    Correct: floor((5 + 2·1 − 3) / 2) + 1 = 3 and floor((6 + 2·1 − 3) / 2) + 1 = 3: the floor drops \
the half step, so 2 sizes make the same map, and the transposed convolution can give back only one \
of them unless output_padding says which.
    """
    with problem():
        k, side = check_int(k, "k", 1), check_int(side, "side", 1)
        s, p = check_int(stride, "stride", 1), check_int(padding, "padding", 0)
    got = {whole(v) for v in given(answer)}

    def size(n):
        return (n + 2 * p - k) // s + 1

    def formula(n):
        return f"floor(({n} + 2·{p} − {k}) / {s}) + 1 = {size(n)}"

    lowest = (side - 1) * s + k - 2 * p
    expected = {n for n in range(max(lowest, 1), lowest + s) if size(n) == side}
    if got == expected:
        shown = " and ".join(formula(n) for n in sorted(expected))
        many = (
            f": the floor drops the half step, so {len(expected)} sizes make the same map, and the transposed "
            "convolution can give back only one of them unless output_padding says which"
            if len(expected) > 1
            else ""
        )
        return f"{CORRECT}: {shown}{many}."
    extra = sorted(got - expected)
    if extra:
        return f"{NOT_YET}: {formula(extra[0])}, not {side}."
    return f"{NOT_YET}: another side makes a {side}-wide map too. Hint: the floor lets more than one size through."


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
        f"columns 0, {s}, {2 * s}, ... while start + {k} ≤ the side; count the ones that cover each cell."
    )
