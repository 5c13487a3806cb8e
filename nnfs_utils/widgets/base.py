"""The base class of every explorer, and the one way an explorer updates.

An explorer is a VBox: controls on top, then an HTML ``readout`` and a ``plot`` (a PNG drawn by
an off-screen matplotlib figure). Whenever a watched control changes, ``update()`` runs:

1. ``state = self._compute()`` reads the controls and works out what to show, as a dict; it
   touches no widget;
2. ``self._show(state)`` writes that state into widget values: ``readout.value`` (HTML),
   ``plot.value`` (PNG bytes), and whatever else the explorer shows.

``explorer.state`` is that dict, the numbers on screen. A test sets a control's value, then reads
``state`` and the widget values, with no browser; JupyterLab shows the same values.
"""

import io
from contextlib import contextmanager

import ipywidgets as widgets
from matplotlib.figure import Figure

PX_PER_INCH = 100  # a figure inch is shown as 100 CSS pixels: 10 pt text is 14 px high
SHARPNESS = 2  # pictures hold twice the pixels they are shown at, sharp on high-density screens


def figure_png(fig, dpi=PX_PER_INCH * SHARPNESS):
    """Render a matplotlib Figure that pyplot does not manage to PNG bytes (Agg, off-screen).

    Light compression: a slider redraws on every move, and the bytes only travel to the browser.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def picture_widget(figsize):
    """An empty PNG ``Image`` shown at ``figsize`` inches times ``PX_PER_INCH`` CSS pixels.

    Without a width, JupyterLab stretches an Image to the width of the output area, so a small
    PNG is blown up and its text blurred. The width is fixed here and the PNG drawn at
    ``SHARPNESS`` times that size; ``max-width`` shrinks it on a narrow screen.
    """
    width = round(figsize[0] * PX_PER_INCH)
    return widgets.Image(
        format="png", layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto")
    )


class Explorer(widgets.VBox):
    """Controls, a readout and a picture, updated in one way (see the module docstring).

    A subclass sets the class attributes below, builds its controls, calls
    ``super().__init__(controls, watch)``, and implements ``_compute()`` and ``_show(state)``.
    """

    css_class = ""  # the CSS class the browser tests find the explorer by
    figsize = None  # the picture's size in inches; None: no picture
    figure_layout = None  # matplotlib's layout engine for the picture, e.g. "constrained"
    keep_pictures = False  # keep each drawn PNG under its key (see _show_picture)

    def __init__(self, controls, watch=()):
        self.state = {}
        self.readout = widgets.HTML()
        self.readout.add_class("nnfs-readout")
        self._held = 0
        self._pictures = {}
        if self.figsize is not None:
            self.figure = Figure(figsize=self.figsize, layout=self.figure_layout)
            self.plot = picture_widget(self.figsize)
            self._setup_figure(self.figure)
        super().__init__(self._children(list(controls)))
        self.add_class(self.css_class)
        for control in watch:
            control.observe(self._on_change, names="value")
        self.update()

    # ----- what a subclass provides ---------------------------------------------------------
    def _compute(self):
        """Read the controls and return the state to show, as a dict."""
        raise NotImplementedError

    def _show(self, state):
        """Write ``state`` into the widgets' values."""
        raise NotImplementedError

    def _setup_figure(self, figure):
        """Add the picture's axes to ``figure`` (called once, before the first update)."""

    def _children(self, controls):
        """The widgets shown, top to bottom."""
        picture = [self.plot] if self.figsize is not None else []
        return [*controls, self.readout, *picture]

    # ----- the update -----------------------------------------------------------------------
    def update(self):
        """Compute the state from the controls, then show it."""
        self._set_state(self._compute())

    def _set_state(self, state):
        self.state = state
        self._show(state)

    def _on_change(self, change=None):
        if not self._held:
            self.update()

    @contextmanager
    def _hold(self):
        """Set several controls without an update for each; one update follows at the end."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
        if not self._held:
            self.update()

    def _show_picture(self, draw, key=None):
        """Call ``draw()`` to draw on ``self.figure``, then put the figure's PNG into ``plot``.

        With ``keep_pictures`` the PNG is kept under ``key`` and shown again without drawing.
        """
        png = self._pictures.get(key) if self.keep_pictures else None
        if png is None:
            draw()
            png = figure_png(self.figure)
            if self.keep_pictures:
                self._pictures[key] = png
        self.plot.value = png
