"""The drawing canvas of notebook 09, driven without a browser.

Mouse events are fed through ipycanvas's own event handler (as the browser would send them);
the results are read from the widget's values (HTML text, PNG bytes) and its ``state`` dict.
"""

import datetime as dt
import io
import re

import numpy as np
import pytest
from PIL import Image

from nnfs_utils import MLP
from nnfs_utils.data import load_mnist
from nnfs_utils.preprocess import to_mnist
from nnfs_utils.widgets import drawing_classifier
from nnfs_utils.widgets.canvas import EMPTY_MESSAGE


@pytest.fixture(scope="module")
def trained():
    X_train, y_train, X_dev, y_dev = load_mnist("sample")
    model = MLP([784, 64, 10], seed=0)
    model.fit(X_train, y_train, epochs=5, batch_size=32, optimizer="adam", progress=False)
    return model, X_dev, y_dev


def mouse(widget, event, x, y):
    """Send a mouse event the way the browser does."""
    widget.canvas._handle_frontend_event(None, {"event": event, "x": x, "y": y}, [])


def draw(widget, points):
    mouse(widget, "mouse_down", *points[0])
    for p in points[1:]:
        mouse(widget, "mouse_move", *p)
    mouse(widget, "mouse_up", *points[-1])


def shown_percentages(widget):
    return [float(v) for v in re.findall(r">\s*([0-9.]+)%</td>", widget.bars.value)]


def test_starts_empty_and_says_draw_a_digit_first(trained):
    w = drawing_classifier(trained[0])
    assert w.readout.value == EMPTY_MESSAGE
    assert w.classify() is None
    assert w.state["prediction"] is None and "Draw a digit first" in w.readout.value


def test_mouse_strokes_are_classified_and_shown(trained):
    model = trained[0]
    w = drawing_classifier(model)
    draw(w, [(140, 40), (140, 240)])  # a vertical line: a one
    assert w.state["prediction"] == 1
    x = to_mnist(w.drawing)
    np.testing.assert_allclose(
        w.state["probabilities"], model.predict_proba(x[None, :])[0], rtol=1e-6
    )
    np.testing.assert_array_equal(w.state["input_image"], x.reshape(28, 28))
    probabilities = w.state["probabilities"]
    assert w.readout.value == f"Prediction: <b>1</b> ({100 * probabilities[1]:.1f}%)"
    np.testing.assert_allclose(shown_percentages(w), 100 * probabilities, atol=0.051)
    # the preview shows the 28x28 input, enlarged 5 times
    preview = np.asarray(Image.open(io.BytesIO(w.preview.value)))
    assert preview.shape == (140, 140)
    np.testing.assert_allclose(preview[::5, ::5] / 255, w.state["input_image"], atol=1 / 255 + 1e-6)


def test_the_result_updates_when_the_drawing_changes(trained):
    w = drawing_classifier(trained[0])
    draw(w, [(140, 40), (140, 240)])
    first = w.state["probabilities"].copy()
    draw(w, [(60, 60), (220, 60), (120, 240)])  # add a 7-like stroke over the one
    assert not np.allclose(first, w.state["probabilities"])
    drawing = w.drawing
    assert drawing.shape == (280, 280) and drawing.min() == 0 and drawing.max() == 255


def test_classify_button_when_live_is_off(trained):
    w = drawing_classifier(trained[0], live=False)
    draw(w, [(140, 40), (140, 240)])
    assert w.state["prediction"] is None and w.readout.value == EMPTY_MESSAGE
    w.classify_button.click()
    assert w.state["prediction"] == 1


def test_clear_button_wipes_drawing_and_result(trained):
    w = drawing_classifier(trained[0])
    w.stroke([(140, 40), (140, 240)])
    assert w.state["prediction"] == 1
    w.clear_button.click()
    assert w.state["prediction"] is None and w.readout.value == EMPTY_MESSAGE
    assert (w.drawing == 255).all()
    assert shown_percentages(w) == [0.0] * 10


def test_real_digits_put_on_the_canvas_are_recognised(trained):
    """Dev digits, loaded the way an uploaded image is, get the model's own prediction."""
    model, X_dev, y_dev = trained
    w = drawing_classifier(model)
    agree = 0
    for image, label in zip(X_dev[:40], y_dev[:40], strict=True):
        w.load(image.reshape(28, 28))
        agree += w.state["prediction"] == label
    assert agree >= 34  # the small model gets about 0.93 of the dev set right


