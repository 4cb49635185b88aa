"""Every interactive figure of the lessons saves a picture: a reader without a kernel sees something.

The display bundle swallows errors so the live widget always shows; this test makes sure the
saved picture itself works for each widget the lessons use.
"""

import numpy as np
import pytest

import conv_lesson as cl

SMALL = np.random.default_rng(0).normal(size=(12, 12))

MAKERS = {
    "stepper": lambda: cl.stepper(cl.face_image(), cl.face_detector()),
    "slide_1d": lambda: cl.slide_1d(),
    "draw_your_own": lambda: cl.draw_your_own(),
    "gallery_explorer": lambda: cl.gallery_explorer(SMALL, ["identity", "outline"]),
    "learning_rate_explorer": lambda: cl.learning_rate_explorer(
        SMALL, cl.feature_map(SMALL, np.eye(3)), small=0.01, large=5.0, rate=0.1, steps=20
    ),
    "receptive_field_view": lambda: cl.receptive_field_view([(3, 1, 1), (3, 1, 1)]),
    "im2col_stepper": lambda: cl.im2col_stepper(np.arange(16).reshape(4, 4), np.ones((2, 2))),
    "transposed_stepper": lambda: cl.transposed_stepper([[1, 2], [3, 4]], np.ones((3, 3))),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_the_saved_picture_is_an_image_with_alt_text(name):
    widget = MAKERS[name]()
    html = widget.saved_picture_html()
    assert '<img src="data:image/' in html
    alt = html.split('alt="', 1)[1].split('"', 1)[0]
    assert len(alt) > 20, alt
    bundle = widget._repr_mimebundle_()
    assert bundle["text/html"] == widget.saved_picture_html(widget._static_note())
    widget.close()
