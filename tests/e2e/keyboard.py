"""The keyboard alone, in Chromium: Tab through a page or a part of it and read what a person sees.

WCAG 2.1: every control is reached (2.1.1), in an order that follows the page (2.4.3), with a focus
indicator one can see (2.4.7: here at least 2 CSS px wide and 3:1 against what is behind it, 1.4.11),
and Tab leaves every widget (2.1.2, no keyboard trap). Used by the site, lesson and stepper tests.

A page at 320 CSS px wide, or zoomed to 200 %, reflows (1.4.10): nothing to scroll sideways but a
picture, code or an array inside a region of its own that the keyboard reaches, and no text cut off.
"""

from __future__ import annotations

import re

#: What the element with the keyboard focus shows: its ring, what is behind it, where it is.
_JS_FOCUSED = """(root) => { const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  const bg = (e) => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  if (!el.dataset.kb) el.dataset.kb = String(document.querySelectorAll('[data-kb]').length);
  return {kb: el.dataset.kb, inside: root ? root.contains(el) : true,
          cls: String((el.closest('.conv-lesson-slider') || el).className), tag: el.tagName,
          name: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
          background: bg(el.parentElement),
          // where it is on the page, or in root (JupyterLab scrolls its panel, not the window, to the focus)
          x: r.left - (root ? root.getBoundingClientRect().left : -scrollX),
          y: r.top - (root ? root.getBoundingClientRect().top : -scrollY), w: r.width, h: r.height}; }"""

#: Every control a person can operate in ``root`` (or the page), visible, not disabled.
_JS_CONTROLS = """(root) => [...(root || document).querySelectorAll(
    'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]')]
  .filter((e) => !e.disabled && e.getAttribute('tabindex') !== '-1' && e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden')
  .map((e) => ({kb: e.dataset.kb || null, tag: e.tagName, cls: String(e.className).slice(0, 60),
                name: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40)}))"""


#: Resolves once MathJax (2, on the site's pages) has typeset the page: it replaces the formulas it
#: typesets, and a formula holding the focus would drop it.
JS_TYPESET = """() => !window.MathJax || !MathJax.Hub ? true
  : new Promise((done) => MathJax.Hub.Queue(() => done(true)))"""


def contrast(a: str, b: str) -> float:
    """WCAG contrast of two CSS ``rgb()``/``rgba()`` colours."""

    def luminance(css):
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css)[:3])
        f = lambda c: c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def controls(page, root=None) -> list[dict]:
    """The controls a person can operate in ``root`` (an ElementHandle) or the whole page."""
    return page.evaluate(_JS_CONTROLS, root)


def focused(page, root=None) -> dict | None:
    """What has the keyboard focus (None: the page itself); ``inside``: whether it is in ``root``."""
    return page.evaluate(_JS_FOCUSED, root)


#: Records what each focus change focused (as :data:`_JS_FOCUSED` reads it) into ``window.__kbWalk``.
_JS_RECORD = (
    "(root) => { window.__kbWalk = []; window.__kbRoot = root; if (!window.__kbRecording) {"
    " window.__kbRecording = true; const read = " + _JS_FOCUSED + ";"
    " document.addEventListener('focusin', () => window.__kbWalk.push(read(window.__kbRoot)), true); } }"
)


def tab_through(page, root=None, limit: int = 400, stops: int | None = None) -> list[dict]:
    """Press Tab from where the focus is until it leaves ``root`` (or, without one, the page).

    Returns what each press focused, in order (each as :func:`focused` reads it). Raises
    AssertionError when ``limit`` presses never got out: a keyboard trap. With ``stops`` (how many
    Tab stops the caller expects before the focus leaves) the first ``stops + 1`` presses go in one
    run, what they focused recorded in the page as it happened, and read once: the same walk with
    one round trip a press instead of two; then, if the focus is still inside, on one by one.
    """
    seen = []

    def out(now):
        """Whether ``now`` is out of ``root``, off the page, or back at the start: the walk is over."""
        return now is None or not now["inside"] or bool(seen and now["kb"] == seen[0]["kb"])

    def take(now):
        """Add ``now`` to the walk; False when the walk is over."""
        if out(now):
            return False
        seen.append(now)
        return True

    presses = 0
    if stops is not None:
        page.evaluate(_JS_RECORD, root)
        for _ in range(stops + 1):
            page.keyboard.press("Tab")
        presses = stops + 1
        for now in page.evaluate("() => window.__kbWalk"):
            if not take(now):
                return seen
        if out(focused(page, root)):  # (the focus now is the last one recorded: already taken)
            return seen
    for _ in range(limit - presses):
        page.keyboard.press("Tab")
        if not take(focused(page, root)):
            return seen
    raise AssertionError(f"Tab never left after {limit} presses: a keyboard trap? last: {seen[-3:]}")


