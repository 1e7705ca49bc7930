"""The layer graph of a model description, and comparing two of them with networkx.

Nodes are layers: each carries its description row as ``layer`` and its kind as
``kind``. An edge ``a -> b`` says that ``b`` takes ``a``'s output, and carries
the operand's position as ``slot``, except for merges such as Add whose
operands may come in any order. A layer called more than once (shared
weights) has an edge from the inputs of every call.

Every answer here depends only on the two graphs, never on the machine or the
time at hand: the same two graphs give the same mapping anywhere.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx

from graders.compare.layers import COMMUTATIVE, setting_differences


def layer_graph(description: dict, *, inputs: bool = False, unknown: bool = False) -> nx.DiGraph:
    """The layer graph of a model description (as made by ``describe_model``), nodes in its order.

    What the practices compare has only the description's layers: a source
    that is not one of them has no node and no edge. A diagram wants more:

    Args:
        inputs: add the model's inputs (``description["inputs"]``) as InputLayer
            nodes, first, when the layers do not hold them (a Sequential model's
            description leaves them out), so that the first layer is fed.
        unknown: add any other source a layer names as a node of kind ``"?"``,
            so that every connection shows.
    """
    graph = nx.DiGraph()
    names = {layer["name"] for layer in description["layers"]}
    if inputs:
        for model_input in description.get("inputs", []):
            if model_input["name"] not in names:
                layer = {"name": model_input["name"], "kind": "InputLayer", "config": {},
                         "output_shape": model_input.get("shape"), "params": 0, "inbound": []}
                graph.add_node(layer["name"], layer=layer, kind="InputLayer")
    for layer in description["layers"]:
        graph.add_node(layer["name"], layer=layer, kind=layer["kind"])
    for layer in description["layers"]:
        for call in layer_calls(layer):
            for slot, source in enumerate(call):
                if source not in graph:
                    if not unknown:
                        continue
                    graph.add_node(source, layer={"name": source, "kind": "?", "config": {}, "output_shape": None,
                                                  "params": 0, "inbound": []}, kind="?")
                if not graph.has_edge(source, layer["name"]):  # a second call adds only what is new
                    graph.add_edge(source, layer["name"], slot=None if layer["kind"] in COMMUTATIVE else slot)
    return graph


def layer_calls(layer: dict) -> list[list[str]]:
    """The sources of each call of a layer: ``calls`` for a layer called more than once, else its ``inbound``."""
    return layer.get("calls") or [layer.get("inbound", [])]


def same_layer(a: dict, b: dict) -> bool:
    return (
        a["kind"] == b["kind"]
        and not setting_differences(a, b)
        and a["output_shape"] == b["output_shape"]
        and a["params"] == b["params"]
    )


def _numbered(graph: nx.DiGraph) -> tuple[nx.DiGraph, list[str]]:
    """A copy of ``graph`` whose nodes are 0, 1, ... in its order, and the names they stand for.

    networkx's matcher keeps nodes in sets, whose order for strings changes
    from one Python process to the next (string hashing is randomised) but
    for small integers does not: between symmetric layers, the isomorphism
    found first, and the ones that :data:`MAX_WIRINGS` lets through, are then
    the same in every run.
    """
    return nx.convert_node_labels_to_integers(graph), list(graph)


class _Matcher:
    """networkx's DiGraphMatcher on numbered copies of two graphs, with mappings given back by name."""

    def __init__(self, expected: nx.DiGraph, found: nx.DiGraph, node_match=None, edge_match=None):
        (numbered_expected, self.expected_names), (numbered_found, self.found_names) = (
            _numbered(expected), _numbered(found))
        self.matcher = nx.algorithms.isomorphism.DiGraphMatcher(
            numbered_expected, numbered_found, node_match=node_match, edge_match=edge_match)

    def is_isomorphic(self) -> bool:
        return self.matcher.is_isomorphic()

    def _named(self, mapping: dict[int, int]) -> dict[str, str]:
        return {self.expected_names[u]: self.found_names[v] for u, v in sorted(mapping.items())}

    @property
    def mapping(self) -> dict[str, str]:
        return self._named(self.matcher.mapping)

    def isomorphisms_iter(self):
        return (self._named(mapping) for mapping in self.matcher.isomorphisms_iter())


