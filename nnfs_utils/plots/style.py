"""The course's one figure style: readable text at the size a notebook shows the figure."""

# 100 dots per inch is how Jupyter shows an inline figure (one figure pixel per screen pixel), so
# a 9-point label is 12.5 pixels high in the stored image. Smaller text is hard to read.
COURSE_STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": "figure",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9,
    "figure.titlesize": 12,
}

MIN_FONT_SIZE = 9  # points: no text in a course figure is smaller


def use_course_style():
    """Set matplotlib's defaults to the course style (``COURSE_STYLE``); returns nothing.

    Call it once in a notebook's first cell, after ``%matplotlib inline``. It changes only
    sizes and resolution, so a figure keeps its layout; titles, labels and legends are the
    figure helpers' job.
    """
    import matplotlib as mpl

    mpl.rcParams.update(COURSE_STYLE)