_JS_FOCUS_FIRST = """(root) => { const first = [...root.querySelectorAll(
    'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]')]
  .find((e) => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0);
  if (!first) return false; first.focus(); return true; }"""


def walk_into(page, root, limit: int = 200) -> dict:
    """Tab through one widget output ``root`` (an ElementHandle) from its first control, and out.

    The first control gets the focus from a script, then Tab and Shift+Tab bring it back by the
    keyboard (so its ring shows as a keyboard user sees it). Returns ``{"walk": [...], "missed": [...]}``:
    what Tab focused in order (:func:`tab_through`), and the controls in ``root`` it never reached.
    """
    if not page.evaluate(_JS_FOCUS_FIRST, root):
        return {"walk": [], "missed": []}
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    first = focused(page, root)
    if first is None or not first["inside"]:  # one control only, and Shift+Tab did not come back to it
        page.evaluate(_JS_FOCUS_FIRST, root)
        first = focused(page, root)
    walk = [first] + tab_through(page, root, limit, stops=len(controls(page, root)) - 1)
    return {"walk": walk, "missed": [c for c in controls(page, root) if c["kb"] is None]}


def ring_problems(walk: list[dict]) -> list[str]:
    """Each focused element whose focus ring is missing, thinner than 2 px or under 3:1 on its background."""
    out = []
    for f in walk:
        if f["style"] == "none" or f["width"] < 2:
            out.append(f"{f['tag']}.{f['cls'][:40]} {f['name']!r}: focus ring {f['style']} {f['width']} px")
        elif contrast(f["color"], f["background"]) < 3:
            ratio = contrast(f["color"], f["background"])
            what = f"{f['tag']}.{f['cls'][:40]} {f['name']!r}"
            out.append(f"{what}: ring {f['color']} on {f['background']}, {ratio:.2f}:1")
    return out


def order_problems(walk: list[dict], slack: float = 4.0) -> list[str]:
    """Each step of the walk that goes back both up and to the left: not the order the page is read in.

    Down, or right along a row, or into a column beside, is reading order; up and left at once is what
    a positive tabindex or a CSS reordering gives.
    """
    out = []
    for a, b in zip(walk, walk[1:]):
        if b["y"] < a["y"] - slack and b["x"] < a["x"] - slack:
            out.append(f"{a['tag']}.{a['cls'][:30]} {a['name']!r} -> {b['tag']}.{b['cls'][:30]} {b['name']!r} "
                       f"goes up and left ({a['x']:.0f},{a['y']:.0f} -> {b['x']:.0f},{b['y']:.0f})")  # fmt: skip
    return out


_JS_REFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const out = {vw, page: document.documentElement.scrollWidth, text: [], cut: []};
  const hidden = (e) => !!e.closest('.MJX_Assistive_MathML, .conv-lesson-announce');  // for screen readers only
  const reachable = (e) => e.tabIndex >= 0
    || !!e.querySelector('a[href], button, input, select, textarea, [tabindex="0"]');
  const scroller = (e) => { for (let p = e; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === 'auto' || o === 'scroll') && reachable(p)) return p; } return null; };
  const where = (e) => e.tagName + '.' + String(e.className).slice(0, 50);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest('script, style') || hidden(el)) continue;
    const range = document.createRange(); range.selectNodeContents(n); const b = range.getBoundingClientRect();
    if (b.width > 0 && (b.right > vw + 1 || b.left < -1) && !scroller(el))
      out.text.push(where(el) + ' ' + JSON.stringify(n.textContent.trim().slice(0, 40)));
  }
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    const clips = s.overflowX === 'hidden' || s.overflowX === 'clip';
    if (hidden(el) || !clips || !el.textContent.trim() || !el.clientWidth) continue;
    if (el.scrollWidth > el.clientWidth + 2) out.cut.push(where(el) + ` (${el.scrollWidth} px in ${el.clientWidth})`);
  }
  return out; }"""


def reflow_problems(page) -> list[str]:
    """What does not reflow on the page as it is now laid out: a sideways scroll of the page, text off
    the screen outside a region of its own the keyboard can scroll, text cut off by a box too narrow."""
    r = page.evaluate(_JS_REFLOW)
    out = [f"the page scrolls sideways: {r['page']} px in {r['vw']}"] if r["page"] > r["vw"] + 1 else []
    out += [f"off the screen: {t}" for t in r["text"][:10]]
    out += [f"cut off: {c}" for c in r["cut"][:10]]
    return out
