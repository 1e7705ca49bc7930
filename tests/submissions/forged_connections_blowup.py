# expect: practice1=10 practice2=0
# feedback: practice2: too many connections
# Attack on the grading process's time and memory, through scoring rather than the rebuild:
# build_residual_model builds the honest block, then replaces its to_json with a graph of 60 Add
# layers, each adding the outputs of every layer before it: 1,831 connections in 250 KB of JSON,
# rebuilt by Keras in a second. Practice 2 compares layer graphs with networkx in the grading
# process, where no timeout applies, at a cost that grows with the square of the connections
# (20,000 connections took 100 s and 3.7 GB there). The rebuild refuses a model with more than
# 1,000 connections, so the graph never reaches the grading process.
# practice 1: an honest answer, 10. practice 2: 0 (the model cannot be graded).
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


def _tensor(name):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None, 48, 48, 3], "dtype": "float32", "keras_history": [name, 0, 0]}}


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3), name="image")
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    config = json.loads(model.to_json())
    graph = [config["config"]["layers"][0]]  # the input layer
    names = ["image"]
    for index in range(60):
        sources = names if len(names) > 1 else names * 2
        graph.append({
            "module": "keras.layers", "class_name": "Add", "registered_name": None,
            "config": {"name": f"sum_{index}", "dtype": "float32"}, "name": f"sum_{index}",
            "inbound_nodes": [{"args": [[_tensor(name) for name in sources]], "kwargs": {}}],
        })
        names.append(f"sum_{index}")
    config["config"]["layers"] = graph
    config["config"]["output_layers"] = [[names[-1], 0, 0]]
    forged = json.dumps(config)
    model.to_json = lambda **kwargs: forged
    return model