def _matcher(expected: nx.DiGraph, found: nx.DiGraph, settings: bool) -> _Matcher:
    if settings:
        def node_match(a, b):
            return same_layer(a["layer"], b["layer"])
    else:
        def node_match(a, b):
            return a["layer"]["kind"] == b["layer"]["kind"]
    return _Matcher(expected, found, node_match=node_match, edge_match=lambda a, b: a["slot"] == b["slot"])


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
    ``Concatenate`` in ``Add``'s place is wired alike. Of the first
    :data:`MAX_WIRINGS` matchings, tried in the graphs' node order, the first
    one that keeps the most layer kinds is returned; None when no matching
    exists, i.e. the wiring itself differs.
    """
    matcher = _Matcher(
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


# --- aligning two graphs that differ -----------------------------------------------------------
#
# The cost of a mapping is a graph edit distance: a changed kind costs 1, each differing setting or
# output shape 0.1 (at most 0.9 for a layer of the right kind), a missing or extra layer or
# connection 1, a connection into another operand position 0.5. Costs are counted in tenths, as
# integers, so that no rounding decides between two mappings.

#: Pairs of layers (an expected layer and a found one, or none) that the exhaustive search may weigh.
#: Spec 2 against the sample answers that differ from it needs 70 to 2,400 (16,700 for a subclassed
#: model, whose connections are unknown), against a chain of 200 convs in the conv's place 5,400,
#: against 12 parallel convs into one Add 255,000; 14 such convs have too many ways to match and the
#: search stops at this count (about 0.3 s). Then the best mapping found so far is kept and the
#: alignment is marked approximate. A count, not a time: the same graphs get the same answer on any
#: machine.
SEARCH_STEPS = 300_000
#: the exhaustive search is not started for an expected graph of more layers than this (its depth)
SEARCH_MAX_LAYERS = 64
#: moves that the improvement passes before the search may weigh (a pass weighs each expected layer
#: against each found layer and none); they stop when it runs out
IMPROVE_STEPS = 200_000

_MISSING = object()


@dataclass(frozen=True)
class Alignment:
    """Which found layer plays each expected layer's part, and how sure that is.

    ``mapping`` maps every expected layer to a found layer or None (missing);
    found layers absent from its values are extra layers. ``exact`` is True
    when the mapping is proved the cheapest (the graphs are the same, or the
    exhaustive search finished within :data:`SEARCH_STEPS`), False when it is
    the best one found before the search stopped, which may be dearer than
    the cheapest. ``cost`` is the mapping's edit cost (:func:`edit_cost`).
    """

    mapping: dict[str, str | None]
    exact: bool
    cost: float


def _substitution_cost(a: dict, b: dict) -> float:
    a, b = a["layer"], b["layer"]
    if a["kind"] != b["kind"]:
        return 1.0
    cost = 0.1 * len(setting_differences(a, b))
    cost += 0.1 * (a["output_shape"] != b["output_shape"])
    return min(cost, 0.9)


def _topological_order(graph: nx.DiGraph) -> list[str]:
    """The nodes, inputs first, each after the layers it takes; ties (and cycles) in the graph's own order."""
    rank = {node: index for index, node in enumerate(graph)}
    acyclic = nx.DiGraph()
    acyclic.add_nodes_from(graph)
    acyclic.add_edges_from((a, b) for a, b in graph.edges if a != b)
    if nx.is_directed_acyclic_graph(acyclic):
        return list(nx.lexicographical_topological_sort(acyclic, key=rank.__getitem__))
    return list(graph)


