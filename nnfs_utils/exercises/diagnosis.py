"""Notebooks 10 and 11's exercises: reading a training run, and answering only when sure.

10: ``dead_share(A)``, the share of hidden units that are zero for every input, and
    ``name_the_problem(summary)``, the checklist as a function: from a run's summary
    (``run_summary(monitor)``) name what went wrong.
11: ``coverage_at(P, y, threshold)``, the coverage and accuracy of "answer only when sure",
    and ``dropout_forward(A, rate, u)``, inverted dropout with the random numbers given.
"""

import numpy as np

from ._engine import Exercise, Output

__all__ = [
    "PROBLEMS",
    "check_coverage_at",
    "check_dead_share",
    "check_dropout_forward",
    "check_name_the_problem",
    "run_summary",
]


# ---------------------------------------------------------------------------------------------
# dead_share(A): the share of units (columns) that are 0 for every input (row)
# ---------------------------------------------------------------------------------------------
def _dead_cases():
    rng = np.random.default_rng(4)
    cases = []
    for n, units, dead in [(6, 5, [1, 3]), (10, 8, [0, 2, 3, 7]), (4, 3, [])]:
        A = np.maximum(rng.normal(size=(n, units)), 0)  # ReLU outputs: about half are 0
        A[:, dead] = 0.0
        alive = [j for j in range(units) if j not in dead]
        A[0, alive] = rng.uniform(0.5, 1.5, size=len(alive))  # every other unit fires once
        cases.append((A,))
    return cases


def _dead_share(A):
    return float(np.mean(np.all(A == 0, axis=0)))


