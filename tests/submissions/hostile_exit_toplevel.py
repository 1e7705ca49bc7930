# expect: practice1=0 practice2=0 practice3=0
# error: exited early with code 0
# Attack (or breakage): the three answers are correct, then the file ends the whole process with
# os._exit(0) at top level, before the grader heard that it loaded. Nothing can be graded: the
# child is retried once, ends the same way, and every practice scores 0 with the reason as the
# submission's error.
import csv
import os
from pathlib import Path

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
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))


os._exit(0)
