"""Real-browser helpers: a throw-away JupyterLab server driven by Debian's Chromium.

Used by ``tests/e2e`` (through ``conftest.py``) and by ``benchmarks/bench_browser.py``
(which puts this directory on ``sys.path``).  Nothing here touches the repository except
:func:`screenshot`, which writes PNGs below ``build/screenshots/`` (git-ignored).

Typical use::

    server = start_lab(REPO_ROOT / "notebooks", tmp_dir)
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            page = new_page(browser)
            console = ConsoleLog.attach(page)
            open_notebook(page, server, "LESSON.ipynb")
            run_all_cells(page)
            assert collect_problems(page, console, server) == []
    finally:
        stop_lab(server)

Everything was checked against JupyterLab 4.6, ipywidgets 8.1, anywidget 0.11 and
Chromium 156 (see the docstrings for which selectors and commands exist there).
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
SCREENSHOT_DIR = REPO_ROOT / "build" / "screenshots"

#: Debian's Chromium, as its headless shell (package ``chromium-headless-shell``): the same engine
#: as the browser, built without the parts a window needs. It is the build Playwright itself
#: runs headless tests on, and it takes less CPU than the whole browser run headless (here
#: test_lessons.py: 86 CPU-seconds against 99; on a 2-core machine the suite is bound by CPU).
#: The whole browser (``/usr/bin/chromium``) is used where the shell is not installed.
#: ``CONV_LESSON_CHROMIUM`` names another executable.
HEADLESS_SHELL_PATH = "/usr/bin/chromium-headless-shell"
BROWSER_PATH = "/usr/bin/chromium"
CHROMIUM_PATH = os.environ.get("CONV_LESSON_CHROMIUM", HEADLESS_SHELL_PATH)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 720}

#: Set to ``1`` (CI does) to turn "browser not available" skips into failures.
REQUIRE_ENV = "CONV_LESSON_REQUIRE_BROWSER"

# JupyterLab 4.6 command ids (checked in jlab_core: CommandIDs of the application,
# notebook and main-menu plugins).
CMD_RUN_ALL = "notebook:run-all-cells"
CMD_PRESENTATION = "application:toggle-presentation-mode"  # not "apputils:..."
CMD_SHUTDOWN_KERNEL = "kernelmenu:shutdown"  # no confirmation dialog

# Selectors (JupyterLab 4.6 / ipywidgets 8.1).
SEL_EXEC_INDICATOR = ".jp-Notebook-ExecutionIndicator"  # in the notebook toolbar; has data-status
SEL_NOTEBOOK = ".jp-NotebookPanel .jp-Notebook"
SEL_SLIDER_HANDLE = ".widget-hslider .noUi-handle"  # role="slider", focusable
SEL_STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
SEL_WIDGET_ERROR = ".jupyter-widgets-error-widget"  # ipywidgets 8 view for a failed view/model
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# The user settings written into the temporary settings dir: no news, no update check
# (both would make requests to the internet and pop up toasts over screenshots), and no
# autosave. JupyterLab saves an open, changed notebook on its own (every 120 s by default,
# and a slow run of a lesson is long enough): a test that ran a lesson would write its
# outputs over the file, and whoever opened that file next would get that run instead of
# the committed lesson. Autosave is off, and its interval is short, so that a test can
# show it is off by waiting a few intervals (test_smoke_infra.py); every test also opens
# its own copy of a notebook (LabServer.own_copy), so not even an explicit save reaches
# another test.
AUTOSAVE_INTERVAL_S = 1
LAB_USER_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {
        "autosave": False,
        "autosaveInterval": AUTOSAVE_INTERVAL_S,
    },
}


def require_browser() -> bool:
    """True when missing browser infrastructure must fail instead of skip."""
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


def unavailable(reason: str) -> None:
    """Skip the calling test (default) or fail it when ``CONV_LESSON_REQUIRE_BROWSER=1``."""
    import pytest

    if require_browser():
        pytest.fail(
            f"real-browser test infrastructure unavailable but {REQUIRE_ENV}=1: {reason}",
            pytrace=False,
        )
    pytest.skip(f"real-browser tests skipped: {reason}")


def find_chromium() -> str | None:
    """Path of an executable Chromium, or None."""
    cands = [CHROMIUM_PATH]
    if not os.environ.get("CONV_LESSON_CHROMIUM"):  # an explicit choice is not second-guessed
        cands += [BROWSER_PATH, shutil.which("chromium") or ""]
    for cand in cands:
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


def missing_requirements() -> list[str]:
    """Reasons why the real-browser tests cannot run here (empty list: all present)."""
    reasons = []
    if find_chromium() is None:
        reasons.append(f"Chromium not found at {CHROMIUM_PATH} or {BROWSER_PATH} (run .ci/install_browser.sh as root)")
    for mod, what in [
        ("playwright", "playwright (pip install playwright; never `playwright install`)"),
        ("jupyterlab", "jupyterlab"),
        ("ipykernel", "ipykernel"),
        ("ipywidgets", "ipywidgets"),
        ("anywidget", "anywidget"),
        ("nbformat", "nbformat"),
    ]:
        if importlib.util.find_spec(mod) is None:
            reasons.append(f"Python package {what} is not installed in {sys.prefix}")
    return reasons


# JupyterLab server


@dataclass
class LabServer:
    """A running ``jupyter lab`` started by :func:`start_lab`."""

    proc: subprocess.Popen
    port: int
    token: str
    root_dir: Path  # what the browser sees as "/"; a copy, never the repo
    base_dir: Path  # holds home/, config/, data/, ... and lab.log
    log_path: Path
    _log_file: Any = field(default=None, repr=False)
    #: The kernels' connection and socket files: a short path of its own (see :func:`start_lab`).
    runtime_dir: Path | None = None
    #: Where :meth:`own_copy` takes notebooks from (read, never written); None: the root itself.
    source_dir: Path | None = None

    def own_folder(self, owner: str) -> str:
        """A new, empty folder in the root for ``owner`` (a test's name); its path relative to the root.

        Each call makes another folder, so two tests (or two runs of one test) never share one.
        """
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", owner).strip("_")[-60:] or "test"
        folder = Path(tempfile.mkdtemp(prefix=slug + "-", dir=self.root_dir))
        return folder.relative_to(self.root_dir).as_posix()

    def own_copy(self, notebook: str, owner: str) -> str:
        """Copy ``notebook`` (relative to :attr:`source_dir`) into a new folder of ``owner``'s own.

        Returns the copy's path relative to the root, for :func:`open_notebook`. Whatever the
        test then does to its copy (run it, save it) no other test can see.
        """
        source = (self.source_dir or self.root_dir) / notebook
        if not source.is_file():
            raise FileNotFoundError(f"no notebook {notebook} in {self.source_dir or self.root_dir}")
        target = self.root_dir / self.own_folder(owner) / Path(notebook).name
        shutil.copyfile(source, target)
        return target.relative_to(self.root_dir).as_posix()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lab_url(self, notebook: str, *, reset: bool = True) -> str:
        """URL that opens ``notebook`` (path relative to ``root_dir``) in Lab."""
        path = urllib.parse.quote(Path(notebook).as_posix())
        return f"{self.url}/lab/tree/{path}?token={self.token}" + ("&reset" if reset else "")

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10) -> Any:
        """Call the Jupyter REST API (``path`` like ``/api/kernels``); returns parsed JSON."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def log_text(self, start: int = 0) -> str:
        """The server's (and its kernels') stdout+stderr from byte ``start`` on."""
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(start)
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def shutdown_all_sessions(self) -> None:
        """Delete every session (shuts their kernels down) and any stray kernel."""
        for sess in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{sess['id']}")
            except urllib.error.HTTPError:
                pass
        for kern in self.api("GET", "/api/kernels") or []:
            try:
                self.api("DELETE", f"/api/kernels/{kern['id']}")
            except urllib.error.HTTPError:
                pass


_RUNNING: list[LabServer] = []


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text("utf-8", "replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def start_lab(
    notebook_src: str | os.PathLike | None,
    base_dir: str | os.PathLike,
    *,
    startup_timeout: float = 90.0,
    pythonpath: Iterable[str | os.PathLike] = (REPO_ROOT,),
    extra_env: dict[str, str] | None = None,
    attempts: int = 3,
) -> LabServer:
    """Start JupyterLab on a random free port with a random token; return when it answers.

    ``notebook_src`` (a directory, or None for an empty root) is *copied* to
    ``base_dir/root``, which becomes ``--ServerApp.root_dir``, so saving and checkpoints in
    the browser never touch the source.  HOME, JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR,
    IPYTHONDIR, MPLCONFIGDIR, JUPYTERLAB_SETTINGS_DIR and JUPYTERLAB_WORKSPACES_DIR all
    point below ``base_dir``.  Kernels talk over socket files, as every kernel the suite
    starts does (``conv_lesson.publish.kernel`` says why); those live in a JUPYTER_RUNTIME_DIR
    of the server's own with a short path, since a socket file's path may have at most 107
    bytes and ``base_dir`` is deep.  The lab extensions
    (ipywidgets, anywidget) are still found in ``sys.prefix/share/jupyter``, which Jupyter
    always searches.  ``pythonpath`` is prepended to PYTHONPATH so kernels import the
    working-tree ``conv_lesson`` even when it is not pip-installed.
    """
    base = Path(base_dir).resolve()
    base.mkdir(parents=True, exist_ok=True)
    root = base / "root"
    if root.exists():
        shutil.rmtree(root)
    if notebook_src is not None:
        shutil.copytree(
            notebook_src,
            root,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc"),
        )
    else:
        root.mkdir()

    dirs = {
        "HOME": base / "home",
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_RUNTIME_DIR": Path(tempfile.mkdtemp(prefix="conv-lab-")),
        "IPYTHONDIR": base / "ipython",
        "MPLCONFIGDIR": base / "mpl",
        "JUPYTERLAB_SETTINGS_DIR": base / "lab-user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "lab-workspaces",
    }
    env = os.environ.copy()
    for var, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    for var in ("JUPYTER_TOKEN", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH"):
        env.pop(var, None)
    env["PYTHONUNBUFFERED"] = "1"
    env["MPLBACKEND"] = env.get("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    pp = [str(Path(p)) for p in pythonpath]
    if env.get("PYTHONPATH"):
        pp.append(env["PYTHONPATH"])
    if pp:
        env["PYTHONPATH"] = os.pathsep.join(pp)
    if extra_env:
        env.update(extra_env)

    for rel, content in LAB_USER_SETTINGS.items():
        target = dirs["JUPYTERLAB_SETTINGS_DIR"] / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content, indent=2))

    last_error = ""
    for attempt in range(attempts):
        port = free_port()
        token = secrets.token_hex(24)
        log_path = base / f"lab-{attempt}.log"
        log_file = open(log_path, "wb")  # noqa: SIM115 - the server writes to it; stop_lab closes it
        cmd = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser",
            "--ip", "127.0.0.1",
            "--port", str(port),
            "--allow-root",
            f"--IdentityProvider.token={token}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.extension_manager=readonly",
            "--KernelManager.transport=ipc",
        ]  # fmt: skip
        proc = subprocess.Popen(
            cmd,
            cwd=str(root),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # our own process group: kernels can be reaped with it
        )
        server = LabServer(proc, port, token, root, base, log_path, log_file, runtime_dir=dirs["JUPYTER_RUNTIME_DIR"])
        _RUNNING.append(server)
        deadline = time.monotonic() + startup_timeout
        status_url = f"{server.url}/api/status?token={token}"
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(status_url, timeout=2) as resp:
                    if resp.status == 200:
                        return server
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.2)  # poll interval: the loop waits for /api/status to answer
        last_error = (
            f"jupyter lab (attempt {attempt + 1}, port {port}) "
            + (
                f"exited with code {proc.returncode}"
                if proc.poll() is not None
                else f"did not answer within {startup_timeout:.0f} s"
            )
            + f"; log tail:\n{_tail(log_path)}"
        )
        stop_lab(server)
    raise RuntimeError(last_error)


