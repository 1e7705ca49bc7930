"""Rebuilding a student's model from its JSON description, in a process that never ran student code.

The child that runs a submission sends only ``model.to_json()``. Before Keras
sees that text, :func:`check_model_json` walks it against an allow-list of
built-in classes (layers, the few tensor operations ``x + y`` and friends
record, initialisers, regularisers, constraints, dtype policies), so a Lambda
layer, a custom class or a serialised function never reaches the deserialiser.
:func:`rebuild_model` then rebuilds with Keras' safe mode on, and
:func:`describe_json` describes the rebuilt model, which is what is scored.
"""

from __future__ import annotations

import json
import re
from typing import Any

from graders.i18n import N_, _

#: a description larger than this is refused before it is parsed
MAX_JSON_CHARS = 4_000_000
#: nesting deeper than this is refused (a real model nests about 10 levels)
MAX_DEPTH = 40
MAX_LAYERS = 2000
#: inputs taken by all the layers of a rebuilt model, at most: practice 2 compares layer graphs with
#: networkx, whose cost grows with the square of the connections (20,000 take minutes and gigabytes
#: in the grading process; 1,000 take about 3 s)
MAX_CONNECTIONS = 1000
#: a name or setting longer than this is refused (a real one is a word or two)
MAX_STRING = 1000
#: characters no name or setting has: they would rewrite a report's lines in a terminal
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: Keras' own error messages carry terminal styles (bold)
_TERMINAL_STYLE = re.compile("\x1b\\[[0-9;]*[A-Za-z]")

_LAYERS = frozenset(
    """
    InputLayer Dense EinsumDense Flatten Dropout SpatialDropout1D SpatialDropout2D SpatialDropout3D
    GaussianDropout GaussianNoise AlphaDropout ActivityRegularization Identity Masking
    Activation ReLU LeakyReLU PReLU ELU Softmax
    Conv1D Conv2D Conv3D Conv1DTranspose Conv2DTranspose Conv3DTranspose
    SeparableConv1D SeparableConv2D DepthwiseConv1D DepthwiseConv2D
    MaxPooling1D MaxPooling2D MaxPooling3D AveragePooling1D AveragePooling2D AveragePooling3D
    GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D
    GlobalMaxPooling1D GlobalMaxPooling2D GlobalMaxPooling3D
    Add Subtract Multiply Average Maximum Minimum Concatenate Dot
    BatchNormalization LayerNormalization GroupNormalization UnitNormalization RMSNormalization
    Reshape Permute RepeatVector
    Cropping1D Cropping2D Cropping3D ZeroPadding1D ZeroPadding2D ZeroPadding3D
    UpSampling1D UpSampling2D UpSampling3D Rescaling Resizing CenterCrop
    Embedding SimpleRNN LSTM GRU
    """.split()
)
#: tensor operations that calling an operator or ``keras.ops`` on symbolic tensors records
_OPERATIONS = frozenset(
    """
    Add Subtract Multiply Divide TrueDivide Negative Absolute Square Sqrt Mean Sum Max Min
    Maximum Minimum Concatenate Reshape Transpose ExpandDims Squeeze Matmul
    """.split()
)
_ACTIVATION_OPS = frozenset("Relu Relu6 Sigmoid Softmax Tanh Elu Selu Gelu Silu Softplus LogSoftmax".split())
_INITIALIZERS = frozenset(
    """
    Constant Zeros Ones Identity IdentityInitializer Orthogonal OrthogonalInitializer
    RandomNormal RandomUniform TruncatedNormal VarianceScaling
    GlorotUniform GlorotNormal HeUniform HeNormal LecunUniform LecunNormal
    """.split()
)
ALLOWED: dict[str, frozenset] = {
    "keras.layers": _LAYERS,
    "keras.src.ops.numpy": _OPERATIONS,
    "keras.src.ops.nn": _ACTIVATION_OPS,
    "keras.src.models.functional": frozenset({"Functional"}),
    "keras.src.models.sequential": frozenset({"Sequential"}),
    "keras.models": frozenset({"Sequential", "Functional", "Model"}),
    "keras": frozenset({"Sequential", "Functional", "Model", "DTypePolicy", "FloatDTypePolicy"}),
    "keras.initializers": _INITIALIZERS,
    "keras.regularizers": frozenset({"L1", "L2", "L1L2", "OrthogonalRegularizer"}),
    "keras.constraints": frozenset({"MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"}),
}
#: activation functions a layer may name (Keras' own; TensorFlow's twins are mapped onto them)
ACTIVATIONS = frozenset(
    """
    relu relu6 leaky_relu elu selu gelu silu swish mish sigmoid hard_sigmoid hard_silu hard_swish
    softmax log_softmax softplus softsign tanh exponential linear
    """.split()
)
_ACTIVATION_ALIASES = {"softmax_v2": "softmax", "log_softmax_v2": "log_softmax"}
#: serialisation markers that stand for data, not code
_MARKERS = frozenset({"__keras_tensor__", "__tuple__"})

