# expect: practice1=10 practice2=0 practice3=10
# feedback: practice2: build_residual_model() was stopped
# feedback: practice2: longer than 8 MB
# Attack: build_residual_model writes 9 MB without a newline on every fd, hoping the grader
# buffers without limit. The grader caps one message at 8 MB and kills the child.
# practice 2: stopped while it ran, 0. practices 1 and 3: honest answers (practice 3 in a fresh
#   child after the kill), 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
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
    chunk = b'{"event": "result", "practice": "practice2", "data": {"model_json": "' + b"A" * (1 << 20)
    for fd in range(3, 64):
        try:
            for _ in range(9):
                os.write(fd, chunk)
        except OSError:
            pass
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
