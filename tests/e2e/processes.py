"""Find, stop and account for the processes a browser test starts (Linux, read from /proc).

A process is identified by its PID *and* its start time, so a PID that the system reuses for
an unrelated process after ours exited is never mistaken for a leftover.
"""

import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")


def _stat(pid):
    """(state, ppid, start_time) of a process, or None if it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # the command name is in parentheses and may itself contain spaces or parentheses
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def identity(pid):
    """A (pid, start_time) pair that stays unique even if the PID is reused, or None."""
    stat = _stat(pid)
    return None if stat is None else (pid, stat[2])


def cmdline(pid):
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def _all_pids():
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def descendants(pid):
    """Identities of every living descendant of ``pid`` (children, grandchildren, ...)."""
    children = {}
    for other in _all_pids():
        stat = _stat(other)
        if stat is not None:
            children.setdefault(stat[1], []).append(other)
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        ident = identity(child)
        if ident is not None:
            found.append(ident)
        todo.extend(children.get(child, []))
    return found


def is_alive(ident):
    """True if the process is still running (a zombie waiting to be reaped does not count)."""
    pid, start = ident
    stat = _stat(pid)
    return stat is not None and stat[2] == start and stat[0] not in ("Z", "X")


def mentioning(text):
    """Identities of living processes whose command line contains ``text`` (e.g. a temp dir)."""
    me = os.getpid()
    found = []
    for pid in _all_pids():
        if pid != me and text in cmdline(pid):
            ident = identity(pid)
            if ident is not None and is_alive(ident):
                found.append(ident)
    return found


def describe(idents):
    return "; ".join(f"PID {pid}: {cmdline(pid)[:160]}" for pid, _ in idents)


def wait_gone(idents, timeout):
    """Wait until none of ``idents`` is alive; return those still alive after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        alive = [ident for ident in idents if is_alive(ident)]
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.1)


def _signal(ident, sig):
    if is_alive(ident):
        try:
            os.kill(ident[0], sig)
        except ProcessLookupError:
            pass


def stop(idents, timeout=5.0):
    """SIGTERM each process, SIGKILL those still alive after ``timeout`` s. Returns survivors."""
    for ident in idents:
        _signal(ident, signal.SIGTERM)
    alive = wait_gone(idents, timeout)
    for ident in alive:
        _signal(ident, signal.SIGKILL)
    return wait_gone(alive, 5.0)


def assert_none_left(idents, what, timeout=10.0):
    """Fail if any of ``idents`` outlives ``timeout`` s; kill the survivors so they do not linger."""
    alive = wait_gone(idents, timeout)
    if alive:
        listing = describe(alive)
        stop(alive, timeout=2.0)
        raise AssertionError(f"{what} left running after the test (now killed): {listing}")
