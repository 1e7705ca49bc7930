# expect: practice1=10 practice2=0
# feedback: practice2: build_residual_model() was stopped
# feedback: practice2: exited early with code 1
# Practice 2 ends the whole process with os._exit(1).
# practice 1: spec 1, every rubric line full: 1 + 1 + 3 + 3 + 1 + 1 = 10.
# practice 2: the process ended while it ran, 0.
import os

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
    os._exit(1)
