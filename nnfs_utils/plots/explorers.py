"""The training-run explorers' data and figures (notebooks 03 and 04).

``record_boundaries`` trains a model once and keeps its decision regions over the epochs;
``plot_perceptron_progress`` and ``plot_boundary_progress`` draw a run up to one position, the
views of ``nnfs_utils.widgets.training_stepper`` and ``boundary_explorer``, which a notebook
can draw as a static figure too. ``log_steps`` picks the positions worth showing.
"""

import numpy as np

from .basics import decision_grid, plot_decision_boundary

TITLE_SIZE = 10  # points, as the axis labels; the legend is 9 points, no text is smaller


def log_steps(last):
    """0 and then 1, 1.5, 2, 3, 5, 7 times each power of ten up to ``last`` (always included).

    A slider over these positions spends as much travel on the first ten steps of training,
    where most changes happen, as on the last ten thousand.
    """
    last = int(last)
    if last < 1:
        raise ValueError(f"need at least one training step to show, got {last!r}.")
    steps = {0, last}
    power = 1
    while power <= last:
        for factor in (1, 1.5, 2, 3, 5, 7):
            step = int(round(factor * power))
            if step <= last:
                steps.add(step)
        power *= 10
    return sorted(steps)


def plot_perceptron_progress(axes, history, iteration):
    """Three panels up to ``iteration``: the loss, the outputs, the weights (log-like x).

    ``history`` is a run from ``nnfs_utils.perceptron.perceptron_history``. The whole run is
    drawn faintly so the view does not jump; the part up to ``iteration`` is drawn in colour and
    a dotted line marks where the slider is.
    """
    ax_loss, ax_out, ax_w = axes
    n = history["loss"].size - 1
    k = int(iteration)
    # a few hundred log-spaced iterations draw the same curves as all 20,000, much faster
    its = np.unique(np.concatenate([np.arange(min(n, 20) + 1), np.geomspace(1, n, 300).round()]))
    its = its.astype(int)
    upto = its <= k
    for ax in axes:
        ax.clear()
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlim(0, n)
        # powers of ten with room for their labels, then the last iteration
        ticks = [t for t in (0, 1, 10, 100, 1_000, 10_000, 100_000) if t <= n / 5] + [n]
        ax.set_xticks(ticks, [f"{t:,}" for t in ticks])  # plain labels: no slow mathtext
        ax.minorticks_off()
        ax.axvline(k, color="0.3", ls=":", lw=1)
        ax.set_xlabel("iteration")
    ax_loss.plot(its, history["loss"][its], color="0.85")
    ax_loss.plot(its[upto], history["loss"][its[upto]], color="tab:purple")
    ax_loss.plot([k], [history["loss"][k]], "o", color="tab:purple")
    ax_loss.set_ylim(0, max(1.0, float(history["loss"].max()) * 1.05))
    ax_loss.set_title(f"loss ½Σ(error²) = {history['loss'][k]:.6f}", fontsize=TITLE_SIZE)
    for i, target in enumerate(history["y"]):
        color = "tab:red" if target > 0.5 else "tab:blue"
        ax_out.plot(its, history["outputs"][its, i], color="0.85")
        ax_out.plot(its[upto], history["outputs"][its[upto], i], color=color)
    ax_out.set_ylim(-0.03, 1.03)
    ax_out.set_title("outputs (red: target 1, blue: 0)", fontsize=TITLE_SIZE)
    for j in range(history["weights"].shape[1]):
        ax_w.plot(its, history["weights"][its, j], color="0.85")
        ax_w.plot(its[upto], history["weights"][its[upto], j], label=f"w{j + 1}")
    ax_w.axhline(0, color="0.6", lw=0.8)
    ax_w.legend(loc="upper left", fontsize=9)
    ax_w.set_title("weights", fontsize=TITLE_SIZE)


