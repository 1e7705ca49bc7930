"""Describe a Keras 3 model as plain, JSON-serialisable data.

The description is what every grader compares: it holds no live Keras object,
so it can cross a process boundary and be stored. Keras' own summary is a rich
table meant for people; this is its machine-readable twin.
"""

from __future__ import annotations

from typing import Any

#: Settings that decide a layer's behaviour for this lesson. Everything else in a
#: layer's config (initialisers, dtype policy, names, ...) is left out on purpose:
#: two answers that differ only there are the same answer.
GRADED_SETTINGS = (
    "units",
    "activation",
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "pool_size",
    "rate",
    "use_bias",
    "axis",
    "target_shape",
    "dilation_rate",
    "keepdims",
)

#: Settings recorded only when they differ from Keras' default, so that the descriptions of
#: ordinary layers stay short. Each changes what a layer computes or learns: a frozen layer
#: (trainable=False), a grouped convolution, a capped or leaky ReLU, an ELU's alpha, a Dropout's
#: noise shape, channels-first data. A comparison fills the default back in
#: (``graders.compare.layers.normalise``).
SETTING_DEFAULTS = {
    "trainable": True,
    "groups": 1,
    "max_value": None,
    "negative_slope": 0.0,
    "threshold": 0.0,
    "alpha": 1.0,
    "noise_shape": None,
    "data_format": "channels_last",
}


def describe_model(model) -> dict:
    """Describes ``model`` layer by layer.

    Args:
        model: a Keras 3 model: Sequential, Functional, or subclassed (a
            subclassed model must have been called once so its weights exist).

    Returns:
        A dict with ``layers`` in topological order, each
        ``{"name", "kind", "config", "output_shape", "params", "inbound"}``
        (``output_shape`` is a list with ``None`` for the batch, or ``None`` when
        the model does not know it, as for subclassed models; ``inbound`` names
        the layers whose outputs this layer takes, in call order). A layer
        called more than once (shared weights) also has ``calls``: the
        ``inbound`` of each call, in the order of the calls (``inbound`` is the
        first). At top level: ``api`` ("sequential", "functional" or
        "subclassed"), ``inputs`` and ``outputs`` (lists of ``{"name",
        "shape"}``), ``total_params``, ``trainable_params``,
        ``non_trainable_params`` and ``nested``.

        A model used as a layer of another (a nested Sequential or Functional
        model) is expanded: its layers are rows of their own, named
        ``"outer/inner"``, wired to what the nested model is given and to what
        takes its output. ``nested`` lists each nested model as ``{"name",
        "kind", "layers", "calls", "expanded"}``: its row-name prefix, its class,
        its own layers (inputs aside), how often it is called, and whether it
        was expanded. A nested subclassed model, whose wiring is unknown, stays
        one row of its class name, with ``expanded`` False``.

    Raises:
        TypeError: ``model`` is not a Keras model.

    Example:
        >>> model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10)])
        >>> describe_model(model)["total_params"]
        90
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model, got {type(model).__name__}")

    api = _api(model, keras)
    graph = model._functional if api == "sequential" else model
    nested: list[dict] = []
    if api == "subclassed" or graph is None:
        layers, inputs, outputs = _describe_unlinked(model, chain=api == "sequential", nested=nested)
    else:
        layers, inputs, outputs = _describe_graph(graph, include_inputs=api == "functional", nested=nested)

    trainable = sum(_size(w) for w in model.trainable_weights)
    non_trainable = sum(_size(w) for w in model.non_trainable_weights)
    return {
        "name": model.name,
        "api": api,
        "layers": layers,
        "inputs": inputs,
        "outputs": outputs,
        "total_params": trainable + non_trainable,
        "trainable_params": trainable,
        "non_trainable_params": non_trainable,
        "nested": nested,
    }


def layer_kind(layer) -> str:
    """The layer's class name; aliases (MaxPool2D, MaxPooling2D) are one class in Keras 3."""
    return type(layer).__name__


