"""Small pieces shared by the explorers."""

import io


def figure_png(fig, dpi=80):
    """Render a matplotlib Figure that pyplot does not manage to PNG bytes (Agg, off-screen).

    The explorers draw into such a figure and put the bytes into an ``ipywidgets.Image``, so
    the picture is a widget trait that tests can read and JupyterLab can show.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
