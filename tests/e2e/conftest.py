"""Fixtures for the browser tests: one JupyterLab server, one Chromium and one JupyterLab tab
for all the tests in tests/e2e (each test opens and closes its own notebook in it), and checks
that no process outlives them. The fixtures are package-scoped, so under `pytest tests` the
server and the browser are stopped (and checked) as soon as the last browser test is done.

Without Chromium the tests are skipped with the command that installs it; when the environment
variable CI is set they fail instead, so CI can never pass by skipping them.
"""

import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from . import lab, processes

REPO = Path(__file__).resolve().parents[2]
INSTALL_COMMAND = "sudo apt-get install -y chromium"
# Debian's Chromium first; then the names .ci/run also accepts (an Ubuntu CI runner has Google
# Chrome preinstalled, which Playwright drives the same way).
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CRASHPAD = "chrome_crashpad_handler"
TEST_TIMEOUT = 90.0  # s: a watchdog kills the browser if one test runs longer than this


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason):
    """Skip on a learner's machine; fail under CI, where a skipped browser test hides a gap."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def find_chromium(candidates=CHROMIUM_CANDIDATES):
    """Path of Debian's Chromium, or skip/fail naming the command that installs it."""
    if not sys.platform.startswith("linux"):
        skip_or_fail(f"the browser tests drive Debian's Chromium on Linux; this is {sys.platform}")
    for candidate in candidates:
        path = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if path and os.access(path, os.X_OK):
            return path
    skip_or_fail(f"Chromium is not installed; install it with: {INSTALL_COMMAND}")


@pytest.fixture(scope="package")
def chromium_path():
    path = find_chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("Playwright is not installed; run: make setup")
    return path


def _leftovers_of(pid, needles):
    return [
        ident
        for ident in processes.descendants(pid)
        if any(needle in processes.cmdline(ident[0]) for needle in needles)
    ]


@pytest.fixture(scope="package")
def e2e_dir(tmp_path_factory):
    """The one temp dir under which every browser test keeps its servers' files."""
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="package")
def no_leftover_processes(e2e_dir):
    """Session-wide final check: after every server and browser is stopped, no process that
    uses the tests' temp dir (Jupyter servers, kernels) and no Chromium or Playwright driver
    started by this pytest is still running."""
    yield
    left = processes.mentioning(str(e2e_dir)) + _leftovers_of(
        os.getpid(), ("chromium", "playwright")
    )
    processes.assert_none_left(left, "Jupyter, kernel or Chromium processes", timeout=5.0)


@pytest.fixture
def e2e_tmp(e2e_dir, no_leftover_processes, request):
    """A fresh directory for one test, inside ``e2e_dir`` (so the final check covers it)."""
    path = e2e_dir / request.node.name
    path.mkdir()
    return path


@pytest.fixture(scope="package")
def lab_server(chromium_path, no_leftover_processes, e2e_dir):
    """JupyterLab on copies of the course notebooks (``notebooks/`` and ``data/`` next to it,
    so the notebooks' relative paths such as ``../data`` work)."""
    root = e2e_dir / "jupyterlab"
    root.mkdir()
    server = lab.LabServer(root)
    (server.work / "notebooks").mkdir(parents=True)
    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        shutil.copy2(notebook, server.work / "notebooks" / notebook.name)
    if (REPO / "data").is_dir():
        (server.work / "data").symlink_to(REPO / "data", target_is_directory=True)
    try:
        server.start()
        yield server
    finally:
        tree = server.stop()
        processes.assert_none_left(tree, "JupyterLab server or kernel")
        processes.assert_none_left(processes.mentioning(str(root)), "a process using the lab dir")


