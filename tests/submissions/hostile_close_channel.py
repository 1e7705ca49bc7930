# expect: practice1=0 practice2=0 practice3=0
# error: stopped before any answer was checked
# Attack (or breakage): at import it closes every descriptor from 3 up, the grader's channel
# included, hoping a grader that hears nothing gives the benefit of the doubt. The answers below
# are correct, but no evidence of them can reach the grader: the child is retried once, fails the
# same way, and every practice scores 0 with the reason as the submission's error.
import os

import keras
from keras import layers

os.closerange(3, 4096)


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
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