def layer_settings(layer) -> dict:
    """The graded part of a layer's config, normalised (tuples to lists, activations to names).

    The settings of :data:`SETTING_DEFAULTS` are left out when they hold Keras' default.
    """
    try:
        config = layer.get_config()
    except Exception:  # a student's custom layer may not implement get_config
        config = {}
    settings = {}
    for key in (*GRADED_SETTINGS, *SETTING_DEFAULTS):
        if key not in config:
            continue
        value = config[key]
        if key == "activation":
            value = activation_name(getattr(layer, "activation", value))
        elif isinstance(value, tuple):
            value = list(value)
        if key in SETTING_DEFAULTS and value == SETTING_DEFAULTS[key]:
            continue
        settings[key] = value
    return settings


def activation_name(activation: Any) -> str | None:
    """A canonical name for an activation given as a string, a Keras or a TF function."""
    if activation is None:
        return "linear"
    if isinstance(activation, str):
        return activation
    if isinstance(activation, dict):  # serialised form
        return str(activation.get("config", activation.get("class_name", "")))
    name = getattr(activation, "__name__", None) or type(activation).__name__
    # tf.nn.relu and friends carry the same name as Keras' own functions
    return {"softmax_v2": "softmax", "swish": "silu"}.get(name, name)


def _api(model, keras) -> str:
    if isinstance(model, keras.Sequential):
        return "sequential"
    from keras.src.models.functional import Functional

    if isinstance(model, Functional) and type(model).call is Functional.call:
        return "functional"
    return "subclassed"


def _params(operation) -> int:
    """Weights of a built layer; 0 for an unbuilt layer or a bare operation such as `x + y`."""
    if not getattr(operation, "built", False) or not hasattr(operation, "count_params"):
        return 0
    return int(operation.count_params())


def _size(weight) -> int:
    count = 1
    for dim in weight.shape:
        count *= int(dim)
    return count


def _shape(shape) -> list | None:
    if shape is None:
        return None
    return [None if d is None else int(d) for d in shape]


def _tensor_shape(tensors) -> list | None:
    """One output shape, or a list of shapes when the layer returns several tensors."""
    if isinstance(tensors, (list, tuple)):
        if len(tensors) == 1:
            return _shape(tensors[0].shape)
        return [_shape(t.shape) for t in tensors]
    return _shape(tensors.shape)


def _model_graph(operation):
    """The traced graph of a model used as a layer, or None: not a model, or one whose wiring is unknown."""
    import keras

    if not isinstance(operation, keras.Model):
        return None
    if isinstance(operation, keras.Sequential):
        return operation._functional
    return operation if _api(operation, keras) == "functional" else None


def _own_layers(model) -> int:
    return sum(1 for layer in model.layers if layer_kind(layer) != "InputLayer")


def _bind(inner, node, binding: dict, prefix: str) -> dict:
    """What a call of a nested model passes: each of its input layers stands for the row feeding that input."""
    return {id(t._keras_history.operation): _source(outer, binding, prefix)
            for t, outer in zip(inner.inputs, node.input_tensors)}


def _source(tensor, binding: dict, prefix: str) -> str:
    """The row name of the layer whose output ``tensor`` is, seen from a graph whose rows are named ``prefix...``.

    ``binding`` says which rows a nested model's input layers stand for; a
    nested model's output is the output of the layer inside it that makes it.
    """
    history = tensor._keras_history
    operation = history.operation
    if id(operation) in binding:
        return binding[id(operation)]
    inner = _model_graph(operation)
    if inner is None:
        return prefix + operation.name
    node = operation._inbound_nodes[history.node_index]
    return _source(inner.outputs[history.tensor_index], _bind(inner, node, binding, prefix),
                   f"{prefix}{operation.name}/")