#: the advice every refusal of a non-built-in part ends with (shown through ``_``)
BUILT_IN_ONLY = N_(
    "build it from Keras' built-in layers (keras.layers...) with keras.Sequential or "
    "keras.Model(inputs, outputs); Lambda layers, custom layer classes and subclassed models "
    "cannot be graded"
)


class RebuildError(ValueError):
    """The description cannot be rebuilt; the message is one line for the student, in the current language."""


def check_model_json(text: str) -> dict:
    """Parses ``text``, checks every class it names against :data:`ALLOWED`, and cleans it.

    Cleaning drops what is not graded and may name non-built-in classes (a
    compiled model's ``compile_config``: optimiser, loss, metrics) and turns
    an activation given as a function (``tf.nn.relu``) into its Keras name.
    Returns the cleaned description. Raises :class:`RebuildError` naming the
    first class that is not allowed, or saying why the text is not a model
    description at all.
    """
    if not isinstance(text, str) or len(text) > MAX_JSON_CHARS:
        raise RebuildError(_("the model's description is missing or too large to grade"))
    try:
        config = json.loads(text)
    except (ValueError, RecursionError):
        raise RebuildError(_("the model's description is not valid JSON")) from None
    if not isinstance(config, dict):
        raise RebuildError(_("the model's description is not a Keras model"))
    counted = [0, False]  # classes seen; whether a text was refused (said last: a class or code says more)
    cleaned = _clean(config, 0, counted)
    if counted[1]:
        raise RebuildError(_("the model has a name or setting with control characters or longer than {limit} "
                             "characters; give layers short names made of plain characters").format(limit=MAX_STRING))
    return cleaned


