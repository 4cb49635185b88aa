"""A class on one hub: N students at once under a real JupyterHub, on loopback.

Usage:  python benchmarks/bench_classroom.py [--students N] [--browsers B] [--steps S]
                                             [--lesson NAME] [--json FILE]

What it starts (and stops again, by PID, whatever happens):
  * JupyterHub (``jupyterhub``), its DummyAuthenticator (any name, password "classroom") and
    the SimpleLocalProcessSpawner: every student a hub user whose single-user JupyterLab runs
    as a local process with its own home folder below a temporary directory;
  * configurable-http-proxy (npm) in front of it, as on The Littlest JupyterHub; if it is not
    on PATH it is installed once with npm into build/tools/.

Then every student, at the same moment:
  1. asks the hub's REST API to start their server (the lesson is copied into their home
     first, as an nbgitpuller link would put it there) and waits until it is ready;
  2. starts a kernel through their server (through the proxy) and runs every code cell of
     the student notebook of the lesson (default 02), in order, over the kernel's websocket;
  3. steps the lesson's live stepper (the one whose frames the kernel draws) S times through
     the widget's comm messages, as the page does: ``{"request": step}`` to the picture's
     model, then waits for the update that carries that step's frame.
``--browsers B`` of them (default 3) are real Chromium pages instead: log in to the hub,
open the lesson in JupyterLab through the proxy, Run All, then press -> on the live
stepper's step slider S times, timing key -> new picture inside the page (as
bench_browser.py does).

Printed per student: time from "start server" to the first stepper's picture, the server
start, the Run All time, the memory of the server and the kernel (PSS: shared pages split
fairly between the processes that share them), the step times (median, max) and any error;
then the totals, the machine's load, and whether every process it started has stopped.

Targets (issue 21, this 2-core machine, 20 students): every Run All succeeds, median time
to the first stepper <= 20 s, memory <= 300 MB per student, browser key -> picture median
<= 100 ms, nothing left running.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))

import jupyter_browser as jb  # noqa: E402 - found through the sys.path line above

PASSWORD = "classroom"
#: Server extensions of the test environment that a student's image (README, "Teach a class") does not have.
NOT_IN_STUDENT_IMAGE = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "notebook",
)
#: Server extensions the student image has but the guide turns off (README, "Teach a class"): no student
#: uses them, and together they cost every server start 0.25 s of CPU (1.74 s against 1.49 s, medians of 5).
OFF_FOR_STUDENTS = ("jupyter_lsp", "voila.server_extension")
CHP_VERSION = "5.3.0"
TOOLS = REPO_ROOT / "build" / "tools"
#: The lesson's live stepper: a picture drawn by the kernel at every step.
LIVE = ".conv-lesson-stepper:has(.conv-lesson-frameview[data-mode=live])"
LIVE_HANDLE = f"{LIVE} .conv-lesson-step input[type=range]"
LIVE_SHOWN_PROBE = f"""(() => {{
  const img = document.querySelector('{LIVE} img.conv-lesson-frame');
  if (!img) return '';
  if (img.complete && img.naturalWidth > 0) window.__convShownSrc = img.getAttribute('src');
  return window.__convShownSrc || '';
}})()"""


# The proxy


def proxy_command() -> str:
    """configurable-http-proxy's executable: on PATH, or installed once with npm into build/tools."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    local = TOOLS / "node_modules" / ".bin" / "configurable-http-proxy"
    if not local.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("configurable-http-proxy is not on PATH and npm is missing: apt-get install npm")
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(TOOLS),
             f"configurable-http-proxy@{CHP_VERSION}"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return str(local)


# The hub


def free_port() -> int:
    return jb.free_port()


