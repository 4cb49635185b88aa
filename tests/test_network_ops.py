"""Lesson 09's operations: softmax, cross-entropy, pooling, grouped convolution and the cost table.

Checked against PyTorch's answers stored by ``tools/make_torch_references.py --network``
(conv2d with groups, max/avg/adaptive pooling, softmax, cross_entropy, and per layer of
six networks the nn module's parameter count, output shape and FlopCounterMode's FLOPs);
then properties with no torch (groups=1 is conv_layer, depthwise is per-channel feature_map,
separable is depthwise then a 1x1 layer, softmax's sums and shift invariance, the exact cost
ratio of a separable layer). The last part is one test per error path.
"""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from test_errors import raises  # one pytest.raises-with-words helper for every error-path test

from conv_lesson.ops import (
    AveragePool,
    Conv,
    CostTable,
    Dense,
    Flatten,
    GlobalAveragePool,
    LayerCost,
    MaxPool,
    ReLU,
    average_pool,
    conv_layer,
    cost_table,
    costs,
    cross_entropy,
    depthwise_conv,
    feature_map,
    global_average_pool,
    grouped_conv,
    max_pool,
    pattern_similarity,
    pool_windows,
    separable_conv,
    softmax,
)

#: PyTorch's answers for lesson 09's operations, written by tools/make_torch_references.py --network
TORCH = np.load(Path(__file__).resolve().parent / "data" / "torch_network_references.npz")
NETWORKS = sorted(key.removeprefix("cost_").removesuffix("_spec") for key in TORCH.files if key.endswith("_spec"))


def _padding(p):
    """The stored padding: -1 stands for 'same'."""
    return "same" if p < 0 else int(p)


# against PyTorch


@pytest.mark.parametrize("i", range(30))
def test_grouped_conv_matches_torch(i):
    groups, stride, padding, dilation = (int(v) for v in TORCH[f"grouped{i}_args"])
    got = grouped_conv(
        TORCH[f"grouped{i}_image"],
        TORCH[f"grouped{i}_detectors"],
        TORCH[f"grouped{i}_bias"],
        groups=groups,
        stride=stride,
        padding=_padding(padding),
        dilation=dilation,
    )
    np.testing.assert_allclose(got, TORCH[f"grouped{i}_torch"], rtol=1e-10, atol=1e-10)


def test_the_grouped_cases_cover_every_kind_of_group():
    kinds = set()
    for i in range(30):
        groups, stride, padding, dilation = TORCH[f"grouped{i}_args"]
        c_in = TORCH[f"grouped{i}_image"].shape[2]
        kinds.add("depthwise" if groups == c_in and groups > 1 else int(groups))
        kinds |= {f"stride {stride}", f"padding {_padding(padding)}", f"dilation {dilation}"}
    assert {1, 2, 3, "depthwise", "stride 2", "padding same", "padding 2", "dilation 2"} <= kinds


