"""What each layer of a small network costs: its output's shape, parameters, multiply-adds and memory (lesson 09).

A network is a list of small records (:class:`Conv`, :class:`MaxPool`,
:class:`AveragePool`, :class:`GlobalAveragePool`, :class:`ReLU`,
:class:`Flatten`, :class:`Dense`); :func:`cost_table` follows the shape of one
image through them and counts, layer by layer.
"""

from __future__ import annotations

import math
from dataclasses import KW_ONLY, dataclass

from .checks import check_bool, check_int, check_padding, check_pair, check_size, describe, short
from .geometry import scan_geometry

__all__ = [
    "Conv",
    "MaxPool",
    "AveragePool",
    "GlobalAveragePool",
    "ReLU",
    "Flatten",
    "Dense",
    "LayerCost",
    "CostTable",
    "cost_table",
]

#: Bytes per number of an activation (float32, what networks store).
BYTES_PER_NUMBER = 4


@dataclass(frozen=True)
class Conv:
    """A convolutional layer: ``channels`` detectors of ``kernel`` x ``kernel`` (see :func:`cost_table`).

    Attributes
    ----------
    channels : int
        C_out, the number of detectors (output channels).
    kernel : int or (int, int), default 3
    stride : int or (int, int), default 1
    padding : int, (int, int), 'valid' or 'same', default 0
        As for :func:`conv_lesson.feature_map` ('same': the output has
        ``ceil(H / stride)`` rows, the extra zero of an odd total at the
        bottom/right).
    groups : int, default 1
        Each detector reads ``C_in / groups`` channels (``groups = C_in =
        channels``: depthwise).
    bias : bool, default True
        One bias per detector.
    """

    channels: int
    kernel: int | tuple = 3
    _: KW_ONLY
    stride: int | tuple = 1
    padding: int | tuple | str = 0
    groups: int = 1
    bias: bool = True

    def __post_init__(self):
        check_int(self.channels, "Conv channels", 1)
        check_size(self.kernel, "Conv kernel")
        check_pair(self.stride, "Conv stride", 1)
        check_padding(self.padding)
        check_int(self.groups, "Conv groups", 1)
        check_bool(self.bias, "Conv bias")


@dataclass(frozen=True)
class MaxPool:
    """Max pooling over ``size`` x ``size`` blocks at stride ``size`` (windows past the edge dropped)."""

    size: int | tuple = 2

    def __post_init__(self):
        check_size(self.size, "MaxPool size")


@dataclass(frozen=True)
class AveragePool:
    """Average pooling over ``size`` x ``size`` blocks at stride ``size`` (windows past the edge dropped)."""

    size: int | tuple = 2

    def __post_init__(self):
        check_size(self.size, "AveragePool size")


@dataclass(frozen=True)
class GlobalAveragePool:
    """Each channel's mean: (H, W, C) becomes (C,)."""


@dataclass(frozen=True)
class ReLU:
    """``max(0, x)`` on every number; the shape stays."""


@dataclass(frozen=True)
class Flatten:
    """(H, W, C) read out as one row of ``H * W * C`` numbers."""


@dataclass(frozen=True)
class Dense:
    """A dense (fully connected) layer of ``units`` outputs, on a flat input.

    Attributes
    ----------
    units : int
    bias : bool, default True
        One bias per output.
    """

    units: int
    bias: bool = True

    def __post_init__(self):
        check_int(self.units, "Dense units", 1)
        check_bool(self.bias, "Dense bias")


_LAYER_KINDS = (Conv, MaxPool, AveragePool, GlobalAveragePool, ReLU, Flatten, Dense)


@dataclass(frozen=True)
class LayerCost:
    """One row of a :class:`CostTable`: what one layer gives and costs.

    Attributes
    ----------
    name : str
        Such as ``"conv 3x3, 8"``, ``"max pool 2x2"``, ``"dense 10"``.
    output_shape : tuple of int
        (H, W, C), or (units,) once flat.
    parameters : int
        Numbers the layer learns: weights plus biases.
    multiply_adds : int
        Multiplications, each with its addition, for one image.
    activation_bytes : int
        Memory of the output as float32: ``prod(output_shape) * 4``.
    """

    name: str
    output_shape: tuple
    parameters: int
    multiply_adds: int
    activation_bytes: int


def _pair_text(pair):
    return f"{pair[0]}x{pair[1]}"


def _shape_text(shape):
    return " x ".join(str(n) for n in shape)


