# expect: practice1=10 practice2=0 practice3=0
# feedback: practice2: SystemExit
# feedback: practice3: find_best_checkpoint() was stopped
# feedback: practice3: exited early with code 0
# note: SystemExit
# Attack (or breakage): leaving at every level. The file ends with sys.exit(0) after its
# definitions (a .py stops there, keeping what it defined, and a note says so);
# build_residual_model calls sys.exit(3) after building a correct model; find_best_checkpoint
# calls os._exit(0), a clean-looking exit status in the middle of the grading.
# practice 1: an honest answer, 10. practice 2: SystemExit is an exception like any other: 0.
# practice 3: the process ended while it ran: 7 directories x 0 = 0.
import os
import sys

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
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    sys.exit(3)
    return model


def find_best_checkpoint(checkpoint_dir):
    os._exit(0)


sys.exit(0)
