"""The pictures' text is as large as the lesson's, at every presenter scale (no browser: the figures' own numbers)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from matplotlib.figure import Figure

from conv_lesson import (
    conv_layer,
    detector,
    face_detector,
    face_image,
    feature_map,
    feature_map_gallery,
    im2col_stepper,
    learn_detector,
    learning_rate_explorer,
    photo,
    receptive_field_view,
    slide_1d,
    stepper,
    transposed_stepper,
)
from conv_lesson.draw import (
    Im2colFigure,
    ReceptiveFieldFigure,
    TransposedFigure,
    conv_matrix_figure,
    learning_rate_curves,
    loss_curve,
    show_arrays,
    slide_figure,
    smallest_text_px,
    text_sizes_px,
)
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


def test_text_sizes_follow_a_figure_changed_after_it_was_drawn():
    """A drawn figure is not laid out again, so the sizes must still see every change made since."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    canvas.draw()
    pixels = np.array(canvas.buffer_rgba())
    ticks = [(text, px) for text, px in text_sizes_px(fig) if text.replace(".", "").replace("−", "").isdigit()]
    assert ticks and {px for _, px in ticks} == {10 * 100 / 72}  # matplotlib's default 10 pt tick labels
    assert (np.array(canvas.buffer_rgba()) == pixels).all()  # measuring drew nothing over the picture
    ax.set_xlim(0, 50)  # new ticks: labels that did not exist when it was drawn
    ax.tick_params(labelsize=30)
    after = text_sizes_px(fig)
    assert "40" in dict(after) and {px for _, px in after} == {30 * 100 / 72}


@pytest.mark.parametrize("bad", [None, "figure", object()])
def test_smallest_text_px_wants_a_figure(bad):
    with pytest.raises(TypeError, match="figure must be a matplotlib Figure"):
        smallest_text_px(bad)


# ---- every other figure the lessons show, built as the lessons (and their widgets) build it ----

LESSON_08_IMAGE = np.array([[1, 2, 0, 1, 3], [0, 1, 3, 2, 1], [4, 0, 1, 1, 0], [2, 1, 0, 3, 1], [1, 0, 2, 1, 2]])
LESSON_08_DETECTOR = np.array([[1, 2], [0, -1]])


def _lesson_06():
    image = photo(16)
    target = feature_map(image, detector("vertical_edges"))
    learned, losses = learn_detector(image, target, steps=300, learning_rate=0.5, seed=0)
    return image, target, learned, losses


def _lesson_08_error():
    """A gradient map with one-decimal numbers, as lesson 08's last transposed stepper gets."""
    rng = np.random.default_rng(0)
    image7, w = rng.normal(size=(7, 7)), np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [0.5, 1.0, 0.0]])
    error = feature_map(image7, w, stride=2) - rng.normal(size=(3, 3))
    return np.round(error, 1), w


