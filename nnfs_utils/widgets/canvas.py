"""Notebook 09: draw a digit with the mouse and watch a trained network classify it.

``drawing_classifier(model)`` returns a widget with a drawing canvas (ipycanvas), the 28x28
image the network actually sees after the MNIST preprocessing (``nnfs_utils.preprocess``), and a
bar chart of the ten class probabilities that updates whenever a stroke ends. An image file can
be uploaded instead of drawing.

Every stroke is drawn twice: on the browser canvas, and with Pillow on a copy kept in Python.
The prediction is made from the Python copy, so it never waits for the browser to send pixels
back, and tests can draw strokes (or fake the canvas's mouse events) without a browser and read
the result from the widget's values and its ``state`` dict (see ``nnfs_utils.widgets.base``).
"""

from __future__ import annotations

import html
import io
import time

import ipywidgets as widgets
import numpy as np
from PIL import Image, ImageDraw

from ..preprocess import EmptyImageError, load_image, to_grayscale, to_mnist
from .base import Explorer

__all__ = ["DrawingClassifier", "drawing_classifier"]

EMPTY_MESSAGE = "Draw a digit first: the canvas is empty."
DIGITS = tuple(str(d) for d in range(10))


def _png(array: np.ndarray, scale: int) -> bytes:
    """PNG bytes of a [0, 1] grey image, enlarged ``scale`` times with sharp pixel edges."""
    img = Image.fromarray((np.clip(array, 0, 1) * 255).astype(np.uint8))  # mode "L"
    img = img.resize((img.width * scale, img.height * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def probability_bars_html(probabilities, class_names) -> str:
    """An HTML bar chart of class probabilities, the most likely class highlighted."""
    probabilities = np.asarray(probabilities, dtype=float)
    best = int(np.argmax(probabilities))
    rows = []
    for i, (name, p) in enumerate(zip(class_names, probabilities, strict=True)):
        color = "#d62728" if i == best else "#1f77b4"
        weight = "bold" if i == best else "normal"
        rows.append(
            "<tr>"
            f"<td style='text-align:right;padding-right:6px;font-weight:{weight}'>"
            f"{html.escape(str(name))}</td>"
            "<td style='width:180px'><div style='background:#eee;width:180px;height:12px'>"
            f"<div style='background:{color};width:{100 * p:.1f}%;height:12px'></div></div></td>"
            f"<td style='padding-left:6px;font-family:monospace'>{100 * p:5.1f}%</td>"
            "</tr>"
        )
    return "<table style='border-collapse:collapse;font-size:12px'>" + "".join(rows) + "</table>"


class _StateWithOldAccess(dict):
    """The drawing classifier's ``state``: a dict, like every explorer's.

    ``drawing_classifier(model).state`` used to be the classifier object itself, and notebook 09
    reads it that way (``demo.stroke(...)``, ``demo.drawing``, ``demo.prediction``). Until it
    reads the explorer and its ``state`` dict instead, attribute reads on this dict go to the
    live explorer: a key of its current state, or else one of its attributes.
    """

    def __init__(self, explorer, values):
        super().__init__(values)
        self._explorer = explorer

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._explorer.state:
            return self._explorer.state[name]
        return getattr(self._explorer, name)


class DrawingClassifier(Explorer):
    """A canvas to draw on, the 28x28 input the model sees, and the class probabilities.

    ``state``: ``prediction`` (int), ``probabilities`` (n_classes,) and ``input_image``
    (28, 28), all None while the canvas is empty, and ``message``, the line shown (HTML).
    """

    css_class = "nnfs-drawing-classifier"

    def __init__(
        self, model, class_names=None, size=280, line_width=None, live=True, threshold=None
    ):
        if threshold is not None and not 0 <= threshold <= 1:
            raise ValueError(
                f"threshold is a probability between 0 and 1 (or None: always answer), got "
                f"{threshold!r}"
            )
        self.threshold = threshold
        if not callable(getattr(model, "predict_proba", None)):
            raise TypeError(
                f"model must have a predict_proba(X) method (e.g. an nnfs_utils MLP trained "
                f"on MNIST), got {type(model).__name__}"
            )
        if not isinstance(size, (int, np.integer)) or not 56 <= size <= 1000:
            raise ValueError(f"size must be an int between 56 and 1000 pixels, got {size!r}")
        self.model = model
        self.class_names = tuple(class_names) if class_names is not None else DIGITS
        self.size = int(size)
        self.line_width = float(line_width) if line_width is not None else self.size / 14
        if self.line_width <= 0:
            raise ValueError(f"line_width must be positive, got {line_width!r}")
        self._pen = None
        self._last_live = 0.0
        self._image = Image.new("L", (self.size, self.size), 255)  # white paper, black ink
        self._draw = ImageDraw.Draw(self._image)

        self.canvas = self._make_canvas()
        self.live = widgets.Checkbox(value=live, description="classify as I draw", indent=False)
        self.classify_button = widgets.Button(description="Classify", icon="check")
        self.clear_button = widgets.Button(description="Clear", icon="eraser")
        self.upload = widgets.FileUpload(accept="image/*", multiple=False, description="Image")
        self.preview = widgets.Image(format="png", width=140, height=140)  # 28x28, 5x, 1:1
        self.bars = widgets.HTML()
        self.bars.add_class("nnfs-probabilities")

        self.classify_button.on_click(lambda _: self.classify())
        self.clear_button.on_click(lambda _: self.clear())
        self.upload.observe(self._on_upload, names="value")
        if self.canvas is not None:
            self.canvas.on_mouse_down(self.pen_down)
            self.canvas.on_mouse_move(self.pen_move)
            self.canvas.on_mouse_up(self.pen_up)
            self.canvas.on_mouse_out(self.pen_up)
            self.canvas.on_touch_start(lambda touches: self.pen_down(*touches[0]))
            self.canvas.on_touch_move(lambda touches: self.pen_move(*touches[0]))
            self.canvas.on_touch_end(lambda touches: self.pen_up())
            drawing_area = self.canvas
        else:  # pragma: no cover - ipycanvas is a declared dependency
            drawing_area = widgets.HTML("ipycanvas is not installed: upload an image instead.")
        controls = [
            drawing_area,
            widgets.HBox([self.classify_button, self.clear_button]),
            widgets.HBox([self.upload, self.live]),
        ]
        super().__init__(controls)
        self.readout.add_class("nnfs-prediction")  # CSS hook for browser tests, as the bars'
        self._reset_canvas()

    def _children(self, controls):
        left = widgets.VBox([widgets.HTML("<b>Draw a digit</b> (mouse or finger)"), *controls])
        right = widgets.VBox(
            [
                widgets.HTML("<b>What the network sees</b> (28x28)"),
                self.preview,
                self.readout,
                self.bars,
            ],
            layout=widgets.Layout(margin="0 0 0 20px"),
        )
        return [widgets.HBox([left, right])]

    # ----- the browser canvas -------------------------------------------------------------
    def _make_canvas(self):
        try:
            from ipycanvas import Canvas
        except ImportError:  # pragma: no cover
            return None
        canvas = Canvas(width=self.size, height=self.size)
        canvas.layout.width = f"{self.size}px"
        canvas.layout.height = f"{self.size}px"
        canvas.layout.border = "1px solid #888"
        return canvas

    def _reset_canvas(self):
        if self.canvas is None:
            return
        self.canvas.clear()
        self.canvas.fill_style = "white"
        self.canvas.fill_rect(0, 0, self.size, self.size)
        self.canvas.stroke_style = "black"
        self.canvas.fill_style = "black"
        self.canvas.line_width = self.line_width
        self.canvas.line_cap = "round"
        self.canvas.line_join = "round"

    # ----- drawing ------------------------------------------------------------------------
    def _dot(self, x, y):
        r = self.line_width / 2
        self._draw.ellipse([x - r, y - r, x + r, y + r], fill=0)
        if self.canvas is not None:
            self.canvas.fill_circle(x, y, r)

    def _segment(self, x0, y0, x1, y1):
        self._draw.line([(x0, y0), (x1, y1)], fill=0, width=round(self.line_width))
        self._dot(x1, y1)
        if self.canvas is not None:
            self.canvas.stroke_line(x0, y0, x1, y1)

    def pen_down(self, x, y):
        """Start a stroke at canvas pixel (x, y)."""
        self._pen = (float(x), float(y))
        self._dot(*self._pen)

    def pen_move(self, x, y):
        """Extend the stroke to (x, y) if the pen is down; classify now and then while drawing."""
        if self._pen is None:
            return
        self._segment(*self._pen, float(x), float(y))
        self._pen = (float(x), float(y))
        if self.live.value and time.monotonic() - self._last_live > 0.3:
            self.classify()

    def pen_up(self, x=None, y=None):
        """End the stroke; classify the drawing when "classify as I draw" is ticked."""
        if self._pen is None:
            return
        self._pen = None
        if self.live.value:
            self.classify()

    def stroke(self, points):
        """Draw one stroke through a list of (x, y) canvas points, as the mouse would."""
        points = [(float(x), float(y)) for x, y in points]
        if not points:
            raise ValueError("a stroke needs at least one (x, y) point")
        self.pen_down(*points[0])
        for x, y in points[1:]:
            self.pen_move(x, y)
        self.pen_up()

    def clear(self):
        """Wipe the canvas and the result."""
        self._pen = None
        self._draw.rectangle([0, 0, self.size, self.size], fill=255)
        self._reset_canvas()
        self.update()

    @property
    def drawing(self) -> np.ndarray:
        """The canvas as a (size, size) uint8 array: 255 paper, 0 ink."""
        return np.asarray(self._image).copy()

    # ----- an image file instead of a drawing ---------------------------------------------
    def load(self, source, name=None):
        """Put an image (a path, file bytes or an array) on the canvas and classify it.

        ``name`` (e.g. an uploaded file's name) is what an error message calls the file.

        It is scaled to fit the canvas (dark ink on white, as if drawn), so you can keep drawing
        on top of it.
        """
        if isinstance(source, np.ndarray):
            array = source
        else:
            try:
                array = load_image(source, name=name)
            except ValueError as exc:
                error = f"<span style='color:#d62728'>{html.escape(str(exc))}</span>"
                self._set_state(self._state(**{**self.state, "message": error}))
                return None
        ink = to_grayscale(array)
        img = Image.fromarray((255 - ink * 255).astype(np.uint8))  # mode "L"
        img.thumbnail((self.size, self.size), Image.Resampling.LANCZOS)
        self._draw.rectangle([0, 0, self.size, self.size], fill=255)
        self._image.paste(img, ((self.size - img.width) // 2, (self.size - img.height) // 2))
        if self.canvas is not None:
            self._reset_canvas()
            rgb = np.repeat(np.asarray(self._image)[:, :, None], 3, axis=2)
            self.canvas.put_image_data(rgb, 0, 0)
        return self.classify()

    def _on_upload(self, change):
        files = change["new"]
        if not files:
            return
        self.load(bytes(files[0]["content"]), name=files[0].get("name"))

    # ----- the classification -------------------------------------------------------------
    def _state(self, prediction=None, probabilities=None, input_image=None, message=""):
        return _StateWithOldAccess(
            self,
            {
                "prediction": prediction,
                "probabilities": probabilities,
                "input_image": input_image,
                "message": message,
            },
        )

    def _compute(self):
        """Preprocess the drawing like MNIST and run the model on it."""
        try:
            x = to_mnist(self.drawing)
        except EmptyImageError:
            return self._state(message=EMPTY_MESSAGE)
        probs = np.asarray(self.model.predict_proba(x[None, :]), dtype=float)
        if probs.shape != (1, len(self.class_names)):
            raise ValueError(
                f"the model returned probabilities of shape {probs.shape}, expected "
                f"(1, {len(self.class_names)}); pass a model trained on 28x28 digits with "
                f"{len(self.class_names)} classes"
            )
        prediction = int(np.argmax(probs[0]))
        name, confidence = html.escape(str(self.class_names[prediction])), probs[0, prediction]
        message = f"Prediction: <b>{name}</b> ({100 * confidence:.1f}%)"
        if self.threshold is not None and confidence < self.threshold:
            message = (
                f"I don't know (best guess <b>{name}</b>, {100 * confidence:.1f}%, below the "
                f"threshold of {100 * self.threshold:g}%)"
            )
        return self._state(prediction, probs[0], x.reshape(28, 28), message)

    def _show(self, state):
        empty = state["probabilities"] is None
        image = np.zeros((28, 28)) if empty else state["input_image"]
        probs = np.zeros(len(self.class_names)) if empty else state["probabilities"]
        self.preview.value = _png(image, 5)
        self.bars.value = probability_bars_html(probs, self.class_names)
        self.readout.value = state["message"]

    def classify(self):
        """Preprocess the drawing like MNIST, run the model, show the result.

        Returns the probabilities, or None (with the message "Draw a digit first") when the
        canvas is empty.
        """
        self._last_live = time.monotonic()
        self.update()
        return self.state["probabilities"]


def drawing_classifier(
    model, class_names=None, size=280, line_width=None, live=True, threshold=None
):
    """A canvas to draw a digit on, the 28x28 input the model sees, and its probabilities.

    model: anything with ``predict_proba(X)`` taking (n, 784) inputs in [0, 1] (an MLP trained
      on MNIST). class_names: labels of the outputs (default "0".."9").
    size: canvas side in pixels; line_width: pen width (default size / 14, which after scaling
      to 20x20 gives MNIST-like strokes about 2 pixels wide).
    live: classify whenever a stroke ends (and every 0.3 s while drawing); untick the box in the
      widget to classify only with the button.
    threshold: None (always answer), or a probability: below it the readout says "I don't
      know" and names the best guess (``state["prediction"]`` still holds the best guess).
    Returns the ``DrawingClassifier`` widget: ``stroke``, ``load``, ``classify``, ``clear`` and
    ``drawing``; its ``state`` dict holds ``prediction``, ``probabilities`` and ``input_image``.
    """
    return DrawingClassifier(model, class_names, size, line_width, live, threshold)
