"""The model-as-a-chain check: a model built layer after layer, graded by an aligned layer diff.

The lesson's practice 1 (spec 1 with the Sequential API) is declared with it
in :mod:`graders.practices.lesson`.
"""

from __future__ import annotations

from graders.compare.layers import found_label, normalise
from graders.compare.sequence import align_layers
from graders.i18n import N_, _
from graders.practices.models import (
    ModelPractice,
    input_criterion,
    kinds_criterion,
    params_criterion,
    settings_criterion,
    shapes_criterion,
)
from graders.rubric import PracticeResult

#: the criteria a chain check can score (a declaration's rubric gives each its points)
CRITERIA = (N_("API"), N_("input shape"), N_("layers and their order"), N_("layer settings"), N_("output shapes"),
            N_("parameter count"))


class SequentialPractice(ModelPractice):
    """Compares the student's layers with the reference's in order (see :func:`align_layers`).

    Criteria: API, input shape, layers and their order, layer settings, output
    shapes, parameter count; a declaration's rubric gives each its points.
    """

    api = "sequential"
    success = N_("Your Sequential model matches the spec layer by layer.")

    def criterion_names(self) -> tuple:
        return CRITERIA

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        expected = normalise(reference, self.graded_settings, input_layers=False)
        found = normalise(data, self.graded_settings, input_layers=False)
        pairs = align_layers(expected["layers"], found["layers"])
        positions = _positions(pairs)

        def label(e, f):
            if e is None:
                return _("your layer {number} ({layer})").format(number=positions[id(f)], layer=found_label(f))
            return _("layer {number}").format(number=positions[id(e)])

        points = self.rubric.points
        criteria = [
            self.api_criterion(found, points("API")),
            input_criterion(expected, found, points("input shape"), self.input_hint),
            kinds_criterion(N_("layers and their order"), pairs, points("layers and their order"), label),
            settings_criterion(pairs, points("layer settings"), label),
            shapes_criterion(found, pairs, points("output shapes"), label),
            params_criterion(expected, found, pairs, points("parameter count"), label),
        ]
        return self.result(criteria, reference, data, _(self.success))


def _positions(pairs) -> dict[int, int]:
    """1-based positions: expected layers in the spec's numbering, found ones in the student's."""
    positions = {}
    for side in (0, 1):
        layers = [pair[side] for pair in pairs if pair[side] is not None]
        positions.update({id(layer): i for i, layer in enumerate(layers, 1)})
    return positions