class _Costs:
    """Edit costs in tenths between the layers of two graphs, by index in their topological orders.

    A complete mapping ``phi`` (a found index or None for each expected index)
    costs ``base + sum(node(i, phi[i])) + sum(edge terms)``: every found layer and
    connection counts as extra in ``base`` and is taken back when matched.
    """

    def __init__(self, expected: nx.DiGraph, found: nx.DiGraph):
        self.expected, self.found = expected, found
        self.order = _topological_order(expected)
        self.forder = _topological_order(found)
        position = {u: i for i, u in enumerate(self.order)}
        self.findex = {v: j for j, v in enumerate(self.forder)}
        self.base = 10 * (len(found) + found.number_of_edges())
        self.slots = {(self.findex[x], self.findex[y]): slot for x, y, slot in found.edges(data="slot")}
        self.successors = [{self.findex[y] for y in found.successors(v)} for v in self.forder]
        self.predecessors = [{self.findex[x] for x in found.predecessors(v)} for v in self.forder]
        # each expected connection, under its later end in the order (the one whose match decides it):
        # (other end, True when the later end takes it as input, operand slot); a self-loop has other == later
        self.earlier: list[list[tuple[int, bool, object]]] = [[] for _ in self.order]
        # every connection of each expected layer, for moves that change one layer's match
        self.incident: list[list[tuple[int, int, object]]] = [[] for _ in self.order]
        for a, b, slot in expected.edges(data="slot"):
            i, k = position[a], position[b]
            if k >= i:
                self.earlier[k].append((i, True, slot))
            else:
                self.earlier[i].append((k, False, slot))
            self.incident[i].append((i, k, slot))
            if k != i:
                self.incident[k].append((i, k, slot))
        self._nodes: dict[tuple[int, int], int] = {}

    def node(self, i: int, j: int | None) -> int:
        """Matching expected ``i`` with found ``j`` (or nothing), against counting ``j`` extra."""
        if j is None:
            return 10
        key = (i, j)
        if key not in self._nodes:
            self._nodes[key] = round(10 * _substitution_cost(self.expected.nodes[self.order[i]],
                                                             self.found.nodes[self.forder[j]])) - 10
        return self._nodes[key]

    def edge(self, x: int | None, y: int | None, slot) -> int:
        """An expected connection whose ends are matched with found ``x`` and ``y``."""
        if x is None or y is None:
            return 10
        found_slot = self.slots.get((x, y), _MISSING)
        if found_slot is _MISSING:
            return 10
        return (0 if found_slot == slot else 5) - 10

    def decided(self, phi: list, i: int, j: int | None) -> int:
        """What matching ``i`` with ``j`` adds once every layer before ``i`` in the order is matched."""
        cost = self.node(i, j)
        for other, taken, slot in self.earlier[i]:
            w = j if other == i else phi[other]
            cost += self.edge(w, j, slot) if taken else self.edge(j, w, slot)
        return cost

    def total(self, phi: list) -> int:
        return self.base + sum(self.decided(phi, i, phi[i]) for i in range(len(phi)))

    def local(self, phi: list, layers: set[int]) -> int:
        """The node terms of ``layers`` and the terms of every connection touching them."""
        cost = sum(self.node(i, phi[i]) for i in layers)
        seen = set()
        for i in layers:
            for a, b, slot in self.incident[i]:
                if (a, b) not in seen:
                    seen.add((a, b))
                    cost += self.edge(phi[a], phi[b], slot)
        return cost

    def mapping(self, phi: list) -> dict[str, str | None]:
        by_name = {self.order[i]: None if j is None else self.forder[j] for i, j in enumerate(phi)}
        return {node: by_name[node] for node in self.expected}


def edit_cost(expected: nx.DiGraph, found: nx.DiGraph, mapping: dict[str, str | None]) -> float:
    """The cost of editing ``expected`` into ``found`` with the layers matched as ``mapping`` says.

    A changed kind costs 1, each differing setting or output shape 0.1 (at
    most 0.9 for a layer of the right kind), a missing or extra layer or
    connection 1, a connection into another operand position 0.5: the cost
    :func:`align_graphs` minimises.
    """
    costs = _Costs(expected, found)
    phi = [None if mapping.get(u) is None else costs.findex[mapping[u]] for u in costs.order]
    return costs.total(phi) / 10


def _greedy(costs: _Costs) -> list:
    """Each expected layer in turn, inputs first, gets the unused found layer that adds least, or none.

    The candidates are the unused layers of its kind and those wired to the
    matches of the layers it is wired to; ties go to the earliest found layer.
    """
    by_kind: dict[str, list[int]] = {}
    for j, v in enumerate(costs.forder):
        by_kind.setdefault(costs.found.nodes[v]["layer"]["kind"], []).append(j)
    phi: list = []
    used: set[int] = set()
    for i, u in enumerate(costs.order):
        candidates = set(by_kind.get(costs.expected.nodes[u]["layer"]["kind"], ()))
        for other, taken, _slot in costs.earlier[i]:
            if other != i and phi[other] is not None:
                candidates.update(costs.successors[phi[other]] if taken else costs.predecessors[phi[other]])
        phi.append(None)
        best, best_cost = None, costs.decided(phi, i, None)
        for j in sorted(candidates - used):
            cost = costs.decided(phi, i, j)
            if cost < best_cost:
                best, best_cost = j, cost
        phi[i] = best
        if best is not None:
            used.add(best)
    return phi


def _improve(costs: _Costs, phi: list) -> list:
    """Moves that lower the cost, the best one of each pass first, while there are any and
    :data:`IMPROVE_STEPS` lasts: one expected layer to another found layer (swapping with the
    layer that had it) or to none."""
    phi = list(phi)
    steps = IMPROVE_STEPS
    while steps >= len(phi) * (len(costs.forder) + 1):
        steps -= len(phi) * (len(costs.forder) + 1)
        owner = {j: i for i, j in enumerate(phi) if j is not None}
        best_move, best_gain = None, 0
        for i in range(len(phi)):
            for j in [None, *range(len(costs.forder))]:
                if j == phi[i]:
                    continue
                other = owner.get(j) if j is not None else None
                layers = {i} if other is None else {i, other}
                before = costs.local(phi, layers)
                old = phi[i]
                phi[i] = j
                if other is not None:
                    phi[other] = old
                gain = before - costs.local(phi, layers)
                phi[i] = old
                if other is not None:
                    phi[other] = j
                if gain > best_gain:
                    best_move, best_gain = (i, j, other), gain
        if best_move is None:
            break
        i, j, other = best_move
        if other is not None:
            phi[other] = phi[i]
        phi[i] = j
    return phi


