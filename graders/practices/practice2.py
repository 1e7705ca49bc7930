"""Practice 2: build spec 2's residual block with the Functional API; graded on the layer graph."""

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


class ResidualPractice(ModelPractice):
    """Rubric (10 points): API 1, input shape 0.5, layers 1.5, connections 3,
    whole graph 2, layer settings 1.5, output shapes 0.25, parameter count 0.25.

    The wiring carries most of the points: the skip connection is the point of
    the exercise, and a wrongly wired block can keep every shape and parameter.
    """

    name = "practice2"
    function = "build_residual_model"
    title = N_("Build a residual block with the Functional API")
    reference_module = "practice2"
    api = "functional"
    public_criteria = frozenset({"API", "input shape", "layers", "connections", "whole graph"})
    #: the settings spec 2 states, and those left at their default that change what a layer computes
    #: or learns (a dilated, strided or grouped conv keeps its parameter count; a frozen layer its
    #: initial weights). A pool's padding is compared as it acts: "same" that pads nothing (pool 2,
    #: strides 2 on 48x48) is "valid" (see graders.compare.layers.effective_padding).
    graded_settings = {
        "Conv2D": ("filters", "kernel_size", "strides", "padding", "dilation_rate", "groups", "activation",
                   "data_format", "trainable"),
        "MaxPooling2D": ("pool_size", "strides", "padding", "data_format"),
        "AveragePooling2D": ("pool_size", "strides", "padding", "data_format"),
        "Dense": ("units", "activation", "trainable"),
    }

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        expected = normalise(reference, self.graded_settings, input_layers=True)
        found = normalise(data, self.graded_settings, input_layers=True)
        expected_graph, found_graph = layer_graph(expected), layer_graph(found)
        mapping = align_graphs(expected_graph, found_graph)
        found_by_name = {layer["name"]: layer for layer in found["layers"]}
        pairs = [(e, found_by_name.get(mapping[e["name"]])) for e in expected["layers"]]
        used = {v for v in mapping.values() if v is not None}
        pairs += [(None, f) for f in found["layers"] if f["name"] not in used]

        def label(e, f):
            if e is None:
                return _("your {layer}").format(layer=found_label(f))
            return e["name"]

        criteria = [
            self.api_criterion(found, 1),
            input_criterion(expected, found, 0.5, "keras.Input(shape=(48, 48, 3))"),
            kinds_criterion(N_("layers"), pairs, 1.5, label),
            connections_criterion(expected, found, mapping, 3),
            whole_graph_criterion(expected_graph, found_graph, 2),
            settings_criterion(pairs, 1.5, label),
            shapes_criterion(found, pairs, 0.25, label),
            params_criterion(expected, found, pairs, 0.25, label),
        ]
        return self.result(criteria, reference, data,
                           _("Your residual block matches spec 2, skip connection included."))


WIRING_DIFFERS = N_("Taken as a whole, your graph is not the one in spec 2: check which layer feeds which.")


def whole_graph_criterion(expected_graph, found_graph, points: float) -> Criterion:
    """All or nothing: the same layer kinds wired the same way, settings aside.

    The message says which of the two differs: the wiring, or only the kinds
    of some layers on a wiring that is spec 2's.
    """
    if same_graph(expected_graph, found_graph, settings=False):
        return Criterion(N_("whole graph"), points)
    wiring = same_wiring(expected_graph, found_graph)
    if wiring is None:
        messages = [_(WIRING_DIFFERS)]
        if len(found_graph) != len(expected_graph):
            messages.append(_("Your graph has {found} layers where spec 2 has {expected} (the input included).").format(
                found=len(found_graph), expected=len(expected_graph)))
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
        [_("Your layers are connected as in spec 2, but not all of them are of the spec's kind: {changes}.").format(
            changes="; ".join(changed))],
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
