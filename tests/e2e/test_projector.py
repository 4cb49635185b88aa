"""For a projector: every text a student reads is at least the lesson's text size, nothing cut off.

A notebook written here shows the seed stepper at presenter scales 1, 1.6 and 2, lesson
05's colour stepper (the longest arithmetic) at 1.6, and lesson 04's gallery at 1, 1.6 and
2, in JupyterLab at 1280x720, in three layouts: as opened (file browser open), with the
side panels collapsed (a presenter), and in Presentation Mode
(``application:toggle-presentation-mode``: lesson text 17 px instead of 14, wider prompts).

In each layout and for each picture:

* the lesson's text size is measured (a markdown paragraph's computed font size);
* the smallest text of the picture on screen is ``smallest_text_px(figure)`` (the kernel
  knows each text's points and the figure's dpi: pixels of the picture) times the
  picture's displayed width over its natural width (measured in the browser); it must be
  at least the lesson's text size, and so must the status and arithmetic text;
* nothing is clipped: no text with ``scrollWidth > clientWidth``, no picture or text
  outside an ancestor that hides or scrolls its overflow (only the package's own picture
  box may scroll sideways: the picture is never shown narrower than its text allows);
* entering Presentation Mode does not make a picture narrower (unless it already takes the
  whole width of its output area, which Presentation Mode's wider prompts make narrower).

Screenshots: ``build/screenshots/projector_<layout>_<picture>.png`` and
``projector_<layout>.png``. The sizes are printed (``-s`` shows them).
"""

from __future__ import annotations

import json

import jupyter_browser as jb
import pytest

pytestmark = [pytest.mark.timeout(600)]

NOTEBOOK = "e2e_projector.ipynb"
LESSON_TEXT = (
    "# For a projector\n\nThis paragraph is the lesson's text: every word and number in a picture below must be "
    "at least this large on screen, at every presenter scale."
)
SETUP = """%matplotlib inline
import json
import numpy as np
from conv_lesson import face_detector, face_image, feature_map_gallery, photo, stepper
from conv_lesson.draw import smallest_text_px
small = np.round(photo(6, grayscale=False), 1)  # lesson 05: the longest arithmetic
redder = np.zeros((3, 3, 3))
redder[:, :, 0] = 1
redder[:, :, 2] = -1
picture = photo(128)
names = ["vertical_edges", "horizontal_edges", "outline", "sharpen", "gaussian_blur", "emboss"]
figures = {}"""
#: (name, code making the picture); the stepper's figure is ``.figure``, the gallery is one
PICTURES = [
    ("stepper-1", "stepper(face_image(), face_detector(), scale=1)"),
    ("stepper-1.6", "stepper(face_image(), face_detector(), scale=1.6)"),
    ("stepper-2", "stepper(face_image(), face_detector(), scale=2)"),
    ("colour-1.6", "stepper(small, redder, scale=1.6)"),
    ("gallery-1", "feature_map_gallery(picture, names, padding=0, scale=1)"),
    ("gallery-1.6", "feature_map_gallery(picture, names, padding=0, scale=1.6)"),
    ("gallery-2", "feature_map_gallery(picture, names, padding=0, scale=2)"),
]
REPORT = "print(json.dumps({name: smallest_text_px(getattr(f, 'figure', f)) for name, f in figures.items()}))"
CELLS = (
    [("markdown", LESSON_TEXT), ("code", SETUP)]
    + [("code", f"w = {code}\nfigures[{name!r}] = w\nw") for name, code in PICTURES]
    + [("code", REPORT)]
)
FIRST_PICTURE_CELL = 2
LAYOUTS = ("lab", "collapsed", "presentation")

#: Measured in the page for one cell's output: the lesson text, the picture, the text under it.
_JS_MEASURE = """
(node, markdown) => {
  function clipped(el, scrolls = false) {
    if (!scrolls && el.scrollWidth > el.clientWidth + 1)
      return `scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`;
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === 'visible') continue;
      // the package's own picture box may scroll sideways (its text then stays readable)
      if (a.matches('.conv-lesson-figure, .conv-lesson-gallery') && overflow !== 'hidden') return clipped(a, true);
      const b = a.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1)
        return `${a.className} (${b.left.toFixed(0)}..${b.right.toFixed(0)}) clips ${el.className} `
               + `(${r.left.toFixed(0)}..${r.right.toFixed(0)})`;
      if (a.classList.contains('jp-WindowedPanel-outer')) break;
    }
    return '';
  }
  function room(img, box) {  // from the picture's left edge to the output's right edge, inside its padding
    return box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight)
           - img.getBoundingClientRect().left;
  }
  const out = node.querySelector('.jp-Cell-outputWrapper');
  const img = out.querySelector('img');
  const texts = [...out.querySelectorAll('.conv-lesson-status, .conv-lesson-arithmetic')];
  const p = markdown.querySelector('.jp-RenderedMarkdown p');
  return {
    lesson: parseFloat(getComputedStyle(p).fontSize),
    width: img.getBoundingClientRect().width,
    room: room(img, out.querySelector('.jp-OutputArea-output').firstElementChild),
    natural: img.naturalWidth,
    imgClipped: clipped(img),
    texts: texts.map(t => ({cls: t.className, font: parseFloat(getComputedStyle(t).fontSize),
                            clipped: clipped(t), text: t.textContent.slice(0, 40)})),
  };
}
"""


