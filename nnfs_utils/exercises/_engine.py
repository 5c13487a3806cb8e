"""The checker engine: one ladder of checks, driven by a small table per exercise.

An exercise is an ``Exercise``: the cases to run, the reference, and for each returned array an
``Output`` that lists the typical mistakes as rules ``(when, hint)`` or ``(when, problem, hint)``.
``when(c)`` sees one case as the namespace ``c`` (the arguments by name, ``got``, ``expected``,
the learner's function ``fn``, ...). It returns True/False, or a wrong answer (an array) that
is compared with ``got``; None means "does not apply here". Problems and hints are
``str.format`` templates filled from ``c``, or functions of ``c``.

For each case, ``run`` goes down the same ladder and prints the first problem with its hint:

1. the call (NotImplementedError: "not done yet"; any other error: named, with a hint);
2. None, or not the right number of results, or not an array;
3. an input changed in place;
4. rules about the whole result (e.g. the right arrays in the wrong order);
5. for each output in turn: its shape, its values, then the typical mistakes, then the first
   element that differs.

If every case passes it prints one line with a tick.
"""

import contextlib
import io
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

RTOL = 1e-5
ATOL = 1e-7


def same(got, expected):
    """True when ``got`` has the shape of ``expected`` and close values (NaN never matches)."""
    got, expected = np.asarray(got), np.asarray(expected)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL))


def same_with_nan(got, wrong):
    """Like ``same``, but NaN matches NaN: for mistakes that produce NaN in some places."""
    got, wrong = np.asarray(got), np.asarray(wrong)
    return got.shape == wrong.shape and bool(
        np.allclose(got, wrong, rtol=RTOL, atol=ATOL, equal_nan=True)
    )


def as_float(value):
    """``value`` as a float64 array, or None if it cannot be one."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def first_difference(got, expected):
    """Index and both values of the first element where ``got`` and ``expected`` differ."""
    bad = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL)
    index = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
    return index, float(got[index]), float(expected[index])


def probe(c, args, wrong):
    """Does the learner's function ``c.fn`` return ``wrong`` when called on ``args``?

    For a mistake that raises on the real cases (e.g. ``W @ X`` when the shapes do not line
    up): on a probe whose shapes all agree the mistake runs, and its values name it.
    """
    with np.errstate(all="ignore"):
        try:
            got = as_float(c.fn(*[np.array(a, copy=True) for a in args]))
        except Exception:
            return False
    return got is not None and same(got, wrong)


def render(template, c):
    """A problem or hint: a template filled from ``c``, or a function of ``c``."""
    return template(c) if callable(template) else template.format_map(vars(c))


def matches(when, c):
    """Does the rule's ``when`` hold for ``c``? (True/False, or a wrong answer equal to got.)"""
    with np.errstate(all="ignore"):
        try:
            verdict = when(c)
        except Exception:  # a rule that does not apply to this result (wrong shapes, ...)
            return False
    if verdict is None:
        return False
    if isinstance(verdict, (bool, np.bool_)):
        return bool(verdict)
    return same(c.got, verdict)


def first_rule(rules, c, default_problem):
    """(problem, hint) of the first rule that holds, or None."""
    for rule in rules:
        when, problem, hint = rule if len(rule) == 3 else (rule[0], default_problem, rule[1])
        if matches(when, c):
            return render(problem, c), render(hint, c)
    return None


@dataclass(frozen=True)
class Output:
    """One returned array: where to find it and how to diagnose it.

    ``take(c)`` picks it from the result ``c.result`` (default: the result itself, or item
    ``index`` of a tuple); ``expected`` is item ``index`` of the reference's answer.
    """

    index: int | None = None
    take: object = None
    shape_rules: tuple = ()
    shape_problem: object = "it returned shape {got.shape}, expected {expected.shape}."
    shape_hint: object = ""
    rules: tuple = ()  # typical mistakes, tried when the values are wrong
    wrong_problem: object = "the values are wrong."
    difference_problem: object = "element {at} is {g:.4f}, expected {e:.4f}."
    difference_hint: object = ""
    also: tuple = ()  # rules that can fail even when the values match (e.g. the dtype)


