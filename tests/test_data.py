"""The lesson's arrays, presets and pictures."""

import io
import re

import numpy as np
import pytest
from PIL import Image

from conv_lesson import (
    describe_detector,
    detector,
    detector_names,
    feature_map,
    photo,
)
from conv_lesson.data import PRESETS, load_image

REQUIRED = [
    "identity",
    "box_blur",
    "gaussian_blur",
    "sharpen",
    "outline",
    "horizontal_edges",
    "vertical_edges",
    "emboss",
    "face",
]


def test_required_presets_exist_with_descriptions():
    names = detector_names()
    for name in REQUIRED:
        assert name in names
        assert len(describe_detector(name)) > 15


def test_presets_are_3x3_unless_named_otherwise():
    sizes = set()
    for name in detector_names():
        arr = detector(name)
        m = re.search(r"(\d)x(\d)", name)
        expected = (int(m.group(1)), int(m.group(2))) if m else (3, 3)
        assert arr.shape == expected, name
        sizes.add(arr.shape)
    assert (5, 5) in sizes and (7, 7) in sizes


def test_presets_are_fresh_copies():
    a = detector("sharpen")
    a[1, 1] = 0
    assert detector("sharpen")[1, 1] == 5
    assert PRESETS["sharpen"].array()[1, 1] == 5


def test_blurs_sum_to_one_and_edges_to_zero():
    for name in detector_names():
        total = detector(name).sum()
        if "blur" in name or name in ("identity", "sharpen"):
            assert total == pytest.approx(1.0, abs=1e-5), name
        if "edges" in name or name == "outline":
            assert total == 0, name


def test_identity_copies_and_edges_respond_to_edges():
    img = np.zeros((6, 6))
    img[:, 3:] = 1.0  # a vertical edge, dark to bright going right
    inner = img[1:-1, 1:-1]
    np.testing.assert_array_equal(feature_map(img, detector("identity")), inner)
    v = feature_map(img, detector("vertical_edges"))
    h = feature_map(img, detector("horizontal_edges"))
    assert v.max() == 4 and np.all(h == 0)


def test_preset_name_is_forgiving():
    np.testing.assert_array_equal(detector("Vertical Edges"), detector("vertical_edges"))
    np.testing.assert_array_equal(detector("box-blur"), detector("box_blur"))


def test_the_old_seed_names_are_gone():
    import conv_lesson

    assert not hasattr(conv_lesson, "seed_image") and not hasattr(conv_lesson, "seed_detector")
    with pytest.raises(ValueError, match="name must be one of"):
        detector("seed")


def test_photo_is_normalised_grayscale():
    p = photo(64)
    assert p.shape == (64, 64) and p.dtype == np.float64
    assert 0.0 <= p.min() < 0.2 and 0.8 < p.max() <= 1.0
    assert p.std() > 0.1  # a real picture, not a flat field


def test_photo_sizes_and_colour():
    assert photo((30, 40)).shape == (30, 40)
    assert photo(None).shape == (600, 512)
    c = photo(32, grayscale=False)
    assert c.shape == (32, 32, 3)


def test_photo_resize_is_antialiased():
    # a proper resize averages: the downsized picture matches a block mean of a bigger one
    big = photo(256)
    small = photo(64)
    block = big.reshape(64, 4, 64, 4).mean(axis=(1, 3))
    assert np.abs(small - block).mean() < 0.03


def _png_bytes(arr, mode="L", fmt="PNG"):
    buf = io.BytesIO()
    Image.fromarray(arr, mode=mode if mode != "L" else None).save(buf, format=fmt)
    return buf.getvalue()


def test_load_image_from_path_bytes_and_file(tmp_path):
    arr = np.array([[0, 255, 128], [64, 0, 255]], dtype=np.uint8)
    data = _png_bytes(arr)
    path = tmp_path / "tiny.png"
    path.write_bytes(data)
    expected = arr / 255.0
    np.testing.assert_allclose(load_image(path), expected)
    np.testing.assert_allclose(load_image(str(path)), expected)
    np.testing.assert_allclose(load_image(data), expected)
    with open(path, "rb") as fh:
        np.testing.assert_allclose(load_image(fh), expected)


def test_load_image_colour_jpeg_and_size(tmp_path):
    rgb = np.zeros((40, 60, 3), dtype=np.uint8)
    rgb[..., 0] = 255
    data = _png_bytes(rgb, mode="RGB", fmt="JPEG")
    out = load_image(data, grayscale=False)
    assert out.shape == (40, 60, 3)
    assert out[..., 0].mean() > 0.9 and out[..., 2].mean() < 0.1
    assert load_image(data, size=20).shape == (20, 20)
    assert load_image(data, size=(10, 15)).shape == (10, 15)
    gray = load_image(data)
    assert gray.ndim == 2 and 0 <= gray.min() and gray.max() <= 1