def stop_lab(server: LabServer | None, timeout: float = 20.0) -> None:
    """Stop the server by its PID: SIGTERM, wait, SIGKILL (with its process group) on timeout.

    Safe to call twice.  Jupyter shuts its kernels down on SIGTERM; anything left in the
    process group the server was started in is killed afterwards.
    """
    if server is None:
        return
    proc = server.proc
    if proc.poll() is None:
        try:
            proc.terminate()
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass
    try:  # orphans (kernels) left in the session the server led
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    if server._log_file is not None and not server._log_file.closed:
        server._log_file.close()
    if server.runtime_dir is not None and server in _RUNNING:
        shutil.rmtree(server.runtime_dir, ignore_errors=True)
    if server in _RUNNING:
        _RUNNING.remove(server)


@atexit.register
def _stop_all_servers() -> None:  # safety net if a fixture teardown never ran
    for server in _RUNNING.copy():  # a copy: stop_lab removes the server from _RUNNING
        stop_lab(server, timeout=5)


# Browser


def launch_browser(playwright, *, headless: bool = True, executable_path: str | None = None):
    """Launch Debian's Chromium through Playwright (never a downloaded browser).

    Playwright's ``launch`` gives every launch a fresh temporary user-data-dir (its
    ``playwright_chromiumdev_profile-*``) and removes it on close, and every
    :func:`new_page` gets its own fresh browser context.
    """
    exe = executable_path or find_chromium()
    if not headless and exe == HEADLESS_SHELL_PATH:
        exe = BROWSER_PATH  # the shell has no window to show
    if exe is None:
        raise RuntimeError(f"Chromium not found at {CHROMIUM_PATH} or {BROWSER_PATH}")
    return playwright.chromium.launch(executable_path=exe, headless=headless, args=CHROMIUM_ARGS)


