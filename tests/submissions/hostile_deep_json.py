# expect: practice1=0 practice2=10 practice3=0
# feedback: practice1: nests too deeply
# note: ignored
# Attack on the parsers: at import, a line of one million "[" is written on every fd (a
# recursive JSON parser in the grading process must not crash on it); then build_sequential_model
# returns a correct model whose to_json is replaced by a description in which the Dense layer's
# kernel_initializer config nests 500 levels deep.
# practice 1: the description nests far deeper than any real model, so it is refused before Keras
#   parses it: 0. practice 2: an honest answer, 10. The "[[[..." line is ignored (a note).
# practice 3: find_best_checkpoint is not defined, 0.
import json
import os

import keras
from keras import layers

for fd in range(3, 64):
    try:
        os.write(fd, b"[" * 1_000_000 + b"\n")
    except OSError:
        pass


def build_sequential_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    config = json.loads(model.to_json())
    nested = {"seed": None}
    for _ in range(500):
        nested = {"config": nested}
    config["config"]["layers"][2]["config"]["kernel_initializer"]["config"] = nested
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
