"""Reference answer of practice 1: the Sequential model of spec 1."""

import keras
from keras import layers


def build_sequential_model():
    """Flatten 28x28 images, two hidden Dense layers with dropout, a 10-way softmax."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name="practice1_reference",
    )
