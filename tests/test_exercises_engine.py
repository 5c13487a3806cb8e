"""What every checker shares: the "not done yet" line, the callable check, and output that
depends only on the learner's function."""

import numpy as np
import pytest
from checker_helpers import not_written

import nnfs_utils.exercises as exercises

ALL_CHECKS = sorted(name for name in exercises.__all__ if name.startswith("check_"))


def test_every_notebook_has_at_least_two_checks():
    assert len(ALL_CHECKS) >= 16


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_a_stub_gets_the_not_done_line_with_what_to_write(name, capsys):
    check = getattr(exercises, name)
    check(not_written)
    out = capsys.readouterr().out
    first, second = out.splitlines()
    assert first == "○ not_written: not done yet (it raises NotImplementedError)."
    assert second.startswith("  To do: ") and len(second) > 30


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_a_check_wants_the_function_itself(name):
    with pytest.raises(TypeError, match="without calling it"):
        getattr(exercises, name)(np.zeros(3))


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_output_is_the_same_on_every_run(name, capsys):
    # a wrong answer that gets as far as possible: it returns something of the wrong kind
    check = getattr(exercises, name)
    outputs = []
    for _ in range(2):
        check(lambda *args: 0.5)
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and outputs[0].startswith("✗ ")


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_an_exception_is_named_with_a_hint(name, capsys):
    def broken(*args):
        raise KeyError("oops")

    getattr(exercises, name)(broken)
    out = capsys.readouterr().out
    assert out.startswith("✗ broken: ") and "raised KeyError: 'oops'" in out
    assert "\n  Hint: " in out


def test_learner_warnings_do_not_reach_the_output(capsys):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a NumPy warning would raise here
        exercises.check_forward_prop(
            lambda p, X: (p[0] @ X, p[0] @ X, np.exp(p[2] @ X[:10] * 1e4), np.zeros(1))
        )
    assert capsys.readouterr().out.startswith("✗ ")


def test_passes_answers_silently(capsys):
    assert exercises.passes(exercises.check_layer_forward, lambda X, W, b: X @ W + b)
    assert not exercises.passes(exercises.check_layer_forward, lambda X, W, b: X @ W)
    assert not exercises.passes(exercises.check_layer_forward, not_written)
    assert capsys.readouterr().out == ""
