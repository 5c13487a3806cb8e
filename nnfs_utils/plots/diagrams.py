"""Diagrams of what is computed (notebooks 01, 02 and 04): a neuron, a layer, a chain rule graph.

Each function draws on the ``ax`` it is given and returns a dict of what it drew (the numbers
it computed and the text and arrow artists), so a test can read the picture's data.
"""

import numpy as np

from .basics import activation_function

POSITIVE, NEGATIVE, HIGHLIGHT, GRADIENT = "tab:blue", "tab:red", "tab:orange", "tab:red"


def _node(ax, xy, text, shape="circle", color="white", edge="0.25", size=10, **kwargs):
    """A node: text in a box (``shape`` is a matplotlib boxstyle). Returns the Text artist."""
    return ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        fontsize=size,
        zorder=3,
        bbox={"boxstyle": f"{shape},pad=0.45", "fc": color, "ec": edge, "lw": 1.2},
        **kwargs,
    )


def _arrow(ax, start, end, color="0.3", lw=1.4, shrink=16):
    """An arrow from ``start`` to ``end`` (data coordinates), stopping short of both nodes."""
    return ax.annotate(
        "",
        xy=end,
        xytext=start,
        zorder=2,
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "lw": lw,
            "shrinkA": shrink,
            "shrinkB": shrink,
            "mutation_scale": 14,
        },
    )


def _number(v, digits=4):
    """A short decimal: 2.3 rather than 2.3000, -0.5 rather than -0.50; never '-0'."""
    return f"{round(float(v), digits) + 0.0:.{digits}f}".rstrip("0").rstrip(".")


def _sign_legend(ax, loc="lower left"):
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=POSITIVE, lw=2, label="positive weight"),
        Line2D([], [], color=NEGATIVE, lw=2, label="negative weight"),
    ]
    return ax.legend(handles=handles, loc=loc, frameon=False)


def plot_neuron_diagram(ax, inputs=(1, 2, 3), weights=(0.2, 0.8, -0.5), bias=2, activation=None):
    """A neuron drawn as inputs, weighted arrows, a sum node, the bias and the output.

    ``activation`` (a name from ``ACTIVATION_NAMES``; None draws no activation node) is applied
    to the weighted sum z. The arrows are blue for a positive weight, red for a negative one,
    thicker for a larger one. Returns a dict: ``z``, ``output``, and the artists ``inputs``,
    ``weight_labels``, ``arrows`` (one per input), ``sum``, ``bias``, ``output_text``.
    """
    x = np.asarray(inputs, dtype=float).ravel()
    w = np.asarray(weights, dtype=float).ravel()
    if x.size != w.size or x.size == 0:
        raise ValueError(
            f"a neuron needs one weight per input; got {x.size} inputs and {w.size} weights. "
            "Pass lists of the same length, e.g. inputs=[1, 2, 3], weights=[0.2, 0.8, -0.5]."
        )
    z = float(x @ w + bias)
    out = z if activation is None else float(activation_function(activation)(z))
    ax.clear()
    n = x.size
    ys = (n - 1) / 2 - np.arange(n)  # inputs from top to bottom, centred on 0
    sum_xy = (4.0, 0.0)
    wmax = float(np.max(np.abs(w))) or 1.0
    drawn = {"z": z, "output": out, "inputs": [], "weight_labels": [], "arrows": []}
    for i in range(n):
        start = (0.0, ys[i])
        drawn["inputs"].append(_node(ax, start, f"$x_{i + 1}$ = {_number(x[i])}", "round"))
        color = POSITIVE if w[i] >= 0 else NEGATIVE
        lw = 1.0 + 2.5 * abs(w[i]) / wmax
        drawn["arrows"].append(_arrow(ax, start, sum_xy, color=color, lw=lw, shrink=24))
        # label at 40% of the way, above the arrow, in the arrow's colour
        lx, ly = 0.6 * start[0] + 0.4 * sum_xy[0], 0.6 * start[1] + 0.4 * sum_xy[1]
        drawn["weight_labels"].append(
            ax.text(
                lx,
                ly + 0.12,
                f"$w_{i + 1}$ = {_number(w[i])}",
                color=color,
                ha="center",
                va="bottom",
                fontsize=10,
                zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            )
        )
    drawn["sum"] = _node(ax, sum_xy, "Σ", "circle", color="0.93", size=16)
    bias_xy = (sum_xy[0], ys[-1] - 0.2)
    drawn["bias"] = _node(ax, bias_xy, f"bias b = {_number(bias)}", "round", color="0.97")
    _arrow(ax, bias_xy, sum_xy, shrink=18)
    terms = " + ".join(f"{_number(xi)}·({_number(wi)})" for xi, wi in zip(x, w, strict=True))
    ax.text(
        sum_xy[0],
        ys[0] + 0.5,
        f"z = {terms} + {_number(bias)} = {_number(z)}",
        ha="center",
        va="bottom",
        fontsize=10,
    )
    last = sum_xy
    if activation is not None:
        last = (5.6, 0.0)
        _arrow(ax, sum_xy, last, shrink=20)
        ax.text(4.8, 0.12, f"z = {_number(z)}", ha="center", va="bottom", fontsize=10)
        _node(ax, last, activation, "round", color="0.93")
    out_xy = (last[0] + (2.0 if activation is None else 2.6), 0.0)
    _arrow(ax, last, out_xy, shrink=22)
    label = "output" if activation is None else f"output = {activation}(z)"
    drawn["output_text"] = _node(
        ax, out_xy, f"{label}\n{_number(out)}", "round", color="#fff3e0", edge=HIGHLIGHT
    )
    ax.set_xlim(-1.0, out_xy[0] + 1.1)
    ax.set_ylim(ys[-1] - 0.7, ys[0] + 0.9)
    ax.axis("off")
    then = "" if activation is None else f", then apply {activation}"
    ax.set_title(f"one neuron: multiply each input by its weight, add them up, add the bias{then}")
    _sign_legend(ax, loc="upper left")
    return drawn