def record_boundaries(model, X, y, epochs, snapshot_epochs=None, resolution=100, **fit_kwargs):
    """Train ``model`` on 2-D data for ``epochs`` and keep what it says on a grid over time.

    ``model`` follows the nnfs_utils MLP interface: ``fit(X, y, epochs=..., callbacks=...,
    progress=...)``, ``predict_proba``, ``loss`` and ``evaluate``. After every epoch the loss
    and accuracy on (X, y) are recorded; at each of ``snapshot_epochs`` (default: log-like
    positions) the class probabilities on the grid are kept. Epoch 0 is the untrained model.

    Returns a dict: ``epochs`` (list of snapshot epochs), ``probs`` (epoch -> grid
    probabilities), ``loss`` and ``accuracy`` (arrays of length epochs + 1), ``grid``
    ``(xx, yy, points)``, ``X``, ``y``.
    """
    for method in ("fit", "predict_proba", "loss", "evaluate"):
        if not callable(getattr(model, method, None)):
            raise TypeError(
                f"model has no {method}() method; pass an nnfs_utils.MLP "
                "(or an object with fit, predict_proba, loss and evaluate)."
            )
    if int(epochs) < 1:
        raise ValueError(f"epochs must be a positive whole number, got {epochs!r}.")
    epochs = int(epochs)
    wanted = set(log_steps(epochs) if snapshot_epochs is None else snapshot_epochs)
    if not wanted <= set(range(epochs + 1)):
        raise ValueError(f"snapshot_epochs must lie between 0 and epochs={epochs}.")
    wanted.add(0)
    grid = decision_grid(X, resolution=resolution)
    record = {"probs": {}, "loss": [], "accuracy": []}

    def snapshot(epoch):
        record["loss"].append(float(model.loss(X, y)))
        record["accuracy"].append(float(model.evaluate(X, y)))
        if epoch in wanted:
            record["probs"][epoch] = np.asarray(model.predict_proba(grid[2]), dtype=np.float32)

    snapshot(0)

    def callback(epoch, logs):
        snapshot(len(record["loss"]))

    callbacks = [*fit_kwargs.pop("callbacks", ()), callback]
    fit_kwargs.setdefault("progress", False)
    model.fit(X, y, epochs=epochs, callbacks=callbacks, **fit_kwargs)
    if len(record["loss"]) != epochs + 1:
        raise RuntimeError(
            f"the model called its callbacks {len(record['loss']) - 1} times for {epochs} "
            "epochs; boundary_explorer needs one call after every epoch."
        )
    return {
        "epochs": sorted(record["probs"]),
        "probs": record["probs"],
        "loss": np.array(record["loss"]),
        "accuracy": np.array(record["accuracy"]),
        "grid": grid,
        "X": np.asarray(X),
        "y": np.asarray(y),
    }


def plot_boundary_progress(axes, record, epoch):
    """Two panels: the decision regions after ``epoch`` and the loss curve up to it.

    ``record`` comes from ``record_boundaries``; ``epoch`` must be one of its snapshot epochs.
    """
    ax_regions, ax_loss = axes
    xx, yy, _ = record["grid"]
    plot_decision_boundary(ax_regions, xx, yy, record["probs"][epoch], record["X"], record["y"])
    ax_regions.set_title(
        f"epoch {epoch}: accuracy {record['accuracy'][epoch]:.1%}", fontsize=TITLE_SIZE
    )
    loss = record["loss"]
    epochs = np.arange(loss.size)
    ax_loss.clear()
    ax_loss.plot(epochs, loss, color="0.85")
    ax_loss.plot(epochs[: epoch + 1], loss[: epoch + 1], color="tab:purple")
    ax_loss.plot([epoch], [loss[epoch]], "o", color="tab:purple")
    ax_loss.set_xlim(0, loss.size - 1)
    ax_loss.set_ylim(0, float(loss.max()) * 1.05)
    ax_loss.set_xlabel("epoch")
    ax_loss.set_title(f"training loss = {loss[epoch]:.4f}", fontsize=TITLE_SIZE)