def new_page(browser, viewport: dict | None = None):
    """A page in a new, isolated browser context at 1280x720."""
    context = browser.new_context(viewport=viewport or VIEWPORT)
    return context.new_page()


#: Console errors that have nothing to do with the lessons.  Anything mentioning a widget
#: library or the package is kept even if it also matches one of these.
CONSOLE_NOISE = [
    r"favicon",
    r"extension[-_ ]?manager",
    r"/lab/api/(news|listings|extensions)",
    r"/api/(news|listings)",
    r"jupyter\.org|pypi\.org|npmjs|unpkg|jsdelivr|github",
    r"net::ERR_(NAME_NOT_RESOLVED|INTERNET_DISCONNECTED|NETWORK_CHANGED|CONNECTION_REFUSED)",
    r"ERR_NAME_NOT_RESOLVED",
    r"lsp|language server",
    r"Failed to load resource: the server responded with a status of 404",
    r"Could not find a handler for command",
    r"Kernel.*(is dead|shut ?down)|kernel shutdown|Canceled future for",
    r"WebSocket is already in CLOSING or CLOSED state",
]
CONSOLE_KEEP = [
    r"widget",
    r"anywidget",
    r"ipywidgets",
    r"conv_lesson",
    r"Uncaught",
]


@dataclass
class ConsoleMessage:
    kind: str  # "console.error", "console.warning", "pageerror"
    text: str
    location: str = ""

    def __str__(self) -> str:
        loc = f" [{self.location}]" if self.location else ""
        return f"{self.kind}: {self.text}{loc}"


