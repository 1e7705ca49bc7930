# Correct answers whose cells print Keras warnings and write to stderr: none of it may cost points.
import sys
import warnings
from pathlib import Path

import keras
from keras import layers


def build_sequential_model():
    warnings.warn("a student's own warning")
    print("building the model...", file=sys.stderr)
    model = keras.Sequential()
    # input_shape= on a layer makes Keras 3 warn on stderr
    model.add(layers.Flatten(input_shape=(28, 28)))
    model.add(layers.Dense(128, activation="relu"))
    model.add(layers.Dropout(0.2))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    model.summary()
    return model


def build_residual_model():
    warnings.warn("deprecated style", DeprecationWarning)
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2)(x)
    shortcut = layers.AvgPool2D(2)(inputs)
    x = layers.Add()([shortcut, x])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    import csv

    print("looking in", checkpoint_dir, file=sys.stderr)
    folder = Path(checkpoint_dir)
    with open(folder / "history.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    best = min(rows, key=lambda row: float(row["val_loss"]))
    epoch = int(best["epoch"]) + 1
    return str(next(p for p in folder.iterdir() if p.name.startswith(f"{epoch:02d}-")))