def _slide(preset, scale):
    fig = slide_figure(preset, scale=scale)
    fig.update(float(fig.t_grid[len(fig.t_grid) // 2]))  # mid-way: the product values are written too
    return fig.figure


def _stepped(fig):
    """A stepped figure at its last step (every number drawn), as its widget's saved picture shows it."""
    fig.set_step(fig.n_steps)
    return fig.figure


def _face_maps():
    face = face_image()
    edges = feature_map(face, detector("vertical_edges"))
    relu = conv_layer(face, [detector("vertical_edges")], bias=[-1], relu=True)[:, :, 0]
    return {"feature map": edges, "+ bias (−1)": edges - 1, "ReLU: max(0, ·)": relu}


FIGURES = {
    **{
        f"slide {p}": functools.partial(_slide, p)
        for p in ["box*box", "noisy signal * box", "two dice", "exponential decay response"]
    },  # fmt: skip
    "show_arrays detectors": lambda s: show_arrays(
        {"hidden detector": detector("vertical_edges"), "learned detector": np.round(_lesson_06()[2], 2)}, scale=s
    ),
    "show_arrays layer": lambda s: show_arrays(_face_maps(), scale=s),
    "loss_curve": lambda s: loss_curve(_lesson_06()[3], scale=s),
    "learning_rate_curves": lambda s: learning_rate_curves(*_lesson_06()[:2], [0.05, 0.5, 1.0], steps=60, scale=s),
    "receptive field": lambda s: _stepped(ReceptiveFieldFigure([(3, 1, 1), (3, 1, 1)], scale=s)),
    "receptive field strided": lambda s: _stepped(ReceptiveFieldFigure([(3, 2, 1), (3, 2, 2)], scale=s)),
    "im2col": lambda s: _stepped(Im2colFigure(LESSON_08_IMAGE, LESSON_08_DETECTOR, scale=s)),
    "transposed": lambda s: _stepped(TransposedFigure([[1, 2], [3, 4]], np.ones((2, 2), int), scale=s)),
    "transposed gradient": lambda s: _stepped(TransposedFigure(*_lesson_08_error(), stride=2, scale=s)),
    "conv_matrix": lambda s: conv_matrix_figure(LESSON_08_IMAGE.shape, LESSON_08_DETECTOR, highlight=(1, 2), scale=s),
}
WITH_CELL_NUMBERS = {"receptive field", "im2col", "transposed", "transposed gradient",
                     "conv_matrix"}  # fmt: skip


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_lesson_figure_text_at_least_lesson_text(name, scale):
    fig = FIGURES[name](scale)
    sizes = text_sizes_px(fig)
    assert len(sizes) > 5  # titles, tick labels... are counted
    if name in WITH_CELL_NUMBERS:
        assert "cell numbers" in {text for text, _ in sizes}
    smallest = min(px for _, px in sizes)
    assert smallest >= MIN_TEXT_PX * scale - 1e-6, sorted(sizes, key=lambda t: t[1])[:3]


def test_show_arrays_cells_grow_to_fit_long_numbers_at_lesson_size():
    short, long = show_arrays({"a": [[1, 2]]}), show_arrays({"a": [[-0.125, 0.375]]})
    assert long.get_size_inches()[0] > short.get_size_inches()[0]
    long.draw_without_rendering()
    cell_px = long.axes[0].get_window_extent().width / 2
    assert max(t.get_window_extent().width for t in long.axes[0].texts) < 0.95 * cell_px  # "-0.125" inside its cell


def test_learning_rate_titles_wrap_but_keep_their_two_line_form():
    fig = FIGURES["learning_rate_curves"](1.0)
    long = [(ax.get_title(), t) for ax, t in zip(fig.axes, fig.panel_titles) if len(t.splitlines()[1]) > 26]
    assert long, fig.panel_titles
    for shown, title in long:
        assert shown == title.replace(" in ", "\nin ") and len(title.splitlines()) == 2
    assert fig.get_size_inches()[0] * fig.dpi <= 900  # three panels, narrower than before (1020 px)


def test_small_cells_drop_their_numbers_and_label_every_other_row():
    fig = ReceptiveFieldFigure([(3, 3, 3), (3, 3, 3)])  # a 25×25 input: cells far too small for numbers
    fig.set_step(1)
    assert not fig.grids[0].write and fig.grids[0].numbers.get_paths() == []
    assert "The darker a cell" in fig.figure.texts[-1].get_text()  # the footer no longer speaks of numbers
    assert smallest_text_px(fig.figure) >= MIN_TEXT_PX - 1e-6
    ax = fig.axes["level 0"]
    labels = [t for t in ax.get_yticklabels() if t.get_text()]
    assert 5 < len(labels) < 25
    boxes = [t.get_window_extent() for t in labels]
    assert all(a.y0 >= b.y1 or b.y0 >= a.y1 for a, b in zip(boxes, boxes[1:]))  # no two overlap


WIDGETS = {
    "receptive_field_view": lambda s: receptive_field_view([(3, 1, 1), (3, 1, 1)], scale=s),
    "im2col_stepper": lambda s: im2col_stepper(LESSON_08_IMAGE, LESSON_08_DETECTOR, scale=s),
    "transposed_stepper": lambda s: transposed_stepper(*_lesson_08_error(), stride=2, scale=s),
}


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_flipbook_widgets_tell_the_browser_their_smallest_text(name, scale):
    widget = WIDGETS[name](scale)
    least = widget.controller.figure.smallest_text_px()
    assert least >= MIN_TEXT_PX * scale - 1e-6
    assert widget.view.min_text_px == pytest.approx(least)
    widget.controls[sorted(widget.controls)[-1]].value = 2  # a stride: a rebuilt figure tells it again
    assert widget.view.min_text_px == pytest.approx(widget.controller.figure.smallest_text_px())
    page = widget.saved_picture_html()
    assert "em;min-width:" in page and "overflow-x:auto" in page


@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_the_slide_tells_the_browser_its_smallest_text(scale):
    slide = slide_1d(preset="two dice", scale=scale)
    fig = slide.figure
    width = fig.get_size_inches()[0] * fig.dpi
    least = smallest_text_px(fig)
    assert least >= MIN_TEXT_PX * scale - 1e-6
    assert slide.view.min_text_px == pytest.approx(least)  # the browser never shows its text smaller
    assert slide.frame_png()[:4] == b"\x89PNG" and f"min-width:{width / least:.3f}em" in slide.saved_picture_html()
    slide.preset.value = "noisy signal * box"  # a new figure tells it again
    assert slide.view.min_text_px == pytest.approx(smallest_text_px(slide.figure))


@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_image_widgets_are_sized_in_lesson_text(scale):
    image, target, _, _ = _lesson_06()
    explorer = learning_rate_explorer(image, target, steps=60, scale=scale)
    width = int.from_bytes(explorer.frame_png()[16:20], "big")
    least = explorer._static_min_text_px()
    assert least >= MIN_TEXT_PX * scale - 1e-6
    assert f"width:{width / LESSON_TEXT_PX:.3f}em" in explorer.picture.value  # as wide as the lesson's text says
    assert f"min-width:{width / least:.3f}em" in explorer.picture.value and "overflow-x:auto" in explorer.picture.value


def test_lesson_figures_show_as_html_sized_in_lesson_text():
    fig = FIGURES["show_arrays detectors"](1.0)
    page = fig._repr_html_()
    width = int.from_bytes(fig._repr_png_()[16:20], "big")  # cropped to what is drawn, titles included
    assert abs(width - fig.get_size_inches()[0] * fig.dpi) < 30
    assert f"width:{width / LESSON_TEXT_PX:.3f}em" in page
    assert f"min-width:{width / smallest_text_px(fig):.3f}em" in page and "overflow-x:auto" in page