@pytest.mark.parametrize("i", range(5))
def test_depthwise_conv_matches_torch(i):
    stride, padding, dilation = (int(v) for v in TORCH[f"depthwise{i}_args"])
    got = depthwise_conv(
        TORCH[f"depthwise{i}_image"],
        TORCH[f"depthwise{i}_depthwise"],
        TORCH[f"depthwise{i}_bias"],
        stride=stride,
        padding=padding,
        dilation=dilation,
    )
    np.testing.assert_allclose(got, TORCH[f"depthwise{i}_torch"], rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("i", range(5))
def test_separable_conv_matches_torch(i):
    stride, padding, dilation = (int(v) for v in TORCH[f"separable{i}_args"])
    got = separable_conv(
        TORCH[f"separable{i}_image"],
        TORCH[f"separable{i}_depthwise"],
        TORCH[f"separable{i}_pointwise"],
        stride=stride,
        padding=padding,
        dilation=dilation,
    )
    np.testing.assert_allclose(got, TORCH[f"separable{i}_torch"], rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("i", range(16))
def test_pooling_of_every_channel_matches_torch(i):
    """Cases 0-7: max_pool2d; 8-15: avg_pool2d. A stored stride 0 is torch's default, the size."""
    size, stride = (int(v) for v in TORCH[f"pool{i}_args"])
    pool = max_pool if i < 8 else average_pool
    got = pool(TORCH[f"pool{i}_map"], size, stride or None)
    np.testing.assert_allclose(got, TORCH[f"pool{i}_torch"], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("i", range(3))
def test_global_average_pool_matches_torch(i):
    maps, expected = TORCH[f"global{i}_maps"], TORCH[f"global{i}_torch"]
    np.testing.assert_allclose(global_average_pool(maps), expected, rtol=1e-12)
    np.testing.assert_allclose(global_average_pool(maps[0]), expected[0], rtol=1e-12)


@pytest.mark.parametrize("i", range(4))
def test_softmax_matches_torch(i):
    got = softmax(TORCH[f"softmax{i}_scores"], axis=int(TORCH[f"softmax{i}_axis"]))
    np.testing.assert_allclose(got, TORCH[f"softmax{i}_torch"], rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("i", range(4))
def test_cross_entropy_matches_torch(i):
    """Case 3 has scores of several hundred: a plain exp would overflow."""
    got = cross_entropy(TORCH[f"xent{i}_scores"], TORCH[f"xent{i}_labels"])
    assert got == pytest.approx(float(TORCH[f"xent{i}_torch"]), rel=1e-10)


def test_cross_entropy_of_one_example_is_the_batch_of_one():
    scores, labels = TORCH["xent0_scores"], TORCH["xent0_labels"]
    assert cross_entropy(scores[0], int(labels[0])) == pytest.approx(float(TORCH["xent0_torch"]), rel=1e-12)
    assert cross_entropy(scores[0], labels[0]) == pytest.approx(float(TORCH["xent0_torch"]), rel=1e-12)


def _network(name):
    """The stored layer specs of one network, rebuilt as conv_lesson.ops.costs records."""
    layers = [getattr(costs, kind)(**args) for kind, args in json.loads(str(TORCH[f"cost_{name}_spec"]))]
    return tuple(int(n) for n in TORCH[f"cost_{name}_input"]), layers


@pytest.mark.parametrize("name", NETWORKS)
def test_cost_table_matches_torch_layer_by_layer(name):
    input_shape, layers = _network(name)
    table = cost_table(input_shape, layers)
    shapes = [tuple(int(n) for n in row if n >= 0) for row in TORCH[f"cost_{name}_shapes"]]
    assert [row.output_shape for row in table.rows] == shapes
    assert [row.parameters for row in table.rows] == TORCH[f"cost_{name}_parameters"].tolist()
    # FlopCounterMode counts FLOPs = 2 x multiply-adds for conv and linear (pooling and ReLU: 0)
    assert [2 * row.multiply_adds for row in table.rows] == TORCH[f"cost_{name}_flops"].tolist()
    assert [row.activation_bytes for row in table.rows] == [4 * int(np.prod(s)) for s in shapes]
    assert table.total_parameters == int(TORCH[f"cost_{name}_parameters"].sum())
    assert 2 * table.total_multiply_adds == int(TORCH[f"cost_{name}_flops"].sum())


def test_the_stored_networks_are_the_lessons():
    assert set(NETWORKS) == {"digit_flatten", "digit_gap", "vgg_block", "standard", "separable", "grouped"}
    _, layers = _network("digit_gap")
    assert layers == [Conv(8, 3, padding="same"), ReLU(), MaxPool(2), GlobalAveragePool(), Dense(10)]


# properties, no torch


def test_grouped_conv_with_one_group_is_conv_layer():
    rng = np.random.default_rng(1)
    image, dets, bias = rng.normal(size=(6, 7, 3)), rng.normal(size=(4, 3, 2, 3)), rng.normal(size=4)
    for kwargs in ({}, {"stride": 2, "padding": 1}, {"padding": "same", "dilation": 2}):
        np.testing.assert_array_equal(
            grouped_conv(image, dets, bias, **kwargs), conv_layer(image, dets, bias, **kwargs)
        )


def test_grouped_conv_is_one_layer_per_group_side_by_side():
    """Output channel o reads the input channels of group o // (C_out / groups), by hand."""
    rng = np.random.default_rng(2)
    image, dets = rng.normal(size=(5, 5, 6)), rng.normal(size=(9, 2, 2, 2))
    out = grouped_conv(image, dets, groups=3)
    for o in range(9):
        g = o // 3
        expected = feature_map(image[:, :, 2 * g : 2 * g + 2], dets[o])
        np.testing.assert_allclose(out[:, :, o], expected, rtol=1e-12)


def test_depthwise_conv_is_a_feature_map_per_channel():
    rng = np.random.default_rng(3)
    image, dets, bias = rng.normal(size=(7, 6, 4)), rng.normal(size=(4, 3, 3)), rng.normal(size=4)
    out = depthwise_conv(image, dets, bias, stride=2, padding="same")
    for c in range(4):
        expected = feature_map(image[:, :, c], dets[c], stride=2, padding="same") + bias[c]
        np.testing.assert_allclose(out[:, :, c], expected, rtol=1e-12)


def test_separable_conv_is_depthwise_then_a_1x1_layer():
    rng = np.random.default_rng(4)
    image, depth, point = rng.normal(size=(6, 6, 3)), rng.normal(size=(3, 3, 3)), rng.normal(size=(5, 3))
    got = separable_conv(image, depth, point, padding=1, dilation=2)
    mixed = conv_layer(depthwise_conv(image, depth, padding=1, dilation=2), point[:, None, None, :])
    np.testing.assert_allclose(got, mixed, rtol=1e-12)


def test_separable_over_standard_multiply_adds_is_one_over_c_out_plus_one_over_k_squared():
    standard = cost_table(*_network("standard")).total_multiply_adds
    separable = cost_table(*_network("separable")).total_multiply_adds
    assert Fraction(separable, standard) == Fraction(1, 128) + Fraction(1, 9)


def test_softmax_rows_sum_to_one_and_ignore_a_constant_shift():
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(6, 10)) * 20
    p = softmax(scores)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(softmax(scores + 1e4), p, rtol=1e-9)
    np.testing.assert_allclose(softmax(scores.T, axis=0), p.T, rtol=1e-12)
    np.testing.assert_allclose(softmax([1000.0, -1000.0, 0.0]), [1.0, 0.0, 0.0])  # exp(1000) would overflow


def test_cross_entropy_is_minus_log_softmax_of_the_true_class():
    rng = np.random.default_rng(6)
    scores, labels = rng.normal(size=(7, 4)), rng.integers(0, 4, size=7)
    by_hand = -np.mean([np.log(np.exp(s[y]) / np.exp(s).sum()) for s, y in zip(scores, labels)])
    assert cross_entropy(scores, labels.tolist()) == pytest.approx(by_hand, rel=1e-12)


def test_pooling_a_stack_pools_each_channel_and_keeps_2d_behaviour():
    rng = np.random.default_rng(7)
    maps = rng.integers(-9, 9, size=(5, 7, 3))
    for pool in (max_pool, average_pool):
        stacked = pool(maps, 2, 1)
        for c in range(3):
            np.testing.assert_array_equal(stacked[:, :, c], pool(maps[:, :, c], 2, 1))
    assert max_pool(maps).dtype == np.int64 and average_pool(maps).dtype == np.float64
    assert average_pool(np.arange(16).reshape(4, 4)).tolist() == [[2.5, 4.5], [10.5, 12.5]]
    assert pool_windows(maps, 3, 2).shape == (2, 3, 3, 3, 3)


def test_cost_table_names_and_prints_its_rows():
    table = cost_table(
        (32, 32, 64),
        [Conv(64, 3, padding=1, groups=64), Conv(64, 3, stride=2, groups=4), AveragePool(2), GlobalAveragePool()],
    )
    assert isinstance(table, CostTable) and isinstance(table.rows[0], LayerCost)
    names = [row.name for row in table.rows]
    assert names == ["depthwise 3x3", "conv 3x3, 64, groups 4, stride 2", "average pool 2x2", "global average pool"]
    assert [row.output_shape for row in table.rows] == [(32, 32, 64), (15, 15, 64), (7, 7, 64), (64,)]
    text = str(table).splitlines()
    assert text[0].split() == ["layer", "output", "shape", "parameters", "multiply-adds", "activation", "bytes"]
    assert text[-1].startswith("total") and f"{table.total_multiply_adds:,}" in text[-1]
    assert len({len(line) for line in text if line.startswith(("-", "layer"))}) == 1  # the rules fit the header
    assert "ReLU" in str(cost_table((4, 4, 1), [ReLU(), Flatten(), Dense(2, bias=False)]))


# errors: one test per path


def test_softmax_errors():
    with raises(TypeError, "axis", "1.5"):
        softmax([1.0, 2.0], axis=1.5)
    with raises(ValueError, "axis", "2"):
        softmax([[1.0, 2.0]], axis=2)
    with raises(ValueError, "scores", "empty"):
        softmax([])
    with raises(TypeError, "scores"):
        softmax("abc")


def test_cross_entropy_label_errors():
    scores = np.zeros((3, 10))
    with raises(ValueError, "labels", "[0, 10)", "10"):
        cross_entropy(scores, [0, 10, 2])
    with raises(ValueError, "labels", "[0, 10)", "-1"):
        cross_entropy(scores, [0, -1, 2])
    with raises(ValueError, "labels", "3 row(s)", "2"):
        cross_entropy(scores, [0, 1])
    with raises(TypeError, "labels", "float64", "astype(int)"):
        cross_entropy(scores, [0.0, 1.0, 2.0])
    with raises(TypeError, "labels", "one int"):
        cross_entropy(np.zeros(10), [3])
    with raises(ValueError, "labels", "1-D"):
        cross_entropy(scores, [[0, 1, 2]])
    with raises(TypeError, "labels"):
        cross_entropy(scores, "012")
    with raises(ValueError, "scores", "(N, K)"):
        cross_entropy(np.zeros((2, 2, 2)), [0, 1])


def test_pooling_errors():
    with raises(ValueError, "size", "fit"):
        average_pool(np.zeros((3, 3, 2)), size=4)
    with raises(TypeError, "stride"):
        max_pool(np.zeros((4, 4, 2)), stride=1.5)
    with raises(ValueError, "feature_map", "(N, H, W, C)"):
        average_pool(np.zeros((2, 2, 2, 2, 2)))
    with raises(ValueError, "feature_maps", "fm[..., None]"):
        global_average_pool(np.zeros((4, 4)))


def test_grouped_conv_errors():
    image = np.zeros((5, 5, 4))
    with raises(ValueError, "groups", "input channels", "4", "3 groups"):
        grouped_conv(image, np.zeros((6, 3, 3, 1)), groups=3)
    with raises(ValueError, "groups", "output channels", "6"):
        grouped_conv(image, np.zeros((6, 3, 3, 1)), groups=4)
    with raises(ValueError, "detectors", "4 / 2 = 2", "(4, 3, 3, 4)"):
        grouped_conv(image, np.zeros((4, 3, 3, 4)), groups=2)
    with raises(TypeError, "groups"):
        grouped_conv(image, np.zeros((4, 3, 3, 2)), groups=2.0)
    with raises(ValueError, "bias", "4 output channel(s)", "3 value(s)"):
        grouped_conv(image, np.zeros((4, 3, 3, 2)), [1, 2, 3], groups=2)
    with raises(ValueError, "image", "(H, W, C_in)"):
        grouped_conv(np.zeros((5, 5)), np.zeros((4, 3, 3, 1)))
    with raises(ValueError, "detectors", "(C_out, kh, kw, C_in / groups)"):
        grouped_conv(image, np.zeros((3, 3, 4)))
    with raises(ValueError, "detector is larger"):
        grouped_conv(image, np.zeros((2, 7, 7, 4)))
    with raises(ValueError, "padding", "'wide'"):
        grouped_conv(image, np.zeros((2, 3, 3, 4)), padding="wide")


def test_depthwise_and_separable_errors():
    image = np.zeros((5, 5, 3))
    with raises(ValueError, "detectors", "3 channel(s)", "(2, 3, 3)"):
        depthwise_conv(image, np.zeros((2, 3, 3)))
    with raises(ValueError, "detectors", "(C, kh, kw)"):
        depthwise_conv(image, np.zeros((3, 3, 3, 1)))
    with raises(ValueError, "bias", "3 output channel(s)"):
        depthwise_conv(image, np.zeros((3, 3, 3)), bias=[1, 2])
    with raises(ValueError, "depthwise", "3 channel(s)"):
        separable_conv(image, np.zeros((4, 3, 3)), np.zeros((2, 3)))
    with raises(ValueError, "pointwise", "one column per input channel", "(2, 4)"):
        separable_conv(image, np.zeros((3, 3, 3)), np.zeros((2, 4)))
    with raises(ValueError, "pointwise", "(C_out, C)"):
        separable_conv(image, np.zeros((3, 3, 3)), np.zeros(3))


def test_cost_table_layer_errors_name_the_layer():
    with raises(ValueError, "layers[3] (dense 10)", "(4, 4, 8)", "Flatten() or GlobalAveragePool()"):
        cost_table((8, 8, 1), [Conv(8, padding="same"), ReLU(), MaxPool(2), Dense(10)])
    with raises(ValueError, "layers[1] (conv 5x5, 4)", "larger than the padded input"):
        cost_table((8, 8, 1), [MaxPool(2), Conv(4, 5)])
    with raises(ValueError, "layers[0] (conv 3x3, 8, groups 4)", "groups must divide", "(6)"):
        cost_table((8, 8, 6), [Conv(8, groups=4)])
    with raises(ValueError, "layers[1] (max pool 2x2)", "(1, 1, 8)"):
        cost_table((2, 2, 1), [Conv(8, 2), MaxPool(2)])
    with raises(ValueError, "layers[1] (global average pool)", "flat"):
        cost_table((2, 2, 1), [Flatten(), GlobalAveragePool()])


def test_cost_table_argument_errors():
    with raises(TypeError, "layers[1]", "class ReLU", "ReLU(...)"):
        cost_table((8, 8, 1), [Conv(8), ReLU])
    with raises(TypeError, "layers[0]", "'conv'"):
        cost_table((8, 8, 1), ["conv"])
    with raises(ValueError, "layers", "empty"):
        cost_table((8, 8, 1), [])
    with raises(TypeError, "layers"):
        cost_table((8, 8, 1), Conv(8))
    with raises(ValueError, "input_shape", "(H, W, C)", "C is 1"):
        cost_table((8, 8), [Conv(8)])
    with raises(TypeError, "input_shape"):
        cost_table("8x8", [Conv(8)])
    with raises(ValueError, "input_shape[2]"):
        cost_table((8, 8, 0), [Conv(8)])


def test_layer_records_check_their_fields():
    with raises(ValueError, "Conv channels", "0"):
        Conv(0)
    with raises(TypeError, "Conv kernel"):
        Conv(8, 2.5)
    with raises(ValueError, "padding", "'full'"):
        Conv(8, padding="full")
    with raises(ValueError, "Conv groups"):
        Conv(8, groups=0)
    with raises(TypeError, "Conv bias"):
        Conv(8, bias=1)
    with raises(ValueError, "Conv stride"):
        Conv(8, stride=0)
    with raises(ValueError, "MaxPool size"):
        MaxPool(0)
    with raises(ValueError, "AveragePool size"):
        AveragePool((2, 0))
    with raises(ValueError, "Dense units"):
        Dense(0)
    with raises(TypeError, "Dense bias"):
        Dense(10, bias="yes")
    with pytest.raises(TypeError):
        Conv(8, 3, 1)  # stride and the rest are keyword-only


# pattern_similarity: lesson 09's "which hand-made detector is each learned one most like?"


def test_pattern_similarity_is_the_correlation_of_the_weights():
    """Taking the means away then taking the cosine is Pearson's correlation, computed here by numpy's corrcoef."""
    rng = np.random.default_rng(7)
    mine, theirs = rng.normal(size=(4, 3, 3)), rng.normal(size=(5, 3, 3))
    got = pattern_similarity(mine, theirs)
    assert got.shape == (4, 5)
    for i in range(4):
        for j in range(5):
            assert got[i, j] == pytest.approx(np.corrcoef(mine[i].ravel(), theirs[j].ravel())[0, 1], abs=1e-12)


def test_pattern_similarity_ignores_strength_and_level_and_sees_sign():
    edge = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    blob = np.array([[0.0, 1.0, 0.0], [1.0, 4.0, 1.0], [0.0, 1.0, 0.0]])
    got = pattern_similarity(np.stack([edge * 5, edge + 3, -edge, blob]), edge)
    assert got[:, 0] == pytest.approx([1.0, 1.0, -1.0, 0.0], abs=1e-12)  # the blob is symmetric, the edge odd


def test_pattern_similarity_of_a_random_stack_with_itself_has_ones_on_the_diagonal():
    stack = np.random.default_rng(3).normal(size=(6, 5, 5))
    got = pattern_similarity(stack, stack)
    assert np.allclose(np.diag(got), 1.0) and np.allclose(got, got.T) and np.all(np.abs(got) <= 1.0)


def test_pattern_similarity_refuses_a_constant_detector():
    with raises(ValueError, "detectors", "constant", "detector 1"):
        pattern_similarity(np.stack([np.eye(3), np.full((3, 3), 2.0)]), np.eye(3))
    with raises(ValueError, "others", "constant"):
        pattern_similarity(np.eye(3), np.zeros((3, 3)))


def test_pattern_similarity_wants_detectors_of_one_size():
    with raises(ValueError, "others", "(3, 3)", "(5, 5)"):
        pattern_similarity(np.eye(3), np.eye(5))


@pytest.mark.parametrize("bad", [np.ones(9), np.ones((2, 2, 3, 3))])
def test_pattern_similarity_wants_2d_or_3d(bad):
    with raises(ValueError, "detectors", "dimension"):
        pattern_similarity(bad, np.eye(3))


def test_pattern_similarity_wants_numbers():
    with raises(TypeError, "others"):
        pattern_similarity(np.eye(3), "edges")
