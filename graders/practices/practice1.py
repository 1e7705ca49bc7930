"""Practice 1: build spec 1 with the Sequential API; graded by an aligned layer diff."""

from __future__ import annotations

from graders.compare.layers import found_label, normalise
from graders.compare.sequence import align_layers
from graders.practices.models import (
    ModelPractice,
    input_criterion,
    kinds_criterion,
    params_criterion,
    settings_criterion,
    shapes_criterion,
)
from graders.i18n import N_, _
from graders.rubric import PracticeResult


class SequentialPractice(ModelPractice):
    """Rubric (10 points): API 1, input shape 1, layers and their order 3,
    layer settings 3, output shapes 1, parameter count 1."""

    name = "practice1"
    function = "build_sequential_model"
    title = N_("Build a Sequential model from a spec")
    reference_module = "practice1"
    api = "sequential"
    public_criteria = frozenset({"API", "input shape", "layers and their order"})
    #: the settings spec 1 states, and those that change what its layers compute or learn (a frozen
    #: layer, a Dropout's noise shape); use_bias shows in the parameter count, initialisers nowhere;
    #: a channels-first Flatten only reorders the 784 values the next Dense weighs, so it is not one
    graded_settings = {"Dense": ("units", "activation", "trainable"), "Dropout": ("rate", "noise_shape")}

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        expected = normalise(reference, self.graded_settings, input_layers=False)
        found = normalise(data, self.graded_settings, input_layers=False)
        pairs = align_layers(expected["layers"], found["layers"])
        positions = _positions(pairs)

        def label(e, f):
            if e is None:
                return _("your layer {number} ({layer})").format(number=positions[id(f)], layer=found_label(f))
            return _("layer {number}").format(number=positions[id(e)])

        criteria = [
            self.api_criterion(found, 1),
            input_criterion(expected, found, 1, "keras.Input(shape=(28, 28))"),
            kinds_criterion(N_("layers and their order"), pairs, 3, label),
            settings_criterion(pairs, 3, label),
            shapes_criterion(found, pairs, 1, label),
            params_criterion(expected, found, pairs, 1, label),
        ]
        return self.result(criteria, reference, data, _("Your Sequential model matches spec 1 layer by layer."))


def _positions(pairs) -> dict[int, int]:
    """1-based positions: expected layers in the spec's numbering, found ones in the student's."""
    positions = {}
    for side in (0, 1):
        layers = [pair[side] for pair in pairs if pair[side] is not None]
        positions.update({id(layer): i for i, layer in enumerate(layers, 1)})
    return positions