class ConsoleLog:
    """Collects a page's console messages and uncaught exceptions."""

    def __init__(self) -> None:
        self.messages: list[ConsoleMessage] = []

    @classmethod
    def attach(cls, page) -> ConsoleLog:
        log = cls()
        page.on("console", log._on_console)
        page.on("pageerror", log._on_pageerror)
        return log

    def _on_console(self, msg) -> None:
        if msg.type not in ("error", "warning"):
            return
        try:
            loc = msg.location or {}
            where = f"{loc.get('url', '')}:{loc.get('lineNumber', '')}" if loc.get("url") else ""
        except (AttributeError, TypeError, KeyError):
            where = ""
        self.messages.append(ConsoleMessage(f"console.{msg.type}", msg.text, where))

    def _on_pageerror(self, err) -> None:
        stack = getattr(err, "stack", None) or ""
        text = f"Uncaught {getattr(err, 'name', 'Error')}: {getattr(err, 'message', err)}"
        if stack:
            text += "\n" + stack
        self.messages.append(ConsoleMessage("pageerror", text))

    def mark(self) -> int:
        """Index to pass as ``since`` to only look at later messages."""
        return len(self.messages)

    def errors(self, since: int = 0) -> list[ConsoleMessage]:
        """Page errors and console errors, minus noise that is not about the lessons."""
        out = []
        for m in self.messages[since:]:
            if m.kind == "console.warning":
                continue
            full = f"{m.text} {m.location}"
            keep = m.kind == "pageerror" or any(re.search(p, full, re.IGNORECASE) for p in CONSOLE_KEEP)
            noise = any(re.search(p, full, re.IGNORECASE) for p in CONSOLE_NOISE)
            if keep or not noise:
                out.append(m)
        return out


# Notebook driving

# JS: state of the notebook in the current main-area widget (via window.jupyterapp, which
# exists because of --LabApp.expose_app_in_browser=True).
_JS_NOTEBOOK_STATE = """
() => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return {ok: false, why: 'no window.jupyterapp'};
  const w = app.shell.currentWidget;
  if (!w || !w.content || !w.content.widgets || !w.sessionContext) return {ok: false, why: 'no notebook'};
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.map((c, i) => {
    const m = c.model;
    const src = m.sharedModel.getSource();
    let outputs = [];
    if (m.type === 'code') { try { outputs = m.outputs.toJSON(); } catch (e) {} }
    const prompt = c.node.querySelector('.jp-InputPrompt');
    return {
      index: i,
      type: m.type,
      empty: src.trim() === '',
      count: m.type === 'code' ? m.executionCount : null,
      state: m.type === 'code' ? (m.executionState || null) : null,
      prompt: prompt ? prompt.textContent.trim() : '',
      outputs: outputs,
    };
  });
  return {
    ok: true,
    path: w.context.path,
    ready: w.context.isReady,
    kernelStatus: kernel ? kernel.status : null,
    connection: kernel ? kernel.connectionStatus : null,
    cells: cells,
  };
}
"""


def notebook_state(page) -> dict:
    """Cells (type, execution count, prompt, outputs as nbformat JSON) and kernel status."""
    return page.evaluate(_JS_NOTEBOOK_STATE)


def wait_kernel_idle(page, timeout: float = 60_000) -> None:
    """Wait until the toolbar execution indicator says idle and the kernel is connected."""
    page.wait_for_selector(f'{SEL_EXEC_INDICATOR}[data-status="idle"]', timeout=timeout)
    page.wait_for_function(
        """() => {
          const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
          const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
          return !!(k && k.status === 'idle' && k.connectionStatus === 'connected' && w.context.isReady);
        }""",
        timeout=timeout,
    )


def open_notebook(page, server: LabServer, notebook: str, *, timeout: float = 60_000) -> None:
    """Open ``/lab/tree/NOTEBOOK?token=T&reset`` and wait for an idle, connected kernel.

    The notebook must carry kernelspec metadata (``python3``), otherwise Lab asks for a
    kernel in a dialog.
    """
    page.goto(server.lab_url(notebook), wait_until="domcontentloaded", timeout=timeout)
    page.wait_for_selector(SEL_NOTEBOOK, timeout=timeout)
    wait_kernel_idle(page, timeout=timeout)
    watch_kernel_messages(page)


def open_in_app(page, notebook: str, *, timeout: float = 60_000) -> None:
    """Open ``notebook`` in the JupyterLab already loaded in ``page`` (a new tab); wait as :func:`open_notebook` does.

    Loading JupyterLab itself costs a browser several seconds of CPU; opening one more
    notebook in a loaded app, about one. Close the notebook shown before (:func:`close_current`)
    so that only this one is in the page: the helpers here look at the whole page.
    """
    page.evaluate(
        "(path) => { window.__convKernelMsgs = []; return window.jupyterapp.commands"
        ".execute('docmanager:open', {path, factory: 'Notebook'}).then(() => true); }",
        notebook,
    )
    page.wait_for_function(
        "(path) => { const w = window.jupyterapp.shell.currentWidget;"
        " return !!(w && w.context && w.context.path === path); }",
        arg=notebook,
        timeout=timeout,
    )
    page.wait_for_selector(SEL_NOTEBOOK, timeout=timeout)
    wait_kernel_idle(page, timeout=timeout)
    watch_kernel_messages(page)


def close_current(page, server: LabServer) -> None:
    """Close the notebook shown in ``page`` (not saved), shut its kernel down, wait until it has left the page."""
    path = page.evaluate(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " if (!w || !w.context) return null; const p = w.context.path; w.dispose(); return p; }"
    )
    page.wait_for_function("(sel) => !document.querySelector(sel)", arg=".jp-NotebookPanel", timeout=30_000)
    for sess in server.api("GET", "/api/sessions") or []:
        if sess.get("path") == path:
            server.api("DELETE", f"/api/sessions/{sess['id']}")


