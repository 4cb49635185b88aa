"""Explore a gallery of feature maps: click a map to see its detector and step through it."""

from __future__ import annotations

import html

import anywidget
import ipywidgets
import traitlets

from ..draw.cells import cell_labels
from ..draw.export import data_url
from ..draw.gallery import map_thumbnails
from ..ops.checks import as_array, check_scale
from .common import STATIC, ErrorBox, stylesheet
from .stepper import Stepper, StepperPicture

__all__ = ["ThumbnailPicker", "GalleryExplorer", "gallery_explorer", "detector_table_html"]


class ThumbnailPicker(anywidget.AnyWidget):
    """A row of pictures, each a ``button.conv-lesson-thumb``; clicking one sets ``selected``.

    Examples
    --------
    >>> p = ThumbnailPicker(images=["data:image/png;base64,", "data:image/png;base64,"], names=["a", "b"])
    >>> p.selected
    0
    """

    _esm = STATIC / "thumbs.js"
    _css = stylesheet("thumbs.css")
    images = traitlets.List(traitlets.Unicode()).tag(sync=True)
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Int(0).tag(sync=True)
    thumb_px = traitlets.Int(112).tag(sync=True)


def detector_table_html(name, description, detector):
    """A detector's numbers as an HTML table, with its name and what it responds to.

    Parameters
    ----------
    name, description : str
    detector : array_like, 2-D

    Returns
    -------
    str

    Examples
    --------
    >>> detector_table_html("edges", "left to right", [[-1, 0, 1]]).count("<td ")
    3
    """
    arr = as_array(detector, "detector", (2,), "a 2-D array")
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in cell_labels(arr))
    return (
        f'<div class="conv-lesson-detector-card"><b>{html.escape(name)}</b>: {html.escape(description)}'
        '<table style="border-collapse:collapse;font-family:var(--jp-code-font-family,monospace);margin:4px 0">'
        f"{rows}</table></div>"
    ).replace("<td>", '<td style="border:1px solid #999;padding:2px 8px;text-align:right">')


def _card_text(thumb):
    """The chosen detector in one line of plain text, for the saved picture."""
    rows = "; ".join(" ".join(row) for row in cell_labels(thumb.detector))
    return f"{thumb.name}: {thumb.description.rstrip('.')}. Detector rows: {rows}."


class GalleryExplorer(StepperPicture, ipywidgets.VBox):
    """Feature-map thumbnails; the chosen one's detector and a stepper on it (see :func:`gallery_explorer`).

    Attributes
    ----------
    picker : ThumbnailPicker
    card : ipywidgets.HTML
        The chosen detector's name, description and numbers.
    stepper : Stepper
        Steps through the chosen detector's map (rebuilt through :meth:`Stepper.change`).
    thumbnails : list of conv_lesson.draw.gallery.Thumbnail
    """

    def __init__(self, image, thumbnails, *, scale=1.0, mode="auto"):
        """Build the picker, the card and the stepper (arguments checked by :func:`gallery_explorer`)."""
        self.thumbnails = thumbnails
        self.picker = ThumbnailPicker(
            images=[data_url(t.png) for t in thumbnails],
            names=[t.name for t in thumbnails],
            thumb_px=round(112 * scale),
        )
        first = thumbnails[0]
        self.card = ipywidgets.HTML(detector_table_html(first.name, first.description, first.detector))
        self.stepper = Stepper(image, first.detector, scale=scale, mode=mode)
        self._errors = ErrorBox()
        self.error = self._errors.widget
        self.picker.observe(self._errors.guard(self._on_pick, "show that detector"), "selected")
        super().__init__([self.picker, self.card, self.error, self.stepper])
        self.add_class("conv-lesson-gallery-explorer")

    @property
    def last_error(self):
        """The last error a callback caught, or None."""
        return self._errors.last_error

    def choose(self, name):
        """Show the detector called ``name`` (as a click on its map does)."""
        names = [t.name for t in self.thumbnails]
        if name not in names:
            raise ValueError(f"name must be one of {', '.join(map(repr, names))}; got {name!r}")
        self.picker.selected = names.index(name)

    def _on_pick(self, change):
        thumb = self.thumbnails[change.new]
        self.stepper.change(detector=thumb.detector)
        self.card.value = detector_table_html(thumb.name, thumb.description, thumb.detector)
        self._errors.clear()

    def _static_text(self):
        return "Gallery explorer: " + ", ".join(t.name for t in self.thumbnails)

    def _static_lines(self):
        return [_card_text(self.thumbnails[self.picker.selected]), *super()._static_lines()]

    def close(self):
        """Close this widget and the widgets it made."""
        for widget in (self.picker, self.card, self.error, self.stepper):
            widget.close()
        super().close()


def gallery_explorer(image, detectors, *, padding=0, scale=1.0, mode="auto"):
    """A row of feature maps to click: the chosen map's detector numbers, and a stepper on it.

    Parameters
    ----------
    image : array_like, shape (H, W)
    detectors : list or dict
        Preset names or arrays, as for :func:`conv_lesson.feature_map_gallery`.
    padding : int, (int, int), 'valid' or 'same', default 0
        For the thumbnails (the stepper steps without padding).
    scale : float, default 1.0
    mode : {'auto', 'flipbook', 'live'}, default 'auto'
        The stepper's, as for :func:`conv_lesson.stepper` (a photo at stride 1 is live).

    Returns
    -------
    GalleryExplorer
        An ``ipywidgets.VBox``; ``.choose(name)`` does what a click does.

    Raises
    ------
    TypeError, ValueError
        A bad argument; the message names it.

    Examples
    --------
    >>> ex = gallery_explorer([[0, 1, 0, 0], [1, 1, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], ["identity", "outline"])
    >>> ex.choose("outline")
    >>> ex.stepper.step.value = 4
    >>> ex.stepper.shown_feature_map().tolist()
    [[4.0, 5.0], [5.0, -4.0]]
    """
    thumbnails = map_thumbnails(image, detectors, padding=padding)
    check_scale(scale)
    return GalleryExplorer(image, thumbnails, scale=scale, mode=mode)
