"""What every widget of the package shares: the error box, the static picture, presenter scale."""

from __future__ import annotations

import base64
import functools
import html
import pathlib
import struct
import traceback

from ..draw.readable import LESSON_TEXT_PX

__all__ = [
    "error_html",
    "ErrorBox",
    "StaticPicture",
    "static_html",
    "RUN_NOTE",
    "scale_css",
    "WIDGET_CSS_SIZES",
    "png_width",
    "STATIC",
    "stylesheet",
]

#: The widgets' JavaScript and CSS files.
STATIC = pathlib.Path(__file__).parent / "static"

#: ipywidgets' own sizes (JupyterLab 4 defaults, in pixels), enlarged together for presenting.
WIDGET_CSS_SIZES = {
    "--jp-widgets-font-size": 13,
    "--jp-widgets-inline-height": 28,
    "--jp-widgets-inline-width": 300,
    "--jp-widgets-inline-width-short": 148,
    "--jp-widgets-inline-width-tiny": 72,
    "--jp-widgets-inline-label-width": 80,
    "--jp-widgets-inline-margin": 4,
    "--jp-widgets-slider-handle-size": 16,
    "--jp-widgets-slider-track-thickness": 4,
    "--jp-widgets-input-padding": 4,
}


def scale_css(css_class, scale):
    """CSS that enlarges every control inside ``.css_class`` by ``scale``, and nothing outside it.

    ipywidgets sizes its controls with CSS variables (``--jp-widgets-font-size``...);
    setting them on the widget's own class scales everything inside it. The
    status and arithmetic text (``.conv-lesson-text``) is 15/14 of the
    lesson's text (``--jp-content-font-size1``: 14 px, 17 px in JupyterLab's
    Presentation Mode) times ``scale``, so it is never smaller than the lesson.

    Parameters
    ----------
    css_class : str
    scale : float

    Returns
    -------
    str
        Style rules (no ``<style>`` tag).

    Examples
    --------
    >>> "--jp-widgets-font-size: 26.0px" in scale_css("big", 2)
    True
    """
    rules = "; ".join(f"{k}: {v * scale:.1f}px" for k, v in WIDGET_CSS_SIZES.items())
    # the text students read grows with the lesson's text (17 px in Presentation Mode) as well as with scale
    text = f"calc(var(--jp-content-font-size1, 14px) * {15 / 14 * scale:.4f})"
    return (
        f".{css_class} {{ {rules}; font-size: {13 * scale:.1f}px; }}\n"
        f".{css_class} .conv-lesson-text {{ font-size: {text}; }}\n"
        f".{css_class} .conv-lesson-error {{ font-size: {13 * scale:.1f}px; }}\n"
    )


def png_width(png):
    """The width in pixels of PNG bytes (from its header), or None for anything else.

    Examples
    --------
    >>> png_width(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(4) + b"IHDR" + (300).to_bytes(4, "big") + bytes(4))
    300
    >>> png_width(b"not a png") is None
    True
    """
    if len(png) < 24 or bytes(png[:8]) != b"\x89PNG\r\n\x1a\n" or bytes(png[12:16]) != b"IHDR":
        return None
    return struct.unpack(">I", bytes(png[16:20]))[0]


def error_html(exc, context=None):
    """A visible error box for a widget: what failed, why, and the traceback folded away.

    Parameters
    ----------
    exc : BaseException
    context : str, optional
        What was being done, e.g. ``"draw t = 2"``.

    Returns
    -------
    str

    Examples
    --------
    >>> "Could not draw" in error_html(ValueError("bad t"), "draw t = 2")
    True
    """
    what = f"<b>Could not {html.escape(context)}</b>: " if context else "<b>⚠</b> "
    details = html.escape("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return (
        '<div role="alert" style="color:#9a1c00;border:2px solid #d55e00;border-radius:4px;'
        'padding:0.3em 0.6em;background:#fff4ec;white-space:pre-wrap">'
        f"{what}<b>{html.escape(type(exc).__name__)}:</b> {html.escape(str(exc))}"
        f'<details><summary>details</summary><pre style="white-space:pre-wrap">{details}</pre></details>'
        "</div>"
    )


class ErrorBox:
    """Where a widget's callbacks report what failed: an HTML widget, hidden while all is well.

    Wrap every callback with :meth:`guard`; an exception is shown in the box
    (and kept in ``last_error``) instead of vanishing.

    Examples
    --------
    >>> box = ErrorBox()
    >>> box.guard(lambda: 1 / 0)()
    >>> type(box.last_error).__name__, box.widget.layout.display
    ('ZeroDivisionError', None)
    """

    def __init__(self):
        import ipywidgets

        self.widget = ipywidgets.HTML(value="", layout=ipywidgets.Layout(display="none"))
        self.widget.add_class("conv-lesson-error")
        self.last_error = None

    def show(self, exc, context=None):
        """Show ``exc`` in the box."""
        self.last_error = exc
        self.widget.value = error_html(exc, context)
        self.widget.layout.display = None

    def clear(self):
        """Hide the box (after a callback that worked)."""
        if self.widget.value:
            self.widget.value = ""
            self.widget.layout.display = "none"

    def guard(self, callback, context=None):
        """``callback`` wrapped so that an error is shown in the box, never raised."""

        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown in the widget, not lost
                self.show(exc, context)
                return None

        return wrapper


#: The line under a saved picture: what it shows, and how to get the live widget back.
RUN_NOTE = "▶ Run this cell to step through it: the picture above is the last step."


