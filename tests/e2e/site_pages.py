"""Building the offline site and reading its pages in Chromium, for ``test_site.py`` and ``test_site_widgets.py``.

Everything here looks at what a person sees in a built page: the widget outputs
the html-manager rendered, the step (``data-step``), alt text and text under a
stepper's picture, the notes saying a control needs a running notebook; and it
drives the controls as a person would (clicks, keys, typing into a readout).
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import jupyter_browser as jb

REPO = jb.REPO_ROOT
VIEW_SCRIPT = 'script[type="application/vnd.jupyter.widget-view+json"]'
#: What the html-manager writes where a widget could not be shown.
BROKEN = ("Error displaying widget", "model not found", "Could not create a view")
#: Anything a person can operate: buttons, inputs, sliders, editable readouts, focusable pictures.
CONTROLS = 'button, input, select, textarea, [role="slider"], [contenteditable="true"], [tabindex="0"]'


def _command(args, out):
    return [sys.executable, "-m", "conv_lesson", *args, "-o", str(out), "--notebooks", str(REPO / "notebooks")]


class SharedBuild:
    """One ``python -m conv_lesson ARGS`` for the whole test session, shared by every process (pytest-xdist).

    The site takes a minute to build (every lesson executed for publishing), and the site
    tests only read what it wrote, so it is built once: started in the background as soon
    as a process sees site tests among those collected (:meth:`start`, from the e2e
    conftest), and waited for by the fixtures that need it (:meth:`wait`), while the
    process goes on with other tests. The processes agree through files in ``root``
    (the run's temporary folder, common to them): a lock, the output folder, and the
    build's exit status and output, written when it ends. No test may write into the
    output folder: every site test opens it.
    """

    def __init__(self, root, name, args):
        self.root, self.name, self.args = Path(root), name, list(args)
        self.out = self.root / name
        self.status = self.root / f"{name}.status"
        self.log = self.root / f"{name}.log"
        self._proc = None

    def start(self):
        """Start the build unless a process of this run already did; return at once."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / f"{self.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            started = self.root / f"{self.name}.started"
            if started.exists():
                return
            # this file, run as a script, runs the build and writes its status when it ends
            cmd = [sys.executable, __file__, str(self.status), str(self.log), *_command(self.args, self.out)]
            self._proc = subprocess.Popen(cmd, cwd=REPO, stdin=subprocess.DEVNULL)
            started.write_text(str(self._proc.pid))

    def wait(self, timeout=900):
        """Wait until the build has ended (starting it if nobody did); its output folder, or fail saying why."""
        self.start()
        deadline = time.monotonic() + timeout
        while not self.status.exists():
            if self._proc is not None and self._proc.poll() is not None and not self.status.exists():
                raise AssertionError(f"the build of {self.name} stopped without a status ({self._proc.returncode})")
            if time.monotonic() > deadline:
                raise AssertionError(f"the build of {self.name} did not end in {timeout} s")
            time.sleep(0.2)  # polling for the status file the build writes when it ends
        if self._proc is not None:
            self._proc.wait()
        status = self.status.read_text()
        assert status == "0", f"python -m conv_lesson {' '.join(self.args)} failed ({status}):\n{self.log.read_text()}"
        return self.out


def _run_and_record(status, log, cmd):
    """Run ``cmd``; its output goes to ``log``, then its exit status to ``status`` (whole, by a rename)."""
    with open(log, "w") as out:
        code = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=600).returncode
    Path(status + ".part").write_text(str(code))
    os.replace(status + ".part", status)


class Requests:
    """Every request of a page: those inside ``root`` go through, the others are aborted and kept."""

    def __init__(self, page, root):
        self.root, self.inside, self.outside = root, [], []
        page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.root) or url.startswith(("data:", "blob:")):
            self.inside.append(url)
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def wait_step(page, root, step, timeout=15_000):
    """Wait until the stepper ``root`` shows ``step`` with its picture loaded; return its status line."""
    handle = root.element_handle()
    page.wait_for_function(
        "([root, step]) => { const img = root.querySelector('img.conv-lesson-frame');"
        " return img && img.dataset.step === String(step) && img.complete && img.naturalWidth > 0; }",
        arg=[handle, step],
        timeout=timeout,
    )
    return root.locator(".conv-lesson-status").inner_text().strip()


def open_page(browser, site, name):
    """Open ``site/name`` from ``file://`` and wait until every widget output is drawn.

    Returns ``(page, console, requests, outputs)``: ``outputs`` is a list of
    locators, one per output that displays a widget, in page order.
    """
    page = jb.new_page(browser)
    page.set_default_timeout(30_000)
    console = jb.ConsoleLog.attach(page)
    base = site.resolve().as_uri() + "/"
    requests = Requests(page, base)
    page.goto(base + name)
    page.wait_for_function(
        "(sel) => { const outs = [...document.querySelectorAll(sel)].map(s => s.parentElement);"
        " return outs.length > 0 && outs.every(o => o.querySelector('.jupyter-widgets')); }",
        arg=VIEW_SCRIPT,
        timeout=30_000,
    )
    page.wait_for_load_state("load")
    count = page.locator(VIEW_SCRIPT).count()
    outputs = [page.locator(VIEW_SCRIPT).nth(k).locator("xpath=..") for k in range(count)]
    return page, console, requests, outputs


