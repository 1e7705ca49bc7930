"""Model diagrams drawn from a model description, with networkx and matplotlib (no Graphviz).

A diagram is a layered graph: one box per layer labelled ``name / Kind /
output shape``, an arrow from each layer it takes its input from, the inputs
at the top. The graph is the one :func:`graders.compare.graph.layer_graph`
builds from a :func:`graders.describe.describe_model` description, the graph
the practices compare; a Sequential model's description has no input layer,
so its inputs are added from ``description["inputs"]``.
"""

from __future__ import annotations

import networkx as nx
from matplotlib.figure import Figure

from graders.compare import graph as compare_graph
from graders.compare.layers import format_shape
from graders.report.text import tr

BOX = {"boxstyle": "round,pad=0.4", "facecolor": "#eef3fb", "edgecolor": "#4c72b0"}
INPUT_BOX = {"boxstyle": "round,pad=0.4", "facecolor": "#f2f2f2", "edgecolor": "#777777"}


def layer_graph(description: dict) -> nx.DiGraph:
    """The graph a diagram draws: the compared layer graph, with the model's inputs and every source a layer names.

    Each node has the layer's ``kind`` and its description row as ``layer``; a
    source the description does not hold is of kind ``"?"``. A layer called
    more than once has an arrow from the inputs of each call.
    """
    return compare_graph.layer_graph(description, inputs=True, unknown=True)


def _depths(graph: nx.DiGraph) -> dict[str, int]:
    """Each layer's rank: the longest path from an input, so a merge sits below all its operands.

    Without any known connection (a subclassed model) or with a cycle, the
    layers are stacked in the description's order.
    """
    acyclic = nx.DiGraph()
    acyclic.add_nodes_from(graph)
    # a layer called on its own output (shared weights) is drawn with a loop beside it, not below itself
    acyclic.add_edges_from((a, b) for a, b in graph.edges if a != b)
    if acyclic.number_of_edges() == 0 or not nx.is_directed_acyclic_graph(acyclic):
        return {node: index for index, node in enumerate(graph)}
    depths: dict[str, int] = {}
    for node in nx.topological_sort(acyclic):
        depths[node] = max((depths[p] + 1 for p in acyclic.predecessors(node)), default=0)
    return depths


def _positions(graph: nx.DiGraph, depths: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Box centres: a row per rank, one slot apart, each row ordered under its inputs' mean place."""
    rows: dict[int, list[str]] = {}
    for node in graph:  # the description's order breaks ties
        rows.setdefault(depths[node], []).append(node)
    positions: dict[str, tuple[float, float]] = {}
    for rank in sorted(rows):
        def under_inputs(node: str) -> float:
            placed = [positions[p][0] for p in graph.predecessors(node) if p in positions]
            return sum(placed) / len(placed) if placed else 0.0

        row = sorted(rows[rank], key=under_inputs)
        positions.update({node: (i - (len(row) - 1) / 2, -rank) for i, node in enumerate(row)})
    return positions


def model_diagram(description: dict, title: str) -> Figure:
    """Draws the layer graph of ``description`` top to bottom, under ``title``; returns the figure."""
    graph = layer_graph(description)
    depths = _depths(graph)
    positions = _positions(graph, depths)
    ranks = max(depths.values(), default=0) + 1
    widest = max((list(depths.values()).count(r) for r in range(ranks)), default=1)
    if graph.number_of_edges() == 0 and graph.number_of_nodes() > 1:
        title = f"{title}\n{tr('(connections unknown)')}"
    height = 0.95 * ranks + 0.4 + 0.2 * (title.count("\n") + 1)
    figure = Figure(figsize=(max(3.2, 1.9 * widest + 1.0), height), dpi=100)
    axes = figure.add_axes((0, 0, 1, 1 - 0.2 * (title.count("\n") + 1) / height))
    axes.set_axis_off()
    figure.suptitle(title, fontsize=10, y=0.995, va="top")
    axes.set_xlim(-widest / 2 - 0.1, widest / 2 + 0.1)
    axes.set_ylim(-(ranks - 1) - 0.6, 0.6)
    boxes = {}
    for node, data in graph.nodes(data=True):
        shape = data["layer"].get("output_shape")
        shape = tr("unknown") if shape is None else format_shape(shape)
        x, y = positions[node]
        boxes[node] = axes.text(x, y, f"{node}\n{data['kind']}\n{shape}", ha="center", va="center",
                                fontsize=7.5, bbox=INPUT_BOX if data["kind"] == "InputLayer" else BOX)
    for source, target in graph.edges:
        if source == target:  # out of the box's right side and back into it
            axes.annotate("", xy=(1.0, 0.8), xycoords=boxes[target], xytext=(1.0, 0.2), textcoords=boxes[source],
                          arrowprops={"arrowstyle": "-|>", "color": "#555555", "connectionstyle": "arc3,rad=1.6"})
            continue
        skips = depths[target] - depths[source] > 1
        axes.annotate(
            "", xy=(0.5, 1.0), xycoords=boxes[target], xytext=(0.5, 0.0), textcoords=boxes[source],
            arrowprops={"arrowstyle": "-|>", "color": "#555555", "shrinkA": 2, "shrinkB": 2,
                        # a skip connection bends so that it does not run through the boxes it passes
                        "connectionstyle": "arc3,rad=0.35" if skips else "arc3"},
        )
    return figure