_JS_WATCH_KERNEL = r"""
() => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !w.sessionContext) return false;
  const rec = window.__convKernelMsgs = window.__convKernelMsgs || [];
  if (w.__convWatched) return true;
  w.__convWatched = true;
  w.sessionContext.iopubMessage.connect((_, msg) => {
    const t = msg.header.msg_type;
    const c = msg.content || {};
    let text = null;
    if (t === 'error') text = `${c.ename}: ${c.evalue}\n${(c.traceback || []).join('\n')}`;
    else if (t === 'stream' && c.name === 'stderr') text = c.text;
    if (text === null) return;
    rec.push({type: t, parent: (msg.parent_header || {}).msg_type || null, text: String(text).slice(0, 4000)});
  });
  return true;
}
"""


def watch_kernel_messages(page) -> bool:
    """Record the current notebook kernel's stderr/error IOPub messages in the page
    (``window.__convKernelMsgs``).  This is where an exception raised in an ``observe``
    callback run by a widget message ends up ("Exception in comm_msg ..." on stderr with a
    ``comm_msg`` parent): Lab shows it in no cell, only in the log console.  Called by
    :func:`open_notebook`."""
    return bool(page.evaluate(_JS_WATCH_KERNEL))


def kernel_messages(page) -> list[dict]:
    """Messages recorded by :func:`watch_kernel_messages`: ``{type, parent, text}``."""
    return page.evaluate("() => window.__convKernelMsgs || []")


def run_all_cells(page, *, timeout: float = 120_000) -> dict:
    """Run all cells (``notebook:run-all-cells``) and wait until they have all executed.

    Waits for the command's promise, then for an idle kernel, no ``[*]`` prompt anywhere,
    and every non-empty code cell having an execution count -- or stopping early because a
    cell raised (Lab stops run-all at the first error) -- then for every widget output to
    have its view rendered (:func:`wait_widgets_rendered`).  Returns :func:`notebook_state`.
    """
    page.evaluate(
        """(cmd) => {
          window.__convRunAll = undefined;
          window.jupyterapp.commands.execute(cmd).then(
            r => { window.__convRunAll = {ok: true, result: r}; },
            e => { window.__convRunAll = {ok: false, error: String(e)}; });
        }""",
        CMD_RUN_ALL,
    )
    page.wait_for_function("() => window.__convRunAll !== undefined", timeout=timeout)
    result = page.evaluate("() => window.__convRunAll")
    if not result.get("ok"):
        raise RuntimeError(f"{CMD_RUN_ALL} failed: {result.get('error')}")
    page.wait_for_function(
        """() => {
          const w = window.jupyterapp.shell.currentWidget;
          const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
          if (!k || k.status !== 'idle') return false;
          const cells = w.content.widgets;
          let errored = false, pending = false;
          for (const c of cells) {
            const m = c.model;
            if (m.type !== 'code') continue;
            const p = c.node.querySelector('.jp-InputPrompt');
            if (p && p.textContent.includes('*')) return false;
            if (m.executionState === 'running') return false;
            const outs = m.outputs.toJSON();
            if (outs.some(o => o.output_type === 'error')) errored = true;
            if (m.sharedModel.getSource().trim() !== '' && m.executionCount === null) pending = true;
          }
          return errored || !pending;
        }""",
        timeout=timeout,
    )
    wait_kernel_idle(page, timeout=timeout)
    # (this used to sleep 300 ms "to settle"; what the callers then read are the outputs,
    # which are in the model once the kernel is idle, and the widget views, waited for here)
    wait_widgets_rendered(page, timeout=min(timeout, 30_000))
    return notebook_state(page)


# JS predicate: every widget output of the current notebook's model (per code cell) has a
# rendered view in that cell's output area (an element child, not the "Loading widget..."
# placeholder of the ipywidgets renderer), and no output anywhere says "Loading widget...".
_JS_WIDGETS_RENDERED = """
(mime) => {
  if ([...document.querySelectorAll('.jp-OutputArea-output')]
      .some(e => (e.textContent || '').includes('Loading widget...'))) return false;
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.content || !w.content.widgets) return true;  // not a notebook: nothing to wait for
  for (const c of w.content.widgets) {
    if (c.model.type !== 'code') continue;
    const want = c.model.outputs.toJSON().filter(o => o.data && o.data[mime]).length;
    if (!want) continue;
    const outs = [...c.node.querySelectorAll(
      '.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output')];
    const rendered = outs.filter(o => o.firstElementChild && !o.dataset.mimeType).length;
    if (rendered < want) return false;
  }
  return true;
}
"""


