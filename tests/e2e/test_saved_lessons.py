"""The committed lessons as a reader first sees them, before running anything, and the lessons command.

* In JupyterLab, opened but not run: no output says "Error displaying widget" or "model not
  found", and every interactive figure (a cell calling ``stepper(...)``, ``slide_1d(...)`` or another of
  the package's widgets) shows
  its saved picture, with a real alt text and the line saying to run the cell.
* As a static render (nbconvert HTML of the committed file) in Chromium: the same pictures load.
* The README's lessons command starts JupyterLab (as root and as an ordinary user).
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

LESSONS = sorted(p.name for p in jb.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
#: The lessons' interactive figures: every cell that calls one must save a picture.
INTERACTIVE = re.compile(
    r"^\s*(stepper|slide_1d|draw_your_own|gallery_explorer|learning_rate_explorer|receptive_field_view"
    r"|im2col_stepper|transposed_stepper)\(",
    re.M,
)
BROKEN = ("Error displaying widget", "model not found")
RUN_LINE = "Run this cell"


def _interactive_cells(name):
    nb = json.loads((jb.NOTEBOOKS_DIR / name).read_text())
    cells = enumerate(nb["cells"])
    return [i for i, c in cells if c["cell_type"] == "code" and INTERACTIVE.search("".join(c["source"]))]


_JS_CELLS = """
(indices) => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  return indices.map(i => {
    const out = cells[i].node.querySelector('.jp-OutputArea');
    const img = out && out.querySelector('img');
    return {
      index: i,
      text: out ? out.textContent : '',  // innerText is empty for cells Lab has not drawn yet
      alt: img ? img.getAttribute('alt') : null,
      loaded: !!(img && img.complete && img.naturalWidth > 0),
    };
  });
}
"""


@pytest.mark.parametrize("name", LESSONS)
def test_a_saved_lesson_shows_its_pictures_and_no_widget_errors(page, lab_server, name):
    jb.open_notebook(page, lab_server, name)
    indices = _interactive_cells(name)
    outputs = page.locator(".jp-OutputArea-output")
    if indices:
        page.wait_for_function(
            "(indices) => { const cells = window.jupyterapp.shell.currentWidget.content.widgets;"
            " return indices.every(i => { const img = cells[i].node.querySelector('.jp-OutputArea img');"
            " return img && img.complete && img.naturalWidth > 0; }); }",
            arg=indices,
            timeout=30_000,
        )
    texts = outputs.all_inner_texts()
    broken = [t[:120] for t in texts if any(b in t for b in BROKEN)]
    assert broken == [], f"{name}: {broken}"
    assert page.locator(jb.SEL_WIDGET_ERROR).count() == 0
    for cell in page.evaluate(_JS_CELLS, indices):
        assert cell["loaded"], f"{name} cell {cell['index']}: no saved picture"
        assert cell["alt"] and len(cell["alt"]) > 40, f"{name} cell {cell['index']}: alt text {cell['alt']!r}"
        assert RUN_LINE in cell["text"], f"{name} cell {cell['index']}: no line saying to run the cell"
    if name.startswith("02"):
        jb.screenshot(page, "saved-02-before-running")


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
    assert figures.count() == len(_interactive_cells(name))
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