@dataclass(frozen=True)
class CostTable:
    """The costs of a network, layer by layer (see :func:`cost_table`); ``str()`` prints it as a table.

    Attributes
    ----------
    input_shape : (int, int, int)
    rows : tuple of LayerCost
        One per layer, in order.
    """

    input_shape: tuple
    rows: tuple

    @property
    def total_parameters(self):
        """All the layers' parameters."""
        return sum(row.parameters for row in self.rows)

    @property
    def total_multiply_adds(self):
        """All the layers' multiply-adds, for one image."""
        return sum(row.multiply_adds for row in self.rows)

    @property
    def total_activation_bytes(self):
        """All the layers' outputs, as float32 (what training keeps for the backward pass)."""
        return sum(row.activation_bytes for row in self.rows)

    def __str__(self):
        header = ("layer", "output shape", "parameters", "multiply-adds", "activation bytes")
        lines = [("input", _shape_text(self.input_shape), "", "", "")]
        lines += [
            (
                r.name,
                _shape_text(r.output_shape),
                f"{r.parameters:,}",
                f"{r.multiply_adds:,}",
                f"{r.activation_bytes:,}",
            )
            for r in self.rows
        ]
        total = (
            "total",
            "",
            f"{self.total_parameters:,}",
            f"{self.total_multiply_adds:,}",
            f"{self.total_activation_bytes:,}",
        )
        widths = [max(len(line[i]) for line in [header, *lines, total]) for i in range(len(header))]

        def fmt(line):
            left = [line[i].ljust(widths[i]) for i in range(2)]
            right = [line[i].rjust(widths[i]) for i in range(2, len(line))]
            return "  ".join(left + right).rstrip()

        rule = "-" * len(fmt(tuple("-" * w for w in widths)))
        return "\n".join([fmt(header), rule, *(fmt(line) for line in lines), rule, fmt(total)])


class _Misfit(ValueError):
    """A layer that does not fit its input: its name and why; :func:`cost_table` adds its index."""

    def __init__(self, name, why):
        super().__init__(name, why)
        self.name, self.why = name, why


def _conv_name(layer, kernel, c_in):
    stride = check_pair(layer.stride, "Conv stride", 1)
    where = "" if stride == (1, 1) else f", stride {stride[0] if stride[0] == stride[1] else _pair_text(stride)}"
    if layer.groups == 1:
        return f"conv {_pair_text(kernel)}, {layer.channels}{where}"
    if layer.groups == c_in == layer.channels:
        return f"depthwise {_pair_text(kernel)}{where}"
    return f"conv {_pair_text(kernel)}, {layer.channels}, groups {layer.groups}{where}"


