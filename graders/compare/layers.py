"""Comparing single layers of two model descriptions, and naming them for students."""

from __future__ import annotations

#: Layers that only apply an activation: ``Dense(128)`` followed by
#: ``Activation("relu")`` is the same answer as ``Dense(128, activation="relu")``.
ACTIVATION_LAYERS = {"Activation": None, "ReLU": "relu", "Softmax": "softmax"}

#: Merge layers whose operands may come in any order.
COMMUTATIVE = {"Add", "Multiply", "Average", "Maximum", "Minimum"}


def fold_activations(description: dict) -> dict:
    """Returns a copy of ``description`` with standalone activation layers folded.

    An Activation/ReLU/Softmax layer is folded into the layer it follows when that
    layer has a linear activation and feeds nothing else. Everything else is kept.
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
            name = ACTIVATION_LAYERS[layer["kind"]] or layer["config"].get("activation", "linear")
            producer["config"]["activation"] = name
            renamed[layer["name"]] = producer["name"]
            continue
        kept.append(layer)
    outputs = [dict(o, name=renamed.get(o["name"], o["name"])) for o in description["outputs"]]
    return dict(description, layers=kept, outputs=outputs)


def normalise(description: dict, graded: dict[str, tuple[str, ...]], input_layers: bool) -> dict:
    """The description a practice compares: activations folded, only graded settings kept.

    Args:
        graded: per layer kind, the settings the spec states; a kind not listed
            keeps none (its shape and parameters still count).
        input_layers: True to have the inputs as InputLayer nodes (graphs; a
            Sequential model's description leaves them out), False to drop them
            (chains; the input shape is judged on its own).
    """
    folded = fold_activations(description)
    layers = [layer for layer in folded["layers"] if layer["kind"] != "InputLayer"]
    if input_layers:
        layers = [
            {"name": i["name"], "kind": "InputLayer", "config": {}, "output_shape": i["shape"], "params": 0, "inbound": []}
            for i in folded["inputs"]
        ] + layers
    for layer in layers:
        keys = graded.get(layer["kind"], ())
        layer["config"] = {k: v for k, v in layer["config"].items() if k in keys}
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
        return "unknown"
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
        parts.append("kernel " + "x".join(str(k) for k in config["kernel_size"]))
    if "pool_size" in config:
        parts.append("pool " + "x".join(str(k) for k in config["pool_size"]))
    if "rate" in config:
        parts.append(f"rate {config['rate']}")
    if config.get("padding") == "same":
        parts.append("same")
    if config.get("activation") not in (None, "linear"):
        parts.append(config["activation"])
    return f"{layer['kind']}({', '.join(parts)})" if parts else layer["kind"]


def found_label(layer: dict) -> str:
    """A student's layer, by kind and the name Keras gave it: ``Dense 'dense_3'``."""
    return f"{layer['kind']} '{layer['name']}'"


def setting_message(where: str, key: str, expected, found) -> str:
    if found is None:
        return f"{where}: expected {key} {format_value(expected)}, but it has no {key}."
    return f"{where}: expected {key} {format_value(expected)}, found {format_value(found)}."