def _describe_graph(graph, include_inputs: bool, nested: list):
    """Layers of a traced (Functional) graph with the tensors each one takes, nested models expanded."""
    layers: list[dict] = []
    _walk(graph, "", [{}], include_inputs, layers, nested)
    inputs = [{"name": _source(t, {}, ""), "shape": _shape(t.shape)} for t in graph.inputs]
    outputs = [{"name": _source(t, {}, ""), "shape": _shape(t.shape)} for t in graph.outputs]
    return layers, inputs, outputs


def _walk(graph, prefix: str, bindings: list[dict], include_inputs: bool, layers: list, nested: list) -> None:
    """Appends the rows of ``graph``'s layers, named ``prefix + name``, called once per binding of ``bindings``.

    The top-level graph has one empty binding; a nested model's graph has one
    per call of the nested model (see :func:`_bind`).
    """
    nodes: dict[int, list] = {}
    for depth in sorted(graph._nodes_by_depth, reverse=True):
        for node in graph._nodes_by_depth[depth]:
            nodes.setdefault(id(node.operation), []).append(node)

    # operations, not layers: `x + y` on tensors is an operation that Keras'
    # summary lists (as "Add") but that `model.layers` leaves out
    for layer in graph.operations:
        own = nodes.get(id(layer))
        if not own:
            continue
        own.sort(key=layer._inbound_nodes.index)  # in the order of the calls
        kind = layer_kind(layer)
        if kind == "InputLayer" and not include_inputs:
            continue  # a Sequential model's input, or a nested model's (bound to what feeds it)
        name = prefix + layer.name
        inner = _model_graph(layer)
        if inner is not None:
            calls = [_bind(inner, node, binding, prefix) for binding in bindings for node in own]
            nested.append({"name": name, "kind": kind, "layers": _own_layers(layer), "calls": len(calls),
                           "expanded": True})
            _walk(inner, f"{name}/", calls, False, layers, nested)
            continue
        calls = [[_source(t, binding, prefix) for t in node.input_tensors] for binding in bindings for node in own]
        row = {
            "name": name,
            "kind": kind,
            "config": layer_settings(layer),
            "output_shape": _tensor_shape(own[0].outputs),
            "params": _params(layer),
            "inbound": calls[0],
        }
        if len(calls) > 1:
            row["calls"] = calls
        layers.append(row)
        if _is_model(layer):  # a nested subclassed model: one row, said so
            nested.append({"name": name, "kind": kind, "layers": _own_layers(layer), "calls": len(calls),
                           "expanded": False})


def _is_model(operation) -> bool:
    import keras

    return isinstance(operation, keras.Model)


def _flat_layers(model, prefix: str, nested: list):
    """``(layer, row name)`` of ``model.layers`` in order, a nested Sequential or Functional model's layers in
    its place (a nested subclassed model, whose layers' order is unknown, stays one row)."""
    import keras

    for layer in model.layers:
        if prefix and layer_kind(layer) == "InputLayer":
            continue  # a nested Functional model's input
        if not isinstance(layer, keras.Model):
            yield layer, prefix + layer.name
            continue
        expanded = _api(layer, keras) != "subclassed"
        nested.append({"name": prefix + layer.name, "kind": layer_kind(layer), "layers": _own_layers(layer),
                       "calls": 1, "expanded": expanded})
        if expanded:
            yield from _flat_layers(layer, f"{prefix}{layer.name}/", nested)
        else:
            yield layer, prefix + layer.name


def _describe_unlinked(model, chain: bool, nested: list):
    """Layers of a model with no traced graph: subclassed, or Sequential without an input shape.

    Their connections and output shapes are unknown (Keras' summary prints
    "multiple" or "?"); a Sequential's layers are still a chain. A nested
    model's layers take its place.
    """
    layers = []
    previous = None
    for layer, name in _flat_layers(model, "", nested):
        layers.append(
            {
                "name": name,
                "kind": layer_kind(layer),
                "config": layer_settings(layer),
                "output_shape": None,
                "params": _params(layer),
                "inbound": [previous] if chain and previous else [],
            }
        )
        previous = name
    return layers, [], []
