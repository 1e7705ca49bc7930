# expect: practice1=10 practice2=0
# feedback: practice2: old Keras format
# Attack on the rebuild's part count: the allow-list counts every class the description names
# (at most 8,000), and Keras 3 writes each connection as a "__keras_tensor__" entry, which counts.
# Keras 2's form writes a connection as a bare list ["layer", 0, 0], which names no class, and
# Keras 3 still reads it: 4 MB of such lists would make the rebuild call layers some 300,000
# times, or wire a graph of any size past the part count. build_residual_model returns the honest
# block with its connections rewritten in that old form (the same model). The rebuild refuses
# the old form, which Keras 3's to_json never writes.
# practice 1: an honest answer, 10. practice 2: 0 (the description cannot be graded).
import json

import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def _old_form(node):
    tensors = node["args"][0]
    tensors = tensors if isinstance(tensors, list) else [tensors]
    return [[*tensor["config"]["keras_history"], {}] for tensor in tensors]


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    config = json.loads(model.to_json())
    for layer in config["config"]["layers"]:
        layer["inbound_nodes"] = [_old_form(node) for node in layer["inbound_nodes"]]
    forged = json.dumps(config)
    model.to_json = lambda **kwargs: forged
    return model
