"""axe-core in the browser tests: the judge of WCAG 2.1 AA for every page a student or instructor opens.

axe-core (Deque Systems, MPL-2.0) is vendored as ``vendor/axe.min.js`` with its licence
(``vendor/axe-core-LICENSE.txt``), pinned at :data:`VERSION`, so the tests need no download.
:func:`run` injects it into a Playwright page and runs the rules tagged :data:`TAGS`, on the
whole page or on the parts of it that are ours (:func:`run` ``include``: JupyterLab's own
chrome is not ours to fix). :func:`check` prints the counts by impact and rule and fails on
any critical or serious violation. No rule is disabled.

To run it by hand on a site built with ``python -m conv_lesson site -o OUT``::

    python tests/e2e/axe.py OUT/*.html
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
#: The axe-core release vendored (the first line of ``vendor/axe.min.js`` says it too).
VERSION = "4.14.1"
#: The rules run: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: The impacts that fail a test.
FAILING = ("critical", "serious")

#: True in a page once every widget output is drawn (and at once in a page with none).
WIDGETS_DRAWN = """() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
  .every((s) => s.parentElement.querySelector('.jupyter-widgets'))"""

_RUN = """async ([include, tags]) => {
  const context = include ? {include: include.map((sel) => [sel])} : document;
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                summary: (n.failureSummary || '').slice(0, 300)})),
  }));
}"""


def source() -> str:
    """The vendored axe-core script (checked to be :data:`VERSION`)."""
    text = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
    if f"axe v{VERSION}" not in text[:100]:
        raise RuntimeError(f"vendor/axe.min.js is not axe-core {VERSION}")
    return text


def run(page, include: list[str] | None = None) -> list[dict]:
    """The violations axe-core finds in ``page`` (only inside the ``include`` selectors, if given).

    Each is ``{id, impact, help, nodes: [{target, html, summary}]}``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=source())
    if include is not None and not page.evaluate("(sels) => sels.some((s) => document.querySelector(s))", include):
        return []  # nothing of ours on the page to check
    return page.evaluate(_RUN, [include, TAGS])


def counts(violations: list[dict]) -> dict[tuple[str, str], int]:
    """How many elements break each rule: ``{(impact, rule): n}``."""
    found: collections.Counter = collections.Counter()
    for v in violations:
        found[(v["impact"], v["id"])] += len(v["nodes"])
    return dict(sorted(found.items()))


def report(name: str, violations: list[dict]) -> str:
    """One line per page: its counts by impact and rule (or that there are none)."""
    found = counts(violations)
    if not found:
        return f"axe-core {VERSION} {name}: no violations"
    return f"axe-core {VERSION} {name}: " + ", ".join(f"{impact} {rule} ×{n}" for (impact, rule), n in found.items())


def failures(violations: list[dict]) -> list[str]:
    """The critical and serious violations, one line per element, to read in a failed test."""
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {n['target']}\n    {n['html']}\n    {n['summary']}"
        for v in violations
        if v["impact"] in FAILING
        for n in v["nodes"]
    ]


def check(name: str, violations: list[dict]) -> None:
    """Print the counts; fail on any critical or serious violation (each named with its element)."""
    print(report(name, violations))
    bad = failures(violations)
    assert not bad, f"{name}: {len(bad)} critical or serious accessibility violations\n" + "\n".join(bad)


def main(paths: list[str]) -> int:
    """Check pages by hand (``python tests/e2e/axe.py PAGE.html ...``) in Debian's Chromium; 1 if any fails."""
    from playwright.sync_api import sync_playwright

    bad = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        for path in paths:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(Path(path).resolve().as_uri())
            page.wait_for_load_state("load")
            page.wait_for_function(WIDGETS_DRAWN, timeout=30_000)
            violations = run(page)
            print(report(Path(path).name, violations))
            bad += bool(failures(violations))
            page.close()
        browser.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
