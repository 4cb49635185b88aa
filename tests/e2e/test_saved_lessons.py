"""The committed lessons as a static page, and the README's lessons command.

* As a static render (nbconvert HTML of the committed file) in Chromium: every interactive
  figure's saved picture loads, with its alt text and the line saying to run the cell.
* The README's lessons command starts JupyterLab (as root and as an ordinary user).

How a committed lesson looks in JupyterLab before it is run is checked in ``test_lessons.py``
(``test_a_saved_lesson_shows_its_pictures_and_no_widget_errors``), in the same opening of the
lesson that is then run, so no lesson is opened twice.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import jupyter_browser as jb
import pytest
from lesson_checks import BROKEN, RUN_LINE, interactive_cells

LESSONS = sorted(p.name for p in jb.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_a_static_render_of_a_committed_lesson_shows_the_pictures(browser, tmp_path):
    from nbconvert import HTMLExporter

    name = "02_feature_detector_and_feature_map.ipynb"
    body, _ = HTMLExporter(template_name="lab").from_filename(str(jb.NOTEBOOKS_DIR / name))
    (tmp_path / "lesson.html").write_text(body)
    page = jb.new_page(browser)
    local = ("file:", "data:")
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort())
    page.goto((tmp_path / "lesson.html").as_uri())
    figures = page.locator("figure.conv-lesson-static")
    assert figures.count() == len(interactive_cells(jb.NOTEBOOKS_DIR / name))
    for i in range(figures.count()):
        img = figures.nth(i).locator("img")
        img.evaluate("img => img.decode()")
        assert img.evaluate("img => img.naturalWidth") > 300
        assert len(img.get_attribute("alt")) > 40
        assert RUN_LINE in figures.nth(i).inner_text()
    assert not any(b in page.inner_text("body") for b in BROKEN)
    page.context.close()


def _lessons_command():
    """The last step of the README's lessons command: the one that starts JupyterLab."""
    readme = (jb.REPO_ROOT / "README.md").read_text()
    block = re.search(r"<!-- lessons-command -->\s*```\s*\n(.+?)\n```", readme, re.S).group(1).strip()
    assert "\n" not in block, "the lessons command is one line"
    return shlex.split(block.split("&&")[-1])


def _as_nobody():
    """The prefix that runs a command as the user nobody, or why it cannot be done here."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None, "needs root and setpriv to start the command as another user"
    prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    probe = [sys.executable, "-m", "jupyter", "lab", "--version"]
    result = subprocess.run(prefix + probe, capture_output=True, text=True, timeout=60, cwd="/")
    if result.returncode != 0:
        why = (result.stderr or result.stdout).strip().splitlines()[-1:]
        return None, f"the user nobody cannot run this environment's jupyter lab here: {why}"
    return prefix, ""


@pytest.mark.parametrize("who", ["this user", "an ordinary user"])
def test_the_readme_lessons_command_starts_jupyterlab(tmp_path, browser_requirements, who):
    cmd = _lessons_command()
    assert cmd[:4] == ["python", "-m", "jupyter", "lab"], cmd
    prefix = []
    if who == "an ordinary user":
        prefix, why = _as_nobody()
        if prefix is None:
            pytest.skip(why)
    shutil.copytree(jb.NOTEBOOKS_DIR, tmp_path / "notebooks")
    os.chmod(tmp_path, 0o777)
    home = tmp_path / "home"
    home.mkdir(mode=0o777)
    port, token = jb.free_port(), "t" + os.urandom(12).hex()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(home), JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"))
    extra = ["--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0"]
    extra += [f"--IdentityProvider.token={token}", "--LabApp.news_url=", "--LabApp.extension_manager=readonly"]
    proc = subprocess.Popen(
        prefix + [sys.executable] + cmd[1:] + extra,
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        url = f"http://127.0.0.1:{port}/api/contents?token={token}"  # the server's root is notebooks/
        while True:
            assert proc.poll() is None, proc.stdout.read().decode(errors="replace")[-3000:]
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    listing = json.loads(resp.read())
                break
            except urllib.error.HTTPError:
                raise
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(0.2)
        assert {c["name"] for c in listing["content"]} >= set(LESSONS)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
