"""Notebooks 06 and 08 in JupyterLab: browse MNIST digits and a trained network's predictions.

The digit browser's numbers (label, inked pixels, brightest pixel) are computed here from the
same data files the notebook loads. The network explorer's label comes from the data; its
prediction must be the most probable class of the probabilities it shows, which sum to one.
"""

import re

import numpy as np
import pytest

from . import lab


@pytest.fixture(scope="module")
def mnist():
    from nnfs_utils.data import load_mnist

    return load_mnist("auto")  # what notebooks 06 and 08 load


def explorer_with_slider(page, description):
    """The explorer (a VBox) that holds the slider labelled ``description``."""
    label = page.locator(".widget-label", has_text=re.compile(f"^{re.escape(description)}$"))
    box = page.locator(
        ".jp-NotebookPanel .widget-vbox", has=page.locator(".widget-slider", has=label)
    )
    box.wait_for(state="visible")
    box.scroll_into_view_if_needed()
    return box


def digit_facts(X, y, index):
    x = X[index]
    return [index, len(X), int(y[index]), int(np.count_nonzero(x)), 784, float(x.max())]


def test_digit_browser_notebook_06(page, lab_server, mnist):
    X_train, y_train = mnist.X_train, mnist.y_train
    lab.open_notebook(page, lab_server, "notebooks/06_looking_at_mnist.ipynb")
    lab.run_all_cells(page)
    browser = explorer_with_slider(page, "digit index")
    index = lab.slider(browser, "digit index")
    readout = browser.locator(".widget-html-content")  # "digit #i of n: label L; k of 784 ..."

    lab.wait_for_readout(index, 0)
    lab.wait_for_numbers(readout, digit_facts(X_train, y_train, 0), tolerance=0.005)

    picture = lab.image_source(browser)
    lab.press_right(index, times=2)
    lab.wait_for_readout(index, 2)
    lab.wait_for_numbers(readout, digit_facts(X_train, y_train, 2), tolerance=0.005)
    lab.wait_for_new_image(browser, picture)

    last = len(X_train) - 1
    lab.type_into_readout(index, str(last))
    lab.wait_for_readout(index, last)
    lab.wait_for_numbers(readout, digit_facts(X_train, y_train, last), tolerance=0.005)
    lab.screenshot(page, browser, "05_digit_browser")


PREDICTION = re.compile(
    r"dev digit #(\d+): label (\d), predicted (\d) with probability ([\d.]+) \((right|wrong)\)"
)


def check_prediction(readout, y_dev, index):
    """The shown label is the data's; the prediction is the argmax of the shown probabilities."""
    lab.wait_for_text(readout, re.compile(rf"dev digit #{index}:"))
    text = readout.text_content()
    head = PREDICTION.search(text)
    assert head, text
    shown_index, label, predicted = (int(v) for v in head.groups()[:3])
    probability = float(head.group(4))
    probabilities = [
        float(p) for p in re.findall(r"\d:\s([\d.]+)", text.split("probabilities:")[1])
    ]
    assert shown_index == index
    assert label == int(y_dev[index])
    assert len(probabilities) == 10
    assert abs(sum(probabilities) - 1) <= 10 * 0.0005 + 1e-9  # ten values rounded to 3 places
    assert predicted == int(np.argmax(probabilities))
    assert probability == max(probabilities)
    assert head.group(5) == ("right" if predicted == label else "wrong")
    return probabilities


def test_network_explorer_notebook_08(page, lab_server, mnist):
    y_dev = mnist.y_dev
    lab.open_notebook(page, lab_server, "notebooks/08_the_784_16_16_10_network.ipynb")
    lab.run_all_cells(page)
    explorer = explorer_with_slider(page, "dev digit")
    index = lab.slider(explorer, "dev digit")
    readout = explorer.locator(".widget-html-content")

    lab.wait_for_readout(index, 0)
    first = check_prediction(readout, y_dev, 0)

    picture = lab.image_source(explorer)
    lab.press_right(index, times=2)
    lab.wait_for_readout(index, 2)
    second = check_prediction(readout, y_dev, 2)
    assert second != first
    lab.wait_for_new_image(explorer, picture)

    last = len(y_dev) - 1
    lab.type_into_readout(index, str(last))
    lab.wait_for_readout(index, last)
    check_prediction(readout, y_dev, last)
    lab.screenshot(page, explorer, "07_network_explorer")
