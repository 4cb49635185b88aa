"""The one toolkit for numbered cells: one text-colour rule, one number format, in every figure."""

import math

import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import to_rgba
from matplotlib.text import Annotation

from conv_lesson.draw import feature_map_gallery, ink_on, show_arrays
from conv_lesson.draw.cells import cell_labels
from conv_lesson.ops import format_number

#: Every colormap the lessons colour cells with.
LESSON_CMAPS = ["cividis", "gray", "RdBu_r", "viridis"]
INKS = {"black": (0.0, 0.0, 0.0), "white": (1.0, 1.0, 1.0)}


def luminance(rgb):
    """Relative luminance of an sRGB colour, from the WCAG 2 definition."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    """WCAG 2 contrast ratio of two sRGB colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The better of black and white is worst where the two tie: (L + 0.05) / 0.05 = 1.05 / (L + 0.05),
# so (L + 0.05)^2 = 0.0525 and the ratio is sqrt(0.0525) / 0.05 = sqrt(21), about 4.58, on any colour.
# It is above WCAG AA's 4.5 for normal text.
BEST_INK_FLOOR = math.sqrt(0.0525) / 0.05


def test_floor_is_what_black_and_white_give_on_the_tie_colour():
    tie = math.sqrt(0.0525) - 0.05  # the luminance where black and white contrast equally
    grey = next(g for g in np.linspace(0, 1, 100001) if luminance((g, g, g)) >= tie)
    assert contrast((grey,) * 3, INKS["black"]) == pytest.approx(BEST_INK_FLOOR, abs=1e-3)
    assert contrast((grey,) * 3, INKS["white"]) == pytest.approx(BEST_INK_FLOOR, abs=1e-3)
    assert BEST_INK_FLOOR > 4.5


@pytest.mark.parametrize("name", LESSON_CMAPS)
def test_ink_on_picks_the_higher_contrast_on_every_lesson_colormap(name):
    cmap = colormaps[name]
    ratios = []
    for x in np.linspace(0, 1, 64):
        colour = cmap(x)
        ink = ink_on(colour)
        other = "white" if ink == "black" else "black"
        chosen = contrast(colour, INKS[ink])
        assert chosen >= contrast(colour, INKS[other]), (name, x, colour)
        ratios.append(chosen)
    assert min(ratios) >= BEST_INK_FLOOR - 1e-9
    assert min(ratios) >= 4.5  # WCAG AA for normal text, everywhere on the map


def test_ink_on_takes_any_matplotlib_colour():
    assert ink_on("white") == ink_on((1, 1, 1)) == ink_on(np.array([1.0, 1.0, 1.0, 1.0])) == "black"
    assert ink_on("#08306b") == "white"


VALUES = np.array([[0.125, -1 / 3, 2.0], [0.001, 1234.5, -0.0]])
EXPECTED = [["0.125", "-0.333", "2"], ["0.001", "1.23e+03", "0"]]


def cell_texts(ax):
    """{(row, col): (text, colour)} of the numbers written in an Axes' cells."""
    return {
        (round(t.get_position()[1]), round(t.get_position()[0])): (t.get_text(), to_rgba(t.get_color()))
        for t in ax.texts
        if not isinstance(t, Annotation)  # the gallery's descriptions
    }


def test_cell_labels_is_format_number():
    assert cell_labels(VALUES) == [[format_number(v) for v in row] for row in VALUES] == EXPECTED


def test_gallery_and_show_arrays_write_the_same_numbers():
    # the gallery writes numbers only where they fit a cell at the lesson's text size: not "1.23e+03"
    assert cell_texts(feature_map_gallery(VALUES, {"identity": [[1]]}, padding="valid").map_axes[0]) == {}
    short = np.where(VALUES > 1000, 12.5, VALUES)
    expected = [row[:1] + ["12.5"] + row[2:] if r == 1 else row for r, row in enumerate(EXPECTED)]
    gallery = feature_map_gallery(short, {"identity": [[1]]}, padding="valid")
    arrays = show_arrays({"values": short})
    for ax in (gallery.map_axes[0], gallery.input_axes, arrays.axes[0]):
        texts = cell_texts(ax)
        assert {rc: text for rc, (text, _) in texts.items()} == {
            (r, c): label for r, row in enumerate(expected) for c, label in enumerate(row)
        }
    assert "0.125" in {t.get_text() for t in gallery.map_axes[0].texts}
    assert "0.125" in {t.get_text() for t in arrays.axes[0].texts}


@pytest.mark.parametrize("cmap", LESSON_CMAPS)
def test_show_arrays_inks_follow_the_rule(cmap):
    fig = show_arrays({"values": VALUES}, cmap=cmap)
    im = fig.axes[0].images[0]
    for (r, c), (_, colour) in cell_texts(fig.axes[0]).items():
        assert colour == to_rgba(ink_on(im.cmap(im.norm(VALUES[r, c])))), (cmap, r, c)


def test_gallery_inks_follow_the_rule_on_the_diverging_map():
    signed = np.array([[-4.0, -1.0, 0.0], [0.5, 2.0, 4.0]])
    fig = feature_map_gallery(signed, [np.array([[1]])], padding="valid")
    im = fig.map_axes[0].images[0]
    assert im.get_cmap().name == "RdBu_r"
    texts = cell_texts(fig.map_axes[0])
    for (r, c), v in np.ndenumerate(signed):
        assert texts[(r, c)][1] == to_rgba(ink_on(im.cmap(im.norm(v))))
    # white 0 in the middle of RdBu_r takes black ink; the dark ends take white
    assert texts[(0, 2)][1] == to_rgba("black")
    assert texts[(0, 0)][1] == texts[(1, 2)][1] == to_rgba("white")


def test_show_arrays_gives_a_value_one_colour_in_every_array():
    """Side by side (a map, then after ReLU), a 2 is the same red in both, and 0 is white."""
    fig = show_arrays({"feature map": [[-2, 0], [1, 2]], "ReLU": [[0, 0], [1, 2]]})
    shown = [ax.images[0] for ax in fig.axes]
    colours = [im.cmap(im.norm(2.0)) for im in shown]
    assert colours[0] == colours[1]
    assert all(min(im.cmap(im.norm(0.0))[:3]) > 0.9 for im in shown)  # white
