"""Notebook 11 in JupyterLab: the threshold slider over the coverage-accuracy curve.

The numbers on screen are computed here from the same digits and the same seeded, float64
training the notebook uses: how many dev digits the network answers at the threshold, the
coverage, the accuracy on the answered, and how many get "I don't know".
"""

import re

import numpy as np
import pytest

from . import lab

NOTEBOOK = "notebooks/11_how_sure_is_it.ipynb"


@pytest.fixture(scope="module")
def dev_probabilities():
    from nnfs_utils import MLP
    from nnfs_utils.data import load_mnist

    mnist = load_mnist("sample")
    model = MLP([784, 128, 64, 10], seed=0, dtype=np.float64)  # the notebook's plain recipe
    model.fit(mnist.X_train.astype(np.float64), mnist.y_train, epochs=8, batch_size=32,
              optimizer="adam", progress=False)  # fmt: skip
    return model.predict_proba(mnist.X_dev.astype(np.float64)), mnist.y_dev


def digit_line(P, y, threshold):
    """The first line of the readout at ``threshold``, as the explorer writes it."""
    answered = P.max(axis=1) >= threshold
    right = np.mean(P.argmax(axis=1)[answered] == y[answered])
    return (
        f"threshold {threshold:.2f}: answers {answered.sum()} of {len(y)} dev digits "
        f"(coverage {answered.mean():.3f}), {right:.3f} right; "
        f"says \u201cI don't know\u201d to {len(y) - answered.sum()}"
    )


def test_threshold_slider_notebook_11(page, lab_server, dev_probabilities):
    P, y = dev_probabilities
    lab.open_notebook(page, lab_server, NOTEBOOK)
    lab.run_all_cells(page)
    explorer = lab.explorer(page, ".nnfs-confidence-explorer")
    threshold = lab.slider(explorer, "threshold")
    readout = explorer.locator(".nnfs-readout")

    lab.wait_for_readout(threshold, 0.9, tolerance=1e-6)
    lab.wait_for_text(readout, digit_line(P, y, 0.9))
    lab.wait_for_text(readout, re.compile(r"noise: answers [\d.]+ of them"))
    picture = lab.image_source(explorer)

    lab.press_right(threshold, times=5)
    lab.wait_for_readout(threshold, 0.95, tolerance=1e-6)
    lab.wait_for_text(readout, digit_line(P, y, 0.95))
    lab.wait_for_new_image(explorer, picture)

    lab.type_into_readout(threshold, "0.5")
    lab.wait_for_readout(threshold, 0.5, tolerance=1e-6)
    lab.wait_for_text(readout, digit_line(P, y, 0.5))
    lab.screenshot(page, explorer, "11_confidence_explorer")