def wait_widgets_rendered(page, timeout: float = 15_000) -> bool:
    """Wait until every widget output of the notebook has a rendered view and none shows
    "Loading widget..."; False if that did not happen within ``timeout`` ms."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_JS_WIDGETS_RENDERED, arg=WIDGET_MIME, timeout=timeout)
        return True
    except PlaywrightTimeout:
        return False


_JS_DOM_PROBLEMS = """
(anyStderr) => {
  const out = [];
  const cellIndex = (el) => {
    const cell = el.closest('.jp-Cell');
    if (!cell) return '?';
    return [...cell.parentElement.children].filter(e => e.classList.contains('jp-Cell')).indexOf(cell);
  };
  const short = (s) => (s || '').trim().slice(0, 2000);
  for (const el of document.querySelectorAll('.jp-OutputArea-output')) {
    const t = el.textContent || '';
    if (t.includes('Error displaying widget'))
      out.push(`cell ${cellIndex(el)}: ${short(t)}`);
    if (t.includes('Loading widget...'))
      out.push(`cell ${cellIndex(el)}: widget still "Loading widget..."`);
  }
  for (const el of document.querySelectorAll('.jupyter-widgets-error-widget')) {
    const host = el.closest('.jupyter-widgets');
    out.push(`cell ${cellIndex(el)}: ipywidgets error view: ${short(host ? host.textContent : el.textContent)}`);
  }
  for (const el of document.querySelectorAll(
      '.jupyter-widgets .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
    // stderr / errors inside an ipywidgets.Output (the cells' own outputs are checked
    // from the notebook model, which also has them when they are scrolled away)
    const t = el.textContent || '';
    if (anyStderr || /Traceback|Error|Exception/.test(t))
      out.push(`cell ${cellIndex(el)}: stderr inside an Output widget: ${short(t)}`);
  }
  return out;
}
"""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TRACEBACK = re.compile(r"Traceback|Error|Exception")


def collect_problems(
    page,
    console: ConsoleLog | None = None,
    server: LabServer | None = None,
    *,
    console_since: int = 0,
    log_since: int = 0,
    wait_widgets: float = 15_000,
    any_stderr: bool = False,
) -> list[str]:
    """Everything that looks broken on the page; ``[]`` means clean.

    * outputs saying "Error displaying widget" or still "Loading widget..." (after waiting
      up to ``wait_widgets`` ms for widgets to render);
    * ipywidgets 8 error views (``.jupyter-widgets-error-widget``, e.g. a failing
      anywidget ``_esm``);
    * error outputs of cells and stderr outputs mentioning Traceback/Error/Exception (all
      stderr with ``any_stderr=True``), read from the notebook model; the same for
      stderr rendered inside an ``ipywidgets.Output``
      (``.jupyter-widgets .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]``);
    * kernel errors/stderr sent outside cell execution, e.g. an exception in an
      ``observe`` callback (see :func:`watch_kernel_messages`);
    * browser console errors and uncaught page errors (``console``), minus noise;
    * with ``server``: tracebacks in the server's log since ``log_since`` (the kernels'
      own stdout/stderr, e.g. a crash, go there too).
    """
    from playwright.sync_api import Error as PlaywrightError

    if wait_widgets:
        wait_widgets_rendered(page, timeout=wait_widgets)
    problems: list[str] = list(page.evaluate(_JS_DOM_PROBLEMS, any_stderr))
    try:
        state = notebook_state(page)
    except PlaywrightError as exc:  # page gone or not a notebook
        state = {"ok": False, "why": str(exc)}
    if state.get("ok"):
        for cell in state["cells"]:
            for out in cell["outputs"]:
                if out.get("output_type") == "error":
                    tb = _ANSI.sub("", "\n".join(out.get("traceback") or []))[-1500:]
                    problems.append(f"cell {cell['index']}: {out.get('ename')}: {out.get('evalue')}\n{tb}")
                elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                    text = "".join(out.get("text") or "")
                    if any_stderr or _TRACEBACK.search(text):
                        problems.append(f"cell {cell['index']}: stderr: {text[-1500:]}")
    try:
        kmsgs = kernel_messages(page)
    except PlaywrightError:  # page gone
        kmsgs = []
    for m in kmsgs:
        # outputs of cell executions are already covered above
        if m.get("parent") == "execute_request":
            continue
        if m["type"] == "error" or any_stderr or _TRACEBACK.search(m["text"]):
            text = _ANSI.sub("", m["text"])
            head, _, rest = text.partition("\n")
            problems.append(
                f"kernel {m['type']} during {m.get('parent')} (e.g. an observe callback): "
                + head
                + ("\n..." + rest[-1200:] if rest else "")
            )
    if console is not None:
        problems += [f"browser {m}" for m in console.errors(console_since)]
    if server is not None:
        log = server.log_text(log_since)
        for m in re.finditer(r"Traceback \(most recent call last\)", log):
            start = max(0, log.rfind("\n", 0, max(0, m.start() - 200)))
            problems.append("kernel/server log: " + _ANSI.sub("", log[start : m.start() + 1500]))
    return problems


def wait_for_problems(
    page,
    expected: Iterable[str | tuple[str, ...]],
    console: ConsoleLog | None = None,
    server: LabServer | None = None,
    *,
    console_since: int = 0,
    log_since: int = 0,
    timeout: float = 30_000,
    any_stderr: bool = False,
) -> list[str]:
    """Call :func:`collect_problems` until each of ``expected`` has shown up; return them.

    An item of ``expected`` is a substring, or a tuple of substrings that must all be in
    the *same* problem.  Problems arrive on their own schedule (a console error from a
    widget's render, stderr rendered inside an ``Output`` widget, a kernel message), so one
    collection right after run-all can miss some; this polls (every 100 ms, in
    ``page.wait_for_timeout`` so Playwright delivers console events meanwhile) until all
    are there or ``timeout`` ms have passed, then raises AssertionError naming what is
    missing and showing what was found.
    """
    wanted = [(e,) if isinstance(e, str) else tuple(e) for e in expected]
    deadline = time.monotonic() + timeout / 1000
    wait_widgets: float = min(timeout, 15_000)
    while True:
        problems = collect_problems(
            page, console, server, console_since=console_since, log_since=log_since,
            wait_widgets=wait_widgets, any_stderr=any_stderr,
        )  # fmt: skip
        wait_widgets = 0
        missing = [w for w in wanted if not any(all(part in p for part in w) for p in problems)]
        if not missing:
            return problems
        if time.monotonic() >= deadline:
            raise AssertionError(
                f"within {timeout / 1000:.0f} s these problems never showed up: {missing}; "
                "found:\n" + "\n".join(problems)
            )
        page.wait_for_timeout(100)  # poll interval (not a settle delay): then look again


def run_notebook(
    page,
    server: LabServer,
    notebook: str,
    console: ConsoleLog | None = None,
    *,
    timeout: float = 120_000,
) -> list[str]:
    """open_notebook + run_all_cells + collect_problems in one call."""  # fmt: skip
    since = console.mark() if console is not None else 0
    log_since = server.log_size()
    open_notebook(page, server, notebook, timeout=timeout)
    run_all_cells(page, timeout=timeout)
    return collect_problems(page, console, server, console_since=since, log_since=log_since)


def new_notebook_page(browser, server: LabServer, notebook: str, cells):
    """Write ``cells`` as ``notebook`` in a new folder of its own in the server's root; open a fresh page.

    Returns ``(context, page, console, path)``: a new browser context at :data:`VIEWPORT`, its
    page (30 s default timeout), the page's console log, and the notebook's path relative to
    the root. The caller runs the notebook (``run_notebook(page, server, path, console)``)
    and closes the context.
    """
    path = f"{server.own_folder(Path(notebook).stem)}/{notebook}"
    write_notebook(server.root_dir / path, cells)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page, ConsoleLog.attach(page), path


def screenshot(page, name: str, *, full_page: bool = False, locator=None) -> Path:
    """Save a PNG as ``build/screenshots/<name>.png`` (repo-relative); return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "screenshot"
    path = SCREENSHOT_DIR / (safe if safe.endswith(".png") else safe + ".png")
    if locator is not None:
        locator.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=full_page)
    return path


