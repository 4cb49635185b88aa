"""A student's own picture through the upload widget."""

import datetime
import io

import numpy as np
from PIL import Image

from conv_lesson import photo
from conv_lesson.widgets import ImageUpload


def _upload(widget, name, content):
    widget.button.value = (
        {
            "name": name,
            "type": "image/png",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        },
    )


def _png(arr):
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return buf.getvalue()


def test_before_any_upload_the_bundled_photo_is_used():
    up = ImageUpload(size=24)
    np.testing.assert_array_equal(up.image, photo(24))
    assert "bundled photo" in up.status.value


def test_an_uploaded_picture_replaces_it():
    up = ImageUpload(size=(4, 6))
    arr = np.zeros((8, 12), dtype=np.uint8)
    arr[:, 6:] = 255  # left half black, right half white
    _upload(up, "halves.png", _png(arr))
    img = up.image
    assert img.shape == (4, 6)
    assert img[:, :2].max() < 0.1 and img[:, -2:].min() > 0.9
    assert "halves.png" in up.status.value and "4x6" in up.status.value


def test_a_broken_file_is_reported_in_the_widget_and_the_old_picture_kept():
    up = ImageUpload(size=8)
    before = up.image
    _upload(up, "notes.png", b"not a picture at all")
    assert "Could not use that file" in up.status.value and "not an image" in up.status.value
    np.testing.assert_array_equal(up.image, before)


def test_image_is_a_copy():
    up = ImageUpload(size=8)
    a = up.image
    a[:] = 0
    assert up.image.max() > 0


def test_an_unexpected_failure_is_shown_in_the_widget_too():
    up = ImageUpload(size=8)
    before = up.image
    up.button.value = (
        {
            "name": "odd.png",
            "type": "image/png",
            "size": 0,
            "content": None,
            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        },
    )
    assert up.errors.last_error is not None
    assert "Could not use that file" in up.errors.widget.value and up.errors.widget.layout.display is None
    np.testing.assert_array_equal(up.image, before)
    _upload(up, "fine.png", _png(np.full((8, 8), 255, dtype=np.uint8)))
    assert up.errors.widget.layout.display == "none" and "fine.png" in up.status.value