def page_problems(page):
    """Visible signs that a widget failed: the html-manager's error text or error views."""
    text = page.locator("body").inner_text()
    problems = [f"the page says {word!r}" for word in BROKEN if word.lower() in text.lower()]
    errors = page.locator(".jupyter-widgets-error-widget").count()
    if errors:
        problems.append(f"{errors} widget error views")
    return problems


def mark(locator):
    """Record in the page that a test operated this control (see :func:`unoperated`)."""
    locator.evaluate("(el) => { el.dataset.operated = '1'; }")


def unoperated(output):
    """The visible controls inside ``output`` that no test operated (a silently dead control would be one)."""
    return output.evaluate(
        "(out, sel) => [...out.querySelectorAll(sel)]"
        ".filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')"
        ".filter(el => el.dataset.operated !== '1')"
        ".map(el => `${el.tagName.toLowerCase()}.${el.className} '${el.textContent.trim().slice(0, 40)}'`)",
        CONTROLS,
    )


def notes(output):
    """The visible text of every "needs a running notebook" note inside ``output``."""
    return [
        n.inner_text().strip()
        for n in output.locator(".conv-lesson-needs-kernel, .conv-lesson-run-note").all()
        if n.is_visible()
    ]


_STATE = """(root) => {
  const img = root.querySelector('img.conv-lesson-frame');
  const text = (sel) => { const el = root.querySelector(sel); return el ? el.textContent.trim() : null; };
  const pics = [...root.querySelectorAll('.conv-lesson-figure img, .conv-lesson-figure canvas')];
  return {step: img ? Number(img.dataset.step) : null, alt: img ? img.alt : null,
          picture: pics.map(p => p.tagName === 'CANVAS' ? p.toDataURL() : p.getAttribute('src')).join('|'),
          status: text('.conv-lesson-status'), detail: text('.conv-lesson-arithmetic')};
}"""


def as_heard(line):
    """A line under the picture as a screen reader is given it: " · " becomes ", "."""
    return re.sub(r"\s+·\s+", ", ", line.strip())


def wait_heard(page, root, line, timeout=15_000):
    """Wait until the polite live region (``role=status``) in ``root`` says ``line`` (see :func:`as_heard`)."""
    region = root.locator(".conv-lesson-announce[role=status][aria-live=polite]")
    page.wait_for_function(
        "([el, want]) => el.textContent === want", arg=[region.element_handle(), as_heard(line)], timeout=timeout
    )
    return region.text_content()


class StepperOnPage:
    """A stepper in a built page (``.conv-lesson-stepper``), read and driven as a person would."""

    def __init__(self, page, root):
        self.page, self.root = page, root
        self.figure = root.locator(".conv-lesson-figure")

    def state(self):
        return self.root.evaluate(_STATE)

    def at(self, step, timeout=15_000):
        """Wait for ``step`` (picture loaded); its state."""
        wait_step(self.page, self.root, step, timeout)
        return self.state()

    def n_steps(self):
        return int(re.search(r" of (\d+)", self.state()["status"]).group(1))

    def wait_heard(self, line, timeout=15_000):
        """Wait until the live region a screen reader announces from says ``line`` (a line under the
        picture, its " · " read as ", "); what it says."""
        return wait_heard(self.page, self.root, line, timeout)

    def click(self, selector):
        button = self.root.locator(selector).first
        button.click()
        mark(button)

    def keys(self, target, *keys):
        target.focus()
        for key in keys:
            self.page.keyboard.press(key)
        mark(target)

    def type_into(self, readout, text):
        """Type ``text`` into a slider's editable readout and press Enter."""
        readout.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")
        mark(readout)

    def play_until(self, step, timeout=15_000):
        """Press play, wait until the picture reaches ``step``, pause if it still plays; the seconds it took."""
        play = self.root.locator("button.conv-lesson-playpause")
        t0 = time.monotonic()
        play.click()
        self.page.wait_for_function(
            "([root, step]) => Number(root.querySelector('img.conv-lesson-frame').dataset.step) >= step",
            arg=[self.root.element_handle(), step],
            timeout=timeout,
        )
        seconds = time.monotonic() - t0
        if play.get_attribute("aria-pressed") == "true":  # still playing: pause (at the last step it stopped)
            play.click()
            jb.wait_attribute(play, "aria-pressed", "false")  # the label follows the model: wait for it
            assert play.inner_text().strip().endswith("play")
        mark(play)
        return seconds


if __name__ == "__main__":  # SharedBuild.start: python site_pages.py STATUS LOG COMMAND...
    _run_and_record(sys.argv[1], sys.argv[2], sys.argv[3:])
