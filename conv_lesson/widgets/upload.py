"""A student's own picture: an upload button, with the bundled photo until something is uploaded."""

from __future__ import annotations

import html

import ipywidgets

from ..data import check_image_size, load_image, photo
from ..ops.checks import check_bool
from .common import ErrorBox

__all__ = ["ImageUpload"]

#: What ``.image`` is before anything is uploaded.
BUNDLED = "the bundled photo"


class ImageUpload:
    """An upload button for a student's own picture, with the bundled photo as fallback.

    Display it, pick a PNG or JPEG, then use ``.image`` in the cells below.
    Until something is uploaded (and when a file cannot be read, which the
    widget says in words) ``.image`` is :func:`conv_lesson.photo` at the same
    size, so a notebook runs top to bottom without anyone clicking.

    Parameters
    ----------
    size : int or (int, int), default 64
        The picture is cropped to this aspect (centred) and resized.
    grayscale : bool, default True

    Attributes
    ----------
    button : ipywidgets.FileUpload
    status : ipywidgets.HTML
        Which picture is in use, or why a file could not be used.
    errors : ErrorBox
        Anything else that went wrong in the callback, with its traceback.
    widget : ipywidgets.VBox
        The three above, as displayed.
    source : str
        Where ``.image`` comes from, in words.

    Raises
    ------
    TypeError, ValueError
        A bad ``size`` or ``grayscale``; the message names it.

    Examples
    --------
    >>> up = ImageUpload(size=16)
    >>> up.image.shape, up.source
    ((16, 16), 'the bundled photo')
    """

    def __init__(self, size=64, *, grayscale=True):
        self._size = check_image_size(size)
        self._grayscale = check_bool(grayscale, "grayscale")
        self._image = photo(self._size, grayscale=self._grayscale)
        self.source = BUNDLED
        self.button = ipywidgets.FileUpload(
            accept="image/png,image/jpeg,image/*", multiple=False, description="Your picture"
        )
        self.status = ipywidgets.HTML(self._status_text())
        self.errors = ErrorBox()
        self.widget = ipywidgets.VBox([self.button, self.status, self.errors.widget])
        self.widget.add_class("conv-lesson-upload")  # the focus ring of widgets/static/focus.css
        self.button.observe(self.errors.guard(self._on_upload, "use that file"), names="value")

    def _status_text(self, error=None):
        h, w = self._image.shape[:2]
        source = html.escape(self.source)
        if error is not None:
            return (
                f"<span style='color:#b00020'>Could not use that file: {html.escape(str(error))}</span><br>"
                f"Still using {source} ({h}x{w})."
            )
        return f"Using {source} ({h}x{w}). Steppers created below this cell use it."

    def _on_upload(self, change):
        files = change["new"]
        if not files:
            return
        item = files[0]
        content = bytes(item["content"])
        try:
            image = load_image(content, size=self._size, grayscale=self._grayscale)
        except (TypeError, ValueError) as exc:  # not an image, empty...: said in words, old picture kept
            self.status.value = self._status_text(error=exc)
            return
        self._image = image
        self.source = f"your picture {item.get('name', '')!r}"
        self.status.value = self._status_text()
        self.errors.clear()

    @property
    def image(self):
        """The uploaded picture (or the bundled photo) as a float array in [0, 1]; a fresh copy."""
        return self._image.copy()

    def _repr_mimebundle_(self, **kwargs):
        h, w = self._image.shape[:2]
        using = f"Using {html.escape(self.source)} ({h}x{w})."
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle or {})
        bundle["text/plain"] = f"ImageUpload: {self.source}"
        note = "<i>▶ Run this cell to get the upload button.</i>"
        bundle["text/html"] = f'<div class="conv-lesson-static">{using} {note}</div>'
        return bundle
