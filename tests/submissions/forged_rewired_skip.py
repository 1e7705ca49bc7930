# expect: practice1=10 practice2=7.5
# feedback: practice2: should take L1 (the input)
# feedback: practice2: which plays L2
# Attack on the description's wiring: build_residual_model returns the honest block (layers named
# after the spec), but its to_json keeps every layer's config and order and rewires one
# connection: the average pool's inbound node names the conv "L2" instead of the input "L1". The
# layer list still reads like the spec; only the rebuilt graph is scored, and it is the graph of
# near_skip_from_conv.py (the shortcut pooled from the conv: no skip connection).
# practice 1: an honest answer, 10.
# practice 2: as near_skip_from_conv.py: the pool takes the wrong source, 1 of 6 connections
#   lost (3 x 1/6 = 0.5) and the whole graph differs (2): 10 - 0.5 - 2 = 7.5.
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


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3), name="L1")
    x = layers.Conv2D(3, 3, padding="same", activation="relu", name="L2")(inputs)
    x = layers.MaxPool2D(2, 2, name="L3")(x)
    x = layers.Add(name="L5")([x, layers.AvgPool2D(2, 2, name="L4")(inputs)])
    x = layers.GlobalAveragePooling2D(name="L6")(x)
    model = keras.Model(inputs, layers.Dense(10, activation="softmax", name="L7")(x))
    config = json.loads(model.to_json())
    pool = next(layer for layer in config["config"]["layers"] if layer["name"] == "L4")
    pool["inbound_nodes"][0]["args"][0]["config"]["keras_history"][0] = "L2"
    forged = json.dumps(config)
    model.to_json = lambda **kwargs: forged
    return model
