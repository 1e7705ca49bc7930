"""Comparing the layer graphs of two functional models with networkx.

Nodes are layers (kind, graded settings, output shape, params); an edge
``a -> b`` says that ``b`` takes ``a``'s output, and carries the operand's
position, except for merges such as Add whose operands may come in any order.
"""

from __future__ import annotations

import itertools

import networkx as nx

from graders.compare.layers import COMMUTATIVE, setting_differences

#: Seconds networkx may spend improving the alignment of two graphs; students'
#: graphs are small and the first alignments found are already the best.
ALIGN_SECONDS = 3.0


def layer_graph(description: dict) -> nx.DiGraph:
    """The layer graph of a model description (as made by ``describe_model``)."""
    graph = nx.DiGraph()
    for layer in description["layers"]:
        graph.add_node(layer["name"], layer=layer)
    for layer in description["layers"]:
        for slot, source in enumerate(layer["inbound"]):
            if source in graph:
                graph.add_edge(source, layer["name"], slot=None if layer["kind"] in COMMUTATIVE else slot)
    return graph


def same_layer(a: dict, b: dict) -> bool:
    return (
        a["kind"] == b["kind"]
        and not setting_differences(a, b)
        and a["output_shape"] == b["output_shape"]
        and a["params"] == b["params"]
    )


def _matcher(expected: nx.DiGraph, found: nx.DiGraph, settings: bool):
    if settings:
        def node_match(a, b):
            return same_layer(a["layer"], b["layer"])
    else:
        def node_match(a, b):
            return a["layer"]["kind"] == b["layer"]["kind"]
    return nx.algorithms.isomorphism.DiGraphMatcher(
        expected, found, node_match=node_match, edge_match=lambda a, b: a["slot"] == b["slot"]
    )


def same_graph(expected: nx.DiGraph, found: nx.DiGraph, settings: bool = True) -> bool:
    """True when the graphs are the same up to layer names and the order of merge operands.

    With ``settings=False`` only the layers' kinds and their wiring count.
    """
    return _matcher(expected, found, settings).is_isomorphic()


#: structure-only matchings tried when looking for the one that keeps most layer kinds
MAX_WIRINGS = 1000


def same_wiring(expected: nx.DiGraph, found: nx.DiGraph) -> dict[str, str] | None:
    """When the graphs are wired alike, kinds and settings aside: which found layer sits at each expected one.

    The order of operands counts, except where either graph takes them in
    any order (a merge such as Add, or where the other graph has one), so
    ``Concatenate`` in ``Add``'s place is wired alike. Of the matchings, the
    one that keeps the most layer kinds is returned; None when no matching
    exists, i.e. the wiring itself differs.
    """
    matcher = nx.algorithms.isomorphism.DiGraphMatcher(
        expected, found, edge_match=lambda a, b: a["slot"] is None or b["slot"] is None or a["slot"] == b["slot"]
    )
    best, best_cost = None, None
    for mapping in itertools.islice(matcher.isomorphisms_iter(), MAX_WIRINGS):
        cost = sum(expected.nodes[u]["layer"]["kind"] != found.nodes[v]["layer"]["kind"] for u, v in mapping.items())
        if best_cost is None or cost < best_cost:
            best, best_cost = dict(mapping), cost
        if cost == 0:
            break
    return best


def _substitution_cost(a: dict, b: dict) -> float:
    a, b = a["layer"], b["layer"]
    if a["kind"] != b["kind"]:
        return 1.0
    cost = 0.1 * len(setting_differences(a, b))
    cost += 0.1 * (a["output_shape"] != b["output_shape"])
    return min(cost, 0.9)


def align_graphs(expected: nx.DiGraph, found: nx.DiGraph) -> dict[str, str | None]:
    """Maps each expected layer to the found layer that plays its part, or None.

    The mapping is the cheapest graph edit path networkx finds within
    ``ALIGN_SECONDS``: a changed kind costs 1, each differing setting 0.1, a
    missing or extra layer or connection 1. Found layers absent from the values
    are extra layers. Graphs that are the same get their isomorphism directly.
    """
    matcher = _matcher(expected, found, settings=True)
    if matcher.is_isomorphic():
        return dict(matcher.mapping)
    best = None
    for node_path, _edges, _cost in nx.optimize_edit_paths(
        expected,
        found,
        node_subst_cost=_substitution_cost,
        node_del_cost=lambda a: 1.0,
        node_ins_cost=lambda b: 1.0,
        edge_subst_cost=lambda a, b: 0.0 if a["slot"] == b["slot"] else 0.5,
        edge_del_cost=lambda a: 1.0,
        edge_ins_cost=lambda b: 1.0,
        strictly_decreasing=True,
        timeout=ALIGN_SECONDS,
    ):
        best = node_path
    mapping = {u: v for u, v in (best or []) if u is not None}
    for node in expected:
        mapping.setdefault(node, None)
    return mapping
