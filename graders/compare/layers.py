"""Comparing single layers of two model descriptions, and naming them for students."""

from __future__ import annotations

import math

from graders.describe import SETTING_DEFAULTS
from graders.i18n import _

#: Layers that only apply an activation: ``Dense(128)`` followed by
#: ``Activation("relu")`` is the same answer as ``Dense(128, activation="relu")``.
#: Their own settings (a ReLU's cap or slope, a Softmax's axis) are part of the
#: activation they fold into (see :func:`activation_of`).
ACTIVATION_LAYERS = frozenset({"Activation", "ReLU", "LeakyReLU", "ELU", "Softmax"})

#: Merge layers whose operands may come in any order.
COMMUTATIVE = {"Add", "Multiply", "Average", "Maximum", "Minimum"}

#: Pooling layers: their padding is compared as it acts (see :func:`effective_padding`).
POOLING = frozenset({
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
})


def activation_of(layer: dict, input_rank: int | None) -> str:
    """The activation a standalone activation layer applies, as a name with its settings.

    A plain ``ReLU()`` is ``'relu'``; ``ReLU(max_value=6)`` is ``'relu6'`` (Keras'
    own name for it); ``LeakyReLU()`` is ``'leaky_relu (negative_slope 0.3)'``;
    ``Softmax(axis=0)`` is ``'softmax (axis 0)'``, while a Softmax over the last
    axis (``-1``, or ``1`` of an input of rank 2) is ``'softmax'``.
    """
    config, kind = layer["config"], layer["kind"]
    if kind == "Activation":
        return config.get("activation", "linear")
    if kind in ("ReLU", "LeakyReLU"):
        # a description leaves a setting out when it holds SETTING_DEFAULTS' value (even where
        # the layer's own default differs, as LeakyReLU's slope of 0.3)
        changed = {key: config[key] for key in ("max_value", "negative_slope", "threshold")
                   if key in config and config[key] != SETTING_DEFAULTS[key]}
        if not changed:
            return "relu"
        if changed == {"max_value": 6}:
            return "relu6"
        name = "leaky_relu" if set(changed) == {"negative_slope"} else "relu"
        return _with_settings(name, changed)
    if kind == "ELU":
        alpha = config.get("alpha", 1.0)
        return "elu" if alpha == 1.0 else _with_settings("elu", {"alpha": alpha})
    if kind == "Softmax":
        axis = config.get("axis", -1)
        axes = axis if isinstance(axis, list) else [axis]
        last = {-1} | ({input_rank - 1} if input_rank else set())
        return "softmax" if len(axes) == 1 and axes[0] in last else _with_settings("softmax", {"axis": axis})
    return config.get("activation", "linear")


def _with_settings(name: str, settings: dict) -> str:
    return f"{name} ({', '.join(f'{k} {_plain(v)}' for k, v in settings.items())})"


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fold_activations(description: dict) -> dict:
    """Returns a copy of ``description`` with standalone activation layers folded.

    An activation layer (see :data:`ACTIVATION_LAYERS`) is folded into the layer
    it follows when that layer has a linear activation and feeds nothing else;
    the layer it is folded into then names it in ``folded_from``. Everything else
    is kept.
    """
    layers = [dict(layer, config=dict(layer["config"]), inbound=list(layer["inbound"]))
              for layer in description["layers"]]
    by_name = {layer["name"]: layer for layer in layers}
    consumers: dict[str, int] = {}
    for layer in layers:
        for name in layer["inbound"]:
            consumers[name] = consumers.get(name, 0) + 1

    renamed: dict[str, str] = {}
    kept = []
    for layer in layers:
        layer["inbound"] = [renamed.get(n, n) for n in layer["inbound"]]
        producer = by_name.get(layer["inbound"][0]) if len(layer["inbound"]) == 1 else None
        if (
            layer["kind"] in ACTIVATION_LAYERS
            and producer is not None
            and producer["config"].get("activation") == "linear"
            and consumers.get(producer["name"]) == 1
        ):
            shape = producer.get("output_shape")
            rank = len(shape) if isinstance(shape, list) and not (shape and isinstance(shape[0], list)) else None
            producer["config"]["activation"] = activation_of(layer, rank)
            producer["folded_from"] = f"{layer['kind']} '{layer['name']}'"
            renamed[layer["name"]] = producer["name"]
            continue
        kept.append(layer)
    outputs = [dict(o, name=renamed.get(o["name"], o["name"])) for o in description["outputs"]]
    return dict(description, layers=kept, outputs=outputs)


