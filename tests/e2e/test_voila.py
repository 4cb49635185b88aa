"""Voilà, as an instructor runs it: the lesson's controls without its code, stepped in Chromium, checked by axe-core."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import axe
import jupyter_browser as jb
import pytest
from lesson_checks import seed_step
from site_pages import wait_heard

LESSON = "02_feature_detector_and_feature_map.ipynb"


@pytest.fixture
def voila_url(tmp_path, browser_requirements):
    exe = shutil.which("voila", path=os.path.dirname(sys.executable)) or shutil.which("voila")
    if exe is None:
        jb.unavailable("voila is not installed (pip install -r requirements.txt)")
    shutil.copytree(jb.NOTEBOOKS_DIR, tmp_path / "notebooks")
    port = jb.free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), PYTHONPATH=str(jb.REPO_ROOT))
    cmd = [exe, f"notebooks/{LESSON}", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    log = open(tmp_path / "voila.log", "wb")
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    try:
        while True:
            assert proc.poll() is None, (tmp_path / "voila.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(url + "voila/static/", timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                assert time.monotonic() < deadline, "Voilà did not answer within 60 s"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _wait_status(page, root, text, timeout=30_000):
    page.wait_for_function(
        "([root, text]) => { const s = root.querySelector('.conv-lesson-status');"
        " const img = root.querySelector('img.conv-lesson-frame');"
        " return !!(s && s.textContent.trim() === text && img && img.complete && img.naturalWidth > 0); }",
        arg=[root.element_handle(), text],
        timeout=timeout,
    )


def test_voila_steps_a_stepper_and_moves_a_live_control(browser, voila_url):
    page = jb.new_page(browser)
    page.goto(voila_url, timeout=120_000)
    stepper = page.locator(".conv-lesson-stepper").first
    stepper.wait_for(timeout=120_000)  # Voilà runs the whole lesson first
    _wait_status(page, stepper, seed_step(1)["status"])
    # WCAG 2.1 AA by axe-core on the whole page Voilà shows: its widgets, text and pictures
    page.wait_for_function(axe.WIDGETS_DRAWN, timeout=30_000)
    axe.check("the Voilà page of lesson 02", axe.run(page))
    stepper.locator("button.conv-lesson-next").click()
    _wait_status(page, stepper, seed_step(2)["status"])
    wait_heard(page, stepper, seed_step(2)["status"])  # and a screen reader is told it
    # a live control: the stride slider makes the kernel build a new scan and frames
    handle = stepper.locator(".conv-lesson-stride input[type=range]")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(root) => (root.querySelector('.conv-lesson-status') || {}).textContent?.includes(' of 9 ')",
        arg=stepper.element_handle(),
        timeout=30_000,
    )
    jb.screenshot(page, "voila-02-stride-2", locator=stepper)
    page.context.close()
