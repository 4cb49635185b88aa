"""The offline web site of the lessons: an index page and one page per lesson, nothing fetched.

Every lesson is executed fresh for publishing (see :mod:`.execute`), turned
into HTML by nbconvert with this package's template (local scripts, a
navigation bar, solutions folded), and written with the vendored assets
(:mod:`.assets`) beside it.
"""

from __future__ import annotations

import html
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .assets import SITE_ASSETS, copy_assets
from .execute import drop_defaults, execute_lesson, prune_widget_state

__all__ = ["TEMPLATES", "STATIC", "lesson_paths", "lesson_title", "exporter", "relink", "build_site"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
ASSET_DIR = "assets"
#: nbconvert's JupyterLab style sheet, written once into the assets.
LAB_CSS = "jupyterlab.css"
_LESSON_LINK = re.compile(r'href="(\d\d_[^"/]+)\.ipynb(#[^"]*)?"')
_README_LINK = re.compile(r'href="README\.md(#[^"]*)?"')


def lesson_paths(notebooks):
    """The lessons in ``notebooks``: every ``NN_*.ipynb``, in order.

    Parameters
    ----------
    notebooks : str or os.PathLike
        A folder.

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> [p.name for p in lesson_paths("notebooks")][:1]
    ['01_what_is_a_convolution.ipynb']
    """
    folder = Path(notebooks)
    if not folder.is_dir():
        raise FileNotFoundError(f"notebooks must be a folder of lessons; got {str(folder)!r}")
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def lesson_title(nb, fallback):
    """The text of the notebook's first heading (or ``fallback``).

    Parameters
    ----------
    nb : nbformat.NotebookNode
    fallback : str

    Returns
    -------
    str

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 3. Stride\\ntext")])
    >>> lesson_title(nb, "03_stride")
    '3. Stride'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s+(.+)$", cell.source, re.M)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def exporter(kind="page", assets=ASSET_DIR):
    """An nbconvert exporter whose pages load everything from ``assets`` (a relative URL).

    Parameters
    ----------
    kind : {'page', 'slides'}
    assets : str, default 'assets'

    Returns
    -------
    nbconvert.HTMLExporter or nbconvert.SlidesExporter

    Examples
    --------
    >>> exporter().mathjax_url
    'assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe'
    """
    from nbconvert import HTMLExporter, SlidesExporter

    if kind not in ("page", "slides"):
        raise ValueError(f"kind must be 'page' or 'slides'; got {kind!r}")
    cls, template = (HTMLExporter, "conv_lesson_page") if kind == "page" else (SlidesExporter, "conv_lesson_slides")
    exp = cls(template_name=template, extra_template_basedirs=[str(TEMPLATES)], extra_template_paths=[str(TEMPLATES)])
    exp.require_js_url = f"{assets}/requirejs/require.js"
    exp.mathjax_url = f"{assets}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    exp.widget_renderer_url = f"{assets}/html-manager/dist/embed-amd.js"
    if kind == "slides":
        exp.reveal_url_prefix = f"{assets}/reveal"
        exp.reveal_theme = "white"
        exp.reveal_scroll = True
        exp.reveal_width, exp.reveal_height = "1280", "720"  # a 16:9 projector; reveal scales it up
        exp.jquery_url = f"{assets}/jquery/dist/jquery.min.js"
    return exp


def write_lab_css(exp, dest):
    """Write nbconvert's JupyterLab style sheet (light theme) once to ``dest``; return its size in bytes.

    nbconvert inlines these 250 KB in every page; the site's pages link to
    one shared copy instead.

    Parameters
    ----------
    exp : nbconvert.TemplateExporter
        An exporter of :func:`exporter` (its template paths hold the files).
    dest : str or os.PathLike
        The file to write.

    Returns
    -------
    int

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_lab_css(exporter(), os.path.join(tmp, "lab.css")) > 100_000
    True
    """
    _ = exp.template  # resolves the template paths
    for base in map(Path, exp.template_paths):
        if (base / "static" / "index.css").is_file() and (base / "static" / "theme-light.css").is_file():
            css = (base / "static" / "index.css").read_text() + (base / "static" / "theme-light.css").read_text()
            Path(dest).write_text(css, encoding="utf-8")
            return len(css.encode("utf-8"))
    raise FileNotFoundError(f"nbconvert's lab/static/index.css is not in {exp.template_paths}")


def relink(body, suffix=".html", index=None):
    """``body`` with every link to a lesson notebook (``NN_topic.ipynb``) pointing at its page instead.

    Parameters
    ----------
    body : str
        HTML.
    suffix : str, default '.html'
        What replaces ``.ipynb`` (``.slides.html`` for decks).
    index : str, optional
        Where a link to the list of lessons (``README.md`` beside them) points
        instead (the site's ``index.html``); left as it is when not given.

    Returns
    -------
    str

    Examples
    --------
    >>> relink('<a href="03_stride.ipynb#top">next</a>')
    '<a href="03_stride.html#top">next</a>'
    >>> relink('<a href="README.md">the list of lessons</a>', index="index.html")
    '<a href="index.html">the list of lessons</a>'
    """
    if not isinstance(body, str):
        raise TypeError(f"body must be a str; got {type(body).__name__}")
    if index is not None and not isinstance(index, str):
        raise TypeError(f"index must be a str or None; got {type(index).__name__}")
    body = _LESSON_LINK.sub(lambda m: f'href="{m.group(1)}{suffix}{m.group(2) or ""}"', body)
    return body if index is None else _README_LINK.sub(lambda m: f'href="{index}{m.group(1) or ""}"', body)


def run_lesson(path):
    """Execute one lesson for publishing; return ``(notebook, seconds)`` (runs in a worker process)."""
    t0 = time.perf_counter()
    nb = execute_lesson(path)
    prune_widget_state(nb)
    drop_defaults(nb)
    return nb, time.perf_counter() - t0


def _index_html(entries):
    items = "\n".join(f'<li><a href="{html.escape(page)}">{html.escape(title)}</a></li>' for page, title in entries)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        "<title>What is a convolution? The lessons</title>\n"
        f'<link rel="stylesheet" href="{ASSET_DIR}/conv_lesson.css">\n'
        '</head><body class="conv-lesson-index-page"><main>\n<h1>What is a convolution?</h1>\n'
        "<p>Interactive lessons on convolution in deep learning. Every stepper and slider works in this page, "
        "with no Python; to change what is computed (your own detector, your own picture), open the lessons "
        "in JupyterLab.</p>\n"
        f'<ol class="conv-lesson-lessons">\n{items}\n</ol>\n</main></body></html>\n'
    )


def build_site(out, notebooks="notebooks", *, jobs=2, lessons=None):
    """Execute every lesson and write the offline site: ``index.html``, one page per lesson, ``assets/``.

    Parameters
    ----------
    out : str or os.PathLike
        The folder to write (created; pages and assets in it are replaced).
    notebooks : str or os.PathLike, default 'notebooks'
        Where the lessons are.
    jobs : int, default 2
        Lessons executed at once (one kernel each).
    lessons : list of str, optional
        Only these lessons (their numbers, e.g. ``["02"]``); the index lists those.

    Returns
    -------
    dict
        ``pages``: ``{file name: bytes}``, ``assets``: bytes of assets,
        ``seconds``: the whole build, ``run_seconds``: ``{file name: seconds}``.

    Examples
    --------
    >>> build_site("site", jobs=0)
    Traceback (most recent call last):
    ...
    ValueError: jobs must be an int >= 1; got 0
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be an int >= 1; got {jobs!r}")
    t0 = time.perf_counter()
    paths = lesson_paths(notebooks)
    if lessons is not None:
        paths = [p for p in paths if p.name[:2] in {str(n).zfill(2) for n in lessons}]
        if not paths:
            raise ValueError(f"lessons must name lessons in {notebooks}; got {lessons!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    asset_bytes = copy_assets(out / ASSET_DIR, SITE_ASSETS)
    shutil.copyfile(STATIC / "conv_lesson.css", out / ASSET_DIR / "conv_lesson.css")
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        runs = list(pool.map(run_lesson, paths))
    titles = [lesson_title(nb, p.stem) for p, (nb, _) in zip(paths, runs)]
    pages = [p.stem + ".html" for p in paths]
    exp = exporter("page")
    css_bytes = write_lab_css(exp, out / ASSET_DIR / LAB_CSS)
    report = {"pages": {}, "run_seconds": {}}
    for i, (nb, seconds) in enumerate(runs):
        conv = {"assets": ASSET_DIR, "prev_url": pages[i - 1] if i else "", "prev_title": titles[i - 1] if i else ""}
        last = i == len(paths) - 1
        conv.update(next_url="" if last else pages[i + 1], next_title="" if last else titles[i + 1])
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": titles[i]}, "conv": conv})
        body = relink(body, index="index.html")
        (out / pages[i]).write_text(body, encoding="utf-8")
        report["pages"][pages[i]] = len(body.encode("utf-8"))
        report["run_seconds"][pages[i]] = seconds
    (out / "index.html").write_text(_index_html(list(zip(pages, titles))), encoding="utf-8")
    report["assets"] = asset_bytes + css_bytes + (STATIC / "conv_lesson.css").stat().st_size
    report["seconds"] = time.perf_counter() - t0
    return report
