"""The model-as-a-graph check: a model's layer graph compared with the reference's (the lesson's practice 2).

The lesson's practice 2 (spec 2's residual block with the Functional API) is
declared with it in :mod:`graders.practices.lesson`.
"""

from __future__ import annotations

from graders.compare.graph import align_graphs, layer_graph, same_graph, same_wiring
from graders.compare.layers import COMMUTATIVE, found_label, normalise, spec_label
from graders.practices.models import (
    ModelPractice,
    input_criterion,
    kinds_criterion,
    params_criterion,
    settings_criterion,
    shapes_criterion,
)
from graders.i18n import N_, _
from graders.rubric import Criterion, PracticeResult


#: the criteria a graph check can score (a declaration's rubric gives each its points)
CRITERIA = (N_("API"), N_("input shape"), N_("layers"), N_("connections"), N_("whole graph"), N_("layer settings"),
            N_("output shapes"), N_("parameter count"))


class ResidualPractice(ModelPractice):
    """Compares the student's layer graph with the reference's (see :func:`align_graphs`).

    Criteria: API, input shape, layers, connections, whole graph, layer
    settings, output shapes, parameter count; a declaration's rubric gives each
    its points. For a block with a skip connection the wiring should carry most
    of them: a wrongly wired block can keep every shape and parameter.
    """

    api = "functional"

    def criterion_names(self) -> tuple:
        return CRITERIA

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        expected = normalise(reference, self.graded_settings, input_layers=True)
        found = normalise(data, self.graded_settings, input_layers=True)
        expected_graph, found_graph = layer_graph(expected), layer_graph(found)
        alignment = align_graphs(expected_graph, found_graph)
        mapping = alignment.mapping
        found_by_name = {layer["name"]: layer for layer in found["layers"]}
        pairs = [(e, found_by_name.get(mapping[e["name"]])) for e in expected["layers"]]
        used = {v for v in mapping.values() if v is not None}
        pairs += [(None, f) for f in found["layers"] if f["name"] not in used]

        def label(e, f):
            if e is None:
                return _("your {layer}").format(layer=found_label(f))
            return e["name"]

        points, spec = self.rubric.points, _(self.spec_title)
        criteria = [
            self.api_criterion(found, points("API")),
            input_criterion(expected, found, points("input shape"), self.input_hint),
            kinds_criterion(N_("layers"), pairs, points("layers"), label),
            connections_criterion(expected, found, mapping, points("connections")),
            whole_graph_criterion(expected_graph, found_graph, points("whole graph"), spec),
            settings_criterion(pairs, points("layer settings"), label),
            shapes_criterion(found, pairs, points("output shapes"), label),
            params_criterion(expected, found, pairs, points("parameter count"), label),
        ]
        result = self.result(criteria, reference, data, _(self.success))
        if not alignment.exact:
            result.feedback.insert(0, _(
                "Your graph ({layers} layers with the input, {connections} connections) is too large for the "
                "grader to try every way of matching its layers with {spec}'s: they were matched approximately, "
                "from the input on, and the layers, connections, layer settings, output shapes and parameter "
                "count criteria judge each layer against the spec layer it was matched with.").format(
                    layers=len(found_graph), connections=found_graph.number_of_edges(), spec=spec))
        return result


WIRING_DIFFERS = N_("Taken as a whole, your graph is not the one in {spec}: check which layer feeds which.")


def whole_graph_criterion(expected_graph, found_graph, points: float, spec: str) -> Criterion:
    """All or nothing: the same layer kinds wired the same way, settings aside.

    The message says which of the two differs: the wiring, or only the kinds
    of some layers on a wiring that is the spec's. ``spec`` names the spec in messages ("spec 2").
    """
    if same_graph(expected_graph, found_graph, settings=False):
        return Criterion(N_("whole graph"), points)
    wiring = same_wiring(expected_graph, found_graph)
    if wiring is None:
        messages = [_(WIRING_DIFFERS).format(spec=spec)]
        if len(found_graph) != len(expected_graph):
            messages.append(_("Your graph has {found} layers where {spec} has {expected} (the input included).").format(
                found=len(found_graph), spec=spec, expected=len(expected_graph)))
        return Criterion("whole graph", points, 0.0, messages)
    changed = [
        _("{name} should be {expected}, your {found} is in its place").format(
            name=name, expected=spec_label(expected_graph.nodes[name]["layer"]),
            found=found_label(found_graph.nodes[wiring[name]]["layer"]))
        for name in expected_graph
        if expected_graph.nodes[name]["layer"]["kind"] != found_graph.nodes[wiring[name]]["layer"]["kind"]
    ]
    return Criterion(
        "whole graph",
        points,
        0.0,
        [_("Your layers are connected as in {spec}, but not all of them are of the spec's kind: {changes}.").format(
            spec=spec, changes="; ".join(changed))],
    )


def connections_criterion(expected: dict, found: dict, mapping: dict, points: float) -> Criterion:
    """Does every layer take its inputs from the layers the spec says?

    For each expected layer, the layers feeding its counterpart are compared
    with the counterparts of the layers feeding it (in any order for merges
    such as Add). A layer earns its share when all its inputs are right; a
    wrong source is reported on the layer that takes it. A missing layer
    already costs in the layers criterion and is not counted here.
    """
    found_by_name = {layer["name"]: layer for layer in found["layers"]}
    expected_by_name = {layer["name"]: layer for layer in expected["layers"]}
    reverse = {v: k for k, v in mapping.items() if v is not None}
    takers = right = 0
    messages = []
    for layer in expected["layers"]:
        counterpart = found_by_name.get(mapping[layer["name"]])
        wanted = [mapping.get(source) for source in layer["inbound"]]
        if counterpart is None or not wanted:
            continue
        takers += 1
        got = list(counterpart["inbound"])
        if layer["kind"] in COMMUTATIVE:
            matched = sum(min(wanted.count(n), got.count(n)) for n in set(wanted) if n is not None)
        else:
            matched = sum(1 for w, g in zip(wanted, got) if w is not None and w == g)
        if matched == len(wanted) == len(got):
            right += 1
        else:
            messages.append(_("{name} ({expected}) should take {sources}; your {found} takes {found_sources}.").format(
                name=layer["name"], expected=spec_label(layer), sources=_sources(layer["inbound"], expected_by_name),
                found=found_label(counterpart), found_sources=_found_sources(got, found_by_name, reverse)))
    if not takers:
        return Criterion(N_("connections"), points, 0.0, [
            _("Connections cannot be checked: none of your layers is in the place of a spec layer that takes an input.")
        ])
    return Criterion("connections", points, right / takers, messages)


def _sources(names: list[str], layers: dict) -> str:
    def kind(name: str) -> str:
        return _("the input") if layers[name]["kind"] == "InputLayer" else layers[name]["kind"]

    return _(" and ").join(f"{n} ({kind(n)})" for n in names)


def _found_sources(names: list[str], layers: dict, reverse: dict) -> str:
    if not names:
        return _("no input")
    parts = []
    for name in names:
        kind = layers[name]["kind"] if name in layers else _("unknown")
        if name in reverse:
            parts.append(_("'{name}' ({kind}, which plays {role})").format(name=name, kind=kind, role=reverse[name]))
        else:
            parts.append(f"'{name}' ({kind})")
    return _(" and ").join(parts)
