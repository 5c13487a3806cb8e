"""The browser-test machinery itself: skip/fail logic, a tiny widget notebook, cleanup.

The tiny notebook (an IntSlider and an HTML line showing twice its value) proves the whole
path—server, kernel, Run All Cells, a widget rendering, keyboard input reaching the kernel and
the answer coming back—independently of the course notebooks.
"""

import signal
import sys
import time

import nbformat
import pytest

from . import conftest, lab, processes

TINY_SOURCE = """\
import ipywidgets as widgets

n = widgets.IntSlider(value=3, min=0, max=50, description="n")
shown = widgets.HTML()
shown.add_class("e2e-double")


def show(change=None):
    shown.value = f"<b>{n.value * 2}</b>"


n.observe(show, names="value")
show()
widgets.VBox([n, shown])
"""


def write_tiny_notebook(path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A tiny widget notebook for the browser tests"),
        nbformat.v4.new_code_cell("print('first cell ran')"),
        nbformat.v4.new_code_cell(TINY_SOURCE),
    ]
    nbformat.write(notebook, path)


@pytest.mark.parametrize("ci", ["", "true"])
def test_missing_chromium_skips_with_install_command_or_fails_under_ci(monkeypatch, ci, tmp_path):
    """Without a browser: a skip naming the install command, or a failure when CI is set."""
    monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no browser on the PATH
    expected = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(expected) as raised:
        conftest.find_chromium(candidates=(str(tmp_path / "chromium"), "chromium"))
    assert "sudo apt-get install -y chromium" in str(raised.value)


def test_tiny_widget_notebook_answers_keyboard_and_typed_input(page, lab_server):
    write_tiny_notebook(lab_server.work / "tiny.ipynb")
    lab.open_notebook(page, lab_server, "tiny.ipynb")
    lab.run_all_cells(page)
    n = lab.slider(page.locator(".jp-NotebookPanel"), "n")
    shown = page.locator(".e2e-double b")
    lab.wait_for_number(shown, 2 * 3, tolerance=0)

    lab.press_right(n, times=2)  # 3 -> 5, one step per press
    lab.wait_for_readout(n, 5)
    lab.wait_for_number(shown, 2 * 5, tolerance=0)

    lab.type_into_readout(n, "21")
    lab.wait_for_number(shown, 2 * 21, tolerance=0)
    lab.wait_for_readout(n, 21)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
def test_hung_server_and_its_kernel_are_stopped_by_pid(e2e_tmp, monkeypatch):
    """The worst case of a failing test: the server ignores SIGTERM (it is frozen with SIGSTOP)
    while a kernel runs. stop() must still end the server and the kernel by their PIDs."""
    monkeypatch.setattr(lab, "SERVER_STOP_TIMEOUT", 1.0)
    server = lab.LabServer(e2e_tmp)
    try:
        server.start()
        kernel = server.api("POST", "/api/kernels", body={"name": "python3"}, timeout=30)
        deadline = time.monotonic() + 30
        while not processes.mentioning(f"kernel-{kernel['id']}.json"):
            assert time.monotonic() < deadline, "the kernel process never appeared"
            time.sleep(0.2)
        commands = [command for _, command in server.running()]
        server.proc.send_signal(signal.SIGSTOP)  # a hung server: SIGTERM does nothing now
    finally:
        tree = server.stop()
    assert any("jupyterlab" in c for c in commands), commands
    assert any("ipykernel" in c for c in commands), commands
    assert not [ident for ident in tree if processes.is_alive(ident)]
    left = processes.mentioning(str(e2e_tmp))
    assert not left, processes.describe(left)
