"""The pictures' text is as large as the lesson's, at every presenter scale (no browser: the figures' own numbers)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from conv_lesson import face_detector, face_image, feature_map_gallery, photo, stepper
from conv_lesson.draw import smallest_text_px, text_sizes_px
from conv_lesson.draw.readable import LESSON_TEXT_PX, MIN_TEXT_PX

SCALES = [1.0, 1.6, 2.0]
GALLERY_NAMES = ["vertical_edges", "horizontal_edges", "outline", "sharpen", "gaussian_blur", "emboss"]


def _colour():
    small = np.round(photo(6, grayscale=False), 1)
    redder = np.zeros((3, 3, 3))
    redder[:, :, 0], redder[:, :, 2] = 1, -1
    return small, redder


STEPPERS = {
    "seed": lambda s: stepper(face_image(), face_detector(), scale=s),
    "padding": lambda s: stepper(face_image(), face_detector(), padding=1, scale=s),
    "dilation": lambda s: stepper(face_image(), face_detector(), dilation=2, scale=s),
    "colour": lambda s: stepper(*_colour(), scale=s),
    "photo": lambda s: stepper(photo(32), "vertical_edges", scale=s, mode="live"),
}


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("name", sorted(STEPPERS))
def test_stepper_text_at_least_lesson_text(name, scale):
    widget = STEPPERS[name](scale)
    sizes = text_sizes_px(widget.figure)
    kinds = {text for text, _ in sizes}
    assert "cell numbers" in kinds and "0" in kinds  # numbers in cells and tick labels are counted
    smallest = min(px for _, px in sizes)
    assert smallest >= MIN_TEXT_PX * scale - 1e-6, sorted(sizes, key=lambda t: t[1])[:3]
    assert smallest >= LESSON_TEXT_PX * scale
    assert widget.controller.figure.smallest_text_px() == pytest.approx(smallest, abs=1e-3)
    assert widget.view.min_text_px == pytest.approx(smallest, abs=1e-3)  # what the browser sizes the picture by


@pytest.mark.parametrize("scale", SCALES)
def test_gallery_text_at_least_lesson_text_and_fits_a_notebook(scale):
    fig = feature_map_gallery(photo(32), GALLERY_NAMES, padding=0, scale=scale)
    assert smallest_text_px(fig) >= MIN_TEXT_PX * scale - 1e-6, sorted(text_sizes_px(fig), key=lambda t: t[1])[:3]
    # three panels a row: at scale 1 it is narrow enough for a 1280 px JupyterLab with the file browser open
    assert fig.get_size_inches()[0] * fig.dpi / scale <= 860


def test_gallery_numbers_in_cells_only_where_they_fit_at_lesson_size():
    fig = feature_map_gallery(face_image(), ["face"], padding="valid")
    numbers = [t for t in fig.map_axes[0].texts if t.get_text().strip().isdigit()]
    assert len(numbers) == 25
    assert min(t.get_fontsize() for t in numbers) * fig.dpi / 72 >= MIN_TEXT_PX - 1e-6
    big = feature_map_gallery(np.arange(144.0).reshape(12, 12), ["identity"], padding="same")
    assert [t for t in big.map_axes[0].texts if t.get_text().strip().isdigit()] == []  # "143" does not fit a cell


def test_gallery_html_sizes_the_picture_in_lesson_text_units():
    fig = feature_map_gallery(face_image(), ["face"], padding="valid")
    page = fig._repr_html_()
    width = fig.get_size_inches()[0] * fig.dpi
    assert f"width:{width / LESSON_TEXT_PX:.3f}em" in page
    assert f"min-width:{width / smallest_text_px(fig):.3f}em" in page
    assert f'data-min-text-px="{smallest_text_px(fig):g}"' in page and "overflow-x:auto" in page


def test_text_sizes_count_visible_text_only():
    fig = Figure(dpi=200)
    fig.text(0.1, 0.1, "seen", fontsize=9)
    fig.text(0.2, 0.2, "hidden", fontsize=4).set_visible(False)
    fig.text(0.3, 0.3, "   ", fontsize=3)
    assert text_sizes_px(fig) == [("seen", 25.0)]
    assert smallest_text_px(Figure()) == 0.0


@pytest.mark.parametrize("bad", [None, "figure", object()])
def test_smallest_text_px_wants_a_figure(bad):
    with pytest.raises(TypeError, match="figure must be a matplotlib Figure"):
        smallest_text_px(bad)
