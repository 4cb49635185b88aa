"""A check's verdict as a person sees it and as a machine reads it.

The plain-text form is the message itself, word for word (what nbgrader, the tests and a
terminal read); the HTML form sets the verdict apart from the cell's other output: an icon and
the verdict's word as well as a colour, text that wraps between words, and ``role="status"``
so that a screen reader says it when it appears.
"""

from __future__ import annotations

import html

__all__ = ["Feedback", "VERDICT_STYLES"]

#: For each kind of verdict: its icon (hidden from screen readers: the word says it), its border,
#: background and word colours (the word at least 6:1 on the background, the text #1f2328).
VERDICT_STYLES = {
    "correct": ("\u2714", "#1a7f37", "#eaf6ec", "#14632b"),
    "not yet": ("\u2718", "#b35900", "#fff4e5", "#8a4500"),
    "not answered": ("\u270e", "#6b6b6b", "#f3f3f3", "#3d3d3d"),
}


class Feedback:
    """The verdict of one check: ``Correct: ...``, ``Not yet: ...`` or ``Not answered yet: ...``.

    Parameters
    ----------
    message : str
        The verdict, starting with its word and a colon.

    Examples
    --------
    >>> fb = Feedback("Not yet: floor((32 − 3) / 2) + 1 = 15, not 16.")
    >>> fb.kind, fb.word
    ('not yet', 'Not yet')
    >>> repr(fb) == fb.message == str(fb)
    True
    >>> 'role="status"' in fb._repr_html_() and "\u2718" in fb._repr_html_()
    True
    """

    def __init__(self, message):
        if not isinstance(message, str):
            raise TypeError(f"message must be a str; got {type(message).__name__}")
        self.message = message

    @property
    def word(self):
        """The verdict's word: the message up to its first colon."""
        return self.message.split(":", 1)[0].strip()

    @property
    def kind(self):
        """``'correct'``, ``'not yet'`` or ``'not answered'``."""
        word = self.word.lower()
        return "correct" if word.startswith("correct") else "not answered" if "answered" in word else "not yet"

    def __repr__(self):
        return self.message

    __str__ = __repr__

    def _repr_html_(self):
        icon, border, background, ink = VERDICT_STYLES[self.kind]
        rest = self.message.split(":", 1)[1].strip() if ":" in self.message else ""
        box = (
            f"display:flex;gap:0.55em;align-items:baseline;max-width:62em;margin:0.3em 0;padding:0.45em 0.75em;"
            f"border-left:5px solid {border};background:{background};color:#1f2328;white-space:normal;"
            "overflow-wrap:normal;word-break:normal;line-height:1.5;"
            "font-family:var(--jp-content-font-family,system-ui,sans-serif);font-size:var(--jp-content-font-size1,14px)"
        )
        return (
            f'<div class="conv-lesson-feedback conv-lesson-feedback-{self.kind.replace(" ", "-")}" role="status" '
            f'style="{box}"><span class="conv-lesson-feedback-icon" aria-hidden="true" '
            f'style="color:{ink};font-weight:700">{icon}</span><span><strong style="color:{ink}">'
            f"{html.escape(self.word)}</strong>{': ' + html.escape(rest) if rest else ''}</span></div>"
        )