@dataclass
class Hub:
    """A JupyterHub on loopback in ``base``; :meth:`stop` ends it and every process it started."""

    base: Path
    port: int
    token: str
    proc: subprocess.Popen
    log_path: Path
    seen: dict[int, psutil.Process] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, method: str, path: str, body=None, token: str | None = None, timeout: float = 30):
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token or self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            text = resp.read().decode()
        return json.loads(text) if text else None

    def watch(self) -> None:
        """Remember every process below the hub (the proxy, servers, kernels), to stop them by PID."""
        try:
            for p in [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]:
                self.seen.setdefault(p.pid, p)
        except psutil.NoSuchProcess:
            pass

    def stop(self, timeout: float = 30) -> list[str]:
        """Stop the hub (it stops the servers and the proxy), then anything left; returns what had to be killed."""
        self.watch()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        _gone, alive = psutil.wait_procs([p for p in self.seen.values() if p.is_running()], timeout=10)
        killed = []
        for p in alive:
            try:
                killed.append(f"{p.pid} {' '.join(p.cmdline())[:80]}")
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=5)
        return killed

    def still_running(self) -> list[int]:
        return [pid for pid, p in self.seen.items() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def start_hub(base: Path, homes: Path, *, timeout: float = 300, nice: int = 0) -> Hub:
    """Write a hub config into ``base`` and start JupyterHub on a free loopback port.

    ``timeout`` is for a hub that hangs, as the spawner's 300 s are for a server: a niced hub on two
    busy cores took over 60 s to write its first log line (a CI run beside one busy core).

    ``nice`` > 0 runs the hub, and so the proxy, servers and kernels it starts, at that lower CPU
    priority (the test suite's small class, so that it never starves the tests beside it).
    """
    port, hub_port, api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(32)
    bin_dir = Path(sys.executable).parent
    single_user = [str(bin_dir / "jupyterhub-singleuser")]
    args = ["--LabApp.extension_manager=readonly", "--LabApp.expose_app_in_browser=True"]
    # The servers are what README's "Teach a class" image holds: requirements.txt, jupyterhub and
    # nbgitpuller. This environment has the test tools too; their server extensions stay off.
    args += [f"--ServerApp.jpserver_extensions={ext}=False" for ext in NOT_IN_STUDENT_IMAGE + OFF_FOR_STUDENTS]
    if os.geteuid() == 0:
        args.append("--allow-root")  # CI runs as root; a real hub runs students as themselves
    config = f"""
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy_command()!r}]
c.ConfigurableHTTPProxy.pid_file = {str(base / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{base / "hub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(base / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / "{username}")!r}
c.Spawner.cmd = {single_user!r}
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {{"MPLBACKEND": "module://matplotlib_inline.backend_inline"}}
c.JupyterHub.services = [{{"name": "classroom-bench", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "classroom-bench",
    "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"],
    "services": ["classroom-bench"],
}}]
"""
    (base / "jupyterhub_config.py").write_text(config)
    log_path = base / "hub.log"
    log = open(log_path, "wb")  # noqa: SIM115 - the hub writes to it until it stops
    env = os.environ.copy()
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    niced = ["nice", "-n", str(nice)] if nice else []  # nice execs the hub: the PID stays the hub's
    proc = subprocess.Popen(
        [*niced, str(bin_dir / "jupyterhub"), "-f", str(base / "jupyterhub_config.py")],
        cwd=base, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    hub = Hub(base, port, token, proc, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            hub.api("GET", "/", timeout=2)
            hub.watch()
            return hub
        except OSError:
            time.sleep(0.2)  # poll interval while the hub starts
    hub.stop()
    raise RuntimeError(f"JupyterHub did not start; log tail:\n{log_path.read_text()[-3000:]}")


# One student, through the kernel API


@dataclass
class Result:
    name: str
    browser: bool = False
    server_s: float | None = None  # "start server" -> the server answers
    first_picture_s: float | None = None  # "start server" -> the first stepper's picture
    run_start_s: float | None = None  # "start server" -> running the lesson's cells began
    run_all_s: float | None = None
    cells: int = 0
    steps_ms: list[float] = field(default_factory=list)
    server_mb: float | None = None
    kernel_mb: float | None = None
    cpu_s: float | None = None  # CPU time of the server and the kernel, start to the last step
    kernel_cpu_s: float | None = None  # ... of which the kernel
    start_cpu_s: float | None = None  # the server's CPU time when it was ready (kernel students)
    cell_s: list[float] = field(default_factory=list)  # each code cell's time (kernel students)
    error: str | None = None

    @property
    def memory_mb(self) -> float | None:
        return None if self.server_mb is None else self.server_mb + (self.kernel_mb or 0)


def lesson_cells(lesson: str) -> list[str]:
    nb = json.loads((REPO_ROOT / "notebooks" / f"{lesson}.ipynb").read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


async def wait_server(hub: Hub, name: str, timeout: float = 300) -> None:
    """Follow the hub's progress stream of ``name``'s spawn (what the "starting" page shows) until ready."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    events: list[dict] = []

    def on_chunk(chunk: bytes) -> None:
        for line in chunk.decode().splitlines():
            if line.startswith("data:"):
                events.append(json.loads(line[5:]))

    request = HTTPRequest(
        f"{hub.url}/hub/api/users/{name}/server/progress",
        headers={"Authorization": f"token {hub.token}"},
        streaming_callback=on_chunk,
        request_timeout=timeout,
    )
    await AsyncHTTPClient().fetch(request)  # the stream ends when the spawn has finished, one way or the other
    if not any(e.get("ready") for e in events):
        raise RuntimeError(f"{name}'s server did not start: {events[-1] if events else 'no progress events'}")


def message(msg_type: str, content: dict, session: str, channel: str = "shell") -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "student", "session": session,
                   "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
    }  # fmt: skip


class KernelClient:
    """The kernel websocket of one student's server: execute code, see widget models, talk to them."""

    def __init__(self, ws):
        self.ws = ws
        self.session = uuid.uuid4().hex
        self.models: dict[str, dict] = {}  # comm id -> widget state as opened
        self.first_frameview: float | None = None

    @classmethod
    async def connect(cls, base_url: str, token: str):
        from tornado.httpclient import AsyncHTTPClient, HTTPRequest
        from tornado.websocket import websocket_connect

        headers = {"Authorization": f"token {token}"}
        resp = await AsyncHTTPClient().fetch(
            HTTPRequest(f"{base_url}api/kernels", method="POST", body="{}", headers=headers, request_timeout=120)
        )
        kernel = json.loads(resp.body)
        ws_url = base_url.replace("http://", "ws://") + f"api/kernels/{kernel['id']}/channels"
        ws = await websocket_connect(HTTPRequest(ws_url, headers=headers), max_message_size=256 * 1024 * 1024)
        return cls(ws)

    async def receive(self) -> dict:
        raw = await self.ws.read_message()
        if raw is None:
            raise ConnectionError("the kernel's websocket closed")
        if isinstance(raw, bytes):  # a message with buffers: binary framing; only its JSON parts are needed here
            n = int.from_bytes(raw[:4], "little")
            offsets = [int.from_bytes(raw[4 * (i + 1) : 4 * (i + 2)], "little") for i in range(n)]
            raw = raw[offsets[0] : offsets[1]].decode() if n > 1 else raw[offsets[0] :].decode()
        msg = json.loads(raw)
        if msg.get("msg_type") == "comm_open" or msg.get("header", {}).get("msg_type") == "comm_open":
            content = msg["content"]
            state = (content.get("data") or {}).get("state") or {}
            self.models[content["comm_id"]] = state
            if "live_frame" in state and self.first_frameview is None and (state.get("frames") or state["live_frame"]):
                self.first_frameview = time.monotonic()
        elif msg.get("header", {}).get("msg_type") == "comm_msg":
            content = msg["content"]
            state = (content.get("data") or {}).get("state") or {}
            if content["comm_id"] in self.models:
                self.models[content["comm_id"]].update(state)
                if self.first_frameview is None and (state.get("frames") or state.get("live_frame")):
                    self.first_frameview = time.monotonic()
        return msg

    async def execute(self, code: str, timeout: float = 300) -> None:
        """Run ``code``; raise with the traceback's last line if it fails."""
        request = message("execute_request", {"code": code, "silent": False, "store_history": True,
                                              "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
                          self.session)  # fmt: skip
        await self.ws.write_message(json.dumps(request))
        msg_id, replied, idle, error = request["header"]["msg_id"], False, False, None
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            msg = await asyncio.wait_for(self.receive(), max(deadline - time.monotonic(), 0.1))
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "execute_reply":
                replied = True
                if msg["content"].get("status") != "ok":
                    error = f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}"
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            elif kind == "error":
                error = f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}"
        if error:
            raise RuntimeError(f"cell failed: {error}\n{code[:200]}")

    def live_frameview(self) -> str:
        live = [cid for cid, s in self.models.items() if s.get("mode") == "live" and "live_frame" in s]
        if not live:
            raise RuntimeError("the lesson showed no live stepper")
        return live[-1]

    async def step(self, comm_id: str, step: int, timeout: float = 60) -> float:
        """Ask the live picture for ``step`` as the page does; seconds until its frame arrives."""
        data = {"method": "custom", "content": {"request": step}}
        t0 = time.monotonic()
        await self.ws.write_message(json.dumps(message("comm_msg", {"comm_id": comm_id, "data": data}, self.session)))
        deadline = t0 + timeout
        while True:
            msg = await asyncio.wait_for(self.receive(), max(deadline - time.monotonic(), 0.1))
            if msg.get("header", {}).get("msg_type") != "comm_msg" or msg["content"].get("comm_id") != comm_id:
                continue
            state = (msg["content"].get("data") or {}).get("state") or {}
            if state.get("live_step") == step and state.get("live_frame"):
                return time.monotonic() - t0


def usage(hub: Hub, name: str) -> tuple[float | None, float | None, float | None, float | None]:
    """PSS (MB) of ``name``'s single-user server and of its kernels; CPU seconds of both, and of the kernels."""
    hub.watch()
    for p in list(hub.seen.values()):
        try:
            if p.environ().get("JUPYTERHUB_USER") != name or "singleuser" not in " ".join(p.cmdline()):
                continue
            kernels = p.children(recursive=True)
            mb = lambda q: q.memory_full_info().pss / 2**20  # noqa: E731
            cpu = lambda q: sum(q.cpu_times()[:2])  # noqa: E731
            kernel_cpu = sum(cpu(k) for k in kernels)
            return mb(p), sum(mb(k) for k in kernels), cpu(p) + kernel_cpu, kernel_cpu
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return None, None, None, None


def prepare_home(homes: Path, name: str, lesson: str) -> None:
    home = homes / name
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "notebooks" / f"{lesson}.ipynb", home / f"{lesson}.ipynb")


async def kernel_student(hub: Hub, name: str, lesson: str, steps: int, t_start: float, result: Result) -> None:
    token = (await asyncio.to_thread(hub.api, "POST", f"/users/{name}/tokens", {"expires_in": 3600}))["token"]
    await asyncio.to_thread(hub.api, "POST", f"/users/{name}/server")
    await wait_server(hub, name)
    result.server_s = time.monotonic() - t_start
    result.start_cpu_s = (await asyncio.to_thread(usage, hub, name))[2]
    base_url = f"{hub.url}/user/{name}/"
    client = await KernelClient.connect(base_url, token)
    try:
        t0 = time.monotonic()
        result.run_start_s = t0 - t_start
        for code in lesson_cells(lesson):
            t_cell = time.monotonic()
            await client.execute(code)
            result.cell_s.append(time.monotonic() - t_cell)
            result.cells += 1
        result.run_all_s = time.monotonic() - t0
        if client.first_frameview is not None:
            result.first_picture_s = client.first_frameview - t_start
        live = client.live_frameview()
        for i in range(steps):
            result.steps_ms.append(1000 * await client.step(live, 2 + i))
        result.server_mb, result.kernel_mb, result.cpu_s, result.kernel_cpu_s = usage(hub, name)
    finally:
        client.ws.close()


# One student in a real browser


def browser_student(hub: Hub, name: str, lesson: str, steps: int, t_start: float, result: Result) -> None:
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = jb.launch_browser(pw)
            try:
                page = jb.new_page(browser)
                page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded", timeout=120_000)
                page.fill("input[name=username]", name)
                page.fill("input[name=password]", PASSWORD)
                page.click("input[type=submit], button[type=submit]")
                page.wait_for_url("**/user/**", timeout=300_000)  # the hub spawns the server, then redirects
                result.server_s = time.monotonic() - t_start
                page.goto(f"{hub.url}/user/{name}/lab/tree/{lesson}.ipynb?reset", wait_until="domcontentloaded")
                page.wait_for_selector(jb.SEL_NOTEBOOK, timeout=300_000)
                jb.wait_kernel_idle(page, timeout=300_000)
                jb.watch_kernel_messages(page)
                t0 = time.monotonic()
                result.run_start_s = t0 - t_start
                page.evaluate("() => { window.__convFirst = null; }")
                page.evaluate(
                    """() => new MutationObserver((_, obs) => {
                         if (document.querySelector('.conv-lesson-stepper img.conv-lesson-frame[src]')) {
                           window.__convFirst = Date.now(); obs.disconnect(); }
                       }).observe(document.body, {subtree: true, childList: true, attributes: true})"""
                )
                state = jb.run_all_cells(page, timeout=600_000)
                result.run_all_s = time.monotonic() - t0
                errors = [c for c in state.get("cells", []) if c.get("error")] if isinstance(state, dict) else []
                if errors:
                    raise RuntimeError(f"Run All raised: {errors[0]}")
                first = page.evaluate("() => window.__convFirst")
                if first:
                    result.first_picture_s = first / 1000 - (time.time() - time.monotonic()) - t_start
                result.cells = len(lesson_cells(lesson))
                page.locator(LIVE_HANDLE).first.wait_for(state="attached", timeout=60_000)
                result.steps_ms = jb.measure(page, LIVE_HANDLE, LIVE_SHOWN_PROBE, presses=steps, timeout_ms=60_000)
                result.server_mb, result.kernel_mb, result.cpu_s, result.kernel_cpu_s = usage(hub, name)
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001 - reported per student, the class goes on
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"


# The class


async def run_class(
    hub: Hub, homes: Path, n: int, browsers: int, lesson: str, steps: int, arrival: float = 0.0
) -> list[Result]:
    """Every student's session, concurrently; student i starts ``i * arrival / n`` seconds in (0: all at once)."""
    names = [f"student{i:02d}" for i in range(1, n + 1)]
    in_browser = {round(k * n / browsers) for k in range(browsers)} if browsers else set()  # spread over the class
    results = [Result(name, browser=i in in_browser) for i, name in enumerate(names)]
    for name in names:
        prepare_home(homes, name, lesson)
    hub.api("POST", "/users", {"usernames": names})  # the class list, as an instructor would add it
    threads = []
    tasks = []
    for i, result in enumerate(results):
        await asyncio.sleep(arrival / n if i else 0)  # students come in one after another over ``arrival`` s
        t_start = time.monotonic()  # each student's times count from their own start
        if result.browser:
            t = threading.Thread(target=browser_student, args=(hub, result.name, lesson, steps, t_start, result))
            t.start()
            threads.append(t)
        else:
            tasks.append(asyncio.create_task(guard(kernel_student(hub, result.name, lesson, steps, t_start, result),
                                                   result)))  # fmt: skip

    async def watcher():
        while any(not t.done() for t in tasks) or any(t.is_alive() for t in threads):
            hub.watch()
            await asyncio.sleep(1)  # remember new processes (servers, kernels) to stop them by PID later

    await asyncio.gather(*tasks, watcher())
    for t in threads:
        await asyncio.to_thread(t.join)
    return results


async def guard(coro, result: Result) -> None:
    try:
        await coro
    except Exception as exc:  # noqa: BLE001 - reported per student, the class goes on
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"


def fmt(x, spec=".1f", unit=""):
    return "-" if x is None else f"{x:{spec}}{unit}"


def report(results: list[Result], wall_s: float, leftover: list[str], killed: list[str], lesson: str) -> dict:
    print(f"\n{'student':<11} {'kind':<7} {'server':>7} {'first pic':>9} {'run all':>8} {'cells':>5} "
          f"{'server MB':>9} {'kernel MB':>9} {'CPU':>6} {'step med':>8} {'step max':>8}  error")  # fmt: skip
    for r in results:
        med = statistics.median(r.steps_ms) if r.steps_ms else None
        print(f"{r.name:<11} {'browser' if r.browser else 'kernel':<7} {fmt(r.server_s, '.1f', ' s'):>7} "
              f"{fmt(r.first_picture_s, '.1f', ' s'):>9} {fmt(r.run_all_s, '.1f', ' s'):>8} {r.cells:>5} "
              f"{fmt(r.server_mb, '.0f'):>9} {fmt(r.kernel_mb, '.0f'):>9} {fmt(r.cpu_s, '.1f', ' s'):>6} "
              f"{fmt(med, '.0f', ' ms'):>8} "
              f"{fmt(max(r.steps_ms) if r.steps_ms else None, '.0f', ' ms'):>8}  {r.error or ''}")  # fmt: skip
    ok = [r for r in results if r.error is None]
    med = lambda xs: statistics.median(xs) if xs else None  # noqa: E731
    browser_steps = [s for r in results if r.browser for s in r.steps_ms]
    kernel_steps = [s for r in results if not r.browser for s in r.steps_ms]
    summary = {
        "students": len(results),
        "succeeded": len(ok),
        "wall_s": wall_s,
        "first_picture_median_s": med([r.first_picture_s for r in results if r.first_picture_s is not None]),
        "first_picture_max_s": max((r.first_picture_s for r in results if r.first_picture_s is not None), default=None),
        "server_start_median_s": med([r.server_s for r in results if r.server_s is not None]),
        "run_all_median_s": med([r.run_all_s for r in results if r.run_all_s is not None]),
        "memory_median_mb": med([r.memory_mb for r in results if r.memory_mb is not None]),
        "memory_max_mb": max((r.memory_mb for r in results if r.memory_mb is not None), default=None),
        "cpu_median_s": med([r.cpu_s for r in results if r.cpu_s is not None]),
        "server_start_cpu_median_s": med([r.start_cpu_s for r in results if r.start_cpu_s is not None]),
        "kernel_cpu_median_s": med([r.kernel_cpu_s for r in results if r.kernel_cpu_s is not None]),
        "browser_key_to_picture_median_ms": med(browser_steps),
        "browser_key_to_picture_max_ms": max(browser_steps, default=None),
        "comm_step_median_ms": med(kernel_steps),
        "comm_step_max_ms": max(kernel_steps, default=None),
        "left_running": leftover,
        "killed_at_stop": killed,
    }
    print(f"\n{len(ok)}/{len(results)} students ran every cell and stepped; wall time {wall_s:.1f} s")
    for key in summary:
        if key in ("students", "succeeded", "wall_s", "left_running", "killed_at_stop"):
            continue
        print(f"  {key:<34} {fmt(summary[key], '.1f')}")
    timed = [r.cell_s for r in results if len(r.cell_s) == r.cells and r.cells]
    if timed:
        sources = lesson_cells(lesson)
        per_cell = [statistics.median(t[i] for t in timed) for i in range(len(timed[0]))]
        summary["slowest_cells"] = sorted(
            ((s, sources[i].splitlines()[0]) for i, s in enumerate(per_cell)), reverse=True
        )[:4]
        print(f"  slowest cells (median over students; Run All median {sum(per_cell):.1f} s):")
        for sec, first_line in summary["slowest_cells"]:
            print(f"    {sec:5.2f} s  {first_line[:70]}")
    print(f"  processes left running after stop: {len(leftover)}" + (f" {leftover}" if leftover else ""))
    if killed:
        print(f"  had to be killed (did not stop on SIGTERM): {killed}")
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--browsers", type=int, default=3, help="how many of the students use a real Chromium page")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--arrival", type=float, default=0.0, help="students start one by one over this many s")
    parser.add_argument("--lesson", default="02_feature_detector_and_feature_map")
    parser.add_argument("--json", help="write the per-student figures and the summary here")
    args = parser.parse_args(argv)
    if args.students < 1 or not 0 <= args.browsers <= args.students:
        parser.error("--students must be >= 1 and --browsers between 0 and --students")
    with tempfile.TemporaryDirectory(prefix="conv-class-") as tmp:
        base = Path(tmp)
        homes = base / "home"
        hub = start_hub(base, homes)
        t0 = time.monotonic()
        killed: list[str] = []
        try:
            results = asyncio.run(
                run_class(hub, homes, args.students, args.browsers, args.lesson, args.steps, args.arrival)
            )
            wall = time.monotonic() - t0
        finally:
            killed = hub.stop()
        leftover = [f"{pid}" for pid in hub.still_running()]
        load = os.getloadavg()
        summary = report(results, wall, leftover, killed, args.lesson)
        print(f"  load average (1, 5 min): {load[0]:.1f}, {load[1]:.1f} on {os.cpu_count()} cores")
        if args.json:
            Path(args.json).write_text(json.dumps({"summary": summary, "students": [r.__dict__ for r in results]},
                                                  indent=1))  # fmt: skip
    return 0 if all(r.error is None for r in results) and not leftover else 1


if __name__ == "__main__":
    sys.exit(main())
