"""What the two model-building practices share: collecting a described model and
the rubric lines that judge layers, settings, shapes and parameters.

A comparison is reduced to ``pairs``: ``(expected_layer, found_layer)`` with
``None`` on the side where a layer is missing or extra. The Sequential practice
gets its pairs from an aligned diff, the Functional one from a graph alignment;
the criteria below do not care which.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from graders.compare.layers import (
    format_shape,
    found_label,
    setting_differences,
    setting_message,
    spec_label,
)
from graders.i18n import N_, _
from graders.practices.base import AnswerError, DeclarationError, Practice
from graders.rubric import Criterion, PracticeResult, criterion_title
from graders.run.rebuild import BUILT_IN_ONLY, MAX_JSON_CHARS, RebuildError, describe_json

Pair = tuple[dict | None, dict | None]
#: names a place in the model for feedback: (expected_or_None, found_or_None) -> "layer 2"
Labeller = Callable[[dict | None, dict | None], str]

API_NAMES = {
    "sequential": N_("a keras.Sequential model"),
    "functional": N_("a functional keras.Model"),
    "subclassed": N_("a subclassed keras.Model"),
}


class ModelPractice(Practice):
    """A practice whose answer is a function that builds and returns a Keras model."""

    #: the API the spec asks for: "sequential", "functional" or "subclassed"
    api: str = ""
    #: per layer kind, the settings compared (see :func:`graders.compare.layers.normalise`)
    graded_settings: dict = {}
    #: how the notebook declares the model's input, shown when the input shape is wrong
    input_hint: str = "keras.Input(shape=...)"
    #: what the spec is called in feedback (marked with N_ to be translated where shown)
    spec_title: str = N_("the spec")
    #: the feedback when every criterion is met (marked with N_)
    success: str = N_("Your model matches the spec.")

    examines_in_child = True

    def check_declaration(self) -> None:
        super().check_declaration()
        if self.api not in API_NAMES:
            raise DeclarationError(_("practice {practice}: api must be one of {known}, not {value}").format(
                practice=self.name, known=", ".join(API_NAMES), value=repr(self.api)))
        if not self.spec:
            raise DeclarationError(_("practice {practice}: a model check needs its public spec data (spec=...json)").format(
                practice=self.name))

    def collect(self, answer: Callable[..., Any], context: dict, namespace: dict) -> dict:
        """The model's JSON description (``model.to_json()``): all that leaves the student's process."""
        import keras

        model = answer()
        if not isinstance(model, keras.Model):
            raise AnswerError(
                _("{function}() returned {kind}, not a Keras model; it should end with `return model`.").format(
                    function=self.function, kind=_kind_of(model))
            )
        try:
            return {"model_json": model.to_json()}
        except Exception as exc:  # a subclassed model or custom layer without a usable config
            raise AnswerError(
                _("{function}() returned a model that Keras cannot describe ({error}); {advice}.").format(
                    function=self.function, error=type(exc).__name__, advice=_(BUILT_IN_ONLY))
            ) from None

    def validate(self, evidence: Any) -> dict:
        if not isinstance(evidence, dict) or set(evidence) != {"model_json"}:
            raise ValueError(_("expected exactly one model description"))
        if not isinstance(evidence["model_json"], str) or len(evidence["model_json"]) > MAX_JSON_CHARS:
            raise ValueError(_("the model description is not text or is too large"))
        return evidence

    def examine(self, evidence: dict) -> dict:
        """Rebuilds the model from its JSON (allow-listed classes, safe mode) and describes it."""
        try:
            return describe_json(evidence["model_json"])
        except RebuildError as exc:
            raise AnswerError(_("{function}(): {reason}.").format(function=self.function, reason=exc)) from None

    def result(self, criteria: list[Criterion], reference: dict, data: dict, success: str) -> PracticeResult:
        """The practice's result: its rubric's criteria, their feedback (or ``success``), both models for reports."""
        criteria = self.scored(criteria)
        return PracticeResult(
            self.name,
            self.max_score,
            criteria,
            feedback_lines(criteria, success),
            details={"reference": reference, "submitted": data},
        )

    def api_criterion(self, found: dict, points: float) -> Criterion:
        if found["api"] == self.api:
            return Criterion(N_("API"), points)
        return Criterion(
            "API",
            points,
            0.0,
            [_("Expected {expected}, found {found}.").format(expected=_(API_NAMES[self.api]),
                                                             found=_(API_NAMES[found["api"]]))],
        )


def _kind_of(value) -> str:
    return "None" if value is None else _("a {type}").format(type=type(value).__name__)


def input_criterion(expected: dict, found: dict, points: float, hint: str) -> Criterion:
    """Do the model's inputs have the expected shapes? ``hint`` shows how to declare them."""
    want = [i["shape"] for i in expected["inputs"]]
    got = [i["shape"] for i in found["inputs"]]
    if want == got:
        return Criterion(N_("input shape"), points)
    if not got:
        message = _("The model has no input shape: start it with {hint}.").format(hint=hint)
    else:
        message = _("Input shape: expected {expected}, found {found}.").format(
            expected=", ".join(format_shape(s) for s in want), found=", ".join(format_shape(s) for s in got))
    return Criterion("input shape", points, 0.0, [message])