def static_html(png, alt, lines=(), note=RUN_NOTE, min_text_px=0.0, tables=""):
    """A saved picture as HTML: the image with its alt text, the lines under it, and a note.

    This is what a reader without a kernel or widget state sees (a saved
    notebook in JupyterLab, a static render such as nbconvert HTML or GitHub).

    Parameters
    ----------
    png : bytes
        The picture.
    alt : str
        Its text alternative.
    lines : sequence of str, default ()
        Text shown under it (status, arithmetic), one line each.
    note : str, default RUN_NOTE
        The last line; empty for none.
    min_text_px : float, default 0
        The picture's smallest text, in its pixels. A PNG is shown as the
        widgets show it: its width in units of the lesson's text (1em = the
        lesson's text size: ``width / 14`` em), and at least ``width /
        min_text_px`` em wide (it scrolls sideways rather than shrink its
        text below the lesson's); 0: no minimum.
    tables : str, default ''
        The picture's numbers as HTML tables, folded under "numbers as a table".

    Returns
    -------
    str

    Examples
    --------
    >>> html_text = static_html(b"png", "a grid", ["step 1 of 1"])
    >>> 'alt="a grid"' in html_text, "Run this cell" in html_text
    (True, True)
    >>> png = b"\\x89PNG\\r\\n\\x1a\\n" + bytes(4) + b"IHDR" + (700).to_bytes(4, "big") + bytes(4)
    >>> page = static_html(png, "a grid", min_text_px=17.5)
    >>> "width:50.000em" in page, "min-width:40.000em" in page
    (True, True)
    """
    if not isinstance(png, (bytes, bytearray)):
        raise TypeError(f"png must be bytes; got {type(png).__name__}")
    src = "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii")
    width = png_width(png)
    size = ""
    if width:  # 1em: the lesson's text size
        size = f"font-size:var(--jp-content-font-size1,{LESSON_TEXT_PX:g}px);width:{width / LESSON_TEXT_PX:.3f}em;"
        size += f"min-width:{width / min_text_px:.3f}em;" if min_text_px > 0 else ""
    text = "".join(f'<div class="conv-lesson-static-line">{html.escape(line)}</div>' for line in lines if line)
    note_html = f'<div class="conv-lesson-run-note"><i>{html.escape(note)}</i></div>' if note else ""
    if tables:
        text += f'<details class="conv-lesson-static-tables"><summary>numbers as a table</summary>{tables}</details>'
    return (
        # it may scroll sideways (never shrinking its text): focusable, so the keyboard can scroll it too
        '<figure class="conv-lesson-static" style="margin:0;max-width:100%;overflow-x:auto" tabindex="0">'
        f'<img src="{src}" alt="{html.escape(alt)}" style="{size}max-width:100%;height:auto">'
        f"<figcaption>{text}{note_html}</figcaption></figure>"
    )


class StaticPicture:
    """Mixin: display a widget with a saved picture (HTML) and a short text beside the live view.

    The display bundle carries, next to the widget view, ``text/html`` (see
    :func:`static_html`): the finished picture (``_static_png()``) with its
    alt text and the lines under it, and a note to run the cell; and a short
    ``text/plain``. JupyterLab shows the live widget; a saved notebook whose
    widget views were stripped (``tools/run_notebooks.py`` does) or a static
    render shows the HTML. nbval compares the text (the image is sanitized).
    (The site and slides show another form, which works with no kernel at
    all: :mod:`conv_lesson.publish.offline` makes it.)
    """

    def _static_text(self):
        return type(self).__name__

    def _static_png(self):
        return self.frame_png()

    def _static_alt(self):
        return self._static_text()

    def _static_lines(self):
        return []

    def _static_note(self):
        return RUN_NOTE

    def _static_tables(self):
        return ""

    def _static_min_text_px(self):
        """The saved picture's smallest text, in its pixels (0: unknown)."""
        return 0.0

    def __repr__(self):
        return self._static_text()

    def saved_picture_html(self, note=RUN_NOTE):
        """The saved picture as HTML (see :func:`static_html`): the finished state, its text and ``note``.

        Parameters
        ----------
        note : str, default RUN_NOTE

        Returns
        -------
        str

        Examples
        --------
        >>> from conv_lesson import slide_1d
        >>> "<img" in slide_1d().saved_picture_html()
        True
        """
        if not isinstance(note, str):
            raise TypeError(f"note must be a str; got {type(note).__name__}")
        return static_html(self._static_png(), self._static_alt(), self._static_lines(), note,
                           self._static_min_text_px(), self._static_tables())  # fmt: skip

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle or {})
        bundle["text/plain"] = self._static_text()
        try:
            bundle["text/html"] = self.saved_picture_html(self._static_note())
        except Exception:  # noqa: BLE001 - the live view still shows; never break display
            pass
        return bundle


def stylesheet(name):
    """The CSS of one of our anywidgets: ``static/focus.css`` (one focus ring for every control) and ``name``.

    Every anywidget of the package loads this, so the focus ring is there in JupyterLab, Voilà and the
    offline pages whichever widgets a lesson shows, and is written once.

    Parameters
    ----------
    name : str
        A file in ``static/``.

    Returns
    -------
    str

    Examples
    --------
    >>> css = stylesheet("slider.css")
    >>> css.index(":focus-visible") < css.index(".conv-lesson-slider {")
    True
    """
    return (STATIC / "focus.css").read_text() + (STATIC / name).read_text()
