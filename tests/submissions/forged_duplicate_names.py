# expect: practice1=10 practice2=0
# feedback: practice2: could not be rebuilt
# Attack on the description's names: the graders match layers and connections by name, and
# Keras' Functional rebuild keeps its layers in a dict by name. build_residual_model returns the
# honest block whose to_json gives the average pool the max pool's name "L3", and makes the Add
# take "L3" twice, hoping one layer stands in for the other. Keras cannot wire two layers of one
# name; the rebuild fails with a one-line reason.
# practice 1: an honest answer, 10. practice 2: 0 (the model cannot be rebuilt).
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
    text = model.to_json().replace('"L4"', '"L3"')
    model.to_json = lambda **kwargs: text
    return model
