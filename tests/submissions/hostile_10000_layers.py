# expect: practice1=0 practice2=10 practice3=0
# feedback: practice1: too many
# Attack on the grader's rebuild time and memory: a Sequential model of 10,000 layers. Building
# 10,000 real layers takes the student's own process most of its timeout (and a built chain that
# long overflows Python's recursion limit), so build_sequential_model builds the spec's model with
# one ReLU layer and replaces its to_json by the same description with that ReLU repeated 10,000
# times under fresh names: exactly what model.to_json() of such a model says, and cheap to send.
# Rebuilding and describing 10,000 layers, and aligning them with the spec, would be slow in the
# grader: the rebuild refuses descriptions with more than 2,000 layers before Keras sees them.
# practice 1: 0 (the model cannot be graded). practice 2: an honest answer, 10.
# practice 3: find_best_checkpoint is not defined, 0.
import copy
import json

import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.ReLU(name="relu_template"),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    config = json.loads(model.to_json())
    entries = config["config"]["layers"]
    index = next(i for i, entry in enumerate(entries) if entry["config"]["name"] == "relu_template")
    template = entries[index]
    template.pop("build_config", None)
    repeated = []
    for number in range(10_000):
        entry = copy.deepcopy(template)
        entry["config"]["name"] = f"relu_{number}"
        repeated.append(entry)
    config["config"]["layers"] = entries[:index] + repeated + entries[index + 1:]
    text = json.dumps(config)
    model.to_json = lambda **kwargs: text
    return model


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