@pytest.fixture(scope="module")
def projector(browser, lab_server):
    """The notebook run once; yields (page, smallest text px of each figure from the kernel)."""
    context, page, console, path = jb.new_notebook_page(browser, lab_server, NOTEBOOK, CELLS)
    try:
        problems = jb.run_notebook(page, lab_server, path, console, timeout=240_000)
        assert problems == [], "\n".join(problems)
        outputs = jb.notebook_state(page)["cells"][-1]["outputs"]
        printed = "".join("".join(o.get("text") or "") for o in outputs if o.get("name") == "stdout")
        sizes = json.loads(printed)
        page.evaluate(
            "([first, names]) => { const cells = window.jupyterapp.shell.currentWidget.content.widgets;"
            " cells[0].node.dataset.projector = 'lesson';"
            " names.forEach((n, i) => { cells[first + i].node.dataset.projector = n; }); }",
            [FIRST_PICTURE_CELL, [name for name, _ in PICTURES]],
        )
        yield page, sizes
    finally:
        context.close()
        lab_server.shutdown_all_sessions()


def _layout(page, layout):
    jb.set_presentation_mode(page, layout == "presentation", collapse_sidebars=layout != "lab")
    if layout == "lab":
        page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
        page.wait_for_function("() => !window.jupyterapp.shell.leftCollapsed")
        jb.wait_stable(page, "#main", in_view=False)


def _measure(page, layout, sizes):
    """Every picture's numbers in ``layout``, screenshots saved."""
    _layout(page, layout)
    lesson = page.locator('[data-projector="lesson"]')
    rows = {}
    for name, _ in PICTURES:
        cell = page.locator(f'[data-projector="{name}"]')
        cell.scroll_into_view_if_needed()
        jb.wait_stable(page, cell.locator(".jp-Cell-outputWrapper img").first)
        row = cell.element_handle().evaluate(_JS_MEASURE, lesson.element_handle())
        row["on_screen"] = sizes[name] * row["width"] / row["natural"]
        rows[name] = row
        jb.screenshot(page, f"projector_{layout}_{name}", locator=cell.locator(".jp-Cell-outputWrapper"))
        if name == "stepper-1.6":
            jb.screenshot(page, f"projector_{layout}")
    for name, r in rows.items():
        fonts = ", ".join(f"{t['font']:.1f}" for t in r["texts"])
        picture = f"picture {r['width']:.0f}/{r['natural']} px (room {r['room']:.0f})"
        print(f"{layout:12s} {name:12s} lesson {r['lesson']:.1f} px | {picture}, smallest text {r['on_screen']:.1f} px"
              f" | status/arithmetic {fonts or '-'} px")  # fmt: skip
    return rows


def _problems(layout, rows):
    found = []
    for name, r in rows.items():
        if r["on_screen"] < r["lesson"] - 0.05:
            found.append(f"{layout} {name}: picture text {r['on_screen']:.1f} px < lesson text {r['lesson']:.1f} px")
        if r["imgClipped"]:
            found.append(f"{layout} {name}: the picture is cut off: {r['imgClipped']}")
        for t in r["texts"]:
            if t["font"] < r["lesson"] - 0.05:
                found.append(f"{layout} {name}: {t['cls']} {t['font']:.1f} px < lesson text {r['lesson']:.1f} px")
            if t["clipped"]:
                found.append(f"{layout} {name}: {t['cls']} ({t['text']!r}...) is cut off: {t['clipped']}")
    return found


def test_text_readable_and_nothing_cut_off_in_every_layout(projector):
    page, sizes = projector
    print(f"\nsmallest text of each figure, in its own pixels: {sizes}")
    measured = {layout: _measure(page, layout, sizes) for layout in LAYOUTS}
    jb.set_presentation_mode(page, False)
    problems = [p for layout in LAYOUTS for p in _problems(layout, measured[layout])]
    # Presentation Mode enlarges the lesson's text: the pictures must not shrink meanwhile
    for name, _ in PICTURES:
        before, after = measured["collapsed"][name]["width"], measured["presentation"][name]["width"]
        room = measured["presentation"][name]["room"]  # Presentation Mode's wider prompts leave less
        if after < min(before, room) - 1:
            problems.append(f"{name}: narrower in Presentation Mode ({before:.0f} -> {after:.0f} px)")
    assert measured["presentation"]["stepper-1"]["lesson"] > measured["collapsed"]["stepper-1"]["lesson"]
    assert problems == [], "\n".join(problems)
