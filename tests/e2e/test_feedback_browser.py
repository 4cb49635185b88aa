"""A check's verdict in JupyterLab, as a student sees it: set apart from other output, Correct and Not yet
told apart by an icon and a word (not colour alone), wrapping between words, said by a screen reader
(``role="status"``), and the same words as the plain text nbgrader and the tests read.

One small notebook (written here, not a lesson): a right answer, a wrong one (the "stride halves the
map" mistake) and none yet, to ``check_stride_and_padding``.
"""

from __future__ import annotations

import jupyter_browser as jb
import pytest

pytestmark = [pytest.mark.timeout(300)]

NOTEBOOK = "e2e_feedback.ipynb"
CELLS = [
    ("markdown", "# Verdicts\nDriven by tests/e2e/test_feedback_browser.py."),
    ("code", "from conv_lesson.exercises import check_stride_and_padding"),
    ("code", "check_stride_and_padding(64, 3, 16, (4, 0))"),
    ("code", "check_stride_and_padding(32, 3, 16, (2, 0))"),
    ("code", "check_stride_and_padding(64, 3, 16, ...)"),
]
#: What each verdict cell shows: (its kind, its icon, its word). The icons differ as well as the words.
EXPECTED = {2: ("correct", "\u2714", "Correct"), 3: ("not-yet", "\u2718", "Not yet"),
            4: ("not-answered", "\u270e", "Not answered yet")}  # fmt: skip

_JS_VERDICT = """(i) => { const cell = window.jupyterapp.shell.currentWidget.content.widgets[i];
  const box = cell.node.querySelector('.jp-OutputArea .conv-lesson-feedback');
  const out = cell.model.outputs.get(0);
  if (!box) return {missing: true, plain: out ? out.data['text/plain'] : null};
  const icon = box.querySelector('.conv-lesson-feedback-icon'), s = getComputedStyle(box);
  return {cls: box.className, role: box.getAttribute('role'), iconHidden: icon.getAttribute('aria-hidden'),
          icon: icon.textContent, word: box.querySelector('strong').textContent,
          said: box.innerText.replace(icon.innerText, '').replace(/\\s+/g, ' ').trim(),
          whiteSpace: s.whiteSpace, wordBreak: s.wordBreak, overflowWrap: s.overflowWrap,
          plain: String(out.data['text/plain']), mono: s.fontFamily.includes('monospace')}; }"""


@pytest.fixture(scope="module")
def verdicts(browser, lab_server):
    context, page, console, path = jb.new_notebook_page(browser, lab_server, NOTEBOOK, CELLS)
    try:
        problems = jb.run_notebook(page, lab_server, path, console)
        assert problems == [], "\n".join(problems)
        found = {i: page.evaluate(_JS_VERDICT, i) for i in EXPECTED}
        jb.screenshot(page, "feedback-verdicts")
    finally:
        context.close()
        lab_server.shutdown_all_sessions()
    return found


@pytest.mark.parametrize("cell", sorted(EXPECTED))
def test_a_verdict_is_set_apart_by_icon_and_word_and_reads_as_its_plain_text(verdicts, cell):
    kind, icon, word = EXPECTED[cell]
    v = verdicts[cell]
    assert not v.get("missing"), f"cell {cell} shows no verdict box; its text: {v.get('plain')!r}"
    assert f"conv-lesson-feedback-{kind}" in v["cls"].split()
    assert v["icon"] == icon and v["iconHidden"] == "true"
    assert v["word"] == word and v["plain"].startswith(word)
    assert v["said"] == v["plain"].strip(), (v["said"], v["plain"])  # the same words, seen and read
    assert v["role"] == "status"  # a screen reader says it when it appears
    assert (v["whiteSpace"], v["wordBreak"], v["overflowWrap"]) == ("normal", "normal", "normal")
    assert not v["mono"], "a verdict in the code font reads as any other output"


def test_the_stride_halves_the_map_mistake_gets_its_own_hint(verdicts):
    assert "does not cut 32 cells to 32 / 2" in verdicts[3]["plain"], verdicts[3]["plain"]
