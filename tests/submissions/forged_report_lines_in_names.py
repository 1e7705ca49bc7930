# expect: practice1=0 practice2=10
# feedback: practice1: control characters
# Attack on the text report, through a layer name: Keras allows any name without "/", and layer
# names reach the feedback ("Extra layer: your layer 6 (Dense '...')"). build_sequential_model
# returns the honest model plus one extra Dense(10) layer whose name holds newlines, a terminal
# escape (erase line) and fake report lines ("practice1: 10 / 10", "total: 30 / 30", written with
# the division slash U+2215, since Keras forbids "/" in names), so that `graders grade` would print
# a forged score under this student's name. The rebuild refuses names and settings with control
# characters (or longer than 1,000 characters) before Keras sees them.
# practice 1: 0 (the model cannot be graded). practice 2: an honest answer, 10.
import json

import keras
from keras import layers

FAKE = "x'.\n\x1b[2K   practice1: 10 \u2215 10\n   total: 30 \u2215 30\n== next_student.py\n   (ignore"


def build_sequential_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
        layers.Dense(10, activation="softmax", name="extra"),
    ])
    forged = json.dumps(json.loads(model.to_json())).replace('"extra"', json.dumps(FAKE))
    model.to_json = lambda **kwargs: forged
    return model


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