def _conv(layer, shape):
    h, w, c_in = shape
    kernel = check_pair(layer.kernel, "Conv kernel", 1)
    name = _conv_name(layer, kernel, c_in)
    if c_in % layer.groups or layer.channels % layer.groups:
        raise _Misfit(
            name,
            f"groups must divide the input channels ({c_in}) and the output channels ({layer.channels}); "
            f"got groups={layer.groups}",
        )
    try:
        geo = scan_geometry((h, w), kernel, layer.stride, layer.padding, 1, image_name="input")
    except ValueError as exc:
        raise _Misfit(name, f"does not fit its input {shape}: {exc}") from exc
    oh, ow = geo.out_shape
    weights = layer.channels * kernel[0] * kernel[1] * (c_in // layer.groups)
    params = weights + (layer.channels if layer.bias else 0)
    return name, (oh, ow, layer.channels), params, oh * ow * weights


def _pool(layer, shape, word):
    size = check_pair(layer.size, f"{type(layer).__name__} size", 1)
    name = f"{word} pool {_pair_text(size)}"
    if size[0] > shape[0] or size[1] > shape[1]:
        raise _Misfit(name, f"does not fit its input {shape}: a {_pair_text(size)} window is larger than it")
    out = tuple((n - k) // k + 1 for n, k in zip(shape[:2], size))
    return name, (*out, shape[2]), 0, 0


def _dense(layer, shape):
    name = f"dense {layer.units}"
    if len(shape) != 1:
        raise _Misfit(
            name,
            f"needs a flat input (one row of numbers) but gets shape {shape}: "
            "put Flatten() or GlobalAveragePool() before it",
        )
    params = shape[0] * layer.units + (layer.units if layer.bias else 0)
    return name, (layer.units,), params, shape[0] * layer.units


def _layer_cost(layer, shape):
    """``(name, output_shape, parameters, multiply_adds)`` of one layer on an input of ``shape``."""
    if isinstance(layer, Dense):
        return _dense(layer, shape)
    if isinstance(layer, ReLU):
        return "ReLU", shape, 0, 0
    if isinstance(layer, Flatten):
        return "flatten", (math.prod(shape),), 0, 0
    names = {Conv: "conv", MaxPool: "max pool", AveragePool: "average pool", GlobalAveragePool: "global average pool"}
    if len(shape) != 3:
        raise _Misfit(names[type(layer)], f"needs an (H, W, C) input but gets the flat shape {shape}")
    if isinstance(layer, Conv):
        return _conv(layer, shape)
    if isinstance(layer, GlobalAveragePool):
        return "global average pool", (shape[2],), 0, 0
    return _pool(layer, shape, "max" if isinstance(layer, MaxPool) else "average")


def _check_input_shape(input_shape):
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, (tuple, list)):
        raise TypeError(f"input_shape must be (H, W, C), a tuple of 3 ints; got {describe(input_shape)}")
    if len(input_shape) != 3:
        raise ValueError(
            f"input_shape must be (H, W, C), a tuple of 3 ints; got {len(input_shape)} value(s): {short(input_shape)} "
            "(for a grey image, C is 1)"
        )
    return tuple(check_int(n, f"input_shape[{i}]", 1) for i, n in enumerate(input_shape))


def _check_network(layers):
    if isinstance(layers, (str, bytes)) or not isinstance(layers, (tuple, list)):
        raise TypeError(f"layers must be a list of layers such as [Conv(8), ReLU(), Dense(10)]; got {describe(layers)}")
    if len(layers) == 0:
        raise ValueError("layers must hold at least one layer; got an empty sequence")
    kinds = ", ".join(kind.__name__ for kind in _LAYER_KINDS)
    for i, layer in enumerate(layers):
        if isinstance(layer, type) and layer in _LAYER_KINDS:
            raise TypeError(f"layers[{i}] is the class {layer.__name__}, not a layer: call it, {layer.__name__}(...)")
        if not isinstance(layer, _LAYER_KINDS):
            raise TypeError(f"layers[{i}] must be a layer ({kinds}); got {describe(layer)}")
    return list(layers)


def cost_table(input_shape, layers):
    """What each layer of a network costs, for one image of ``input_shape``, layer by layer.

    Conventions (those of FLOP counters such as PyTorch's
    ``torch.utils.flop_counter``, which report FLOPs = 2 x multiply-adds):

    - a convolution costs ``H' * W' * C_out * kh * kw * C_in / groups``
      multiply-adds (each output number is a sum of ``kh * kw * C_in /
      groups`` products); its ``C_out * kh * kw * C_in / groups`` weights
      plus ``C_out`` biases are its parameters;
    - a dense layer costs ``inputs * units`` multiply-adds, and has
      ``inputs * units`` weights plus ``units`` biases;
    - adding the biases is not counted, nor are pooling, ReLU and flatten
      (0 multiply-adds, 0 parameters);
    - activation bytes are the layer's output stored as float32: its number
      of elements x 4.

    Pooling layers move by their size (blocks that do not overlap), and a
    block that would run past the edge is dropped.

    Parameters
    ----------
    input_shape : (int, int, int)
        (H, W, C) of one image.
    layers : sequence of Conv, MaxPool, AveragePool, GlobalAveragePool, ReLU, Flatten, Dense
        The network, first layer first.

    Returns
    -------
    CostTable
        ``.rows`` (one :class:`LayerCost` per layer), ``.total_parameters``,
        ``.total_multiply_adds``; ``print()`` it for an aligned table.

    Raises
    ------
    TypeError
        A bad ``input_shape``; something in ``layers`` that is not a layer.
    ValueError
        A layer that does not fit its input, naming its index: a kernel or
        pooling window larger than the (padded) input, groups that do not
        divide the channels, a dense layer on an (H, W, C) input (put
        Flatten() or GlobalAveragePool() before it), a convolution or
        pooling on a flat input.

    Examples
    --------
    >>> table = cost_table((8, 8, 1), [Conv(8, 3, padding="same"), ReLU(), MaxPool(2), Flatten(), Dense(10)])
    >>> table.rows[0]
    LayerCost(name='conv 3x3, 8', output_shape=(8, 8, 8), parameters=80, multiply_adds=4608, activation_bytes=2048)
    >>> table.total_parameters, table.total_multiply_adds
    (1370, 5888)
    >>> print(table)
    layer         output shape  parameters  multiply-adds  activation bytes
    -----------------------------------------------------------------------
    input         8 x 8 x 1
    conv 3x3, 8   8 x 8 x 8             80          4,608             2,048
    ReLU          8 x 8 x 8              0              0             2,048
    max pool 2x2  4 x 4 x 8              0              0               512
    flatten       128                    0              0               512
    dense 10      10                 1,290          1,280                40
    -----------------------------------------------------------------------
    total                            1,370          5,888             5,160
    """
    shape = _check_input_shape(input_shape)
    rows = []
    for i, layer in enumerate(_check_network(layers)):
        try:
            name, shape, params, macs = _layer_cost(layer, shape)
        except _Misfit as exc:
            raise ValueError(f"layers[{i}] ({exc.name}): {exc.why}") from None
        rows.append(LayerCost(name, tuple(shape), params, macs, math.prod(shape) * BYTES_PER_NUMBER))
    return CostTable(_check_input_shape(input_shape), tuple(rows))
