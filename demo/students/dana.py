# Dana: practice 1 right; a Sequential model where the Functional API is needed; the largest loss.
import os

import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential(
        [
            layers.Flatten(input_shape=(28, 28)),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def build_residual_model():
    return keras.Sequential(
        [
            keras.Input(shape=(48, 48, 3)),
            layers.Conv2D(3, 3, padding="same", activation="relu"),
            layers.MaxPool2D(2),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ]
    )


def find_best_checkpoint(checkpoint_dir):
    names = [n for n in os.listdir(checkpoint_dir) if n.endswith((".keras", ".h5"))]
    return os.path.join(checkpoint_dir, max(names, key=lambda n: float(n.rsplit(".", 1)[0].split("-", 1)[1])))
