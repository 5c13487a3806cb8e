"""A throw-away JupyterLab server for browser tests, and helpers to drive it with Playwright.

The server runs as a subprocess in its own session on 127.0.0.1, on a free port, with a random
token, and with every Jupyter config/runtime/settings/workspace directory inside a temp dir, so
nothing of the user's own Jupyter set-up is read or written. It serves *copies* of notebooks
(JupyterLab autosaves what it opens). ``LabServer.stop`` ends it by PID in every case.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from . import processes

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"  # git-ignored
SERVER_START_TIMEOUT = 60.0  # s; it takes 4-8 s on 2 busy cores
SERVER_STOP_TIMEOUT = 10.0  # s of SIGTERM before SIGKILL
KERNEL_TIMEOUT = 60_000  # ms: notebook open until its kernel is idle
RUN_ALL_TIMEOUT = 90_000  # ms: Run All Cells until every code cell has run
UI_TIMEOUT = 20_000  # ms: any other wait for the page (a widget updating, a click)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """``jupyter lab`` on copies of notebooks under ``root/work``; config and state under ``root``.

    ``root`` must be an empty, private directory (a pytest tmp dir). Files to serve are copied
    into ``self.work`` before or after ``start()``.
    """

    def __init__(self, root):
        self.root = Path(root)
        self.work = self.root / "work"
        self.token = secrets.token_hex(16)
        self.port = None
        self.proc = None
        self.log_path = self.root / "jupyter.log"
        self._log = None
        self._tree = []  # identities of the server and everything it started

    # --- lifecycle --------------------------------------------------------------------------

    def _environment(self):
        dirs = {
            "JUPYTER_CONFIG_DIR": self.root / "config",
            "JUPYTER_DATA_DIR": self.root / "data",
            "JUPYTER_RUNTIME_DIR": self.root / "runtime",
            "JUPYTERLAB_SETTINGS_DIR": self.root / "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": self.root / "lab-workspaces",
            "IPYTHONDIR": self.root / "ipython",
        }
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        # The "Jupyter news" toast covers outputs even with news_url=None; disabling the
        # announcements plugin is what removes it.
        labconfig = dirs["JUPYTER_CONFIG_DIR"] / "labconfig"
        labconfig.mkdir(exist_ok=True)
        (labconfig / "page_config.json").write_text(
            json.dumps(
                {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
            )
        )
        env = dict(os.environ)
        env.update({name: str(path) for name, path in dirs.items()})
        env.pop("JUPYTER_PATH", None)
        env.pop("MPLBACKEND", None)  # it would leak into the kernel and hide inline plots
        # the kernel must be this environment's Python, like the server
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def _command(self):
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.work}",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.extension_manager=readonly",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # jupyter lab exits 1 as root without it
        return command

    def start(self):
        self.work.mkdir(parents=True, exist_ok=True)
        env = self._environment()
        # A port found free can be taken before the server binds it; port_retries=0 makes the
        # server exit instead of silently moving, and we try another port.
        for _attempt in range(3):
            self.port = free_port()
            self._log = open(self.log_path, "ab")  # closed in stop()
            self.proc = subprocess.Popen(
                self._command(),
                cwd=self.work,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stopped as a whole by its PID
            )
            self._tree = [processes.identity(self.proc.pid)]
            if self._wait_ready():
                return self
            self.stop()
            if "already in use" not in self.log():
                break
        raise RuntimeError(
            f"JupyterLab did not become ready within {SERVER_START_TIMEOUT:.0f} s. "
            f"Its log ({self.log_path}):\n{self.log()[-4000:]}"
        )

    def _wait_ready(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                self.api("GET", "/api/status", timeout=2)
                return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
        return False

    def snapshot(self):
        """Remember the server's current descendants (kernels) so stop() can account for them."""
        if self.proc is not None and self.proc.poll() is None:
            known = set(self._tree)
            self._tree.extend(i for i in processes.descendants(self.proc.pid) if i not in known)

    def running(self):
        """(identity, command line) of the server and each process it started, as of now."""
        self.snapshot()
        return [(i, processes.cmdline(i[0])) for i in self._tree if i and processes.is_alive(i)]

    def stop(self):
        """Stop the server by its PID: SIGTERM to its process group, SIGKILL after a timeout.

        Kernels run in sessions of their own (jupyter_client starts them so), so the kernels
        seen under the server are then stopped by their PIDs too. Returns the identities of
        every process that belonged to the server, for a leak check.
        """
        if self.proc is None:
            return []
        self.snapshot()
        pgid = self.proc.pid  # start_new_session: the group id is the server's PID
        if self.proc.poll() is None:
            _killpg(pgid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                _killpg(pgid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        _killpg(pgid, signal.SIGKILL)  # anything left in the server's group
        processes.stop([i for i in self._tree if i is not None], timeout=5.0)
        if self._log is not None:
            self._log.close()
            self._log = None
        tree = [i for i in self._tree if i is not None]
        self.proc = None
        return tree

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    # --- REST API ---------------------------------------------------------------------------

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def api(self, method, path, body=None, timeout=10):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def shutdown_kernels(self):
        """Shut down every running kernel (frees the CPU for the next test)."""
        self.snapshot()
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)

    def lab_url(self, path):
        """URL that opens ``path`` in a fresh workspace (so no earlier test's tabs come back)."""
        workspace = "e2e-" + uuid.uuid4().hex[:8]
        tree = f"/tree/{path}" if path else ""
        return f"{self.base_url}/lab/workspaces/{workspace}{tree}?token={self.token}"


def _killpg(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# --- driving a notebook in the page ---------------------------------------------------------


def load_lab(page, server):
    """Load JupyterLab in ``page`` with a fresh workspace, and wait until it is ready."""
    page.goto(server.lab_url(""), timeout=KERNEL_TIMEOUT)
    page.locator(".jp-Launcher-body").wait_for(state="visible", timeout=KERNEL_TIMEOUT)


def menu(page, top, item):
    """Click a menu-bar entry, then the item whose label starts with ``item``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}")).click()


def open_notebook(page, server, path):
    """File > Open from Path…: open ``path`` (relative to the server's root), wait for its
    kernel to be idle. JupyterLab must be loaded in ``page`` with no notebook open."""
    menu(page, "File", "Open from Path")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill(path)
    dialog.locator(".jp-mod-accept").click()
    page.locator(".jp-NotebookPanel").wait_for(state="visible", timeout=KERNEL_TIMEOUT)
    wait_for_text(
        page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current"), Path(path).name
    )
    wait_idle(page, KERNEL_TIMEOUT)


def close_notebook(page):
    """File > Close and Shut Down Notebook…, confirmed: the tab closes and its kernel stops."""
    menu(page, "File", "Close and Shut Down Notebook")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.locator(".jp-NotebookPanel").wait_for(state="detached")


def wait_idle(page, timeout=UI_TIMEOUT):
    from playwright.sync_api import expect

    expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=timeout)


def run_all_cells(page, timeout=RUN_ALL_TIMEOUT):
    """Run > Run All Cells, then wait until every code cell shows an execution count.

    If a cell raises, fail at once with the traceback the learner would see.
    """
    menu(page, "Run", "Run All Cells")
    handle = page.wait_for_function(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            if (!panel) return null;
            const error = panel.querySelector(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
                + ' .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]');
            if (error && error.closest('.jp-Cell')
                      && /Error|Traceback/.test(error.textContent)) {
                return {error: error.textContent};
            }
            // a cell whose input is collapsed shows a placeholder prompt that never gets an
            // execution count; the kernel's idle state (wait_idle below) covers those cells
            const prompts = [...panel.querySelectorAll(
                '.jp-CodeCell .jp-InputPrompt:not(.jp-Placeholder-prompt)')];
            const done = prompts.length > 0
                && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            return done ? {error: null} : null;
        }""",
        timeout=timeout,
        polling=200,
    )
    result = handle.json_value()
    if result["error"]:
        raise AssertionError(f"a notebook cell failed in JupyterLab:\n{result['error'][-3000:]}")
    wait_idle(page)


def explorer(page, css_class):
    """The explorer widget with ``css_class``, scrolled into view once it has rendered."""
    widget = page.locator(f".jp-NotebookPanel {css_class}")
    widget.wait_for(state="visible")
    widget.scroll_into_view_if_needed()
    return widget


def image_source(widget):
    """The ``src`` of the (single) image inside ``widget``: a new blob URL on every redraw."""
    return widget.locator("img").get_attribute("src")


def wait_for_new_image(widget, old_source, timeout=UI_TIMEOUT):
    """Wait until the widget's image has been replaced (the kernel sent a redrawn figure)."""
    from playwright.sync_api import expect

    expect(widget.locator("img")).not_to_have_attribute("src", old_source, timeout=timeout)


def screenshot(page, locator, name):
    """Save a picture of ``locator`` as artifacts/e2e/<name>.png, to look at after a run.

    Waits for the kernel to go idle and every image to finish loading first: the explorers
    write their text before they render their figure, so the figure can lag a moment behind.
    """
    wait_idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-NotebookPanel img')].every(i => i.complete)"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=ARTIFACTS / f"{name}.png")


def slider(scope, description):
    """The slider whose description label reads exactly ``description``."""
    label = scope.page.locator(".widget-label", has_text=re.compile(f"^{re.escape(description)}$"))
    return scope.locator(".widget-slider", has=label)


def press_right(slider_locator, times=1):
    """Focus the slider's handle and press ArrowRight (one step per press), like a learner."""
    handle = slider_locator.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press("ArrowRight")


def type_into_readout(slider_locator, text):
    """Click the slider's number box, replace its text and press Enter, like a learner."""
    box = slider_locator.locator(".widget-readout")
    box.click()
    box.press("ControlOrMeta+a")
    box.press_sequentially(text)
    box.press("Enter")


def wait_for_text(locator, pattern, timeout=UI_TIMEOUT):
    from playwright.sync_api import expect

    expect(locator).to_contain_text(pattern, timeout=timeout)


def wait_for_class(locator, css_class, timeout=UI_TIMEOUT):
    from playwright.sync_api import expect

    expect(locator).to_have_class(
        re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)"), timeout=timeout
    )


def wait_for_texts(locator, count, timeout=UI_TIMEOUT):
    """The texts of the ``count`` elements ``locator`` matches, once all are there and filled."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        texts = [text.strip() for text in locator.all_text_contents()]
        if len(texts) == count and all(texts):
            return texts
        if time.monotonic() >= deadline:
            raise AssertionError(f"expected {count} filled elements, found {texts!r}")
        time.sleep(0.1)


def wait_for_readout(slider_locator, expected, tolerance=1e-9, timeout=UI_TIMEOUT):
    return wait_for_number(slider_locator.locator(".widget-readout"), expected, tolerance, timeout)


NUMBER = re.compile(r"[-\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def numbers_in(text):
    """Every number in ``text``, in order (a typographic minus counts as a minus)."""
    return [float(match.replace("\u2212", "-")) for match in NUMBER.findall(text)]


def wait_for_numbers(locator, expected, tolerance, timeout=UI_TIMEOUT):
    """Wait until ``locator`` (all the elements it matches, in order) shows exactly the numbers
    ``expected``, each within ``tolerance``: the page updates asynchronously after a move.

    Returns the numbers shown; fails with the text shown if it never gets there.
    """
    expected = [float(value) for value in expected]
    deadline = time.monotonic() + timeout / 1000
    while True:
        # textContent, not innerText: innerText is empty while JupyterLab's content-visibility
        # skips rendering an output that has scrolled out of view
        text = " ".join(locator.all_text_contents())  # one element or several (a column)
        shown = numbers_in(text)
        if len(shown) == len(expected) and all(
            abs(a - b) <= tolerance for a, b in zip(shown, expected, strict=True)
        ):
            return shown
        if time.monotonic() >= deadline:
            wanted = ", ".join(f"{value:.6g}" for value in expected)
            raise AssertionError(
                f"expected the page to show [{wanted}] (each ± {tolerance:g}), it shows {text!r}"
            )
        time.sleep(0.1)


def wait_for_number(locator, expected, tolerance, timeout=UI_TIMEOUT):
    """``wait_for_numbers`` for a locator that shows one number."""
    return wait_for_numbers(locator, [expected], tolerance, timeout)[0]
