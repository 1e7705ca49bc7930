"""Practice 2: build spec 2's residual block with the Functional API; graded on the layer graph."""

from __future__ import annotations

from graders.compare.graph import align_graphs, layer_graph, same_graph
from graders.compare.layers import COMMUTATIVE, fold_activations, found_label, spec_label
from graders.practices.models import (
    ModelPractice,
    feedback_lines,
    input_criterion,
    kinds_criterion,
    params_criterion,
    settings_criterion,
    shapes_criterion,
)
from graders.rubric import Criterion, PracticeResult


class ResidualPractice(ModelPractice):
    """Rubric (10 points): API 1, input shape 1, layers 1.5, connections 3,
    whole graph 1, layer settings 1.5, output shapes 0.5, parameter count 0.5."""

    name = "practice2"
    function = "build_residual_model"
    title = "Build a residual block with the Functional API"
    reference_module = "practice2"
    api = "functional"
    public_criteria = frozenset({"API", "input shape", "layers", "connections", "whole graph"})

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        expected, found = fold_activations(reference), fold_activations(data)
        expected_graph, found_graph = layer_graph(expected), layer_graph(found)
        if same_graph(expected_graph, found_graph, settings=True):
            mapping = _identity_by_isomorphism(expected, found)
        else:
            mapping = align_graphs(expected_graph, found_graph)
        found_by_name = {layer["name"]: layer for layer in found["layers"]}
        pairs = [(e, found_by_name.get(mapping[e["name"]])) for e in expected["layers"]]
        used = {v for v in mapping.values() if v is not None}
        pairs += [(None, f) for f in found["layers"] if f["name"] not in used]

        def label(e, f):
            if e is None:
                return f"your {found_label(f)}"
            return f"{e['name']} (takes {' and '.join(e['inbound'])})" if e["inbound"] else e["name"]

        criteria = [
            self.api_criterion(found, 1),
            input_criterion(expected, found, 1, "keras.Input(shape=(48, 48, 3))"),
            kinds_criterion("layers", pairs, 1.5, label),
            connections_criterion(expected, found, mapping, 3),
            whole_graph_criterion(expected_graph, found_graph, 1),
            settings_criterion(pairs, 1.5, label),
            shapes_criterion(pairs, 0.5, label),
            params_criterion(expected, found, pairs, 0.5, label),
        ]
        return PracticeResult(
            self.name,
            self.max_score,
            criteria,
            feedback_lines(criteria, "Your residual block matches spec 2, skip connection included."),
        )


def _identity_by_isomorphism(expected: dict, found: dict) -> dict[str, str | None]:
    import networkx as nx

    from graders.compare.graph import same_layer

    matcher = nx.algorithms.isomorphism.DiGraphMatcher(
        layer_graph(expected),
        layer_graph(found),
        node_match=lambda a, b: same_layer(a["layer"], b["layer"]),
        edge_match=lambda a, b: a["slot"] == b["slot"],
    )
    return dict(next(matcher.isomorphisms_iter()))


def whole_graph_criterion(expected_graph, found_graph, points: float) -> Criterion:
    """All or nothing: the same layer kinds wired the same way, settings aside."""
    if same_graph(expected_graph, found_graph, settings=False):
        return Criterion("whole graph", points)
    return Criterion(
        "whole graph",
        points,
        0.0,
        ["Taken as a whole, your graph is not the one in spec 2: check which layer feeds which."],
    )


def connections_criterion(expected: dict, found: dict, mapping: dict, points: float) -> Criterion:
    """Does every layer take its inputs from the layers the spec says?

    For each expected layer, the layers feeding its counterpart are compared
    with the counterparts of the layers feeding it (in any order for merges
    such as Add). A layer earns its share when all its inputs are right; a
    wrong source is reported on the layer that takes it.
    """
    found_by_name = {layer["name"]: layer for layer in found["layers"]}
    expected_by_name = {layer["name"]: layer for layer in expected["layers"]}
    reverse = {v: k for k, v in mapping.items() if v is not None}
    takers = right = 0
    messages = []
    for layer in expected["layers"]:
        counterpart = found_by_name.get(mapping[layer["name"]])
        wanted = [mapping.get(source) for source in layer["inbound"]]
        takers += bool(wanted)
        if counterpart is None or not wanted:
            continue
        got = list(counterpart["inbound"])
        if layer["kind"] in COMMUTATIVE:
            matched = sum(min(wanted.count(n), got.count(n)) for n in set(wanted) if n is not None)
        else:
            matched = sum(1 for w, g in zip(wanted, got) if w is not None and w == g)
        if matched == len(wanted) == len(got):
            right += 1
        else:
            messages.append(
                f"{layer['name']} ({spec_label(layer)}) should take "
                f"{_sources(layer['inbound'], expected_by_name)}; your {found_label(counterpart)} takes "
                f"{_found_sources(got, found_by_name, reverse)}."
            )
    fraction = right / max(1, takers)
    return Criterion("connections", points, fraction, messages)


def _sources(names: list[str], layers: dict) -> str:
    return " and ".join(f"{n} ({layers[n]['kind']})" for n in names)


def _found_sources(names: list[str], layers: dict, reverse: dict) -> str:
    if not names:
        return "no input"
    parts = []
    for name in names:
        kind = layers[name]["kind"] if name in layers else "input"
        plays = f", which plays {reverse[name]}" if name in reverse else ""
        parts.append(f"'{name}' ({kind}{plays})")
    return " and ".join(parts)
