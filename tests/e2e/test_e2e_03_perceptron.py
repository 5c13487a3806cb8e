"""Notebook 03 in JupyterLab: step through the perceptron's training with the keyboard.

The test trains the perceptron itself (seed 1, the update w += X^T ((y - out) out (1 - out)))
on the training set that the widget's table shows, and checks the weights, outputs and loss
the learner reads after each move against that run.
"""

import numpy as np

from . import lab

ITERATIONS = 20_000  # the length of the notebook's run: the slider's last position


def run_all_cells(page):
    """Expand all code, then Run All Cells. The notebook's checks cell is stored with its code
    collapsed; a collapsed cell shows a placeholder prompt that never gets an execution count,
    which lab.run_all_cells would wait for."""
    lab.menu(page, "View", "Expand All Code")
    lab.run_all_cells(page)


def train(X, y, iterations):
    """Weights, outputs and loss after each number of updates 0..iterations, by the formula."""
    w = 2 * np.random.RandomState(1).random_sample((X.shape[1], 1)) - 1
    history = []
    for _ in range(iterations + 1):
        out = 1 / (1 + np.exp(-(X @ w)))
        history.append((w[:, 0].copy(), out[:, 0], 0.5 * float(np.sum((y - out) ** 2))))
        w = w + X.T @ ((y - out) * out * (1 - out))
    return history


def training_set(stepper):
    """Inputs and targets as the learner reads them in the widget's table."""
    cells = lab.wait_for_texts(stepper.locator("table td"), 4 * 3)  # input, target, output
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    X = np.array([[float(v) for v in row[0].split()] for row in rows])
    y = np.array([[float(row[1])] for row in rows])
    return X, y


def check_shown(stepper, iteration, history):
    weights, outputs, loss = history[iteration]
    lab.wait_for_number(stepper.locator(".nnfs-iteration"), iteration, tolerance=0)
    lab.wait_for_numbers(stepper.locator(".nnfs-weight"), weights, tolerance=6e-5)
    lab.wait_for_numbers(stepper.locator(".nnfs-output"), outputs, tolerance=6e-5)
    lab.wait_for_number(stepper.locator(".nnfs-loss"), loss, tolerance=6e-7)


def test_training_stepper_notebook_03(page, lab_server):
    lab.open_notebook(page, lab_server, "notebooks/03_the_perceptron.ipynb")
    run_all_cells(page)
    stepper = lab.explorer(page, ".nnfs-training-stepper")
    iteration = lab.slider(stepper, "iteration")

    X, y = training_set(stepper)
    assert X.tolist() == [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
    assert y[:, 0].tolist() == [0, 1, 1, 0]
    history = train(X, y, ITERATIONS)

    # before training: the random starting weights
    lab.wait_for_readout(iteration, 0)
    check_shown(stepper, 0, history)

    # two ArrowRight presses: one position each, the first positions are single updates
    plot = lab.image_source(stepper)
    lab.press_right(iteration, times=2)
    lab.wait_for_readout(iteration, 2)
    check_shown(stepper, 2, history)
    lab.wait_for_new_image(stepper, plot)

    # End jumps to the last position: the trained neuron
    iteration.locator(".noUi-handle").press("End")
    lab.wait_for_readout(iteration, ITERATIONS)
    check_shown(stepper, ITERATIONS, history)
    _, outputs, loss = history[ITERATIONS]
    assert np.all(np.abs(outputs - y[:, 0]) < 0.01) and loss < 1e-3  # it has learned
    lab.screenshot(page, stepper, "03_training_stepper")
