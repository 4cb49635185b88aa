"""Proves the real-browser infrastructure works, on tiny notebooks written here.

* a clean notebook (IntSlider + Label updated by ``observe``, an ``anywidget``) runs with
  no problems, and pressing ArrowRight on the slider handle changes the Label (a kernel
  round trip);
* a broken notebook's problems are all detected (so "no problems" means something);
* the server is isolated (temp dirs/settings, extensions found) and stops by PID;
* tests are isolated from each other: a lesson one test ran and saved is not what the next
  test opens, and JupyterLab does not autosave.
"""

from __future__ import annotations

import hashlib
import json
import socket
import urllib.request
from pathlib import Path

import axe
import jupyter_browser as jb
import pytest

pytestmark = [pytest.mark.timeout(180)]

SLIDER_CELL = """\
import ipywidgets as W

slider = W.IntSlider(value=3, min=0, max=10, description="n")
slider.add_class("smoke-slider")
label = W.Label(value="value=3")
label.add_class("smoke-label")

def on_change(change):
    label.value = f"value={change['new']}"

slider.observe(on_change, names="value")
W.VBox([slider, label])
"""

ANYWIDGET_CELL = '''\
import anywidget
import traitlets


class Hello(anywidget.AnyWidget):
    _esm = """
    function render({ model, el }) {
      const span = document.createElement("span");
      span.className = "smoke-anywidget";
      const update = () => { span.textContent = "anywidget says " + model.get("greeting"); };
      update();
      model.on("change:greeting", update);
      el.appendChild(span);
    }
    export default { render };
    """
    greeting = traitlets.Unicode("hello").tag(sync=True)


hello = Hello()
hello
'''

BAD_CELLS = [
    (
        "code",
        (
            "import ipywidgets as W\n"
            "bad = W.IntSlider(value=1, min=0, max=5)\n"
            "bad.add_class('bad-slider')\n"
            "def explode(change):\n"
            "    raise ValueError('boom in observe')\n"
            "bad.observe(explode, names='value')\n"
            "bad"
        ),
    ),
    (
        "code",
        (
            "import anywidget\n"
            "class Broken(anywidget.AnyWidget):\n"
            "    _esm = 'export default { render() { throw new Error(\"esm render exploded\"); } }'\n"
            "Broken()"
        ),
    ),
    ("code", "out = W.Output()\nwith out:\n    1/0\nout"),
    ("code", "raise RuntimeError('cell failed on purpose')"),
    ("code", "print('never reached')"),
]


@pytest.fixture(scope="module")
def smoke_lab(lab_server_factory, tmp_path_factory):
    src = tmp_path_factory.mktemp("smoke_notebooks")
    jb.write_notebook(
        src / "smoke.ipynb",
        [
            ("markdown", "# Smoke test\nA slider, a label and an anywidget."),
            ("code", SLIDER_CELL),
            ("code", ""),  # empty cells never get an execution count
            ("code", ANYWIDGET_CELL),
        ],
    )
    jb.write_notebook(src / "sub dir" / "broken.ipynb", BAD_CELLS)
    return lab_server_factory(src)


def test_smoke_notebook_runs_clean_and_round_trips(smoke_lab, page, console_log):
    problems = jb.run_notebook(page, smoke_lab, smoke_lab.own_copy("smoke.ipynb", "smoke"), console_log)
    assert problems == []

    state = jb.notebook_state(page)
    assert [c["count"] for c in state["cells"]] == [None, 1, None, 2]

    # the anywidget rendered its ESM
    any_el = page.locator(".smoke-anywidget")
    assert any_el.inner_text() == "anywidget says hello"
    assert any_el.is_visible()

    # slider -> kernel observe callback -> Label, through the real keyboard
    label = page.locator(".smoke-label")
    assert label.inner_text().strip() == "value=3"
    handle = page.locator(".widget-hslider.smoke-slider .noUi-handle")
    assert handle.get_attribute("role") == "slider"
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.smoke-label').textContent.trim() === 'value=4'",
        timeout=10_000,
    )
    assert float(handle.get_attribute("aria-valuenow")) == 4  # noUiSlider says "4.0"
    jb.screenshot(page, "smoke_infra")

    jb.set_presentation_mode(page, True, collapse_sidebars=True)
    assert page.locator("#main.jp-mod-presentationMode").count() == 1
    assert page.viewport_size == jb.VIEWPORT
    shot = jb.screenshot(page, "smoke_infra_presentation")
    assert shot.is_file() and shot.stat().st_size > 10_000
    jb.set_presentation_mode(page, False)

    # nothing broke during the interaction either
    assert jb.collect_problems(page, console_log, wait_widgets=0) == []

    kernel_id = jb.current_kernel_id(page)
    assert kernel_id in {k["id"] for k in smoke_lab.api("GET", "/api/kernels")}
    jb.shutdown_kernel(page, smoke_lab)
    assert smoke_lab.api("GET", "/api/kernels") == []
    assert jb.dialogs(page) == []