def plot_layer_diagram(ax, inputs=(1, 2, 3, 2.5), weights=None, biases=(2, 3, 0.5), highlight=0):
    """A layer fully connected to its inputs, one neuron's weights highlighted in the matrix.

    ``weights`` has one row per neuron and one column per input (notebook 02's 3x4 matrix;
    default its numbers). Every connection is a thin grey line except the ``highlight`` neuron's,
    drawn thick in orange with its weights written on them; beside the network the weight matrix
    is printed with the same row in orange, then the biases and the outputs.
    Returns a dict: ``outputs``, ``highlight_lines`` ((n_inputs, 2, 2) segment coordinates),
    ``matrix_texts`` (an (n_neurons, n_inputs) array of Text), ``output_texts`` and
    ``headers`` (the Text above the matrix and the "+ b" beside it).
    """
    from matplotlib.collections import LineCollection

    if weights is None:
        weights = [[0.2, 0.8, -0.5, 1.0], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]]
    x = np.asarray(inputs, dtype=float).ravel()
    W = np.asarray(weights, dtype=float)
    b = np.asarray(biases, dtype=float).ravel()
    if W.ndim != 2 or W.shape[1] != x.size or W.shape[0] != b.size:
        raise ValueError(
            f"weights must have one row per neuron and one column per input: with {x.size} "
            f"inputs and {b.size} biases that is shape ({b.size}, {x.size}), got {W.shape}."
        )
    n_neurons, n_inputs = W.shape
    if not 0 <= int(highlight) < n_neurons:
        raise ValueError(f"highlight must be a neuron index 0..{n_neurons - 1}, got {highlight}.")
    highlight = int(highlight)
    outputs = W @ x + b
    ax.clear()
    in_y = (n_inputs - 1) / 2 - np.arange(n_inputs)
    # the neurons spread over the same height as the inputs
    out_y = np.linspace(in_y[0], in_y[-1], n_neurons) if n_neurons > 1 else np.zeros(1)
    x_in, x_out = 0.0, 3.0
    segments = np.array(
        [[[x_in, in_y[i]], [x_out, out_y[j]]] for j in range(n_neurons) for i in range(n_inputs)]
    )
    mine = np.array([j == highlight for j in range(n_neurons) for _ in range(n_inputs)])
    ax.add_collection(LineCollection(segments[~mine], colors="0.75", linewidths=1.0, zorder=1))
    ax.add_collection(LineCollection(segments[mine], colors=HIGHLIGHT, linewidths=2.6, zorder=1))
    for i in range(n_inputs):
        _node(ax, (x_in, in_y[i]), f"$x_{i + 1}$ = {_number(x[i])}", "round")
        seg = segments[highlight * n_inputs + i]
        lx, ly = seg[0] + 0.3 * (seg[1] - seg[0])
        ax.text(lx, ly, _number(W[highlight, i]), color=HIGHLIGHT, ha="center", va="center",
                fontsize=10, zorder=4, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none"})  # fmt: skip
    output_texts = []
    for j in range(n_neurons):
        edge = HIGHLIGHT if j == highlight else "0.25"
        _node(ax, (x_out, out_y[j]), f"neuron {j + 1}", "circle", color="0.95", edge=edge, size=9)
        output_texts.append(
            ax.text(
                x_out + 0.75,
                out_y[j],
                f"→ {_number(outputs[j])}",
                va="center",
                fontsize=10,
                color=HIGHLIGHT if j == highlight else "black",
            )  # fmt: skip
        )
    # the matrix, one row per neuron, then "+ b = output"
    col0, dx = 5.6, 0.85
    matrix_texts = np.empty(W.shape, dtype=object)
    for j in range(n_neurons):
        color = HIGHLIGHT if j == highlight else "black"
        weight = "bold" if j == highlight else "normal"
        for i in range(n_inputs):
            matrix_texts[j, i] = ax.text(col0 + i * dx, out_y[j], _number(W[j, i]), ha="center",
                                         va="center", fontsize=10, color=color, fontweight=weight)  # fmt: skip
        ax.text(col0 + n_inputs * dx + 0.25, out_y[j], f"+ {_number(b[j])}", va="center",
                fontsize=10, color=color)  # fmt: skip
        ax.text(col0 + n_inputs * dx + 1.25, out_y[j], f"= {_number(outputs[j])}", va="center",
                fontsize=10, color=color, fontweight=weight)  # fmt: skip
    top, bottom = out_y[0] + 0.45, out_y[-1] - 0.45
    left, right = col0 - 0.5, col0 + (n_inputs - 1) * dx + 0.5
    for xb, sign in ((left, 1), (right, -1)):  # square brackets around the matrix
        ax.plot([xb + sign * 0.15, xb, xb, xb + sign * 0.15], [top, top, bottom, bottom], c="k")
    # short enough to end before "+ b" (the course's W is this matrix transposed)
    header = ax.text((left + right) / 2, top + 0.15, f"weights ({n_neurons}×{n_inputs}), a row per neuron",
                     ha="center", va="bottom", fontsize=10)  # fmt: skip
    plus_b = ax.text(right + 0.55, top + 0.15, "+ b", ha="left", va="bottom", fontsize=10)
    ax.text(right + 1.55, top + 0.15, "= output", ha="left", va="bottom", fontsize=10)
    ax.set_xlim(-0.9, col0 + n_inputs * dx + 2.6)
    ax.set_ylim(min(in_y[-1], out_y[-1]) - 0.6, max(in_y[0], out_y[0]) + 1.1)
    ax.axis("off")
    ax.set_title(
        f"a layer of {n_neurons} neurons, each connected to all {n_inputs} inputs: "
        f"neuron {highlight + 1}'s weights are row {highlight + 1} of the weights"
    )
    return {
        "outputs": outputs,
        "highlight_lines": segments[mine],
        "matrix_texts": matrix_texts,
        "output_texts": output_texts,
        "headers": (header, plus_b),
    }


def plot_computational_graph(ax, x=(1.0, 2.0), w=(0.5, -0.2), b=0.1, target=1.0):
    """The chain rule on one sigmoid neuron with loss ½(a - y)²: every node's value and gradient.

    Nodes: each weight and input, their products, the sum z (with the bias), a = sigmoid(z) and
    the loss L. Each node shows its value (black, computed forwards) and dL/d(node) (red,
    computed backwards). Default numbers: notebook 04's example. Returns a dict mapping node
    names ("w1", "x1", "w1*x1", ..., "b", "z", "a", "L") to (value, gradient), plus the node
    Text artists under ``"texts"``, the red gradient Texts under ``"gradient_texts"`` (same
    keys) and the arrow from b to z under ``"b_arrow"``.
    """
    x = np.asarray(x, dtype=float).ravel()
    w = np.asarray(w, dtype=float).ravel()
    if x.size != w.size or x.size == 0:
        raise ValueError(f"need one weight per input; got {x.size} inputs and {w.size} weights.")
    n = x.size
    z = float(x @ w + b)
    a = 1.0 / (1.0 + np.exp(-z))
    loss = 0.5 * (a - target) ** 2
    dL_da = a - target
    dL_dz = dL_da * a * (1 - a)
    values = {"L": (loss, 1.0), "a": (a, dL_da), "z": (z, dL_dz), "b": (float(b), dL_dz)}
    for i in range(n):
        values[f"w{i + 1}*x{i + 1}"] = (x[i] * w[i], dL_dz)
        values[f"w{i + 1}"] = (w[i], dL_dz * x[i])
        values[f"x{i + 1}"] = (x[i], dL_dz * w[i])
    ax.clear()
    texts, gradient_texts = {}, {}

    def node(name, xy, label, shape="round", gradient_dx=None):
        value, grad = values[name]
        t = _node(ax, xy, f"{label} = {_number(value)}", shape, size=10)
        texts[name] = t
        # centred under the node, or starting gradient_dx from its centre
        x0, ha = (xy[0], "center") if gradient_dx is None else (xy[0] + gradient_dx, "left")
        gradient_texts[name] = ax.text(
            x0, xy[1] - 0.36, f"dL/d{label} = {_number(grad)}", ha=ha, va="top",
            color=GRADIENT, fontsize=10, zorder=4,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"},
        )  # fmt: skip
        return xy

    rows = 2 * n + 1
    top = (rows - 1) / 2
    # z's gradient sits right of centre: clear of the arrow coming up from b, short of a's
    z_xy = node("z", (4.6, 0.0), "z", gradient_dx=-0.25)
    for i in range(n):
        yw, yx = top - 2 * i, top - 2 * i - 1
        w_xy = node(f"w{i + 1}", (0.0, yw), f"$w_{i + 1}$")
        x_xy = node(f"x{i + 1}", (0.0, yx), f"$x_{i + 1}$")
        p_xy = node(f"w{i + 1}*x{i + 1}", (2.3, (yw + yx) / 2), f"$w_{i + 1}x_{i + 1}$")
        _arrow(ax, w_xy, p_xy, shrink=28)
        _arrow(ax, x_xy, p_xy, shrink=28)
        _arrow(ax, p_xy, z_xy, shrink=30)
    b_xy = node("b", (2.3, -top), "b")
    b_arrow = _arrow(ax, b_xy, z_xy, shrink=26)
    a_xy = node("a", (7.0, 0.0), "a", gradient_dx=-0.6)  # a little right: apart from z's
    _arrow(ax, z_xy, a_xy, shrink=30)
    ax.text(5.8, 0.15, "σ(z)", ha="center", va="bottom", fontsize=11)
    l_xy = node("L", (9.6, 0.0), "L")
    _arrow(ax, a_xy, l_xy, shrink=34)
    ax.text(8.3, 0.15, "½(a − y)²", ha="center", va="bottom", fontsize=10)
    ax.text(8.3, -1.3, f"target y = {_number(target)}", ha="center", fontsize=10)
    ax.set_xlim(-1.0, 10.6)
    ax.set_ylim(-top - 0.9, top + 0.6)
    ax.axis("off")
    ax.set_title("forward: values (black), left to right; backward: gradients (red), right to left")
    values["texts"] = texts
    values["gradient_texts"] = gradient_texts
    values["b_arrow"] = b_arrow
    return values
