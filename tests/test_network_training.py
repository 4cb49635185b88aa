"""Lesson 09's training pieces: the digits shipped offline, a batch through a layer and pooling forward
and backward, and the lesson's exercise checks.

Forward: against ``conv_layer`` one image at a time (itself checked against PyTorch in test_layers.py).
Backward: against finite differences, and against the two views the lessons teach: the detector gradient is
the image slid under the error (``feature_map``), the image gradient the transposed convolution.
"""

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from conv_lesson.data import handwritten_digits
from conv_lesson.exercises import check_batch_memory, check_groups_for_budget, check_right_digit_probability
from conv_lesson.ops import (
    conv_backward,
    conv_forward,
    conv_layer,
    feature_map,
    max_pool,
    max_pool_backward,
    pad_image,
    resolve_padding,
    transposed_feature_map,
)

DIGITS_DIR = Path(__file__).resolve().parent.parent / "conv_lesson" / "data" / "digits"


def test_the_digits_file_is_the_one_its_readme_names_and_reads_as_1797_labelled_images():
    data = (DIGITS_DIR / "digits.csv.gz").read_bytes()
    readme = (DIGITS_DIR / "README.md").read_text()
    assert hashlib.sha256(data).hexdigest() in readme
    assert "CC BY 4.0" in readme
    rows = gzip.decompress(data).decode().split()
    digits = handwritten_digits()
    assert len(digits) == len(rows) == 1797
    first = [int(v) for v in rows[0].split(",")]
    assert (digits.images[0].ravel() * 16 == first[:64]).all() and digits.labels[0] == first[64]
    assert sorted(np.bincount(digits.labels)) == sorted(np.bincount(digits.labels))  # ten classes present
    assert set(digits.labels.tolist()) == set(range(10))
    assert digits.images.min() == 0 and digits.images.max() == 1


def test_split_is_seeded_disjoint_and_complete():
    digits = handwritten_digits()
    train, test = digits.split(360, seed=3)
    again, _ = digits.split(360, seed=3)
    assert (len(train), len(test)) == (1437, 360)
    assert (train.images == again.images).all()
    rows = {r.tobytes() for r in np.concatenate([train.images, test.images]).reshape(1797, -1)}
    assert rows == {r.tobytes() for r in digits.images.reshape(1797, -1)}
    with pytest.raises(ValueError, match="test must leave"):
        digits.split(1797)
    with pytest.raises(ValueError, match="test"):
        digits.split(0)


CASES = [((2, 6, 5), (3, 3, 3), 0), ((2, 6, 5), (2, 3, 2), "same"), ((3, 5, 6, 2), (4, 3, 2, 2), 1),
         ((1, 4, 4, 3), (2, 2, 2, 3), (2, 1)), ((2, 8, 8), (8, 3, 3), "same")]  # fmt: skip


@pytest.mark.parametrize(("images_shape", "detectors_shape", "padding"), CASES)
def test_conv_forward_is_conv_layer_on_each_image(images_shape, detectors_shape, padding):
    rng = np.random.default_rng(1)
    images, detectors = rng.normal(size=images_shape), rng.normal(size=detectors_shape)
    bias = rng.normal(size=detectors_shape[0])
    ours = conv_forward(images, detectors, bias, padding=padding)
    for n, image in enumerate(images):
        np.testing.assert_allclose(ours[n], conv_layer(image, detectors, bias, padding=padding), atol=1e-12)


def _numeric_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize(("images_shape", "detectors_shape", "padding"), CASES)
def test_conv_backward_matches_finite_differences(images_shape, detectors_shape, padding):
    rng = np.random.default_rng(2)
    images, detectors = rng.normal(size=images_shape), rng.normal(size=detectors_shape)
    bias = rng.normal(size=detectors_shape[0])
    error = rng.normal(size=conv_forward(images, detectors, padding=padding).shape)
    d_det, d_bias, d_img = conv_backward(images, detectors, error, padding=padding)

    def loss(x, d, b):
        return (conv_forward(x, d, b, padding=padding) * error).sum()

    np.testing.assert_allclose(d_det, _numeric_gradient(lambda d: loss(images, d, bias), detectors), atol=1e-6)
    np.testing.assert_allclose(d_bias, _numeric_gradient(lambda b: loss(images, detectors, b), bias), atol=1e-6)
    np.testing.assert_allclose(d_img, _numeric_gradient(lambda x: loss(x, detectors, bias), images), atol=1e-6)


def test_conv_backward_is_the_image_under_the_error_and_the_transposed_convolution():
    """The two views the lessons teach, one 2-D image and detector at a time."""
    rng = np.random.default_rng(3)
    images, detectors = rng.normal(size=(3, 7, 6)), rng.normal(size=(2, 3, 3))
    error = rng.normal(size=(3, 7, 6, 2))
    d_det, _, d_img = conv_backward(images, detectors, error, padding="same")
    (t, b), (l, r) = resolve_padding((7, 6), (3, 3), padding="same")
    under = [
        sum(feature_map(pad_image(x, (3, 3), padding="same"), e[..., d]) for x, e in zip(images, error))
        for d in range(2)
    ]
    np.testing.assert_allclose(d_det, np.array(under), atol=1e-12)
    for n in range(3):
        stamped = sum(transposed_feature_map(error[n, ..., d], detectors[d], padding=0) for d in range(2))
        np.testing.assert_allclose(d_img[n], stamped[t : t + 7, l : l + 6], atol=1e-12)