def presentation_mode(page) -> bool:
    return bool(page.evaluate("() => !!window.jupyterapp.shell.presentationMode"))


def set_presentation_mode(
    page, on: bool = True, *, viewport: dict | None = None, collapse_sidebars: bool = False
) -> None:
    """Switch Lab's Presentation Mode on/off (``application:toggle-presentation-mode``;
    in JupyterLab 4.6 it only enlarges fonts/cells, the shell ``#main`` gets class
    ``jp-mod-presentationMode``) and set the viewport to 1280x720.  With
    ``collapse_sidebars`` also collapse the left and right side panels (more room for the
    lesson, as a presenter would)."""
    page.set_viewport_size(viewport or VIEWPORT)
    if presentation_mode(page) != on:
        page.evaluate("(cmd) => window.jupyterapp.commands.execute(cmd)", CMD_PRESENTATION)
    page.wait_for_function("(on) => !!window.jupyterapp.shell.presentationMode === on", arg=on, timeout=10_000)
    if collapse_sidebars:
        page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
        page.wait_for_function(
            "() => window.jupyterapp.shell.leftCollapsed && window.jupyterapp.shell.rightCollapsed",
            timeout=10_000,
        )
    # (was a 200 ms sleep) Lumino lays the panels out on later animation frames: wait until
    # the notebook and the main area keep their boxes for a few frames
    wait_stable(page, "#main", in_view=False)
    if page.locator(SEL_NOTEBOOK).count():
        wait_stable(page, page.locator(SEL_NOTEBOOK).first, in_view=False, images=False)


#: JS predicate (evaluated every animation frame by ``wait_for_function``): the element's
#: box, the viewport size and the load state of its images have not changed for ``n``
#: frames in a row; with ``inView`` it must also intersect the viewport.
_JS_STABLE = """
([el, n, inView, images]) => {
  if (!el || !el.isConnected) return false;
  const r = el.getBoundingClientRect();
  const imgs = images ? [...el.querySelectorAll('img')] : [];
  const loaded = imgs.every(i => i.complete && i.naturalWidth > 0);
  const key = [r.x, r.y, r.width, r.height, innerWidth, innerHeight, imgs.length, loaded].join(',');
  const st = el.__convStable || (el.__convStable = {key: null, same: 0});
  if (st.key === key) st.same++; else { st.key = key; st.same = 0; }
  const visible = !inView || (r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                              && r.top < innerHeight && r.left < innerWidth);
  return loaded && visible && st.same >= n;
}
"""


def wait_class(locator, cls: str, *, present: bool = True, timeout: float = 10_000) -> None:
    """Wait until the element of ``locator`` has (``present``) or lacks the CSS class ``cls``."""
    locator.page.wait_for_function(
        "([el, cls, present]) => el.classList.contains(cls) === present",
        arg=[locator.element_handle(timeout=timeout), cls, present],
        timeout=timeout,
    )


def wait_attribute(locator, name: str, value: str, *, timeout: float = 10_000) -> None:
    """Wait until the element of ``locator`` has the attribute ``name`` equal to ``value``."""
    locator.page.wait_for_function(
        "([el, name, value]) => el.getAttribute(name) === value",
        arg=[locator.element_handle(timeout=timeout), name, value],
        timeout=timeout,
    )


def wait_stable(
    page,
    target,
    *,
    frames: int = 3,
    in_view: bool = True,
    images: bool = True,
    timeout: float = 10_000,
) -> None:
    """Wait until ``target`` (a selector or Locator) keeps the same box for ``frames``
    animation frames in a row, every <img> in it has loaded (``images``) and, with
    ``in_view``, it is inside the viewport: what a screenshot or a size measurement needs,
    instead of a fixed "let the layout settle" delay."""  # fmt: skip
    loc = page.locator(target) if isinstance(target, str) else target
    handle = loc.first.element_handle(timeout=timeout)
    handle.evaluate("(el) => { delete el.__convStable; }")
    page.wait_for_function(_JS_STABLE, arg=[handle, frames, in_view, images], polling="raf", timeout=timeout)