class _OutOfSteps(Exception):
    pass


def _search(costs: _Costs, start: list, steps: int) -> tuple[list, bool]:
    """Branch and bound over the expected layers in order, from the mapping ``start``.

    Returns the cheapest mapping found (the first of the cheapest, in the
    search's deterministic order) and whether the search finished, which
    proves it the cheapest, within ``steps``: each pair of layers weighed,
    for a branch or for the bound, is a step.
    """
    n, m = len(costs.order), len(costs.forder)
    best = [list(start), costs.total(start) - costs.base]
    phi: list = [None] * n
    used: set[int] = set()
    # for the bound: the found layers in order of their cost against each expected layer alone
    cheapest = [sorted(range(m), key=lambda j, i=i: (costs.node(i, j), j)) for i in range(n)]
    left = [steps]

    def spend(count: int) -> None:
        left[0] -= count
        if left[0] < 0:
            raise _OutOfSteps

    def bound(k: int) -> int:
        """A lower bound of what the layers from ``k`` on add, whatever their matches."""
        total = 0
        for i in range(k, n):
            fixed = [(phi[o], taken, slot) for o, taken, slot in costs.earlier[i] if o < k]
            loose = len(costs.earlier[i]) - len(fixed)  # each at best a kept connection: -10
            lowest = 10 + 10 * len(costs.earlier[i])  # no match
            near = set()
            for w, taken, _slot in fixed:
                if w is not None:
                    near.update(costs.successors[w] if taken else costs.predecessors[w])
            spend(len(near) + 1)
            for j in near - used:
                cost = costs.node(i, j) - 10 * loose + sum(
                    costs.edge(w, j, slot) if taken else costs.edge(j, w, slot) for w, taken, slot in fixed)
                lowest = min(lowest, cost)
            for j in cheapest[i]:  # any other found layer keeps none of the fixed connections
                if j not in used and j not in near:
                    lowest = min(lowest, costs.node(i, j) + 10 * len(fixed) - 10 * loose)
                    break
            total += lowest
        return total

    def dive(i: int, cost: int) -> None:
        if i == n:
            if cost < best[1]:
                best[0], best[1] = list(phi), cost
            return
        children = []
        spend(m + 1)
        for j in [*(j for j in range(m) if j not in used), None]:
            children.append((costs.decided(phi, i, j), m if j is None else j, j))
        children.sort()
        for added, _order, j in children:
            phi[i] = j
            if j is not None:
                used.add(j)
            if cost + added + bound(i + 1) < best[1]:
                dive(i + 1, cost + added)
            if j is not None:
                used.discard(j)
        phi[i] = None

    try:
        dive(0, 0)
    except _OutOfSteps:
        return best[0], False
    return best[0], True


def align_graphs(expected: nx.DiGraph, found: nx.DiGraph) -> Alignment:
    """Maps each expected layer to the found layer that plays its part, or None.

    Graphs that are the same get their isomorphism directly. Otherwise the
    mapping is the cheapest by :func:`edit_cost`. A first one is built in
    polynomial time, anchored on the inputs: the expected layers, in
    topological order, each take the found layer that adds least to the cost
    given the layers already matched (:func:`_greedy`); then single moves that
    lower the cost are made (:func:`_improve`). An exhaustive branch-and-bound
    search of at most :data:`SEARCH_STEPS` steps starts from it and proves it
    the cheapest or finds the cheapest. ``Alignment.exact`` is False when the
    search stopped first (or was not started, for an expected graph of more
    than :data:`SEARCH_MAX_LAYERS` layers). Nothing depends on time: the same
    two graphs give the same mapping on any machine.
    """
    matcher = _matcher(expected, found, settings=True)
    if matcher.is_isomorphic():
        mapping = {node: matcher.mapping[node] for node in expected}
        return Alignment(mapping, True, edit_cost(expected, found, mapping))
    costs = _Costs(expected, found)
    phi = _improve(costs, _greedy(costs))
    exact = False
    if len(costs.order) <= SEARCH_MAX_LAYERS:
        phi, exact = _search(costs, phi, SEARCH_STEPS)
    return Alignment(costs.mapping(phi), exact, costs.total(phi) / 10)