def test_max_pool_backward_sends_each_error_to_its_blocks_maximum():
    rng = np.random.default_rng(4)
    maps = rng.normal(size=(2, 5, 4, 3))  # 5 rows: the last is never pooled

    def pool(m):  # every image, every channel, through the lessons' 2-D max_pool
        return np.stack([np.stack([max_pool(x[..., c], 2) for c in range(3)], axis=-1) for x in m])

    error = rng.normal(size=pool(maps).shape)
    grad = max_pool_backward(maps, error, 2)
    np.testing.assert_allclose(grad, _numeric_gradient(lambda m: (pool(m) * error).sum(), maps), atol=1e-6)
    assert (grad[:, 4] == 0).all()
    ties = np.zeros((1, 2, 2, 1))
    assert max_pool_backward(ties, np.ones((1, 1, 1, 1)))[0, :, :, 0].tolist() == [[1, 0], [0, 0]]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: conv_forward(np.zeros((4, 4)), np.zeros((1, 3, 3))), "images must be"),
        (lambda: conv_forward(np.zeros((1, 4, 4)), np.zeros((3, 3))), "detectors must be"),
        (lambda: conv_forward(np.zeros((1, 4, 4, 2)), np.zeros((1, 3, 3))), "channel axis exactly when"),
        (lambda: conv_forward(np.zeros((1, 4, 4, 2)), np.zeros((1, 3, 3, 3))), "read every channel"),
        (lambda: conv_forward(np.zeros((1, 4, 4)), np.zeros((2, 3, 3)), [1.0]), "bias must have one number per"),
        (lambda: conv_forward(np.zeros((1, 2, 2)), np.zeros((1, 3, 3))), "images"),
        (lambda: conv_backward(np.zeros((1, 4, 4)), np.zeros((1, 3, 3)), np.zeros((1, 3, 3, 1))), "error must have"),
        (lambda: max_pool_backward(np.zeros((4, 4)), np.zeros((2, 2))), "feature_maps must be"),
        (lambda: max_pool_backward(np.zeros((1, 4, 4, 1)), np.zeros((1, 3, 3, 1))), "error must have"),
        (lambda: max_pool_backward(np.zeros((1, 4, 4, 1)), np.zeros((1, 2, 2, 1)), size=0), "size"),
    ],
)
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


def test_the_probability_read_from_a_loss(capsys):
    check_right_digit_probability(0.105, float(np.exp(-0.105)))
    check_right_digit_probability(0.105, 1 - 0.105)
    check_right_digit_probability(0.105, 10**-0.105)
    check_right_digit_probability(0.105, 1.2)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Correct")
    assert "not 1 − p" in out[1] and "base-10" in out[2] and "between 0 and 1" in out[3]


def _weights(c_in, c_out, k, g):
    return c_out * k * k * (c_in // g)


def test_the_fewest_groups_within_a_budget(capsys):
    # brute force over every grouping, independent of the check's own search
    fits = [g for g in range(1, 65) if 64 % g == 0 and 128 % g == 0 and _weights(64, 128, 3, g) <= 10_000]
    check_groups_for_budget(64, 128, 3, 10_000, min(fits))
    check_groups_for_budget(64, 128, 3, 10_000, 16)
    check_groups_for_budget(64, 128, 3, 10_000, 4)
    check_groups_for_budget(64, 128, 3, 10_000, 3)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Correct") and all(line.startswith("Not yet") for line in out[1:])
    assert "fewer groups also fit" in out[1] and "over 10,000" in out[2] and "does not divide" in out[3]
    with pytest.raises(ValueError, match="budget"):
        check_groups_for_budget(64, 128, 3, 10, 1)


def test_the_memory_of_a_batch(capsys):
    total = 224 * 224 * 64 * 4 * 32
    for answer in (total / 1e6, total / 2**20, total / 4e6, total / 32e6, 5.0, total, total / 1e9):
        check_batch_memory(224, 64, 32, answer)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Correct") and out[1].startswith("Correct")
    assert "4 bytes" in out[2] and "one image" in out[3] and out[4].startswith("Not yet")
    # the right amount in another unit is refused, saying so
    assert out[5].startswith("Not yet") and "in bytes" in out[5] and "megabytes" in out[5]
    assert out[6].startswith("Not yet") and "in gigabytes" in out[6]


def test_pooling_a_batch_pools_each_image():
    maps = np.random.default_rng(5).normal(size=(3, 5, 6, 4))
    np.testing.assert_array_equal(max_pool(maps, 2), np.stack([max_pool(m, 2) for m in maps]))
    for c in range(4):  # and each image's channel as the 2-D maps of lesson 07
        np.testing.assert_array_equal(max_pool(maps, 2)[1, ..., c], max_pool(maps[1, ..., c], 2))


def test_live_curves_redrawn_each_epoch_match_a_fresh_drawing():
    """The live curves move their lines instead of drawing anew: after every epoch the picture must be the one a
    fresh figure of the same numbers gives, and its alt text must say the numbers so far."""
    import base64
    import io
    import re

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from conv_lesson import live_training_curves, training_curves

    def pixels(html):
        data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))

    curves = live_training_curves()
    epochs = [(2.1, 0.31, 0.3), (0.9, 0.8, 0.78), (0.35, 0.93, 0.9), (0.2, 0.97, 0.96)]
    for n, (loss, train_acc, test_acc) in enumerate(epochs, start=1):
        curves.record(loss, train_acc, test_acc)
        fresh = training_curves(*zip(*epochs[:n]))
        canvas = FigureCanvasAgg(fresh)
        canvas.draw()
        expected = np.asarray(canvas.buffer_rgba())[..., :3]
        np.testing.assert_array_equal(pixels(curves.picture.value), expected)
        assert f'alt="Training curves over {n} epochs' in curves.picture.value
    assert "test accuracy 30% to 96%" in curves.picture.value
    with pytest.raises(ValueError, match="train_accuracy"):
        curves.record(0.1, 1.5, 0.9)