class Browser:
    """Debian's Chromium, headless, launched by Playwright (never `playwright install`).

    Launched once for the browser tests; launched again if a watchdog had to kill it, so one hung test
    does not take the following ones down with it."""

    def __init__(self, executable_path):
        from playwright.sync_api import sync_playwright

        self.executable_path = executable_path
        self.driver = sync_playwright().start()
        self.chromium = None
        self.context = None
        self.seen = []  # identities of the Playwright driver and every Chromium process

    def remember(self):
        known = set(self.seen)
        self.seen += [
            i for i in _leftovers_of(os.getpid(), ("chromium", "playwright")) if i not in known
        ]

    def get(self):
        if self.chromium is None or not self.chromium.is_connected():
            # Chromium's crash reporter double-forks away from the browser's process tree: the
            # ones that appear with this launch are ours, and must be gone after close() too.
            before = set(processes.mentioning(CRASHPAD))
            self.chromium = self.driver.chromium.launch(
                executable_path=self.executable_path,
                headless=True,
                args=lab.CHROMIUM_ARGS,
                timeout=60_000,
            )
            # One context (one HTTP and code cache) for all tests: if a tab has to be replaced
            # after a failure, JupyterLab's scripts load much faster the second time.
            self.context = self.chromium.new_context(viewport={"width": 1280, "height": 1000})
            self.seen += [i for i in processes.mentioning(CRASHPAD) if i not in before]
        self.remember()
        return self.context

    def close(self):
        self.remember()
        try:
            if self.chromium is not None and self.chromium.is_connected():
                self.chromium.close()
        finally:
            self.driver.stop()
        processes.assert_none_left(self.seen, "Chromium or the Playwright driver")


@pytest.fixture(scope="package")
def browser(chromium_path, no_leftover_processes):
    browser = Browser(chromium_path)
    try:
        yield browser
    finally:
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _watchdog(seconds, fired):
    """Kill Chromium if a test runs past ``seconds``: any Playwright call then fails at once,
    so a test can never hang (the Playwright and subprocess calls have their own timeouts)."""

    def fire():
        fired.set()
        for ident in _leftovers_of(os.getpid(), ("chromium",)):
            try:
                os.kill(ident[0], signal.SIGKILL)
            except ProcessLookupError:
                pass

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    return timer


class LabTab:
    """One browser tab with JupyterLab loaded, reused by the tests one after the other (loading
    JupyterLab costs seconds of CPU). Each test opens its notebook from the File menu and closes
    it (shutting its kernel down) at the end; after a failure the tab is thrown away and the
    next test gets a fresh one."""

    def __init__(self, browser, server):
        self.browser, self.server = browser, server
        self.tab = None
        self.errors = []

    def get(self):
        if self.tab is None or self.tab.is_closed():
            self.tab = self.browser.get().new_page()
            self.browser.remember()
            self.tab.set_default_timeout(lab.UI_TIMEOUT)
            self.tab.set_default_navigation_timeout(lab.KERNEL_TIMEOUT)
            self.errors = []
            self.tab.on("pageerror", lambda error: self.errors.append(str(error)))
            lab.load_lab(self.tab, self.server)
        return self.tab

    def discard(self):
        if self.tab is not None and self.browser.chromium.is_connected():
            try:
                self.tab.close(run_before_unload=False)
            except Exception as error:  # the tab may be gone with a killed browser
                print(f"could not close the tab: {error}")
        self.tab = None


@pytest.fixture(scope="package")
def lab_tab(browser, lab_server):
    return LabTab(browser, lab_server)


@pytest.fixture
def page(lab_tab, lab_server, request):
    """JupyterLab in a browser tab, ready to open a notebook. On failure a screenshot is saved
    in artifacts/e2e/; afterwards the notebook is closed and every kernel shut down."""
    fired = threading.Event()
    timer = _watchdog(TEST_TIMEOUT, fired)
    started = time.monotonic()
    tab = lab_tab.get()
    try:
        yield tab
    finally:
        timer.cancel()
        report = getattr(request.node, "report_call", None)
        failed = fired.is_set() or report is None or report.failed
        if failed and not fired.is_set():
            lab.ARTIFACTS.mkdir(parents=True, exist_ok=True)
            try:
                tab.screenshot(
                    path=lab.ARTIFACTS / f"{request.node.name}-failure.png", timeout=10_000
                )
            except Exception as error:  # a screenshot must not hide the real failure
                print(f"could not save a failure screenshot: {error}")
            if lab_tab.errors:
                print("JavaScript errors in the page:\n" + "\n".join(lab_tab.errors))
        if not failed and tab.locator(".jp-NotebookPanel").count():
            try:
                lab.close_notebook(tab)
            except Exception as error:
                print(f"could not close the notebook from the File menu: {error}")
                failed = True
        if failed:
            lab_tab.discard()
        lab_server.shutdown_kernels()
        if fired.is_set():
            pytest.fail(
                f"{request.node.name} ran longer than {TEST_TIMEOUT:.0f} s "
                f"({time.monotonic() - started:.0f} s); the watchdog killed Chromium",
                pytrace=False,
            )