def _clean(value: Any, depth: int, counted: list) -> Any:
    if depth > MAX_DEPTH:
        raise RebuildError(_("the model's description nests too deeply to be a Keras model"))
    if isinstance(value, str):
        return _check_text(value, counted)
    if isinstance(value, list):
        return [_clean(item, depth + 1, counted) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("class_name") == "function":
        return _activation_name(value)
    if "class_name" in value:
        _check_class(value)
        counted[0] += 1
        if counted[0] > MAX_LAYERS * 4:
            raise RebuildError(_("the model has too many parts (more than {limit} layers) to grade").format(
                limit=MAX_LAYERS))
    cleaned = {}
    for key, item in value.items():
        _check_text(key, counted)
        if key == "compile_config":
            continue
        if key in ("function", "function_type"):
            raise RebuildError(_("the model contains code (a '{key}' entry); {advice}").format(
                key=key, advice=_(BUILT_IN_ONLY)))
        if key == "inbound_nodes" and isinstance(item, list) and not all(isinstance(node, dict) for node in item):
            # Keras 2's form: connections as bare lists, which the allow-list does not count and
            # which Keras 3's to_json never writes
            raise RebuildError(_("the model's description is in an old Keras format that the grader does not read"))
        cleaned[key] = _clean(item, depth + 1, counted)
        if key in ("activation", "recurrent_activation") and not isinstance(cleaned[key], (str, type(None))):
            raise RebuildError(_("your model uses an activation written as Python code, which the grader cannot "
                                 "rebuild; give activations by their Keras name (activation=\"relu\")"))
    return cleaned


def _check_text(text: str, counted: list) -> str:
    if len(text) > MAX_STRING or _CONTROL.search(text):
        counted[1] = True
    return text


def _activation_name(entry: dict) -> str:
    """A serialised activation function's Keras name, if it is one of Keras' (or TensorFlow's twin)."""
    name = entry.get("config")
    name = _ACTIVATION_ALIASES.get(name, name) if isinstance(name, str) else None
    if name not in ACTIVATIONS:
        shown = name if isinstance(name, str) else _("a function")
        raise RebuildError(_("your model uses the activation function {name}, which the grader cannot rebuild; "
                             "give activations by their Keras name (activation=\"relu\")").format(name=shown[:80]))
    return name


def _check_class(entry: dict) -> None:
    name = entry.get("class_name")
    if name in _MARKERS and entry.get("module") is None and entry.get("registered_name") is None:
        return  # (with a module or registered name, Keras would look up a class for it)
    module = entry.get("module")
    registered = entry.get("registered_name")
    allowed = ALLOWED.get(module) if isinstance(module, str) else None
    if not isinstance(name, str) or allowed is None or name not in allowed or registered not in (None, name):
        shown = name if isinstance(name, str) else _("an unknown class")
        if isinstance(module, str) and module:
            message = _("your model uses {name} from {module}, which the grader cannot rebuild; {advice}")
        else:
            message = _("your model uses {name}, which the grader cannot rebuild; {advice}")
        raise RebuildError(message.format(name=shown[:80], module=str(module)[:74], advice=_(BUILT_IN_ONLY)))


def rebuild_model(text: str):
    """The Keras model ``text`` describes, checked and cleaned by :func:`check_model_json`, rebuilt with safe mode on.

    Raises :class:`RebuildError` with a one-line reason.
    """
    text = json.dumps(check_model_json(text))
    import keras
    from keras.src.saving import serialization_lib

    try:
        with serialization_lib.SafeModeScope(True):
            model = keras.models.model_from_json(text)
    except MemoryError:
        raise RebuildError(_("the model is too large to rebuild within the grader's memory limit")) from None
    except Exception as exc:  # Keras raises many types for a description it cannot use
        message = " ".join(_CONTROL.sub(" ", _TERMINAL_STYLE.sub("", str(exc))).split())[:200]
        reason = _("the model could not be rebuilt from its description ({error}: {message}); {advice}")
        raise RebuildError(reason.format(error=type(exc).__name__, message=message, advice=_(BUILT_IN_ONLY))) from None
    if not isinstance(model, keras.Model):
        raise RebuildError(_("the description is not a Keras model"))
    return model


def describe_json(text: str) -> dict:
    """``describe_model`` of the model that ``text`` describes; see :func:`rebuild_model`.

    Also refuses (:class:`RebuildError`) a model that calls a layer more than once, which the
    practices cannot compare with a spec, and one with more than :data:`MAX_CONNECTIONS`
    connections, which the grading process could not compare in reasonable time and memory.
    """
    from graders.describe import describe_model

    model = rebuild_model(text)
    description = describe_model(model)
    # a layer called twice inside a nested model is not in the outer graph; the description has its calls
    shared = _shared_layer(model) or next((row["name"] for row in description["layers"] if "calls" in row), None)
    if shared is not None:
        # the practices compare each layer's first call: a wrong model (a conv applied twice with
        # the same weights) would read like the spec
        raise RebuildError(_("your model calls the layer '{name}' more than once (a shared layer), which the "
                             "grader cannot compare with the spec; create a new layer for each use").format(
                                 name=shared[:80]))
    connections = sum(len(layer["inbound"]) for layer in description["layers"])
    if connections > MAX_CONNECTIONS:
        raise RebuildError(_("the model has too many connections between its layers ({count}, more than "
                             "{limit}) to grade").format(count=f"{connections:,}", limit=f"{MAX_CONNECTIONS:,}"))
    return description


def _shared_layer(model) -> str | None:
    """The name of an operation the model's graph calls more than once, if any."""
    import keras

    graph = model._functional if isinstance(model, keras.Sequential) else model
    calls: dict[int, int] = {}
    for nodes in (getattr(graph, "_nodes_by_depth", None) or {}).values():
        for node in nodes:
            calls[id(node.operation)] = calls.get(id(node.operation), 0) + 1
            if calls[id(node.operation)] > 1:
                return str(node.operation.name)
    return None