@dataclass(frozen=True)
class Exercise:
    """A checked exercise: the cases, the reference, and the hints for typical mistakes."""

    check: str  # the check function's name, for the "pass the function itself" error
    args: tuple  # the argument names, in order
    cases: object  # () -> list of argument tuples (arrays are copied before each call)
    reference: object  # (*args) -> the right answer (a tuple when there are several outputs);
    # None when each case is (args, answer, names): e.g. an answer measured on nnfs_utils'
    # optimizers, and names (a dict, for the templates) such as the step number
    todo: str  # what to write, shown while the stub still raises NotImplementedError
    outputs: tuple = (Output(),)
    n_results: int | None = None  # a tuple of this many results is expected
    structure: tuple = ("it returned a {result_type}, not {n_results} arrays.", "")
    not_array: tuple = ("it returned a {result_type}.", "return a NumPy array.")
    none_hint: object = (
        "did you forget the `return` line, or leave the stub's `return None` in place?"
    )
    error_problem: object = "it raised {error_type}: {error}"
    error_hint: object = ""
    error_rules: tuple = ()  # (when, hint): when(c) sees the error as c.error
    in_place_hint: object = ""
    in_place_ok: tuple = ()  # argument names the function may change
    result_rules: tuple = ()  # rules about the whole result, tried before the outputs
    context: object = None  # (*args) -> dict of extra names for the templates
    passed: str = "✓ {name} is correct on {n_cases} test cases."

    def run(self, fn):
        """Check ``fn`` on every case; print one line (and a hint)."""
        if not callable(fn):
            raise TypeError(
                f"{self.check} needs your function itself, got {type(fn).__name__}. "
                f"Pass the function without calling it: {self.check}(my_function), "
                "not my_function(...)."
            )
        name = getattr(fn, "__name__", "your function")
        cases = self.cases()
        for case in cases:
            if self.reference is None:  # the cases carry their answers: (args, expected, names)
                problem = self._check_case(fn, name, *case)
            else:
                problem = self._check_case(fn, name, case)
            if problem is not None:
                print(problem)
                return
        print(self.passed.format(name=name, n_cases=len(cases)))

    def _check_case(self, fn, name, case, expected=None, names=None):
        c = SimpleNamespace(**dict(zip(self.args, case, strict=True)), name=name, fn=fn)
        vars(c).update(names or {})
        if self.context is not None:
            vars(c).update(self.context(*case))
        if self.reference is not None:
            with np.errstate(all="ignore"):
                expected = self.reference(*case)
        copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in case]
        try:
            with np.errstate(all="ignore"):
                result = fn(*copies)
        except NotImplementedError:
            not_done = f"○ {name}: not done yet (it raises NotImplementedError)."
            return f"{not_done}\n  To do: {self.todo}"
        except Exception as error:  # the learner's code may raise anything; report it
            c.error, c.error_type = error, type(error).__name__
            found = first_rule(self.error_rules, c, self.error_problem)
            problem, hint = found or (render(self.error_problem, c), render(self.error_hint, c))
            return _fail(name, problem, hint)
        c.answer = expected  # the reference's whole answer
        c.result, c.result_type = result, type(result).__name__
        c.n_results = self.n_results
        if result is None:
            return _fail(name, "it returned None.", render(self.none_hint, c))
        if self.n_results is not None and (
            not isinstance(result, (tuple, list)) or len(result) != self.n_results
        ):
            return _fail(name, render(self.structure[0], c), render(self.structure[1], c))
        gots = []
        for out in self.outputs:
            raw = out.take(c) if out.take is not None else _pick(result, out.index)
            gots.append((raw, as_float(raw)))
        if any(got is None for _, got in gots):
            return _fail(name, render(self.not_array[0], c), render(self.not_array[1], c))
        changed = next(
            (
                i
                for i, (a, b) in enumerate(zip(case, copies, strict=True))
                if isinstance(a, np.ndarray)
                and self.args[i] not in self.in_place_ok
                and not np.array_equal(a, b)
            ),
            None,
        )
        if changed is not None:
            c.arg = self.args[changed]
            return _fail(
                name,
                render("it changed its input {arg} in place.", c),
                render(self.in_place_hint, c),
            )
        if self.n_results is not None:
            c.arrays = [as_float(r) for r in result]  # in the order they were returned
        found = first_rule(self.result_rules, c, "")
        if found:
            return _fail(name, *found)
        for out, (raw, got) in zip(self.outputs, gots, strict=True):
            c.raw, c.got = raw, got
            c.expected = np.asarray(_pick(expected, out.index), dtype=np.float64)
            found = _diagnose(out, c)
            if found:
                return _fail(name, *found)
        return None


def _pick(value, index):
    return value if index is None else value[index]


def _fail(name, problem, hint):
    return f"✗ {name}: {problem}\n  Hint: {hint}"


def _diagnose(out, c):
    """(problem, hint) for one output, or None when it is right."""
    got, expected = c.got, c.expected
    if got.shape != expected.shape:
        found = first_rule(out.shape_rules, c, out.shape_problem)
        return found or (render(out.shape_problem, c), render(out.shape_hint, c))
    if same(got, expected):
        return first_rule(out.also, c, "")
    found = first_rule(out.rules, c, out.wrong_problem)
    if found:
        return found
    c.i, c.g, c.e = first_difference(got, expected)
    c.at = list(c.i)
    return render(out.difference_problem, c), render(out.difference_hint, c)


def passes(check, fn):
    """True when ``check(fn)`` passes; prints nothing.

    For a notebook whose later cells need the learner's function: use it once it passes, and a
    reference version until then (so a student edition with the exercise unsolved still runs).
    """
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        check(fn)
    return output.getvalue().startswith("✓")