DEAD_SHARE = Exercise(
    check="check_dead_share",
    args=("A",),
    cases=_dead_cases,
    reference=_dead_share,
    todo="return the share (0 to 1) of the columns of A (one column per unit) that are 0 in "
    "every row (for every input).",
    context=lambda A: {"ctx": f"A of shape {A.shape}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="A == 0 is a boolean array like A; np.all(..., axis=0) asks it per column.",
    not_array=("it returned a {result_type}.", "return one number between 0 and 1."),
    in_place_hint="compare, do not assign: A == 0, never A[...] = ...",
    outputs=(
        Output(
            shape_problem="with {ctx} it returned {got.shape} values, expected one number.",
            shape_hint="one number for the whole layer: the mean over the units of "
            "'is this unit dead?'.",
            rules=(
                (
                    lambda c: np.mean(c.A == 0),
                    "you counted the zero entries; a unit is dead only when its whole column "
                    "is 0: np.all(A == 0, axis=0), then the mean.",
                ),
                (
                    lambda c: np.mean(np.all(c.A == 0, axis=1)),
                    "axis=1 asks per input (row); a unit is a column: axis=0.",
                ),
                (
                    lambda c: 1 - c.expected,
                    "that is the share of units that are alive (active at least once); "
                    "return the dead ones.",
                ),
                (
                    lambda c: np.sum(np.all(c.A == 0, axis=0)),
                    "that is the number of dead units; divide by the number of units.",
                ),
                (
                    lambda c: np.mean(np.any(c.A == 0, axis=0)),
                    "np.any finds units that are 0 for some input (every ReLU is); a dead unit "
                    "is 0 for all of them: np.all.",
                ),
            ),
            wrong_problem="with {ctx} it returned {got:.4f}, expected {expected:.4f}.",
            difference_problem="with {ctx} it returned {g:.4f}, expected {e:.4f}.",
            difference_hint="dead = np.all(A == 0, axis=0) per unit; the share is its mean.",
        ),
    ),
)


def check_dead_share(fn):
    """Check ``fn(A)``: the share of units (columns of A) that are 0 for every input (row)."""
    DEAD_SHARE.run(fn)


# ---------------------------------------------------------------------------------------------
# name_the_problem(s): the checklist, from a run's summary
# ---------------------------------------------------------------------------------------------
PROBLEMS = (
    "healthy",
    "unscaled inputs",
    "learning rate too high",
    "learning rate too low",
    "vanishing gradients",
    "overfitting",
)


def run_summary(monitor):
    """The few numbers of a monitored run that ``name_the_problem`` reads, as a dict.

    input_max: the largest input value; largest_update: the largest change of any layer's
    weights in one epoch, relative to their size; grad_ratio: mean |dW| of the first layer
    over that of the last, at the start; dead: the largest share of dead units of a hidden
    layer at the end; train_accuracy, dev_accuracy: at the end.
    """
    ratios = [max(r) for r in monitor.update_ratio[1:] if r is not None]
    start = monitor.grad_size[0]
    return {
        "input_max": round(float(monitor.input_max), 6),
        "largest_update": float(max(ratios, default=0.0)),
        "grad_ratio": float(start[0] / start[-1]) if start[-1] > 0 else 0.0,
        "dead": float(max(monitor.dead[-1], default=0.0)),
        "train_accuracy": float(monitor.accuracy[-1] or 0.0),
        "dev_accuracy": float(monitor.dev_accuracy[-1]),
    }


def _name(s):
    """The reference: the checklist of notebook 10, in its order."""
    if s["input_max"] > 10:
        return "unscaled inputs"
    if s["largest_update"] > 1:
        return "learning rate too high"
    if s["grad_ratio"] < 0.01:
        return "vanishing gradients"
    if s["largest_update"] < 0.002:
        return "learning rate too low"
    if s["train_accuracy"] - s["dev_accuracy"] > 0.1:
        return "overfitting"
    return "healthy"


def _summary(input_max=1.0, largest_update=0.2, grad_ratio=0.4, dead=0.02, train=0.93, dev=0.9):
    return {
        "input_max": input_max,
        "largest_update": largest_update,
        "grad_ratio": grad_ratio,
        "dead": dead,
        "train_accuracy": train,
        "dev_accuracy": dev,
    }


def _name_cases():
    return [
        (_summary(),),
        (_summary(largest_update=3.5, dead=1.0, train=0.1, dev=0.1),),
        (_summary(largest_update=0.0012, train=0.09, dev=0.1),),
        (_summary(grad_ratio=2e-7, largest_update=0.7, train=0.11, dev=0.1),),
        (_summary(train=1.0, dev=0.8),),
        (_summary(input_max=255.0, largest_update=4e7, dead=1.0, train=0.1, dev=0.1),),
        (_summary(largest_update=0.9, train=0.6, dev=0.55),),  # fast, but not too fast
        (_summary(train=0.97, dev=0.9),),  # a gap of 0.07: not yet overfitting
    ]


def _index(c):
    """The learner's answer as its index in PROBLEMS (text that is no number: not a name)."""
    answer = c.result
    if isinstance(answer, str) and answer.strip().lower() in PROBLEMS:
        return PROBLEMS.index(answer.strip().lower())
    return "not one of the names"  # the engine then reports it with ``not_array``


def _said(c):
    got, expected = PROBLEMS[int(c.got)], PROBLEMS[int(c.expected)]
    return f"for {c.ctx} it said {got!r}, expected {expected!r}."


def _looks(c, name):
    return PROBLEMS[int(c.got)] == name


NAME_THE_PROBLEM = Exercise(
    check="check_name_the_problem",
    args=("s",),
    cases=_name_cases,
    reference=lambda s: PROBLEMS.index(_name(s)),
    todo="go down the checklist in order and return the first problem that fits, as one of "
    f"the names {', '.join(repr(p) for p in PROBLEMS)}.",
    context=lambda s: {
        "ctx": "the run with " + ", ".join(f"{k}={v:g}" for k, v in s.items()),
    },
    error_problem="for {ctx} it raised {error_type}: {error}",
    error_hint="s is a dict: read its numbers as s['input_max'], s['largest_update'], ...",
    not_array=(
        lambda c: f"it returned {c.result!r}, which is not one of the names.",
        f"return one of {', '.join(repr(p) for p in PROBLEMS)}.",
    ),
    in_place_hint="read the summary; do not change it.",
    outputs=(
        Output(
            take=_index,
            rules=(
                (
                    lambda c: _looks(c, "learning rate too high") and c.s["input_max"] > 10,
                    "unscaled inputs make every step huge too, but they are the cause: check "
                    "input_max first.",
                ),
                (
                    lambda c: (
                        _looks(c, "learning rate too low")
                        and PROBLEMS[int(c.expected)] == "vanishing gradients"
                    ),
                    "the last layer still moves; it is the first layer's gradient that is tiny "
                    "(grad_ratio below 0.01): check that before largest_update.",
                ),
                (
                    lambda c: _looks(c, "learning rate too high") and c.s["largest_update"] <= 1,
                    "too high means an epoch changed some weights by more than their own size: "
                    "largest_update above 1.",
                ),
                (
                    lambda c: _looks(c, "overfitting") and c.expected == 0,
                    "a gap between training and dev accuracy of 0.1 or less is normal; "
                    "overfitting is a gap above 0.1.",
                ),
            ),
            wrong_problem=_said,
            difference_problem=_said,
            difference_hint="the checklist, in order: input_max above 10; largest_update "
            "above 1; grad_ratio below 0.01; largest_update below 0.002; train_accuracy above "
            "dev_accuracy by more than 0.1; otherwise 'healthy'.",
        ),
    ),
)


def check_name_the_problem(fn):
    """Check ``fn(s)``: the name (one of PROBLEMS) of what went wrong in a run's summary ``s``.

    ``s`` is a dict as ``run_summary(monitor)`` returns it. Prints a pass or a hint.
    """
    NAME_THE_PROBLEM.run(fn)


# ---------------------------------------------------------------------------------------------
# coverage_at(P, y, threshold): answer only when the largest probability reaches a threshold
# ---------------------------------------------------------------------------------------------
def _coverage_cases():
    rng = np.random.default_rng(11)
    cases = []
    for n, k, threshold in [(12, 4, 0.5), (30, 10, 0.3), (8, 3, 0.7)]:
        Z = rng.normal(0, 2, size=(n, k))
        P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        P = np.round(P, 4)  # no probability within rounding of the threshold
        y = rng.integers(0, k, size=n)
        y[: n // 2] = P[: n // 2].argmax(axis=1)  # about half of them right
        cases.append((P, y, threshold))
    return cases


def _coverage_at(P, y, threshold):
    answered = P.max(axis=1) >= threshold
    right = P.argmax(axis=1) == y
    return float(answered.mean()), float(right[answered].mean())


COVERAGE_AT = Exercise(
    check="check_coverage_at",
    args=("P", "y", "threshold"),
    cases=_coverage_cases,
    reference=_coverage_at,
    n_results=2,
    todo="return (coverage, accuracy): the share of rows whose largest probability is at "
    "least threshold, and the share of those rows whose most probable class equals y.",
    context=lambda P, y, threshold: {
        "ctx": f"{len(P)} inputs, {P.shape[1]} classes and threshold {threshold}"
    },
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="answered = P.max(axis=1) >= threshold; right = P.argmax(axis=1) == y; then "
    "use answered to pick the rows of right.",
    structure=("it returned a {result_type}, not 2 numbers.", "return coverage, accuracy"),
    in_place_hint="compute new arrays; never change P or y.",
    outputs=(
        Output(
            index=0,
            rules=(
                (
                    lambda c: np.mean(c.P.max(axis=1) > c.threshold),
                    "use >= : a probability equal to the threshold is answered.",
                ),
                (
                    lambda c: np.sum(c.P.max(axis=1) >= c.threshold),
                    "that is the number answered; coverage is a share: divide by len(P).",
                ),
                (
                    lambda c: np.mean(c.P >= c.threshold),
                    "count each input once, by its largest probability: P.max(axis=1).",
                ),
            ),
            wrong_problem="with {ctx} the coverage is {got:.4f}, expected {expected:.4f}.",
            difference_problem="with {ctx} the coverage is {g:.4f}, expected {e:.4f}.",
            difference_hint="coverage = np.mean(P.max(axis=1) >= threshold).",
        ),
        Output(
            index=1,
            rules=(
                (
                    lambda c: np.mean(c.P.argmax(axis=1) == c.y),
                    "that is the accuracy on every input; count only the answered ones: "
                    "right[answered].mean().",
                ),
                (
                    lambda c: np.mean(
                        (c.P.argmax(axis=1) == c.y) & (c.P.max(axis=1) >= c.threshold)
                    ),
                    "you divided by all inputs; the accuracy of the answers divides by the "
                    "number answered: right[answered].mean().",
                ),
            ),
            wrong_problem="with {ctx} the accuracy is {got:.4f}, expected {expected:.4f}.",
            difference_problem="with {ctx} the accuracy is {g:.4f}, expected {e:.4f}.",
            difference_hint="accuracy = (P.argmax(axis=1) == y)[answered].mean().",
        ),
    ),
)


def check_coverage_at(fn):
    """Check ``fn(P, y, threshold)`` -> (coverage, accuracy) of answering only when sure."""
    COVERAGE_AT.run(fn)


# ---------------------------------------------------------------------------------------------
# dropout_forward(A, rate, u): inverted dropout with the uniform numbers u given
# ---------------------------------------------------------------------------------------------
def _dropout_cases():
    rng = np.random.default_rng(6)
    cases = []
    for n, units, rate in [(4, 6, 0.5), (5, 3, 0.2), (3, 8, 0.25)]:
        A = np.round(rng.uniform(0, 2, size=(n, units)), 2)
        u = np.round(rng.uniform(0, 1, size=(n, units)), 3)
        u[np.isclose(u, rate)] += 0.01  # no draw equal to the rate
        cases.append((A, rate, u))
    return cases


def _dropout(A, rate, u):
    return A * (u >= rate) / (1 - rate)


DROPOUT_FORWARD = Exercise(
    check="check_dropout_forward",
    args=("A", "rate", "u"),
    cases=_dropout_cases,
    reference=_dropout,
    todo="keep each unit where u >= rate, set the others to 0, and divide the kept ones by "
    "(1 - rate).",
    context=lambda A, rate, u: {"ctx": f"A of shape {A.shape} and rate {rate}"},
    error_problem="with {ctx} it raised {error_type}: {error}",
    error_hint="u has the shape of A; (u >= rate) is the mask of kept units.",
    in_place_hint="build a new array (A * mask / (1 - rate)); do not change A or u.",
    outputs=(
        Output(
            shape_problem="with {ctx} it returned shape {got.shape}, expected {expected.shape}.",
            shape_hint="one output per unit and input: the shape of A.",
            rules=(
                (
                    lambda c: c.A * (c.u >= c.rate),
                    "the kept units must be divided by (1 - rate), so that the mean output "
                    "stays the same and evaluation needs no change.",
                ),
                (
                    lambda c: c.A * (c.u < c.rate) / (1 - c.rate),
                    "you kept the units with u < rate, a share `rate` of them; keep u >= rate.",
                ),
                (
                    lambda c: c.A * (c.u >= c.rate) / c.rate,
                    "divide by the share kept, (1 - rate), not by rate.",
                ),
                (
                    lambda c: c.A * (c.u >= c.rate) * (1 - c.rate),
                    "divide by (1 - rate); multiplying shrinks the outputs instead.",
                ),
            ),
            wrong_problem="the values are wrong (with {ctx}).",
            difference_problem="with {ctx}, input {i[0]}, unit {i[1]} is {g:.4f}, "
            "expected {e:.4f}.",
            difference_hint="A * (u >= rate) / (1 - rate).",
        ),
    ),
)


def check_dropout_forward(fn):
    """Check ``fn(A, rate, u)``: inverted dropout, ``u`` the uniform random numbers (like A)."""
    DROPOUT_FORWARD.run(fn)