def test_problems_are_detected(smoke_lab, page, console_log):
    # Each problem arrives on its own schedule (the anywidget's render error in the console,
    # the Output widget's stderr once its view renders): wait, with a deadline, until every
    # expected one has shown up instead of collecting once after run-all.
    since, log_since = console_log.mark(), smoke_lab.log_size()
    jb.open_notebook(page, smoke_lab, smoke_lab.own_copy("sub dir/broken.ipynb", "broken"))
    jb.run_all_cells(page)
    problems = jb.wait_for_problems(
        page,
        [
            "RuntimeError: cell failed on purpose",  # error output of a cell
            ("stderr inside an Output widget", "ZeroDivisionError"),
            "esm render exploded",  # anywidget failure, from the console
        ],
        console_log,
        smoke_lab,
        console_since=since,
        log_since=log_since,
    )
    assert "never reached" not in "\n".join(problems)  # run-all stopped at the error
    state = jb.notebook_state(page)
    assert state["cells"][-1]["count"] is None

    handle = page.locator(".widget-hslider.bad-slider .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    jb.wait_for_problems(page, [("during comm_msg", "boom in observe")])


def test_axe_core_finds_what_it_must_and_only_where_it_is_told(browser):
    """The accessibility checks can fail: axe-core names a button with no name, a picture with no
    alt and grey text on white, and checks only inside ``include``."""
    page = jb.new_page(browser)
    page.set_content(
        '<main><div id="ours"><button><i class="icon"></i></button><img src="data:image/png;base64,">'
        '<p style="color:#b0b0b0">grey prompt</p></div><div id="theirs"><button></button></div></main>'
    )
    found = axe.counts(axe.run(page, ["#ours"]))
    assert found[("critical", "button-name")] == 1 and found[("critical", "image-alt")] == 1, found
    assert found[("serious", "color-contrast")] == 1, found
    with pytest.raises(AssertionError, match="3 critical or serious accessibility violations"):
        axe.check("a bad page", axe.run(page, ["#ours"]))
    assert axe.run(page, ["#nothing-here"]) == []  # nothing of ours: nothing to check
    page.set_content(
        '<!doctype html><html lang="en"><head><title>A page</title></head>'
        "<body><main><h1>A page</h1><button>play</button></main></body></html>"
    )
    axe.check("a good page", axe.run(page))
    page.context.close()


def test_server_is_isolated(smoke_lab, page):
    # the served root is a temp folder, not the source directory or the repo; a test's copy lies
    # in a folder of its own in it
    copy = smoke_lab.own_copy("smoke.ipynb", "isolated")
    assert (smoke_lab.root_dir / copy).read_bytes() == (smoke_lab.source_dir / "smoke.ipynb").read_bytes()
    assert Path(copy).parent.name.startswith("isolated-") and Path(copy).name == "smoke.ipynb"
    assert smoke_lab.own_copy("smoke.ipynb", "isolated") != copy
    assert jb.REPO_ROOT not in smoke_lab.root_dir.parents
    assert smoke_lab.source_dir not in (smoke_lab.root_dir, *smoke_lab.root_dir.parents)
    # news and update checks are off through the temp user-settings dir
    notif = smoke_lab.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert notif["settings"]["fetchNews"] == "false"
    assert notif["settings"]["checkForUpdates"] is False
    # the widget front-ends installed in sys.prefix/share/jupyter are found
    names = {e["name"] for e in smoke_lab.api("GET", "/lab/api/extensions")}
    assert {"@jupyter-widgets/jupyterlab-manager", "anywidget"} <= names
    page.goto(f"{smoke_lab.url}/lab?token={smoke_lab.token}&reset")
    page.wait_for_function("() => !!(window.jupyterapp && window.jupyterapp.started)")
    page.evaluate("() => window.jupyterapp.started")
    for plugin in ["@jupyter-widgets/jupyterlab-manager:plugin", "anywidget:plugin"]:
        assert page.evaluate("(p) => window.jupyterapp.hasPlugin(p)", plugin), plugin
    for cmd in [jb.CMD_RUN_ALL, jb.CMD_PRESENTATION, jb.CMD_SHUTDOWN_KERNEL]:
        assert page.evaluate("(c) => window.jupyterapp.commands.hasCommand(c)", cmd), cmd


def test_start_and_stop_by_pid(browser_requirements, tmp_path):
    server = jb.start_lab(None, tmp_path)
    try:
        with urllib.request.urlopen(f"{server.url}/api/status?token={server.token}") as r:
            assert r.status == 200
        assert server.proc.poll() is None
    finally:
        jb.stop_lab(server)
    assert server.proc.poll() is not None
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
    jb.stop_lab(server)  # idempotent


def test_skip_policy(monkeypatch):
    unavailable = jb.unavailable
    monkeypatch.delenv(jb.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        unavailable("no chromium")
    monkeypatch.setenv(jb.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="no chromium"):
        unavailable("no chromium")


ISOLATION_LESSON = "03_stride.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_lesson_run_and_saved_by_one_test_is_not_what_the_next_opens(lab_server, browser):
    """One test runs a lesson and saves it; the next test that opens that lesson gets the committed file.

    Before, every test opened the lessons in one shared copy, and JupyterLab's autosave put one
    test's run into the file the next test took for the committed lesson.
    """
    committed = jb.NOTEBOOKS_DIR / ISOLATION_LESSON
    committed_sha = _sha(committed)
    settings = lab_server.api("GET", "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")["settings"]
    assert settings["autosave"] is False and settings["autosaveInterval"] == jb.AUTOSAVE_INTERVAL_S

    # the first test: runs its copy of the lesson, which leaves the notebook changed and unsaved
    first = lab_server.own_copy(ISOLATION_LESSON, "isolation-first")
    page = jb.new_page(browser)
    console = jb.ConsoleLog.attach(page)
    try:
        assert jb.run_notebook(page, lab_server, first, console) == []
        assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty")
        # Proving that nothing saves on its own needs an interval: three autosave intervals of
        # the settings (1 s), which autosave would have used had it been on.
        page.wait_for_timeout(3_000 * jb.AUTOSAVE_INTERVAL_S)
        assert _sha(lab_server.root_dir / first) == committed_sha, "the run was saved without asking"
        # ... and an explicit save writes the run into the test's own copy, and nowhere else
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
        ran = json.loads((lab_server.root_dir / first).read_text("utf-8"))
        assert _sha(lab_server.root_dir / first) != committed_sha
        assert any(WIDGET_VIEW in json.dumps(c.get("outputs")) for c in ran["cells"])
    finally:
        page.context.close()
        lab_server.shutdown_all_sessions()

    # the next test: opens the same lesson and sees the committed file, in the page and on disk
    page = jb.new_page(browser)
    try:
        second = lab_server.own_copy(ISOLATION_LESSON, "isolation-next")
        assert second != first
        jb.open_notebook(page, lab_server, second)
        assert _sha(lab_server.root_dir / second) == committed_sha
        # the page shows the committed outputs (saved pictures), not the run's widget views
        shown = [o for c in jb.notebook_state(page)["cells"] for o in c["outputs"]]
        assert shown and not any(WIDGET_VIEW in (o.get("data") or {}) for o in shown)
    finally:
        page.context.close()
    assert _sha(committed) == committed_sha, "a test changed the committed lesson"