def kinds_criterion(name: str, pairs: list[Pair], points: float, label: Labeller) -> Criterion:
    """Each expected layer present with the right kind; missing, extra and changed layers cost."""
    messages = []
    good = 0
    for expected, found in pairs:
        where = label(expected, found)
        if expected is None:
            messages.append(_("Extra layer: {where} is not in the spec.").format(where=where))
        elif found is None:
            messages.append(_("Missing layer: {where} should be {expected}.").format(
                where=where, expected=spec_label(expected)))
        elif expected["kind"] != found["kind"]:
            messages.append(_("{where}: expected {expected}, found {found}.").format(
                where=where, expected=spec_label(expected), found=found_label(found)))
        else:
            good += 1
    return Criterion(name, points, good / max(1, len(pairs)), messages)


def settings_criterion(pairs: list[Pair], points: float, label: Labeller) -> Criterion:
    """The graded settings (units, activation, rate, filters, ...) of each layer that has a counterpart.

    A layer counts when all its settings are right. A missing layer, or one of
    another kind, already costs in the layers criterion; its settings cannot be
    compared, so here it neither earns nor costs (one mistake, one charge).
    """
    compared = [(e, f) for e, f in _same_kind(pairs) if e["config"]]
    if not compared:
        return _nothing_to_compare(N_("layer settings"), pairs, points, lambda e: bool(e["config"]))
    right = 0
    messages = []
    for expected, found in compared:
        differences = setting_differences(expected, found)
        right += not differences
        where = f"{label(expected, found)} ({expected['kind']})"
        messages.extend(setting_message(where, key, want, got, found.get("folded_from"))
                        for key, want, got in differences)
    return Criterion("layer settings", points, right / len(compared), messages)


UNBUILT = N_("Output shapes and parameter counts cannot be checked: the model has no known input "
             "(declare it with keras.Input).")


def shapes_criterion(found_model: dict, pairs: list[Pair], points: float, label: Labeller) -> Criterion:
    """The output shape of each layer that has a counterpart of the right kind.

    Missing and changed layers already cost in the layers criterion; here they
    neither earn nor cost, so one mistake is not counted twice.
    """
    if not found_model["inputs"]:
        return Criterion(N_("output shapes"), points, 0.0, [_(UNBUILT)])
    matched = _same_kind(pairs)
    if not matched:
        return _nothing_to_compare("output shapes", pairs, points, lambda e: True)
    right = 0
    messages = []
    for expected, found in matched:
        if expected["output_shape"] == found["output_shape"]:
            right += 1
        else:
            messages.append(_("{where} ({kind}): output shape should be {expected}, found {found}.").format(
                where=label(expected, found), kind=expected["kind"], expected=format_shape(expected["output_shape"]),
                found=format_shape(found["output_shape"])))
    return Criterion("output shapes", points, right / len(matched), messages)


def params_criterion(expected: dict, found: dict, pairs: list[Pair], points: float, label: Labeller) -> Criterion:
    """Half for the model's total parameter count, half for each matched layer's count."""
    if not found["inputs"]:
        return Criterion(N_("parameter count"), points, 0.0, [_(UNBUILT)])
    messages = []
    total_ok = expected["total_params"] == found["total_params"]
    if not total_ok:
        messages.append(_("Total parameters: expected {expected}, found {found}.").format(
            expected=f"{expected['total_params']:,}", found=f"{found['total_params']:,}"))
    weighted = [(e, f) for e, f in _same_kind(pairs) if e["params"]]
    right = 0
    for expected_layer, found_layer in weighted:
        if expected_layer["params"] == found_layer["params"]:
            right += 1
        else:
            messages.append(_("{where} ({kind}): {expected} parameters expected, found {found}{hint}.").format(
                where=label(expected_layer, found_layer), kind=expected_layer["kind"],
                expected=f"{expected_layer['params']:,}", found=f"{found_layer['params']:,}",
                hint=_params_hint(expected_layer, found_layer)))
    fraction = 0.5 * total_ok + (0.5 * right / len(weighted) if weighted else 0.5 * total_ok)
    return Criterion("parameter count", points, fraction, messages)


def _params_hint(expected: dict, found: dict) -> str:
    """Why a layer's parameter count differs, when a recorded setting says so (a bias left out)."""
    want, got = expected.get("recorded", {}), found.get("recorded", {})
    if want.get("use_bias", True) and got.get("use_bias", True) is False:
        return _(" (use_bias=False leaves out its bias)")
    return ""


def _nothing_to_compare(name: str, pairs: list[Pair], points: float, counts) -> Criterion:
    """No layer of the spec that this criterion looks at has a counterpart of its kind: 0, and why."""
    wanted = sorted({e["kind"] for e, _ in pairs if e is not None and counts(e)})
    if not wanted:
        return Criterion(name, points)
    title = criterion_title(name)
    return Criterion(
        name, points, 0.0,
        [_("{criterion} cannot be checked: none of your layers is in the place of the spec's {kinds} layers.").format(
            criterion=title[:1].upper() + title[1:], kinds=", ".join(wanted))],
    )


def _same_kind(pairs: Iterable[Pair]) -> list[tuple[dict, dict]]:
    return [(e, f) for e, f in pairs if e is not None and f is not None and e["kind"] == f["kind"]]


def feedback_lines(criteria: list[Criterion], success: str) -> list[str]:
    """The feedback a student reads: every message, or one line of praise."""
    lines = [line for c in criteria for line in c.messages]
    return lines or [success]
