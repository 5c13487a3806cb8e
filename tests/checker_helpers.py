"""What every checker test does: run a check on a learner's function and read what it printed."""


def run(check, fn, capsys):
    """The text ``check(fn)`` printed (checks print, they return nothing)."""
    assert check(fn) is None
    return capsys.readouterr().out


def assert_fails_with(output, *fragments):
    """``output`` is a failure line (✗) that names every fragment (the problem, the hint)."""
    assert output.startswith("✗ "), output
    for fragment in fragments:
        assert fragment in output, f"{fragment!r} not in:\n{output}"


def not_written(*args):
    """A learner's stub: the student edition's ``raise NotImplementedError()``."""
    raise NotImplementedError()
