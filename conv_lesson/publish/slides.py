"""A lesson as reveal.js slides for the instructor, offline like the site.

The slide types are set by a rule when the deck is made, not stored in the
lessons: a heading starts a slide, a stepper or ``slide_1d`` cell gets a slide
of its own (and so does the cell after it), solutions are left out, and every
other cell continues the slide before it.
"""

from __future__ import annotations

import copy
import re
import shutil
import time
from pathlib import Path

from .assets import SLIDES_ASSETS, copy_assets
from .execute import drop_defaults, execute_lesson, prune_widget_state
from .site import ASSET_DIR, STATIC, exporter, lesson_paths, lesson_title, relink

__all__ = ["INTERACTIVE", "slide_types", "find_lesson", "build_slides"]

#: A code cell whose output is an interactive figure (it gets a slide of its own).
INTERACTIVE = re.compile(r"^\s*(stepper|slide_1d)\(", re.M)
_HEADING = re.compile(r"^\s*#{1,3}\s")


def slide_types(nb):
    """A copy of ``nb`` with every cell's ``slideshow.slide_type`` set by the deck's rule.

    Parameters
    ----------
    nb : nbformat.NotebookNode

    Returns
    -------
    nbformat.NotebookNode

    Examples
    --------
    >>> import nbformat
    >>> v4 = nbformat.v4
    >>> nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Title"), v4.new_code_cell("x = 1"),
    ...     v4.new_code_cell("stepper(a, b)"), v4.new_markdown_cell("What happened?")])
    >>> [c.metadata.slideshow.slide_type for c in slide_types(nb).cells]
    ['slide', '-', 'slide', 'slide']
    """
    if not hasattr(nb, "cells"):
        raise TypeError(f"nb must be a notebook (nbformat.NotebookNode); got {type(nb).__name__}")
    deck = copy.deepcopy(nb)
    after_figure = False
    for cell in deck.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            kind = "skip"
        elif cell.cell_type == "markdown" and _HEADING.match(cell.source):
            kind = "slide"
        elif cell.cell_type == "code" and INTERACTIVE.search(cell.source):
            kind = "slide"
        else:
            kind = "slide" if after_figure else "-"
        after_figure = cell.cell_type == "code" and bool(INTERACTIVE.search(cell.source))
        cell.metadata["slideshow"] = {"slide_type": kind}
    return deck


def find_lesson(number, notebooks="notebooks"):
    """The lesson ``NN_*.ipynb`` with this number.

    Parameters
    ----------
    number : int or str
        ``2``, ``"2"`` or ``"02"``.
    notebooks : str or os.PathLike, default 'notebooks'

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> find_lesson("3").name
    '03_stride.ipynb'
    """
    text = str(number).strip()
    if not text.isdigit():
        raise ValueError(f"number must be a lesson number such as 02; got {number!r}")
    for path in lesson_paths(notebooks):
        if int(path.name[:2]) == int(text):
            return path
    raise ValueError(f"number must be one of the lessons in {notebooks}; got {number!r}")


def build_slides(number, out, notebooks="notebooks"):
    """Execute lesson ``number`` and write it as offline reveal.js slides in ``out``.

    Parameters
    ----------
    number : int or str
        The lesson, e.g. ``"02"``.
    out : str or os.PathLike
        The folder to write: ``NN_topic.slides.html`` and ``assets/``.
    notebooks : str or os.PathLike, default 'notebooks'

    Returns
    -------
    dict
        ``page``: the deck's path, ``bytes``: its size, ``assets``: bytes of
        assets, ``seconds``: the whole build.

    Examples
    --------
    >>> build_slides("99", "deck")
    Traceback (most recent call last):
    ...
    ValueError: number must be one of the lessons in notebooks; got '99'
    """
    t0 = time.perf_counter()
    path = find_lesson(number, notebooks)
    out = Path(out)
    nb = execute_lesson(path)
    prune_widget_state(nb)
    drop_defaults(nb)
    out.mkdir(parents=True, exist_ok=True)
    asset_bytes = copy_assets(out / ASSET_DIR, SLIDES_ASSETS)
    shutil.copyfile(STATIC / "conv_lesson.css", out / ASSET_DIR / "conv_lesson.css")
    title = lesson_title(nb, path.stem)
    body, _ = exporter("slides").from_notebook_node(
        slide_types(nb), resources={"metadata": {"name": title}, "conv": {"assets": ASSET_DIR}}
    )
    page = out / f"{path.stem}.slides.html"
    page.write_text(relink(body, ".slides.html"), encoding="utf-8")
    size = len(body.encode("utf-8"))
    return {"page": page, "bytes": size, "assets": asset_bytes, "seconds": time.perf_counter() - t0}