def effective_padding(layer: dict, input_shape) -> str | None:
    """A pooling layer's padding as it acts: ``'same'`` that adds no padding is ``'valid'``.

    With pool 2 and strides 2 on a 48x48 input, ``padding="same"`` pads nothing
    and computes exactly what ``"valid"`` does. Returns None when the layer has
    no padding setting; the setting as written when the input shape is unknown.
    """
    config = layer["config"]
    padding = config.get("padding")
    if padding != "same" or not isinstance(input_shape, list) or not input_shape or isinstance(input_shape[0], list):
        return padding
    window, strides = config.get("pool_size"), config.get("strides") or config.get("pool_size")
    channels_first = config.get("data_format") == "channels_first"
    spatial = input_shape[2:] if channels_first else input_shape[1:-1]
    if not (isinstance(window, list) and isinstance(strides, list) and len(window) == len(strides) == len(spatial)):
        return padding
    if any(not isinstance(n, int) for n in spatial):
        return padding
    pads = any((math.ceil(n / s) - 1) * s + k - n > 0 for n, k, s in zip(spatial, window, strides))
    return "same" if pads else "valid"


def normalise(description: dict, graded: dict[str, tuple[str, ...]], input_layers: bool) -> dict:
    """The description a practice compares: activations folded, only graded settings kept.

    Args:
        graded: per layer kind, the settings the spec states or that change what
            the layer computes; a kind not listed keeps none (its shape and
            parameters still count). A graded setting that a description leaves
            out because it holds Keras' default gets that default.
        input_layers: True to have the inputs as InputLayer nodes (graphs; a
            Sequential model's description leaves them out), False to drop them
            (chains; the input shape is judged on its own).

    Each layer keeps its recorded settings in ``recorded`` (for hints such as
    ``use_bias`` in the parameter count's feedback).
    """
    folded = fold_activations(description)
    shapes = {i["name"]: i["shape"] for i in folded["inputs"]}
    shapes.update({layer["name"]: layer["output_shape"] for layer in folded["layers"]})
    layers = [layer for layer in folded["layers"] if layer["kind"] != "InputLayer"]
    if input_layers:
        layers = [
            {"name": i["name"], "kind": "InputLayer", "config": {}, "output_shape": i["shape"], "params": 0, "inbound": []}
            for i in folded["inputs"]
        ] + layers
    for layer in layers:
        keys = graded.get(layer["kind"], ())
        recorded = layer["config"]
        if layer["kind"] in POOLING and len(layer["inbound"]) == 1:
            recorded = dict(recorded, padding=effective_padding(layer, shapes.get(layer["inbound"][0])))
        config = {k: v for k, v in recorded.items() if k in keys}
        for key in keys:
            if key not in config and key in SETTING_DEFAULTS:
                config[key] = SETTING_DEFAULTS[key]
        layer["recorded"] = recorded
        layer["config"] = config
    return dict(folded, layers=layers)


def setting_differences(expected: dict, found: dict) -> list[tuple[str, object, object]]:
    """The graded settings in which ``found`` differs from ``expected``: (key, expected, found)."""
    differences = []
    for key, value in expected["config"].items():
        other = found["config"].get(key)
        if other != value:
            differences.append((key, value, other))
    return differences


def format_shape(shape) -> str:
    """(None, 28, 28) the way Keras prints shapes; "unknown" when a model cannot tell."""
    if shape is None:
        return _("unknown")
    if shape and isinstance(shape[0], list):
        return ", ".join(format_shape(s) for s in shape)
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def format_value(value) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list):
        return format_shape(value)
    return str(value)


def spec_label(layer: dict) -> str:
    """A layer the way a spec table states it: ``Dense(128, relu)``, ``Dropout(0.2)``."""
    config = layer["config"]
    parts = []
    for key in ("units", "filters"):
        if key in config:
            parts.append(str(config[key]))
    if "kernel_size" in config:
        parts.append(_("kernel {size}").format(size="x".join(str(k) for k in config["kernel_size"])))
    if "pool_size" in config:
        parts.append(_("pool {size}").format(size="x".join(str(k) for k in config["pool_size"])))
    if "rate" in config:
        parts.append(_("rate {rate}").format(rate=config["rate"]))
    if config.get("padding") == "same":
        parts.append("same")
    if config.get("activation") not in (None, "linear"):
        parts.append(config["activation"])
    return f"{layer['kind']}({', '.join(parts)})" if parts else layer["kind"]


def found_label(layer: dict) -> str:
    """A student's layer, by kind and the name Keras gave it: ``Dense 'dense_3'``."""
    return f"{layer['kind']} '{layer['name']}'"


def setting_message(where: str, key: str, expected, found, folded_from: str | None = None) -> str:
    """One wrong setting, for a student: ``layer 2 (Dense): expected units 64, found 32.``

    ``folded_from`` names the activation layer that gave a layer its activation.
    """
    if key == "trainable":
        return _("{where}: expected a trainable layer, found trainable=False (a frozen layer keeps its "
                 "initial weights during training).").format(where=where)
    if found is None:
        return _("{where}: expected {key} {expected}, but it has no {key}.").format(
            where=where, key=key, expected=format_value(expected))
    if key == "activation" and folded_from:
        text = _("{where}: expected {key} {expected}, found {found} (from your {layer} after it).")
    else:
        text = _("{where}: expected {key} {expected}, found {found}.")
    return text.format(where=where, key=key, expected=format_value(expected), found=format_value(found),
                       layer=folded_from)
