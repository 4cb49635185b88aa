"""feature_map_gallery: one feature map per detector, as a static figure."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation

import conv_lesson
from conv_lesson import describe_detector, detector, face_image, feature_map, feature_map_gallery, photo


@pytest.fixture(scope="module")
def image():
    return photo(24)


def shown(ax):
    """The array an Axes' image actually draws."""
    return np.asarray(ax.images[0].get_array())


def test_exported_from_the_package():
    assert "feature_map_gallery" in conv_lesson.__all__


def test_one_panel_per_detector_with_titles_and_descriptions(image):
    names = ["box_blur", "vertical_edges", "outline"]
    fig = feature_map_gallery(image, names)
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.map_axes] == names
    assert fig.input_axes.get_title() == "input image"
    for ax, name in zip(fig.map_axes, names):
        words = " ".join(" ".join(t.get_text().split()) for t in ax.texts)
        assert describe_detector(name) in words
    # a colour bar per panel (the image's too)
    assert len(fig.axes) == 2 * (len(names) + 1)


@pytest.mark.parametrize("stride, padding", [(1, "same"), (2, "valid"), ((1, 2), 1)])
def test_maps_drawn_equal_feature_map(image, stride, padding):
    names = ["gaussian_blur", "horizontal_edges", "sharpen", "emboss", "box_blur_5x5"]
    fig = feature_map_gallery(image, names, stride=stride, padding=padding)
    assert len(fig.map_axes) == len(names)
    for ax, name in zip(fig.map_axes, names):
        expected = feature_map(image, detector(name), stride=stride, padding=padding)
        np.testing.assert_array_equal(shown(ax), expected)
    np.testing.assert_array_equal(shown(fig.input_axes), image)


def test_dict_of_arrays_and_list_of_arrays():
    img = face_image()
    mine = np.array([[1, 0], [0, -1]])
    fig = feature_map_gallery(img, {"mine": mine, "face": conv_lesson.face_detector()}, padding="valid")
    assert [ax.get_title() for ax in fig.map_axes] == ["mine", "face"]
    np.testing.assert_array_equal(shown(fig.map_axes[0]), feature_map(img, mine))
    fig = feature_map_gallery(img, [mine, "identity"], padding="valid")
    assert [ax.get_title() for ax in fig.map_axes] == ["detector 1", "identity"]


def test_small_maps_carry_their_numbers():
    img = face_image()
    fig = feature_map_gallery(img, ["face"], padding="valid")
    ax = fig.map_axes[0]
    expected = feature_map(img, detector("face"))
    cells = {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
        for t in ax.texts
        if not isinstance(t, Annotation)  # not the description
    }
    for (r, c), v in np.ndenumerate(expected):
        assert cells[(r, c)] == str(v)


def clims(fig):
    return [ax.images[0].get_clim() for ax in fig.map_axes]


def test_shared_scale_rule(image):
    # all zero-sum (edge detectors): one symmetric scale
    fig = feature_map_gallery(image, ["vertical_edges", "horizontal_edges", "outline"])
    limits = clims(fig)
    assert len(set(limits)) == 1 and limits[0][0] == -limits[0][1]
    top = max(
        np.abs(feature_map(image, detector(n), padding="same")).max()
        for n in ["vertical_edges", "horizontal_edges", "outline"]
    )
    assert limits[0][1] == pytest.approx(top)
    # all weighted averages (no negatives, sum 1): one scale
    assert len(set(clims(feature_map_gallery(image, ["identity", "box_blur", "gaussian_blur"])))) == 1
    # different kinds: each its own
    assert len(set(clims(feature_map_gallery(image, ["box_blur", "vertical_edges", "sharpen"])))) == 3
    # overrides
    assert len(set(clims(feature_map_gallery(image, ["box_blur", "vertical_edges"], shared_scale=True)))) == 1
    assert len(set(clims(feature_map_gallery(image, ["vertical_edges", "outline"], shared_scale=False)))) == 2


def test_signed_maps_use_a_diverging_colormap_centred_on_zero(image):
    fig = feature_map_gallery(image, ["box_blur", "vertical_edges"])
    blur, edges = (ax.images[0] for ax in fig.map_axes)
    assert edges.get_cmap().name == "RdBu_r" and edges.get_clim()[0] == -edges.get_clim()[1]
    assert blur.get_cmap().name == "cividis"


def test_layout_columns_and_scale(image):
    fig = feature_map_gallery(image, ["identity", "box_blur", "outline", "sharpen", "emboss"], ncols=2)
    assert len(fig.map_axes) == 5
    columns = {round(ax.get_position().x0, 3) for ax in (fig.input_axes, *fig.map_axes)}
    assert len(columns) == 2
    small = feature_map_gallery(image, ["outline"])
    big = feature_map_gallery(image, ["outline"], scale=1.6)
    assert big.dpi == pytest.approx(small.dpi * 1.6)


def test_shows_itself_as_png_without_pyplot(image):
    fig = feature_map_gallery(image, ["outline"])
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert type(fig.canvas).__name__ == "FigureCanvasAgg"


@pytest.mark.parametrize(
    "args, kwargs, error, words",
    [
        (("outline",), {}, TypeError, r"put it in a list"),
        (([],), {}, ValueError, "at least one detector"),
        (({},), {}, ValueError, "at least one detector"),
        ((5,), {}, TypeError, "detectors must be a list"),
        ((["nope"],), {}, ValueError, r"detectors\[0\]: 'nope' is not a detector preset"),
        (({1: [[1]]},), {}, TypeError, "key"),
        (({"ragged": [[1, 2], [3]]},), {}, ValueError, r"detectors\['ragged'\]"),
        (({"big": np.ones((30, 30))},), {"padding": "valid"}, ValueError, r"detectors\['big'\].*larger"),
        ((["outline"],), {"stride": 0}, ValueError, "stride"),
        ((["outline"],), {"padding": "full"}, ValueError, "padding"),
        ((["outline"],), {"ncols": 0}, ValueError, "ncols"),
        ((["outline"],), {"ncols": 1.5}, TypeError, "ncols"),
        ((["outline"],), {"shared_scale": "yes"}, TypeError, "shared_scale"),
        ((["outline"],), {"scale": -1}, ValueError, "scale"),
    ],
)
def test_bad_arguments(image, args, kwargs, error, words):
    with pytest.raises(error, match=words):
        feature_map_gallery(image, *args, **kwargs)


@pytest.mark.parametrize("bad, error", [([1, 2, 3], ValueError), (None, TypeError), ("photo", TypeError)])
def test_bad_image(bad, error):
    with pytest.raises(error, match="image"):
        feature_map_gallery(bad, ["outline"])