def test_upload_an_image_file(trained):
    model, X_dev, y_dev = trained
    ok = np.flatnonzero(model.predict(X_dev) == y_dev)
    digit = X_dev[ok[0]].reshape(28, 28)
    photo = (255 - digit * 255).astype(np.uint8)  # dark ink on white paper
    photo = np.asarray(Image.fromarray(photo).resize((100, 100), Image.Resampling.BILINEAR))
    buf = io.BytesIO()
    Image.fromarray(photo).save(buf, format="PNG")
    w = drawing_classifier(model)
    w.upload.value = (
        {
            "name": "digit.png",
            "type": "image/png",
            "size": len(buf.getvalue()),
            "content": memoryview(buf.getvalue()),
            "last_modified": dt.datetime(2026, 1, 1),
        },
    )
    assert w.state["prediction"] == y_dev[ok[0]]
    assert w.readout.value.startswith(f"Prediction: <b>{y_dev[ok[0]]}</b>")


def test_a_broken_upload_shows_an_error_not_a_traceback(trained):
    w = drawing_classifier(trained[0])
    assert w.load(b"not an image") is None
    assert "PNG or JPEG" in w.readout.value


def test_class_names_are_shown(trained):
    names = [f"class {i}" for i in range(10)]
    w = drawing_classifier(trained[0], class_names=names)
    w.stroke([(140, 40), (140, 240)])
    assert "class 1" in w.readout.value
    assert all(name in w.bars.value for name in names)


def test_bad_arguments():
    with pytest.raises(TypeError, match="predict_proba"):
        drawing_classifier(object())
    model = MLP([784, 10])
    with pytest.raises(ValueError, match="size"):
        drawing_classifier(model, size=10)
    with pytest.raises(ValueError, match="line_width"):
        drawing_classifier(model, line_width=-1)
    with pytest.raises(ValueError, match="at least one"):
        drawing_classifier(model).stroke([])
    with pytest.raises(ValueError, match=r"expected \(1, 3\)"):
        drawing_classifier(model, class_names=["a", "b", "c"]).stroke([(10, 10), (90, 90)])


def test_state_is_a_dict_and_the_broken_upload_keeps_the_last_result(trained):
    w = drawing_classifier(trained[0])
    assert set(w.state) == {"prediction", "probabilities", "input_image", "message"}
    w.stroke([(140, 40), (140, 240)])
    probabilities = w.state["probabilities"].copy()
    assert w.load(b"not an image") is None
    assert w.state["message"] == w.readout.value and "PNG or JPEG" in w.readout.value
    assert w.state["prediction"] == 1
    np.testing.assert_array_equal(w.state["probabilities"], probabilities)


def test_notebook_09_reads_the_state_as_the_classifier_it_used_to_be(trained):
    """Notebook 09: demo = drawing_classifier(model).state; demo.stroke(...); demo.prediction."""
    w = drawing_classifier(trained[0])
    demo = w.state
    assert demo.prediction is None and demo.size == 280
    demo.stroke([(140, 40), (140, 240)])
    np.testing.assert_array_equal(demo.drawing, w.drawing)
    assert demo.prediction == w.state["prediction"] == 1
    np.testing.assert_array_equal(demo.probabilities, w.state["probabilities"])
    np.testing.assert_array_equal(demo.input_image, w.state["input_image"])
    with pytest.raises(AttributeError):
        demo.no_such_thing  # noqa: B018


def test_an_upload_error_names_the_uploaded_file(trained):
    frames = [Image.new("L", (28, 28), v) for v in (0, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    w = drawing_classifier(trained[0])
    w._on_upload({"new": [{"name": "digit.gif", "content": buffer.getvalue()}]})
    assert "digit.gif" in w.state["message"] and "frames" in w.state["message"]


def test_below_the_threshold_the_canvas_says_i_dont_know(trained):
    model, X_dev, _ = trained
    sure = drawing_classifier(model, live=False)
    sure.load((X_dev[0].reshape(28, 28) * 255).astype(np.uint8))
    confidence = sure.state["probabilities"].max()
    assert sure.state["message"].startswith("Prediction:")
    unsure = drawing_classifier(model, live=False, threshold=min(1.0, confidence + 1e-3))
    unsure.load((X_dev[0].reshape(28, 28) * 255).astype(np.uint8))
    assert unsure.state["message"].startswith("I don't know")
    assert unsure.state["prediction"] == sure.state["prediction"]  # still the best guess
    with pytest.raises(ValueError, match="between 0 and 1"):
        drawing_classifier(model, threshold=1.5)