def current_kernel_id(page) -> str | None:
    return page.evaluate(
        """() => {
          const w = window.jupyterapp.shell.currentWidget;
          const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
          return k ? k.id : null;
        }"""
    )


def shutdown_kernel(page, server: LabServer | None = None, *, timeout: float = 20_000) -> None:
    """Shut down the current notebook's kernel with ``kernelmenu:shutdown`` (no dialog in
    JupyterLab 4.6) and wait until the server no longer lists it.  Falls back to the REST
    API (``DELETE /api/kernels/ID``) when ``server`` is given and the command did not work."""
    kid = current_kernel_id(page)
    if kid is None:
        return
    page.evaluate("(cmd) => window.jupyterapp.commands.execute(cmd)", CMD_SHUTDOWN_KERNEL)
    if server is None:
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return !(w && w.sessionContext.session && w.sessionContext.session.kernel); }",
            timeout=timeout,
        )
        return
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:  # poll the server until the kernel is gone
        if kid not in {k["id"] for k in server.api("GET", "/api/kernels")}:
            return
        time.sleep(0.2)  # poll interval
    server.api("DELETE", f"/api/kernels/{kid}")


def dialogs(page) -> list[str]:
    """Texts of open JupyterLab dialogs (``.jp-Dialog``), e.g. an unexpected confirm."""
    return page.eval_on_selector_all(".jp-Dialog", "els => els.map(e => e.innerText)")


# Latency measurement (used by benchmarks/bench_browser.py)

_JS_INSTALL_PROBE = """
(probeSrc) => {
  if (window.__convBench && window.__convBench.stop) window.__convBench.stop();
  const probe = new Function('return (' + probeSrc + ');');
  const read = () => { try { return String(probe()); } catch (e) { return '<error ' + e + '>'; } };
  const st = window.__convBench = {samples: [], pending: null, stopped: false, frames: 0};
  const onKey = (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    // e.timeStamp shares performance.now()'s clock
    st.pending = {t0: e.timeStamp, before: read()};
  };
  document.addEventListener('keydown', onKey, true);
  const frame = () => {
    if (st.stopped) return;
    st.frames++;
    if (st.pending) {
      const v = read();
      if (v !== st.pending.before) {
        const now = performance.now();
        st.samples.push({ms: now - st.pending.t0, t0: st.pending.t0, t: now, value: v.slice(0, 200)});
        st.pending = null;
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  st.stop = () => { st.stopped = true; document.removeEventListener('keydown', onKey, true); };
  return read();
}
"""


#: JS predicate, every animation frame: true on the 3rd call in a row in which the current
#: notebook's kernel is idle (or there is none): the page is quiet again after a press.
_JS_QUIET = """
() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  const idle = !k || k.status === 'idle' || k.status === 'dead' || k.status === 'unknown';
  window.__convQuiet = idle ? (window.__convQuiet || 0) + 1 : 0;
  if (window.__convQuiet >= 3) { window.__convQuiet = 0; return true; }
  return false;
}
"""


def measure(
    page,
    slider_selector: str,
    changed_probe_js: str,
    presses: int = 20,
    *,
    key: str = "ArrowRight",
    timeout_ms: float = 10_000,
    details: bool = False,
) -> list[float] | list[dict]:
    """Latency (ms) from each key press on a slider to the first animation frame in which
    ``changed_probe_js`` (a JS *expression* returning a string, e.g.
    ``document.querySelector('.x img').src``) differs from before the press.

    Measured inside the page: a capture-phase ``keydown`` listener records the event's
    timestamp, a ``requestAnimationFrame`` loop evaluates the probe every frame.  Presses
    are sequential: the next one only after the previous change was seen, the notebook's
    kernel (if any) is idle again and a few more frames were painted, so a press never
    overlaps the work the previous one caused (this replaced a fixed 50 ms pause).  With
    ``details=True`` each sample is a dict ``{ms, t0, t, value}`` (``t0``: the keydown's
    timestamp, ``t``: the frame that saw the change, both on ``performance.now()``'s
    clock) instead of a number.
    """
    handle = page.locator(slider_selector).first
    handle.wait_for(state="visible", timeout=timeout_ms)
    handle.scroll_into_view_if_needed()
    page.evaluate(_JS_INSTALL_PROBE, changed_probe_js)
    handle.focus()
    try:
        for i in range(presses):
            page.keyboard.press(key)
            page.wait_for_function("(n) => window.__convBench.samples.length > n", arg=i, timeout=timeout_ms)
            page.wait_for_function(_JS_QUIET, timeout=timeout_ms, polling="raf")
        samples = page.evaluate("() => window.__convBench.samples")
    finally:
        page.evaluate("() => window.__convBench && window.__convBench.stop()")
    return samples if details else [s["ms"] for s in samples]


# Notebook writing


def write_notebook(path: str | os.PathLike, cells: list[tuple[str, str]]) -> Path:
    """Write an nbformat v4 notebook with python3 kernelspec metadata.

    ``cells`` is a list of ``("code" | "markdown", source)``.
    """
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, src in cells:
        nb.cells.append(nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path
